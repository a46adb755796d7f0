/*
 * Threads.  R_CONTROL on the thread for everything but exit.
 *   SYS_THREAD_CREATE(as, cs, prio, fault ep or -1) -> a1   R_CONTROL on as and cs, R_SEND on the ep
 *   SYS_THREAD_START(th, pc, sp, a0, tp)          E_BUSY if already started
 *   SYS_THREAD_EXIT(code)                         the fault endpoint gets LABEL_EXIT
 *   SYS_THREAD_SUSPEND(th) / RESUME(th)           suspend returns once th is off every hart
 *   SYS_THREAD_DESTROY(th)                        kill; returns once th is off every hart; the
 *                                                 handle stays (close it)
 *   SYS_THREAD_SET_PRIO(th, prio)                 prio < NPRIO and <= the caller's
 *   SYS_THREAD_READ_REGS(th, ptr) / WRITE_REGS(th, ptr)  struct user_regs; the thread must be
 *                                                 suspended or blocked, not running
 *   SYS_THREAD_CLONE(th, as, cs, fault ep, mode, w0) -> a1  R_CONTROL on th, as, cs; th not running
 *                                                 (E_BUSY); an inactive copy: same registers, FPU
 *                                                 state, priority; CLONE_REPLY/CLONE_INTR adjust a0..
 *   SYS_THREAD_RESUME of a never-started thread starts it with the registers it has
 *   SYS_THREAD_INTERRUPT(th) -> a1                th not running (E_BUSY), not the caller: if it
 *                                                 is blocked in a kernel call (send, receive, wait
 *                                                 for a reply or a notification), that call fails
 *                                                 with -E_INTR now (a1 = 1), else nothing (a1 = 0).
 *                                                 A server holding its reply finds it gone (E_PIPE).
 *   SYS_THREAD_SETCONTEXT(ptr)                    the calling thread continues with the struct
 *                                                 user_regs at ptr (every register and the pc):
 *                                                 how a signal handler returns.  No rights needed.
 */
#include "syscall.h"
#include "cpu.h"
#include "vm.h"


long sys_thread_create(struct thread *t, uint64_t *a)
{
	struct aspace *as;
	struct cspace *cs;
	struct thread *n;
	struct hslot *fs = NULL;
	int prio = (int)a[2];

	GET(t, (int64_t)a[0], OBJ_AS, R_CONTROL, as);
	GET(t, (int64_t)a[1], OBJ_CSPACE, R_CONTROL, cs);
	if ((int64_t)a[3] != -1) {
		int err = handle_get(t, (int64_t)a[3], OBJ_ENDPOINT, R_SEND, &fs);
		if (err)
			return err;
	}
	if (prio < 0 || prio >= NPRIO || prio > t->t_base_prio)
		return -E_INVAL;
	n = thread_new(as, cs, prio);
	if (!n)
		return -E_NOMEM;
	if (fs) {
		n->t_fault_ep = (struct endpoint *)fs->obj;
		obj_ref(fs->obj);
		n->t_fault_badge = fs->badge;
	}
	return give_new(t, &n->o, R_CONTROL);
}

long sys_thread_start(struct thread *t, uint64_t *a)
{
	struct thread *n;
	GET(t, (int64_t)a[0], OBJ_THREAD, R_CONTROL, n);
	if (n->t_state != T_INACTIVE)
		return n->t_state == T_DEAD ? -E_SRCH : -E_BUSY;
	n->t_ctx.x[CTX_PC] = a[1];
	n->t_ctx.x[REG_SP] = a[2];
	n->t_ctx.x[REG_A0] = a[3];
	n->t_ctx.x[REG_TP] = a[4];
	thread_start(n);
	return 0;
}

long sys_thread_exit(struct thread *t, uint64_t *a)
{
	thread_exit(t, a[0]);
	return SYS_BLOCKED;
}

