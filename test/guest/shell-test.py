#!/usr/bin/env python3
"""shell-test.py: drive the shell over the serial line as a user would type at it.

usage: shell-test.py --platform virt|sifive_u [--smp N] [--timeout SECS] [--kernel FILE]
                     [--log-dir DIR] [-v]

Boots scripts/run-qemu.sh --platform P to init's shell (/bin/sh, prompt "$ ") and types
command lines at it.  The console echoes what is typed, so each command is run as: send the
line and "\\r", consume its echo, then take everything up to the next prompt at the start of
a line as the command's output.  Where a check looks for text anywhere in the output, the
typed line splits the text with quotes (echo al''ive-MARK prints alive-MARK), so the echo of
the command can never be taken for its output.

The checks (each asserts something that can fail):
  prompt            the shell's first prompt; `echo $$` names the shell
  redirect-pipe     > >> < and a three-stage pipeline give exactly the bytes written
  redirect-stderr   2> sends an error message into a file, not to the console; /dev/null
                    takes output and reads as empty
  ls-tmp            ls /tmp lists the new file
  rm                rm, then cat of the file: one error line, ls no longer lists it
  status            false; echo $?  /  true && .. || ..  /  false && .. || ..  /  ;
  bg-wait           `sleep 3 &` gives [n] pid, jobs says Running, ps has it, wait waits
                    for it, $? 0, jobs then empty
  ctrl-c            ^C ends a foreground sleep, not the shell; $? 130; the shell answers
  ctrl-c-prompt     ^C while a line is half typed at the prompt: the line is dropped (it
                    never runs), a new prompt comes, $? 130
  ctrl-c-pipeline   ^C ends both processes of `sleep 100 | cat`
  ctrl-backslash    ^\\ ends a foreground sleep with "Quit", $? 131
  ctrl-z-fg         ^Z stops a sleep: "Stopped", $? 128+TSTP, jobs, ps state T, own group;
                    fg resumes it, ^C ends it, jobs empty, gone from ps
  ctrl-z-bg         ^Z, bg: running again (ps not T); kill pid: "Terminated"; jobs empty
  ctrl-z-kill       ^Z, kill -KILL pid: the stopped job ends ("Killed"); jobs empty
  ps-relations      `sleep 30 &`: in ps its PPID is the shell, PGID its own pid, SID the
                    shell's; the shell's PPID is init (1), it leads its session and group
  ptree             init -> sh -> sleep nesting, whole tree and `ptree <pid>`
  prctl-limit       in `newtask -v -p 1 sh` (project 0 has no limits): with a `sleep &`,
                    task.max-processes lowered to the task's 2 processes; the next fork
                    fails with one "sh: fork: ..." line, builtins work; after fg + ^C one
                    slot is free and a command runs; prctl shows 2; raised back to max (uid
                    0), a 3-process pipeline runs; forkstat's cap counter went up
  bombs             `/test/bomb fork 12 &` (a task of its own, task.max-processes 12, every
                    process forking for ever) and `/test/bomb lwp 12 &` (task.max-lwps 12,
                    SYS_THREAD_CREATE refused, pthreads spinning): ps shows exactly 12
                    processes / lwps in its group, the shell answers echo three times
                    meanwhile (the slowest answer is noted), kill -KILL of the group ends it
  bad-syntax        `echo (`, `| cat`, `echo "unterminated`: one message each, $? 2
  bad-command       nosuchcmd: "not found", $? 127
  bad-file          cat /nonexistent: one message, $? 1
  bad-cd            cd /nonexistent: one message, the directory stays
  bad-redirect      echo x > /nodir/f: one message, nothing written
  bad-kill          kill of a pid that does not exist, and of "abc": one message each
  bad-jobspec       fg, bg without jobs, wait %9: one message each
  exec-notelf       /test/notelf (text): "Exec format error", $? 126
  exec-truncated    /test/truncated (the first 100 bytes of an ELF): the same
  exec-missing      /bin/nosuch: "No such file or directory", $? 127
  exec-relative     cd /bin; ./echo runs echo (a path relative to the directory)
  exec-e2big        an environment above the 16 KiB argument limit: the next exec fails with
                    one "Arg list too long" line and the shell goes on.  (argv alone cannot
                    get past the limit from the console: a command's expanded words are at
                    most 8 KiB in this shell; the environment grown by doubling can.)
  sh-c              sh -c 'echo ..; exit 3'; echo $? -> the text and 3; $0 and $1
  script            a script written with echo >, run by `sh file arg`: output, $1, $?, exit
  nested-sh         `sh` from the shell: a new pid whose PPID is the shell, its own group,
                    the same session (there is no setsid tool); exit 4 returns to the outer
                    shell with $? 4
  setsid            `setsid -w sh -c '...'`: that sh leads a new session and group (ps), and
                    setsid exits with its status; setsid without a command: its usage line
  dirs              mkdir -p, cd, relative paths, cd .., rm -r
  cat-tty           a foreground cat reads a typed line and copies it; ^D ends it, $? 0
  ctrl-z-reader     cat (blocked reading the terminal), ^Z: the next line typed goes to the
                    shell, not to the stopped cat's pending read
  bg-tty-read       `cat & sleep 3; jobs; kill -KILL $!` with a line typed during the sleep:
                    the background cat is stopped (SIGTTIN, jobs says Stopped) and the line
                    is left for the shell, which runs it after
  login-restart     exit 3 from init's shell: init reports it and starts another, which
                    prompts, is a session and group leader under init, and runs jobs (^C)
  sdk-program       /usr/local/bin/sdkcheck (test/sdk/sdkcheck.c, built with the SDK, put in by
                    make test's FILES=): its output line by line and its exit status
  init-guard        /sbin/init typed at the shell: "init: not pid 1 ...", $? 1, the shell goes on
  dash-language     /bin/dash (ports/dash): arithmetic, $(...), if/elif, for, while, case,
                    functions, { } > f, ( cd ), set --, here-documents, read, printf
  dash-glob         dash's *, ?, [...] and a pattern without a match
  dash-jobs         dash: sleep &, jobs, kill %1, wait; ^C; ^Z, fg, ^C
  console-restart   the console server is a process, init's child (ps, ptree); kill -KILL
                    of it: init reports it and starts another (a new pid under init), the
                    shell answers through it, and ^C still ends a foreground job
After a failed check the console is brought back to a fresh prompt of the outer shell
(^C, a new line, `exit` from nested shells, leftover jobs killed), so one failure does not
break the next check.

The serial output, with what was typed as "# sent" lines, goes to
build/test-logs/shell-P.log.  Each check prints "  PASS shell/P/NAME" or
"  FAIL shell/P/NAME: reason"; the last line is "N passed, N failed" and the exit status
is 0 only if 0 failed.  The whole run has a wall-clock --timeout, and QEMU is ended at the
end.
"""

import argparse
import os
import random
import re
import sys
import time

from qemuproc import SerialConsole, Stop, run_checks

try:
    import pexpect
except ImportError:
    sys.exit("shell-test.py: python3-pexpect is missing (run scripts/deps.sh)")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STEP = 20.0                      # seconds one command may take (within --timeout)
