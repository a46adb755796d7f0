/*
 * The PLIC (RISC-V platform-level interrupt controller), the one device the
 * kernel drives itself: every source at priority 1, each hart's S-mode
 * context at threshold 0; a source reaches a context while it is enabled
 * there (sys_misc.c routes all device interrupts to one context).
 */
#include "kernel.h"
#include "arch.h"

static volatile uint32_t *plic;
static uint32_t plic_ndev;

void plic_init(paddr_t base, uint32_t ndev)
{
	plic = PA2KVA(base);
	plic_ndev = ndev;
	for (uint32_t i = 1; i <= ndev; i++)
		plic[i] = 1;                    /* priority 1: enabled when unmasked */
}

void plic_hart_init(int ctx)
{
	if (!plic || ctx < 0)
		return;
	plic[(0x200000 + 0x1000 * ctx) / 4] = 0;   /* threshold 0 */
}

void plic_enable(int ctx, uint32_t irq, bool on)
{
	volatile uint32_t *en;
	if (!plic || ctx < 0 || irq == 0 || irq > plic_ndev)
		return;
	en = &plic[(0x2000 + 0x80 * ctx) / 4 + irq / 32];
	if (on)
		*en |= 1u << (irq % 32);
	else
		*en &= ~(1u << (irq % 32));
}

uint32_t plic_claim(int ctx)
{
	return plic[(0x200004 + 0x1000 * ctx) / 4];
}

void plic_complete(int ctx, uint32_t irq)
{
	plic[(0x200004 + 0x1000 * ctx) / 4] = irq;
}
