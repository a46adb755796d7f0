/* Kernel object memory: see include/kalloc.h. */
#include "kalloc.h"
#include "pmm.h"

struct slab {
	struct list link;      /* on its class's list while it has free objects */
	void *free;            /* free objects, linked through their first word */
	uint32_t used;
	uint32_t size;
};

#define NCLASS 7               /* 32 64 128 256 512 1024 2048 */
#define SLAB_HDR ROUND_UP(sizeof(struct slab), 32)

static struct list partial[NCLASS];
static bool ready;
static uint64_t live;

static int size_class(size_t size)
{
	int c = 0;
	size_t s = 32;
	while (s < size) {
		s <<= 1;
		c++;
	}
	return c;
}

static struct slab *slab_new(int c)
{
	paddr_t pa = pmm_alloc();
	struct slab *s;
	uint32_t size = 32u << c;
	char *p;

	if (!pa)
		return NULL;
	s = PA2KVA(pa);
	list_init(&s->link);
	s->used = 0;
	s->size = size;
	s->free = NULL;
	/* thread the objects, last first, so allocation walks upwards */
	for (p = (char *)s + PAGE_SIZE - size; p >= (char *)s + SLAB_HDR; p -= size) {
		*(void **)p = s->free;
		s->free = p;
	}
	list_add_head(&partial[c], &s->link);
	return s;
}

void *kzalloc(size_t size)
{
	struct slab *s;
	void *p;
	int c;

	if (!ready) {
		for (c = 0; c < NCLASS; c++)
			list_init(&partial[c]);
		ready = true;
	}
	if (size == 0 || size > PAGE_SIZE)
		return NULL;
	if (size > (32u << (NCLASS - 1))) {
		/* whole page: page-aligned pointers are never slab objects */
		paddr_t pa = pmm_alloc();
		if (!pa)
			return NULL;
		live++;
		return PA2KVA(pa);
	}
	c = size_class(size);
	if (list_empty(&partial[c])) {
		if (!slab_new(c))
			return NULL;
	}
	s = container_of(partial[c].next, struct slab, link);
	p = s->free;
	s->free = *(void **)p;
	s->used++;
	if (!s->free)
		list_del(&s->link);
	memset(p, 0, s->size);
	live++;
	return p;
}

void kfree(void *p)
{
	struct slab *s;

	if (!p)
		return;
	live--;
	if (((uintptr_t)p & PAGE_MASK) == 0) {
		pmm_unref(KVA2PA(p));
		return;
	}
	s = (struct slab *)ROUND_DOWN((uintptr_t)p, PAGE_SIZE);
	KASSERT(s->used > 0);
	if (!s->free)
		list_add_head(&partial[size_class(s->size)], &s->link);
	*(void **)p = s->free;
	s->free = p;
	if (--s->used == 0) {
		list_del(&s->link);
		pmm_unref(KVA2PA(s));
	}
}

uint64_t kalloc_live(void) { return live; }
