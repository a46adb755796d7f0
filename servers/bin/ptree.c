/*
 * ptree [pid]: the process tree, as illumos's ptree draws it: one process
 * per line, "pid  name", indented two spaces per level.  With a pid, only
 * that process's ancestors and descendants.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proc.h"

#define MAXPROC 256

static struct proc_info procs[MAXPROC];
static int nprocs;

static int by_pid(const void *a, const void *b)
{
	const struct proc_info *p = a, *q = b;
	return (p->pid > q->pid) - (p->pid < q->pid);
}

static const struct proc_info *find(int pid)
{
	for (int i = 0; i < nprocs; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

static void line(const struct proc_info *p, int depth)
{
	printf("%*s%-5d %.*s\n", 2 * depth, "", (int)p->pid, (int)sizeof(p->name), p->name);
}

/* p and its descendants, children in pid order (procs is sorted) */
static void subtree(const struct proc_info *p, int depth)
{
	line(p, depth);
	if (depth > MAXPROC)
		return;              /* a cycle cannot happen, but never loop */
	for (int i = 0; i < nprocs; i++)
		if (procs[i].ppid == p->pid && procs[i].pid != p->pid)
			subtree(&procs[i], depth + 1);
}

/* the ancestors of p from the top down; returns p's depth */
static int ancestors(const struct proc_info *p)
{
	const struct proc_info *chain[MAXPROC];
	int n = 0;

	for (const struct proc_info *a = find(p->ppid); a && n < MAXPROC; a = find(a->ppid)) {
		chain[n++] = a;
		if (a->ppid == a->pid)
			break;
	}
	for (int d = 0; d < n; d++)
		line(chain[n - 1 - d], d);
	return n;
}

int main(int argc, char **argv)
{
	if (argc > 2) {
		fprintf(stderr, "usage: ptree [pid]\n");
		return 2;
	}
	if ((nprocs = proc_list(procs, MAXPROC)) < 0) {
		fprintf(stderr, "ptree: %s\n", strerror(errno));
		return 1;
	}
	qsort(procs, (size_t)nprocs, sizeof(procs[0]), by_pid);
	if (argc == 2) {
		char *end;
		long pid = strtol(argv[1], &end, 10);
		const struct proc_info *p;
		if (!argv[1][0] || *end || pid <= 0) {
			fprintf(stderr, "ptree: %s: not a pid\n", argv[1]);
			return 2;
		}
		if (!(p = find((int)pid))) {
			fprintf(stderr, "ptree: no such process: %ld\n", pid);
			return 1;
		}
		subtree(p, ancestors(p));
		return 0;
	}
	/* roots: processes whose parent is not in the table */
	for (int i = 0; i < nprocs; i++)
		if (procs[i].ppid == procs[i].pid || !find(procs[i].ppid))
			subtree(&procs[i], 0);
	return 0;
}
