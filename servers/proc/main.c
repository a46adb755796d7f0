/*
 * The proc server's main loop: receive -> who is it (badge = pid, a7 =
 * thread id) -> its proc and lwp -> dispatch through the table -> reply,
 * unless the handler held the reply (vfork, wait, punish delay) or the
 * caller is gone (exit, exec).
 *
 * Started by the root task with: h_extra[0] its endpoint (receive, and the
 * object every process's proc handle names), [1] a sysctl handle for
 * power-off and printing (R_DEBUG: we print through the SBI console, never
 * through the console server, which is our child), [2] the file server,
 * [3] the console endpoint (handed out badged with the pid), [4] the UART's
 * interrupt and [5] its registers (dev_pa, dev_compat in startinfo), which
 * PROC_CONSOLE gives the console server; the boot archive at si->archive.
 * It makes init (pid 1) the way newproc does: in its own task.
 *
 * The requests themselves are dispatch.c's (proc_dispatch); here is what
 * needs the real kernel: the loop, the punish delay's timer, start-up.
 */
#include <stdio.h>
#include <string.h>
#include "sys.h"
#include "procsrv.h"

/* ---- punish delays: failed forks are answered later ---- */

uint64_t proc_clock(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static uint64_t now(void)
{
	return proc_clock();
}

/* the one timer: the first of the punish delays and the sigtimedwait limits */
static void arm_timer(struct system *sys)
{
	uint64_t first = sig_next_due(sys);
	for (int i = 0; i < NPUNISH; i++)
		if (sys->held[i].reply >= 0 && (!first || sys->held[i].due < first))
			first = sys->held[i].due;
	ntfn_timer(sys->h_timer, 1, first);
}

void timer_rearm(struct system *sys)
{
	arm_timer(sys);
}

int punish(struct system *sys, int err)
{
	for (int i = 0; i < NPUNISH; i++) {
		if (sys->held[i].reply >= 0)
			continue;
		if (k_reply_save(&sys->held[i].reply)) {
			sys->held[i].reply = -1;
			return err;         /* answer at once rather than lose it */
		}
		sys->held[i].err = err;
		sys->held[i].due = now() + (uint64_t)punish_ticks(sys) * sys->tick_len;
		sys->fork_fail_pending++;
		arm_timer(sys);
		return HELD;
	}
	return err;
}

static void punish_expire(struct system *sys)
{
	uint64_t t = now();
	sig_timeout(sys, t);
	for (int i = 0; i < NPUNISH; i++) {
		if (sys->held[i].reply < 0 || sys->held[i].due > t)
			continue;
		struct msg m = { .info = IPC_INFO((uint32_t)sys->held[i].err, 0) };
		k_reply_send(sys->held[i].reply, &m);
		sys->held[i].reply = -1;
		sys->fork_fail_pending--;
	}
	arm_timer(sys);
}

/* ---- start-up ---- */

/* init: "/sbin/init" with the boot arguments as its argv, an environment with PATH */
static void make_init(struct system *sys, const char *args)
{
	static char req[512];
	struct image_req rq;
	size_t n = 0;
	uint64_t argc = 0;
	int pid, err = ESRCH;
	struct proc *init;

	n += (size_t)snprintf(req, sizeof(req), "/sbin/init") + 1;
	n += (size_t)snprintf(req + n, sizeof(req) - n, "init") + 1;
	argc++;
	for (const char *a = args; *a && n < sizeof(req) - 64; a += strlen(a) + 1, argc++)
		n += (size_t)snprintf(req + n, sizeof(req) - n - 32, "%s", a) + 1;
	n += (size_t)snprintf(req + n, sizeof(req) - n, "PATH=/bin") + 1;
	n += (size_t)snprintf(req + n, sizeof(req) - n, "HOME=/") + 1;
	if ((err = image_req_parse(req, n, argc, 2, &rq)) || (err = do_spawn(sys, &sys->p0, &rq, NULL, &pid)) ||
	    !(init = proc_find(sys, pid))) {
		printf("proc: cannot start init (%s)\n", strerror(err));
		return;
	}
	init_setup(sys, init);
}

/* the punish delay's timer: a notification bound to our thread, ticks of 10 ms */
static int timer_init(struct system *sys, handle_t thread, uint64_t timebase_hz)
{
	sys->tick_len = timebase_hz / 100;
	return ntfn_create(&sys->h_timer) || ntfn_bind(sys->h_timer, thread);
}

/* the console server's kit from root, which PROC_CONSOLE hands on: its UART */
static void take_console_kit(struct system *sys, const struct startinfo *si)
{
	sys->cons_irq = si->h_extra[4];
	sys->cons_dev = si->h_extra[5];
	sys->cons_pa = si->dev_pa;
	memcpy(sys->cons_compat, si->dev_compat, sizeof(sys->cons_compat) - 1);
}

/* is word among the boot arguments (NUL-separated, an empty one last)? */
static bool boot_word(const char *words, const char *word)
{
	for (const char *a = words; *a; a += strlen(a) + 1)
		if (strcmp(a, word) == 0)
			return true;
	return false;
}

/* everything before the first message, in order; nonzero: we cannot run */
static int start(struct system *sys, const struct startinfo *si)
{
	const char *words = si->args + strlen(si->args) + 1;   /* the boot arguments */
	struct sysinfo sinfo;

	kcalls_sysctl = si->h_extra[1];
	libsys_output_debug(kcalls_sysctl);
	sys_info(&sinfo);
	system_init(sys, (int)si->ncpus, si->h_extra[0], si->h_extra[3]);
	sys->h_sysctl = si->h_extra[1];
	if (timer_init(sys, si->h_thread, sinfo.timebase_hz)) {
		printf("proc: no timer\n");
		return 1;
	}
	take_console_kit(sys, si);
	sys->fs_ep = kcalls_fs_ep = si->h_extra[2];
	mem_init(sys, sinfo.free_pages * 4096);    /* what is free now is what processes may reserve, less a reserve */
	spawn_set_archive((const void *)si->archive, si->archive_len);
	sys->fault_injection = boot_word(words, "test");
	proc0_init(sys);
	make_init(sys, words);                  /* init gets every word after our own name */
	return 0;
}

/* ---- the loop ---- */

/* the kernel's messages, told by who sent them, not by label alone: our timer's tick comes
   from no thread on no badge, an lwp's fault or exit on the badge its fault handle has */
static bool from_kernel(const struct msg *m)
{
	return (m->badge == 0 && m->tid == 0 && IPC_LABEL(m->info) == LABEL_NTFN) || (m->badge & FAULT_BADGE);
}

/* neither carries a handle; one that came anyway is closed */
static void kernel_message(struct system *sys, const struct msg *m, const struct ipc_ext *e)
{
	if (m->info & IPC_GOT_CAP)
		k_handle_close(e->rcap);
	if (IPC_LABEL(m->info) == LABEL_NTFN)
		punish_expire(sys);
	else
		lwp_event(sys, (int)(m->badge & 0xffffffff), m);
}

/*
 * Reply and receive the next request into *m.  The reply goes first: a
 * caught signal is delivered after the call that sent it was answered.
 */
static long answer(struct system *sys, struct msg *out, struct msg *m, struct ipc_ext *e)
{
	long r;
	if (sig_deliverable(sys)) {
		ipc_reply(out, e);
		e->slen = 0;
		sig_deliver(sys);
		return ipc_recv(sys->proc_ep, m, e);
	}
	r = ipc_replyrecv(sys->proc_ep, out, e);
	*m = *out;                       /* the next request arrived where the reply was */
	e->slen = 0;
	return r;
}

int umain(void *arg)
{
	static struct system the_system;  /* the one instance: every handler is given it */
	static char buf[IPC_MAX_BUF + 1];
	struct system *sys = &the_system;
	struct ipc_ext e = { .rbuf = (uint64_t)buf, .rlen = IPC_MAX_BUF, .scap = -1 };
	struct msg m, out;
	long r;

	if (start(sys, arg))
		return 1;
	r = ipc_recv(sys->proc_ep, &m, &e);
	for (;;) {
		struct req rq = { .in = &m, .out = &out, .buf = "", .cap = -1 };
		int err;

		if (sys->tracing)
			trace_owner_check(sys);
		if (r < 0 || from_kernel(&m)) {
			if (r >= 0)
				kernel_message(sys, &m, &e);
			if (sig_deliverable(sys))
				sig_deliver(sys);          /* a child's SIGCHLD after it faulted, say */
			r = ipc_recv(sys->proc_ep, &m, &e);
			continue;
		}
		if (m.info & IPC_GOT_BUF) {
			buf[e.rbytes] = '\0';
			rq.buf = buf;
			rq.buflen = e.rbytes;
		}
		if (m.info & IPC_GOT_CAP)
			rq.cap = e.rcap;
		err = proc_dispatch(sys, &rq);      /* who, may it, the handler; closes rq.cap */
		if (err == HELD || err == NOREPLY) {
			if (sig_deliverable(sys))
				sig_deliver(sys);
			r = ipc_recv(sys->proc_ep, &m, &e);
			continue;
		}
		out.info = (out.info & ~0xffffffffull) | (uint32_t)err;
		e.sbuf = (uint64_t)rq.obuf;
		e.slen = err ? 0 : rq.olen;
		r = answer(sys, &out, &m, &e);
	}
}
