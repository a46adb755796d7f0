/*
 * test_klib.c - host tests of the kernel's memset and memcpy (kernel/lib.c),
 * built renamed (kmemset, kmemcpy: host-tests.sh passes -D) so the host's
 * own stay in use.  Every destination alignment, source alignment and length
 * up to three words past 200 bytes is checked against a byte loop, and so
 * are the bytes around the destination (nothing written outside it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kernel.h"

#define SPAN 256
#define PAD  64
static uint8_t src[SPAN + 2 * PAD], dst[SPAN + 2 * PAD], want[SPAN + 2 * PAD];

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed * 7 + 1);
}

static void test_memcpy_all_alignments(void **state)
{
	fill(src, sizeof(src), 1);
	for (unsigned da = 0; da < 8; da++)
		for (unsigned sa = 0; sa < 8; sa++)
			for (size_t n = 0; n <= 200 + 24; n++) {
				fill(dst, sizeof(dst), 2);
				fill(want, sizeof(want), 2);
				for (size_t i = 0; i < n; i++)
					want[PAD + da + i] = src[PAD + sa + i];
				assert_ptr_equal(kmemcpy(dst + PAD + da, src + PAD + sa, n), dst + PAD + da);
				if (memcmp(dst, want, sizeof(dst)) != 0)
					fail_msg("memcpy dst+%u src+%u len %zu differs", da, sa, n);
			}
}

static void test_memset_all_alignments(void **state)
{
	for (unsigned da = 0; da < 8; da++)
		for (size_t n = 0; n <= 200 + 24; n++) {
			fill(dst, sizeof(dst), 3);
			fill(want, sizeof(want), 3);
			for (size_t i = 0; i < n; i++)
				want[PAD + da + i] = 0xa5;
			assert_ptr_equal(kmemset(dst + PAD + da, 0xa5, n), dst + PAD + da);
			if (memcmp(dst, want, sizeof(dst)) != 0)
				fail_msg("memset dst+%u len %zu differs", da, n);
		}
}

/* a whole page, the case page zeroing and copy-on-write use */
static void test_page(void **state)
{
	static uint64_t a[PAGE_SIZE / 8 + 1], b[PAGE_SIZE / 8 + 1];
	fill((uint8_t *)a, sizeof(a), 4);
	assert_ptr_equal(kmemcpy(b, a, PAGE_SIZE), b);
	assert_memory_equal(a, b, PAGE_SIZE);
	kmemset(b, 0, PAGE_SIZE);
	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		assert_int_equal(b[i], 0);
	assert_int_equal(b[PAGE_SIZE / 8], 0);      /* static: was 0, still is */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_all_alignments),
		cmocka_unit_test(test_memset_all_alignments),
		cmocka_unit_test(test_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
