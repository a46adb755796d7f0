#!/usr/bin/env python3
"""console-input.py: test the console's input path from the outside: bytes typed into the
UART -> receive interrupt -> PLIC -> notification -> console server -> a program's read.

usage: console-input.py --platform virt|sifive_u [--timeout SECS] [--log-dir DIR] [-v]

Boots scripts/run-qemu.sh --platform P with no -append, to the shell's "$ " prompt, and
runs the demo program `hello` from it: it prints "hello from user space", then a "> "
prompt, reads a line and prints "you typed: <line>". Each check types into QEMU's serial
console and waits for the answer and the next prompt:
  prompt     the shell's prompt; "hello" typed at it: the greeting and hello's prompt
  line       "abc\\r"                  -> "you typed: abc"
  backspace  "abx\\x7fc\\r" (DEL)        -> "you typed: abc"
  two-lines  "one\\rtwo\\r" in one write  -> "you typed: one", then "you typed: two"
  long-line  200 characters and "\\r" in one write -> all 200 come back, in order.
             hello reads with fgets into a 128-byte buffer, so it answers such a line in
             pieces ("you typed: " + 127 characters, then the other 73); the check is that
             the pieces, joined, are the line typed (nothing lost, doubled or reordered
             in the console server's 256-byte line buffer or the 16-byte UART FIFO).
Everything is sent in one write, without delays: QEMU's UART models only take bytes from
the host while their receive FIFO has room, so nothing is dropped if the console server
keeps draining it (it empties the FIFO on every interrupt).

The serial output, with what was typed as "# sent" lines, goes to
build/test-logs/console-input-P.log. Each check prints "  PASS console-input/P/NAME" or
"  FAIL console-input/P/NAME: reason"; the last line is "N passed, N failed" and the exit
status is 0 only if 0 failed. The whole run has a wall-clock --timeout, and QEMU is ended
at the end (hello never exits).
"""

import argparse
import os
import re
import signal
import sys
import time

from qemuproc import SerialConsole, Stop, run_checks

try:
    import pexpect
except ImportError:
    sys.exit("console-input.py: python3-pexpect is missing (run scripts/deps.sh)")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STEP = 20.0           # seconds one check may wait for an answer (within --timeout)
PROMPT = "> "
TYPED_RE = re.compile(r"you typed: (.*)\n")


class Console(SerialConsole):
    """The serial console, with hello's conventions: "> " prompts, "you typed:" answers."""

    def __init__(self, child, log, deadline, verbose):
        super().__init__(child, log, deadline, verbose, STEP)

    def prompt(self):
        self.expect(re.compile(re.escape(PROMPT)), "prompt %r" % PROMPT)

    def answers(self, nchars=None, nlines=None):
        """The program's next "you typed:" lines: nlines of them, or as many as it takes
        to make up nchars characters (fewer if no more come within a few seconds, so a
        short answer is reported as such rather than as a timeout)."""
        got = []
        def more():
            return len(got) < nlines if nlines is not None else sum(map(len, got)) < nchars
        while more():
            try:
                got.append(self.expect(TYPED_RE, '"you typed:" line',
                                       step=STEP if nlines is not None or not got else 3.0)
                           .group(1))
            except TimeoutError:
                if not got or nlines is not None:
                    raise
                break
        return got

    def resync(self):
        """After a failed check: end any half-typed line and skip to a fresh prompt."""
        self.send("\r")
        time.sleep(0.5)
        try:
            while time.monotonic() < self.deadline:
                self.expect(re.compile(re.escape(PROMPT)), "prompt", step=1.0)
        except TimeoutError:
            pass
        self.buf = ""


# ---- the checks: each raises AssertionError (wrong answer) or TimeoutError ----

def check_prompt(con):
    con.expect(re.compile(r"\$ "), "the shell's prompt", step=90)
    con.send("hello\r")
    con.expect(re.compile("hello from user space"), '"hello from user space"')
    con.prompt()


def one_line(con, typed, want):
    con.send(typed)
    got = con.answers(nlines=1)[0]
    if got != want:
        raise AssertionError("typed %r, got back %r, want %r" % (typed, got, want))
    con.prompt()


def check_line(con):
    one_line(con, "abc\r", "abc")


def check_backspace(con):
    one_line(con, "abx\x7fc\r", "abc")


def check_two_lines(con):
    con.send("one\rtwo\r")
    got = con.answers(nlines=2)
    if got != ["one", "two"]:
        raise AssertionError("typed 'one' and 'two' at once, got back %r" % got)
    con.prompt()


def check_long_line(con):
    line = "".join(chr(ord("a") + i % 26) for i in range(200))
    con.send(line + "\r")
    got = con.answers(nchars=len(line))
    con.note("long line came back in %d piece(s) of %s characters" %
             (len(got), "+".join(str(len(g)) for g in got)))
    joined = "".join(got)
    if joined != line:
        i = next((i for i, (a, b) in enumerate(zip(joined, line)) if a != b),
                 min(len(joined), len(line)))
        raise AssertionError("200 characters typed, %d came back (pieces %s), first "
                             "difference at %d: %r" % (len(joined),
                                                      "+".join(str(len(g)) for g in got),
                                                      i, joined[i:i + 16]))
    con.prompt()


CHECKS = [("prompt", check_prompt), ("line", check_line), ("backspace", check_backspace),
          ("two-lines", check_two_lines), ("long-line", check_long_line)]


def main(argv):
    p = argparse.ArgumentParser(prog="console-input.py",
                                description="test the console input path in QEMU")
    p.add_argument("--platform", required=True, choices=["virt", "sifive_u"])
    p.add_argument("--timeout", type=float, default=120.0,
                   help="wall-clock limit for the whole run, seconds (default: %(default)s)")
    p.add_argument("--kernel", help="kernel image (run-qemu.sh's default: build/kernel.elf)")
    p.add_argument("--log-dir", default=os.path.join(ROOT, "build", "test-logs"))
    p.add_argument("-v", "--verbose", action="store_true", help="also echo the console")
    args = p.parse_args(argv)

    cmd = [os.path.join(ROOT, "scripts", "run-qemu.sh"), "--platform", args.platform]
    if args.kernel:
        cmd += ["--kernel", os.path.abspath(args.kernel)]
    return run_checks("console-input/%s" % args.platform, cmd, CHECKS,
                      lambda child, log, deadline: Console(child, log, deadline, args.verbose),
                      os.path.join(args.log_dir, "console-input-%s.log" % args.platform),
                      args.timeout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
