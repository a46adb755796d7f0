/*
 * early_paging: runs with the MMU off at whatever physical address the image
 * was loaded.  Compiled -mcmodel=medany so every global is reached
 * PC-relatively; it must not use absolute addresses (no pointers stored in
 * data, no calls through tables).
 *
 * Builds the boot root table:
 *   - identity gigapage over the load address (only while we jump high),
 *   - direct map of 0..64 GiB at DMAP_BASE (gigapages),
 *   - the kernel image at KERNEL_VBASE (2 MiB pages, 64 MiB).
 * Returns the satp value.
 */
#include "kernel.h"
#include "vm.h"
#include "csr.h"
#include "boot.h"

__attribute__((aligned(4096))) uint64_t boot_root_pt[512];
__attribute__((aligned(4096))) uint64_t boot_kimg_pt[512];
paddr_t kernel_load_pa;
uint64_t boot_satp;

#define KIMG_MAP (64ul << 20)

uint64_t early_paging(paddr_t load_pa)
{
	uint64_t rwx = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G;
	uint64_t i;

	kernel_load_pa = load_pa;
	boot_root_pt[VPN(load_pa, 2)] = PA_PTE(ROUND_DOWN(load_pa, 1ul << 30)) | rwx;
	for (i = 0; i < DMAP_SIZE >> 30; i++)
		boot_root_pt[VPN(DMAP_BASE, 2) + i] = PA_PTE(i << 30) | rwx;
	for (i = 0; i < KIMG_MAP >> 21; i++)
		boot_kimg_pt[VPN(KERNEL_VBASE, 1) + i] = PA_PTE(load_pa + (i << 21)) | rwx;
	boot_root_pt[VPN(KERNEL_VBASE, 2)] = PA_PTE((paddr_t)(uintptr_t)boot_kimg_pt) | PTE_V;
	boot_satp = SATP_SV39 | ((paddr_t)(uintptr_t)boot_root_pt >> PAGE_SHIFT);
	return boot_satp;
}
