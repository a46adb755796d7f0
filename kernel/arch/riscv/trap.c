/*
 * Trap handling in C: the big kernel lock, the user trap dispatcher, the
 * exit path (scheduling, address-space switch, FPU state) and the idle loop.
 */
#include "cpu.h"
#include "arch.h"
#include "csr.h"
#include "vm.h"
#include "syscall.h"
#include "fastpath.h"

struct cpu cpus[NCPU_MAX];
_Static_assert(sizeof(struct cpu) == 128, "head.S assumes a 128-byte struct cpu");
int ncpus;
uint64_t timer_ticks_per_slice;

static volatile uint32_t big_lock;
static volatile int lock_owner = -1;

#ifdef LOCK_STATS
/*
 * A build with LOCK_STATS (scripts/lockstat.sh) times every hold of the
 * lock with the time CSR and remembers the longest, and what held it (the
 * trap's scause, and a7 for a kernel call); power-off prints it.
 */
uint64_t lock_max, lock_max_cause, lock_max_a7;
static uint64_t lock_t0, lock_cause, lock_a7;
#define LOCK_WHAT(cause, a7) (lock_cause = (cause), lock_a7 = (a7))
#else
#define LOCK_WHAT(cause, a7) ((void)0)
#endif

void kernel_lock(void)
{
	while (__atomic_exchange_n(&big_lock, 1, __ATOMIC_ACQUIRE))
		while (big_lock)
			;
	lock_owner = this_cpu()->c_id;
#ifdef LOCK_STATS
	lock_t0 = csr_read(time);
	LOCK_WHAT(~0ull, ~0ull);         /* not a trap from user mode: boot, or back from idle */
#endif
}

void kernel_unlock(void)
{
#ifdef LOCK_STATS
	uint64_t held = csr_read(time) - lock_t0;
	if (held > lock_max) {
		lock_max = held;
		lock_max_cause = lock_cause;
		lock_max_a7 = lock_a7;
	}
#endif
	lock_owner = -1;
	__atomic_store_n(&big_lock, 0, __ATOMIC_RELEASE);
}

void irq_dispatch(uint32_t irq);
void timer_tick(struct cpu *c);
void fp_save(uint64_t *area);
void fp_restore(const uint64_t *area);
static void __attribute__((noreturn)) run_thread(struct cpu *c, struct thread *prev, struct thread *next);

/* handle whatever interrupts are pending on this hart; true if the timer fired */
static bool handle_interrupts(struct cpu *c)
{
	uint64_t sip = csr_read(sip);
	bool tick = false;

	if (sip & (1ul << IRQ_S_SOFT))
		csr_clear(sip, 1ul << IRQ_S_SOFT);
	if (sip & (1ul << IRQ_S_TIMER)) {
		arch_set_timer_in(timer_ticks_per_slice);
		timer_tick(c);
		tick = true;
	}
	if ((sip & (1ul << IRQ_S_EXT)) && c->c_plic_ctx >= 0) {
		uint32_t irq;
		while ((irq = plic_claim(c->c_plic_ctx)) != 0)
			irq_dispatch(irq);
	}
	return tick;
}

void trap_kernel(void)
{
	panic("trap_kernel: trap in S-mode: scause %lx sepc %lx stval %lx",
	      csr_read(scause), csr_read(sepc), csr_read(stval));
}

/*
 * A user page fault the tables can satisfy: a write to a copy-on-write page
 * (the common case after fork: asked first), the first touch of a demand-zero
 * page, or a stale TLB entry (another hart
 * resolved it already).  False: the thread really faulted (also when no
 * frame is free for it).
 */
static bool resolve_page_fault(struct thread *t, uint64_t cause, uint64_t stval)
{
	paddr_t root = t->t_as->as_root;
	int access = cause == EXC_STORE_PAGE ? PROT_W : cause == EXC_LOAD_PAGE ? PROT_R : PROT_X;
	int err;

	if (cause == EXC_STORE_PAGE && vm_resolve_cow(root, stval) == 0) {
		/* the page moved to a new frame: no hart may keep the old one */
		as_flush(t->t_as);
		return true;
	}
	err = vm_resolve_lazy(root, stval, access);
	if (err == 0) {
		/* invalid until now: at most this hart's TLB remembers that */
		__asm__ volatile("sfence.vma %0" :: "r"(stval) : "memory");
		return true;
	}
	if (err == -E_NOMEM)
		return false;
	if (vm_user_access_ok(root, stval, access)) {
		/* a stale TLB entry: the tables allow it now */
		__asm__ volatile("sfence.vma %0" :: "r"(stval) : "memory");
		return true;
	}
	return false;
}

