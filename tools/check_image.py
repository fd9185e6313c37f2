#!/usr/bin/env python3
"""Build-time checks on the linked EL2 image (build fails on any problem):
the Image header is intact, the vector table is 2 KiB aligned, and the only
dynamic relocations are R_AARCH64_RELATIVE, which boot/head.S applies.

With a second argument (the flat binary made from the ELF) it also writes the
header's image_size field (bytes from _head to _end, BSS included): a value
the linker can only give as a text relocation in a position-independent link."""
import struct
import sys

R_AARCH64_RELATIVE = 1027


def sections(elf):
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    strtab = hdrs[shstrndx]
    names = {}
    for h in hdrs:
        start = strtab[4] + h[0]
        names[elf[start:elf.index(b"\0", start)].decode()] = h
    return hdrs, names


def symbol(elf, hdrs, name):
    for h in hdrs:
        if h[1] != 2:  # SHT_SYMTAB
            continue
        strtab = hdrs[h[6]]
        for off in range(h[4], h[4] + h[5], 24):
            st_name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", elf, off)
            start = strtab[4] + st_name
            if elf[start:elf.index(b"\0", start)].decode() == name:
                return value
    return None


def main(path, binpath=None):
    elf = open(path, "rb").read()
    hdrs, names = sections(elf)
    errors = []
    text = names[".text"]
    if elf[text[4] + 56:text[4] + 60] != b"ARM\x64":
        errors.append("Image header magic missing at the start of .text")
    vec = symbol(elf, hdrs, "el2_vectors")
    if vec is None or vec % 2048:
        errors.append(f"el2_vectors not 2 KiB aligned ({vec})")
    for name, h in names.items():
        if h[1] == 4:  # SHT_RELA
            for off in range(h[4], h[4] + h[5], 24):
                _, info, _ = struct.unpack_from("<QQq", elf, off)
                if info & 0xFFFFFFFF != R_AARCH64_RELATIVE:
                    errors.append(f"unsupported relocation type {info & 0xFFFFFFFF} in {name}")
                    break
    head, end = symbol(elf, hdrs, "_head"), symbol(elf, hdrs, "_end")
    if binpath and not errors:
        data = bytearray(open(binpath, "rb").read())
        struct.pack_into("<Q", data, 16, end - head)
        open(binpath, "wb").write(data)
    for e in errors:
        print(f"{path}: {e}", file=sys.stderr)
    return 1 if errors else 0


sys.exit(main(*sys.argv[1:3]))
