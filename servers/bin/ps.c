/*
 * ps: every process, one line each, sorted by pid:
 *   "  PID  PPID  PGID   SID   UID LWP S CMD"
 * S is R running, I idle (not yet running), Z zombie, T stopped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proc.h"

#define MAXPROC 256            /* the most PROC_LIST reports */

static struct proc_info procs[MAXPROC];

static int by_pid(const void *a, const void *b)
{
	const struct proc_info *p = a, *q = b;
	return (p->pid > q->pid) - (p->pid < q->pid);
}

static char state_letter(int s)
{
	switch (s) {
	case PS_RUN:  return 'R';
	case PS_IDLE: return 'I';
	case PS_ZOMB: return 'Z';
	case PS_STOP: return 'T';
	}
	return '?';
}

int main(int argc, char **argv)
{
	int n;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: ps\n");
		return 2;
	}
	if ((n = proc_list(procs, MAXPROC)) < 0) {
		fprintf(stderr, "ps: %s\n", strerror(errno));
		return 1;
	}
	qsort(procs, (size_t)n, sizeof(procs[0]), by_pid);
	printf("  PID  PPID  PGID   SID   UID LWP S CMD\n");
	for (int i = 0; i < n; i++) {
		const struct proc_info *p = &procs[i];
		printf("%5d %5d %5d %5d %5d %3d %c %.*s\n", (int)p->pid, (int)p->ppid, (int)p->pgid,
		       (int)p->sid, (int)p->uid, (int)p->nlwp, state_letter(p->state),
		       (int)sizeof(p->name), p->name);
	}
	return 0;
}
