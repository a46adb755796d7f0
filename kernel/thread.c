/*
 * Thread life: creation, death, faults, suspension, leaving a hart.
 */
#include "cpu.h"
#include "kalloc.h"
#include "vm.h"
#include "arch.h"
#include "ipc.h"

static uint64_t next_tid = 1;

struct thread *thread_new(struct aspace *as, struct cspace *cs, int prio)
{
	struct thread *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	obj_init(&t->o, OBJ_THREAD);    /* the caller's; a started thread also holds its own */
	t->t_id = next_tid++;
	t->t_state = T_INACTIVE;
	t->t_prio = t->t_base_prio = prio;
	t->t_cpu = -1;
	list_init(&t->t_link);
	t->t_as = as;
	obj_ref(&as->o);
	as->as_nthreads++;
	t->t_cs = cs;
	obj_ref(&cs->o);
	return t;
}

static void thread_release(struct thread *t)
{
	t->t_as->as_nthreads--;
	obj_unref(&t->t_as->o);         /* harts still running it hold their own reference */
	obj_unref(&t->t_cs->o);
	if (t->t_fault_ep)
		obj_unref(&t->t_fault_ep->o);
	t->t_fault_ep = NULL;
}

void thread_start(struct thread *t)
{
	KASSERT(t->t_state == T_INACTIVE);
	obj_ref(&t->o);                 /* its life reference, dropped by thread_kill */
	t->t_slice = 2;
	sched_make_runnable(t);
}

/*
 * Let go of everything a live thread holds and unlink it from every object
 * that points at it (endpoint queues, its caller and replier, a saved reply,
 * a notification it waits on or is bound to, a thread waiting for it to leave
 * its hart); the struct stays while referenced.  Also run for a thread that
 * was never started when its last handle goes (obj_destroy).
 */
void thread_kill(struct thread *t)
{
	bool started = t->t_state != T_INACTIVE;

	if (t->t_state == T_DEAD)
		return;
	if (t->t_state == T_WAITSTOP) {
		t->t_stopping->t_stop_waiter = NULL;
		t->t_stopping = NULL;
	}
	ipc_cancel(t);
	sched_remove(t);
	if (t->t_bound) {
		t->t_bound->n_bound = NULL;
		t->t_bound = NULL;
	}
	t->t_state = T_DEAD;
	thread_release(t);
	/* running on another hart: make it pick again now */
	if (t->t_cpu >= 0 && cpus[t->t_cpu].c_cur == t && &cpus[t->t_cpu] != this_cpu())
		arch_send_ipi(cpus[t->t_cpu].c_hartid);
	if (started)
		obj_unref(&t->o);
}

void thread_exit(struct thread *t, uint64_t code)
{
	t->t_exit_code = code;
	if (t->t_fault_ep) {
		/* the thread itself carries the exit message; it dies once delivered */
		int r = ipc_send(t, t->t_fault_ep, t->t_fault_badge, OP_EXIT, false);
		if (r >= 0 && t->t_state != T_DEAD)
			return;
	}
	thread_kill(t);
}

void thread_fault(struct thread *t, uint64_t scause, uint64_t stval)
{
	t->t_fault[0] = scause;
	t->t_fault[1] = stval;
	t->t_fault[2] = t->t_ctx.x[CTX_PC];
	if (!t->t_fault_ep) {
		kprintf("thread %lu: fault scause %lu stval %lx pc %lx, no fault handler: killed\n",
			(unsigned long)t->t_id, (unsigned long)scause, (unsigned long)stval,
			(unsigned long)t->t_ctx.x[CTX_PC]);
		thread_kill(t);
		return;
	}
	ipc_send(t, t->t_fault_ep, t->t_fault_badge, OP_FAULT, false);
}

void thread_set_suspended(struct thread *t, bool on)
{
	if (t->t_suspended == on || t->t_state == T_DEAD)
		return;
	t->t_suspended = on;
	if (on) {
		if (t->t_state == T_RUNNABLE)
			sched_remove(t);
		else if (t->t_state == T_RUNNING && &cpus[t->t_cpu] != this_cpu())
			arch_send_ipi(cpus[t->t_cpu].c_hartid);
	} else if (t->t_state == T_RUNNABLE) {
		sched_make_runnable(t);
	}
}

bool thread_wait_off_cpu(struct thread *waiter, struct thread *target)
{
	struct cpu *c;

	if (target->t_cpu < 0 || target == waiter)
		return false;
	c = &cpus[target->t_cpu];
	if (c->c_cur != target || c == this_cpu() || target->t_stop_waiter)
		return false;
	target->t_stop_waiter = waiter;
	waiter->t_stopping = target;
	waiter->t_state = T_WAITSTOP;
	waiter->t_ctx.x[REG_A0] = 0;
	arch_send_ipi(c->c_hartid);
	return true;
}

void thread_left_cpu(struct thread *t)
{
	struct thread *w = t->t_stop_waiter;
	if (!w)
		return;
	t->t_stop_waiter = NULL;
	w->t_stopping = NULL;
	if (w->t_state == T_WAITSTOP)
		sched_make_runnable(w);
}


/* its last reference went (obj_destroy): only a thread that never started is left to kill */
void thread_destroy(struct thread *t)
{
	/* a started thread holds itself until killed */
	KASSERT(t->t_state == T_DEAD || t->t_state == T_INACTIVE);
	thread_kill(t);                 /* unbinds a notification bound to it, releases */
}
