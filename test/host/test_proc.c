/*
 * test_proc.c - host tests of the proc server's logic (servers/proc: getproc,
 * fork, exit/wait, sessions, rctls, lwps, signals, the dispatch table, the
 * archive's programs) with the kernel faked by fake_kcalls.c: limits and
 * their failure counters, pid allocation, the three forks and every unwind
 * path of each, wait and reparenting, setsid/setpgid, resource controls,
 * signals and the terminal's requests, and proc_dispatch's checks (who,
 * label, the handle closed) as main.c's loop calls it.
 *
 * The world (setup): system_init and proc0_init, as the server starts, init
 * (pid 1, uid 0, project 0, its own session) and "test" (pid 2, uid 100,
 * project 1, a child of init in init's session), each made the way spawn.c
 * does it, with one lwp.  Teardown exits everything and checks that nothing
 * the kernel holds was leaked and no call used a bad handle.
 *
 * punish() (main.c) is faked here: it counts the call and answers at once,
 * returning the errno (what main.c's punish does when it cannot hold the
 * reply), so a failed fork returns its errno to the test.  do_spawn and
 * do_exec (spawn.c, tested for real in test_spawn.c) are faked too, for the
 * dispatch tests; the requests they get are image.c's, parsed for real.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <signal.h>                 /* the guest's numbers: test/host/guest-libc */
#include <sched.h>
#include <string.h>
#include <cmocka.h>

#include "procsrv.h"
#include "uapi/fs.h"
#include "fake_kcalls.h"
#include "cpio_build.h"

/* main.c's clock and timer: a clock the tests move, and a count of re-arms */
static uint64_t fake_clock;
static int rearmed;
uint64_t proc_clock(void) { return fake_clock; }
void timer_rearm(struct system *sys) { rearmed++; }

/* main.c's punish, answering at once */
static int punished, punish_err;
int punish(struct system *sys, int err)
{
	punished++;
	punish_err = err;
	return err;
}

/*
 * spawn.c's do_spawn and do_exec (test_spawn.c's): faked for the dispatch
 * tests, recording what they were asked; err is what they answer
 * (do_spawn's child: pid 4242).
 */
static struct {
	int calls, ngive;
	char path[64];
	uint64_t argc, envc;
	int err;
} spawned;

static void spawned_record(const struct image_req *rq, const struct spawn_kit *kit)
{
	spawned.calls++;
	snprintf(spawned.path, sizeof(spawned.path), "%s", rq->path);
	spawned.argc = rq->argc;
	spawned.envc = rq->envc;
	spawned.ngive = kit ? kit->ngive : 0;
}

int do_spawn(struct system *s, struct proc *parent, const struct image_req *rq, const struct spawn_kit *kit, int *pid)
{
	spawned_record(rq, kit);
	if (!spawned.err)
		*pid = 4242;
	return spawned.err;
}

int do_exec(struct system *s, struct proc *p, struct lwp *l, const struct image_req *rq)
{
	spawned_record(rq, NULL);
	return spawned.err;
}

static struct system the_system;
static struct system *const sys = &the_system;
#include "proc_world.h"        /* its snap() reads sys */
static struct proc *init, *tp;
#define TP_UID 100

/* a running process, child of parent, the way do_spawn makes one (image: npages pages) */
static struct proc *spawn(struct proc *parent, const char *name, long npages)
{
	struct proc *cp = NULL;
	uint64_t tid;
	handle_t th;

	assert_int_equal(getproc(sys, parent, &cp), 0);
	memset(cp->p_name, 0, sizeof(cp->p_name));
	strncpy(cp->p_name, name, sizeof(cp->p_name) - 1);
	cp->p_cs = fake_cspace_new();
	assert_int_equal(k_handle_give(cp->p_cs, sys->proc_ep, R_SEND | R_GRANT, (uint64_t)cp->p_pid, &cp->p_h_proc), 0);
	assert_int_equal(k_handle_give(cp->p_cs, sys->console_ep, R_SEND, (uint64_t)cp->p_pid, &cp->p_h_console), 0);
	assert_int_equal(k_handle_give(cp->p_cs, sys->fs_ep, R_SEND, (uint64_t)cp->p_pid, &cp->p_h_fs), 0);
	assert_int_equal(k_fs_ctl(FS_PNEW, (uint64_t)cp->p_pid, 0), 0);
	cp->p_as = fake_as_new(npages);
	th = fake_thread_new(cp->p_as, cp->p_cs, &tid);
	assert_int_equal(lwp_add(sys, cp, th, tid), 0);
	cp->p_stat = P_RUN;
	return cp;
}

/* one more running lwp in p */
static struct lwp *add_lwp(struct proc *p)
{
	uint64_t tid;
	handle_t th = fake_thread_new(p->p_as, p->p_cs, &tid);
	assert_int_equal(lwp_add(sys, p, th, tid), 0);
	return lwp_find(p, tid);
}

static void set_uid(struct proc *p, uint32_t uid)
{
	cred_set_all(sys, p, uid, uid);
}

static int setup(void **state)
{
	int tk;

	fake_reset();
	system_init(sys, 2, fake_ep_new(), fake_ep_new());
	sys->fs_ep = fake_ep_new();
	punished = punish_err = 0;
	memset(&spawned, 0, sizeof(spawned));

	/* p0 and init, as the server's start-up and make_init do (no mem_init: no address-space limit) */
	proc0_init(sys);
	init = spawn(&sys->p0, "init", 8);
	if (init_setup(sys, init))
		return -1;

	/* the test process: init's child, in project 1 (moved there while root), uid 100 */
	tp = spawn(init, "test", 16);
	if (do_newtask(sys, tp, 1, &tk))
		return -1;
	set_uid(tp, TP_UID);
	return init->p_pid == 1 && tp->p_pid == 2 ? 0 : -1;
}

static int teardown(void **state)
{
	world_end_empty(sys);
	assert_int_equal(sys->zones[0].z_nprocs, 0);
	assert_int_equal(sys->zones[0].z_nlwps, 0);
	assert_int_equal(sys->p0.p_task->tk_proj->kpj_nprocs, 1);   /* p0 itself */
	return 0;
}

/* ---- helpers ---- */

/* the zone's fork-failure counters moved by exactly these amounts */
static void assert_ff(const struct snap *a, const struct snap *b, int cap, int nomem, int misc, int noproc)
{
	assert_int_equal(b->ffcap - a->ffcap, cap);
	assert_int_equal(b->ffnomem - a->ffnomem, nomem);
	assert_int_equal(b->ffmisc - a->ffmisc, misc);
	assert_int_equal(b->ffnoproc - a->ffnoproc, noproc);
}

static int forksys(struct proc *p, struct lwp *l, int sub, int flags, struct msg *out)
{
	memset(out, 0, sizeof(*out));
	fake_caller(p->p_pid);
	return do_forksys(sys, p, l ? l : &p->p_lwp[0], sub, flags, out);
}

/* a fork1 child of p that must succeed */
static struct proc *fork1(struct proc *p, int flags)
{
	struct msg out;
	struct proc *c;
	assert_int_equal(forksys(p, NULL, FORK_FORK1, flags, &out), 0);
	assert_int_equal(out.w[1], 0);
	c = proc_find(sys, (int)out.w[0]);
	assert_non_null(c);
	assert_ptr_equal(c->p_parent, p);
	return c;
}

static int wait_call(struct proc *p, int idtype, int id, int opts, struct msg *out)
{
	memset(out, 0, sizeof(*out));
	fake_caller(p->p_pid);
	return do_waitid(sys, p, idtype, id, opts, out);
}

/* the i-th reply the fake saw go out: must be an answer (not dropped) to who */
static void assert_reply(int i, int who, uint32_t label, uint64_t *w)
{
	int rwho;
	uint32_t rlabel;
	assert_true(i < fake_nreplies());
	assert_int_equal(fake_reply(i, &rwho, &rlabel, w), 0);
	assert_int_equal(rwho, who);
	assert_int_equal(rlabel, label);
}

/* the only child of p (NULL if none or several) */
static struct proc *only_child(struct proc *p)
{
	struct proc *c = NULL;
	for_each_proc(sys, q)
		if (q->p_parent == p) {
			if (c)
				return NULL;
			c = q;
		}
	return c;
}

/* ---- getproc ---- */

/* task, project and zone max-processes: EAGAIN, z_ffcap + 1, nothing charged */
static void test_getproc_caps(void **state)
{
	struct task *tk = tp->p_task;
	struct project *pj = tk->tk_proj;
	struct zone *z = tp->p_zone;
	uint64_t *lim[] = { &tk->tk_max_procs, &pj->kpj_max_procs, &z->z_max_procs };
	int *cnt[] = { &tk->tk_nprocs, &pj->kpj_nprocs, &z->z_nprocs };

	for (int i = 0; i < 3; i++) {
		struct snap a, b;
		struct proc *cp = NULL;

		*lim[i] = (uint64_t)*cnt[i] + 1;        /* room for exactly one more */
		snap(tp, &a);
		assert_int_equal(getproc(sys, tp, &cp), 0);
		assert_non_null(cp);
		assert_int_equal(sys->nproc, a.nproc + 1);
		assert_int_equal(*cnt[i], (int)*lim[i]);
		snap(tp, &a);
		struct proc *cp2 = NULL;
		assert_int_equal(getproc(sys, tp, &cp2), EAGAIN);
		assert_null(cp2);
		snap(tp, &b);
		assert_snap_equal(&a, &b);
		assert_ff(&a, &b, 1, 0, 0, 0);
		getproc_undo(sys, cp);
		*lim[i] = RCTL_UNLIMITED;
	}
}

/* the system-wide limit (root too) and the per-user limit: EAGAIN, z_ffnoproc + 1 */
static void test_getproc_noproc(void **state)
{
	struct snap a, b;
	struct proc *cp = NULL;

	sys->v_proc = sys->nproc;
	snap(tp, &a);
	assert_int_equal(getproc(sys, tp, &cp), EAGAIN);
	snap(tp, &b);
	assert_snap_equal(&a, &b);
	assert_ff(&a, &b, 0, 0, 0, 1);
	snap(init, &a);
	assert_int_equal(getproc(sys, init, &cp), EAGAIN);
	snap(init, &b);
	assert_snap_equal(&a, &b);
	assert_ff(&a, &b, 0, 0, 0, 1);
	assert_null(cp);
	sys->v_proc = NPROC_TABLE;

	sys->v_maxup = upcount_get(sys, TP_UID);
	assert_int_equal(sys->v_maxup, 1);
	snap(tp, &a);
	assert_int_equal(getproc(sys, tp, &cp), EAGAIN);
	snap(tp, &b);
	assert_snap_equal(&a, &b);
	assert_ff(&a, &b, 0, 0, 0, 1);
	assert_null(cp);

	/* uid 0 is exempt */
	assert_true(upcount_get(sys, 0) >= sys->v_maxup);
	snap(init, &a);
	assert_int_equal(getproc(sys, init, &cp), 0);
	assert_int_equal(upcount_get(sys, 0), a.up + 1);
	getproc_undo(sys, cp);
	snap(init, &b);
	assert_snap_equal(&a, &b);
	assert_ff(&a, &b, 0, 0, 0, 0);

	/* one more allowed, then not */
	sys->v_maxup = 2;
	assert_int_equal(getproc(sys, tp, &cp), 0);
	assert_int_equal(upcount_get(sys, TP_UID), 2);
	struct proc *cp2 = NULL;
	assert_int_equal(getproc(sys, tp, &cp2), EAGAIN);
	getproc_undo(sys, cp);
	assert_int_equal(upcount_get(sys, TP_UID), 1);
}

/* project 0 (init's) is exempt from task, project and zone limits, as in illumos */
static void test_getproc_project0_exempt(void **state)
{
	struct snap a, b;
	struct proc *cp = NULL;

	assert_int_equal(init->p_task->tk_proj->kpj_id, 0);
	init->p_task->tk_max_procs = 0;
	init->p_task->tk_proj->kpj_max_procs = 0;
	init->p_zone->z_max_procs = 0;
	snap(init, &a);
	assert_int_equal(getproc(sys, init, &cp), 0);
	getproc_undo(sys, cp);
	/* the zone limit still holds outside project 0 */
	snap(tp, &a);
	assert_int_equal(getproc(sys, tp, &cp), EAGAIN);
	snap(tp, &b);
	assert_snap_equal(&a, &b);
	assert_ff(&a, &b, 1, 0, 0, 0);
	init->p_zone->z_max_procs = RCTL_UNLIMITED;
}

/* pids increase, skip those in use as pid, pgid or sid, wrap at maxpid, come back after reap */
static void test_pid_allocation(void **state)
{
	struct msg out;
	struct proc *s, *g, *q, *r, *z, *c;
	struct proc *cp = NULL;
	struct snap a, b;
	int sid;

	s = fork1(tp, 0);
	assert_int_equal(s->p_pid, 3);
	/* 3 becomes only a session id: its leader goes, a member stays */
	assert_int_equal(do_setsid(sys, s, &sid), 0);
	g = fork1(s, 0);
	assert_int_equal(g->p_pid, 4);
	assert_int_equal(do_setpgid(sys, g, 0, 0), 0);
	proc_exit(sys, s, 0);
	assert_int_equal(wait_call(tp, IDT_PID, 3, PW_EXITED, &out), 0);
	assert_null(proc_find(sys, 3));
	assert_int_equal(g->p_sess->s_sid, 3);
	/* 5 becomes only a process group id */
	q = fork1(tp, 0);
	assert_int_equal(q->p_pid, 5);
	assert_int_equal(do_setpgid(sys, tp, 5, 0), 0);
	r = fork1(tp, 0);
	assert_int_equal(r->p_pid, 6);
	assert_int_equal(do_setpgid(sys, tp, 6, 5), 0);
	proc_exit(sys, q, 0);
	assert_int_equal(wait_call(tp, IDT_PID, 5, PW_EXITED, &out), 0);
	assert_null(proc_find(sys, 5));
	/* 7 is a zombie */
	z = fork1(tp, 0);
	assert_int_equal(z->p_pid, 7);
	proc_exit(sys, z, 0);

	sys->lastpid = 2;
	c = fork1(tp, 0);
	assert_int_equal(c->p_pid, 8);
	/* reaped, 7 is free again */
	assert_int_equal(wait_call(tp, IDT_PID, 7, PW_EXITED, &out), 0);
	sys->lastpid = 2;
	c = fork1(tp, 0);
	assert_int_equal(c->p_pid, 7);

	/* wrap at maxpid: 9, then around past 1..8 (all in use) to none */
	sys->maxpid = 9;
	sys->lastpid = 8;
	c = fork1(tp, 0);
	assert_int_equal(c->p_pid, 9);
	snap(tp, &a);
	assert_int_equal(getproc(sys, tp, &cp), EAGAIN);
	snap(tp, &b);
	assert_snap_equal(&a, &b);
	assert_ff(&a, &b, 0, 0, 0, 1);
	proc_exit(sys, c, 0);
	assert_int_equal(wait_call(tp, IDT_PID, 9, PW_EXITED, &out), 0);
	sys->lastpid = 8;
	c = fork1(tp, 0);
	assert_int_equal(c->p_pid, 9);                  /* ... and reused */
	proc_exit(sys, proc_find(sys, 7), 0);
	assert_int_equal(wait_call(tp, IDT_PID, 7, PW_EXITED, &out), 0);
	c = fork1(tp, 0);
	assert_int_equal(c->p_pid, 7);                  /* wrapped: 1..6 skipped */
}

