#!/usr/bin/env python3
"""Host test: the structure rules of docs/design.md ("Structure rules") hold in the tree.
  - generic kernel code (kernel/*.c, kernel/include/) reaches the machine only through
    kernel/include/arch.h: no inline assembly, no CSR access, no header of kernel/arch/
    (but arch.h's own kernel/arch/riscv/arch_impl.h);
  - kernel/ includes nothing of servers/, of the C library or of libsys: only its own
    headers, lib/include/uapi and lib/fdt;
  - a server includes nothing of another server nor of the kernel: servers meet only in
    lib/include/uapi;
  - libsys, the lowest user layer, includes nothing of libc's own headers.
Includes are resolved as the compiler does (the file's directory, then build.mk's -I list).
Prints "  PASS host/structure/NAME" or "  FAIL ...: why", then "N passed, N failed"."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostcheck import ROOT, run

KERNEL_I = ["kernel/include", "kernel/arch/riscv", "lib/include", "lib/fdt"]
USER_I = ["lib/libc/include", "lib/include", "lib/libsys", "lib/fdt", "platform/include", "test/guest/lib"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
ASM = re.compile(r'\b(__asm__|asm)\s*(__volatile__|volatile)?\s*\(|\bcsr_(read|write|set|clear)\b')


def sources(top, exts=(".c", ".h", ".S")):
    for d, _, files in os.walk(os.path.join(ROOT, top)):
        for f in sorted(files):
            if f.endswith(exts):
                yield os.path.relpath(os.path.join(d, f), ROOT)


def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


def includes(path, idirs):
    """(name, resolved path or None) for each #include "..." of path"""
    text = strip_comments(open(os.path.join(ROOT, path)).read())
    for name in INCLUDE.findall(text):
        found = None
        for d in [os.path.dirname(path)] + idirs:
            cand = os.path.normpath(os.path.join(d, name))
            if os.path.exists(os.path.join(ROOT, cand)):
                found = cand
                break
        yield name, found


def under(path, tops):
    return any(path == t or path.startswith(t.rstrip("/") + "/") for t in tops)


def generic_kernel():
    files = [p for p in sources("kernel") if not p.startswith("kernel/arch/")]
    assert files, "no kernel sources"
    return files


def t_generic_kernel_no_asm():
    bad = [p for p in generic_kernel() if p.endswith((".c", ".h")) and
           ASM.search(strip_comments(open(os.path.join(ROOT, p)).read()))]
    assert not bad, "inline assembly or CSR access outside kernel/arch: %s" % bad


def bad_includes(files, idirs, ok):
    """each '#include "..."' of files that ok(file, resolved path or None) refuses"""
    return ["%s: \"%s\" -> %s" % (p, name, found)
            for p in files for name, found in includes(p, idirs) if not ok(p, found)]


def t_generic_kernel_includes():
    bad = bad_includes(generic_kernel(), KERNEL_I, lambda p, found: found and (
        under(found, ["kernel/include", "lib/include/uapi", "lib/fdt"]) or
        (p == "kernel/include/arch.h" and found == "kernel/arch/riscv/arch_impl.h")))
    assert not bad, "generic kernel code reaches past arch.h, uapi and fdt: %s" % bad


def t_arch_includes():
    bad = bad_includes(sources("kernel/arch"), KERNEL_I,
                       lambda p, found: found and under(found, ["kernel", "lib/include/uapi", "lib/fdt"]))
    assert not bad, "kernel/arch reaches outside the kernel: %s" % bad


def t_servers_meet_in_uapi():
    tops = sorted(d for d in os.listdir(os.path.join(ROOT, "servers"))
                  if os.path.isdir(os.path.join(ROOT, "servers", d)))
    assert len(tops) >= 3, "servers/ has fewer than three servers"
    bad = []
    for top in tops:
        own = "servers/" + top
        bad += bad_includes(sources(own), USER_I, lambda p, found: found and (
            not under(found, ["servers", "kernel"]) or under(found, [own])))
    assert not bad, "a server includes another's or the kernel's header (or one not found): %s" % bad


def t_libsys_below_libc():
    bad = bad_includes(sources("lib/libsys"), USER_I, lambda p, found: not found or not under(found, ["lib/libc"]))
    assert not bad, "libsys includes libc's headers: %s" % bad


run("structure", [("generic_kernel_no_asm", t_generic_kernel_no_asm),
                  ("generic_kernel_includes", t_generic_kernel_includes),
                  ("arch_includes", t_arch_includes),
                  ("servers_meet_in_uapi", t_servers_meet_in_uapi),
                  ("libsys_below_libc", t_libsys_below_libc)])
