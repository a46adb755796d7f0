/*
 * Counted allocation: every byte the file server holds comes from here, so
 * the host tests can check that a process's exit gives back all it took, and
 * can make the n-th allocation fail to walk the unwind paths.  On the target
 * it is picolibc's malloc over the static heap (build.mk: fs_HEAP).
 */
#include <stdlib.h>
#include <string.h>
#include "fs.h"

#define HDR 16                          /* keeps the block 16-byte aligned */

static size_t used;
static uintptr_t lo = UINTPTR_MAX, hi;  /* the lowest and highest byte ever handed out */
static long fail_after = -1;

void *fs_zalloc(size_t n)
{
	char *p;

	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	if (n > SIZE_MAX - HDR || !(p = malloc(n + HDR)))
		return NULL;
	memset(p, 0, n + HDR);
	*(size_t *)p = n;
	used += n;
	if ((uintptr_t)p < lo)
		lo = (uintptr_t)p;
	if ((uintptr_t)p + n + HDR > hi)
		hi = (uintptr_t)p + n + HDR;
	return p + HDR;
}

void fs_free(void *q)
{
	char *p = q;

	if (!p)
		return;
	p -= HDR;
	used -= *(size_t *)p;
	free(p);
}

size_t fs_mem_used(void)
{
	return used;
}

/*
 * Every block is zeroed when handed out, so every page between the lowest and
 * the highest byte ever given has been touched (malloc keeps no gaps of a
 * page): on the target they are the static heap's pages that stay mapped.
 */
size_t fs_mem_pages(void)
{
	if (!hi)
		return 0;
	return ((hi + 4095) / 4096) - lo / 4096;
}

void fs_mem_fail_after(long n)
{
	fail_after = n;
}