/* ---- forksys ---- */

static void test_forksys_einval(void **state)
{
	static const int bad[][2] = {
		{ FORK_FORK1, 0x4 }, { FORK_FORKALL, 0x100 }, { FORK_VFORK, FORK_WAITPID | 0x8 },
		{ 3, 0 }, { -1, 0 }, { 99, FORK_NOSIGCHLD },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct snap a, b;
		struct msg out;
		uint64_t calls = kcalls_count;
		int lastpid = sys->lastpid;

		snap(tp, &a);
		assert_int_equal(forksys(tp, NULL, bad[i][0], bad[i][1], &out), EINVAL);
		snap(tp, &b);
		assert_int_equal(kcalls_count, calls);      /* no kernel call at all */
		assert_int_equal(sys->lastpid, lastpid);      /* no pid taken */
		assert_snap_equal(&a, &b);
		assert_ff(&a, &b, 0, 0, 1, 0);
	}
	assert_int_equal(punished, 0);
	/* both flags together are fine */
	fork1(tp, FORK_NOSIGCHLD | FORK_WAITPID);
}

static void test_fork1(void **state)
{
	struct snap a, b;
	struct msg out;
	struct proc *c;
	handle_t cth;

	snap(tp, &a);
	assert_int_equal(forksys(tp, NULL, FORK_FORK1, 0, &out), 0);
	c = proc_find(sys, (int)out.w[0]);
	assert_non_null(c);
	assert_int_equal(out.w[1], 0);
	assert_int_equal(c->p_stat, P_RUN);
	assert_ptr_equal(c->p_parent, tp);
	assert_int_equal(c->p_uid, TP_UID);
	assert_ptr_equal(c->p_task, tp->p_task);
	assert_ptr_equal(c->p_sess, tp->p_sess);
	assert_int_equal(c->p_pgid, tp->p_pgid);
	assert_int_equal(c->p_flag, 0);
	/* its own copy of the address space and handle table */
	assert_int_not_equal(fake_obj(c->p_as), fake_obj(tp->p_as));
	assert_int_not_equal(fake_obj(c->p_cs), fake_obj(tp->p_cs));
	assert_int_equal(fake_as_pages(c->p_as), 16);
	assert_int_equal(fake_pages(), a.pages + 16);
	/* one lwp: the caller's, returning (ppid, 1), running in the child's AS */
	assert_int_equal(c->p_nlwp, 1);
	cth = c->p_lwp[0].l_th;
	assert_int_equal(fake_thread_mode(cth), CLONE_REPLY);
	assert_int_equal(fake_thread_w0(cth), tp->p_pid);
	assert_int_equal(fake_thread_src(cth), fake_obj(tp->p_lwp[0].l_th));
	assert_int_equal(fake_thread_as(cth), fake_obj(c->p_as));
	assert_int_equal(fake_thread_state(cth), T_RUN);
	/* charged once, everywhere */
	snap(tp, &b);
	assert_int_equal(b.nproc, a.nproc + 1);
	assert_int_equal(b.up, a.up + 1);
	assert_int_equal(b.tk_nprocs, a.tk_nprocs + 1);
	assert_int_equal(b.pj_nprocs, a.pj_nprocs + 1);
	assert_int_equal(b.z_nprocs, a.z_nprocs + 1);
	assert_int_equal(b.tk_nlwps, a.tk_nlwps + 1);
	assert_int_equal(b.nlwp, a.nlwp);
	assert_int_equal(b.lwp_state[0], T_RUN);
	assert_int_equal(b.nreplies, a.nreplies);
	assert_ff(&a, &b, 0, 0, 0, 0);
	assert_int_equal(punished, 0);
}

static void test_forkall(void **state)
{
	struct msg out;
	struct proc *c;
	struct lwp *l;
	int nreply = 0, nintr = 0, tk_nlwps;
	bool cloned[MAX_LWPS] = { false };

	add_lwp(tp);
	l = add_lwp(tp);                              /* the caller: not the first */
	add_lwp(tp);
	assert_int_equal(tp->p_nlwp, 4);
	tk_nlwps = tp->p_task->tk_nlwps;
	assert_int_equal(forksys(tp, l, FORK_FORKALL, 0, &out), 0);
	c = proc_find(sys, (int)out.w[0]);
	assert_non_null(c);
	assert_int_equal(c->p_nlwp, 4);
	assert_int_equal(tp->p_task->tk_nlwps, tk_nlwps + 4);
	for (int i = 0; i < MAX_LWPS; i++) {
		handle_t th = c->p_lwp[i].l_th;
		int src = -1;
		if (th < 0)
			continue;
		assert_int_equal(fake_thread_state(th), T_RUN);
		assert_int_equal(fake_thread_as(th), fake_obj(c->p_as));
		for (int j = 0; j < MAX_LWPS; j++)
			if (tp->p_lwp[j].l_th >= 0 && fake_obj(tp->p_lwp[j].l_th) == fake_thread_src(th))
				src = j;
		assert_true(src >= 0);
		assert_false(cloned[src]);
		cloned[src] = true;
		if (fake_thread_mode(th) == CLONE_REPLY) {
			nreply++;
			assert_ptr_equal(&tp->p_lwp[src], l);
			assert_int_equal(fake_thread_w0(th), tp->p_pid);
		} else {
			assert_int_equal(fake_thread_mode(th), CLONE_INTR);
			nintr++;
		}
	}
	assert_int_equal(nreply, 1);
	assert_int_equal(nintr, 3);
	/* the parent's lwps were held for the copy and go on again */
	for (int i = 0; i < MAX_LWPS; i++)
		if (tp->p_lwp[i].l_th >= 0)
			assert_int_equal(fake_thread_state(tp->p_lwp[i].l_th), T_RUN);
	assert_int_equal(fake_bad_calls(), 0);        /* no CLONE_INTR of a running thread */

	/* fork1 from the same process clones only the caller */
	assert_int_equal(forksys(tp, l, FORK_FORK1, 0, &out), 0);
	assert_int_equal(proc_find(sys, (int)out.w[0])->p_nlwp, 1);
}

/* vfork: the child borrows the AS; the parent's reply waits for the child's exit or exec */
static void test_vfork(void **state)
{
	struct msg out;
	struct proc *c, *other;
	uint64_t w[IPC_MAX_WORDS];
	long pages = fake_pages();
	int n0 = fake_nreplies();

	assert_int_equal(forksys(tp, NULL, FORK_VFORK, 0, &out), HELD);
	c = only_child(tp);
	assert_non_null(c);
	assert_int_equal(c->p_stat, P_RUN);
	assert_true(c->p_flag & PF_VFORK);
	assert_int_equal(fake_obj(c->p_as), fake_obj(tp->p_as));   /* a second handle, no clone */
	assert_int_not_equal(c->p_as, tp->p_as);
	assert_int_equal(fake_pages(), pages);
	assert_int_equal(c->p_nlwp, 1);
	assert_int_equal(fake_thread_as(c->p_lwp[0].l_th), fake_obj(tp->p_as));
	assert_int_equal(fake_thread_mode(c->p_lwp[0].l_th), CLONE_REPLY);
	assert_true(c->p_vfwait >= 0);
	assert_int_equal(fake_nreplies(), n0);

	/* others come and go: still held */
	other = fork1(init, 0);
	proc_exit(sys, other, 0);
	assert_int_equal(wait_call(init, IDT_PID, other->p_pid, PW_EXITED, &out), 0);
	assert_int_equal(fake_nreplies(), n0);

	proc_exit(sys, c, 3 << 8);
	assert_int_equal(fake_nreplies(), n0 + 1);
	assert_reply(n0, tp->p_pid, 0, w);
	assert_int_equal(w[0], c->p_pid);
	assert_int_equal(w[1], 0);
	assert_int_equal(c->p_vfwait, -1);
	/* the parent's AS lives on */
	assert_int_equal(fake_as_pages(tp->p_as), 16);
	assert_int_equal(fake_pages(), pages);

	/* relvm by exec: the reply goes then, and only once */
	assert_int_equal(forksys(tp, NULL, FORK_VFORK, 0, &out), HELD);
	c = NULL;
	for_each_proc(sys, q)
		if (q->p_stat == P_RUN && q->p_parent == tp)
			c = q;
	assert_non_null(c);
	vfork_release(sys, c);
	assert_int_equal(fake_nreplies(), n0 + 2);
	assert_reply(n0 + 1, tp->p_pid, 0, w);
	assert_int_equal(w[0], c->p_pid);
	assert_false(c->p_flag & PF_VFORK);
	proc_exit(sys, c, 0);
	assert_int_equal(fake_nreplies(), n0 + 2);
}

/*
 * Every unwind path: fail the n-th injectable kernel call, n = 1, 2, ...
 * until the fork goes through.  Each failure: ENOMEM only when the
 * address-space clone failed, else EAGAIN; counted once; punished once;
 * nothing charged, taken or left held.  Returns how many n failed.
 */
static int unwind_walk(int sub, struct lwp *l, int *as_clone_fails, int *reply_save_fails)
{
	struct snap base, a, b;
	struct msg out;
	int fails = 0, n;

	snap(tp, &base);
	for (n = 1; n < 64; n++) {
		const char *f;
		bool nomem;
		int r, pun = punished;

		snap(tp, &a);
		fake_take_failed();
		kcalls_fail_nth((uint64_t)n);
		r = forksys(tp, l, sub, 0, &out);
		kcalls_fail_nth(0);
		f = fake_take_failed();
		if (!f) {
			assert_int_equal(r, sub == FORK_VFORK ? HELD : 0);
			break;
		}
		fails++;
		nomem = strcmp(f, "k_as_clone") == 0;
		*as_clone_fails += nomem;
		*reply_save_fails += strcmp(f, "k_reply_save") == 0;
		assert_int_equal(r, nomem ? ENOMEM : EAGAIN);
		assert_int_equal(punished, pun + 1);
		assert_int_equal(punish_err, r);
		snap(tp, &b);
		assert_snap_equal(&a, &b);
		assert_ff(&a, &b, 0, nomem, !nomem, 0);
		assert_int_equal(fake_bad_calls(), 0);
		assert_null(only_child(tp));
	}
	assert_true(n < 64);

	/* the fork that went through: its child exits and is reaped, and all is as before */
	struct proc *c = only_child(tp);
	assert_non_null(c);
	proc_exit(sys, c, 0);
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_EXITED, &out), 0);
	snap(tp, &b);
	base.nreplies = b.nreplies;                   /* a vfork parent's reply went out */
	assert_snap_equal(&base, &b);
	return fails;
}

static void test_unwind_fork1(void **state)
{
	int nomem = 0, rs = 0;
	/* as_clone, cspace_clone, handle_replace x 3 (proc, console, fs), fs PFORK, handle_dup (fault),
	   thread_clone */
	assert_int_equal(unwind_walk(FORK_FORK1, NULL, &nomem, &rs), 8);
	assert_int_equal(nomem, 1);
}

static void test_unwind_forkall(void **state)
{
	int nomem = 0, rs = 0;
	struct lwp *l;
	add_lwp(tp);
	add_lwp(tp);
	l = add_lwp(tp);
	/* as_clone, cspace_clone, handle_replace x 3, fs PFORK, handle_dup (fault), 4 x thread_clone */
	assert_int_equal(unwind_walk(FORK_FORKALL, l, &nomem, &rs), 11);
	assert_int_equal(nomem, 1);
}

static void test_unwind_vfork(void **state)
{
	int nomem = 0, rs = 0;
	/* handle_dup (AS), cspace_clone, handle_replace x 3, fs PFORK, handle_dup (fault), thread_clone,
	   reply_save */
	assert_int_equal(unwind_walk(FORK_VFORK, NULL, &nomem, &rs), 9);
	assert_int_equal(nomem, 0);                  /* vfork clones nothing: never ENOMEM */
	assert_int_equal(rs, 1);                     /* the parent cannot be held: the fork fails */
}

/* a getproc failure inside fork is counted once (by getproc), and forkall lets its lwps go */
static void test_fork_getproc_fails(void **state)
{
	struct snap a, b;
	struct msg out;
	struct lwp *l = add_lwp(tp);

	tp->p_task->tk_max_procs = (uint64_t)tp->p_task->tk_nprocs;
	snap(tp, &a);
	assert_int_equal(forksys(tp, l, FORK_FORKALL, 0, &out), EAGAIN);
	snap(tp, &b);
	assert_snap_equal(&a, &b);
	assert_ff(&a, &b, 1, 0, 0, 0);
	assert_int_equal(punished, 1);
	assert_int_equal(b.lwp_state[0], T_RUN);
	assert_int_equal(b.lwp_state[1], T_RUN);
}

/* ---- exit and wait ---- */

