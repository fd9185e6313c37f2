#!/usr/bin/env python3
"""Checks the EL2 layer rule (STYLE.md): includes and calls go downward only,
and no include cycle or call circle exists among EL2 files.

Layers, bottom to top (a file's layer comes from its path):

  0 arch     arch/arm64/, include/arch/ and the freestanding base headers
  1 drivers  drivers/, include/drivers/      (GIC, console UARTs)
  2 lib      lib/, include/lib/              (fdt, print, log; shared with guests)
  3 mm       mm/, include/mm/
  4 vm       vm/*.c, vm/vgic/, include/vm/   (vCPU, MMIO registry, vGIC,
                                              VM lifecycle, scheduler, socket)
  5 vm/dev   vm/dev/, include/vm/dev/        (virtual devices)
  6 vm/exit  vm/exit/, include/vm/exit/      (trap handlers, hypercalls, PSCI)
  7 boot     boot/, include/boot/

Include edges come from the `#include "..."` lines of every EL2 source and
the headers they reach.  Call edges are exact: the linker's view, taken with
nm from the objects the build made (a file refers to a function or variable
another file defines).  A reference from the exception vectors
(arch/arm64/*.S) to a C entry point declared in include/arch/entry.h is the
hardware calling up through VBAR_EL2, not arch code calling up; the script
lists those apart.

Usage: tools/check_layers.py [--build build] [--nm aarch64-linux-gnu-nm] [--edges]
Exit status 1 on any upward include, upward call, include cycle or call
circle; the report names each.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAYERS = ["arch", "drivers", "lib", "mm", "vm", "vm/dev", "vm/exit", "boot"]
# Longest prefix wins.
PREFIX = [
    ("arch/", "arch"), ("include/arch/", "arch"), ("build/include/", "arch"),
    ("drivers/", "drivers"), ("include/drivers/", "drivers"),
    ("lib/", "lib"), ("include/lib/", "lib"),
    ("mm/", "mm"), ("include/mm/", "mm"),
    ("vm/", "vm"), ("include/vm/", "vm"),
    ("vm/dev/", "vm/dev"), ("include/vm/dev/", "vm/dev"),
    ("vm/mgmt/", "vm/dev"), ("include/vm/mgmt/", "vm/dev"),
    ("vm/exit/", "vm/exit"), ("include/vm/exit/", "vm/exit"),
    ("boot/", "boot"), ("include/boot/", "boot"),
]
# Headers at the include root: constants and types every layer may use.
BASE_HEADERS = {"include/types.h", "include/lib.h", "include/spinlock.h",
                "include/platform.h", "include/platform_info.h", "include/aether_abi.h",
                "include/aether_mgmt_abi.h"}
OBJS_MK = ["boot", "arch/arm64", "drivers", "lib", "mm", "vm", "vm/*"]


def layer_of(path):
    if path in BASE_HEADERS:
        return "arch"
    best = None
    for p, layer in PREFIX:
        if path.startswith(p) and (best is None or len(p) > len(best[0])):
            best = (p, layer)
    return best[1] if best else None


def el2_sources():
    """EL2_SRCS and EL2_ASMS from every objs*.mk the Makefile reads."""
    srcs = []
    for d in OBJS_MK:
        for mk in sorted(glob.glob(os.path.join(ROOT, d, "objs*.mk"))):
            text = open(mk).read().replace("\\\n", " ")
            for m in re.finditer(r"^EL2_(?:SRCS|ASMS)\s*\+?=(.*)$", text, re.M):
                srcs += m.group(1).split()
    return srcs


def resolve(inc, frm):
    for d in (os.path.dirname(frm), "include", "build/include"):
        cand = os.path.normpath(os.path.join(d, inc))
        if os.path.exists(os.path.join(ROOT, cand)) or cand == "build/include/asm-offsets.h":
            return cand
    return None


def include_graph(srcs):
    graph, todo, seen, unresolved = {}, list(srcs), set(), []
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        graph[f] = []
        path = os.path.join(ROOT, f)
        if not os.path.exists(path):
            continue
        for line in open(path, errors="replace"):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            h = resolve(m.group(1), f)
            if h is None:
                unresolved.append((f, m.group(1)))
                continue
            graph[f].append(h)
            todo.append(h)
    return graph, unresolved


def symbols(obj, nm):
    out = subprocess.run([nm, obj], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRCGSVW":
            defined.add(parts[2])
    return defined, undefined


def call_graph(srcs, build, nm):
    defs, undefs, missing = {}, {}, []
    for s in srcs:
        obj = os.path.join(build, "el2", os.path.splitext(s)[0] + ".o")
        if not os.path.exists(obj):
            missing.append(obj)
            continue
        defs[s], undefs[s] = symbols(obj, nm)
    owner = {}
    for s, ds in defs.items():
        for d in ds:
            owner[d] = s
    graph = {s: {} for s in defs}
    for s, us in undefs.items():
        for u in sorted(us):
            t = owner.get(u)
            if t and t != s:
                graph[s].setdefault(t, []).append(u)
    return graph, missing


def cycles(graph):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def vector_entries():
    path = os.path.join(ROOT, "include/arch/entry.h")
    if not os.path.exists(path):
        return set()
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    return set(re.findall(r"(\w+)\s*\([^;{]*\)\s*(?:__attribute__\(\([^;]*\)\))?\s*;", text))


def rank(path):
    layer = layer_of(path)
    return LAYERS.index(layer) if layer else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--nm", default=os.environ.get("NM", "aarch64-linux-gnu-nm"))
    ap.add_argument("--edges", action="store_true", help="also list every call edge")
    ap.add_argument("--root", help="check this tree instead (the script's self-test)")
    ap.add_argument("--no-calls", action="store_true", help="includes only (no objects)")
    args = ap.parse_args()
    global ROOT
    if args.root:
        ROOT = os.path.abspath(args.root)
    os.chdir(ROOT)
    build = args.build if os.path.isabs(args.build) else os.path.join(ROOT, args.build)
    problems = []

    srcs = el2_sources()
    for s in srcs:
        if layer_of(s) is None:
            problems.append("no layer for %s" % s)
    inc, unresolved = include_graph(srcs)
    for f in sorted(inc):
        if layer_of(f) is None and f not in srcs:
            problems.append("no layer for %s" % f)
    for f, h in unresolved:
        problems.append('%s: #include "%s" not found' % (f, h))
    n_inc = 0
    for f, hs in sorted(inc.items()):
        for h in hs:
            n_inc += 1
            rf, rh = rank(f), rank(h)
            if rf is not None and rh is not None and rh > rf:
                problems.append("upward include: %s (%s) includes %s (%s)"
                                % (f, layer_of(f), h, layer_of(h)))
    for c in cycles({f: set(hs) for f, hs in inc.items()}):
        problems.append("include cycle: " + " -> ".join(c))

    calls, missing = ({}, []) if args.no_calls else call_graph(srcs, build, args.nm)
    for m in missing:
        problems.append("object missing (build first): " + os.path.relpath(m, ROOT))
    entries = vector_entries()
    n_calls, upcalls, hw = 0, [], set()
    for f, targets in sorted(calls.items()):
        for t, syms in sorted(targets.items()):
            n_calls += 1
            if args.edges:
                print("edge %s -> %s: %s" % (f, t, ", ".join(syms)))
            if rank(t) <= rank(f):
                continue
            if f.endswith(".S") and layer_of(f) == "arch" and set(syms) <= entries:
                upcalls.append("%s -> %s: %s" % (f, t, ", ".join(syms)))
                hw.add((f, t))
                continue
            problems.append("upward call: %s (%s) uses %s from %s (%s)"
                            % (f, layer_of(f), ", ".join(syms), t, layer_of(t)))
    # The vectors' upcalls are the hardware's, so they close no circle.
    for c in cycles({f: {t for t in ts if (f, t) not in hw} for f, ts in calls.items()}):
        problems.append("call circle: " + " <-> ".join(c))

    print("EL2 layers, bottom to top: " + " -> ".join(LAYERS))
    for layer in LAYERS:
        files = [s for s in srcs if layer_of(s) == layer]
        print("  %-8s %2d file(s)  %s" % (layer, len(files), " ".join(files)))
    print("checked %d source(s), %d header(s), %d include edge(s), %d call edge(s)"
          % (len(srcs), len([f for f in inc if f.endswith(".h")]), n_inc, n_calls))
    print("exception-vector entry points (hardware upcalls, include/arch/entry.h):")
    for u in upcalls:
        print("  " + u)
    if problems:
        for p in problems:
            print("FAIL " + p)
        print("%d problem(s)" % len(problems))
        return 1
    print("no upward include, no upward call, no include cycle, no call circle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
