/*
 * proc_world.h - what the proc server's host tests (test_proc.c,
 * test_spawn.c) share around the system they build on fake_kcalls.
 */
#ifndef PROC_WORLD_H
#define PROC_WORLD_H
#include "procsrv.h"

/* a teardown's first step: every process exits and is reaped, every idle slot is undone */
static inline void world_end(struct system *sys)
{
	for_each_proc(sys, p)
		if (p->p_stat == P_RUN)
			proc_exit(sys, p, 0);
	for_each_proc(sys, p) {
		if (p->p_stat == P_ZOMB)
			proc_reap(sys, p);
		else if (p->p_stat == P_IDLE)
			getproc_undo(sys, p);
	}
}
#endif
