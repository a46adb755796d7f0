/* What the boot code shares: the image as loaded, the boot page table, the root task. */
#ifndef BOOT_H
#define BOOT_H
#include "kernel.h"

extern char _end[];                             /* kernel.ld: the end of the image */
extern char _secondary_start[];                 /* head.S: where a started hart begins */
extern paddr_t kernel_load_pa;                  /* early.c: where the image was loaded */
extern uint64_t boot_root_pt[];                 /* early.c: the table paging was turned on with */
extern const char root_elf[], root_elf_end[];   /* bootimg.S: the root task */
extern const char boot_archive[], boot_archive_end[];   /* bootimg.S: the boot archive */

void kernel_main(uint64_t hartid, paddr_t dtb_pa);      /* main.c: the boot hart, paging on */
void secondary_main(uint64_t hartid, uint64_t idx);     /* main.c: every other hart */
void root_task_create(const void *dtb, uint64_t dtb_len, paddr_t dev_end);  /* boot_root.c */
uint64_t early_paging(paddr_t load_pa);                 /* early.c: MMU off; returns satp */
#endif
