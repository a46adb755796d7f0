"""What the python host tests share: run named checks, print one line each
("  PASS host/SUITE/NAME" or "  FAIL host/SUITE/NAME: why"), then
"N passed, N failed", and exit 1 if any failed."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def run(suite, tests):
    """tests: (name, function) pairs; a function fails by raising AssertionError"""
    failed = 0
    for name, fn in tests:
        try:
            fn()
            print("  PASS host/%s/%s" % (suite, name))
        except AssertionError as e:
            failed += 1
            print("  FAIL host/%s/%s: %s" % (suite, name, str(e) or "assertion failed"))
    print("%d passed, %d failed" % (len(tests) - failed, failed))
    sys.exit(1 if failed else 0)
