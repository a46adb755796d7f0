/*
 * The RISC-V side of arch.h that must be inline: what every way into and out
 * of the kernel does (find this hart, move FPU state, fence the TLB, idle).
 * Only arch.h includes this file.
 */
#ifndef ARCH_IMPL_H
#define ARCH_IMPL_H
#include "csr.h"

struct cpu;

/* in S-mode tp holds this hart's struct cpu (trap.S, head.S) */
static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("mv %0, tp" : "=r"(c));
	return c;
}

/* fp.S: f0..f31 and fcsr, 33 doublewords; the FPU must be on (FS not Off) */
void fp_save(uint64_t *area);
void fp_restore(const uint64_t *area);

/* user code wrote an FP register since the last arch_fp_clean (FS = Dirty) */
static inline bool arch_fp_dirty(void)
{
	return (csr_read(sstatus) & SSTATUS_FS) == SSTATUS_FS;
}

static inline void arch_fp_save(uint64_t *area)
{
	fp_save(area);
}

static inline void arch_fp_load(const uint64_t *area)
{
	csr_set(sstatus, SSTATUS_FS);
	fp_restore(area);
}

/* the registers now match what was saved or loaded: FS = Clean, a write makes it Dirty */
static inline void arch_fp_clean(void)
{
	csr_clear(sstatus, SSTATUS_FS);
	csr_set(sstatus, SSTATUS_FS_INITIAL << 1);
}

/* this hart forgets every cached translation, or those of one page */
static inline void arch_flush_local(void)
{
	__asm__ volatile("sfence.vma" ::: "memory");
}

static inline void arch_flush_local_page(uint64_t va)
{
	__asm__ volatile("sfence.vma %0" :: "r"(va) : "memory");
}

/* sleep until an interrupt is pending (returns at once if one is) */
static inline void arch_wait_for_interrupt(void)
{
	__asm__ volatile("wfi");
}
#endif
