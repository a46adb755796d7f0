/*
 * test_vm.c - host tests of the Sv39 page-table code (kernel/vm.c): mapping,
 * unmapping, freeing an address space, user copies and their refusals,
 * copy-on-write clones and protection changes.  Page tables live in a buffer
 * standing for RAM; every test ends by freeing its roots and checking that the
 * free-page count is back where it started.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fake_kernel.h"
#include "vm.h"

#define NPAGES 1024
#define VA     0x100000ul       /* a user address in the first 2 MiB chunk */
#define RW     (PROT_R | PROT_W)

static uint64_t free0;

static int setup(void **state)
{
	fake_mem_setup(NPAGES, true);
	free0 = pmm_free_pages();
	return 0;
}

static int teardown(void **state) { fake_mem_teardown(); return 0; }

static uint64_t pte_of(paddr_t root, vaddr_t va)
{
	uint64_t *pte = vm_walk(root, va, false);
	return pte ? *pte : 0;
}

static paddr_t frame_of(paddr_t root, vaddr_t va)
{
	uint64_t pte = pte_of(root, va);
	assert_true(pte & PTE_V);
	return PTE_PA(pte);
}

static uint8_t peek(paddr_t root, vaddr_t va)
{
	uint8_t b;
	assert_int_equal(copy_from_user(root, &b, va, 1), 0);
	return b;
}

static void poke(paddr_t root, vaddr_t va, uint8_t b)
{
	assert_int_equal(copy_to_user(root, va, &b, 1), 0);
}

/* ---- map / walk / unmap ---- */

