#!/usr/bin/env python3
"""run-guest.py: boot a guest under QEMU, follow its serial console, judge the run.

usage: run-guest.py --name NAME --timeout SECS [--tests] [--expect TEXT ...]
                    [--done-line REGEX] [--grace SECS] [--log-dir DIR] [-v] -- QEMU COMMAND...

The serial output goes to build/test-logs/NAME.log. What counts:
  - each guest line "TEST PASS <name>" / "TEST FAIL <name>: <reason>" is one test, printed
    as "  PASS NAME/<name>" / "  FAIL NAME/<name>: <reason>";
  - "TESTS DONE <npass> <nfail>" (--done-line) ends the run; its counts must agree with the
    lines seen (else one failure named "count"). QEMU is then given --grace seconds to exit
    by itself (virt powers off through SBI) and is ended if it has not (sifive_u does not);
  - each --expect TEXT is one more test, passed if TEXT appears before the end. Without
    --tests the run ends once every TEXT has been seen;
  - a line containing PANIC is a failure ("panic"); so is the wall-clock --timeout
    ("timeout", QEMU killed); so is QEMU exiting before TESTS DONE when --tests says one
    is due ("exit"), or QEMU exiting with a non-zero status by itself ("exit").
The last line printed is "N passed, N failed"; the exit status is 0 only if 0 failed.
"""

import argparse
import os
import re
import signal
import sys
import time

from qemuproc import Tally, end_process

try:
    import pexpect
except ImportError:
    sys.exit("run-guest.py: python3-pexpect is missing (run scripts/deps.sh)")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TEST_RE = re.compile(r"\bTEST (PASS|FAIL) ([^\s:]+)(?::\s*(.*))?")
DONE_RE = r"TESTS DONE (\d+) (\d+)"


class Run(Tally):
    """The tally of one run: guest tests, expects and the runner's own verdicts; the
    guest's own tests are also counted apart, to check them against its done line."""

    def __init__(self, name):
        super().__init__(name)
        self.guest_pass = 0
        self.guest_fail = 0


def parse_args(argv):
    if "--" not in argv:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit("run-guest.py: missing '-- QEMU COMMAND...'")
    sep = argv.index("--")
    cmd = argv[sep + 1:]
    p = argparse.ArgumentParser(
        prog="run-guest.py",
        usage="%(prog)s --name NAME --timeout SECS [--tests] [--expect TEXT ...] "
        "[--done-line REGEX] [--grace SECS] [--log-dir DIR] [-v] -- QEMU COMMAND...")
    p.add_argument("--name", required=True, help="name of the run (log file, test prefix)")
    p.add_argument("--timeout", required=True, type=float, help="wall-clock limit, seconds")
    p.add_argument("--expect", action="extend", nargs="+", default=[], metavar="TEXT",
                   help="text that must appear in the output (one test each)")
    p.add_argument("--tests", action="store_true",
                   help="a TESTS DONE line is due: QEMU exiting before it is a failure")
    p.add_argument("--suites", type=int, default=1, metavar="N",
                   help="the run ends after N done lines (one per in-guest suite); counts add up")
    p.add_argument("--done-line", default=DONE_RE, metavar="REGEX",
                   help="the line that ends the run; if it has two groups they are the "
                   "pass and fail counts to check (default: %(default)r)")
    p.add_argument("--grace", type=float, default=3.0, metavar="SECS",
                   help="after the end, how long QEMU may take to exit by itself "
                   "before it is ended (default: %(default)s)")
    p.add_argument("--log-dir", default=os.path.join(ROOT, "build", "test-logs"))
    p.add_argument("-v", "--verbose", action="store_true", help="also echo the console")
    args = p.parse_args(argv[:sep])
    if not cmd:
        p.error("no QEMU command after '--'")
    if not re.fullmatch(r"[A-Za-z0-9_.+-]+", args.name):
        p.error("--name: letters, digits and _.+- only")
    try:
        args.done_re = re.compile(args.done_line)
    except re.error as e:
        p.error("--done-line: %s" % e)
    return args, cmd


