/*
 * psiginfo: psignal of the signal a siginfo_t is about.  A file of its own:
 * psignal brings picolibc's stdio, which a program that never prints a
 * signal should not carry (it is linked from signal.c's archive member
 * otherwise, by every program).
 */
#include <signal.h>

void psiginfo(const siginfo_t *info, const char *s)
{
	psignal(info->si_signo, s);
}