long sys_thread_suspend(struct thread *t, uint64_t *a)
{
	struct thread *n;
	GET(t, (int64_t)a[0], OBJ_THREAD, R_CONTROL, n);
	if (n->t_state == T_DEAD)
		return -E_SRCH;
	thread_set_suspended(n, true);
	if (n == t) {
		t->t_ctx.x[REG_A0] = 0;     /* seen when resumed */
		return SYS_BLOCKED;
	}
	/* return only once its registers are saved: it may be running on another hart */
	return thread_wait_off_cpu(t, n) ? SYS_BLOCKED : 0;
}

long sys_thread_resume(struct thread *t, uint64_t *a)
{
	struct thread *n;
	GET(t, (int64_t)a[0], OBJ_THREAD, R_CONTROL, n);
	if (n->t_state == T_DEAD)
		return -E_SRCH;
	if (n->t_state == T_INACTIVE) {
		thread_start(n);        /* a clone, or registers written by hand */
		return 0;
	}
	thread_set_suspended(n, false);
	return 0;
}

long sys_thread_destroy(struct thread *t, uint64_t *a)
{
	struct thread *n;
	GET(t, (int64_t)a[0], OBJ_THREAD, R_CONTROL, n);
	if (n->t_state == T_DEAD)
		return -E_SRCH;
	thread_kill(n);
	if (n == t)
		return SYS_BLOCKED;
	return thread_wait_off_cpu(t, n) ? SYS_BLOCKED : 0;
}

long sys_thread_set_prio(struct thread *t, uint64_t *a)
{
	struct thread *n;
	int prio = (int)a[1];
	GET(t, (int64_t)a[0], OBJ_THREAD, R_CONTROL, n);
	if (prio < 0 || prio >= NPRIO || prio > t->t_base_prio)
		return -E_INVAL;
	if (n->t_state == T_RUNNABLE && !n->t_suspended) {
		sched_remove(n);
		n->t_prio = n->t_base_prio = prio;
		sched_make_runnable(n);
	} else {
		n->t_prio = n->t_base_prio = prio;
	}
	return 0;
}

/* registers of a thread that is not executing right now */
static int regs_target(struct thread *t, uint64_t *a, struct thread **out)
{
	struct hslot *s;
	struct thread *n;
	int err = handle_get(t, (int64_t)a[0], OBJ_THREAD, R_CONTROL, &s);
	if (err)
		return err;
	n = (struct thread *)s->obj;
	if (n->t_state == T_DEAD)
		return -E_SRCH;
	if (n->t_state == T_RUNNING)
		return -E_BUSY;
	*out = n;
	return 0;
}

long sys_thread_read_regs(struct thread *t, uint64_t *a)
{
	struct thread *n;
	struct user_regs r;
	int err = regs_target(t, a, &n);
	if (err)
		return err;
	r.pc = n->t_ctx.x[CTX_PC];
	r.x[0] = 0;
	for (int i = 1; i < 32; i++)
		r.x[i] = n->t_ctx.x[i];
	return copy_to_user(t->t_as->as_root, a[1], &r, sizeof(r));
}

long sys_thread_write_regs(struct thread *t, uint64_t *a)
{
	struct thread *n;
	struct user_regs r;
	int err = regs_target(t, a, &n);
	if (err)
		return err;
	if ((err = copy_from_user(t->t_as->as_root, &r, a[1], sizeof(r))))
		return err;
	n->t_ctx.x[CTX_PC] = r.pc;
	for (int i = 1; i < 32; i++)
		n->t_ctx.x[i] = r.x[i];
	return 0;
}

static bool in_kernel_call(enum tstate st)
{
	return st == T_SEND || st == T_RECV || st == T_REPLY || st == T_NTFN || st == T_WAITSTOP;
}

long sys_thread_interrupt(struct thread *t, uint64_t *a)
{
	struct thread *n;
	GET(t, (int64_t)a[0], OBJ_THREAD, R_CONTROL, n);
	if (n->t_state == T_DEAD)
		return -E_SRCH;
	if (n == t || n->t_state == T_RUNNING)
		return -E_BUSY;
	t->t_ctx.x[REG_A1] = 0;
	if (n->t_state == T_WAITSTOP || !ipc_abort_wait(n))
		return 0;                    /* not in a call that waits on someone else */
	n->t_ctx.x[REG_A0] = (uint64_t)-E_INTR;
	sched_make_runnable(n);          /* stays off the run queue while suspended */
	t->t_ctx.x[REG_A1] = 1;
	return 0;
}

