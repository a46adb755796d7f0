/*
 * sbrk for picolibc's malloc: the static area user.ld leaves in .bss first
 * (__heap_start..__heap_end: all a system server gets), then, for a process
 * of the proc server, more from PROC_SBRK (proc_sbrk in proc.c).  The pieces
 * need not be contiguous: malloc takes each as a new chunk.
 *
 * picolibc has an sbrk of its own (over the static area only); libc.a is
 * built without it (scripts/mklibc.sh), so this is the only one there is.
 */
#include <errno.h>
#include <stddef.h>
#include <unistd.h>
#include "proc.h"

extern char __heap_start[], __heap_end[];

void *sbrk(ptrdiff_t incr)
{
	static char *brk = __heap_start;
	char *old = brk;
	if (incr >= 0 && (uint64_t)incr <= (uint64_t)(__heap_end - brk)) {
		brk += incr;
		return old;
	}
	if (incr > 0 && startinfo && startinfo->h_proc >= 0) {
		void *p = proc_sbrk((uint64_t)incr);
		if (p != (void *)-1)
			return p;
	}
	errno = ENOMEM;
	return (void *)-1;
}
