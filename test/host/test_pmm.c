/*
 * test_pmm.c - host tests of the physical page allocator (kernel/pmm.c) and the
 * kernel object allocator on top of it (kernel/kalloc.c), over a buffer standing
 * for RAM.  Every test checks that the free-page count ends where it started.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fake_kernel.h"
#include "kalloc.h"

#define NPAGES 256

static int setup(void **state) { return fake_mem_setup(NPAGES, true); }
/* a window with nothing free yet, for the pmm_add_free tests */
static int setup_empty(void **state) { return fake_mem_setup(NPAGES, false); }
static int teardown(void **state) { fake_mem_teardown(); return 0; }

static bool page_is_zero(paddr_t pa)
{
	const uint8_t *p = PA2KVA(pa);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- pmm ---- */

static void test_pmm_counts(void **state)
{
	assert_int_equal(pmm_total_pages(), NPAGES);
	assert_int_equal(pmm_free_pages(), NPAGES);
	assert_true(pmm_is_ram(fake_base));
	assert_true(pmm_is_ram(fake_end - 1));
	assert_false(pmm_is_ram(fake_end));
	assert_false(pmm_is_ram(fake_base - 1));
	assert_int_equal(pmm_refcount(fake_end), 0);
}

static void test_pmm_alloc_zeroed_distinct_in_range(void **state)
{
	paddr_t a = pmm_alloc(), b = pmm_alloc(), c;

	assert_int_not_equal(a, 0);
	assert_int_not_equal(b, 0);
	assert_int_not_equal(a, b);
	assert_true(a >= fake_base && a < fake_end && (a & PAGE_MASK) == 0);
	assert_true(b >= fake_base && b < fake_end && (b & PAGE_MASK) == 0);
	assert_true(page_is_zero(a));
	assert_int_equal(pmm_free_pages(), NPAGES - 2);

	/* a page dirtied and freed comes back zeroed */
	memset(PA2KVA(a), 0xa5, PAGE_SIZE);
	pmm_unref(a);
	c = pmm_alloc();
	assert_int_equal(c, a);         /* LIFO: the page just freed */
	assert_true(page_is_zero(c));
	pmm_unref(b);
	pmm_unref(c);
	assert_int_equal(pmm_free_pages(), NPAGES);
}

static void test_pmm_refcounts(void **state)
{
	paddr_t a = pmm_alloc();

	assert_int_equal(pmm_refcount(a), 1);
	pmm_ref(a);
	pmm_ref(a);
	assert_int_equal(pmm_refcount(a), 3);
	pmm_unref(a);
	pmm_unref(a);
	assert_int_equal(pmm_refcount(a), 1);
	assert_int_equal(pmm_free_pages(), NPAGES - 1);
	pmm_unref(a);                   /* to zero: freed */
	assert_int_equal(pmm_refcount(a), 0);
	assert_int_equal(pmm_free_pages(), NPAGES);
}

static void test_pmm_exhaustion(void **state)
{
	static paddr_t got[NPAGES];
	size_t n = 0;
	paddr_t pa;

	while ((pa = pmm_alloc()) != 0) {
		assert_true(n < NPAGES);
		for (size_t i = 0; i < n; i++)
			assert_int_not_equal(got[i], pa);
		got[n++] = pa;
	}
	assert_int_equal(n, NPAGES);
	assert_int_equal(pmm_free_pages(), 0);
	assert_int_equal(pmm_alloc(), 0);       /* stays exhausted */
	for (size_t i = 0; i < n; i++)
		pmm_unref(got[i]);
	assert_int_equal(pmm_free_pages(), NPAGES);
	assert_int_equal(pmm_total_pages(), NPAGES);
}

static void test_pmm_fail_nth(void **state)
{
	paddr_t a, b, c;

	pmm_fail_nth(3);
	a = pmm_alloc();
	b = pmm_alloc();
	c = pmm_alloc();                /* the third one fails */
	assert_int_not_equal(a, 0);
	assert_int_not_equal(b, 0);
	assert_int_equal(c, 0);
	assert_int_equal(pmm_free_pages(), NPAGES - 2);
	c = pmm_alloc();                /* one shot: the next succeeds */
	assert_int_not_equal(c, 0);
	pmm_fail_nth(1);
	assert_int_equal(pmm_alloc(), 0);
	pmm_unref(a);
	pmm_unref(b);
	pmm_unref(c);
	assert_int_equal(pmm_free_pages(), NPAGES);
}

static void test_pmm_add_free_aligns_inward(void **state)
{
	/* [page 1 + 100 bytes, page 6 + 7 bytes) holds whole pages 2..5 */
	pmm_add_free(fake_page(1) + 100, fake_page(6) + 7);
	assert_int_equal(pmm_free_pages(), 4);
	assert_int_equal(pmm_total_pages(), 4);
	for (int i = 0; i < 4; i++) {
		paddr_t pa = pmm_alloc();
		assert_int_equal(pa, fake_page(2 + i));     /* low addresses first */
	}
	assert_int_equal(pmm_alloc(), 0);

	/* less than a page after aligning: nothing */
	pmm_add_free(fake_page(10) + 1, fake_page(11) + 4095);
	assert_int_equal(pmm_free_pages(), 0);
}

static void test_pmm_add_free_clips_to_window(void **state)
{
	/* a range sticking out on both sides gives only the window's pages */
	pmm_add_free(fake_base - 8 * PAGE_SIZE, fake_page(2));
	assert_int_equal(pmm_free_pages(), 2);
	pmm_add_free(fake_page(NPAGES - 3), fake_end + 16 * PAGE_SIZE);
	assert_int_equal(pmm_free_pages(), 5);
	assert_int_equal(pmm_total_pages(), 5);
	for (int i = 0; i < 5; i++) {
		paddr_t pa = pmm_alloc();
		assert_true(pmm_is_ram(pa));
		assert_true(pa < fake_page(2) || pa >= fake_page(NPAGES - 3));
	}
	assert_int_equal(pmm_alloc(), 0);
	/* entirely outside: nothing */
	pmm_add_free(fake_end, fake_end + 4 * PAGE_SIZE);
	assert_int_equal(pmm_free_pages(), 0);
}

/* ---- kalloc ---- */

static const size_t class_sizes[] = { 32, 64, 128, 256, 512, 1024, 2048 };

static void test_kalloc_every_class(void **state)
{
	uint64_t free0 = pmm_free_pages();
	const size_t sizes[] = { 1, 31, 32, 33, 64, 100, 128, 200, 256, 500, 512, 1000,
				 1024, 1025, 2048, 2049, 3000, PAGE_SIZE };
	void *p[ARRAY_SIZE(sizes)];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kzalloc(sizes[i]);
		assert_non_null(p[i]);
		assert_true(pmm_is_ram(KVA2PA(p[i])));
		/* page objects are page-aligned, slab objects never are (kfree tells them apart) */
		if (sizes[i] > 2048)
			assert_int_equal((uintptr_t)p[i] & PAGE_MASK, 0);
		else
			assert_int_not_equal((uintptr_t)p[i] & PAGE_MASK, 0);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		for (size_t j = 0; j < sizes[i]; j++)
			assert_int_equal(((uint8_t *)p[i])[j], 0);
		memset(p[i], (int)i + 1, sizes[i]);
	}
	assert_int_equal(kalloc_live(), ARRAY_SIZE(sizes));
	/* no two objects overlap: every pattern is intact */
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		for (size_t j = 0; j < sizes[i]; j++)
			assert_int_equal(((uint8_t *)p[i])[j], i + 1);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(p[i]);
	assert_int_equal(kalloc_live(), 0);
	assert_int_equal(pmm_free_pages(), free0);
}

