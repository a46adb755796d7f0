/*
 * picolibc's <setjmp.h>, with POSIX's sigsetjmp and siglongjmp (picolibc
 * has them only for Cygwin and RTEMS): sigsetjmp keeps the calling thread's
 * mask when savemask is non-zero, and siglongjmp puts it back before it
 * jumps (lib/libc/signal.c).  sigsetjmp is a macro, as setjmp must be.
 */
#ifndef LIBC_SETJMP_H
#define LIBC_SETJMP_H
#include_next <setjmp.h>
#if __POSIX_VISIBLE
#include <signal.h>

typedef struct {
	jmp_buf __jb;
	int __saved;
	sigset_t __mask;
} sigjmp_buf[1];

#define sigsetjmp(env, savemask) \
	((env)->__saved = (savemask), \
	 (env)->__saved ? (void)sigprocmask(SIG_BLOCK, (sigset_t *)0, &(env)->__mask) : (void)0, \
	 setjmp((env)->__jb))
void siglongjmp(sigjmp_buf env, int val) __attribute__((__noreturn__));
#endif
#endif
