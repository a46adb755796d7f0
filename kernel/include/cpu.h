/*
 * Per-hart state.  In S-mode tp always points at this hart's struct cpu;
 * while a hart runs user code sscratch holds it instead (trap.S swaps them).
 */
#ifndef CPU_H
#define CPU_H
#include "thread.h"
#include "arch.h"

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
	bool c_sstc;                /* has Sstc: sets its timer in stimecmp, without an SBI call */
	struct thread *c_fp_owner;  /* whose FPU state the registers hold (NULL: zeros) */
	uint64_t c_fp_seq;          /* ... as of that thread's c_fp_seq-th save */
	uint64_t c_mark;            /* time (timebase) up to which c_cur's CPU time is counted */
	uint64_t c_pad[5];
};

extern struct cpu cpus[NCPU_MAX];
extern int ncpus;
extern uint64_t timer_ticks_per_slice;         /* timebase ticks in a slice (main.c sets it) */
extern uint64_t timebase_hz;                   /* the time CSR's rate (sys_misc.c; main.c sets it) */

/*
 * The big kernel lock (lock.c): taken at every entry from user mode, dropped
 * on the way out.  A LOCK_STATS build times every hold (scripts/lockstat.sh):
 * lock_note() names what holds it, power-off prints the longest.
 */
void kernel_lock(void);
void kernel_unlock(void);
#ifdef LOCK_STATS
void lock_note(uint64_t cause, uint64_t a7);
void lock_stats_print(void);
#else
#define lock_note(cause, a7) ((void)0)
#endif

/*
 * The way out (switch.c): choose what runs next on this hart (or idle until
 * something can), switch address space and FPU state, drop the lock and
 * return to user mode.  kernel_exit_to runs next, chosen already (the IPC
 * fast path), after prev.
 */
void kernel_exit(void) __attribute__((noreturn));
void kernel_exit_tick(struct cpu *c, bool tick) __attribute__((noreturn));
void kernel_exit_to(struct cpu *c, struct thread *prev, struct thread *next) __attribute__((noreturn));
void fpu_cpu_init(void);                        /* this hart's FPU holds the zero state */
extern uint64_t fp_generation;                  /* numbers every saved FPU state (switch.c) */

/* interrupts (sys_misc.c, main.c): what the trap code calls */
void irq_init(int ctx, uint32_t ndev);          /* boot: device interrupts go to PLIC context ctx */
void irq_dispatch(uint32_t irq);                /* a device interrupt: its notification */
void timer_tick(struct cpu *c);                 /* this hart's timer fired */

/*
 * sched.c: what this hart runs next: the current thread if it still runs and
 * nothing better waits, else the best runnable one (the current one queued
 * again); NULL if nothing can run.  tick: a timer tick, the slice counts down.
 */
struct thread *sched_next(struct cpu *c, bool tick);
#endif