static void test_wait_pid_all_nohang_echild(void **state)
{
	struct msg out;
	struct proc *c1, *c2;
	int pid1;

	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED, &out), ECHILD);
	assert_int_equal(wait_call(tp, IDT_PID, init->p_pid, PW_EXITED, &out), ECHILD);   /* not a child */
	assert_int_equal(wait_call(tp, IDT_ALL, 0, 0, &out), EINVAL);
	assert_int_equal(wait_call(tp, 5, 0, PW_EXITED, &out), EINVAL);
	c1 = fork1(tp, 0);
	c2 = fork1(tp, 0);
	pid1 = c1->p_pid;
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED | PW_NOHANG, &out), 0);
	assert_int_equal(out.w[0], 0);
	assert_int_equal(wait_call(tp, IDT_PID, 999, PW_EXITED | PW_NOHANG, &out), ECHILD);

	proc_exit(sys, c1, 42 << 8);
	assert_int_equal(c1->p_stat, P_ZOMB);
	assert_int_equal(wait_call(tp, IDT_PID, c2->p_pid, PW_EXITED | PW_NOHANG, &out), 0);
	assert_int_equal(out.w[0], 0);                          /* not the zombie */
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED | PW_NOHANG, &out), 0);
	assert_int_equal(out.w[0], pid1);
	assert_int_equal(out.w[1], PCLD_EXITED);
	assert_int_equal(out.w[2], 42);
	assert_int_equal(out.w[3], 42 << 8);
	assert_null(proc_find(sys, pid1));

	proc_exit(sys, c2, SIGKILL_NO);
	assert_int_equal(wait_call(tp, IDT_PID, c2->p_pid, PW_EXITED, &out), 0);
	assert_int_equal(out.w[1], PCLD_KILLED);
	assert_int_equal(out.w[2], SIGKILL_NO);
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED, &out), ECHILD);
}

static void test_wait_pgid(void **state)
{
	struct msg out;
	struct proc *a = fork1(tp, 0), *b = fork1(tp, 0), *c = fork1(tp, 0);
	int pa = a->p_pid, pb = b->p_pid;

	assert_int_equal(do_setpgid(sys, tp, pa, 0), 0);
	assert_int_equal(do_setpgid(sys, tp, pb, pa), 0);
	proc_exit(sys, c, 0);                                        /* not in group pa */
	assert_int_equal(wait_call(tp, IDT_PGID, pa, PW_EXITED | PW_NOHANG, &out), 0);
	assert_int_equal(out.w[0], 0);
	proc_exit(sys, b, 1 << 8);
	assert_int_equal(wait_call(tp, IDT_PGID, pa, PW_EXITED, &out), 0);
	assert_int_equal(out.w[0], pb);
	assert_int_equal(wait_call(tp, IDT_PGID, 777, PW_EXITED, &out), ECHILD);
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_EXITED, &out), 0);
}

/* a held wait is answered by the exit; one for another child is not */
static void test_wait_held(void **state)
{
	struct msg out;
	uint64_t w[IPC_MAX_WORDS];
	struct proc *c1 = fork1(tp, 0), *c2 = fork1(tp, 0);
	int n0 = fake_nreplies(), pid2 = c2->p_pid;
	handle_t reply;

	assert_int_equal(wait_call(tp, IDT_PID, pid2, PW_EXITED, &out), HELD);
	reply = tp->p_wait_reply;
	assert_true(reply >= 0);
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED, &out), EAGAIN);   /* one waiter per process */
	proc_exit(sys, c1, 0);
	assert_int_equal(fake_nreplies(), n0);
	assert_int_equal(c1->p_stat, P_ZOMB);
	proc_exit(sys, c2, 9 << 8);
	assert_int_equal(fake_nreplies(), n0 + 1);
	assert_reply(n0, tp->p_pid, 0, w);
	assert_int_equal(w[0], pid2);
	assert_int_equal(w[1], PCLD_EXITED);
	assert_int_equal(w[2], 9);
	assert_int_equal(w[3], 9 << 8);
	assert_null(proc_find(sys, pid2));                           /* reaped */
	assert_int_equal(tp->p_wait_reply, -1);
	assert_int_equal(fake_obj(reply), 0);                   /* the reply was consumed */
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED, &out), 0);
	assert_int_equal(out.w[0], c1->p_pid);

	/* a held PW_NOWAIT wait answers but leaves the zombie */
	c1 = fork1(tp, 0);
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED | PW_NOWAIT, &out), HELD);
	proc_exit(sys, c1, 0);
	assert_int_equal(fake_nreplies(), n0 + 2);
	assert_int_equal(c1->p_stat, P_ZOMB);
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED, &out), 0);
	assert_int_equal(out.w[0], c1->p_pid);
}

static void test_wait_nowait(void **state)
{
	struct msg out;
	struct proc *c = fork1(tp, 0);
	int pid = c->p_pid, nproc;

	proc_exit(sys, c, 5 << 8);
	nproc = sys->nproc;
	assert_int_equal(wait_call(tp, IDT_PID, pid, PW_EXITED | PW_NOWAIT, &out), 0);
	assert_int_equal(out.w[0], pid);
	assert_ptr_equal(proc_find(sys, pid), c);
	assert_int_equal(sys->nproc, nproc);
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED, &out), 0);
	assert_int_equal(out.w[0], pid);
	assert_int_equal(out.w[2], 5);
	assert_null(proc_find(sys, pid));
	assert_int_equal(sys->nproc, nproc - 1);
}

static void test_wait_flags(void **state)
{
	struct msg out;
	struct proc *wp = fork1(tp, FORK_WAITPID), *ns;

	assert_true(wp->p_flag & PF_WAITPID);
	proc_exit(sys, wp, 0);
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED, &out), ECHILD);     /* not for IDT_ALL */
	assert_int_equal(wait_call(tp, IDT_PGID, wp->p_pgid, PW_EXITED, &out), ECHILD);
	assert_int_equal(wait_call(tp, IDT_PID, wp->p_pid, PW_EXITED, &out), 0);
	assert_int_equal(out.w[0], wp->p_pid);

	tp->p_sigpoll = 0;
	ns = fork1(tp, FORK_NOSIGCHLD);
	proc_exit(sys, ns, 0);
	assert_int_equal(tp->p_sigpoll & SIGCHLD_BIT, 0);
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED, &out), 0);
	ns = fork1(tp, 0);
	proc_exit(sys, ns, 0);
	assert_int_equal(tp->p_sigpoll & SIGCHLD_BIT, SIGCHLD_BIT);
}

/* orphans go to init; a zombie among them wakes init's held wait */
static void test_exit_reparent(void **state)
{
	struct msg out;
	uint64_t w[IPC_MAX_WORDS];
	struct proc *c = fork1(tp, 0), *g = fork1(c, FORK_WAITPID), *g2;
	int n0, gpid;

	proc_exit(sys, c, 0);
	assert_ptr_equal(g->p_parent, init);
	assert_false(g->p_flag & PF_WAITPID);                 /* init reaps whatever it gets */
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_EXITED, &out), 0);
	assert_int_equal(wait_call(init, IDT_PID, g->p_pid, PW_EXITED | PW_NOHANG, &out), 0);
	assert_int_equal(out.w[0], 0);

	c = fork1(tp, 0);
	g2 = fork1(c, 0);
	gpid = g2->p_pid;
	proc_exit(sys, g2, 4 << 8);                                  /* c does not wait */
	assert_int_equal(g2->p_stat, P_ZOMB);
	init->p_sigpoll = 0;
	assert_int_equal(wait_call(init, IDT_ALL, 0, PW_EXITED, &out), HELD);
	n0 = fake_nreplies();
	proc_exit(sys, c, 0);
	assert_int_equal(fake_nreplies(), n0 + 1);
	assert_reply(n0, init->p_pid, 0, w);
	assert_int_equal(w[0], gpid);
	assert_int_equal(w[2], 4);
	assert_null(proc_find(sys, gpid));
	assert_true(init->p_sigpoll & SIGCHLD_BIT);
	assert_int_equal(c->p_stat, P_ZOMB);                    /* still tp's to reap */
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_EXITED, &out), 0);
}

/* kernel resources go at exit; counters, pid and slot at reap */
static void test_exit_counters(void **state)
{
	struct snap s0, s1, s2, s3;
	struct msg out;
	struct proc *c;
	int pid;

	snap(tp, &s0);
	c = fork1(tp, 0);
	pid = c->p_pid;
	snap(tp, &s1);
	proc_exit(sys, c, 3 << 8);
	snap(tp, &s2);
	assert_int_equal(c->p_stat, P_ZOMB);
	assert_int_equal(c->p_nlwp, 0);
	assert_int_equal(s2.objs, s0.objs);
	assert_int_equal(s2.handles, s0.handles);
	assert_int_equal(s2.pages, s0.pages);
	assert_int_equal(s2.tk_nlwps, s0.tk_nlwps);
	assert_int_equal(s2.nproc, s1.nproc);
	assert_int_equal(s2.up, s1.up);
	assert_int_equal(s2.tk_nprocs, s1.tk_nprocs);
	assert_int_equal(s2.pj_nprocs, s1.pj_nprocs);
	assert_int_equal(s2.z_nprocs, s1.z_nprocs);
	assert_int_equal(s1.nproc, s0.nproc + 1);
	assert_ptr_equal(proc_find(sys, pid), c);
	proc_exit(sys, c, SIGKILL_NO);                               /* a zombie does not exit twice */
	assert_int_equal(wait_call(tp, IDT_PID, pid, PW_EXITED, &out), 0);
	assert_int_equal(out.w[1], PCLD_EXITED);
	assert_int_equal(out.w[2], 3);
	snap(tp, &s3);
	s3.nreplies = s0.nreplies;
	assert_snap_equal(&s0, &s3);
	assert_null(proc_find(sys, pid));
}

/* ---- sessions and process groups ---- */

static void test_setsid(void **state)
{
	int sid = 0, pgid = 0;
	struct proc *c = fork1(tp, 0);
	struct session *old = tp->p_sess;
	int refs = old->s_refs;

	assert_int_equal(do_setsid(sys, init, &sid), EPERM);          /* a group leader */
	assert_int_equal(do_setsid(sys, tp, &sid), 0);
	assert_int_equal(sid, tp->p_pid);
	assert_int_equal(tp->p_pgid, tp->p_pid);
	assert_int_equal(old->s_refs, refs - 1);
	assert_int_equal(do_getsid(sys, tp, 0, &sid), 0);
	assert_int_equal(sid, tp->p_pid);
	assert_int_equal(do_getpgid(sys, tp, 0, &pgid), 0);
	assert_int_equal(pgid, tp->p_pid);
	assert_int_equal(do_getsid(sys, tp, c->p_pid, &sid), 0);
	assert_int_equal(sid, init->p_pid);                      /* the child stays */
	assert_int_equal(do_setsid(sys, tp, &sid), EPERM);            /* a leader now */
	assert_int_equal(do_getsid(sys, tp, 4242, &sid), ESRCH);
	assert_int_equal(do_getpgid(sys, tp, 4242, &pgid), ESRCH);
}

static void test_setpgid(void **state)
{
	struct proc *a = fork1(tp, 0), *b = fork1(tp, 0), *x = fork1(tp, 0), *s = fork1(tp, 0);
	int sid, pgid;

	assert_int_equal(do_setpgid(sys, tp, init->p_pid, 0), ESRCH);    /* not self or child */
	assert_int_equal(do_setpgid(sys, tp, 4242, 0), ESRCH);
	assert_int_equal(do_setpgid(sys, tp, a->p_pid, -1), EINVAL);
	/* a group of its own, then another child joins it */
	assert_int_equal(do_setpgid(sys, tp, a->p_pid, 0), 0);
	assert_int_equal(a->p_pgid, a->p_pid);
	assert_int_equal(do_setpgid(sys, tp, b->p_pid, a->p_pid), 0);
	assert_int_equal(do_getpgid(sys, tp, b->p_pid, &pgid), 0);
	assert_int_equal(pgid, a->p_pid);
	assert_int_equal(do_setpgid(sys, tp, b->p_pid, 4242), EPERM);    /* no such group */
	/* a child that has exec'd */
	x->p_flag |= PF_EXECED;
	assert_int_equal(do_setpgid(sys, tp, x->p_pid, 0), EACCES);
	/* a child in another session, and that session's leader moving itself */
	assert_int_equal(do_setsid(sys, s, &sid), 0);
	assert_int_equal(do_setpgid(sys, tp, s->p_pid, 0), EPERM);
	assert_int_equal(do_setpgid(sys, s, 0, 0), EPERM);
	/* a group that exists, but in another session */
	assert_int_equal(do_setpgid(sys, tp, b->p_pid, s->p_pid), EPERM);
	assert_int_equal(b->p_pgid, a->p_pid);
	/* a session leader cannot be moved; its children left in the old session neither */
	assert_int_equal(do_setsid(sys, tp, &sid), 0);
	assert_int_equal(do_setpgid(sys, tp, 0, tp->p_pid), EPERM);
	assert_int_equal(do_setpgid(sys, tp, b->p_pid, 0), EPERM);
	assert_int_equal(b->p_pgid, a->p_pid);
	assert_int_equal(do_setpgid(sys, init, 0, 0), EPERM);
}

/* ---- resource controls ---- */

static void test_rctl_copy_on_fork(void **state)
{
	uint64_t v, use;
	int64_t eid;
	struct proc *c;

	assert_int_equal(rctl_get(sys, tp, RCTL_PROCESS_MAX_FD, -1, &v, &eid, &use), 0);
	assert_int_equal(v, 256);
	assert_int_equal(eid, tp->p_pid);
	c = fork1(tp, 0);
	assert_int_equal(rctl_get(sys, tp, RCTL_PROCESS_MAX_FD, c->p_pid, &v, &eid, &use), 0);
	assert_int_equal(v, 256);
	assert_int_equal(eid, c->p_pid);
	assert_int_equal(rctl_set(sys, c, RCTL_PROCESS_MAX_FD, -1, 100), 0);
	assert_int_equal(tp->p_rctl[RCTL_PROCESS_MAX_FD], 256);
	assert_int_equal(rctl_set(sys, tp, RCTL_PROCESS_MAX_FD, -1, 50), 0);
	assert_int_equal(c->p_rctl[RCTL_PROCESS_MAX_FD], 100);
	assert_int_equal(rctl_set(sys, tp, RCTL_PROCESS_MAX_STACK, -1, 1 << 20), 0);
	assert_int_equal(c->p_rctl[RCTL_PROCESS_MAX_STACK], RCTL_UNLIMITED);
	/* a grandchild gets the child's */
	assert_int_equal(fork1(c, 0)->p_rctl[RCTL_PROCESS_MAX_FD], 100);
}