def main(argv):
    args, cmd = parse_args(argv)
    run = Run(args.name)
    os.makedirs(args.log_dir, exist_ok=True)
    log_path = os.path.join(args.log_dir, args.name + ".log")
    log = open(log_path, "w", encoding="utf-8", errors="replace")
    log.write("# %s\n" % " ".join(cmd))

    expects = {t: False for t in args.expect}
    start = time.monotonic()
    deadline = start + args.timeout
    done = None          # the last done line's match, once all suites are done
    suites = {"seen": 0, "pass": 0, "fail": 0}
    panic = None         # the first PANIC line
    timed_out = False
    exited = False       # QEMU exited by itself (EOF on the console)
    partial = ""

    try:
        child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                              echo=False)
    except pexpect.ExceptionPexpect as e:
        log.close()
        run.fail("spawn", str(e))
        return run.finish()

    def line_seen(line):
        nonlocal done, panic
        log.write(line + "\n")
        log.flush()
        if args.verbose:
            print("| " + line, flush=True)
        for text, seen in expects.items():
            if not seen and text in line:
                expects[text] = True
        if done is not None:
            return  # after the end: logged, not judged
        m = TEST_RE.search(line)
        if m:
            verdict, test, reason = m.groups()
            if verdict == "PASS":
                run.guest_pass += 1
                run.ok(test)
            else:
                run.guest_fail += 1
                run.fail(test, reason or "(no reason given)")
        if panic is None and "PANIC" in line:
            panic = line.strip()
        m = args.done_re.search(line)
        if m:
            suites["seen"] += 1
            if len(m.groups()) >= 2:
                try:
                    suites["pass"] += int(m.group(1))
                    suites["fail"] += int(m.group(2))
                except (TypeError, ValueError):
                    suites["pass"] = -1
            if suites["seen"] >= args.suites:
                done = m

    def finished():
        if done is not None or panic is not None:
            return True
        return bool(expects) and not args.tests and all(expects.values())

    # Follow the console until the end, a panic, QEMU's exit or the deadline.
    while not finished():
        now = time.monotonic()
        if now >= deadline:
            timed_out = True
            break
        try:
            data = child.read_nonblocking(4096, timeout=min(0.5, deadline - now))
        except pexpect.TIMEOUT:
            continue
        except pexpect.EOF:
            exited = True
            break
        partial += data.replace("\r", "")
        *lines, partial = partial.split("\n")
        for line in lines:
            line_seen(line)  # all of them: lines after the end are still logged
        for text, seen in expects.items():
            if not seen and text in partial:
                expects[text] = True   # a prompt waits without a newline
        if panic is None and done is None and "PANIC" in partial:
            panic = partial.strip()  # a panic that hangs before its newline

    killed = False       # we ended QEMU (timeout, or still running after the end)
    if timed_out:
        end_process(child)
        killed = True
    elif not exited:
        # The end, or a panic: give QEMU --grace seconds to power off by itself (virt),
        # logging what it still prints, then end it (sifive_u; a panic that hangs).
        grace_end = time.monotonic() + args.grace
        while time.monotonic() < grace_end:
            try:
                data = child.read_nonblocking(4096, timeout=0.2)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                break
            partial += data.replace("\r", "")
            *lines, partial = partial.split("\n")
            for line in lines:
                line_seen(line)
        if child.isalive():
            end_process(child)
            killed = True
    if partial:
        line_seen(partial)
    child.close(force=True)
    status = child.exitstatus
    elapsed = time.monotonic() - start
    log.write("# %s after %.1f s, exit status %s, signal %s\n" %
              ("timed out" if timed_out else "ended", elapsed, status, child.signalstatus))
    log.close()

    # Verdicts, in a fixed order.
    for text, seen in expects.items():
        if seen:
            run.ok('expect "%s"' % text)
        else:
            run.fail('expect "%s"' % text, "not seen")
    if panic is not None:
        run.fail("panic", panic)
    if timed_out:
        run.fail("timeout", "no end after %g s (QEMU killed)" % args.timeout)
    if done is not None and len(done.groups()) >= 2:
        npass, nfail = suites["pass"], suites["fail"]
        if npass < 0:
            npass = nfail = None
        if (npass, nfail) != (run.guest_pass, run.guest_fail):
            run.fail("count", "guest says %s passed, %s failed; saw %d passed, %d failed" %
                     (npass, nfail, run.guest_pass, run.guest_fail))
    if done is None and args.tests and not timed_out and panic is None:
        run.fail("exit", "QEMU exited (status %s) before the done line" % status)
    elif not killed and status not in (0, None):
        run.fail("exit", "QEMU exited with status %s" % status)
    return run.finish(log_path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
