/* Physical page allocator: see include/pmm.h. */
#include "pmm.h"

static paddr_t ram_base, ram_end;
static uint32_t *refs;          /* one counter per page of [ram_base, ram_end) */
static paddr_t free_head;       /* first free page, 0 if none */
static uint64_t nfree, ntotal;
static uint64_t fail_countdown;

static inline size_t pfn(paddr_t pa) { return (pa - ram_base) >> PAGE_SHIFT; }

void pmm_init(paddr_t base, paddr_t end, uint32_t *storage)
{
	ram_base = ROUND_DOWN(base, PAGE_SIZE);
	ram_end = ROUND_DOWN(end, PAGE_SIZE);
	refs = storage;
	memset(refs, 0, ((ram_end - ram_base) >> PAGE_SHIFT) * sizeof(uint32_t));
	free_head = 0;
	nfree = ntotal = 0;
	fail_countdown = 0;
}

bool pmm_is_ram(paddr_t pa)
{
	return pa >= ram_base && pa < ram_end;
}

static void push_free(paddr_t pa)
{
	*(paddr_t *)PA2KVA(pa) = free_head;
	free_head = pa;
	nfree++;
}

void pmm_add_free(paddr_t start, paddr_t end)
{
	start = ROUND_UP(start, PAGE_SIZE);
	end = ROUND_DOWN(end, PAGE_SIZE);
	if (start < ram_base)
		start = ram_base;
	if (end > ram_end)
		end = ram_end;
	/* push in reverse so allocation starts from low addresses */
	for (paddr_t pa = end; pa > start; ) {
		pa -= PAGE_SIZE;
		push_free(pa);
		ntotal++;
	}
}

void pmm_fail_nth(uint64_t n)
{
	fail_countdown = n;
}

void (*pmm_low_hook)(void);

paddr_t pmm_alloc_dirty(void)
{
	paddr_t pa;

	if (fail_countdown && --fail_countdown == 0)
		return 0;
	if (!free_head && pmm_low_hook)
		pmm_low_hook();
	if (!free_head)
		return 0;
	pa = free_head;
	free_head = *(paddr_t *)PA2KVA(pa);
	nfree--;
	KASSERT(refs[pfn(pa)] == 0);
	refs[pfn(pa)] = 1;
	return pa;
}

paddr_t pmm_alloc(void)
{
	paddr_t pa = pmm_alloc_dirty();
	if (pa)
		memset(PA2KVA(pa), 0, PAGE_SIZE);
	return pa;
}

void pmm_ref(paddr_t pa)
{
	KASSERT(pmm_is_ram(pa) && refs[pfn(pa)] > 0);
	refs[pfn(pa)]++;
}

void pmm_unref(paddr_t pa)
{
	KASSERT(pmm_is_ram(pa) && refs[pfn(pa)] > 0);
	if (--refs[pfn(pa)] == 0)
		push_free(pa);
}

uint32_t pmm_refcount(paddr_t pa)
{
	return pmm_is_ram(pa) ? refs[pfn(pa)] : 0;
}

uint64_t pmm_free_pages(void) { return nfree; }
uint64_t pmm_total_pages(void) { return ntotal; }