static void test_rctl_perms(void **state)
{
	uint64_t v, use;
	int64_t eid;
	int tkid = tp->p_task->tk_id;

	/* lowering its own process's and task's: anyone; raising, and projects and zones: uid 0 only */
	assert_int_equal(rctl_set(sys, tp, RCTL_PROCESS_MAX_FD, -1, 128), 0);
	assert_int_equal(rctl_set(sys, tp, RCTL_PROCESS_MAX_FD, -1, 129), EPERM);
	assert_int_equal(tp->p_rctl[RCTL_PROCESS_MAX_FD], 128);
	assert_int_equal(rctl_set(sys, tp, RCTL_TASK_MAX_PROCS, -1, 10), 0);
	assert_int_equal(tp->p_task->tk_max_procs, 10);
	assert_int_equal(rctl_set(sys, tp, RCTL_TASK_MAX_PROCS, tkid, 11), EPERM);
	assert_int_equal(rctl_set(sys, tp, RCTL_PROJECT_MAX_LWPS, 1, 50), EPERM);   /* its own project too */
	assert_int_equal(rctl_set(sys, init, RCTL_PROJECT_MAX_LWPS, 1, 50), 0);
	assert_int_equal(rctl_get(sys, tp, RCTL_PROJECT_MAX_LWPS, -1, &v, &eid, &use), 0);
	assert_int_equal(v, 50);
	assert_int_equal(eid, 1);
	assert_int_equal(rctl_set(sys, tp, RCTL_ZONE_MAX_PROCS, 0, 1000), EPERM);
	assert_int_equal(rctl_set(sys, init, RCTL_ZONE_MAX_PROCS, 0, 1000), 0);
	assert_int_equal(rctl_set(sys, tp, RCTL_ZONE_MAX_PROCS, 0, RCTL_UNLIMITED), EPERM);
	assert_int_equal(rctl_set(sys, init, RCTL_ZONE_MAX_PROCS, 0, RCTL_UNLIMITED), 0);
	assert_int_equal(rctl_set(sys, init, RCTL_TASK_MAX_PROCS, tkid, 100), 0);
	assert_int_equal(tp->p_task->tk_max_procs, 100);
	assert_int_equal(rctl_set(sys, init, RCTL_PROCESS_MAX_FD, tp->p_pid, 1024), 0);
	assert_int_equal(tp->p_rctl[RCTL_PROCESS_MAX_FD], 1024);
	/* another process's own controls: not even lowering, unless root */
	assert_int_equal(rctl_set(sys, tp, RCTL_PROCESS_MAX_FD, init->p_pid, 1), EPERM);
	assert_int_equal(init->p_rctl[RCTL_PROCESS_MAX_FD], 256);
	/* unknown entities and controls */
	assert_int_equal(rctl_get(sys, tp, RCTL_PROCESS_MAX_FD, 4242, &v, &eid, &use), ESRCH);
	assert_int_equal(rctl_get(sys, tp, RCTL_TASK_MAX_LWPS, 4242, &v, &eid, &use), ESRCH);
	assert_int_equal(rctl_get(sys, tp, RCTL_PROJECT_MAX_TASKS, 4242, &v, &eid, &use), ESRCH);
	assert_int_equal(rctl_get(sys, tp, RCTL_ZONE_MAX_LWPS, NZONE, &v, &eid, &use), ESRCH);
	assert_int_equal(rctl_set(sys, init, RCTL_TASK_MAX_PROCS, 4242, 1), ESRCH);
	assert_int_equal(rctl_get(sys, tp, RCTL_N, -1, &v, &eid, &use), EINVAL);
	assert_int_equal(rctl_set(sys, tp, -1, -1, 0), EINVAL);
}

/* a lowered task.max-processes is what getproc then applies */
static void test_rctl_limits_fork(void **state)
{
	struct snap a, b;
	struct msg out;

	assert_int_equal(rctl_set(sys, tp, RCTL_TASK_MAX_PROCS, -1, (uint64_t)tp->p_task->tk_nprocs + 1), 0);
	fork1(tp, 0);
	snap(tp, &a);
	assert_int_equal(forksys(tp, NULL, FORK_FORK1, 0, &out), EAGAIN);
	snap(tp, &b);
	assert_snap_equal(&a, &b);
	assert_ff(&a, &b, 1, 0, 0, 0);
}

static void test_newtask(void **state)
{
	struct task *old = tp->p_task;
	struct project *pj1 = old->tk_proj, *pj0 = init->p_task->tk_proj, *pj3;
	int oldid = old->tk_id, ntasks = pj1->kpj_ntasks, nprocs = pj1->kpj_nprocs, nlwps = pj1->kpj_nlwps;
	int tk;
	struct proc *c;

	add_lwp(tp);                                           /* 2 lwps to move */
	nlwps++;
	c = fork1(tp, 0);                                      /* stays in the old task */
	nprocs++;
	nlwps++;
	assert_int_equal(do_newtask(sys, tp, -1, &tk), 0);
	assert_int_not_equal(tk, oldid);
	assert_int_equal(tp->p_task->tk_id, tk);
	assert_ptr_equal(tp->p_task->tk_proj, pj1);
	assert_int_equal(tp->p_task->tk_nprocs, 1);
	assert_int_equal(tp->p_task->tk_nlwps, 2);
	assert_int_equal(old->tk_id, oldid);                   /* c keeps it alive */
	assert_int_equal(old->tk_nprocs, 1);
	assert_int_equal(old->tk_nlwps, 1);
	assert_int_equal(pj1->kpj_ntasks, ntasks + 1);
	assert_int_equal(pj1->kpj_nprocs, nprocs);
	assert_int_equal(pj1->kpj_nlwps, nlwps);
	/* the last process leaves: the task goes */
	assert_int_equal(do_newtask(sys, c, -1, &tk), 0);
	assert_int_equal(old->tk_id, 0);
	assert_int_equal(pj1->kpj_ntasks, ntasks + 1);
	assert_int_equal(pj1->kpj_nprocs, nprocs);

	/* another project: root only */
	assert_int_equal(do_newtask(sys, tp, 3, &tk), EPERM);
	assert_ptr_equal(tp->p_task->tk_proj, pj1);
	assert_int_equal(pj1->kpj_nprocs, nprocs);
	int p0procs = pj0->kpj_nprocs, p0lwps = pj0->kpj_nlwps;
	assert_int_equal(do_newtask(sys, init, 3, &tk), 0);
	pj3 = init->p_task->tk_proj;
	assert_int_equal(pj3->kpj_id, 3);
	assert_int_equal(pj3->kpj_nprocs, 1);
	assert_int_equal(pj3->kpj_nlwps, init->p_nlwp);
	assert_int_equal(pj3->kpj_ntasks, 1);
	assert_int_equal(pj0->kpj_nprocs, p0procs - 1);
	assert_int_equal(pj0->kpj_nlwps, p0lwps - init->p_nlwp);
	/* project.max-tasks holds */
	pj3->kpj_max_tasks = 1;
	assert_int_equal(do_newtask(sys, init, -1, &tk), EAGAIN);
	assert_ptr_equal(init->p_task->tk_proj, pj3);
	assert_int_equal(pj3->kpj_nprocs, 1);
}

/* process.max-kernel-objects: the kernel's limit on the table follows it, and so does the reservation */
static void test_rctl_kernel_objects(void **state)
{
	const uint64_t MB = 1 << 20;
	uint64_t v, use, v_swap;
	int64_t eid;
	struct proc *c;

	mem_init(sys, 100 * MB);
	tp->p_rctl[RCTL_PROCESS_MAX_AS] = sys->v_as_default;
	assert_int_equal(rctl_get(sys, tp, RCTL_PROCESS_MAX_KOBJ, -1, &v, &eid, &use), 0);
	assert_int_equal(v, KOBJ_DEFAULT);                 /* init's, inherited */
	assert_int_equal(use, 0);                          /* the kernel's count (none made here) */
	assert_int_equal(mem_reserve(sys, tp, 1 * MB), 0);
	v_swap = sys->v_swap;
	/* lowering its own: the kernel is told, the reservation shrinks */
	assert_int_equal(rctl_set(sys, tp, RCTL_PROCESS_MAX_KOBJ, -1, 16), 0);
	assert_int_equal(tp->p_rctl[RCTL_PROCESS_MAX_KOBJ], 16);
	assert_int_equal(fake_cspace_limit(tp->p_cs), 16);
	assert_int_equal(sys->v_swap, v_swap - (KOBJ_DEFAULT - 16) * KOBJ_BYTES);
	/* raising: uid 0 only, and only as far as the system can reserve */
	assert_int_equal(rctl_set(sys, tp, RCTL_PROCESS_MAX_KOBJ, -1, 17), EPERM);
	assert_int_equal(rctl_set(sys, init, RCTL_PROCESS_MAX_KOBJ, tp->p_pid, RCTL_UNLIMITED), ENOMEM);
	assert_int_equal(tp->p_rctl[RCTL_PROCESS_MAX_KOBJ], 16);
	assert_int_equal(fake_cspace_limit(tp->p_cs), 16);
	assert_int_equal(sys->v_swap, v_swap - (KOBJ_DEFAULT - 16) * KOBJ_BYTES);
	/* a kernel call that fails changes nothing either */
	kcalls_fail_nth(1);
	assert_int_equal(rctl_set(sys, tp, RCTL_PROCESS_MAX_KOBJ, -1, 8), ENOMEM);
	kcalls_fail_nth(0);
	assert_int_equal(tp->p_rctl[RCTL_PROCESS_MAX_KOBJ], 16);
	/* a fork child has its parent's, and its table the same limit */
	c = fork1(tp, 0);
	assert_int_equal(c->p_rctl[RCTL_PROCESS_MAX_KOBJ], 16);
	assert_int_equal(fake_cspace_limit(c->p_cs), 16);
	assert_int_equal(sys->v_swap, 2 * (v_swap - (KOBJ_DEFAULT - 16) * KOBJ_BYTES));
	proc_exit(sys, c, 0);
	assert_int_equal(sys->v_swap, v_swap - (KOBJ_DEFAULT - 16) * KOBJ_BYTES);
	mem_release(sys, tp, tp->p_vsize);
}

/* ---- memory reservations (mem.c) ---- */

static void test_mem_reservations(void **state)
{
	const uint64_t MB = 1 << 20;
	struct snap a, b;
	struct msg out;
	struct proc *c;
	uint64_t v_swap;
	int tk;

	mem_init(sys, 100 * MB);                               /* 87.5 MiB to reserve, 21.875 MiB a process */
	assert_int_equal(sys->v_swap_max, 100 * MB - 100 * MB / 8);
	tp->p_rctl[RCTL_PROCESS_MAX_AS] = sys->v_as_default;
	assert_int_equal(mem_reserve(sys, tp, 8 * MB), 0);
	assert_int_equal(tp->p_vsize, 8 * MB);
	assert_int_equal(tp->p_task->tk_vsize, 8 * MB);
	assert_int_equal(tp->p_zone->z_vsize, 8 * MB);
	v_swap = sys->v_swap;
	assert_true(v_swap > 8 * MB);                     /* its page tables too */
	/* over the process's limit: nothing changes */
	assert_int_equal(mem_reserve(sys, tp, sys->v_as_default), ENOMEM);
	assert_int_equal(tp->p_vsize, 8 * MB);
	assert_int_equal(sys->v_swap, v_swap);
	/* a fork reserves the parent's size for the child; vfork nothing */
	c = fork1(tp, 0);
	assert_int_equal(c->p_vsize, 8 * MB);
	assert_int_equal(tp->p_task->tk_vsize, 16 * MB);
	assert_int_equal(sys->v_swap, 2 * v_swap);
	assert_int_equal(forksys(tp, NULL, FORK_VFORK, 0, &out), HELD);
	assert_int_equal(sys->v_swap, 2 * v_swap);
	/* a task that cannot hold a third copy: ENOMEM, counted as nomem, nothing taken */
	assert_int_equal(rctl_set(sys, tp, RCTL_TASK_MAX_AS, -1, 20 * MB), 0);
	snap(tp, &a);
	assert_int_equal(forksys(tp, NULL, FORK_FORK1, 0, &out), ENOMEM);
	snap(tp, &b);
	assert_snap_equal(&a, &b);
	assert_ff(&a, &b, 0, 1, 0, 0);
	assert_int_equal(sys->v_swap, 2 * v_swap);
	/* the child's exit gives its reservation back */
	proc_exit(sys, c, 0);
	assert_int_equal(tp->p_task->tk_vsize, 8 * MB);
	assert_int_equal(sys->v_swap, v_swap);
	/* exec: the new image alone against the process, both against the task */
	assert_int_equal(mem_exec_check(sys, tp, 12 * MB), 0);
	assert_int_equal(mem_exec_check(sys, tp, 13 * MB), ENOMEM);   /* 8 + 13 > 20 */
	mem_exec_commit(sys, tp, 12 * MB);
	assert_int_equal(tp->p_vsize, 12 * MB);
	assert_int_equal(tp->p_task->tk_vsize, 12 * MB);
	/* newtask takes the size along */
	struct task *old = tp->p_task;
	assert_int_equal(rctl_set(sys, init, RCTL_TASK_MAX_AS, old->tk_id, RCTL_UNLIMITED), 0);
	c = fork1(tp, 0);
	assert_int_equal(do_newtask(sys, tp, -1, &tk), 0);
	assert_int_equal(old->tk_vsize, 12 * MB);         /* c's */
	assert_int_equal(tp->p_task->tk_vsize, 12 * MB);
	/* the system's figure: at most v_swap_max reserved in all */
	tp->p_rctl[RCTL_PROCESS_MAX_AS] = RCTL_UNLIMITED;
	assert_int_equal(mem_reserve(sys, tp, 80 * MB), ENOMEM);
	assert_int_equal(mem_reserve(sys, tp, 40 * MB), 0);
	mem_release(sys, tp, 52 * MB);
	assert_int_equal(tp->p_vsize, 0);
}

/* ---- credentials (cred.c) ---- */

