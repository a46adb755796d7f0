/*
 * Scheduler: fixed priorities, round robin within a priority, one global run
 * queue under the big kernel lock.  A thread runs while it is the best choice;
 * the timer takes it off after its slice, and a wake-up of a better thread
 * takes it off at the next exit from the kernel.
 */
#include "cpu.h"
#include "arch.h"

#define SLICE_TICKS 2

static struct list runq[NPRIO];
static uint32_t runq_bits;          /* bit p: runq[p] not empty */

void sched_init(void)
{
	for (int i = 0; i < NPRIO; i++)
		list_init(&runq[i]);
	runq_bits = 0;
}

static void enqueue(struct thread *t)
{
	list_add_tail(&runq[t->t_prio], &t->t_link);
	runq_bits |= 1u << t->t_prio;
}

void sched_remove(struct thread *t)
{
	if (t->t_state != T_RUNNABLE || list_empty(&t->t_link))
		return;
	list_del(&t->t_link);
	if (list_empty(&runq[t->t_prio]))
		runq_bits &= ~(1u << t->t_prio);
}

void sched_make_runnable(struct thread *t)
{
	KASSERT(t->t_state != T_DEAD && t->t_state != T_RUNNING);
	if (t->t_state == T_RUNNABLE && !list_empty(&t->t_link))
		return;
	t->t_state = T_RUNNABLE;
	t->t_ep = NULL;
	if (t->t_suspended)
		return;
	enqueue(t);
	if (sched_should_preempt(0))
		sched_kick_idle();
}

struct thread *sched_pick(void)
{
	struct thread *t;
	int p;

	if (!runq_bits)
		return NULL;
	p = 31 - __builtin_clz(runq_bits);
	t = container_of(runq[p].next, struct thread, t_link);
	list_del(&t->t_link);
	if (list_empty(&runq[p]))
		runq_bits &= ~(1u << p);
	return t;
}

bool sched_should_preempt(int prio)
{
	return runq_bits && (31 - __builtin_clz(runq_bits)) >= prio;
}

void sched_kick_idle(void)
{
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].c_online && cpus[i].c_idle && &cpus[i] != this_cpu())
			arch_send_ipi(cpus[i].c_hartid);
}

/*
 * Called with the lock held before leaving the kernel.  Keeps the current
 * thread if it still runs and nothing better waits; otherwise puts it back
 * and takes the best runnable one.  Returns NULL if there is nothing to run.
 */
struct thread *sched_next(struct cpu *c, bool tick)
{
	struct thread *cur = c->c_cur;

	if (cur && cur->t_state == T_RUNNING && !cur->t_suspended) {
		bool expired = false;
		if (tick && cur->t_slice && --cur->t_slice == 0)
			expired = true;
		/* an equal priority waiting only wins when our slice is over */
		if (!(runq_bits && (31 - __builtin_clz(runq_bits)) > cur->t_prio) &&
		    !(expired && sched_should_preempt(cur->t_prio)) && !c->c_resched) {
			if (expired)
				cur->t_slice = SLICE_TICKS;
			return cur;
		}
		cur->t_state = T_RUNNABLE;
		cur->t_slice = SLICE_TICKS;
		enqueue(cur);
	} else if (cur && cur->t_state == T_RUNNING) {
		/* suspended while running: stays T_RUNNABLE, off the queue */
		cur->t_state = T_RUNNABLE;
	}
	c->c_resched = false;
	return sched_pick();
}