static void test_kalloc_reuse(void **state)
{
	uint64_t free0 = pmm_free_pages();
	void *a = kzalloc(100), *b = kzalloc(100), *c;

	assert_ptr_not_equal(a, b);
	assert_int_equal(pmm_free_pages(), free0 - 1);      /* one slab page */
	memset(a, 0xff, 100);
	kfree(a);
	c = kzalloc(120);                                   /* same class (128) */
	assert_ptr_equal(c, a);
	for (int i = 0; i < 120; i++)
		assert_int_equal(((uint8_t *)c)[i], 0);     /* zeroed again */
	assert_int_equal(pmm_free_pages(), free0 - 1);
	kfree(b);
	kfree(c);
	assert_int_equal(pmm_free_pages(), free0);
}

/* fill whole slabs of every class, then free in a scattered order */
static void test_kalloc_slab_returned(void **state)
{
	uint64_t free0 = pmm_free_pages();

	for (size_t c = 0; c < ARRAY_SIZE(class_sizes); c++) {
		size_t size = class_sizes[c];
		size_t per_slab = 0, n;
		void *first, *objs[300];

		/* count the objects in one slab: allocate until a second page is taken */
		first = kzalloc(size);
		objs[0] = first;
		n = 1;
		assert_int_equal(pmm_free_pages(), free0 - 1);
		while (pmm_free_pages() == free0 - 1) {
			assert_true(n < ARRAY_SIZE(objs));
			objs[n++] = kzalloc(size);
		}
		per_slab = n - 1;
		assert_true(per_slab >= 1);
		assert_true(per_slab * size <= PAGE_SIZE);
		/* every object of the first slab is in its page */
		for (size_t i = 0; i < per_slab; i++)
			assert_int_equal(ROUND_DOWN((uintptr_t)objs[i], PAGE_SIZE),
					 ROUND_DOWN((uintptr_t)first, PAGE_SIZE));
		assert_int_equal(kalloc_live(), n);

		/* free odd ones first, then even: pages go back only when empty */
		for (size_t i = 1; i < n; i += 2)
			kfree(objs[i]);
		for (size_t i = 0; i < n; i += 2)
			kfree(objs[i]);
		assert_int_equal(kalloc_live(), 0);
		assert_int_equal(pmm_free_pages(), free0);
	}
}