/* POSIX's saved-id rules; the per-user count follows the real uid; groups need uid 0 */
static void test_creds(void **state)
{
	struct proc *c = fork1(tp, 0), *d = fork1(tp, 0);
	uint32_t g[NGROUPS_PROC + 1] = { 5, 6 };
	int up1000 = upcount_get(sys, 1000);

	set_uid(c, 0);
	assert_int_equal(do_setcred(sys, c, CRED_SETREUID, 1000, 1001), 0);
	assert_int_equal(c->p_ruid, 1000);
	assert_int_equal(c->p_uid, 1001);
	assert_int_equal(c->p_suid, 1001);
	assert_int_equal(upcount_get(sys, 1000), up1000 + 1);      /* counted by its real uid */
	assert_int_equal(do_setcred(sys, c, CRED_SETUID, 0, 0), EPERM);
	assert_int_equal(do_setcred(sys, c, CRED_SETEUID, 1000, 0), 0);
	assert_int_equal(do_setcred(sys, c, CRED_SETEUID, 1002, 0), EPERM);
	assert_int_equal(do_setcred(sys, c, CRED_SETEUID, 1001, 0), 0);   /* the saved one */
	assert_int_equal(do_setcred(sys, c, CRED_SETUID, 1000, 0), 0);     /* effective only */
	assert_int_equal(c->p_ruid, 1000);
	assert_int_equal(c->p_suid, 1001);
	assert_int_equal(do_setcred(sys, c, CRED_SETUID, 0xfffffffe, 0), EINVAL);
	assert_int_equal(do_setcred(sys, c, CRED_SETREUID, 0xffffffff, 1001), 0);  /* -1: unchanged */
	assert_int_equal(c->p_ruid, 1000);
	assert_int_equal(do_setcred(sys, c, CRED_SETREUID, 1002, 0xffffffff), EPERM);
	assert_int_equal(do_setcred(sys, c, 99, 0, 0), EINVAL);
	/* gids: privilege is effective uid 0 */
	assert_int_equal(do_setcred(sys, c, CRED_SETGID, 7, 0), EPERM);
	assert_int_equal(do_setgroups(c, g, 2), EPERM);
	assert_int_equal(do_setgroups(d, g, 2), EPERM);          /* TP_UID is not 0 either */
	set_uid(d, 0);
	assert_int_equal(do_setgroups(d, g, NGROUPS_PROC + 1), EINVAL);
	assert_int_equal(do_setgroups(d, g, 2), 0);
	assert_int_equal(d->p_ngroups, 2);
	assert_int_equal(do_setcred(sys, d, CRED_SETREGID, 30, 31), 0);
	assert_int_equal(d->p_rgid, 30);
	assert_int_equal(d->p_gid, 31);
	assert_int_equal(d->p_sgid, 31);
	/* fork copies it all; exec makes the saved ids the effective ones */
	struct proc *e = fork1(d, 0);
	assert_int_equal(e->p_ngroups, 2);
	assert_int_equal(e->p_groups[1], 6);
	assert_int_equal(e->p_rgid, 30);
	assert_int_equal(do_setcred(sys, c, CRED_SETEUID, 1000, 0), 0);
	cred_exec(c);
	assert_int_equal(c->p_suid, 1000);
	assert_int_equal(do_setcred(sys, c, CRED_SETEUID, 1001, 0), EPERM);
	/* kill: real or effective against real or saved */
	assert_true(cred_may_signal(d, c, SIGTERM));            /* uid 0 */
	set_uid(d, 1000);
	assert_true(cred_may_signal(c, d, SIGTERM));
	set_uid(d, 2000);
	assert_false(cred_may_signal(c, d, SIGTERM));
	assert_true(cred_may_signal(c, d, SIGCONT) == (c->p_sess == d->p_sess));   /* same session */
	set_uid(c, 0);
	set_uid(d, TP_UID);
}

/* ---- scheduling (sched.c) ---- */

/* SCHED_OTHER 0 and SCHED_RR 1..19 on the kernel's priorities; above 10 needs uid 0; kept by fork */
static void test_sched(void **state)
{
	struct msg out;
	struct proc *c = fork1(tp, 0), *g;
	struct lwp *l0 = &c->p_lwp[0], *l1 = add_lwp(c);
	uint64_t tid;

	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_GET_LWP, 0, 0, 0, &out), 0);
	assert_int_equal(out.w[0], SCHED_OTHER);
	assert_int_equal(out.w[1], 0);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_SET_LWP, 0, SCHED_FIFO, 5, &out), EINVAL);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_SET_LWP, 0, SCHED_RR, 0, &out), EINVAL);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_SET_LWP, 0, SCHED_RR, 20, &out), EINVAL);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_SET_LWP, 0, SCHED_OTHER, 3, &out), EINVAL);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_SET_LWP, 0, SCHED_RR, 11, &out), EPERM);   /* TP_UID */
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_SET_LWP, 0, SCHED_RR, 4, &out), 0);        /* lower: anyone */
	assert_int_equal(fake_thread_prio(l0->l_th), 4);
	assert_int_equal(fake_thread_prio(l1->l_th) == 4, 0);                                    /* per lwp */
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_SET_LWP, l1->l_id, SCHED_RR, 6, &out), 0);
	assert_int_equal(fake_thread_prio(l1->l_th), 6);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_GET_LWP, l1->l_id, 0, 0, &out), 0);
	assert_int_equal(out.w[0], SCHED_RR);
	assert_int_equal(out.w[1], 6);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_GET_LWP, 999, 0, 0, &out), ESRCH);
	/* a process: all its lwps; uid 0 may raise to 19 */
	set_uid(c, 0);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_SET_PROC, 0, SCHED_RR, 19, &out), 0);
	assert_int_equal(out.w[0], SCHED_RR);                                     /* the old policy */
	assert_int_equal(fake_thread_prio(l0->l_th), 19);
	assert_int_equal(fake_thread_prio(l1->l_th), 19);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_SET_PROC, 0, -1, 8, &out), 0);   /* sched_setparam */
	assert_int_equal(l1->l_policy, SCHED_RR);
	assert_int_equal(l1->l_schedprio, 8);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_GET_PROC, 4242, 0, 0, &out), ESRCH);
	assert_int_equal(do_sched(sys, c, l0, 9, 0, 0, 0, &out), EINVAL);
	set_uid(c, TP_UID);
	assert_int_equal(do_sched(sys, c, l0, SCHEDOP_GET_PROC, init->p_pid, 0, 0, &out), EPERM);   /* kill's rule */
	/* a fork child's lwp keeps it (the kernel's clone keeps the priority) */
	assert_int_equal(forksys(c, l1, FORK_FORK1, 0, &out), 0);
	g = proc_find(sys, (int)out.w[0]);
	assert_non_null(g);
	for (int i = 0; i < MAX_LWPS; i++)
		if (g->p_lwp[i].l_th >= 0) {
			assert_int_equal(g->p_lwp[i].l_policy, SCHED_RR);
			assert_int_equal(g->p_lwp[i].l_schedprio, 8);
			assert_int_equal(fake_thread_prio(g->p_lwp[i].l_th), 8);
		}
	/* a new lwp: its creator's, or an explicit one checked */
	assert_int_equal(do_lwp_create(sys, c, l0, 0x401000, 0x0ff00000, 0, 0, 1 + (SCHED_RR << 8 | 12), &tid), EPERM);
	assert_int_equal(do_lwp_create(sys, c, l0, 0x401000, 0x0ff00000, 0, 0, 1 + (SCHED_FIFO << 8 | 2), &tid), EINVAL);
	assert_int_equal(do_lwp_create(sys, c, l0, 0x401000, 0x0ff00000, 0, 0, 1 + (SCHED_RR << 8 | 3), &tid), 0);
	assert_int_equal(lwp_by_id(c, (int)tid)->l_schedprio, 3);
	assert_int_equal(fake_thread_prio(lwp_by_id(c, (int)tid)->l_th), 3);
	assert_int_equal(do_lwp_create(sys, c, l0, 0x401000, 0x0ff00000, 0, 0, 0, &tid), 0);
	assert_int_equal(lwp_by_id(c, (int)tid)->l_schedprio, 8);
}

/* ---- signals (signal.c) ---- */

#define SIGBIT(s) (1ull << (s))

/* default actions: ignore (SIGCHLD, SIGWINCH), terminate (the status says which), SIGKILL always */
static void test_signal_default(void **state)
{
	struct msg out;
	struct proc *c = fork1(tp, 0), *d = fork1(tp, 0);

	proc_signal(sys, c, SIGCHLD);
	proc_signal(sys, c, SIGWINCH);
	proc_signal(sys, c, 0);                                 /* out of range: nothing */
	proc_signal(sys, c, PROC_NSIG);
	proc_signal(sys, c, PROC_SIGCANCEL);                    /* libc's own: ignored unless caught */
	assert_int_equal(c->p_stat, P_RUN);
	assert_int_equal(c->p_sigpend, 0);
	proc_signal(sys, c, SIGTERM);
	assert_int_equal(c->p_stat, P_ZOMB);
	assert_int_equal(c->p_nlwp, 0);
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_EXITED, &out), 0);
	assert_int_equal(out.w[1], PCLD_KILLED);
	assert_int_equal(out.w[2], SIGTERM);
	/* SIGKILL whatever the disposition of the rest */
	assert_int_equal(do_sigaction(sys, d, SIGTERM, SIGDISP_IGN, 0, 0, 0), 0);
	proc_signal(sys, d, SIGTERM);
	assert_int_equal(d->p_stat, P_RUN);
	proc_signal(sys, d, SIGKILL);
	assert_int_equal(d->p_stat, P_ZOMB);
	assert_int_equal(d->p_wstat, SIGKILL);
}

/* SIGCHLD's flags: SA_NOCLDSTOP sends none for a stop; SA_NOCLDWAIT (or SIG_IGN) leaves no zombie */
static void test_sigchld_flags(void **state)
{
	uint64_t w[IPC_MAX_WORDS];
	struct msg out;
	struct proc *c = fork1(tp, 0), *d;
	int n0, pid;

	assert_int_equal(do_sigaction(sys, tp, SIGCHLD, SIGDISP_DFL, 0, 0, SIGACT_NOCLDSTOP), 0);
	tp->p_sigpoll = 0;
	proc_signal(sys, c, SIGTSTP);
	assert_true(c->p_flag & PF_STOPPED);
	assert_int_equal(tp->p_sigpoll & SIGBIT(SIGCHLD), 0);       /* not sent */
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_STOPPED | PW_NOHANG, &out), 0);
	assert_int_equal(out.w[1], PCLD_STOPPED);                   /* still seen by wait */
	proc_signal(sys, c, SIGCONT);
	assert_int_equal(tp->p_sigpoll & SIGBIT(SIGCHLD), 0);
	/* SA_NOCLDWAIT: the child is gone at exit; a wait held for it fails with ECHILD */
	assert_int_equal(do_sigaction(sys, tp, SIGCHLD, SIGDISP_DFL, 0, 0, SIGACT_NOCLDWAIT), 0);
	n0 = fake_nreplies();
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED, &out), HELD);
	pid = c->p_pid;
	proc_signal(sys, c, SIGTERM);
	assert_int_equal(c->p_stat, P_FREE);
	assert_reply(n0, tp->p_pid, ECHILD, w);
	assert_null(proc_find(sys, pid));
	/* SIGCHLD ignored does the same */
	assert_int_equal(do_sigaction(sys, tp, SIGCHLD, SIGDISP_IGN, 0, 0, 0), 0);
	d = fork1(tp, 0);
	proc_signal(sys, d, SIGTERM);
	assert_int_equal(d->p_stat, P_FREE);
	assert_int_equal(wait_call(tp, IDT_ALL, 0, PW_EXITED, &out), ECHILD);
	/* exec drops the flags, keeps SIG_IGN */
	assert_int_equal(do_sigaction(sys, tp, SIGCHLD, SIGDISP_DFL, 0, 0, SIGACT_NOCLDWAIT | SIGACT_NOCLDSTOP), 0);
	sig_exec(tp);
	assert_false(tp->p_nocldwait);
	assert_false(tp->p_nocldstop);
	assert_int_equal(do_sigaction(sys, tp, SIGCHLD, SIGDISP_DFL, 0, 0, 0), 0);
}

/* stop: every lwp held, the parent's wait sees it once; signals wait until SIGCONT */
static void test_signal_stop_cont(void **state)
{
	struct msg out;
	struct proc *c = fork1(tp, 0);

	add_lwp(c);
	proc_signal(sys, c, SIGTSTP);
	assert_true(c->p_flag & PF_STOPPED);
	assert_int_equal(c->p_stopsig, SIGTSTP);
	for (int i = 0; i < MAX_LWPS; i++)
		if (c->p_lwp[i].l_th >= 0)
			assert_int_equal(fake_thread_state(c->p_lwp[i].l_th), T_SUSP);
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_STOPPED | PW_NOHANG, &out), 0);
	assert_int_equal(out.w[0], c->p_pid);
	assert_int_equal(out.w[1], PCLD_STOPPED);
	assert_int_equal(out.w[3], (SIGTSTP << 8) | 0x7f);
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_STOPPED | PW_NOHANG, &out), 0);
	assert_int_equal(out.w[0], 0);                          /* seen once */
	/* continued: its lwps run, the parent's wait sees it */
	proc_signal(sys, c, SIGCONT);
	assert_false(c->p_flag & PF_STOPPED);
	for (int i = 0; i < MAX_LWPS; i++)
		if (c->p_lwp[i].l_th >= 0)
			assert_int_equal(fake_thread_state(c->p_lwp[i].l_th), T_RUN);
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_CONTINUED | PW_NOHANG, &out), 0);
	assert_int_equal(out.w[1], PCLD_CONTINUED);
	assert_int_equal(out.w[3], 0xffff);
	/* what comes while stopped waits, and takes effect when continued */
	proc_signal(sys, c, SIGSTOP);
	proc_signal(sys, c, SIGTERM);
	assert_int_equal(c->p_stat, P_RUN);
	assert_true(c->p_sigpend & SIGBIT(SIGTERM));
	proc_signal(sys, c, SIGCONT);
	assert_int_equal(c->p_stat, P_ZOMB);
	assert_int_equal(c->p_wstat, SIGTERM);
}

