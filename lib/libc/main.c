/*
 * The umain of ordinary programs: main(argc, argv, envp).  A process of the
 * proc server finds its arguments on its stack (startinfo argv/envp, put
 * there by exec); a program the root task started has only startinfo's
 * NUL-separated words.
 */
#include <stdlib.h>
#include <string.h>
#include "sys.h"
#include "libc.h"

int umain(void *arg)
{
	static char *words[33], *noenv[1];
	struct startinfo *si = startinfo;
	int n = 0;

	(void)arg;
	if (si && si->argv) {
		environ = si->envp;
		return main((int)si->argc, si->argv, si->envp);
	}
	for (char *a = si ? si->args : NULL; a && *a && n < 32; a += strlen(a) + 1)
		words[n++] = a;
	environ = noenv;
	return main(n, words, noenv);
}