static void handle_exception(struct thread *t, uint64_t cause)
{
	uint64_t stval = csr_read(stval);

	switch (cause) {
	case EXC_ECALL_U:
		t->t_ctx.x[CTX_PC] += 4;
		syscall_dispatch(t);
		return;
	case EXC_STORE_PAGE:
	case EXC_LOAD_PAGE:
	case EXC_INST_PAGE:
		if (resolve_page_fault(t, cause, stval))
			return;
		break;
	case EXC_ILLEGAL:
		/* first FPU use with FS=Off never happens: FS is on for every thread */
		break;
	}
	thread_fault(t, cause, stval);
}

void trap_user(struct cpu *c)
{
	uint64_t cause = csr_read(scause);
	struct thread *t;
	bool tick = false;

	kernel_lock();
	t = c->c_cur;
	LOCK_WHAT(cause, t->t_ctx.x[REG_A7]);
	if (cause == EXC_ECALL_U && (t->t_ctx.x[REG_A7] == SYS_CALL || t->t_ctx.x[REG_A7] == SYS_REPLYRECV ||
				     t->t_ctx.x[REG_A7] == SYS_SEND)) {
		struct thread *next = ipc_fastpath(c, t);
		if (next)               /* done there: run what it chose, else the slow path below */
			run_thread(c, t, next);
	}
	if (cause & SCAUSE_INTR)
		tick = handle_interrupts(c);
	else if (t->t_state == T_RUNNING)
		handle_exception(t, cause);
	kernel_exit_tick(c, tick);
}

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

	if (prev && (csr_read(sstatus) & SSTATUS_FS) == SSTATUS_FS) {
		fp_save(prev->t_fp);
		prev->t_fp_used = true;
		prev->t_fp_seq = ++fp_generation;
		c->c_fp_owner = prev;
		c->c_fp_seq = prev->t_fp_seq;
	}
	/* a thread's struct may be reused by another: the generation, unique over time, decides */
	if ((want == NULL) != (c->c_fp_owner == NULL) || (want && c->c_fp_seq != want->t_fp_seq)) {
		csr_set(sstatus, SSTATUS_FS);
		fp_restore(want ? want->t_fp : fp_zero);
		c->c_fp_owner = want;
		c->c_fp_seq = want ? want->t_fp_seq : 0;
	}
	csr_clear(sstatus, SSTATUS_FS);
	csr_set(sstatus, SSTATUS_FS_INITIAL << 1);      /* Clean: a write makes it Dirty */
}

void fp_zero_regs(void)
{
	csr_set(sstatus, SSTATUS_FS);
	fp_restore(fp_zero);
	csr_clear(sstatus, SSTATUS_FS);
	csr_set(sstatus, SSTATUS_FS_INITIAL << 1);
}

/* this hart stops running prev: drop our reference, wake whoever waits for that */
static void release_prev(struct cpu *c, struct thread *prev)
{
	c->c_cur = NULL;
	thread_left_cpu(prev);
	obj_unref(&prev->o);
}

/* run next on this hart (prev: what ran before, or NULL); the lock is dropped */
static void __attribute__((noreturn)) run_thread(struct cpu *c, struct thread *prev, struct thread *next)
{
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
	trap_return(&next->t_ctx);
}

/*
 * Leave the kernel: pick the thread to run (maybe the same one), switch
 * address space and FPU state, drop the lock, return to user mode.
 * With nothing to run, idle here until an interrupt makes something runnable.
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
		__asm__ volatile("wfi");
		kernel_lock();
		c->c_idle = false;
		tick = handle_interrupts(c);
	}
	run_thread(c, prev, next);
}

void kernel_exit(void)
{
	kernel_exit_tick(this_cpu(), false);
}
