"""What the guest runners share: ending a QEMU started under pexpect, reading its serial console."""
import os
import re
import signal
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def end_process(child):
    """End child's whole process group: SIGTERM, then SIGKILL if it lingers.

    pexpect made the child a session and process-group leader, so ending the group also
    ends a QEMU behind a wrapper script that did not exec it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 2.0
        while child.isalive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if not child.isalive():
            return


class Stop(Exception):
    """The run cannot go on: QEMU exited, the guest panicked, or the time is up."""


class SerialConsole:
    """QEMU's serial console under pexpect: what it printed that no check has consumed
    yet (in buf, carriage returns dropped), everything also written to log, a guest
    panic or QEMU's exit raised as Stop."""

    def __init__(self, child, log, deadline, verbose, step):
        self.child = child
        self.log = log
        self.deadline = deadline
        self.verbose = verbose
        self.step = step         # seconds expect() waits unless told
        self.buf = ""

    def note(self, text):
        self.log.write("\n# %s\n" % text)
        self.log.flush()

    def send(self, text):
        self.note("sent %r" % text)
        self.child.send(text)

    def _read(self, timeout):
        import pexpect
        try:
            data = self.child.read_nonblocking(4096, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            raise Stop("QEMU exited")
        data = data.replace("\r", "")
        self.log.write(data)
        self.log.flush()
        if self.verbose:
            sys.stdout.write(data)
            sys.stdout.flush()
        self.buf += data
        m = re.search(r"[^\n]*PANIC[^\n]*", self.buf)
        if m:
            raise Stop("guest panic: %s" % m.group(0).strip())

    def expect(self, pattern, what, step=None):
        """Wait for pattern (a compiled regex), consume the output up to its end, return
        the match. Raises TimeoutError after step seconds, Stop past the deadline."""
        step = self.step if step is None else step
        end = min(time.monotonic() + step, self.deadline)
        while True:
            m = pattern.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            now = time.monotonic()
            if now >= end:
                if now >= self.deadline:
                    raise Stop("wall-clock timeout waiting for %s" % what)
                raise TimeoutError("no %s within %g s (got %r)" % (what, step, self.buf[-200:]))
            self._read(min(0.2, end - now))


class Tally:
    """The verdicts of one run: each printed as "  PASS prefix/name" or
    "  FAIL prefix/name: why"; finish() closes with "N passed, N failed"."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.passed = 0
        self.failed = 0

    def ok(self, name):
        self.passed += 1
        print("  PASS %s/%s" % (self.prefix, name), flush=True)

    def fail(self, name, reason):
        self.failed += 1
        print("  FAIL %s/%s: %s" % (self.prefix, name, reason), flush=True)

    def verdict(self, name, reason=None):
        if reason is None:
            self.ok(name)
        else:
            self.fail(name, reason)

    def finish(self, log_path=None):
        """print where the log is (if anything failed) and the closing line; the exit status"""
        if self.failed and log_path:
            rel = os.path.relpath(log_path)
            print("  log: %s" % (log_path if rel.startswith("..") else rel))
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 0 if self.failed == 0 else 1


def run_checks(prefix, cmd, checks, make_console, log_path, timeout, header=""):
    """Start cmd (QEMU) under pexpect and run checks, a list of (name, fn(console)), in
    order, each printing "  PASS prefix/name" or "  FAIL prefix/name: why"; then
    "N passed, N failed".  A check fails by AssertionError or TimeoutError; then the
    console's resync() brings it back to a known state.  A failing first check, a Stop
    (QEMU gone, panic, --timeout) or a failed resync leaves the rest "not run".  QEMU is
    ended at the end.  Returns the exit status: 0 only if nothing failed."""
    import pexpect
    tally = Tally(prefix)
    verdict = tally.verdict

    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    start = time.monotonic()
    with open(log_path, "w", encoding="utf-8", errors="replace") as log:
        log.write("# %s\n%s" % (" ".join(cmd), header))
        try:
            child = pexpect.spawn(cmd[0], cmd[1:], cwd=ROOT, encoding="utf-8",
                                  codec_errors="replace", echo=False)
        except pexpect.ExceptionPexpect as e:
            for name, _ in checks:
                verdict(name, "QEMU did not start: %s" % e)
            return tally.finish()
        con = make_console(child, log, start + timeout)
        stopped = None
        try:
            for i, (name, check) in enumerate(checks):
                if stopped is not None:
                    verdict(name, "not run: %s" % stopped)
                    continue
                con.note("check %s" % name)
                try:
                    check(con)
                    verdict(name)
                except (AssertionError, TimeoutError) as e:
                    verdict(name, str(e))
                    if i == 0:
                        stopped = "the first check failed"
                        continue
                    try:
                        con.resync()
                    except Stop as e:
                        stopped = str(e)
                    except (AssertionError, TimeoutError) as e:
                        stopped = "cannot get back to a prompt: %s" % e
                except Stop as e:
                    stopped = str(e)
                    verdict(name, stopped)
        finally:
            end_process(child)
            child.close(force=True)
            log.write("\n# ended after %.1f s\n" % (time.monotonic() - start))
    return tally.finish(log_path)
