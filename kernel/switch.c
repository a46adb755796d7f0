/*
 * The way out of the kernel, on every hart: pick what runs next (or idle
 * until an interrupt makes something runnable), switch the address space and
 * the FPU state, drop the big lock and return to user mode.
 */
#include "cpu.h"
#include "vm.h"

/*
 * FPU state moves lazily: the hart remembers whose state its registers hold
 * (c_fp_seq, a generation number unique over time; c_fp_owner NULL = the
 * all-zero state of threads that never wrote an FP register), and reloads
 * only when the next thread's differs.
 */
static const uint64_t fp_zero[33];
uint64_t fp_generation;          /* every saved FPU state gets a number never used before */

static void fp_switch(struct cpu *c, struct thread *prev, struct thread *next)
{
	struct thread *want = next->t_fp_used ? next : NULL;

	if (prev && arch_fp_dirty()) {
		arch_fp_save(prev->t_fp);
		prev->t_fp_used = true;
		prev->t_fp_seq = ++fp_generation;
		c->c_fp_owner = prev;
		c->c_fp_seq = prev->t_fp_seq;
	}
	/* a thread's struct may be reused by another: the generation, unique over time, decides */
	if ((want == NULL) != (c->c_fp_owner == NULL) || (want && c->c_fp_seq != want->t_fp_seq)) {
		arch_fp_load(want ? want->t_fp : fp_zero);
		c->c_fp_owner = want;
		c->c_fp_seq = want ? want->t_fp_seq : 0;
	}
	arch_fp_clean();
}

void fpu_cpu_init(void)
{
	arch_fp_load(fp_zero);
	arch_fp_clean();
}

/* this hart stops running prev: drop our reference, wake whoever waits for that */
static void release_prev(struct cpu *c, struct thread *prev)
{
	c->c_cur = NULL;
	thread_left_cpu(prev);
	obj_unref(&prev->o);
}

/* the kernel's time since the last count goes to prev (the thread it worked for), if any */
static void charge_stime(struct cpu *c, struct thread *prev)
{
	uint64_t now = arch_time();
	if (prev)
		prev->t_stime += now - c->c_mark;
	c->c_mark = now;
}

void kernel_exit_to(struct cpu *c, struct thread *prev, struct thread *next)
{
	charge_stime(c, prev);
	if (next != prev) {
		fp_switch(c, prev, next);
		if (prev)
			release_prev(c, prev);
		obj_ref(&next->o);
		c->c_cur = next;
		c->c_ctx = &next->t_ctx;
		if (!next->t_slice)
			next->t_slice = 2;
	}
	next->t_state = T_RUNNING;
	next->t_cpu = c->c_id;
	if (c->c_as != next->t_as) {
		obj_ref(&next->t_as->o);
		arch_switch_as(next->t_as->as_root);
		if (c->c_as)
			obj_unref(&c->c_as->o);
		c->c_as = next->t_as;
	}
	kernel_unlock();
	arch_return_to_user(&next->t_ctx);
}

/*
 * tick: this exit follows a timer interrupt (the running thread's slice
 * shrinks).  With nothing to run, idle here until an interrupt makes
 * something runnable.
 */
void kernel_exit_tick(struct cpu *c, bool tick)
{
	struct thread *prev = c->c_cur, *next;

	as_reclaim();
	for (;;) {
		next = sched_next(c, tick);
		if (next)
			break;
		/* idle: drop the old thread and address space, wait for an interrupt */
		if (prev) {
			charge_stime(c, prev);
			fp_switch(c, prev, prev);       /* saves its state if it wrote any */
			release_prev(c, prev);
			prev = NULL;
		}
		if (c->c_as) {
			arch_switch_as(kernel_root);
			obj_unref(&c->c_as->o);
			c->c_as = NULL;
		}
		c->c_idle = true;
		kernel_unlock();
		arch_wait_for_interrupt();
		tick = arch_timer_rearm();
		kernel_lock();
		c->c_idle = false;
		arch_handle_interrupts(c, tick);
	}
	kernel_exit_to(c, prev, next);
}

void kernel_exit(void)
{
	kernel_exit_tick(this_cpu(), false);
}
