/* The in-guest benchmarks' common part: instructions retired, medians. */
#ifndef BENCH_H
#define BENCH_H
#include <stdint.h>
#include <stdlib.h>

static inline uint64_t instret(void)
{
	uint64_t v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static inline int bench_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* the median of n samples (sorts them) */
static inline uint64_t bench_median(uint64_t *samples, int n)
{
	qsort(samples, (size_t)n, sizeof(samples[0]), bench_cmp);
	return samples[n / 2];
}
#endif
