/* What generic kernel code asks of the architecture (kernel/arch/riscv/). */
#ifndef ARCH_H
#define ARCH_H
#include "kernel.h"

void arch_send_ipi(uint64_t hartid);
void arch_remote_fence(uint64_t hart_mask);     /* sfence.vma on those harts (SBI RFENCE) */
void arch_set_timer_in(uint64_t ticks);         /* next timer interrupt on this hart */
uint64_t arch_time(void);                       /* rdtime */
void arch_switch_as(paddr_t root);              /* satp + local fence */
void arch_poweroff(void) __attribute__((noreturn));
void arch_console_putc(int c);                  /* SBI: early boot and panics only */
int arch_start_hart(uint64_t hartid, uint64_t opaque);
void plic_init(paddr_t base, uint32_t ndev);
void plic_enable(int ctx, uint32_t irq, bool on);
uint32_t plic_claim(int ctx);
void plic_complete(int ctx, uint32_t irq);
void plic_hart_init(int ctx);
#endif
