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

void fs_mem_fail_after(long n)
{
	fail_after = n;
}
