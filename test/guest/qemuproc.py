"""What the guest runners share: ending a QEMU started under pexpect."""
import os
import signal
import time


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
