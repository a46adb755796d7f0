/*
 * Physical page allocator.  One contiguous RAM window [base, end) is covered by
 * a reference-count array; free pages form a singly linked list threaded
 * through the pages themselves (reached through the direct map).
 * Callers hold the big kernel lock.
 */
#ifndef PMM_H
#define PMM_H
#include "kernel.h"

/* storage: (end - base) / PAGE_SIZE uint32_t counters, zeroed by pmm_init */
void pmm_init(paddr_t base, paddr_t end, uint32_t *storage);
void pmm_add_free(paddr_t start, paddr_t end);   /* page-aligned inward */
paddr_t pmm_alloc(void);                         /* refcount 1, zeroed; 0 when out of memory */
paddr_t pmm_alloc_dirty(void);                   /* the same, not zeroed: the caller overwrites it all */
void pmm_ref(paddr_t pa);
void pmm_unref(paddr_t pa);                      /* frees the page when the count reaches 0 */
uint32_t pmm_refcount(paddr_t pa);
bool pmm_is_ram(paddr_t pa);
uint64_t pmm_free_pages(void);
uint64_t pmm_total_pages(void);
/* called when an allocation finds no free page, before it fails (the kernel: finish teardowns) */
extern void (*pmm_low_hook)(void);
/* fault injection (test builds): the Nth allocation from now fails; 0 = off */
void pmm_fail_nth(uint64_t n);
#endif