PROMPT_AFTER = re.compile(r"\A(|.*?\n)\$ ", re.S)   # output, then a prompt at a line start
MARK = "%04x" % random.randrange(0x10000)            # this run's marker


class Console(SerialConsole):
    """The serial console, with the shell's conventions: typed lines echo, output ends at
    the next prompt."""

    def __init__(self, child, log, deadline, verbose):
        super().__init__(child, log, deadline, verbose, STEP)
        self.outer = None        # the pid of init's shell, the one the checks start in

    def quiet(self, secs):
        """Read (and keep) whatever comes within secs."""
        end = min(time.monotonic() + secs, self.deadline)
        while time.monotonic() < end:
            self._read(min(0.2, end - time.monotonic()))

    def typed(self, line, step=STEP):
        """Type line and Enter; consume its echo."""
        self.send(line + "\r")
        self.expect(re.compile(re.escape(line) + r"\n"), "the echo of %r" % line, step)

    def output(self, what, step=STEP):
        """Everything up to the next prompt at the start of a line (the prompt consumed)."""
        return self.expect(PROMPT_AFTER, "prompt after %s" % what, step).group(1)

    def cmd(self, line, step=STEP):
        """Run one command line; its output (ending in a newline unless empty)."""
        self.typed(line, step)
        return self.output(repr(line), step)

    def lines(self, line, step=STEP):
        return self.cmd(line, step).splitlines()

    def resync(self):
        """After a failed check: end whatever runs in the foreground, end a half-typed line,
        leave nested shells, kill leftover jobs, and come back to a fresh prompt."""
        self.send("\x03")
        time.sleep(0.3)
        self.send("\r")
        time.sleep(0.5)
        try:
            while time.monotonic() < self.deadline:
                self.expect(re.compile(r"\$ "), "prompt", step=1.5)
        except TimeoutError:
            pass
        self.buf = ""
        for _ in range(4):
            me = self.cmd("echo $$", step=8).strip()
            procs = ps_parse(self.cmd("ps", step=8))
            if me.isdigit() and int(me) in procs and procs[int(me)]["ppid"] == 1:
                self.outer = int(me)
                break
            self.note("resync: %s is not init's shell: exit" % me)
            self.send("exit\r")
            self.quiet(1.0)
            self.buf = ""
            self.send("\r")
            self.quiet(1.0)
            self.buf = ""
        # leftovers: the shell's jobs, and orphans of nested shells (now init's)
        left = [p for p, r in ps_parse(self.cmd("ps", step=8)).items()
                if p not in (1, self.outer) and r["cmd"] not in ("ps", "console")]
        if left:
            self.cmd("kill -KILL %s" % " ".join(map(str, left)), step=8)
        self.cmd("jobs", step=8)
        self.cmd("cd /", step=8)


# ---- helpers ----

def want_lines(got, pats, what):
    """got (output text) must be exactly one line per regex of pats, each matching in full."""
    lines = got.splitlines()
    if len(lines) != len(pats) or not all(re.fullmatch(p, l) for p, l in zip(pats, lines)):
        raise AssertionError("%s: got %r, want lines matching %r" % (what, lines, pats))
    return lines


