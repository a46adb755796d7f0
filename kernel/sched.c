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
int runq_top = -1;                  /* highest p with runq[p] not empty, -1 none */

/* the highest set bit of v (v != 0), without libgcc's __clzdi2 (no Zbb here) */
static inline int top_bit(uint32_t v)
{
	int r = 0;
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	return r + (int)(v >> 1);
}

/* runq[p] just became empty */
static void runq_emptied(int p)
{
	runq_bits &= ~(1u << p);
	if (p == runq_top)
		runq_top = runq_bits ? top_bit(runq_bits) : -1;
}

void sched_init(void)
{
	for (int i = 0; i < NPRIO; i++)
		list_init(&runq[i]);
	runq_bits = 0;
	runq_top = -1;
}

static void enqueue(struct thread *t)
{
	t->t_queued_at = arch_time();
	list_add_tail(&runq[t->t_prio], &t->t_link);
	runq_bits |= 1u << t->t_prio;
	if (t->t_prio > runq_top)
		runq_top = t->t_prio;
}

void sched_remove(struct thread *t)
{
	if (t->t_state != T_RUNNABLE || list_empty(&t->t_link))
		return;
	list_del(&t->t_link);
	if (list_empty(&runq[t->t_prio]))
		runq_emptied(t->t_prio);
}

/*
 * Priority decay, as a time-sharing class does it: a thread that runs its
 * slice out (a yield keeps the rest of a slice, so a loop of them runs it out too) sinks a level, at most PRIO_DECAY below what it was
 * given; one that blocks is back at its own when it wakes, and one that waits long in
 * the run queue too (sched_age).  So threads that
 * spin share what the waiting ones leave, and a shell that waits for its
 * input comes first when the input is there, however many spin beside it.
 */
void sched_decay(struct thread *t)
{
	if (t->t_prio > 0 && t->t_prio > t->t_base_prio - PRIO_DECAY)
		t->t_prio--;
}

/*
 * Aging: a decayed thread that has waited AGE_WAIT_MS in the run queue gets its own
 * priority back.  Without it, a thread that blocks for a moment in every loop (an IPC
 * call, a short sleep) keeps its priority for ever and the spinners it outranks never run
 * again.  At each timer tick the oldest of each queue is looked at (queues are FIFO).
 */
#define AGE_WAIT_MS 100
static __attribute__((noinline, cold)) void sched_age(void)
{
	uint64_t now = arch_time(), wait = timebase_hz / 1000 * AGE_WAIT_MS;
	uint32_t bits = runq_bits;
	while (bits) {
		int p = top_bit(bits);
		struct thread *t = container_of(runq[p].next, struct thread, t_link);
		bits &= ~(1u << p);
		if (t->t_prio >= t->t_base_prio || now - t->t_queued_at < wait)
			continue;
		list_del(&t->t_link);
		if (list_empty(&runq[p]))
			runq_emptied(p);
		t->t_prio = t->t_base_prio;
		enqueue(t);
	}
}

void sched_make_runnable(struct thread *t)
{
	KASSERT(t->t_state != T_DEAD && t->t_state != T_RUNNING);
	if (t->t_state == T_RUNNABLE && !list_empty(&t->t_link))
		return;
	if (t->t_state != T_RUNNABLE)
		t->t_prio = t->t_base_prio;     /* it waited (or never ran): its own priority again */
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

	if ((p = runq_top) < 0)
		return NULL;
	t = container_of(runq[p].next, struct thread, t_link);
	list_del(&t->t_link);
	if (list_empty(&runq[p]))
		runq_emptied(p);
	return t;
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

	if (tick)
		sched_age();
	if (cur && cur->t_state == T_RUNNING && !cur->t_suspended) {
		bool expired = false;
		if (tick && cur->t_slice && --cur->t_slice == 0) {
			expired = true;
			sched_decay(cur);
		}
		/* an equal priority waiting only wins when our slice is over */
		if (!(runq_top > cur->t_prio) &&
		    !(expired && sched_should_preempt(cur->t_prio)) && !c->c_resched) {
			if (expired)
				cur->t_slice = SLICE_TICKS;
			return cur;
		}
		cur->t_state = T_RUNNABLE;
		if (!cur->t_slice)
			cur->t_slice = SLICE_TICKS;     /* a yield or preemption keeps the rest of its slice */
		enqueue(cur);
	} else if (cur && cur->t_state == T_RUNNING) {
		/* suspended while running: stays T_RUNNABLE, off the queue */
		cur->t_state = T_RUNNABLE;
	}
	c->c_resched = false;
	return sched_pick();
}
