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

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_map_walk_unmap),
		T(test_map_device_takes_no_ref),
		T(test_map_anon),
		T(test_map_anon_all_or_nothing),
		T(test_free_root_returns_everything),
		T(test_copy_across_pages),
		T(test_copy_fault_unmapped),
		T(test_copy_fault_outside_user_range),
		T(test_copy_fault_no_user_bit),
		T(test_copy_to_read_only),
		T(test_clone_cow),
		T(test_clone_cost),
		T(test_clone_out_of_memory),
		T(test_protect),
		T(test_user_range_ok),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