static void test_kalloc_page_objects(void **state)
{
	uint64_t free0 = pmm_free_pages();
	void *a = kzalloc(PAGE_SIZE), *b = kzalloc(2049);

	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(pmm_free_pages(), free0 - 2);
	assert_int_equal(pmm_refcount(KVA2PA(a)), 1);
	memset(a, 1, PAGE_SIZE);
	kfree(a);
	assert_int_equal(pmm_free_pages(), free0 - 1);
	assert_int_equal(pmm_refcount(KVA2PA(a)), 0);
	kfree(b);
	assert_int_equal(pmm_free_pages(), free0);
}

static void test_kalloc_bad_sizes(void **state)
{
	uint64_t free0 = pmm_free_pages();

	assert_null(kzalloc(0));
	assert_null(kzalloc(PAGE_SIZE + 1));
	assert_null(kzalloc((size_t)-1));
	assert_int_equal(kalloc_live(), 0);
	assert_int_equal(pmm_free_pages(), free0);
	kfree(NULL);                    /* ignored */
	assert_int_equal(kalloc_live(), 0);
}

static void test_kalloc_out_of_memory(void **state)
{
	uint64_t free0 = pmm_free_pages();
	void *a;

	pmm_fail_nth(1);
	assert_null(kzalloc(64));       /* needs a slab page */
	pmm_fail_nth(1);
	assert_null(kzalloc(PAGE_SIZE));
	assert_int_equal(kalloc_live(), 0);
	assert_int_equal(pmm_free_pages(), free0);
	/* a partly used slab needs no page */
	a = kzalloc(64);
	pmm_fail_nth(1);
	void *b = kzalloc(64);
	assert_non_null(b);
	pmm_fail_nth(0);
	kfree(a);
	kfree(b);
	assert_int_equal(pmm_free_pages(), free0);
}

static void test_kalloc_live(void **state)
{
	void *p[10];

	for (int i = 0; i < 10; i++) {
		p[i] = kzalloc(i < 5 ? 40 : PAGE_SIZE);
		assert_int_equal(kalloc_live(), i + 1);
	}
	for (int i = 9; i >= 0; i--) {
		kfree(p[i]);
		assert_int_equal(kalloc_live(), i);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define E(f) cmocka_unit_test_setup_teardown(f, setup_empty, teardown)
	const struct CMUnitTest tests[] = {
		T(test_pmm_counts),
		T(test_pmm_alloc_zeroed_distinct_in_range),
		T(test_pmm_refcounts),
		T(test_pmm_exhaustion),
		T(test_pmm_fail_nth),
		E(test_pmm_add_free_aligns_inward),
		E(test_pmm_add_free_clips_to_window),
		T(test_kalloc_every_class),
		T(test_kalloc_reuse),
		T(test_kalloc_slab_returned),
		T(test_kalloc_page_objects),
		T(test_kalloc_bad_sizes),
		T(test_kalloc_out_of_memory),
		T(test_kalloc_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