/* sigaction's checks; a caught signal waits for sig_deliver, which pushes a frame and runs the trampoline */
static void test_signal_catch(void **state)
{
	const uint64_t tramp = 0x401000, sp = 0x0ff00000;
	uint64_t w[IPC_MAX_WORDS];
	struct msg out;
	struct proc *c = fork1(tp, 0), *g = fork1(c, 0);
	handle_t th = c->p_lwp[0].l_th;
	struct user_regs *regs = fake_thread_regs(th);
	int n0;

	assert_int_equal(do_sigaction(sys, c, SIGKILL, SIGDISP_CATCH, tramp, 0, 0), EINVAL);
	assert_int_equal(do_sigaction(sys, c, SIGSTOP, SIGDISP_IGN, 0, 0, 0), EINVAL);
	assert_int_equal(do_sigaction(sys, c, 0, SIGDISP_IGN, 0, 0, 0), EINVAL);
	assert_int_equal(do_sigaction(sys, c, SIGUSR1, SIGDISP_CATCH + 1, tramp, 0, 0), EINVAL);
	assert_int_equal(do_sigaction(sys, c, SIGUSR1, SIGDISP_CATCH, 0x10, 0, 0), EFAULT);    /* below USER_VA_MIN */
	assert_int_equal(do_sigaction(sys, c, SIGUSR1, SIGDISP_CATCH, tramp | 1, 0, 0), EFAULT);
	assert_int_equal(do_sigaction(sys, c, SIGUSR1, SIGDISP_CATCH, tramp, 0, 0), 0);

	/* pending until delivered; the lwp's held wait is answered EINTR */
	assert_int_equal(wait_call(c, IDT_PID, g->p_pid, PW_EXITED, &out), HELD);
	c->p_wait_tid = c->p_lwp[0].l_tid;                     /* as h_waitid records it */
	regs->pc = 0x400100;
	regs->x[2] = sp;
	n0 = fake_nreplies();
	proc_signal(sys, c, SIGUSR1);
	assert_int_equal(c->p_sigpend, SIGBIT(SIGUSR1));
	assert_int_equal(fake_nreplies(), n0);
	assert_true(sig_deliverable(sys));
	sig_deliver(sys);
	assert_int_equal(c->p_sigpend, 0);
	assert_reply(n0, c->p_pid, EINTR, w);
	assert_int_equal(c->p_wait_reply, -1);
	assert_int_equal(fake_thread_interrupts(th), 1);
	assert_int_equal(fake_thread_state(th), T_RUN);
	assert_int_equal(regs->pc, tramp);
	assert_int_equal(regs->x[10], SIGUSR1);
	assert_int_equal(regs->x[11], regs->x[2]);
	assert_true(regs->x[2] <= sp - sizeof(struct sigframe) && regs->x[2] > sp - sizeof(struct sigframe) - 16);
	assert_int_equal(regs->x[2] % 16, 0);
	assert_false(sig_deliverable(sys));
	/* the handler runs with the signal blocked; the frame has the mask to put back */
	assert_int_equal(c->p_lwp[0].l_sigmask, SIGBIT(SIGUSR1));
	proc_signal(sys, c, SIGUSR1);
	assert_false(sig_deliverable(sys));                     /* not while its handler runs */
	assert_int_equal(c->p_sigpend, SIGBIT(SIGUSR1));
	c->p_sigpend = 0;
	c->p_lwp[0].l_sigmask = 0;                               /* as libc's PROC_SIGMASK at its end */

	/* a stack with no room for the frame: SIGSEGV */
	regs->x[2] = 0x100;
	proc_signal(sys, c, SIGUSR1);
	sig_deliver(sys);
	assert_int_equal(c->p_stat, P_ZOMB);
	assert_int_equal(c->p_wstat, SIGSEGV);
	assert_ptr_equal(g->p_parent, init);
}

/* masks per lwp: a signal to the process goes to an lwp that does not block it, else waits */
static void test_signal_masks(void **state)
{
	struct msg out;
	struct proc *c = fork1(tp, 0);
	struct lwp *l0 = &c->p_lwp[0], *l1 = add_lwp(c);

	assert_int_equal(l0->l_id, tp->p_lwp[0].l_id);              /* fork kept it */
	assert_true(l1->l_id > l0->l_id);
	assert_int_equal(do_sigmask(sys, c, l0, SIG_BLOCK, SIGBIT(SIGTERM) | SIGBIT(SIGKILL) | 1, &out), 0);
	assert_int_equal(out.w[0], 0);
	assert_int_equal(l0->l_sigmask, SIGBIT(SIGTERM));          /* never SIGKILL, no bit 0 */
	assert_int_equal(do_sigmask(sys, c, l0, 3, 0, &out), EINVAL);
	assert_int_equal(do_sigmask(sys, c, l1, SIG_SETMASK, SIGBIT(SIGTERM) | SIGBIT(SIGUSR2), &out), 0);
	/* every lwp blocks it: it waits on the process, default action and all */
	proc_signal(sys, c, SIGTERM);
	assert_int_equal(c->p_stat, P_RUN);
	assert_int_equal(c->p_sigpend, SIGBIT(SIGTERM));
	/* one sent to l1 alone waits on l1 */
	lwp_signal(sys, c, l1, SIGUSR2, NULL);
	assert_int_equal(l1->l_sigpend, SIGBIT(SIGUSR2));
	assert_int_equal(l0->l_sigpend, 0);
	/* l0 unblocks SIGTERM: the default action is taken then, and the call is not answered */
	assert_int_equal(do_sigmask(sys, c, l0, SIG_UNBLOCK, SIGBIT(SIGTERM), &out), NOREPLY);
	assert_int_equal(c->p_stat, P_ZOMB);
	assert_int_equal(c->p_wstat, SIGTERM);
}

/* caught: delivered to the lwp that does not block it; one the caller unblocks runs before its call returns */
static void test_signal_masks_caught(void **state)
{
	const uint64_t tramp = 0x401000;
	struct msg out;
	struct proc *c = fork1(tp, 0);
	struct lwp *l0 = &c->p_lwp[0], *l1 = add_lwp(c);

	fake_thread_regs(l0->l_th)->x[2] = fake_thread_regs(l1->l_th)->x[2] = 0x0ff00000;
	assert_int_equal(do_sigaction(sys, c, SIGUSR1, SIGDISP_CATCH, tramp, SIGBIT(SIGUSR2) | SIGBIT(SIGKILL), 0), 0);
	assert_int_equal(do_sigmask(sys, c, l0, SIG_BLOCK, SIGBIT(SIGUSR1), &out), 0);
	proc_signal(sys, c, SIGUSR1);
	assert_true(sig_deliverable(sys));
	sig_deliver(sys);
	assert_int_equal(fake_thread_regs(l1->l_th)->pc, tramp);      /* l1 took it */
	assert_int_not_equal(fake_thread_regs(l0->l_th)->pc, tramp);
	assert_int_equal(l1->l_sigmask, SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2));   /* sa_mask and itself */
	assert_int_equal(c->p_sigpend, 0);
	/* sent to l0, which blocks it: it waits there; l0 unblocking it gets it in the reply */
	lwp_signal(sys, c, l0, SIGUSR1, NULL);
	assert_int_equal(l0->l_sigpend, SIGBIT(SIGUSR1));
	assert_false(sig_deliverable(sys));
	assert_int_equal(do_sigmask(sys, c, l0, SIG_SETMASK, 0, &out), 0);
	assert_int_equal(out.w[0], SIGBIT(SIGUSR1));                 /* the old mask */
	assert_int_equal(out.w[1], SIGUSR1);                         /* run it now */
	assert_int_equal(out.w[2], 0);                               /* then put this mask back */
	assert_int_equal(IPC_NWORDS(out.info), 6);
	assert_int_equal(out.w[3], SIGINFO_W0(SI_NOINFO_CODE, 0));    /* sent with nothing to tell */
	assert_int_equal(l0->l_sigpend, 0);
	assert_int_equal(l0->l_sigmask, SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2));
	/* SA_RESETHAND: the default is back once the handler starts; SA_NODEFER: not blocked in it */
	assert_int_equal(do_sigaction(sys, c, SIGUSR2, SIGDISP_CATCH, tramp, 0, SIGACT_RESETHAND | SIGACT_NODEFER), 0);
	assert_int_equal(do_sigmask(sys, c, l1, SIG_SETMASK, SIGBIT(SIGUSR2), &out), 0);
	lwp_signal(sys, c, l1, SIGUSR2, NULL);
	assert_int_equal(do_sigmask(sys, c, l1, SIG_SETMASK, 0, &out), 0);
	assert_int_equal(out.w[1], SIGUSR2);
	assert_int_equal(l1->l_sigmask, 0);
	assert_false(c->p_sigcatch & SIGBIT(SIGUSR2));
	/* a child has its forking lwp's mask and nothing pending */
	assert_int_equal(do_sigmask(sys, c, l0, SIG_SETMASK, SIGBIT(SIGHUP), &out), 0);
	assert_int_equal(do_sigmask(sys, c, l1, SIG_SETMASK, SIGBIT(SIGHUP), &out), 0);
	lwp_signal(sys, c, l0, SIGHUP, NULL);
	proc_signal(sys, c, SIGHUP);
	struct proc *g;
	assert_int_equal(forksys(c, l0, FORK_FORK1, 0, &out), 0);
	g = proc_find(sys, (int)out.w[0]);
	assert_non_null(g);
	assert_int_equal(g->p_nlwp, 1);
	for (int i = 0; i < MAX_LWPS; i++)
		if (g->p_lwp[i].l_th >= 0) {
			assert_int_equal(g->p_lwp[i].l_id, l0->l_id);    /* its lwp id too */
			assert_int_equal(g->p_lwp[i].l_sigmask, SIGBIT(SIGHUP));
			assert_int_equal(g->p_lwp[i].l_sigpend, 0);
		}
	assert_int_equal(g->p_sigpend, 0);
	assert_true(g->p_sigcatch & SIGBIT(SIGUSR1));
	assert_int_equal(g->p_sigact_mask[SIGUSR1], SIGBIT(SIGUSR2));
}

/* sigsuspend and sigwait hold the reply; a signal answers it; a time limit answers EAGAIN */
static void test_signal_waits(void **state)
{
	uint64_t w[IPC_MAX_WORDS];
	struct msg out;
	struct proc *c = fork1(tp, 0);
	struct lwp *l0 = &c->p_lwp[0];
	int n0 = fake_nreplies();

	assert_int_equal(do_sigaction(sys, c, SIGUSR1, SIGDISP_CATCH, 0x401000, 0, 0), 0);
	assert_int_equal(do_sigmask(sys, c, l0, SIG_SETMASK, SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2), &out), 0);
	/* sigsuspend with SIGUSR1 let through: a SIGWINCH (ignored) does not end it, SIGUSR1 does */
	fake_caller(c->p_pid);
	assert_int_equal(do_sigsuspend(sys, c, l0, SIGBIT(SIGUSR2)), HELD);
	assert_int_equal(l0->l_sigmask, SIGBIT(SIGUSR2));
	proc_signal(sys, c, SIGWINCH);
	assert_int_equal(fake_nreplies(), n0);
	proc_signal(sys, c, SIGUSR1);
	assert_reply(n0, c->p_pid, 0, w);
	assert_int_equal(w[1], SIGUSR1);
	assert_int_equal(w[2], SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2));   /* the mask before sigsuspend */
	assert_int_equal(l0->l_sigwait, -1);
	assert_false(sig_deliverable(sys));                       /* taken: no frame as well */
	/* sigwait: what is pending is taken at once */
	proc_signal(sys, c, SIGUSR2);
	assert_int_equal(do_sigwait(sys, c, l0, SIGBIT(SIGUSR2), 0, &out), 0);
	assert_int_equal(out.w[0], SIGUSR2);
	assert_int_equal(c->p_sigpend, 0);
	assert_int_equal(do_sigwait(sys, c, l0, SIGBIT(SIGUSR2), 1, &out), EAGAIN);    /* a poll */
	assert_int_equal(do_sigwait(sys, c, l0, SIGBIT(SIGKILL), 0, &out), EINVAL);
	/* held: answered by the signal when it comes, whoever it was sent to */
	fake_caller(c->p_pid);
	assert_int_equal(do_sigwait(sys, c, l0, SIGBIT(SIGUSR2), 0, &out), HELD);
	proc_signal(sys, c, SIGUSR2);
	assert_reply(n0 + 1, c->p_pid, 0, w);
	assert_int_equal(w[0], SIGUSR2);
	assert_int_equal(c->p_sigpend, 0);
	/* held with a time limit */
	fake_caller(c->p_pid);
	assert_int_equal(do_sigwait(sys, c, l0, SIGBIT(SIGUSR2), 500, &out), HELD);
	assert_int_equal(sig_next_due(sys), 500);
	sig_timeout(sys, 499);
	assert_int_equal(fake_nreplies(), n0 + 2);
	sig_timeout(sys, 500);
	assert_reply(n0 + 2, c->p_pid, EAGAIN, w);
	assert_int_equal(sig_next_due(sys), 0);
	/* a caught signal outside the set interrupts it (EINTR), then is delivered */
	fake_caller(c->p_pid);
	assert_int_equal(do_sigwait(sys, c, l0, SIGBIT(SIGUSR2), 0, &out), HELD);
	fake_thread_regs(l0->l_th)->x[2] = 0x0ff00000;
	assert_int_equal(do_sigmask(sys, c, l0, SIG_SETMASK, SIGBIT(SIGUSR2), &out), 0);   /* (as if another lwp) */
	proc_signal(sys, c, SIGUSR1);
	assert_reply(n0 + 3, c->p_pid, EINTR, w);
	assert_true(sig_deliverable(sys));
	/* an lwp that goes while held: its reply is dropped, not leaked */
	fake_caller(c->p_pid);
	sig_deliver(sys);
	assert_int_equal(do_sigsuspend(sys, c, l0, 0), HELD);
	proc_signal(sys, c, SIGTERM);
	assert_int_equal(c->p_stat, P_ZOMB);
	assert_int_equal(l0->l_th, -1);
}

/* a parent whose vfork child borrows its stack takes no caught signal until the child lets go */
static void test_signal_vfork_held(void **state)
{
	struct msg out;
	struct proc *c;

	assert_int_equal(do_sigaction(sys, tp, SIGUSR2, SIGDISP_CATCH, 0x401000, 0, 0), 0);
	fake_thread_regs(tp->p_lwp[0].l_th)->x[2] = 0x0ff00000;
	assert_int_equal(forksys(tp, NULL, FORK_VFORK, 0, &out), HELD);
	c = only_child(tp);
	assert_non_null(c);
	proc_signal(sys, tp, SIGUSR2);
	assert_false(sig_deliverable(sys));
	assert_true(tp->p_sigpend & SIGBIT(SIGUSR2));
	vfork_release(sys, c);
	assert_true(sig_deliverable(sys));
	sig_deliver(sys);
	assert_int_equal(tp->p_sigpend & SIGBIT(SIGUSR2), 0);
}

