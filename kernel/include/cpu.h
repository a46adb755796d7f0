/*
 * Per-hart state.  In S-mode tp always points at this hart's struct cpu;
 * while a hart runs user code sscratch holds it instead (trap.S swaps them).
 */
#ifndef CPU_H
#define CPU_H
#include "thread.h"

struct cpu {
	struct ctx *c_ctx;          /* trap.S: offset 0, where to save user registers */
	uint64_t c_kstack;          /* trap.S: offset 8, top of this hart's kernel stack */
	uint64_t c_scratch;         /* trap.S: offset 16 */
	struct thread *c_cur;       /* running thread (holds a reference), NULL when idle */
	struct aspace *c_as;        /* address space in satp (holds a reference), NULL: kernel only */
	int c_id;                   /* index into cpus[] */
	uint64_t c_hartid;
	int c_plic_ctx;             /* PLIC context of this hart's S-mode, -1 none */
	bool c_online;
	bool c_idle;
	bool c_resched;             /* set by another hart: pick again at the next exit */
	struct thread *c_fp_owner;  /* whose FPU state the registers hold (NULL: zeros) */
	uint64_t c_fp_seq;          /* ... as of that thread's c_fp_seq-th save */
	uint64_t c_pad[6];
};

extern struct cpu cpus[NCPU_MAX];
extern int ncpus;

#ifdef HOST_TEST
static inline struct cpu *this_cpu(void) { return &cpus[0]; }      /* host tests: one hart */
#else
static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("mv %0, tp" : "=r"(c));
	return c;
}
#endif

/* big kernel lock: taken at every entry from user mode, dropped on the way out */
void kernel_lock(void);
void kernel_unlock(void);

/*
 * sched.c: what this hart runs next: the current thread if it still runs and
 * nothing better waits, else the best runnable one (the current one queued
 * again); NULL if nothing can run.  tick: a timer tick, the slice counts down.
 */
struct thread *sched_next(struct cpu *c, bool tick);

/* the exit path: choose what runs next on this hart and return to it (trap.S) */
void kernel_exit(void) __attribute__((noreturn));
void kernel_exit_tick(struct cpu *c, bool tick) __attribute__((noreturn));
void trap_return(struct ctx *ctx) __attribute__((noreturn));
#endif
