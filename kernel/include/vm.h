/*
 * Sv39 page tables.  A user address space is a root table whose upper half
 * (entries 256..511) is the kernel's, copied at creation and never changed;
 * the lower half maps user pages.  Leaf entries own a reference on their
 * frame (pmm refcount) unless they map device registers (PTE_DEV).
 * Copy-on-write: a private page shared after a clone is mapped read-only with
 * PTE_COW; a write fault on it copies (or takes over, if it is the last one).
 * Pages mapped with PTE_SHARED stay shared by clones.
 * Demand-zero: SYS_AS_MAP records not-yet-present pages, V=0 with PTE_LAZY
 * and the prot bits the page will get; the first touch (a page fault, or a
 * kernel copy through fault_in_user) allocates the zeroed frame.  A lazy entry
 * owns no frame; clones copy it as it is.  Big kernel lock held.
 */
#ifndef VM_H
#define VM_H
#include "kernel.h"

#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_G (1ul << 5)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define PTE_COW    (1ul << 8)   /* RSW: private page, write copies */
#define PTE_SHARED (1ul << 9)   /* RSW: shared on purpose (clone keeps it shared) */
#define PTE_LAZY   (1ul << 63)  /* with V=0: demand-zero page, the low bits its flags */
#define PTE_USED   (PTE_V | PTE_LAZY)   /* a page is mapped there, present or not */

#define PTE_PPN(pte) (((pte) >> 10) & ((1ul << 44) - 1))
#define PTE_PA(pte)  (PTE_PPN(pte) << PAGE_SHIFT)
#define PA_PTE(pa)   (((paddr_t)(pa) >> PAGE_SHIFT) << 10)
#define VPN(va, lvl) (((va) >> (PAGE_SHIFT + 9 * (lvl))) & 511)

/* the kernel's root table, whose upper half every address space copies */
extern paddr_t kernel_root;

paddr_t vm_new_root(void);                 /* 0 when out of memory */
void vm_free_root(paddr_t root);           /* unmaps (unrefs) every user page, frees the tables */
/* the same in steps: frees at most `budget` leaf tables (and their pages) of a root nothing
   runs in; true once everything, the root too, is gone (false: call again to go on) */
bool vm_free_some(paddr_t root, int budget);
uint64_t *vm_walk(paddr_t root, vaddr_t va, bool alloc); /* leaf entry, or NULL */
int vm_map(paddr_t root, vaddr_t va, paddr_t pa, uint64_t flags); /* takes a ref on RAM frames; -E_BUSY if mapped */
int vm_map_anon(paddr_t root, vaddr_t va, uint64_t len, int prot); /* fresh zeroed pages, all or nothing */
int vm_map_lazy(paddr_t root, vaddr_t va, uint64_t len, int prot); /* demand-zero pages; -E_NOMEM (a table) maps nothing */
int vm_unmap(paddr_t root, vaddr_t va, uint64_t len); /* missing pages are skipped */
void vm_protect(paddr_t root, vaddr_t va, uint64_t len, int prot); /* a COW page stays COW */
int vm_clone_cow(paddr_t dst, paddr_t src); /* dst empty; -E_NOMEM leaves dst for vm_free_root */
/* make COW page va writable: 1 if it moved to a copy (other harts may map the old frame),
   0 if taken over in place (a stale read-only entry elsewhere only faults once more);
   -E_FAULT if not a COW page, -E_NOMEM */
int vm_resolve_cow(paddr_t root, vaddr_t va);
/* 0 if the demand-zero page at va, whose prot allows access, is now present; else -E_FAULT or -E_NOMEM */
int vm_resolve_lazy(paddr_t root, vaddr_t va, int access);
uint64_t vm_prot_flags(int prot);          /* PROT_* -> PTE bits for a user page */
bool vm_user_range_ok(vaddr_t va, uint64_t len);
bool vm_user_access_ok(paddr_t root, vaddr_t va, int prot);   /* the tables allow this user access now */

/* no hart may keep TLB entries of this root (after a page moved); kernel: sys_obj.c */
void vm_flush_root(paddr_t root);

/* user memory access by walking the tables; never faults */
int copy_from_user(paddr_t root, void *dst, vaddr_t src, uint64_t len);
int copy_to_user(paddr_t root, vaddr_t dst, const void *src, uint64_t len);
/* between two address spaces (IPC buffers) */
int copy_user_to_user(paddr_t droot, vaddr_t dst, paddr_t sroot, vaddr_t src, uint64_t len);
#endif