/* kill: the checks, who may signal whom, a group, and the caller last */
static void test_kill(void **state)
{
	bool self;
	struct proc *a = fork1(tp, 0), *b = fork1(tp, 0), *c;

	assert_int_equal(do_kill(sys, tp, a->p_pid, 32, &self), EINVAL);
	assert_int_equal(do_kill(sys, tp, a->p_pid, -1, &self), EINVAL);
	assert_int_equal(do_kill(sys, tp, 4242, SIGTERM, &self), ESRCH);
	assert_int_equal(do_kill(sys, tp, init->p_pid, SIGTERM, &self), EPERM);   /* init: what it catches */
	assert_int_equal(do_kill(sys, init, init->p_pid, SIGTERM, &self), EPERM);
	assert_int_equal(init->p_stat, P_RUN);
	assert_int_equal(do_kill(sys, tp, a->p_pid, 0, &self), 0);                /* a check only */
	assert_int_equal(a->p_stat, P_RUN);
	assert_int_equal(do_kill(sys, tp, a->p_pid, SIGTERM, &self), 0);
	assert_false(self);
	assert_int_equal(a->p_stat, P_ZOMB);
	/* another uid: root only */
	set_uid(b, TP_UID + 1);
	assert_int_equal(do_kill(sys, tp, b->p_pid, SIGTERM, &self), EPERM);
	assert_int_equal(b->p_stat, P_RUN);
	assert_int_equal(do_kill(sys, init, b->p_pid, SIGTERM, &self), 0);
	assert_int_equal(b->p_stat, P_ZOMB);
	/* pid 0: the caller's group, the caller last and told it is gone */
	assert_int_equal(do_setpgid(sys, tp, 0, 0), 0);
	c = fork1(tp, 0);
	assert_int_equal(do_kill(sys, tp, 0, SIGTERM, &self), 0);
	assert_int_equal(c->p_stat, P_ZOMB);
	assert_true(self);
	assert_int_equal(tp->p_stat, P_ZOMB);
}

/* free entries of the siginfo pool */
static int sigq_free_count(void)
{
	int n = 0;
	for (uint16_t i = sys->sigq_free; i && n < NSIGQ; i = sys->sigq[i].q_next)
		n++;
	return n;
}

/*
 * siginfo: kill says SI_USER with the sender's pid and real uid; sigqueue
 * queues a realtime signal once per send with its value, in order, up to
 * PROC_SIGQUEUE_MAX (EAGAIN); a standard signal sent twice is pending once;
 * SIGCHLD tells the child, how it ended and the status; the pool gets every
 * entry back at exit, and a fork child's pending set is empty.
 */
static void test_siginfo_queue(void **state)
{
	const int rt = PROC_SIGRTMIN + 2;
	int free0 = sigq_free_count();
	struct proc *c = fork1(tp, 0), *d;
	struct lwp *l0 = &c->p_lwp[0];
	struct msg out;
	bool self;

	l0->l_sigmask = SIGBIT(SIGUSR1) | SIGBIT(rt);
	assert_int_equal(do_kill(sys, tp, c->p_pid, SIGUSR1, &self), 0);
	assert_int_equal(do_kill(sys, tp, c->p_pid, SIGUSR1, &self), 0);       /* the same one pending */
	for (int i = 0; i < 3; i++)
		assert_int_equal(do_sigqueue(sys, tp, c->p_pid, rt, 100 + i, &self), 0);
	assert_int_equal(c->p_nsigq_rt, 3);
	assert_int_equal(sigq_free_count(), free0 - 4);
	assert_int_equal(do_sigqueue(sys, tp, c->p_pid, PROC_SIGCANCEL, 0, &self), EINVAL);
	assert_int_equal(do_sigqueue(sys, tp, 0, rt, 0, &self), ESRCH);
	assert_int_equal(do_sigqueue(sys, tp, 4242, rt, 0, &self), ESRCH);
	assert_int_equal(do_sigqueue(sys, tp, init->p_pid, rt, 0, &self), EPERM);
	/* taken by sigwait: the standard one once, then the realtime ones in order with their values */
	memset(&out, 0, sizeof(out));
	assert_int_equal(do_sigwait(sys, c, l0, SIGBIT(SIGUSR1), 1, &out), 0);
	assert_int_equal(out.w[0], SIGUSR1);
	assert_int_equal(out.w[3], SIGINFO_W0(SICODE_SI_USER, tp->p_pid));
	assert_int_equal(out.w[4], SIGINFO_W1(TP_UID, 0));
	assert_int_equal(do_sigwait(sys, c, l0, SIGBIT(SIGUSR1), 1, &out), EAGAIN);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(do_sigwait(sys, c, l0, SIGBIT(rt), 1, &out), 0);
		assert_int_equal(out.w[0], rt);
		assert_int_equal(out.w[3], SIGINFO_W0(SICODE_SI_QUEUE, tp->p_pid));
		assert_int_equal(out.w[5], 100 + i);
		assert_int_equal(IPC_NWORDS(out.info), 6);
	}
	assert_int_equal(c->p_sigpend, 0);
	assert_int_equal(sigq_free_count(), free0);
	/* the limit, and what is left pending goes back to the pool at exit */
	for (int i = 0; i < PROC_SIGQUEUE_MAX; i++)
		assert_int_equal(do_sigqueue(sys, tp, c->p_pid, rt, i, &self), 0);
	assert_int_equal(do_sigqueue(sys, tp, c->p_pid, rt, 0, &self), EAGAIN);
	assert_int_equal(do_sigqueue(sys, tp, c->p_pid, SIGUSR1, 7, &self), 0);   /* standard: no limit */
	d = fork1(c, 0);
	assert_int_equal(d->p_sigpend | d->p_lwp[0].l_sigpend, 0);              /* the child's set is empty */
	assert_int_equal(d->p_sigq, 0);
	assert_int_equal(d->p_lwp[0].l_sigmask, l0->l_sigmask);                /* the mask is inherited */
	l0->l_sigmask |= SIGBIT(SIGCHLD);
	assert_int_equal(do_kill(sys, c, d->p_pid, SIGTERM, &self), 0);
	assert_int_equal(c->p_sigpend & SIGBIT(SIGCHLD), SIGBIT(SIGCHLD));   /* blocked: it waits */
	assert_int_equal(sigq_free_count(), free0 - PROC_SIGQUEUE_MAX - 2);
	assert_int_equal(do_sigwait(sys, c, l0, SIGBIT(SIGCHLD), 1, &out), 0);
	assert_int_equal(out.w[3], SIGINFO_W0(SICODE_CLD_KILLED, d->p_pid));
	assert_int_equal(sigq_free_count(), free0 - PROC_SIGQUEUE_MAX - 1);
	assert_int_equal(do_kill(sys, tp, c->p_pid, SIGKILL, &self), 0);
	assert_int_equal(sigq_free_count(), free0);
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_EXITED, &out), 0);
	(void)state;
}

/* ITIMER_REAL: SIGALRM at its time, again every interval; a fork child has none; only ITIMER_REAL */
static void test_itimer(void **state)
{
	struct proc *c = fork1(tp, 0), *d;
	struct msg out;
	uint64_t tick = sys->tick_len ? sys->tick_len : 100000;

	assert_int_equal(do_setitimer(sys, c, 1, true, 1000, 0, &out), EINVAL);
	fake_clock = 1000;
	assert_int_equal(do_setitimer(sys, c, 0, true, 20000000, 10000000, &out), 0);   /* 20 ms, then 10 */
	assert_int_equal(out.w[0], 0);
	assert_int_equal(c->p_itreal_due, 1000 + 2 * tick);
	assert_int_equal(c->p_itreal_interval, tick);
	assert_int_equal(sig_next_due(sys), 1000 + 2 * tick);
	d = fork1(c, 0);
	assert_int_equal(d->p_itreal_due, 0);                           /* not inherited */
	c->p_lwp[0].l_sigmask = SIGBIT(SIGALRM);
	sig_timeout(sys, 1000 + tick);
	assert_int_equal(c->p_sigpend & SIGBIT(SIGALRM), 0);            /* not yet */
	sig_timeout(sys, 1000 + 2 * tick);
	assert_int_equal(c->p_sigpend & SIGBIT(SIGALRM), SIGBIT(SIGALRM));
	assert_int_equal(c->p_itreal_due, 1000 + 3 * tick);
	sig_timeout(sys, 1000 + 5 * tick + 1);                          /* late: the next one after now */
	assert_int_equal(c->p_itreal_due, 1000 + 6 * tick);
	fake_clock = 1000 + 5 * tick + 1;
	assert_int_equal(do_setitimer(sys, c, 0, false, 0, 0, &out), 0);
	assert_true(out.w[0] > 0 && out.w[0] <= 10000000);
	assert_int_equal(out.w[1], 10000000);
	assert_int_equal(do_setitimer(sys, c, 0, true, 0, 0, &out), 0);   /* off */
	assert_int_equal(c->p_itreal_due, 0);
	/* unblocked, the default action ends it */
	assert_int_equal(do_setitimer(sys, c, 0, true, 1, 0, &out), 0);
	c->p_lwp[0].l_sigmask = 0;
	sig_timeout(sys, c->p_itreal_due);
	assert_int_equal(c->p_stat, P_ZOMB);
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_EXITED, &out), 0);
	fake_clock = 0;
	(void)state;
}

/* SIGCHLD's siginfo: the child, CLD_EXITED with its code or CLD_KILLED with the signal */
static void test_sigchld_info(void **state)
{
	struct proc *c = fork1(tp, 0), *d = fork1(tp, 0);
	struct lwp *l0 = &tp->p_lwp[0];
	struct msg out;
	bool self;

	l0->l_sigmask |= SIGBIT(SIGCHLD);
	assert_int_equal(do_sigaction(sys, tp, SIGCHLD, SIGDISP_CATCH, 0x401000, 0, 0), 0);
	proc_exit(sys, c, 7 << 8);
	assert_int_equal(do_sigwait(sys, tp, l0, SIGBIT(SIGCHLD), 1, &out), 0);
	assert_int_equal(out.w[3], SIGINFO_W0(SICODE_CLD_EXITED, c->p_pid));
	assert_int_equal(out.w[4], SIGINFO_W1(TP_UID, 7));
	assert_int_equal(do_kill(sys, tp, d->p_pid, SIGTERM, &self), 0);
	assert_int_equal(do_sigwait(sys, tp, l0, SIGBIT(SIGCHLD), 1, &out), 0);
	assert_int_equal(out.w[3], SIGINFO_W0(SICODE_CLD_KILLED, d->p_pid));
	assert_int_equal(out.w[4], SIGINFO_W1(TP_UID, SIGTERM));
	assert_int_equal(do_sigaction(sys, tp, SIGCHLD, SIGDISP_DFL, 0, 0, 0), 0);
	l0->l_sigmask = 0;
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_EXITED, &out), 0);
	assert_int_equal(wait_call(tp, IDT_PID, d->p_pid, PW_EXITED, &out), 0);
	(void)state;
}

/* CPU time (the fake kernel: every thread 1000 ns user, 500 kernel): a process's is its
   lwps' (live, and gone); a wait that reaps reports the child's and adds it to the parent's
   children's; a stop report adds nothing; a fork child starts at 0 */
static void test_cpu_times(void **state)
{
	struct proc *c = fork1(tp, 0), *g;
	struct msg out;
	uint64_t u, s, cu0 = tp->p_cutime, cs0 = tp->p_cstime;

	assert_int_equal(c->p_utime + c->p_stime + c->p_cutime + c->p_cstime, 0);
	proc_times(c, &u, &s);
	assert_int_equal(u, 1000 * (uint64_t)c->p_nlwp);
	assert_int_equal(s, 500 * (uint64_t)c->p_nlwp);
	g = fork1(c, 0);                          /* a grandchild, reaped by c */
	proc_exit(sys, g, 0);
	assert_int_equal(wait_call(c, IDT_PID, g->p_pid, PW_EXITED, &out), 0);
	assert_int_equal(out.w[4], 1000);
	assert_int_equal(out.w[5], 500);
	assert_int_equal(c->p_cutime, 1000);
	assert_int_equal(c->p_cstime, 500);
	proc_exit(sys, c, 3 << 8);                /* its lwps' time goes into it as they go */
	assert_int_equal(c->p_utime, 1000);
	assert_int_equal(c->p_stime, 500);
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_EXITED | PW_NOWAIT, &out), 0);
	assert_int_equal(tp->p_cutime, cu0);      /* WNOWAIT: reported, not reaped, not added */
	assert_int_equal(wait_call(tp, IDT_PID, c->p_pid, PW_EXITED, &out), 0);
	assert_int_equal(out.w[4], 2000);         /* its own and its child's */
	assert_int_equal(out.w[5], 1000);
	assert_int_equal(tp->p_cutime, cu0 + 2000);
	assert_int_equal(tp->p_cstime, cs0 + 1000);
	(void)state;
}

/* the terminal's kill (a group, never init's, only the keyboard's signals) and its query */
static void test_tty(void **state)
{
	uint64_t o[4];
	struct proc *c = fork1(tp, 0);

	assert_int_equal(do_setpgid(sys, tp, c->p_pid, 0), 0);
	assert_int_equal(do_tty_kill(sys, 1, SIGINT), EINVAL);
	assert_int_equal(do_tty_kill(sys, c->p_pid, SIGKILL), EINVAL);
	assert_int_equal(do_tty_kill(sys, c->p_pid, 0), EINVAL);
	assert_int_equal(do_tty_kill(sys, 4242, SIGINT), ESRCH);
	assert_int_equal(do_tty_kill(sys, c->p_pid, SIGWINCH), 0);   /* allowed, and ignored */
	assert_int_equal(c->p_stat, P_RUN);
	assert_int_equal(do_tty_kill(sys, c->p_pid, SIGINT), 0);
	assert_int_equal(c->p_stat, P_ZOMB);

	assert_int_equal(do_tty_query(sys, 4242, 0, 0, false, o), ESRCH);
	assert_int_equal(do_tty_query(sys, tp->p_pid, init->p_pgid, init->p_sess->s_sid, false, o), 0);
	assert_int_equal(o[0], init->p_sess->s_sid);           /* tp's session */
	assert_int_equal(o[1], init->p_sess->s_sid);           /* the group's */
	assert_int_equal(o[2], 1);                             /* that session exists */
	assert_int_equal(o[3], tp->p_pgid);
	assert_int_equal(do_tty_query(sys, tp->p_pid, 4242, 4242, false, o), 0);
	assert_int_equal(o[1], 0);
	assert_int_equal(o[2], 0);
	assert_int_equal(do_tty_query(sys, tp->p_pid, 0, 0, true, o), EPERM);   /* not a session leader */
	assert_int_equal(init->p_sess->s_ctty, -1);
	assert_int_equal(do_tty_query(sys, init->p_pid, 0, 0, true, o), 0);
	assert_int_equal(init->p_sess->s_ctty, TTY_CONSOLE);
}

/* ---- the dispatch table (dispatch.c), called as main.c's loop calls it ---- */

static struct msg d_in, d_out;
static struct req d_rq;