def want_eq(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


PS_ROW = re.compile(r"\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S)\s+(.*)")


def ps_parse(out):
    """ps output -> {pid: {ppid, pgid, sid, uid, lwp, s, cmd}}; AssertionError if malformed."""
    lines = out.splitlines()
    if not lines or lines[0].split() != ["PID", "PPID", "PGID", "SID", "UID", "LWP", "S", "CMD"]:
        raise AssertionError("ps header missing: %r" % lines[:2])
    procs = {}
    for l in lines[1:]:
        m = PS_ROW.fullmatch(l)
        if not m:
            raise AssertionError("ps row not understood: %r" % l)
        pid, ppid, pgid, sid, uid, lwp = (int(x) for x in m.groups()[:6])
        procs[pid] = dict(ppid=ppid, pgid=pgid, sid=sid, uid=uid, lwp=lwp, s=m.group(7),
                          cmd=m.group(8).strip())
    return procs


def ps(con):
    return ps_parse(con.cmd("ps"))


def status(con):
    """$? of the last command, through `echo $?`."""
    out = con.cmd("echo $?").strip()
    if not out.isdigit():
        raise AssertionError("echo $? gave %r" % out)
    return int(out)


def alive(con):
    """The shell reads and runs a command (an external one: it still forks and execs)."""
    out = con.cmd("echo al''ive-%s" % MARK)
    want_lines(out, [re.escape("alive-%s" % MARK)], "echo after the check")


def fg_interrupt(con, text, pause=1.0):
    """Type text (a command that runs until interrupted), wait, send ^C; the output up to
    the prompt, which must come back within a few seconds."""
    con.typed(text)
    time.sleep(pause)                 # let it start and take the terminal
    con.send("\x03")
    return con.output("^C", step=8)


def stop_sleep(con):
    """`sleep 100`, then ^Z: the job's number and pid (checked: Stopped, jobs -l); $? right
    after the ^Z in con.stop_status."""
    con.typed("sleep 100")
    time.sleep(1.0)
    con.send("\x1a")
    out = con.output("^Z", step=8)
    m = re.search(r"^\[(\d+)\]\+ Stopped  sleep 100$", out, re.M)
    if not m:
        raise AssertionError("^Z on sleep 100: no '[n]+ Stopped  sleep 100' line in %r" % out)
    job = m.group(1)
    con.stop_status = status(con)
    out = con.cmd("jobs -l")
    m = re.search(r"^\[%s\]\+ (\d+) Stopped  sleep 100$" % job, out, re.M)
    if not m:
        raise AssertionError("jobs -l after ^Z: job %s not listed as stopped: %r" % (job, out))
    return job, int(m.group(1))


def no_jobs(con, what):
    out = con.cmd("jobs")
    if out.strip():
        raise AssertionError("%s: jobs still lists %r" % (what, out))


# ---- the checks: each raises AssertionError (wrong answer) or TimeoutError ----

def check_prompt(con):
    con.expect(re.compile(r"\$ "), "the shell's first prompt", step=90)
    con.quiet(0.5)
    con.buf = ""
    me = con.cmd("echo $$").strip()
    if not me.isdigit():
        raise AssertionError("echo $$ gave %r" % me)
    con.outer = int(me)
    con.note("the shell is pid %d" % con.outer)


def check_redirect_pipe(con):
    out = con.cmd("echo one two > /tmp/a; echo three >> /tmp/a; cat < /tmp/a | cat | cat")
    want_eq(out, "one two\nthree\n", "cat < /tmp/a | cat | cat")
    out = con.cmd("cat /tmp/a /tmp/a > /tmp/b; cat /tmp/b")
    want_eq(out, "one two\nthree\none two\nthree\n", "cat of two copies through > /tmp/b")
    out = con.cmd("echo four > /tmp/a; cat /tmp/a")
    want_eq(out, "four\n", "> truncates")


def check_redirect_stderr(con):
    out = con.cmd("cat /nonexistent 2> /tmp/err")
    want_eq(out, "", "cat /nonexistent 2> /tmp/err on the console")
    out = con.cmd("cat < /tmp/err")
    want_lines(out, [r"cat: /nonexistent: .+"], "the message caught in /tmp/err")
    # /dev/null swallows output and reads as empty; the status is the command's
    out = con.cmd("cat /nonexistent 2> /dev/null; echo st=$?; echo gone > /dev/null; cat /dev/null")
    want_lines(out, ["st=1"], "2> /dev/null, > /dev/null and cat /dev/null")


def check_ls_tmp(con):
    out = con.cmd("ls /tmp")
    names = out.split()
    if "a" not in names or "b" not in names:
        raise AssertionError("ls /tmp lists %r, want a and b in it" % names)


def check_rm(con):
    want_eq(con.cmd("rm /tmp/a /tmp/b /tmp/err"), "", "rm /tmp/a /tmp/b /tmp/err")
    want_lines(con.cmd("cat /tmp/a"), [r"cat: /tmp/a: No such file or directory"],
               "cat of the removed file")
    names = con.cmd("ls /tmp").split()
    if "a" in names or "b" in names:
        raise AssertionError("ls /tmp still lists %r after rm" % names)
    alive(con)


def check_status(con):
    want_lines(con.cmd("false; echo $?"), ["1"], "false; echo $?")
    want_lines(con.cmd("true; echo $?"), ["0"], "true; echo $?")
    want_lines(con.cmd("/bin/false; echo $?"), ["1"], "/bin/false; echo $?")
    want_lines(con.cmd("true && echo y''es || echo n''o"), ["yes"], "true && .. || ..")
    want_lines(con.cmd("false && echo y''es || echo n''o"), ["no"], "false && .. || ..")
    want_lines(con.cmd("false || false || echo th''ird"), ["third"], "false || false || ..")
    want_lines(con.cmd("true && false && echo n''ot; echo st=$?"), ["st=1"], "&& chain status")
    want_lines(con.cmd("echo a''1; false; echo a''2"), ["a1", "a2"], "a ; list")


def check_bg_wait(con):
    t0 = time.monotonic()
    out = con.cmd("sleep 3 &")
    m = re.fullmatch(r"\[(\d+)\] (\d+)\n", out)
    if not m:
        raise AssertionError("sleep 3 &: want '[n] pid', got %r" % out)
    job, pid = m.group(1), int(m.group(2))
    out = con.cmd("jobs")
    want_lines(out, [r"\[%s\]\+ Running  sleep 3 &" % job], "jobs after sleep 3 &")
    procs = ps(con)
    if pid not in procs or procs[pid]["cmd"] != "sleep" or procs[pid]["s"] in "ZT":
        raise AssertionError("ps: pid %d not a live sleep: %r" % (pid, procs.get(pid)))
    out = con.cmd("wait")
    took = time.monotonic() - t0
    want_eq(out, "", "wait's output")
    con.note("wait came back %.1f s after sleep 3 & started" % took)
    want_lines(con.cmd("echo $?"), ["0"], "$? after wait")
    no_jobs(con, "after wait")
    if pid in ps(con):
        raise AssertionError("pid %d still in ps after wait" % pid)


def check_ctrl_c(con):
    t0 = time.monotonic()
    out = fg_interrupt(con, "sleep 100")
    con.note("prompt back %.1f s after sleep 100 was typed" % (time.monotonic() - t0))
    if "^C" not in out:
        raise AssertionError("no ^C echoed: %r" % out)
    want_lines(con.cmd("echo $?"), ["130"], "$? after ^C")
    alive(con)
    procs = ps(con)
    left = [p for p, r in procs.items() if r["cmd"] == "sleep" and r["ppid"] == con.outer]
    if left:
        raise AssertionError("sleep still in ps after ^C: %r" % left)


def check_ctrl_c_prompt(con):
    con.send("echo nev''er-ran")
    time.sleep(0.5)
    con.send("\x03")
    out = con.output("^C at the prompt", step=8)
    if "^C" not in out or "never-ran" in out:
        raise AssertionError("^C at the prompt: want ^C and no output of the line, got %r" % out)
    want_lines(con.cmd("echo $?"), ["130"], "$? after ^C at the prompt")
    alive(con)


def check_ctrl_c_pipeline(con):
    fg_interrupt(con, "sleep 100 | cat")
    procs = ps(con)
    left = [(p, r["cmd"]) for p, r in procs.items()
            if r["ppid"] == con.outer and r["cmd"] in ("sleep", "cat")]
    if left:
        raise AssertionError("after ^C on sleep 100 | cat, ps still has %r" % left)
    alive(con)


def check_ctrl_backslash(con):
    con.typed("sleep 100")
    time.sleep(1.0)
    con.send("\x1c")
    out = con.output("^\\", step=8)
    if not re.search(r"^Quit$", out, re.M):
        raise AssertionError("^\\ on sleep 100: no 'Quit' line in %r" % out)
    want_lines(con.cmd("echo $?"), ["131"], "$? after ^\\")
    alive(con)


def check_ctrl_z_fg(con):
    job, pid = stop_sleep(con)
    st = con.stop_status
    if st <= 128:
        raise AssertionError("$? after ^Z is %d, want 128 + the signal" % st)
    want_lines(con.cmd("kill -l %d" % st), ["TSTP"], "kill -l of $? after ^Z")
    procs = ps(con)
    r = procs.get(pid)
    if not r or r["s"] != "T" or r["pgid"] != pid or r["ppid"] != con.outer:
        raise AssertionError("ps: stopped sleep %d is %r, want state T, PGID %d, PPID %d"
                             % (pid, r, pid, con.outer))
    con.typed("fg")
    con.expect(re.compile(r"\A(.*\n)?sleep 100\n", re.S), "fg's 'sleep 100'", step=8)
    time.sleep(1.0)
    con.send("\x03")
    con.output("^C after fg", step=8)
    want_lines(con.cmd("echo $?"), ["130"], "$? after fg and ^C")
    no_jobs(con, "after fg and ^C")
    if pid in ps(con):
        raise AssertionError("sleep %d still in ps after fg and ^C" % pid)


def check_ctrl_z_bg(con):
    job, pid = stop_sleep(con)
    out = con.cmd("bg")
    want_lines(out, [r"\[%s\]\+ sleep 100 &" % job], "bg")
    r = ps(con).get(pid)
    if not r or r["s"] == "T":
        raise AssertionError("ps after bg: sleep %d is %r, want it running" % (pid, r))
    out = con.cmd("kill %d" % pid)
    out += con.cmd("jobs")
    if not re.search(r"^\[%s\]\+ Terminated  sleep 100$" % job, out, re.M):
        raise AssertionError("kill %d: no '[%s]+ Terminated  sleep 100' report in %r"
                             % (pid, job, out))
    no_jobs(con, "after kill")


def check_ctrl_z_kill(con):
    job, pid = stop_sleep(con)
    out = con.cmd("kill -KILL %d" % pid)
    out += con.cmd("jobs")
    if not re.search(r"^\[%s\]\+ Killed  sleep 100$" % job, out, re.M):
        raise AssertionError("kill -KILL of the stopped sleep: no '[%s]+ Killed' report in %r"
                             % (job, out))
    no_jobs(con, "after kill -KILL")
    if pid in ps(con):
        raise AssertionError("sleep %d still in ps after kill -KILL" % pid)


def check_ps_relations(con):
    m = re.fullmatch(r"\[\d+\] (\d+)\n", con.cmd("sleep 30 &"))
    if not m:
        raise AssertionError("sleep 30 & did not report [n] pid")
    pid = int(m.group(1))
    con.bg_sleep = pid
    procs = ps(con)
    sh, sl = procs.get(con.outer), procs.get(pid)
    if not sh or sh["cmd"] != "sh":
        raise AssertionError("ps has no sh with the shell's pid %d: %r" % (con.outer, sh))
    if not sl or sl["cmd"] != "sleep":
        raise AssertionError("ps has no sleep with pid %d: %r" % (pid, sl))
    init = procs.get(1)
    if not init or init["cmd"] != "init":
        raise AssertionError("ps: pid 1 is %r, want init" % init)
    errs = []
    if sh["ppid"] != 1:
        errs.append("sh's PPID %d, want init's 1" % sh["ppid"])
    if sh["sid"] != con.outer or sh["pgid"] != con.outer:
        errs.append("sh's SID %d PGID %d, want its pid %d (init's setsid, job control)"
                    % (sh["sid"], sh["pgid"], con.outer))
    if sl["ppid"] != con.outer:
        errs.append("sleep's PPID %d, want the shell's %d" % (sl["ppid"], con.outer))
    if sl["pgid"] != pid:
        errs.append("sleep's PGID %d, want its own pid %d" % (sl["pgid"], pid))
    if sl["sid"] != sh["sid"]:
        errs.append("sleep's SID %d, want the shell's %d" % (sl["sid"], sh["sid"]))
    if sl["s"] in "ZT":
        errs.append("sleep's state %s" % sl["s"])
    psrow = [r for p, r in procs.items() if r["cmd"] == "ps"]
    if len(psrow) != 1 or psrow[0]["ppid"] != con.outer:
        errs.append("ps's own row %r, want one with PPID %d" % (psrow, con.outer))
    if errs:
        raise AssertionError("; ".join(errs))


def ptree_parse(out):
    rows = []
    for l in out.splitlines():
        m = re.fullmatch(r"( *)(\d+) +(\S+)", l)
        if not m or len(m.group(1)) % 2:
            raise AssertionError("ptree line not understood: %r" % l)
        rows.append((len(m.group(1)) // 2, int(m.group(2)), m.group(3)))
    return rows


def ptree_parent(rows, pid):
    """(depth, parent pid) of pid as drawn: the nearest line above it one level up."""
    for i, (d, p, _) in enumerate(rows):
        if p == pid:
            for d2, p2, _ in reversed(rows[:i]):
                if d2 == d - 1:
                    return d, p2
            return d, None
    return None, None


def check_ptree(con):
    pid = getattr(con, "bg_sleep", None)
    if not pid or pid not in ps(con):
        m = re.fullmatch(r"\[\d+\] (\d+)\n", con.cmd("sleep 30 &"))
        if not m:
            raise AssertionError("sleep 30 & did not report [n] pid")
        pid = int(m.group(1))
    for line in ("ptree", "ptree %d" % pid):
        rows = ptree_parse(con.cmd(line))
        d_init, _ = ptree_parent(rows, 1)
        d_sh, up_sh = ptree_parent(rows, con.outer)
        d_sl, up_sl = ptree_parent(rows, pid)
        names = {p: n for _, p, n in rows}
        if (d_init != 0 or names.get(1) != "init" or up_sh != 1 or names.get(con.outer) != "sh"
                or up_sl != con.outer or names.get(pid) != "sleep" or d_sl != d_sh + 1):
            raise AssertionError("%s: want init -> sh %d -> sleep %d, drawn %r"
                                 % (line, con.outer, pid, rows))
    con.cmd("kill %d" % pid)
    con.cmd("wait")
    con.cmd("jobs")


def check_prctl_limit(con):
    def cap():
        m = re.search(r"^cap +(\d+)$", con.cmd("forkstat"), re.M)
        if not m:
            raise AssertionError("forkstat shows no cap counter")
        return int(m.group(1))

    cap0 = cap()
    out = con.cmd("newtask -v -p 1 sh")
    m = re.fullmatch(r"(\d+)\n", out)
    if not m:
        raise AssertionError("newtask -v -p 1 sh: want the task id, got %r" % out)
    task = int(m.group(1))
    inner = int(con.cmd("echo $$").strip())
    r = ps(con).get(inner)
    if inner == con.outer or not r or r["ppid"] != con.outer or r["cmd"] != "sh":
        raise AssertionError("newtask's shell %d: ps row %r, want sh with PPID %d"
                             % (inner, r, con.outer))
    m = re.fullmatch(r"\[\d+\] (\d+)\n", con.cmd("sleep 100 &"))
    if not m:
        raise AssertionError("sleep 100 & in the new task did not report [n] pid")
    # the task has the shell and the sleep: 2 processes (prctl itself is a third, for now)
    want_eq(con.cmd("prctl -n task.max-processes -v 2 -r -i task %d" % task), "",
            "lowering task.max-processes to 2")
    out = con.cmd("/bin/echo for''ked-%s" % MARK)
    want_lines(out, [r"sh: fork: .+"], "a command past the limit")
    con.note("the fork failure reads %r" % out.strip())
    want_lines(con.cmd("cd /tmp"), [], "cd (a builtin) at the limit")
    want_lines(con.cmd("pwd"), ["/tmp"], "pwd (a builtin) at the limit")
    con.cmd("cd /")
    # free a slot without forking: bring the sleep back and ^C it
    con.typed("fg")
    con.expect(re.compile(r"\A(.*\n)?sleep 100\n", re.S), "fg's 'sleep 100'", step=8)
    time.sleep(1.0)
    con.send("\x03")
    con.output("^C after fg", step=8)
    want_lines(con.cmd("/bin/echo ru''ns-%s" % MARK), [re.escape("runs-" + MARK)],
               "a command with a slot free again")
    out = con.cmd("prctl -n task.max-processes -i task %d" % task)
    if not re.search(r"^task\.max-processes\n(?: +usage +\d+\n)? +privileged +2 ", out, re.M):
        raise AssertionError("prctl does not show task.max-processes 2: %r" % out)
    want_eq(con.cmd("prctl -n task.max-processes -v max -r -i task %d" % task), "",
            "raising task.max-processes back to max (uid 0)")
    want_lines(con.cmd("echo th''ree-%s | cat | cat" % MARK), [re.escape("three-" + MARK)],
               "a 3-process pipeline after raising the limit")
    want_eq(con.cmd("exit"), "", "exit from newtask's shell")
    me = con.cmd("echo $$").strip()
    if me != str(con.outer):
        raise AssertionError("after exit, $$ is %s, want the outer shell %d" % (me, con.outer))
    cap1 = cap()
    if cap1 <= cap0:
        raise AssertionError("forkstat cap went from %d to %d, want it to go up" % (cap0, cap1))


def check_bad_syntax(con):
    for line, pat in (("echo (", r"sh: syntax error near '\('"),
                      ("| cat", r"sh: syntax error near '\|'"),
                      ('echo "unterminated', r'sh: syntax error: unterminated "'),
                      ("echo a ||", r"sh: syntax error near 'newline'"),
                      ("cat <", r"sh: syntax error near 'newline'")):
        want_lines(con.cmd(line), [pat], line)
        want_lines(con.cmd("echo $?"), ["2"], "$? after %r" % line)
    alive(con)


def check_bad_command(con):
    want_lines(con.cmd("nosuchcmd; echo st=$?"), [r"sh: nosuchcmd: not found", "st=127"],
               "nosuchcmd")
    alive(con)


def check_bad_file(con):
    want_lines(con.cmd("cat /nonexistent; echo st=$?"),
               [r"cat: /nonexistent: No such file or directory", "st=1"], "cat /nonexistent")
    want_lines(con.cmd("ls /nonexistent"), [r"ls: /nonexistent: .+"], "ls /nonexistent")
    alive(con)


def check_bad_cd(con):
    want_lines(con.cmd("cd /nonexistent; echo st=$?"),
               [r"sh: cd: /nonexistent: No such file or directory", "st=1"], "cd /nonexistent")
    want_lines(con.cmd("cd /test/notelf"), [r"sh: cd: /test/notelf: .+"], "cd to a file")
    want_lines(con.cmd("pwd"), ["/"], "pwd after the failed cd")
    alive(con)


def check_bad_redirect(con):
    want_lines(con.cmd("echo x''y-%s > /nodir/f; echo st=$?" % MARK),
               [r"sh: /nodir/f: No such file or directory", "st=1"], "echo x > /nodir/f")
    want_lines(con.cmd("cat < /nodir/g"), [r"sh: /nodir/g: No such file or directory"],
               "cat < /nodir/g")
    want_lines(con.cmd("pwd > /nodir/h"), [r"sh: /nodir/h: No such file or directory"],
               "pwd (a builtin) > /nodir/h")
    alive(con)


def check_bad_kill(con):
    want_lines(con.cmd("kill 29999; echo st=$?"), [r"kill: 29999: No such process", "st=1"],
               "kill 29999")
    want_lines(con.cmd("kill abc"), [r"kill: abc: not a pid"], "kill abc")
    want_lines(con.cmd("kill -NOSIG 1"), [r"kill: NOSIG: unknown signal"], "kill -NOSIG 1")
    alive(con)


def check_bad_jobspec(con):
    want_lines(con.cmd("fg"), [r"sh: fg: no current job"], "fg with no jobs")
    want_lines(con.cmd("bg"), [r"sh: bg: no current job"], "bg with no jobs")
    want_lines(con.cmd("wait %9"), [r"sh: wait: %9: no such job"], "wait %9")
    alive(con)


def exec_bad(con, path, pat, want_status):
    want_lines(con.cmd("%s; echo st=$?" % path), [pat, "st=%d" % want_status], path)
    alive(con)


def check_exec_notelf(con):
    exec_bad(con, "/test/notelf", r"sh: /test/notelf: Exec format error", 126)


def check_exec_truncated(con):
    exec_bad(con, "/test/truncated", r"sh: /test/truncated: Exec format error", 126)


def check_exec_missing(con):
    exec_bad(con, "/bin/nosuch", r"sh: /bin/nosuch: No such file or directory", 127)


def check_exec_relative(con):
    try:
        con.cmd("cd /bin")
        want_lines(con.cmd("./echo re''l-%s" % MARK), [re.escape("rel-" + MARK)],
                   "cd /bin; ./echo")
        want_lines(con.cmd("../bin/echo re''l2-%s" % MARK), [re.escape("rel2-" + MARK)],
                   "cd /bin; ../bin/echo")
    finally:
        con.cmd("cd /")


def check_exec_e2big(con):
    con.cmd("A=0123456789abcdef")
    for _ in range(4):
        con.cmd("A=$A$A$A$A")             # 16 * 4^4 = 4096 bytes
    for v in "ABCDE":
        out = con.cmd("export %s=$A" % v)
        want_eq(out, "", "export %s=$A (4 KiB)" % v)
    out = con.cmd("echo bi''g-%s" % MARK)
    want_lines(out, [r"sh: echo: (Arg(ument)? list too long|.*E2BIG.*)"],
               "exec with a 20 KiB environment")
    want_eq(con.cmd("unset A B C D E"), "", "unset")
    alive(con)


def check_sh_c(con):
    want_lines(con.cmd("sh -c 'echo inn''er-%s; exit 3'; echo $?" % MARK),
               [re.escape("inner-" + MARK), "3"], "sh -c '...; exit 3'; echo $?")
    want_lines(con.cmd("sh -c 'echo $0-$1-$#' nm a1 a2"), ["nm-a1-2"], "sh -c with $0 $1 $#")
    want_lines(con.cmd("sh -c 'false' && echo n''o || echo y''es"), ["yes"], "sh -c status")


def check_script(con):
    for i, text in enumerate(("echo s1-$1", "false", "echo st=$?", "cat /tmp/s.sh | cat > /tmp/s.out",
                              "exit 5", "echo not-reached")):
        want_eq(con.cmd("echo '%s' %s /tmp/s.sh" % (text, ">" if i == 0 else ">>")), "",
                "writing the script")
    want_lines(con.cmd("sh /tmp/s.sh arg1; echo rc=$?"), ["s1-arg1", "st=1", "rc=5"],
               "sh /tmp/s.sh arg1")
    want_lines(con.cmd("cat /tmp/s.out"),
               [re.escape(t) for t in ("echo s1-$1", "false", "echo st=$?",
                                       "cat /tmp/s.sh | cat > /tmp/s.out", "exit 5",
                                       "echo not-reached")], "what the script's pipeline wrote")
    want_eq(con.cmd("rm /tmp/s.sh /tmp/s.out"), "", "rm of the script")


def check_nested_sh(con):
    con.typed("sh")
    con.output("sh")
    inner = con.cmd("echo $$").strip()
    if not inner.isdigit() or int(inner) == con.outer:
        raise AssertionError("the nested shell's $$ is %r (outer %d)" % (inner, con.outer))
    inner = int(inner)
    procs = ps(con)
    r, o = procs.get(inner), procs.get(con.outer)
    if not r or r["cmd"] != "sh" or r["ppid"] != con.outer or r["pgid"] != inner \
            or r["sid"] != o["sid"]:
        raise AssertionError("nested sh %d in ps: %r, want sh, PPID %d, PGID %d, SID %d"
                             % (inner, r, con.outer, inner, o["sid"]))
    want_lines(con.cmd("echo ne''sted-%s" % MARK), [re.escape("nested-" + MARK)],
               "a command in the nested shell")
    want_eq(con.cmd("exit 4"), "", "exit 4 from the nested shell")
    want_lines(con.cmd("echo $?"), ["4"], "$? after the nested shell's exit 4")
    want_lines(con.cmd("echo $$"), [str(con.outer)], "$$ after the nested shell")
    if inner in ps(con):
        raise AssertionError("nested sh %d still in ps after exit" % inner)


def check_setsid(con):
    out = con.lines("setsid -w sh -c 'echo $$; ps; exit 5'; echo st=$?")
    if len(out) < 3 or not out[0].isdigit() or out[-1] != "st=5":
        raise AssertionError("setsid -w sh -c ...: want its pid, ps, st=5; got %r" % out)
    pid = int(out[0])
    r = ps_parse("\n".join(out[1:-1])).get(pid)
    outer = ps(con).get(con.outer)
    if not r or r["sid"] != pid or r["pgid"] != pid or not outer or outer["sid"] == pid:
        raise AssertionError("the sh under setsid (%d): %r, want SID and PGID %d" % (pid, r, pid))
    want_lines(con.cmd("setsid"), [re.escape("usage: setsid [-w] command [arg...]")],
               "setsid without a command")


def bomb_procs(con, pgid):
    return {pid: r for pid, r in ps(con).items() if r["pgid"] == pgid and r["cmd"] == "bomb"}


def check_bomb(con, kind, n):
    """`bomb KIND N &` fills its task's limit and stays there; the shell answers throughout;
    kill -KILL of its group ends it all."""
    out = con.cmd("/test/bomb %s %d &" % (kind, n))
    m = re.fullmatch(r"\[(\d+)\] (\d+)\n", out)
    if not m:
        raise AssertionError("bomb %s &: want '[n] pid', got %r" % (kind, out))
    pgid = int(m.group(2))                       # it leads a group of its own
    deadline = time.monotonic() + 60
    while True:
        procs = bomb_procs(con, pgid)
        got = len(procs) if kind == "fork" else sum(r["lwp"] for r in procs.values())
        if got == n:
            break
        if got > n or time.monotonic() > deadline:
            raise AssertionError("bomb %s %d: %d %s in its task" % (kind, n, got,
                                 "processes" if kind == "fork" else "lwps"))
        time.sleep(0.5)
    # full, and still trying: the shell answers, and the count holds
    slowest = 0.0
    for _ in range(3):
        t0 = time.monotonic()
        alive(con)
        slowest = max(slowest, time.monotonic() - t0)
        time.sleep(0.5)
    con.note("bomb %s %d: slowest echo %.2f s while it ran" % (kind, n, slowest))
    procs = bomb_procs(con, pgid)
    got = len(procs) if kind == "fork" else sum(r["lwp"] for r in procs.values())
    if got != n:
        raise AssertionError("bomb %s %d: %d after a while" % (kind, n, got))
    con.cmd("kill -KILL -%d" % pgid)
    deadline = time.monotonic() + 30
    while bomb_procs(con, pgid):
        if time.monotonic() > deadline:
            raise AssertionError("bomb %s: its group outlived kill -KILL" % kind)
        time.sleep(0.5)
    con.cmd("wait")
    alive(con)


def check_bombs(con):
    check_bomb(con, "fork", 12)
    check_bomb(con, "lwp", 12)


def check_dirs(con):
    want_eq(con.cmd("mkdir -p /tmp/d/e; echo x''y > /tmp/d/e/f; cd /tmp/d"), "", "mkdir -p, >, cd")
    want_lines(con.cmd("pwd; cat e/f; ls e"), ["/tmp/d", "xy", "f"], "relative paths after cd")
    want_lines(con.cmd("cd ..; pwd; cd /"), ["/tmp"], "cd ..")
    want_eq(con.cmd("rm -r /tmp/d"), "", "rm -r /tmp/d")
    want_lines(con.cmd("ls /tmp/d"), [r"ls: /tmp/d: No such file or directory"], "ls after rm -r")


def check_cat_tty(con):
    con.typed("cat")
    time.sleep(0.5)
    con.send("ab''c\r")
    con.expect(re.compile(r"\Aab''c\nab''c\n"), "the line echoed, then cat's copy", step=8)
    con.send("\x04")
    want_eq(con.output("^D to cat", step=8), "", "cat's output after ^D")
    want_lines(con.cmd("echo $?"), ["0"], "$? of cat ended by ^D")


def check_ctrl_z_reader(con):
    """A stopped job's pending read must not take the next line typed for the shell."""
    con.typed("cat")
    time.sleep(1.0)                   # cat is blocked in read
    con.send("\x1a")
    out = con.output("^Z", step=8)
    if not re.search(r"^\[\d+\]\+ Stopped  cat$", out, re.M):
        raise AssertionError("^Z on cat: no '[n]+ Stopped  cat' line in %r" % out)
    try:
        out = con.cmd("echo sto''pped-%s" % MARK, step=6)
    except TimeoutError:
        raise AssertionError("the line typed after ^Z on a reading cat never reached the "
                             "shell (the stopped cat's pending read took it)")
    want_lines(out, [re.escape("stopped-" + MARK)], "echo after ^Z on cat")
    m = re.search(r"^\[\d+\]\+ (\d+) Stopped  cat$", con.cmd("jobs -l"), re.M)
    if not m:
        raise AssertionError("jobs -l does not list the stopped cat")
    con.cmd("kill -KILL %s" % m.group(1))
    con.cmd("jobs")


def check_bg_tty_read(con):
    """A background job that reads the terminal is stopped (SIGTTIN); what is typed goes to
    the shell.  The line typed during the foreground sleep is read by the shell after it."""
    con.typed("cat & sleep 3; jobs; kill -KILL $!")
    time.sleep(1.0)
    con.send("echo sto''len-%s\r" % MARK)
    first = con.output("cat & sleep 3; ...", step=10)
    try:
        after = con.output("the line typed ahead", step=5)
    except TimeoutError:
        raise AssertionError("the line typed while `cat &` ran in the background never reached "
                             "the shell: the background cat read it (no SIGTTIN); output %r"
                             % first)
    if not re.search(r"^\[\d+\]\+ Stopped  cat", first, re.M):
        raise AssertionError("jobs did not show the background reader stopped: %r" % first)
    want_lines(after, [re.escape("stolen-" + MARK)], "the typed-ahead line run by the shell")


def check_login_restart(con):
    """exit from init's shell: init starts another, which takes the terminal and runs jobs."""
    old = con.outer
    con.typed("exit 3")
    con.expect(re.compile(r"init: the shell exited \(status 3\); starting another\n"),
               "init's report of the shell's exit", step=10)
    con.output("the new shell's prompt", step=15)
    me = con.cmd("echo $$").strip()
    if not me.isdigit() or int(me) == old:
        raise AssertionError("the new shell's $$ is %r (the old one was %d)" % (me, old))
    con.outer = int(me)
    r = ps(con).get(con.outer)
    if not r or r["ppid"] != 1 or r["sid"] != con.outer or r["pgid"] != con.outer:
        raise AssertionError("the new shell %d in ps: %r, want PPID 1, SID and PGID its pid"
                             % (con.outer, r))
    fg_interrupt(con, "sleep 100")
    want_lines(con.cmd("echo $?"), ["130"], "$? after ^C in the new shell (job control)")
    alive(con)


def consoles(con):
    """The console server's pid (exactly one, a child of init)."""
    procs = ps(con)
    found = [p for p, r in procs.items() if r["cmd"] == "console"]
    if len(found) != 1 or procs[found[0]]["ppid"] != 1 or procs[found[0]]["pgid"] != 1:
        raise AssertionError("ps: want one console under init, in init's group: %r"
                             % {p: procs[p] for p in found})
    return found[0]


def check_console_restart(con):
    """The console server is init's child; killed, it is started again and the shell goes on."""
    old = consoles(con)
    tree = con.cmd("ptree")
    if not re.search(r"^1\s+init\n(\s+.*\n)*?  %d\s+console$" % old, tree, re.M):
        raise AssertionError("ptree: console %d not under init: %r" % (old, tree))
    con.typed("kill -KILL %d" % old)
    con.expect(re.compile(r"init: the console server exited \(status 137\); started another\n"),
               "init's report of the console's end", step=15)
    con.quiet(1.0)
    con.buf = ""
    con.send("\r")
    con.quiet(1.0)
    con.buf = ""
    want_lines(con.cmd("echo al''ive-again"), ["alive-again"], "the shell through the new console")
    new = consoles(con)
    if new == old:
        raise AssertionError("the console's pid is still %d after kill -KILL" % old)
    fg_interrupt(con, "sleep 100")
    want_lines(con.cmd("echo $?"), ["130"], "$? after ^C through the new console")
    alive(con)


def trace_events(out, what):
    """The (from, to, what) rows of an ipctrace table, and its header's event count."""
    m = re.search(r"ipctrace: (\w+)\+exec\+wait of true: (\d+) events, (\d+) dropped", out)
    if not m:
        raise AssertionError("%s: no ipctrace header in %r" % (what, out[:200]))
    rows = re.findall(r"^\s*\d+\s+\d+\.\d+\s+\d+\s+(\S+)\s+(\S+)\s+(.*?)\s*$", out, re.M)
    if len(rows) != int(m.group(2)) or m.group(3) != "0":
        raise AssertionError("%s: %d rows for %s events, %s dropped" % (what, len(rows),
                                                                       m.group(2), m.group(3)))
    if not re.search(r"ipctrace: end: \d+ messages, \d+ kernel calls; true exited with "
                     r"status 0", out):
        raise AssertionError("%s: no end line with true's status 0" % what)
    return rows


def in_order(rows, steps, what):
    """Each (from-pattern, to-pattern, what-pattern) step matches a row after the previous."""
    i = 0
    for step in steps:
        while i < len(rows) and not all(re.fullmatch(p, v) for p, v in zip(step, rows[i])):
            i += 1
        if i == len(rows):
            raise AssertionError("%s: no %r after the steps before it" % (what, step))
        i += 1


def check_ipctrace(con):
    """`ipctrace true`: the fork and exec messages, in order, between the right parties."""
    rows = trace_events(con.cmd("ipctrace true", step=30), "ipctrace true")
    me, child = r"ipctrace\[(\d+)\]", r"ipctrace\[\d+\]"
    in_order(rows, [
        (me, "proc", "call forksys"),
        ("proc", "kernel", r"as_clone -> 0"),
        ("proc", "kernel", r"cspace_clone -> 0"),
        ("proc", "fs", "call pfork"),
        ("fs", "proc", "reply pfork"),
        ("proc", "kernel", r"thread_clone -> 0"),
        ("proc", me, "reply forksys"),
        (child, "proc", r"call exec \+\d+ bytes"),
        ("proc", "kernel", r"as_create -> 0"),
        ("proc", "fs", "call pexec"),
        ("proc", "kernel", r"thread_start -> 0"),
        (r"true\[\d+\]", "proc", "call exit"),
        ("proc", "fs", "call pexit"),
        ("proc", me, "reply waitid"),
    ], "ipctrace true")
    # the parent and the child are two processes: the child's pid is not the parent's
    parent = {re.fullmatch(me, f).group(1) for f, t, w in rows if w == "call forksys"}
    kid = {re.search(r"\[(\d+)\]", f).group(1) for f, t, w in rows if w.startswith("call exec")}
    if len(parent) != 1 or len(kid) != 1 or parent == kid:
        raise AssertionError("ipctrace true: parent pids %r, exec pids %r" % (parent, kid))
    # vfork: the parent's reply comes only after the child's exec
    rows = trace_events(con.cmd("ipctrace -v true", step=30), "ipctrace -v true")
    in_order(rows, [(me, "proc", "call forksys"), (child, "proc", r"call exec.*"),
                    ("proc", me, "reply forksys"), ("proc", "kernel", r"thread_start -> 0"),
                    (r"true\[\d+\]", "proc", "call exit")], "ipctrace -v true")
    whats = [w for f, t, w in rows]
    first_exec = next(i for i, w in enumerate(whats) if w.startswith("call exec"))
    if "reply forksys" in whats[:first_exec]:
        raise AssertionError("ipctrace -v true: the parent was answered before the exec")
    want_lines(con.cmd("ipctrace"), ["usage: ipctrace \\[-v\\] command \\[argument...\\]"],
               "ipctrace without a command")


def check_init_guard(con):
    """/sbin/init typed at the shell: one message, status 1, no second shell (the next line
    still goes to this one)."""
    want_lines(con.cmd("/sbin/init"), [r"init: not pid 1 \(pid \d+\): the system's init runs already"],
               "a second init")
    want_eq(status(con), 1, "its exit status")
    alive(con)


def check_sdk_program(con):
    """test/sdk/sdkcheck.c, built with the SDK's riscv64-rvix-gcc and put in by FILES= as
    /usr/local/bin/sdkcheck, found on PATH: its arguments, a 4 MiB heap, fork + pipe + wait,
    a file in /tmp, stdio's %f; it exits 3."""
    got = con.cmd("sdkcheck one 'two three'")
    want_lines(got, [r"args: one two three", r"path: /bin:/usr/local/bin", r"heap: 7168",
                     r"child: 42 through a pipe", r"file: 6\.50", r"tty: 1 0"], "sdkcheck")
    want_eq(status(con), 3, "sdkcheck's exit status")
    want_lines(con.cmd("ls /usr/local/bin"), [r"sdkcheck"], "ls /usr/local/bin")


# ---- dash (ports/dash: Debian's /bin/sh, built with the SDK) at /bin/dash ----

def dash_start(con):
    """Start dash from the login shell; its prompt as root is "# ", made "$ " here."""
    con.typed("dash")
    con.expect(re.compile(r"(?:\A|\n)# "), "dash's first prompt", STEP)
    con.typed("PS1='$ '")
    con.output("PS1 in dash")
    want_lines(con.cmd("echo $0"), [r"dash"], "dash's $0")


def dash_end(con, code=0):
    con.typed("exit %d" % code)
    con.output("exit from dash")
    want_eq(status(con), code, "dash's exit status, in the login shell")


def check_dash_language(con):
    """Arithmetic, $(...), backquotes, if/elif, for, while, case, functions, a { } group
    redirected as one, ( ) keeping cd to itself, set --, a here-document with expansion,
    read from one, printf, test/[."""
    dash_start(con)
    want_lines(con.cmd("echo $((6*7)) $(echo in$(echo ner)) `echo back`"), [r"42 inner back"], "expansions")
    want_lines(con.cmd("x=5; if [ $x -lt 3 ]; then echo small; elif test $x -eq 5; then echo five; else echo other; fi"),
               [r"five"], "if/elif")
    want_lines(con.cmd("for w in a b c; do printf '<%s>' $w; done; echo"), [r"<a><b><c>"], "for, printf")
    want_lines(con.cmd("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i"), [r"3"], "while")
    want_lines(con.cmd("for v in apple kiwi x; do case $v in a*) echo A;; k*|q*) echo K;; *) echo other;; esac; done"),
               [r"A", r"K", r"other"], "case")
    want_lines(con.cmd("f() { echo \"f:$1:$#\"; return 3; }; f one two; echo $?"), [r"f:one:2", r"3"], "function")
    con.cmd("{ echo g1; echo g2; } > /tmp/dash-group")
    want_lines(con.cmd("cat /tmp/dash-group"), [r"g1", r"g2"], "a redirected group")
    want_lines(con.cmd("(cd /bin && pwd); pwd"), [r"/bin", r"/"], "a subshell's cd")
    want_lines(con.cmd("set -- p q r; echo $# $2"), [r"3 q"], "set --")
    con.typed("cat <<EOF")
    con.typed("n=$# x$((1+1))")
    con.typed("EOF")
    want_lines(con.output("here-document"), [r"n=3 x2"], "here-document")
    con.typed("read a b <<EOF")
    con.typed("first second third")
    con.typed("EOF")
    con.output("read")
    want_lines(con.cmd("echo \"$a|$b\""), [r"first\|second third"], "read from a here-document")
    con.cmd("rm /tmp/dash-group")
    dash_end(con, 4)


def check_dash_glob(con):
    """Pathname expansion: *, ?, [...]; a pattern with no match stays as typed."""
    dash_start(con)
    want_lines(con.cmd("cd /bin; echo ec* ?at; cd /"), [r"echo cat"], "* and ?")
    got = con.cmd("echo /bin/[ft]*").split()
    want_eq(got, sorted(got), "glob order")
    if not {"/bin/true", "/bin/false"} <= set(got) or any(not re.match(r"/bin/[ft]", g) for g in got):
        raise AssertionError("echo /bin/[ft]*: got %r" % got)
    want_lines(con.cmd("echo /nomatch*"), [r"/nomatch\*"], "no match")
    dash_end(con)


def check_dash_jobs(con):
    """dash's job control: a background job in jobs, kill %1 ends it (wait: 143); ^C ends a
    foreground sleep ($? 130) and dash goes on; ^Z stops one, fg brings it back, ^C ends it."""
    dash_start(con)
    out = con.cmd("sleep 30 &")
    want_lines(con.cmd("jobs"), [r"\[1\] \+ Running\s+sleep 30"], "jobs")
    con.cmd("kill %1")
    con.cmd("wait")
    out = con.cmd("jobs")
    if out.strip() and not re.fullmatch(r"\[1\] \+ Terminated\s+sleep 30\n", out):
        raise AssertionError("jobs after kill %%1: %r" % out)
    fg_interrupt(con, "sleep 100")
    want_eq(status(con), 130, "$? after ^C")
    con.typed("sleep 100")
    time.sleep(1.0)
    con.send("\x1a")
    out = con.output("^Z in dash")
    if not re.search(r"\[1\] \+ Stopped\s+sleep 100", out):
        raise AssertionError("^Z: no Stopped line in %r" % out)
    want_eq(status(con), 128 + 18, "$? after ^Z (SIGTSTP is 18 here, as in picolibc)")
    con.typed("fg")
    time.sleep(1.0)
    con.send("\x03")
    con.output("^C after fg")
    want_eq(con.cmd("jobs").strip(), "", "jobs at the end")
    dash_end(con)


CHECKS = [("prompt", check_prompt),
          ("redirect-pipe", check_redirect_pipe), ("redirect-stderr", check_redirect_stderr),
          ("ls-tmp", check_ls_tmp), ("rm", check_rm),
          ("status", check_status),
          ("bg-wait", check_bg_wait),
          ("ctrl-c", check_ctrl_c), ("ctrl-c-prompt", check_ctrl_c_prompt),
          ("ctrl-c-pipeline", check_ctrl_c_pipeline),
          ("ctrl-backslash", check_ctrl_backslash),
          ("ctrl-z-fg", check_ctrl_z_fg), ("ctrl-z-bg", check_ctrl_z_bg),
          ("ctrl-z-kill", check_ctrl_z_kill),
          ("ps-relations", check_ps_relations), ("ptree", check_ptree),
          ("prctl-limit", check_prctl_limit),
          ("bombs", check_bombs),
          ("bad-syntax", check_bad_syntax), ("bad-command", check_bad_command),
          ("bad-file", check_bad_file), ("bad-cd", check_bad_cd),
          ("bad-redirect", check_bad_redirect), ("bad-kill", check_bad_kill),
          ("bad-jobspec", check_bad_jobspec),
          ("exec-notelf", check_exec_notelf), ("exec-truncated", check_exec_truncated),
          ("exec-missing", check_exec_missing), ("exec-relative", check_exec_relative),
          ("exec-e2big", check_exec_e2big),
          ("sh-c", check_sh_c), ("script", check_script),
          ("nested-sh", check_nested_sh), ("setsid", check_setsid), ("dirs", check_dirs), ("cat-tty", check_cat_tty),
          ("ctrl-z-reader", check_ctrl_z_reader), ("bg-tty-read", check_bg_tty_read),
          ("ipctrace", check_ipctrace), ("sdk-program", check_sdk_program), ("init-guard", check_init_guard),
          ("dash-language", check_dash_language), ("dash-glob", check_dash_glob), ("dash-jobs", check_dash_jobs),
          ("console-restart", check_console_restart), ("login-restart", check_login_restart)]


def main(argv):
    p = argparse.ArgumentParser(prog="shell-test.py",
                                description="drive the shell over the serial console in QEMU")
    p.add_argument("--platform", required=True, choices=["virt", "sifive_u"])
    p.add_argument("--smp", type=int, help="harts (virt; passed to run-qemu.sh)")
    p.add_argument("--timeout", type=float, default=240.0,
                   help="wall-clock limit for the whole run, seconds (default: %(default)s)")
    p.add_argument("--kernel", help="kernel image (run-qemu.sh's default: build/kernel.elf)")
    p.add_argument("--log-dir", default=os.path.join(ROOT, "build", "test-logs"))
    p.add_argument("-v", "--verbose", action="store_true", help="also echo the console")
    args = p.parse_args(argv)

    cmd = [os.path.join(ROOT, "scripts", "run-qemu.sh"), "--platform", args.platform]
    if args.smp:
        cmd += ["--smp", str(args.smp)]
    if args.kernel:
        cmd += ["--kernel", os.path.abspath(args.kernel)]
    return run_checks("shell/%s" % args.platform, cmd, CHECKS,
                      lambda child, log, deadline: Console(child, log, deadline, args.verbose),
                      os.path.join(args.log_dir, "shell-%s.log" % args.platform), args.timeout,
                      header="# marker %s\n" % MARK)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
