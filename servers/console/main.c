/*
 * The console server: the terminal.  It drives the UART from user mode
 * (output written synchronously; input by the UART interrupt, a PLIC
 * notification bound to this thread) and runs the line discipline:
 *
 *   echo; backspace/DEL erase a character, ^U the line; Enter completes a
 *   line; ^D at the start of a line is end-of-file (a read returns 0), in
 *   the middle it completes the line without a newline; ^C sends SIGINT,
 *   ^Z SIGTSTP and ^\ SIGQUIT to the foreground process group (through the
 *   proc server) and throw the line being typed away.
 *
 * The terminal belongs to one session (the first session leader that calls
 * tcsetpgrp takes it, or takes it over once the old session is gone) and
 * has a foreground process group, which only that session's members may
 * set, to one of that session's groups.
 *
 * A process: init has the proc server start it (PROC_CONSOLE), and starts it
 * again if it dies.  Handles from the proc server (startinfo h_extra):
 *   0  the endpoint clients call (R_RECV); processes' copies are badged with
 *      their pid (the proc server hands them out), servers' not
 *   1  the UART's irq handle      2  the notification for it (already bound
 *                                    to our thread)
 *   3  the proc server, badged PROC_BADGE_TTY
 * The UART registers are already mapped at CONSOLE_UART_VA; argv[1] is the
 * UART's device-tree "compatible".
 *
 * Messages (uapi/console.h, docs/console-protocol.md):
 *   CONS_WRITE      buffer          -> w0 bytes written
 *   CONS_READ       w0 max          -> buffer: a line (up to max) once one is typed;
 *                                      an empty buffer at end-of-file
 *                                      a process of the terminal's session outside its
 *                                      foreground group gets SIGTTIN (its group), and no
 *                                      input while it is not in the foreground
 *   CONS_TCGETPGRP                  -> w0 the foreground process group (0: none, the
 *                                      terminal is free); ENOTTY: another session's
 *   CONS_TCSETPGRP  w0 pgid         -> EPERM (not in the terminal's session, or pgid is
 *                                      not a group of it), ENOTTY (no terminal for it)
 *   CONS_TCFLUSH                    -> input typed and not read is gone
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include "sys.h"
#include "uart.h"
#include "uapi/proc.h"

#define MAX_READERS 16
#define CTRL(c) ((c) & 0x1f)

static const struct uart_driver *drv;
static volatile void *regs;
static handle_t h_proc = -1;

/* the line being typed, and input completed but not read yet */
static char line[CONS_LINE_MAX];
static size_t line_len, line_ready;   /* line_ready: bytes of completed input */
static int eof_pending;               /* ^D at the start of a line: the next read gets 0 */

/* the terminal's owner */
static int tty_sid, fg_pgid;

/* a read waiting for input; pgid 0: its process is not of the terminal's session */
struct reader { handle_t reply; uint64_t max; int pgid; };
static struct reader readers[MAX_READERS];
static int nreaders;

static void out(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			drv->tx(regs, '\r');
		drv->tx(regs, s[i]);
	}
}

static long write_direct(const char *s, size_t n)
{
	out(s, n);
	return 0;
}

/* may this reader have input now: in the foreground, or not under job control */
static bool may_read(const struct reader *r)
{
	return r->pgid == 0 || r->pgid == fg_pgid;
}

static void reader_drop(int i)
{
	memmove(readers + i, readers + i + 1, (size_t)(--nreaders - i) * sizeof(readers[0]));
}

/* answer readers while there is completed input (or an end-of-file) for them; readers
 * in a background group (stopped by ^Z, or sent SIGTTIN) wait their turn */
static void serve_readers(void)
{
	while (line_ready || eof_pending) {
		int i = 0;
		while (i < nreaders && !may_read(&readers[i]))
			i++;
		if (i == nreaders)
			return;
		struct reader r = readers[i];
		size_t n = line_ready < r.max ? line_ready : r.max;
		struct msg m = { .info = IPC_INFO(0, 1), .w = { n } };
		struct ipc_ext e = { .sbuf = (uint64_t)line, .slen = n, .scap = -1 };
		long err = ipc_send(r.reply, &m, n ? &e : NULL);

		reader_drop(i);
		if (err)
			continue;              /* that reader is gone (killed while it waited): the input stays */
		if (!n) {
			eof_pending = 0;
			continue;
		}
		memmove(line, line + n, line_len - n);
		line_len -= n;
		line_ready -= n;
	}
}