long sys_thread_setcontext(struct thread *t, uint64_t *a)
{
	struct user_regs r;
	int err = copy_from_user(t->t_as->as_root, &r, a[0], sizeof(r));
	if (err)
		return err;
	t->t_ctx.x[CTX_PC] = r.pc;
	for (int i = 1; i < 32; i++)
		t->t_ctx.x[i] = r.x[i];
	return SYS_BLOCKED;              /* a0 is the restored one, not a status */
}

long sys_thread_clone(struct thread *t, uint64_t *a)
{
	struct thread *src, *n;
	struct aspace *as;
	struct cspace *cs;
	struct hslot *fs = NULL;
	uint64_t mode = a[4];
	int err;

	GET(t, (int64_t)a[0], OBJ_THREAD, R_CONTROL, src);
	GET(t, (int64_t)a[1], OBJ_AS, R_CONTROL, as);
	GET(t, (int64_t)a[2], OBJ_CSPACE, R_CONTROL, cs);
	if ((int64_t)a[3] != -1 && (err = handle_get(t, (int64_t)a[3], OBJ_ENDPOINT, R_SEND, &fs)))
		return err;
	if (mode > CLONE_INTR)
		return -E_INVAL;
	if (src->t_state == T_DEAD)
		return -E_SRCH;
	if (src->t_state == T_RUNNING || src == t)
		return -E_BUSY;
	n = thread_new(as, cs, src->t_base_prio);
	if (!n)
		return -E_NOMEM;
	n->t_ctx = src->t_ctx;
	memcpy(n->t_fp, src->t_fp, sizeof(n->t_fp));
	n->t_fp_used = src->t_fp_used;
	memcpy(n->t_name, src->t_name, sizeof(n->t_name));   /* the proc server renames it */
	n->t_fp_seq = ++fp_generation;  /* its own copy: never taken for whatever a hart holds */
	if (fs) {
		n->t_fault_ep = (struct endpoint *)fs->obj;
		obj_ref(fs->obj);
		n->t_fault_badge = fs->badge;
	}
	if (mode == CLONE_REPLY) {
		n->t_ctx.x[REG_A0] = 0;
		n->t_ctx.x[REG_A1] = IPC_INFO(0, 2);
		n->t_ctx.x[REG_A2] = a[5];
		n->t_ctx.x[REG_A3] = 1;
	} else if (mode == CLONE_INTR && in_kernel_call(src->t_state)) {
		n->t_ctx.x[REG_A0] = (uint64_t)-E_INTR;
	}
	return give_new(t, &n->o, R_CONTROL);
}

static uint64_t ticks_to_ns(uint64_t t)
{
	return t / timebase_hz * 1000000000ull + t % timebase_hz * 1000000000ull / timebase_hz;
}

/*
 * SYS_THREAD_TIMES (thread, or -1) -> a1 user ns, a2 system ns.  Any handle to the thread
 * will do (the times tell nothing a holder could misuse).  Counted at every trap from user
 * mode and every return to it; for a thread on a hart now, what is not counted yet is
 * added: the caller's own time in this call as system time, another hart's thread's time
 * since its last count as user time (that hart is in user mode or waiting for the kernel
 * lock, which it counts under the lock: the sum never goes back).
 */
long sys_thread_times(struct thread *t, uint64_t *a)
{
	struct thread *n = t;
	uint64_t u, s, now = arch_time();
	if ((int64_t)a[0] != -1)
		GET(t, (int64_t)a[0], OBJ_THREAD, 0, n);
	u = n->t_utime;
	s = n->t_stime;
	if (n == t)
		s += now - cpus[t->t_cpu].c_mark;
	else if (n->t_state == T_RUNNING)
		u += now - cpus[n->t_cpu].c_mark;
	a[1] = ticks_to_ns(u);
	a[2] = ticks_to_ns(s);
	return 0;
}
