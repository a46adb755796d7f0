/*
 * What generic kernel code asks of the architecture: the only way it reaches
 * the CPU, the SBI firmware and the interrupt controller.  The RISC-V code
 * is in kernel/arch/riscv/ (sbi.c, plic.c, trap.c, the assembly); what must
 * be inline is in kernel/arch/riscv/arch_impl.h.
 */
#ifndef ARCH_H
#define ARCH_H
#include "kernel.h"

struct cpu;
struct ctx;

/* this hart */
void arch_cpu_init(struct cpu *c);              /* trap vector, interrupt enables, counters */
bool arch_timer_rearm(void);                    /* before the lock: true if the timer fired (set again) */
void arch_handle_interrupts(struct cpu *c, bool timer);    /* lock held: what is pending; timer: it fired */
void arch_return_to_user(struct ctx *ctx) __attribute__((noreturn));   /* trap.S */

/* SBI (sbi.c) */
void arch_send_ipi(uint64_t hartid);
void arch_remote_fence(uint64_t hart_mask);     /* sfence.vma on those harts (SBI RFENCE) */
void arch_set_timer_in(uint64_t ticks);         /* next timer interrupt on this hart */
uint64_t arch_time(void);                       /* rdtime */
void arch_switch_as(paddr_t root);              /* satp + local fence */
void arch_poweroff(void) __attribute__((noreturn));
void arch_console_putc(int c);                  /* SBI: early boot and panics only */
int arch_start_hart(uint64_t hartid, uint64_t opaque);

/* the interrupt controller (plic.c); ctx: a hart's S-mode context, -1 none */
void plic_init(paddr_t base, uint32_t ndev);
void plic_enable(int ctx, uint32_t irq, bool on);
uint32_t plic_claim(int ctx);
void plic_complete(int ctx, uint32_t irq);
void plic_hart_init(int ctx);

#ifndef HOST_TEST
#include "../arch/riscv/arch_impl.h"
#else
/* host tests have no machine: test/host/fake_kernel.c gives them one hart without a TLB */
struct cpu *this_cpu(void);
void arch_flush_local(void);
void arch_flush_local_page(uint64_t va);
#endif
#endif
