#!/usr/bin/env python3
"""ipctrace2svg.py: draw what `ipctrace` printed as an SVG sequence diagram.

usage: ipctrace2svg.py [-o OUT.svg] [--no-kernel] [--title TEXT] [LOG]

LOG is any text holding one ipctrace table (a saved serial console log will do; the
table is the lines between "ipctrace: ... events" and "ipctrace: end"); standard input
if not given.  Each thread (or server) gets a lifeline, in the order they first appear,
with "kernel" last; each message is an arrow from sender to receiver (replies dashed),
each kernel call an arrow into the kernel's lifeline with its status.  --no-kernel
leaves the kernel calls out.  Exit status 1 if no table was found.
"""
import argparse
import html
import re
import sys

ROW = re.compile(r"^\s*(\d+)\s+(\d+\.\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*?)\s*$")
HEAD = re.compile(r"^ipctrace: (.*) events")
END = re.compile(r"^ipctrace: end")

COL_W = 150          # between lifelines
ROW_H = 22           # between events
TOP = 70             # title and participant boxes
LEFT = 110           # the time column


def parse(text):
    """(title, [(n, time_us, hart, from, to, what)]) of the first table in text."""
    title, events, inside = None, [], False
    for line in text.replace("\r", "").splitlines():
        if not inside:
            m = HEAD.match(line)
            if m:
                title, inside = line[len("ipctrace: "):], True
            continue
        if END.match(line):
            break
        m = ROW.match(line)
        if m:
            n, t, hart, frm, to, what = m.groups()
            events.append((int(n), float(t), int(hart), frm, to, what))
    return title, events


def participants(events):
    """Processes ("name[pid]") first, then the servers, each in order of appearance;
    the kernel last."""
    order = []
    for _, _, _, frm, to, _ in events:
        for p in (frm, to):
            if p not in order and p != "kernel":
                order.append(p)
    order = [p for p in order if "[" in p] + [p for p in order if "[" not in p]
    if any(e[4] == "kernel" for e in events):
        order.append("kernel")
    return order


def render(title, events, no_kernel=False):
    if no_kernel:
        events = [e for e in events if e[4] != "kernel"]
    parts = participants(events)
    x = {p: LEFT + 40 + i * COL_W for i, p in enumerate(parts)}
    width = LEFT + 40 + max(len(parts) - 1, 0) * COL_W + 120
    height = TOP + 30 + len(events) * ROW_H + 30
    out = []
    w = out.append
    w('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
      'font-family="monospace" font-size="11">' % (width, height))
    w('<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="3" '
      'orient="auto"><path d="M0,0 L7,3 L0,6 z" fill="#333"/></marker></defs>')
    w('<rect width="100%" height="100%" fill="white"/>')
    w('<text x="10" y="20" font-size="13" font-weight="bold">%s</text>'
      % html.escape("ipctrace: " + (title or "")))
    w('<text x="10" y="%d" fill="#666">time (us)</text>' % (TOP + 14))
    for p in parts:
        fill = "#fde9c8" if p == "kernel" else "#dbe8f7" if "[" not in p else "#e6f4dc"
        w('<rect class="participant" x="%d" y="%d" width="130" height="24" rx="4" fill="%s" '
          'stroke="#555"/>' % (x[p] - 65, TOP - 4, fill))
        w('<text x="%d" y="%d" text-anchor="middle">%s</text>' % (x[p], TOP + 12, html.escape(p)))
        w('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#aaa" stroke-dasharray="2,3"/>'
          % (x[p], TOP + 20, x[p], height - 10))
    for i, (n, t, hart, frm, to, what) in enumerate(events):
        y = TOP + 40 + i * ROW_H
        w('<text x="10" y="%d" fill="#666">%9.1f</text>' % (y + 4, t))
        x1, x2 = x[frm], x[to]
        dash = ' stroke-dasharray="5,3"' if what.startswith("reply") and to != "kernel" else ""
        colour = "#b36b00" if to == "kernel" else "#1f4e99" if not dash else "#4a7a2a"
        if x1 == x2:            # to itself: a small loop
            w('<path class="msg" d="M%d,%d h30 v8 h-26" fill="none" stroke="%s"%s '
              'marker-end="url(#arrow)"/>' % (x1, y - 4, colour, dash))
        else:
            w('<line class="msg" x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"%s '
              'marker-end="url(#arrow)"/>' % (x1, y, x2 + (-6 if x2 > x1 else 6), y, colour, dash))
        lx = (x1 + x2) // 2 if x1 != x2 else x1 + 36
        w('<text x="%d" y="%d" text-anchor="%s" fill="%s">%s</text>'
          % (lx, y - 4, "middle" if x1 != x2 else "start", colour, html.escape(what)))
    w("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(prog="ipctrace2svg.py", description=__doc__.splitlines()[0])
    ap.add_argument("log", nargs="?", help="text with an ipctrace table (default: stdin)")
    ap.add_argument("-o", "--output", help="SVG file to write (default: stdout)")
    ap.add_argument("--no-kernel", action="store_true", help="leave kernel calls out")
    ap.add_argument("--title", help="title instead of the table's own header")
    a = ap.parse_args(argv)
    text = open(a.log, encoding="utf-8", errors="replace").read() if a.log else sys.stdin.read()
    title, events = parse(text)
    if not events:
        print("ipctrace2svg.py: no ipctrace table found", file=sys.stderr)
        return 1
    svg = render(a.title or title, events, a.no_kernel)
    if a.output:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write(svg)
    else:
        sys.stdout.write(svg)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
