#!/usr/bin/env python3
"""Host test: the lists kept in one place stay the same everywhere they are written down.
  - the kernel calls of lib/include/uapi/syscalls.def are docs/kernel-api.md's "### SYS_*"
    sections (each once; grouped by topic there) and its summary table's rows with their
    numbers, in order; each is made
    somewhere (a stub in lib/, or a direct call in servers/ or test/guest/);
  - the proc server's labels (the PROC_* enumeration of lib/include/uapi/proc.h) are
    docs/proc-protocol.md's dispatch-table rows with their numbers, and each has a row in
    its table of messages.
Prints "  PASS host/lists/NAME" or "  FAIL ...: why", then "N passed, N failed"."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostcheck import ROOT, read, run


def syscalls():
    names = re.findall(r"^SYSCALL\(([A-Z_0-9]+),\s*([a-z_0-9]+),", read("lib/include/uapi/syscalls.def"), re.M)
    assert names, "no SYSCALL lines in syscalls.def"
    for upper, lower in names:
        assert upper.lower() == lower, "SYSCALL(%s, %s): the names differ" % (upper, lower)
    return ["SYS_" + u for u, _ in names]


def proc_labels():
    src = read("lib/include/uapi/proc.h")
    body = re.search(r"enum \{\s*PROC_FORKSYS = 1,(.*?)PROC_NMSG", src, re.S)
    assert body, "the PROC_* enumeration not found"
    return ["PROC_FORKSYS"] + re.findall(r"\b(PROC_[A-Z_]+),", body.group(1))


def test_kernel_api_sections():
    want = syscalls()
    got = re.findall(r"^### (SYS_[A-Z_0-9]+)\s*$", read("docs/kernel-api.md"), re.M)
    dup = sorted(n for n in set(got) if got.count(n) > 1)
    assert not dup, "sections written twice: %s" % dup
    assert set(got) == set(want), "sections without a call: %s; calls without a section: %s" % (
        sorted(set(got) - set(want)), sorted(set(want) - set(got)))


def test_kernel_api_summary():
    want = syscalls()
    rows = re.findall(r"^\| (\d+) \| (SYS_[A-Z_0-9]+) \|", read("docs/kernel-api.md"), re.M)
    got = [(int(n), name) for n, name in rows]
    assert got == list(enumerate(want)), "summary rows differ: %s" % [
        r for r in got if r not in list(enumerate(want))][:5]


def test_every_call_is_made():
    srcs = []
    for top in ("lib", "servers", "test/guest"):
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            srcs += [os.path.join(d, f) for f in files if f.endswith((".c", ".h", ".S"))]
    text = "".join(open(p).read() for p in srcs if not p.endswith(("abi.h", "ipctrace.c")))
    missing = [n for n in syscalls() if not re.search(r"\b%s\b" % n, text)]
    assert not missing, "no stub or call for %s" % missing


def test_proc_dispatch_rows():
    want = proc_labels()
    rows = re.findall(r"^\| (\d+) \| `(PROC_[A-Z_]+)` \|", read("docs/proc-protocol.md"), re.M)
    got = [(int(n), name) for n, name in rows]
    assert got == [(i + 1, n) for i, n in enumerate(want)], "dispatch rows differ from proc.h: %s" % [
        r for r in got if r not in [(i + 1, n) for i, n in enumerate(want)]][:5]


def test_proc_message_rows():
    doc = read("docs/proc-protocol.md")
    missing = [n for n in proc_labels() if not re.search(r"^\| `%s` \| " % n, doc, re.M)]
    assert not missing, "no row in the table of messages for %s" % missing


run("lists", [("kernel_api_sections", test_kernel_api_sections),
              ("kernel_api_summary", test_kernel_api_summary),
              ("every_call_is_made", test_every_call_is_made),
              ("proc_dispatch_rows", test_proc_dispatch_rows),
              ("proc_message_rows", test_proc_message_rows)])
