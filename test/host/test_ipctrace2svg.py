#!/usr/bin/env python3
"""Host test of scripts/ipctrace2svg.py on a saved `ipctrace true` (docs/ipctrace-true.txt):
the SVG is well-formed XML with one arrow per event, lifelines in the documented order,
kernel calls left out on request, and a text without a table is refused.
Prints "  PASS host/ipctrace2svg/NAME" or "  FAIL ...: why", then "N passed, N failed"."""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostcheck import ROOT, run
import importlib.util
spec = importlib.util.spec_from_file_location("i2s", os.path.join(ROOT, "scripts", "ipctrace2svg.py"))
i2s = importlib.util.module_from_spec(spec)
spec.loader.exec_module(i2s)

SAMPLE = os.path.join(ROOT, "docs", "ipctrace-true.txt")
NS = "{http://www.w3.org/2000/svg}"


def sample():
    # as it comes off the serial line: CRs, other output around the table
    text = open(SAMPLE).read()
    return "boot noise\r\n$ ipctrace true\r\n" + text.replace("\n", "\r\n") + "$ \r\n"


def arrows(svg):
    root = ET.fromstring(svg)
    return [e for e in root.iter() if e.get("class") == "msg"]


def t_parse():
    title, ev = i2s.parse(sample())
    assert title.startswith("fork+exec+wait of true"), title
    n = int(re.search(r"(\d+) events", title).group(1))
    assert len(ev) == n, "%d rows for %d events" % (len(ev), n)
    assert [e[0] for e in ev] == list(range(1, n + 1)), "rows out of order"
    assert re.fullmatch(r"ipctrace\[\d+\]", ev[0][3]), ev[0]
    assert ev[0][4:] == ("proc", "call forksys"), ev[0]


def t_svg():
    title, ev = i2s.parse(sample())
    svg = i2s.render(title, ev)
    a = arrows(svg)
    assert len(a) == len(ev), "%d arrows for %d events" % (len(a), len(ev))
    dashed = [e for e in a if e.get("stroke-dasharray")]
    replies = [e for e in ev if e[5].startswith("reply") and e[4] != "kernel"]
    assert len(dashed) == len(replies), "%d dashed, %d replies" % (len(dashed), len(replies))


def t_order():
    _, ev = i2s.parse(sample())
    parts = i2s.participants(ev)
    parent, child = (re.search(r"\[(\d+)\]", p).group(1) for p in parts[:2])
    assert parts == ["ipctrace[%s]" % parent, "ipctrace[%s]" % child, "true[%s]" % child,
                     "proc", "fs", "kernel"], parts
    assert parent != child, parts


def t_no_kernel():
    title, ev = i2s.parse(sample())
    a = arrows(i2s.render(title, ev, no_kernel=True))
    msgs = [e for e in ev if e[4] != "kernel"]
    assert len(a) == len(msgs) == 12, "%d arrows, %d messages" % (len(a), len(msgs))


def t_cli():
    script = os.path.join(ROOT, "scripts", "ipctrace2svg.py")
    ok = subprocess.run([sys.executable, script, SAMPLE], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("<svg"), ok.stderr
    bad = subprocess.run([sys.executable, script], input="no table here\n", capture_output=True,
                         text=True)
    assert bad.returncode == 1 and "no ipctrace table" in bad.stderr, (bad.returncode, bad.stderr)


run("ipctrace2svg", [("parse", t_parse), ("svg", t_svg), ("order", t_order),
                     ("no_kernel", t_no_kernel), ("cli", t_cli)])
