#!/usr/bin/env python3
"""mkcpio.py DIR OUT: the boot archive, a cpio "newc" archive of everything under DIR.

What `find . -mindepth 1 | sed 's|^\\./||' | sort | cpio -o -H newc` makes (names sorted
bytewise, stat's fields, the TRAILER!!! member, padded to 512 bytes), with one
difference: each member's data starts 8-byte aligned in the archive.  newc aligns it
to 4 only; here a name gets up to 7 more NUL bytes (counted in its namesize) so that
its data lands on an 8-byte boundary.  Every reader takes the name as a C string
(lib/libsys/elf.c cpio_find, servers/fs/tree.c, GNU cpio, Linux's initramfs), so
nothing else changes; exec then copies a program's segments word-aligned (the kernel's
memcpy moves aligned words about three times faster than shifted ones).
"""
import os
import stat
import sys


def header(ino, st, size, namesize):
    fields = (ino, st.st_mode, st.st_uid, st.st_gid, st.st_nlink, int(st.st_mtime), size,
              0, 0, 0, 0, namesize, 0)
    return ("070701" + "".join("%08x" % f for f in fields)).encode()


def member(out, ino, name, st, data):
    raw = name.encode() + b"\0"
    # NULs after the name until the data starts 8-byte aligned (then it is 4-aligned too)
    pad = (-(len(out) + 110 + len(raw))) % 8
    raw += b"\0" * pad
    out += header(ino, st, len(data), len(raw)) + raw
    assert len(out) % 8 == 0
    out += data
    out += b"\0" * ((-len(out)) % 4)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: mkcpio.py DIR OUT\n")
        return 2
    top, outname = argv
    names = []
    for dirpath, dirnames, filenames in os.walk(top):
        for n in dirnames + filenames:
            names.append(os.path.relpath(os.path.join(dirpath, n), top))
    names.sort(key=lambda n: n.encode())
    out = bytearray()
    for ino, name in enumerate(names, 1):
        path = os.path.join(top, name)
        st = os.lstat(path)
        if stat.S_ISREG(st.st_mode):
            with open(path, "rb") as f:
                data = f.read()
        elif stat.S_ISDIR(st.st_mode):
            data = b""
        else:
            sys.stderr.write("mkcpio.py: %s: neither a file nor a directory\n" % path)
            return 1
        member(out, ino, name, st, data)
    trailer = os.stat_result((0, 0, 0, 1, 0, 0, 0, 0, 0, 0))
    member(out, 0, "TRAILER!!!", trailer, b"")
    out += b"\0" * ((-len(out)) % 512)
    with open(outname, "wb") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
