#!/usr/bin/env python3
"""Wrap a raw guest binary in an arm64 Linux Image header.

The test guests are linked to run from the start of guest RAM.  As an Image
they are entered at load address + text_offset, and the header's first word
must be the entry branch, so the header takes the first 64 bytes of the
binary itself: the guest's crt0 reserves them (see tests/guests/lib/crt0.S).
"""
import struct
import sys

src, dst = sys.argv[1], sys.argv[2]
data = bytearray(open(src, "rb").read())
if len(data) < 64 or data[4:64] != bytes(60):
    sys.exit(f"mkimage: {src}: the first 64 bytes are not a reserved header slot")
image_size = (len(data) + 0xFFF) & ~0xFFF
# code0 stays the guest's first instruction (a branch past the header).
struct.pack_into("<IQQQQQQI", data, 4, 0, 0, image_size, 0xA, 0, 0, 0, 0x644D5241)
open(dst, "wb").write(data)
