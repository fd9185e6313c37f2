#!/usr/bin/env python3
"""make run KERNEL=...: writes the one-VM description for a one-off boot.

Values come in as files written by make's $(file) function, one value per
file, so no shell ever sees them: spaces, quotes, '=', '#' and '$'-free text
pass through unchanged.  The kernel and initrd are linked into the build
directory under fixed names, so their paths may contain anything; the
bootargs are written as a description string with \\" and \\\\ escaped.
BOOTARGS given (even empty) is used verbatim; only an unset one means the
description's default.  The file is rewritten only when it changes, so an
unchanged one-off run does not rebuild the image."""
import argparse
import os
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--vals", required=True, help="directory of value files")
ap.add_argument("--out", required=True)
a = ap.parse_args()


def val(name):
    try:
        with open(os.path.join(a.vals, name), encoding="utf-8") as f:
            return f.read().rstrip("\n")
    except FileNotFoundError:
        return None


def die(msg):
    print("make run: error: %s" % msg, file=sys.stderr)
    sys.exit(2)


def number(name, lo, hi):
    text = val(name)
    if not text or not text.isdigit() or not lo <= int(text) <= hi:
        die("%s=%r must be a whole number from %d to %d" % (name, text, lo, hi))
    return int(text)


def link_file(var, dest):
    path = val(var)
    if not os.path.isfile(path):
        die("%s=%s: no such file" % (var, path))
    if os.path.getsize(path) == 0:
        die("%s=%s: the file is empty" % (var, path))
    link = os.path.join(os.path.dirname(a.out), dest)
    target = os.path.abspath(path)
    if not (os.path.islink(link) and os.readlink(link) == target):
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(target, link)
    return link


def quote(s):
    if "\n" in s or "\r" in s:
        die("BOOTARGS must be one line")
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
mem = number("MEM", 2, 1 << 20)
smp = number("SMP", 1, 8)
if mem % 2:
    die("MEM=%d: guest memory is mapped in 2 MiB blocks; give an even number of MiB" % mem)
lines = ["# Written by tools/cmdline_cfg.py for make run KERNEL=...; do not edit.",
         "node {", "    cpus = %d" % smp, "}", "vm guest {",
         "    image = %s" % link_file("KERNEL", "cmdline-kernel"),
         "    memory = %dM" % mem, "    vcpus = %d" % smp]
if val("INITRD"):
    lines.append("    initrd = %s" % link_file("INITRD", "cmdline-initrd"))
if val("BOOTARGS_SET") == "1":
    lines.append("    bootargs = %s" % quote(val("BOOTARGS") or ""))
lines.append("}")
text = "\n".join(lines) + "\n"
try:
    old = open(a.out).read()
except FileNotFoundError:
    old = None
if old != text:
    with open(a.out + ".tmp", "w") as f:
        f.write(text)
    os.replace(a.out + ".tmp", a.out)