static void group_signal(int pgid, int sig)
{
	struct msg m = { .info = IPC_INFO(PROC_KILL, 2), .w = { (uint64_t)-pgid, (uint64_t)sig } };
	if (pgid > 1 && h_proc >= 0)
		ipc_call(h_proc, &m, NULL);
}

/* a signal typed at the keyboard, for the foreground group */
static void tty_signal(int sig, const char *echo)
{
	out(echo, strlen(echo));
	line_len = line_ready;             /* the partial line goes */
	group_signal(fg_pgid, sig);
}

/* what the proc server says of pid: w0 its session, w2 whether the terminal's session
 * still has members, w3 its group; false if it cannot say */
static bool query(int pid, uint64_t w[4])
{
	struct msg m = { .info = IPC_INFO(PROC_TTY_QUERY, 4), .w = { (uint64_t)pid, 0, (uint64_t)tty_sid, 0 } };
	if (pid <= 0 || h_proc < 0 || ipc_call(h_proc, &m, NULL) || IPC_LABEL(m.info))
		return false;
	memcpy(w, m.w, 4 * sizeof(uint64_t));
	return true;
}

/* a read from pid: queued with its group if it is of the terminal's session (a group
 * not in the foreground gets SIGTTIN: its default stops it until fg), else with 0 */
/* readers whose caller is gone (killed while it waited) give their place: nobody waits on them */
static void drop_dead_readers(void)
{
	for (int i = 0; i < nreaders;) {
		uint64_t type, rights, caller;
		if (handle_info(readers[i].reply, &type, &rights, &caller) == 0 && caller == 0) {
			handle_close(readers[i].reply);
			reader_drop(i);
		} else {
			i++;
		}
	}
}

static int read_request(int pid, uint64_t max)
{
	uint64_t w[4];
	int pgid = tty_sid && query(pid, w) && (int)w[0] == tty_sid ? (int)w[3] : 0;

	drop_dead_readers();
	if (nreaders == MAX_READERS) {
		/* full: the oldest reader that may not read now gives its place (EIO) */
		int i = 0;
		while (i < nreaders && may_read(&readers[i]))
			i++;
		if (i == nreaders)
			return EAGAIN;
		struct msg m = { .info = IPC_INFO(EIO, 0) };
		ipc_send(readers[i].reply, &m, NULL);
		reader_drop(i);
	}
	if (reply_save(&readers[nreaders].reply))
		return EAGAIN;
	readers[nreaders].max = max < sizeof(line) ? max : sizeof(line);
	readers[nreaders++].pgid = pgid;
	if (pgid && pgid != fg_pgid)
		group_signal(pgid, SIGTTIN);
	serve_readers();
	return 0;
}

static void erase(size_t n)
{
	for (; n && line_len > line_ready; n--) {
		line_len--;
		out("\b \b", 3);
	}
}

/* the UART interrupt: take every byte through the line discipline */
static void uart_input(handle_t irq)
{
	int c;
	while ((c = drv->rx(regs)) >= 0) {
		if (c == '\r')
			c = '\n';
		switch (c) {
		case 0x7f:
		case '\b':
			erase(1);
			continue;
		case CTRL('U'):
			erase(sizeof(line));
			continue;
		case CTRL('C'):
			tty_signal(SIGINT, "^C\n");
			continue;
		case CTRL('Z'):
			tty_signal(SIGTSTP, "^Z\n");
			continue;
		case CTRL('\\'):
			tty_signal(SIGQUIT, "^\\\n");
			continue;
		case CTRL('D'):
			if (line_len == line_ready)
				eof_pending = 1;
			else
				line_ready = line_len;     /* what was typed goes, without a newline */
			continue;
		default:
			break;
		}
		if (c != '\n' && c != '\t' && (c < 0x20 || c > 0x7e))
			continue;                          /* other control characters are dropped */
		if (line_len < sizeof(line)) {
			line[line_len++] = (char)c;
			out((char *)&c, 1);
		}
		if (c == '\n' || line_len == sizeof(line))
			line_ready = line_len;
	}
	irq_ack(irq);
	serve_readers();
}

