/*
 * Traps in C: what the trap vector (trap.S) calls.  A trap from user mode
 * takes the big lock, tries the IPC fast path, then handles the interrupt
 * or the exception (a kernel call, a page fault the kernel resolves, or a
 * fault for the thread's handler), and leaves through the common exit path
 * (switch.c).
 */
#include "cpu.h"
#include "csr.h"
#include "vm.h"
#include "syscall.h"
#include "fastpath.h"

_Static_assert(sizeof(struct cpu) == 128, "head.S and trap.S assume a 128-byte struct cpu");

extern void trap_entry(void);           /* trap.S */

void arch_cpu_init(struct cpu *c)
{
	csr_write(sscratch, (uint64_t)c);
	csr_write(stvec, (uint64_t)trap_entry);
	csr_write(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
	csr_write(scounteren, 7);       /* cycle, time, instret readable in user mode */
}

/*
 * Taken before the big lock: a due timer is set for the next slice here, so
 * no hart holds the lock through the SBI call.  (Under QEMU's -icount one
 * thread runs the harts in turn, and a timer write ends a hart's turn: with
 * the write inside the lock, the next hart spun away its whole turn while the
 * writer held the lock, and the writer found its timer due again each time.)
 */
bool arch_timer_rearm(void)
{
	if (!(csr_read(sip) & (1ul << IRQ_S_TIMER)))
		return false;
	arch_set_timer_in(timer_ticks_per_slice);
	return true;
}

void arch_handle_interrupts(struct cpu *c, bool timer)
{
	uint64_t sip = csr_read(sip);

	if (sip & (1ul << IRQ_S_SOFT))
		csr_clear(sip, 1ul << IRQ_S_SOFT);
	if (timer)
		timer_tick(c);
	if ((sip & (1ul << IRQ_S_EXT)) && c->c_plic_ctx >= 0) {
		uint32_t irq;
		while ((irq = plic_claim(c->c_plic_ctx)) != 0)
			irq_dispatch(irq);
	}
}

void trap_kernel(void)
{
	panic("trap_kernel: trap in S-mode: scause %lx sepc %lx stval %lx",
	      csr_read(scause), csr_read(sepc), csr_read(stval));
}

/* what a page fault tried */
static int fault_access(uint64_t cause)
{
	return cause == EXC_STORE_PAGE ? PROT_W : cause == EXC_LOAD_PAGE ? PROT_R : PROT_X;
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
		if (page_fault_resolve(t, fault_access(cause), stval))
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
	uint64_t now;
	bool timer = (cause & SCAUSE_INTR) && arch_timer_rearm();

	kernel_lock();
	t = c->c_cur;
	/* CPU time: user mode until now (read under the lock: SYS_THREAD_TIMES adds what is not
	 * counted yet of a thread running elsewhere, and must never see the count go back) */
	now = arch_time();
	t->t_utime += now - c->c_mark;
	c->c_mark = now;
	lock_note(cause, t->t_ctx.x[REG_A7]);
	if (cause == EXC_ECALL_U && (t->t_ctx.x[REG_A7] == SYS_CALL || t->t_ctx.x[REG_A7] == SYS_REPLYRECV ||
				     t->t_ctx.x[REG_A7] == SYS_SEND)) {
		struct thread *next = ipc_fastpath(c, t);
		if (next)               /* done there: run what it chose, else the slow path below */
			kernel_exit_to(c, t, next);
	}
	if (cause & SCAUSE_INTR)
		arch_handle_interrupts(c, timer);
	else if (t->t_state == T_RUNNING)
		handle_exception(t, cause);
	kernel_exit_tick(c, timer);
}
