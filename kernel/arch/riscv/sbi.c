/* SBI calls: what the kernel asks of OpenSBI in M-mode (timer, IPIs, remote fences, harts, power). */
#include "kernel.h"
#include "cpu.h"
#include "arch.h"
#include "csr.h"
#include "vm.h"
#include "boot.h"

struct sbiret { long error; long value; };

static struct sbiret sbi_call4(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
			       uint64_t a3)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r3 __asm__("a3") = a3;
	register uint64_t r6 __asm__("a6") = fid;
	register uint64_t r7 __asm__("a7") = ext;
	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r3), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ (long)r0, (long)r1 };
}

static struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return sbi_call4(ext, fid, a0, a1, a2, 0);
}

#define SBI_EXT_TIME  0x54494d45
#define SBI_EXT_IPI   0x735049
#define SBI_EXT_RFNC  0x52464e43
#define SBI_EXT_HSM   0x48534d
#define SBI_EXT_SRST  0x53525354

void arch_console_putc(int c)
{
	sbi_call(1, 0, (uint64_t)c, 0, 0);   /* legacy console_putchar */
}

/*
 * A hart with Sstc compares its own stimecmp (OpenSBI lets S-mode write it):
 * no trap to M-mode each slice.  Without it, SBI's set_timer does that for us.
 */
void arch_set_timer_in(uint64_t ticks)
{
	if (this_cpu()->c_sstc)
		csr_write_stimecmp(arch_time() + ticks);
	else
		sbi_call(SBI_EXT_TIME, 0, arch_time() + ticks, 0, 0);
}

uint64_t arch_time(void)
{
	return csr_read(time);
}

void arch_send_ipi(uint64_t hartid)
{
	sbi_call(SBI_EXT_IPI, 0, 1, hartid, 0);
}

void arch_remote_fence(uint64_t hart_mask)
{
	if (hart_mask)
		sbi_call4(SBI_EXT_RFNC, 1, hart_mask, 0, 0, ~0ull);   /* whole address space */
}

int arch_start_hart(uint64_t hartid, uint64_t opaque)
{
	paddr_t pa = (paddr_t)(uintptr_t)_secondary_start - KERNEL_VBASE + kernel_load_pa;
	return (int)sbi_call(SBI_EXT_HSM, 0, hartid, pa, opaque).error;
}

void arch_switch_as(paddr_t root)
{
	csr_write(satp, SATP_SV39 | (root >> PAGE_SHIFT));
	__asm__ volatile("sfence.vma" ::: "memory");
}

void arch_poweroff(void)
{
	sbi_call(SBI_EXT_SRST, 0, 0, 0, 0);     /* shutdown, no reason */
	for (;;)
		__asm__ volatile("wfi");
}
