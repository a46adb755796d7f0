/*
 * Common kernel definitions: types, list helpers, printing, panics and the
 * memory layout.  Pure definitions only, so host tests can include it.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "uapi/abi.h"

typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ul << PAGE_SHIFT)
#define PAGE_MASK  (PAGE_SIZE - 1)
#define ROUND_UP(x, a)   (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ROUND_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

/*
 * Memory layout (Sv39):
 *   0x0000_0000_0001_0000 .. 0x0000_003f_ffff_ffff   user space (root entries 0..255)
 *   0xffff_ffc0_0000_0000 + pa                       direct map of physical memory
 *   0xffff_ffff_8020_0000                            the kernel image, wherever it was loaded
 */
#define DMAP_BASE    0xffffffc000000000ul
#define DMAP_SIZE    (64ul << 30)
#define KERNEL_VBASE 0xffffffff80200000ul

#ifdef HOST_TEST
/* host tests back "physical memory" with an ordinary buffer: pa == host address */
#define PA2KVA(pa) ((void *)(uintptr_t)(pa))
#define KVA2PA(va) ((paddr_t)(uintptr_t)(va))
#else
#define PA2KVA(pa) ((void *)((paddr_t)(pa) + DMAP_BASE))
#define KVA2PA(va) ((paddr_t)(uintptr_t)(va) - DMAP_BASE)
#endif

/* ---- doubly linked lists ---- */
struct list {
	struct list *next, *prev;
};
static inline void list_init(struct list *l) { l->next = l->prev = l; }
static inline bool list_empty(const struct list *l) { return l->next == l; }
static inline void list_add_tail(struct list *l, struct list *n)
{
	n->prev = l->prev;
	n->next = l;
	l->prev->next = n;
	l->prev = n;
}
static inline void list_add_head(struct list *l, struct list *n)
{
	n->next = l->next;
	n->prev = l;
	l->next->prev = n;
	l->next = n;
}
static inline void list_del(struct list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}
static inline struct list *list_pop(struct list *l)
{
	struct list *n;
	if (list_empty(l))
		return NULL;
	n = l->next;
	list_del(n);
	return n;
}

/* ---- printing and panics ---- */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define KASSERT(c) do { if (!(c)) panic("%s: assertion '%s' failed (%s:%d)", __func__, #c, __FILE__, __LINE__); } while (0)

/* ---- freestanding string functions (kernel/lib.c) ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