/* a request with words w0..w3 from badge / thread tid, with a buffer (NULL: none) and a handle (-1: none) */
static int call(uint64_t badge, uint64_t tid, uint32_t label, const uint64_t w[4], const char *buf, uint64_t len,
		handle_t cap)
{
	memset(&d_in, 0, sizeof(d_in));
	memset(&d_out, 0xa5, sizeof(d_out));             /* whatever was there before */
	d_in.info = IPC_INFO(label, 4);
	d_in.badge = badge;
	d_in.tid = tid;
	if (w)
		memcpy(d_in.w, w, 4 * sizeof(w[0]));
	d_rq = (struct req){ .in = &d_in, .out = &d_out, .buf = buf ? buf : "", .buflen = buf ? len : 0, .cap = cap };
	fake_caller((int)badge);
	return proc_dispatch(sys, &d_rq);
}
#define FROM(p) (uint64_t)(p)->p_pid, (p)->p_lwp[0].l_tid   /* badge and thread of p's first lwp */
#define TTY PROC_BADGE_TTY, 0

/* who is it, before anything else: a running process and one of its own lwps, or EPERM */
static void test_dispatch_who(void **state)
{
	struct proc *z = fork1(tp, 0);
	uint64_t ztid = z->p_lwp[0].l_tid;

	assert_int_equal(call(4242, tp->p_lwp[0].l_tid, PROC_GETPID, NULL, NULL, 0, -1), EPERM);
	assert_int_equal(call(tp->p_pid, 999999, PROC_GETPID, NULL, NULL, 0, -1), EPERM);
	assert_int_equal(call(tp->p_pid, init->p_lwp[0].l_tid, PROC_GETPID, NULL, NULL, 0, -1), EPERM);
	assert_int_equal(call(4242, 0, 0, NULL, NULL, 0, -1), EPERM);              /* before the label */
	proc_exit(sys, z, 0);
	assert_int_equal(call(z->p_pid, ztid, PROC_GETPID, NULL, NULL, 0, -1), EPERM);   /* a zombie */
	assert_null(d_rq.l);
	/* the default reply is two zeroed words */
	assert_int_equal(call(FROM(tp), PROC_SETPGID, (uint64_t[4]){ 0, 0 }, NULL, 0, -1), 0);
	assert_int_equal(d_out.info, IPC_INFO(0, 2));
	for (int i = 0; i < IPC_MAX_WORDS; i++)
		assert_int_equal(d_out.w[i], 0);
	assert_ptr_equal(d_rq.p, tp);
	assert_ptr_equal(d_rq.l, &tp->p_lwp[0]);
	assert_int_equal(call(FROM(tp), PROC_GETPID, NULL, NULL, 0, -1), 0);
	assert_int_equal(IPC_NWORDS(d_out.info), 8);
	assert_int_equal(d_out.w[0], tp->p_pid);
	assert_int_equal(d_out.w[1], init->p_pid);
	assert_int_equal(d_out.w[4], TP_UID);
	assert_int_equal(d_out.w[6], tp->p_task->tk_id);
	assert_int_equal(d_out.w[7], 1);
}

/* the label: one the table has for the caller, else ENOSYS (a process) or EPERM (the terminal) */
static void test_dispatch_labels(void **state)
{
	struct proc *c = fork1(tp, 0);

	assert_int_equal(call(FROM(tp), 0, NULL, NULL, 0, -1), ENOSYS);
	assert_int_equal(call(FROM(tp), PROC_NMSG, NULL, NULL, 0, -1), ENOSYS);
	assert_int_equal(call(FROM(tp), 0xfffe, NULL, NULL, 0, -1), ENOSYS);
	assert_int_equal(call(FROM(tp), PROC_TTY_QUERY, NULL, NULL, 0, -1), ENOSYS);   /* the terminal's */
	assert_int_equal(call(TTY, PROC_GETPID, NULL, NULL, 0, -1), EPERM);
	assert_int_equal(call(TTY, 0, NULL, NULL, 0, -1), EPERM);
	assert_int_equal(call(TTY, PROC_NMSG, NULL, NULL, 0, -1), EPERM);
	assert_int_equal(call(TTY, PROC_TTY_QUERY,
			      (uint64_t[4]){ (uint64_t)tp->p_pid, (uint64_t)init->p_pgid, (uint64_t)init->p_sess->s_sid, 0 },
			      NULL, 0, -1), 0);
	assert_null(d_rq.p);
	assert_int_equal(d_out.info, IPC_INFO(0, 4));
	assert_int_equal(d_out.w[0], init->p_sess->s_sid);
	assert_int_equal(d_out.w[3], tp->p_pgid);
	/* the terminal's kill: w0 is the group, negated as kill() takes it */
	assert_int_equal(do_setpgid(sys, tp, c->p_pid, 0), 0);
	assert_int_equal(call(TTY, PROC_KILL, (uint64_t[4]){ (uint64_t)-(int64_t)c->p_pid, SIGINT }, NULL, 0, -1), 0);
	assert_int_equal(c->p_stat, P_ZOMB);
}

/* a handle that came with the request is closed on every path (spawn hands on a copy) */
static void test_dispatch_handle_closed(void **state)
{
	static const char req[] = "/bin/x";
	int live = fake_live_handles();
	handle_t cap;

	cap = fake_ep_new();
	assert_int_equal(call(FROM(tp), PROC_GETPID, NULL, NULL, 0, cap), 0);
	assert_int_equal(fake_obj(cap), 0);
	cap = fake_ep_new();
	assert_int_equal(call(4242, 0, PROC_GETPID, NULL, NULL, 0, cap), EPERM);
	assert_int_equal(fake_obj(cap), 0);
	cap = fake_ep_new();
	assert_int_equal(call(FROM(tp), 0, NULL, NULL, 0, cap), ENOSYS);
	assert_int_equal(fake_obj(cap), 0);
	cap = fake_ep_new();
	assert_int_equal(call(TTY, PROC_GETPID, NULL, NULL, 0, cap), EPERM);
	assert_int_equal(fake_obj(cap), 0);
	cap = fake_ep_new();
	assert_int_equal(call(FROM(tp), PROC_SPAWN, (uint64_t[4]){ 0, 0 }, req, sizeof(req), cap), 0);
	assert_int_equal(spawned.ngive, 1);
	assert_int_equal(fake_obj(cap), 0);
	assert_int_equal(fake_live_handles(), live);
}

/* spawn and exec with a short or bad buffer: EINVAL or ENOENT before anything is built */
static void test_dispatch_short_buffer(void **state)
{
	static const char req[] = "/bin/sh\0sh\0PATH=/bin";
	const uint64_t w11[4] = { 1, 1 };

	assert_int_equal(call(FROM(tp), PROC_SPAWN, w11, NULL, 0, -1), EINVAL);          /* none */
	assert_int_equal(call(FROM(tp), PROC_SPAWN, w11, "/bin/sh", 7, -1), EINVAL);     /* no NUL in it */
	assert_int_equal(call(FROM(tp), PROC_SPAWN, w11, "\0/bin/sh", 9, -1), EINVAL);   /* an empty path */
	assert_int_equal(call(FROM(tp), PROC_SPAWN, w11, "bin/sh", 7, -1), ENOENT);      /* relative */
	assert_int_equal(call(FROM(tp), PROC_EXEC, w11, NULL, 0, -1), EINVAL);
	assert_int_equal(spawned.calls, 0);
	assert_int_equal(call(FROM(tp), PROC_SPAWN, w11, req, sizeof(req), -1), 0);
	assert_string_equal(spawned.path, "/bin/sh");
	assert_int_equal(spawned.argc, 1);
	assert_int_equal(spawned.envc, 1);
	assert_int_equal(d_out.w[0], 4242);
	assert_int_equal(call(FROM(tp), PROC_EXEC, w11, req, sizeof(req), -1), NOREPLY);  /* the caller's image is gone */
	spawned.err = ENOENT;
	assert_int_equal(call(FROM(tp), PROC_EXEC, w11, req, sizeof(req), -1), ENOENT);
	assert_int_equal(spawned.calls, 3);
}

/* handlers that hold or drop the reply, and uid 0's */
static void test_dispatch_handlers(void **state)
{
	uint64_t w[IPC_MAX_WORDS];
	struct proc *c = fork1(tp, 0);
	int n0 = fake_nreplies(), pid = c->p_pid;

	assert_int_equal(call(FROM(tp), PROC_WAITID, (uint64_t[4]){ IDT_PID, (uint64_t)c->p_pid, PW_EXITED }, NULL, 0, -1),
			 HELD);
	assert_int_equal(tp->p_wait_tid, tp->p_lwp[0].l_tid);   /* a signal to this lwp answers it EINTR */
	assert_int_equal(call(FROM(c), PROC_EXIT, (uint64_t[4]){ 7 }, NULL, 0, -1), NOREPLY);
	assert_reply(n0, tp->p_pid, 0, w);                   /* the held wait: exited and reaped */
	assert_null(proc_find(sys, pid));
	assert_int_equal(w[0], pid);
	assert_int_equal(w[2], 7);
	/* sysconf: anyone reads, uid 0 sets, within bounds */
	assert_int_equal(call(FROM(tp), PROC_SYSCONF, (uint64_t[4]){ SYSCONF_MAXUP, 10 }, NULL, 0, -1), EPERM);
	assert_int_equal(call(FROM(init), PROC_SYSCONF, (uint64_t[4]){ SYSCONF_MAXUP, 10 }, NULL, 0, -1), 0);
	assert_int_equal(sys->v_maxup, 10);
	assert_int_equal(call(FROM(init), PROC_SYSCONF, (uint64_t[4]){ SYSCONF_NPROC_MAX, NPROC_TABLE + 1 }, NULL, 0, -1),
			 EINVAL);
	assert_int_equal(call(FROM(tp), PROC_SYSCONF, (uint64_t[4]){ SYSCONF_NPROC, (uint64_t)-1 }, NULL, 0, -1), 0);
	assert_int_equal(d_out.w[0], sys->nproc);
	/* fault injection only in a test boot; power-off and the trace: uid 0 */
	assert_int_equal(call(FROM(init), PROC_FAULT_INJECT, (uint64_t[4]){ 1 }, NULL, 0, -1), ENOSYS);
	assert_int_equal(call(FROM(tp), PROC_POWEROFF, NULL, NULL, 0, -1), EPERM);
	assert_int_equal(fake_poweroffs(), 0);
	assert_int_equal(call(FROM(init), PROC_POWEROFF, NULL, NULL, 0, -1), 0);
	assert_int_equal(fake_poweroffs(), 1);
	assert_int_equal(call(FROM(tp), PROC_TRACE, (uint64_t[4]){ TRACE_START }, NULL, 0, -1), EPERM);
	assert_int_equal(call(FROM(init), PROC_TRACE, (uint64_t[4]){ TRACE_START }, NULL, 0, -1), 0);
	assert_true(sys->tracing);
	assert_int_equal(sys->trace_owner, init->p_pid);
	assert_int_equal(call(FROM(init), PROC_TRACE, (uint64_t[4]){ TRACE_STOP }, NULL, 0, -1), 0);
	assert_false(sys->tracing);
	assert_int_equal(fake_trace_ops(), 2);
}

/* ---- the archive's programs (image.c) ---- */

/* a path names a member as path_clean makes it; the name is its last component, cut to fit */
static void test_image_find(void **state)
{
	static struct cpio ar;
	char name[16] = "untouched";
	uint64_t size = 0;
	const char *img;

	cpio_add(&ar, "sbin/init", "INIT", 4);
	cpio_add(&ar, "bin/sh", "SH", 2);
	cpio_add(&ar, "bin/a-name-longer-than-fifteen", "LONG", 4);
	cpio_add(&ar, "TRAILER!!!", "", 0);
	cpio_add(&ar, "bin/after", "LATE", 4);
	spawn_set_archive(ar.u.b, ar.len);

	assert_null(image_find("/bin/nope", name, sizeof(name), &size));
	assert_null(image_find("bin/sh", name, sizeof(name), &size));        /* not absolute */
	assert_null(image_find("/bin/after", name, sizeof(name), &size));    /* past the trailer */
	assert_null(image_find("/TRAILER!!!", name, sizeof(name), &size));
	assert_string_equal(name, "untouched");
	const char *paths[] = { "/bin/sh", "//bin//sh", "/bin/./sh", "/sbin/../bin/sh", "/../bin/sh" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		img = image_find(paths[i], name, sizeof(name), &size);
		assert_non_null(img);
		assert_memory_equal(img, "SH", 2);
		assert_int_equal(size, 2);
		assert_string_equal(name, "sh");
	}
	img = image_find("/bin/a-name-longer-than-fifteen", name, sizeof(name), &size);
	assert_non_null(img);
	assert_memory_equal(img, "LONG", 4);
	assert_string_equal(name, "a-name-longer-t");                       /* 15 bytes and the NUL */
	assert_non_null(image_find("/sbin/init", name, sizeof(name), &size));
	assert_string_equal(name, "init");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_getproc_caps),
		T(test_getproc_noproc),
		T(test_getproc_project0_exempt),
		T(test_pid_allocation),
		T(test_forksys_einval),
		T(test_fork1),
		T(test_forkall),
		T(test_vfork),
		T(test_unwind_fork1),
		T(test_unwind_forkall),
		T(test_unwind_vfork),
		T(test_fork_getproc_fails),
		T(test_wait_pid_all_nohang_echild),
		T(test_wait_pgid),
		T(test_wait_held),
		T(test_wait_nowait),
		T(test_wait_flags),
		T(test_exit_reparent),
		T(test_exit_counters),
		T(test_setsid),
		T(test_setpgid),
		T(test_rctl_copy_on_fork),
		T(test_rctl_perms),
		T(test_rctl_limits_fork),
		T(test_newtask),
		T(test_mem_reservations),
		T(test_rctl_kernel_objects),
		T(test_creds),
		T(test_sched),
		T(test_signal_default),
		T(test_signal_stop_cont),
		T(test_sigchld_flags),
		T(test_signal_catch),
		T(test_signal_masks),
		T(test_signal_masks_caught),
		T(test_signal_waits),
		T(test_signal_vfork_held),
		T(test_kill),
		T(test_siginfo_queue),
		T(test_sigchld_info),
		T(test_cpu_times),
		T(test_itimer),
		T(test_tty),
		T(test_dispatch_who),
		T(test_dispatch_labels),
		T(test_dispatch_handle_closed),
		T(test_dispatch_short_buffer),
		T(test_dispatch_handlers),
		T(test_image_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