static void test_map_walk_unmap(void **state)
{
	paddr_t root = vm_new_root(), pa = pmm_alloc(), other = pmm_alloc();
	uint64_t flags = vm_prot_flags(RW), pte;

	assert_int_not_equal(root, 0);
	assert_null(vm_walk(root, VA, false));          /* no tables yet */
	assert_int_equal(vm_map(root, VA, pa, flags), 0);
	assert_int_equal(pmm_refcount(pa), 2);          /* ours and the mapping's */
	pte = pte_of(root, VA);
	assert_int_equal(PTE_PA(pte), pa);
	assert_int_equal(pte & 0x3ff, flags);
	assert_true((pte & (PTE_V | PTE_U | PTE_R | PTE_W)) == (PTE_V | PTE_U | PTE_R | PTE_W));
	assert_int_equal(pte_of(root, VA + PAGE_SIZE), 0);      /* neighbour: table, no page */
	assert_null(vm_walk(root, 1ul << 30, false));           /* another GiB: no table */

	/* double map: refused, nothing changes */
	assert_int_equal(vm_map(root, VA, other, flags), -E_BUSY);
	assert_int_equal(pmm_refcount(pa), 2);
	assert_int_equal(pmm_refcount(other), 1);
	assert_int_equal(PTE_PA(pte_of(root, VA)), pa);

	assert_int_equal(vm_unmap(root, VA - PAGE_SIZE, 3 * PAGE_SIZE), 0);  /* holes skipped */
	assert_int_equal(pte_of(root, VA), 0);
	assert_int_equal(pmm_refcount(pa), 1);
	pmm_unref(pa);
	pmm_unref(other);
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

static void test_map_device_takes_no_ref(void **state)
{
	paddr_t root = vm_new_root();
	paddr_t dev = fake_end + 64 * PAGE_SIZE;        /* outside RAM */

	assert_false(pmm_is_ram(dev));
	assert_int_equal(vm_map(root, VA, dev, vm_prot_flags(RW)), 0);
	assert_int_equal(PTE_PA(pte_of(root, VA)), dev);
	vm_free_root(root);                             /* must not unref dev */
	assert_int_equal(pmm_free_pages(), free0);
}

/* ---- vm_map_anon ---- */

static void test_map_anon(void **state)
{
	paddr_t root = vm_new_root();

	assert_int_equal(vm_map_anon(root, VA, 4 * PAGE_SIZE, RW), 0);
	/* root + L1 + L0 + 4 pages */
	assert_int_equal(pmm_free_pages(), free0 - 7);
	for (int i = 0; i < 4; i++) {
		paddr_t pa = frame_of(root, VA + i * PAGE_SIZE);
		assert_int_equal(pmm_refcount(pa), 1);  /* the mapping's only */
		assert_int_equal(peek(root, VA + i * PAGE_SIZE + 17), 0);
	}
	/* overlapping an existing page: refused before anything is taken */
	assert_int_equal(vm_map_anon(root, VA + 3 * PAGE_SIZE, 2 * PAGE_SIZE, RW), -E_BUSY);
	assert_int_equal(pte_of(root, VA + 4 * PAGE_SIZE), 0);
	assert_int_equal(pmm_free_pages(), free0 - 7);
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

/*
 * Every allocation of a 4-page mapping that crosses into a second 2 MiB chunk
 * fails in turn.  The tables exist beforehand, so a failure leaves the free
 * count exactly where it was and no page mapped.
 */
static void test_map_anon_all_or_nothing(void **state)
{
	paddr_t root = vm_new_root();
	vaddr_t va = 0x200000 - 2 * PAGE_SIZE;
	uint64_t before;

	/* make both chunks' tables exist, then empty them */
	assert_int_equal(vm_map_anon(root, va, 4 * PAGE_SIZE, RW), 0);
	vm_unmap(root, va, 4 * PAGE_SIZE);
	before = pmm_free_pages();
	for (uint64_t n = 1; n <= 4; n++) {
		pmm_fail_nth(n);
		assert_int_equal(vm_map_anon(root, va, 4 * PAGE_SIZE, RW), -E_NOMEM);
		assert_int_equal(pmm_free_pages(), before);
		for (int i = 0; i < 4; i++)
			assert_int_equal(pte_of(root, va + i * PAGE_SIZE), 0);
	}
	pmm_fail_nth(0);

	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);

	/*
	 * Tables missing: 7 allocations (page, L1, L0, page, page, L0, page).  Tables
	 * allocated before the failure stay with the root, which frees them.
	 */
	for (uint64_t n = 1; n <= 7; n++) {
		root = vm_new_root();
		pmm_fail_nth(n);
		assert_int_equal(vm_map_anon(root, va, 4 * PAGE_SIZE, RW), -E_NOMEM);
		pmm_fail_nth(0);
		for (int i = 0; i < 4; i++)
			assert_int_equal(pte_of(root, va + i * PAGE_SIZE), 0);
		vm_free_root(root);
		assert_int_equal(pmm_free_pages(), free0);
	}
	root = vm_new_root();
	pmm_fail_nth(8);
	assert_int_equal(vm_map_anon(root, va, 4 * PAGE_SIZE, RW), 0);
	pmm_fail_nth(0);
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

static void test_free_root_returns_everything(void **state)
{
	paddr_t root = vm_new_root(), shared = pmm_alloc();

	assert_int_equal(vm_map_anon(root, USER_VA_MIN, 3 * PAGE_SIZE, RW), 0);
	assert_int_equal(vm_map_anon(root, 0x40000000ul + 0x3ff000, 2 * PAGE_SIZE, PROT_R), 0);
	assert_int_equal(vm_map_anon(root, USER_VA_MAX - PAGE_SIZE, PAGE_SIZE, PROT_R | PROT_X), 0);
	assert_int_equal(vm_map(root, 0x7000000, shared, vm_prot_flags(RW) | PTE_SHARED), 0);
	assert_true(pmm_free_pages() < free0 - 10);
	vm_free_root(root);
	/* everything back but our own reference on `shared` */
	assert_int_equal(pmm_refcount(shared), 1);
	assert_int_equal(pmm_free_pages(), free0 - 1);
	pmm_unref(shared);
	assert_int_equal(pmm_free_pages(), free0);
}

/* vm_free_some frees in steps of whole leaf tables, and resumes where it stopped */
static void test_free_in_steps(void **state)
{
	paddr_t root = vm_new_root();
	uint64_t before;

	/* four leaf tables: two 2 MiB regions in the first GiB, one in another GiB, one at the top */
	assert_int_equal(vm_map_anon(root, USER_VA_MIN, PAGE_SIZE, RW), 0);
	assert_int_equal(vm_map_anon(root, 0x200000, 2 * PAGE_SIZE, RW), 0);
	assert_int_equal(vm_map_anon(root, 0x80000000ul, PAGE_SIZE, RW), 0);
	assert_int_equal(vm_map_lazy(root, USER_VA_MAX - PAGE_SIZE, PAGE_SIZE, RW), 0);
	before = pmm_free_pages();
	assert_false(vm_free_some(root, 1));
	assert_int_equal(pmm_free_pages(), before + 2);          /* a leaf table and its page */
	assert_false(vm_free_some(root, 1));
	/* the next: its two pages and itself, then the first GiB's middle table */
	assert_int_equal(pmm_free_pages(), before + 2 + 4);
	assert_false(vm_free_some(root, 0));                     /* no budget: nothing */
	assert_int_equal(pmm_free_pages(), before + 6);
	assert_true(vm_free_some(root, 2));                      /* the last two, the tables, the root */
	assert_int_equal(pmm_free_pages(), free0);
}

/* unmap and protect over the whole user range touch only what is mapped, at both ends */
static void test_whole_range(void **state)
{
	paddr_t root = vm_new_root();
	uint64_t len = USER_VA_MAX - USER_VA_MIN, before;

	assert_int_equal(vm_map_anon(root, USER_VA_MIN, PAGE_SIZE, RW), 0);
	assert_int_equal(vm_map_lazy(root, USER_VA_MAX - 2 * PAGE_SIZE, 2 * PAGE_SIZE, RW), 0);
	poke(root, USER_VA_MAX - 1, 7);
	vm_protect(root, USER_VA_MIN, len, PROT_R);
	assert_false(pte_of(root, USER_VA_MIN) & PTE_W);
	assert_false(pte_of(root, USER_VA_MAX - PAGE_SIZE) & PTE_W);
	assert_int_equal(pte_of(root, USER_VA_MAX - 2 * PAGE_SIZE) & PTE_USED, PTE_LAZY);   /* still lazy */
	assert_int_equal(vm_map_lazy(root, USER_VA_MIN, len, RW), -E_BUSY);
	before = pmm_free_pages();
	assert_int_equal(vm_unmap(root, USER_VA_MIN, len), 0);
	assert_int_equal(pmm_free_pages(), before + 2);          /* the two frames (tables stay) */
	assert_int_equal(pte_of(root, USER_VA_MAX - 2 * PAGE_SIZE), 0);
	assert_int_equal(vm_map_lazy(root, USER_VA_MIN, 4 * PAGE_SIZE, RW), 0);
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

/* ---- user copies ---- */

static void test_copy_across_pages(void **state)
{
	paddr_t root = vm_new_root();
	static uint8_t out[2 * PAGE_SIZE + 100], in[sizeof(out)];
	vaddr_t dst = VA + 50;

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(vm_map_anon(root, VA, 3 * PAGE_SIZE, RW), 0);
	assert_int_equal(copy_to_user(root, dst, out, sizeof(out)), 0);
	assert_int_equal(copy_from_user(root, in, dst, sizeof(in)), 0);
	assert_memory_equal(in, out, sizeof(out));
	/* the bytes landed in the right frames */
	assert_int_equal(*(uint8_t *)PA2KVA(frame_of(root, VA + PAGE_SIZE)), out[PAGE_SIZE - 50]);
	assert_int_equal(*((uint8_t *)PA2KVA(frame_of(root, VA)) + 49), 0);
	/* zero-length copies touch nothing and succeed even unmapped */
	assert_int_equal(copy_to_user(root, 0x9000000, out, 0), 0);
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

static void test_copy_fault_unmapped(void **state)
{
	paddr_t root = vm_new_root();
	uint8_t buf[64] = { 1 };

	assert_int_equal(copy_from_user(root, buf, VA, 1), -E_FAULT);
	assert_int_equal(copy_to_user(root, VA, buf, 1), -E_FAULT);
	assert_int_equal(vm_map_anon(root, VA, PAGE_SIZE, RW), 0);
	/* running off the end of the mapping */
	assert_int_equal(copy_from_user(root, buf, VA + PAGE_SIZE - 32, 64), -E_FAULT);
	assert_int_equal(copy_to_user(root, VA + PAGE_SIZE - 32, buf, 64), -E_FAULT);
	/* starting before it */
	assert_int_equal(copy_from_user(root, buf, VA - 8, 16), -E_FAULT);
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

/* a U page mapped where no user access may reach must still be refused */
static void test_copy_fault_outside_user_range(void **state)
{
	paddr_t root = vm_new_root();
	uint64_t *r = PA2KVA(root);
	paddr_t l1, l0;
	uint8_t b = 0;

	/* below USER_VA_MIN: page 0 */
	assert_int_equal(vm_map_anon(root, 0, USER_VA_MIN, RW), 0);
	assert_int_equal(copy_from_user(root, &b, 0, 1), -E_FAULT);
	assert_int_equal(copy_from_user(root, &b, USER_VA_MIN - 1, 1), -E_FAULT);
	assert_int_equal(copy_to_user(root, 0x1000, &b, 1), -E_FAULT);

	/* the kernel half: a U mapping at USER_VA_MAX (root entry 256) */
	assert_int_equal(vm_map_anon(root, USER_VA_MAX, PAGE_SIZE, RW), 0);
	assert_int_not_equal(pte_of(root, USER_VA_MAX) & PTE_U, 0);
	assert_int_equal(copy_from_user(root, &b, USER_VA_MAX, 1), -E_FAULT);
	assert_int_equal(copy_to_user(root, USER_VA_MAX, &b, 1), -E_FAULT);
	assert_int_equal(copy_from_user(root, &b, DMAP_BASE, 1), -E_FAULT);
	assert_int_equal(copy_from_user(root, &b, USER_VA_MAX - 1, 2), -E_FAULT);
	/* vm_free_root leaves the kernel half alone: take it down by hand */
	vm_unmap(root, USER_VA_MAX, PAGE_SIZE);
	l1 = PTE_PA(r[256]);
	l0 = PTE_PA(((uint64_t *)PA2KVA(l1))[0]);
	pmm_unref(l0);
	pmm_unref(l1);
	r[256] = 0;
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

static void test_copy_fault_no_user_bit(void **state)
{
	paddr_t root = vm_new_root(), pa = pmm_alloc();
	uint8_t b = 0;

	assert_int_equal(vm_map(root, VA, pa, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D), 0);
	pmm_unref(pa);
	assert_int_equal(copy_from_user(root, &b, VA, 1), -E_FAULT);
	assert_int_equal(copy_to_user(root, VA, &b, 1), -E_FAULT);
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

static void test_copy_to_read_only(void **state)
{
	paddr_t root = vm_new_root();
	uint8_t b = 0x5a;

	assert_int_equal(vm_map_anon(root, VA, PAGE_SIZE, PROT_R), 0);
	assert_int_equal(copy_to_user(root, VA + 5, &b, 1), -E_FAULT);
	assert_int_equal(peek(root, VA + 5), 0);                /* readable, unchanged */
	assert_int_equal(vm_resolve_cow(root, VA), -E_FAULT);   /* not a COW page */
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

/* ---- demand-zero (vm_map_lazy) ---- */

/* the next n frames handed out hold junk (the free list is last in, first out) */
static void dirty_free_pages(int n)
{
	paddr_t pa[16];
	assert_true(n <= 16);
	for (int i = 0; i < n; i++) {
		pa[i] = pmm_alloc_dirty();
		memset(PA2KVA(pa[i]), 0xa5, PAGE_SIZE);
	}
	while (n--)
		pmm_unref(pa[n]);
}

static bool lazy(paddr_t root, vaddr_t va)
{
	return (pte_of(root, va) & (PTE_V | PTE_LAZY)) == PTE_LAZY;
}

/* entries only; a fault (vm_resolve_lazy) or a kernel copy brings a zeroed frame */
static void test_lazy_map_and_fault(void **state)
{
	paddr_t root = vm_new_root();
	uint64_t before;

	assert_int_equal(vm_map_lazy(root, VA, 64 * PAGE_SIZE, RW), 0);
	assert_int_equal(pmm_free_pages(), free0 - 3);          /* root + L1 + L0, no pages */
	for (int i = 0; i < 64; i++)
		assert_true(lazy(root, VA + i * PAGE_SIZE));
	assert_int_equal(pte_of(root, VA) & 0x3ff, vm_prot_flags(RW) & ~PTE_V);
	/* overlapping: busy, like a present page */
	assert_int_equal(vm_map_lazy(root, VA + 63 * PAGE_SIZE, 2 * PAGE_SIZE, RW), -E_BUSY);
	assert_int_equal(vm_map_anon(root, VA, PAGE_SIZE, RW), -E_BUSY);
	paddr_t pa = pmm_alloc();
	assert_int_equal(vm_map(root, VA, pa, vm_prot_flags(RW)), -E_BUSY);
	pmm_unref(pa);
	before = pmm_free_pages();
	assert_false(vm_user_access_ok(root, VA, PROT_R));     /* not present yet */

	/* a load fault on page 5: one zeroed frame, the prot asked for */
	dirty_free_pages(4);
	assert_int_equal(vm_resolve_lazy(root, VA + 5 * PAGE_SIZE + 8, PROT_R), 0);
	assert_int_equal(pmm_free_pages(), before - 1);
	assert_int_equal(pte_of(root, VA + 5 * PAGE_SIZE) & 0x3ff, vm_prot_flags(RW));
	assert_true(vm_user_access_ok(root, VA + 5 * PAGE_SIZE, PROT_R | PROT_W));
	for (uint64_t i = 0; i < PAGE_SIZE; i += 511)
		assert_int_equal(peek(root, VA + 5 * PAGE_SIZE + i), 0);
	/* present now: a second fault is not ours to resolve */
	assert_int_equal(vm_resolve_lazy(root, VA + 5 * PAGE_SIZE, PROT_R), -E_FAULT);
	/* a byte read by the kernel brings page 6, a byte written page 7 */
	assert_int_equal(peek(root, VA + 6 * PAGE_SIZE + 100), 0);
	poke(root, VA + 7 * PAGE_SIZE + 100, 42);
	assert_int_equal(peek(root, VA + 7 * PAGE_SIZE + 100), 42);
	assert_int_equal(peek(root, VA + 7 * PAGE_SIZE + 101), 0);
	assert_int_equal(pmm_free_pages(), before - 3);
	/* outside user space, or nothing there: not a demand-zero fault */
	assert_int_equal(vm_resolve_lazy(root, 0, PROT_R), -E_FAULT);
	assert_int_equal(vm_resolve_lazy(root, USER_VA_MAX, PROT_R), -E_FAULT);
	assert_int_equal(vm_resolve_lazy(root, VA + 64 * PAGE_SIZE, PROT_R), -E_FAULT);
	assert_int_equal(vm_resolve_lazy(root, 1ul << 30, PROT_R), -E_FAULT);
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

/* the prot of a demand-zero page decides which faults bring it; protect and unmap change it */
static void test_lazy_prot_unmap(void **state)
{
	paddr_t root = vm_new_root();
	uint64_t before;

	assert_int_equal(vm_map_lazy(root, VA, 4 * PAGE_SIZE, PROT_R), 0);
	before = pmm_free_pages();
	assert_int_equal(vm_resolve_lazy(root, VA, PROT_W), -E_FAULT);
	assert_int_equal(vm_resolve_lazy(root, VA, PROT_X), -E_FAULT);
	uint8_t b = 1;
	assert_int_equal(copy_to_user(root, VA, &b, 1), -E_FAULT);
	assert_int_equal(pmm_free_pages(), before);
	assert_true(lazy(root, VA));

	vm_protect(root, VA, 2 * PAGE_SIZE, RW | PROT_X);
	assert_true(lazy(root, VA));
	assert_int_equal(pte_of(root, VA) & 0x3ff, vm_prot_flags(RW | PROT_X) & ~PTE_V);
	assert_int_equal(pte_of(root, VA + 2 * PAGE_SIZE) & 0x3ff, vm_prot_flags(PROT_R) & ~PTE_V);
	assert_int_equal(vm_resolve_lazy(root, VA + 1, PROT_X), 0);
	assert_int_equal(vm_resolve_lazy(root, VA + PAGE_SIZE, PROT_W), 0);
	assert_int_equal(pmm_free_pages(), before - 2);
	assert_int_equal(pte_of(root, VA + PAGE_SIZE) & 0x3ff, vm_prot_flags(RW | PROT_X));

	/* unmap: present pages give their frames back, demand-zero ones just go */
	vm_unmap(root, VA, 4 * PAGE_SIZE);
	assert_int_equal(pmm_free_pages(), before);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pte_of(root, VA + i * PAGE_SIZE), 0);
	assert_int_equal(vm_resolve_lazy(root, VA, PROT_R), -E_FAULT);
	/* the range is free again */
	assert_int_equal(vm_map_lazy(root, VA, 4 * PAGE_SIZE, RW), 0);
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

/* a whole page written by the kernel is taken unzeroed; a part of one is zeroed around it */
static void test_lazy_copy_full_page(void **state)
{
	paddr_t root = vm_new_root(), src = vm_new_root();
	static uint8_t buf[3 * PAGE_SIZE];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(vm_map_lazy(root, VA, 8 * PAGE_SIZE, RW), 0);
	/* junk in the next frames: whatever copy_to_user does not write must still read as 0 */
	dirty_free_pages(8);
	/* pages 0 (part), 1 (whole), 2 (part) */
	assert_int_equal(copy_to_user(root, VA + 100, buf, 2 * PAGE_SIZE), 0);
	assert_int_equal(peek(root, VA + 99), 0);
	assert_int_equal(peek(root, VA), 0);
	assert_int_equal(peek(root, VA + 100), buf[0]);
	assert_int_equal(peek(root, VA + PAGE_SIZE), buf[PAGE_SIZE - 100]);
	assert_int_equal(peek(root, VA + 2 * PAGE_SIZE + 99), buf[2 * PAGE_SIZE - 1]);
	assert_int_equal(peek(root, VA + 2 * PAGE_SIZE + 100), 0);
	assert_int_equal(peek(root, VA + 3 * PAGE_SIZE - 1), 0);

	/* between address spaces, from a source that is not page aligned */
	assert_int_equal(vm_map_anon(src, VA, 4 * PAGE_SIZE, RW), 0);
	assert_int_equal(copy_to_user(src, VA, buf, sizeof(buf)), 0);
	dirty_free_pages(8);
	assert_int_equal(copy_user_to_user(root, VA + 4 * PAGE_SIZE, src, VA + 4, 2 * PAGE_SIZE + 8), 0);
	for (uint64_t i = 0; i < 2 * PAGE_SIZE + 8; i += 97)
		assert_int_equal(peek(root, VA + 4 * PAGE_SIZE + i), buf[i + 4]);
	assert_int_equal(peek(root, VA + 6 * PAGE_SIZE + 7), buf[2 * PAGE_SIZE + 11]);
	assert_int_equal(peek(root, VA + 6 * PAGE_SIZE + 8), 0);
	assert_int_equal(peek(root, VA + 7 * PAGE_SIZE - 1), 0);
	/* a source that fails leaves the destination page untouched (still demand-zero) */
	assert_int_equal(copy_user_to_user(root, VA + 7 * PAGE_SIZE, src, VA + 3 * PAGE_SIZE + 8, PAGE_SIZE),
			 -E_FAULT);
	assert_true(lazy(root, VA + 7 * PAGE_SIZE));
	vm_free_root(src);
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

/* a clone copies demand-zero entries; each side later gets its own zeroed frame */
static void test_lazy_clone(void **state)
{
	paddr_t src = vm_new_root(), dst = vm_new_root(), a, b;
	uint64_t before;

	assert_int_equal(vm_map_lazy(src, VA, 2 * PAGE_SIZE, RW), 0);
	assert_int_equal(vm_map_lazy(src, 1ul << 30, PAGE_SIZE, RW), 0);  /* a table holding only a lazy page */
	poke(src, VA, 'p');
	before = pmm_free_pages();
	assert_int_equal(vm_clone_cow(dst, src), 0);
	assert_int_equal(pmm_free_pages(), before - 4);         /* dst: L1 + L0, and the second GiB's */
	assert_true(lazy(dst, VA + PAGE_SIZE));
	assert_true(lazy(dst, 1ul << 30));
	assert_int_equal(pte_of(dst, VA + PAGE_SIZE), pte_of(src, VA + PAGE_SIZE));
	assert_int_equal(peek(dst, VA), 'p');
	poke(dst, VA + PAGE_SIZE, 'c');
	poke(src, VA + PAGE_SIZE, 's');
	a = frame_of(src, VA + PAGE_SIZE);
	b = frame_of(dst, VA + PAGE_SIZE);
	assert_int_not_equal(a, b);
	assert_int_equal(pmm_refcount(a), 1);
	assert_int_equal(pmm_refcount(b), 1);
	assert_int_equal(peek(src, VA + PAGE_SIZE), 's');
	assert_int_equal(peek(dst, VA + PAGE_SIZE), 'c');
	assert_true(lazy(src, 1ul << 30));
	vm_free_root(dst);
	vm_free_root(src);
	assert_int_equal(pmm_free_pages(), free0);
}

/* out of memory: for a table, vm_map_lazy maps nothing; for a frame, the fault says so */
static void test_lazy_out_of_memory(void **state)
{
	paddr_t root = vm_new_root();
	vaddr_t va = 0x200000 - 2 * PAGE_SIZE;          /* crosses into a second L0 table */
	uint64_t before;

	pmm_fail_nth(3);                                /* root's L1, first L0, then the second L0 */
	assert_int_equal(vm_map_lazy(root, va, 4 * PAGE_SIZE, RW), -E_NOMEM);
	pmm_fail_nth(0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pte_of(root, va + i * PAGE_SIZE), 0);
	assert_int_equal(vm_map_lazy(root, va, 4 * PAGE_SIZE, RW), 0);
	before = pmm_free_pages();
	pmm_fail_nth(1);
	assert_int_equal(vm_resolve_lazy(root, va, PROT_W), -E_NOMEM);
	assert_true(lazy(root, va));
	pmm_fail_nth(1);
	uint8_t b = 1;
	assert_int_equal(copy_to_user(root, va, &b, 1), -E_NOMEM);
	pmm_fail_nth(0);
	assert_int_equal(pmm_free_pages(), before);
	poke(root, va, 1);
	/* busy is found in either table, and in a table a range only starts in */
	assert_int_equal(vm_map_lazy(root, va - 8 * PAGE_SIZE, 16 * PAGE_SIZE, RW), -E_BUSY);
	assert_int_equal(vm_map_anon(root, 0x400000, PAGE_SIZE, RW), 0);
	assert_int_equal(vm_map_lazy(root, 0x200000 + 2 * PAGE_SIZE, 0x200000, RW), -E_BUSY);
	assert_int_equal(pte_of(root, 0x200000 + 2 * PAGE_SIZE), 0);
	assert_int_equal(vm_map_lazy(root, 0x200000 + 2 * PAGE_SIZE, 0x200000 - 2 * PAGE_SIZE, RW), 0);
	assert_true(lazy(root, 0x400000 - PAGE_SIZE));
	vm_free_root(root);
	assert_int_equal(pmm_free_pages(), free0);
}

/* ---- copy on write ---- */

static void test_clone_cow(void **state)
{
	paddr_t src = vm_new_root(), dst, p0, p1, sh;
	uint64_t before;

	assert_int_equal(vm_map_anon(src, VA, 2 * PAGE_SIZE, RW), 0);
	sh = pmm_alloc();
	assert_int_equal(vm_map(src, VA + 2 * PAGE_SIZE, sh, vm_prot_flags(RW) | PTE_SHARED), 0);
	pmm_unref(sh);
	poke(src, VA, 'a');
	poke(src, VA + PAGE_SIZE, 'b');
	poke(src, VA + 2 * PAGE_SIZE, 's');
	p0 = frame_of(src, VA);
	p1 = frame_of(src, VA + PAGE_SIZE);

	dst = vm_new_root();
	assert_int_equal(vm_clone_cow(dst, src), 0);
	for (int i = 0; i < 3; i++) {
		vaddr_t va = VA + i * PAGE_SIZE;
		assert_int_equal(frame_of(dst, va), frame_of(src, va));
		assert_int_equal(pmm_refcount(frame_of(src, va)), 2);
		assert_int_equal(peek(dst, va), peek(src, va));
	}
	/* private pages: read-only COW on both sides; the shared one untouched */
	assert_int_equal(pte_of(src, VA) & (PTE_W | PTE_COW), PTE_COW);
	assert_int_equal(pte_of(dst, VA) & (PTE_W | PTE_COW), PTE_COW);
	assert_int_equal(pte_of(dst, VA + 2 * PAGE_SIZE) & (PTE_W | PTE_COW | PTE_SHARED),
			 PTE_W | PTE_SHARED);

	/* the child writes page 0: it gets a copy, the parent keeps the original */
	before = pmm_free_pages();
	poke(dst, VA, 'A');
	assert_int_equal(pmm_free_pages(), before - 1);
	assert_int_equal(peek(src, VA), 'a');
	assert_int_equal(peek(dst, VA), 'A');
	assert_int_not_equal(frame_of(dst, VA), p0);
	assert_int_equal(frame_of(src, VA), p0);
	assert_int_equal(pmm_refcount(p0), 1);
	assert_int_equal(pte_of(dst, VA) & (PTE_W | PTE_COW), PTE_W);
	/* the parent, now the last sharer of p0, takes it over without a copy */
	poke(src, VA + 1, 'x');
	assert_int_equal(pmm_free_pages(), before - 1);
	assert_int_equal(frame_of(src, VA), p0);
	assert_int_equal(peek(dst, VA + 1), 0);

	/* the parent writes page 1: the child keeps 'b' */
	poke(src, VA + PAGE_SIZE, 'B');
	assert_int_equal(peek(dst, VA + PAGE_SIZE), 'b');
	assert_int_equal(peek(src, VA + PAGE_SIZE), 'B');
	assert_int_equal(frame_of(dst, VA + PAGE_SIZE), p1);
	assert_int_equal(pmm_refcount(p1), 1);

	/* the shared page: writes are seen both ways */
	poke(src, VA + 2 * PAGE_SIZE, 'S');
	assert_int_equal(peek(dst, VA + 2 * PAGE_SIZE), 'S');
	poke(dst, VA + 2 * PAGE_SIZE + 1, 'T');
	assert_int_equal(peek(src, VA + 2 * PAGE_SIZE + 1), 'T');
	assert_int_equal(frame_of(dst, VA + 2 * PAGE_SIZE), sh);
	assert_int_equal(pmm_refcount(sh), 2);

	vm_free_root(src);
	assert_int_equal(pmm_refcount(sh), 1);
	vm_free_root(dst);
	assert_int_equal(pmm_free_pages(), free0);
}

/* cloning costs page tables only, however many pages are mapped */
static void test_clone_cost(void **state)
{
	const int n = 64;
	paddr_t src = vm_new_root(), dst = vm_new_root();
	uint64_t before;

	assert_int_equal(vm_map_anon(src, VA, n * PAGE_SIZE, RW), 0);
	before = pmm_free_pages();
	assert_int_equal(vm_clone_cow(dst, src), 0);
	assert_int_equal(before - pmm_free_pages(), 2);         /* one L1, one L0 */
	for (int i = 0; i < n; i++)
		assert_int_equal(pmm_refcount(frame_of(src, VA + i * PAGE_SIZE)), 2);
	vm_free_root(dst);
	for (int i = 0; i < n; i++)
		assert_int_equal(pmm_refcount(frame_of(src, VA + i * PAGE_SIZE)), 1);
	vm_free_root(src);
	assert_int_equal(pmm_free_pages(), free0);
}

/* a clone that runs out of memory leaves both sides for vm_free_root */
static void test_clone_out_of_memory(void **state)
{
	paddr_t src = vm_new_root(), dst = vm_new_root();

	assert_int_equal(vm_map_anon(src, VA, PAGE_SIZE, RW), 0);
	assert_int_equal(vm_map_anon(src, 1ul << 30, PAGE_SIZE, RW), 0);
	pmm_fail_nth(3);                /* the second GiB's L1 table */
	assert_int_equal(vm_clone_cow(dst, src), -E_NOMEM);
	pmm_fail_nth(0);
	poke(src, VA, 1);               /* still usable */
	vm_free_root(dst);
	vm_free_root(src);
	assert_int_equal(pmm_free_pages(), free0);
}

static void test_protect(void **state)
{
	paddr_t src = vm_new_root(), dst = vm_new_root(), pa;
	uint64_t before;

	/* sole owner: adding W makes it writable outright, taking it away makes it read-only */
	assert_int_equal(vm_map_anon(src, VA, PAGE_SIZE, PROT_R), 0);
	vm_protect(src, VA, PAGE_SIZE, RW);
	assert_int_equal(pte_of(src, VA) & (PTE_W | PTE_COW), PTE_W);
	vm_protect(src, VA, PAGE_SIZE, PROT_R);
	assert_int_equal(pte_of(src, VA) & (PTE_W | PTE_COW), 0);
	assert_int_equal(copy_to_user(src, VA, "z", 1), -E_FAULT);

	/* read-only at clone time, so shared without COW; W added later must copy */
	pa = frame_of(src, VA);
	assert_int_equal(vm_clone_cow(dst, src), 0);
	assert_int_equal(pte_of(dst, VA) & (PTE_W | PTE_COW), 0);
	assert_int_equal(pmm_refcount(pa), 2);
	vm_protect(src, VA, PAGE_SIZE, RW);
	assert_int_equal(pte_of(src, VA) & (PTE_W | PTE_COW), PTE_COW);
	before = pmm_free_pages();
	poke(src, VA, 'p');
	assert_int_equal(pmm_free_pages(), before - 1);
	assert_int_equal(peek(dst, VA), 0);
	assert_int_equal(frame_of(dst, VA), pa);
	assert_int_equal(pmm_refcount(pa), 1);

	/* a shared-on-purpose page gets plain W whatever its count */
	pa = pmm_alloc();
	assert_int_equal(vm_map(src, VA + PAGE_SIZE, pa, vm_prot_flags(PROT_R) | PTE_SHARED), 0);
	assert_int_equal(vm_map(dst, VA + PAGE_SIZE, pa, vm_prot_flags(PROT_R) | PTE_SHARED), 0);
	pmm_unref(pa);
	vm_protect(src, VA + PAGE_SIZE, PAGE_SIZE, RW);
	assert_int_equal(pte_of(src, VA + PAGE_SIZE) & (PTE_W | PTE_COW | PTE_SHARED), PTE_W | PTE_SHARED);
	poke(src, VA + PAGE_SIZE, 'q');
	assert_int_equal(peek(dst, VA + PAGE_SIZE), 'q');

	/* unmapped pages are skipped */
	vm_protect(src, VA + 8 * PAGE_SIZE, 4 * PAGE_SIZE, RW);
	assert_int_equal(pte_of(src, VA + 8 * PAGE_SIZE), 0);

	vm_free_root(src);
	vm_free_root(dst);
	assert_int_equal(pmm_free_pages(), free0);
}

static void test_user_range_ok(void **state)
{
	assert_false(vm_user_range_ok(0, 1));
	assert_false(vm_user_range_ok(0, 0));
	assert_false(vm_user_range_ok(USER_VA_MIN - 1, 1));
	assert_false(vm_user_range_ok(USER_VA_MIN - 1, 2));     /* straddles the bottom */
	assert_true(vm_user_range_ok(USER_VA_MIN, 1));
	assert_true(vm_user_range_ok(USER_VA_MIN, USER_VA_MAX - USER_VA_MIN));
	assert_false(vm_user_range_ok(USER_VA_MIN, USER_VA_MAX - USER_VA_MIN + 1));
	assert_true(vm_user_range_ok(USER_VA_MAX - 1, 1));
	assert_true(vm_user_range_ok(USER_VA_MAX - PAGE_SIZE, PAGE_SIZE));
	assert_false(vm_user_range_ok(USER_VA_MAX - 1, 2));
	assert_false(vm_user_range_ok(USER_VA_MAX, 1));
	assert_false(vm_user_range_ok(DMAP_BASE, PAGE_SIZE));
	/* wrap-around: va + len overflows to a small number */
	assert_false(vm_user_range_ok(USER_VA_MIN, UINT64_MAX));
	assert_false(vm_user_range_ok(USER_VA_MAX - PAGE_SIZE, UINT64_MAX - USER_VA_MAX + 2 * PAGE_SIZE));
	assert_false(vm_user_range_ok(0x100000, (uint64_t)-0x100000 + 0x20000));
	assert_false(vm_user_range_ok(UINT64_MAX - PAGE_SIZE + 1, 2 * PAGE_SIZE));
	assert_false(vm_user_range_ok(UINT64_MAX, 1));
}

/* what a COW resolution tells its caller: a copy (other harts must be shot down) or a take-over */
static void test_resolve_cow_result(void **state)
{
	uint64_t free0 = pmm_free_pages();
	paddr_t src = vm_new_root(), dst = vm_new_root(), p0;

	assert_int_equal(vm_map_anon(src, VA, PAGE_SIZE, RW), 0);
	poke(src, VA, 'a');
	p0 = frame_of(src, VA);
	assert_int_equal(vm_clone_cow(dst, src), 0);
	assert_int_equal(vm_resolve_cow(dst, VA), 1);            /* shared: copied, a new frame */
	assert_int_not_equal(frame_of(dst, VA), p0);
	assert_int_equal(vm_resolve_cow(src, VA), 0);            /* the last sharer: in place */
	assert_int_equal(frame_of(src, VA), p0);
	assert_int_equal(pte_of(src, VA) & (PTE_W | PTE_COW), PTE_W);
	assert_int_equal(vm_resolve_cow(src, VA), -E_FAULT);     /* writable now: not COW */
	assert_int_equal(peek(dst, VA), 'a');
	vm_free_root(src);
	vm_free_root(dst);
	assert_int_equal(pmm_free_pages(), free0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_map_walk_unmap),
		T(test_map_device_takes_no_ref),
		T(test_map_anon),
		T(test_map_anon_all_or_nothing),
		T(test_free_root_returns_everything),
		T(test_free_in_steps),
		T(test_whole_range),
		T(test_copy_across_pages),
		T(test_copy_fault_unmapped),
		T(test_copy_fault_outside_user_range),
		T(test_copy_fault_no_user_bit),
		T(test_copy_to_read_only),
		T(test_clone_cow),
		T(test_resolve_cow_result),
		T(test_clone_cost),
		T(test_clone_out_of_memory),
		T(test_protect),
		T(test_user_range_ok),
		T(test_lazy_map_and_fault),
		T(test_lazy_prot_unmap),
		T(test_lazy_copy_full_page),
		T(test_lazy_clone),
		T(test_lazy_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
