/*
 * proc_world.h - what the proc server's host tests (test_proc.c,
 * test_spawn.c) share around the system they build on fake_kcalls.
 */
#ifndef PROC_WORLD_H
#define PROC_WORLD_H
#include <string.h>
#include "procsrv.h"
#include "fake_kcalls.h"

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

/*
 * A teardown: the world ended (world_end), and nothing of it left: no
 * process, reservation, page, descriptor table or bad call, only the proc,
 * console and fs endpoints and their handles.  Needs cmocka.h.
 */
static inline void world_end_empty(struct system *sys)
{
	kcalls_fail_nth(0);
	world_end(sys);         /* nothing the kernel holds may be left */
	assert_int_equal(sys->nproc, 0);
	assert_int_equal(sys->v_swap, 0);                /* every reservation given back */
	assert_int_equal(fake_live_objects(), 3);       /* the proc, console and fs endpoints */
	assert_int_equal(fake_live_handles(), 3);
	assert_int_equal(fake_fs_tables(), 0);          /* every descriptor table closed */
	assert_int_equal(fake_pages(), 0);
	assert_int_equal(fake_bad_calls(), 0);
	assert_int_equal(fake_uncleared_cspaces(), 0);
}

/*
 * What a failure must leave exactly as it was, as p sees it: the fakes'
 * objects, handles, pages and replies, the process table, p's task, project
 * and zone counts, the memory reservations and p's lwps.  The zone's
 * fork-failure counters are taken too, for the caller to compare (a failed
 * fork moves them).  Needs cmocka.h and a `sys` in the including test.
 */
struct snap {
	int objs, handles, uncleared, nreplies, fs_tables, bad_calls;
	long pages;
	int nproc, up;
	int tk_nprocs, tk_nlwps, pj_nprocs, pj_nlwps, pj_ntasks, z_nprocs, z_nlwps;
	uint64_t v_swap, tk_vsize, z_vsize;
	int nlwp, lwp_state[MAX_LWPS];
	handle_t lwp_th[MAX_LWPS];
	uint32_t ffcap, ffnomem, ffmisc, ffnoproc;
};

static inline void snap(struct proc *p, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	s->objs = fake_live_objects();
	s->handles = fake_live_handles();
	s->uncleared = fake_uncleared_cspaces();
	s->nreplies = fake_nreplies();
	s->fs_tables = fake_fs_tables();
	s->bad_calls = fake_bad_calls();
	s->pages = fake_pages();
	s->nproc = sys->nproc;
	s->up = upcount_get(sys, p->p_ruid);
	s->tk_nprocs = p->p_task->tk_nprocs;
	s->tk_nlwps = p->p_task->tk_nlwps;
	s->pj_nprocs = p->p_task->tk_proj->kpj_nprocs;
	s->pj_nlwps = p->p_task->tk_proj->kpj_nlwps;
	s->pj_ntasks = p->p_task->tk_proj->kpj_ntasks;
	s->z_nprocs = p->p_zone->z_nprocs;
	s->z_nlwps = p->p_zone->z_nlwps;
	s->v_swap = sys->v_swap;
	s->tk_vsize = p->p_task->tk_vsize;
	s->z_vsize = p->p_zone->z_vsize;
	s->nlwp = p->p_nlwp;
	for (int i = 0; i < MAX_LWPS; i++) {
		s->lwp_th[i] = p->p_lwp[i].l_th;
		s->lwp_state[i] = p->p_lwp[i].l_th >= 0 ? fake_thread_state(p->p_lwp[i].l_th) : 0;
	}
	s->ffcap = p->p_zone->z_ffcap;
	s->ffnomem = p->p_zone->z_ffnomem;
	s->ffmisc = p->p_zone->z_ffmisc;
	s->ffnoproc = p->p_zone->z_ffnoproc;
}

static inline void assert_snap_equal(const struct snap *a, const struct snap *b)
{
	assert_int_equal(a->objs, b->objs);
	assert_int_equal(a->handles, b->handles);
	assert_int_equal(a->uncleared, b->uncleared);
	assert_int_equal(a->nreplies, b->nreplies);
	assert_int_equal(a->fs_tables, b->fs_tables);
	assert_int_equal(a->bad_calls, b->bad_calls);
	assert_int_equal(a->pages, b->pages);
	assert_int_equal(a->nproc, b->nproc);
	assert_int_equal(a->up, b->up);
	assert_int_equal(a->tk_nprocs, b->tk_nprocs);
	assert_int_equal(a->tk_nlwps, b->tk_nlwps);
	assert_int_equal(a->pj_nprocs, b->pj_nprocs);
	assert_int_equal(a->pj_nlwps, b->pj_nlwps);
	assert_int_equal(a->pj_ntasks, b->pj_ntasks);
	assert_int_equal(a->z_nprocs, b->z_nprocs);
	assert_int_equal(a->z_nlwps, b->z_nlwps);
	assert_int_equal(a->v_swap, b->v_swap);
	assert_int_equal(a->tk_vsize, b->tk_vsize);
	assert_int_equal(a->z_vsize, b->z_vsize);
	assert_int_equal(a->nlwp, b->nlwp);
	for (int i = 0; i < MAX_LWPS; i++) {
		assert_int_equal(a->lwp_th[i], b->lwp_th[i]);
		assert_int_equal(a->lwp_state[i], b->lwp_state[i]);
	}
}
#endif