/* tcsetpgrp: caller pid (the badge) asks for pgid as the foreground group */
static int set_pgrp(int pid, int pgid)
{
	struct msg m = { .info = IPC_INFO(PROC_TTY_QUERY, 4), .w = { (uint64_t)pid, (uint64_t)pgid, (uint64_t)tty_sid, 0 } };
	long r;

	if (pid <= 0 || h_proc < 0)
		return ENOTTY;
	if ((r = ipc_call(h_proc, &m, NULL)) || IPC_LABEL(m.info))
		return r ? EIO : (int)IPC_LABEL(m.info);
	if (!tty_sid || !m.w[2]) {
		/* a free terminal: a session leader takes it */
		struct msg t = { .info = IPC_INFO(PROC_TTY_QUERY, 4), .w = { (uint64_t)pid, (uint64_t)pgid, 0, 1 } };
		if ((int)m.w[0] != pid)
			return ENOTTY;
		if ((r = ipc_call(h_proc, &t, NULL)) || IPC_LABEL(t.info))
			return r ? EIO : (int)IPC_LABEL(t.info);
		tty_sid = pid;
	}
	if ((int)m.w[0] != tty_sid)
		return ENOTTY;                     /* not our terminal */
	if ((int)m.w[1] != tty_sid)
		return EPERM;                      /* no such group in the session */
	fg_pgid = pgid;
	return 0;
}

int umain(void *arg)
{
	struct startinfo *si = arg;
	handle_t ep = si->h_extra[0], irq = si->h_extra[1], ntfn = si->h_extra[2];
	static char buf[IPC_MAX_BUF];
	struct ipc_ext e = { .rbuf = (uint64_t)buf, .rlen = sizeof(buf), .scap = -1 };
	struct msg m = { 0 };
	long r;

	h_proc = si->h_extra[3];
	drv = strcmp(si->args + strlen(si->args) + 1, "sifive,uart0") == 0 ? &uart_sifive : &uart_ns16550a;
	regs = (volatile void *)CONSOLE_UART_VA;
	libsys_set_output(write_direct);
	drv->init(regs);
	/* a console before us may have died between an interrupt and its ack: ack it */
	if (irq_bind(irq, ntfn, 1) || irq_ack(irq))
		printf("console: cannot bind the UART interrupt\n");
	printf("console: %s UART driven from user mode\n", drv->compat);

	r = ipc_recv(ep, &m, &e);
	for (;;) {
		uint32_t label = IPC_LABEL(m.info);
		if (r < 0) {
			r = ipc_recv(ep, &m, &e);
			continue;
		}
		/* nothing here takes a handle (processes' copies lack R_GRANT; one that came anyway goes) */
		if (m.info & IPC_GOT_CAP)
			handle_close(e.rcap);
		/* the UART's interrupt: our bound notification, from no thread on no badge */
		if (label == LABEL_NTFN && m.badge == 0 && m.tid == 0) {
			uart_input(irq);
			r = ipc_recv(ep, &m, &e);
			continue;
		}
		switch (label) {
		case CONS_WRITE:
			if (m.info & IPC_GOT_BUF)
				out(buf, e.rbytes);
			m.w[0] = (m.info & IPC_GOT_BUF) ? e.rbytes : 0;
			m.info = IPC_INFO(0, 1);
			break;
		case CONS_READ: {
			int err = read_request((int)m.badge, m.w[0]);
			if (!err) {
				r = ipc_recv(ep, &m, &e);
				continue;
			}
			m.info = IPC_INFO(err, 0);
			break;
		}
		case CONS_TCGETPGRP: {
			uint64_t w[4];
			bool known = tty_sid && query((int)m.badge, w);
			bool mine = known && (int)w[0] == tty_sid;
			bool free_tty = !tty_sid || (known && !w[2]);
			m.w[0] = mine ? (uint64_t)fg_pgid : 0;
			m.info = IPC_INFO(mine || free_tty ? 0 : ENOTTY, 1);
			break;
		}
		case CONS_TCFLUSH: {
			/* only the terminal's session may throw its input away (or anyone, while it is free) */
			uint64_t w[4];
			bool mine = !tty_sid || (query((int)m.badge, w) && ((int)w[0] == tty_sid || !w[2]));
			if (mine) {
				line_len = line_ready = 0;
				eof_pending = 0;
			}
			m.info = IPC_INFO(mine ? 0 : ENOTTY, 0);
			break;
		}
		case CONS_TCSETPGRP:
			m.info = IPC_INFO(set_pgrp((int)m.badge, (int)m.w[0]), 0);
			serve_readers();        /* input may wait for the new foreground group */
			break;
		default:
			m.info = IPC_INFO(ENOSYS, 0);
			break;
		}
		r = ipc_replyrecv(ep, &m, &e);
	}
}
