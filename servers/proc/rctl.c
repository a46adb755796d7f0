/*
 * Resource controls.  Process-level ones live in the process (and are
 * copied to a child by getproc); task, project and zone ones in those
 * objects.  Anyone may lower a limit of its own process or task; raising,
 * touching another's, or any project or zone limit needs uid 0.  Entities are named by id, -1 meaning the caller's own.
 */
#include "procsrv.h"

#define USAGE_UNKNOWN UINT64_MAX           /* kept by another server (descriptors), or not counted */

/* where the value of rctl for entity id lives; *use: what the entity uses of it now */
static uint64_t *rctl_slot(struct system *sys, struct proc *p, int rctl, int64_t id, int64_t *eid, uint64_t *use)
{
	switch (rctl) {
	case RCTL_PROCESS_MAX_FD:
	case RCTL_PROCESS_MAX_STACK:
	case RCTL_PROCESS_MAX_AS:
	case RCTL_PROCESS_MAX_KOBJ: {
		struct proc *t = id < 0 ? p : proc_find(sys, (int)id);
		if (!t || t->p_stat != P_RUN)
			return NULL;
		*eid = t->p_pid;
		*use = rctl == RCTL_PROCESS_MAX_AS ? t->p_vsize : USAGE_UNKNOWN;   /* objects: rctl_get asks */
		return &t->p_rctl[rctl];
	}
	case RCTL_TASK_MAX_PROCS:
	case RCTL_TASK_MAX_LWPS:
	case RCTL_TASK_MAX_AS: {
		struct task *tk = NULL;
		for (int i = 0; i < NTASK && !tk; i++)
			if (sys->tasks[i].tk_id && (id < 0 ? &sys->tasks[i] == p->p_task : sys->tasks[i].tk_id == id))
				tk = &sys->tasks[i];
		if (!tk)
			return NULL;
		*eid = tk->tk_id;
		*use = rctl == RCTL_TASK_MAX_PROCS ? (uint64_t)tk->tk_nprocs :
		       rctl == RCTL_TASK_MAX_LWPS ? (uint64_t)tk->tk_nlwps : tk->tk_vsize;
		return rctl == RCTL_TASK_MAX_PROCS ? &tk->tk_max_procs :
		       rctl == RCTL_TASK_MAX_LWPS ? &tk->tk_max_lwps : &tk->tk_max_as;
	}
	case RCTL_PROJECT_MAX_PROCS:
	case RCTL_PROJECT_MAX_LWPS:
	case RCTL_PROJECT_MAX_TASKS: {
		struct project *pj = NULL;
		for (int i = 0; i < NPROJECT && !pj; i++)
			if (sys->projects[i].kpj_id >= 0 &&
			    (id < 0 ? &sys->projects[i] == p->p_task->tk_proj : sys->projects[i].kpj_id == id))
				pj = &sys->projects[i];
		if (!pj)
			return NULL;
		*eid = pj->kpj_id;
		*use = rctl == RCTL_PROJECT_MAX_PROCS ? (uint64_t)pj->kpj_nprocs :
		       rctl == RCTL_PROJECT_MAX_LWPS ? (uint64_t)pj->kpj_nlwps : (uint64_t)pj->kpj_ntasks;
		return rctl == RCTL_PROJECT_MAX_PROCS ? &pj->kpj_max_procs :
		       rctl == RCTL_PROJECT_MAX_LWPS ? &pj->kpj_max_lwps : &pj->kpj_max_tasks;
	}
	case RCTL_ZONE_MAX_PROCS:
	case RCTL_ZONE_MAX_LWPS:
	case RCTL_ZONE_MAX_SWAP: {
		struct zone *z = id < 0 ? p->p_zone : zone_by_id(sys, (int)id);
		if (!z)
			return NULL;
		*eid = z->z_id;
		*use = rctl == RCTL_ZONE_MAX_PROCS ? (uint64_t)z->z_nprocs :
		       rctl == RCTL_ZONE_MAX_LWPS ? (uint64_t)z->z_nlwps : z->z_vsize;
		return rctl == RCTL_ZONE_MAX_PROCS ? &z->z_max_procs :
		       rctl == RCTL_ZONE_MAX_LWPS ? &z->z_max_lwps : &z->z_max_swap;
	}
	}
	return NULL;
}

int rctl_get(struct system *sys, struct proc *p, int rctl, int64_t id, uint64_t *val, int64_t *eid, uint64_t *usage)
{
	uint64_t *v;
	if (rctl < 0 || rctl >= RCTL_N)
		return EINVAL;
	if (!(v = rctl_slot(sys, p, rctl, id, eid, usage)))
		return ESRCH;
	*val = *v;
	/* the kernel counts the objects: asking with the same limit changes nothing */
	if (rctl == RCTL_PROCESS_MAX_KOBJ) {
		struct proc *t = id < 0 ? p : proc_find(sys, (int)id);
		if (t->p_cs < 0 || k_cspace_limit(t->p_cs, *v, usage))
			*usage = USAGE_UNKNOWN;
	}
	return 0;
}

int rctl_set(struct system *sys, struct proc *p, int rctl, int64_t id, uint64_t val)
{
	uint64_t *v, use;
	int64_t eid;
	if (rctl < 0 || rctl >= RCTL_N)
		return EINVAL;
	if (!(v = rctl_slot(sys, p, rctl, id, &eid, &use)))
		return ESRCH;
	if (val > *v && p->p_uid != 0)
		return EPERM;
	if (p->p_uid != 0) {
		/*
		 * An ordinary user lowers only its own process's and task's limits: a
		 * project or zone is shared with other users, whose forks a lower
		 * limit would fail (the fuzzer did it to zone.max-processes)
		 */
		bool own = rctl < RCTL_NPROCESS ? eid == p->p_pid :
			   rctl <= RCTL_TASK_MAX_AS && eid == p->p_task->tk_id;
		if (!own)
			return EPERM;
	}
	if (rctl == RCTL_PROCESS_MAX_KOBJ)
		return mem_kobj_limit(sys, id < 0 ? p : proc_find(sys, (int)id), val);
	*v = val;
	return 0;
}

/* newtask: the caller moves into a new task, in project projid (-1: its own) */
int do_newtask(struct system *sys, struct proc *p, int64_t projid, int *taskid)
{
	struct task *old = p->p_task, *tk;
	struct project *pj = old->tk_proj;
	int nlwp = p->p_nlwp;

	if (projid >= 0 && projid != pj->kpj_id) {
		if (p->p_uid != 0)
			return EPERM;
		pj = project_get(sys, (int)projid, p->p_zone);
		if (!pj)
			return EAGAIN;
	}
	if (!(tk = task_create(sys, pj)))
		return EAGAIN;
	old->tk_nprocs--;
	old->tk_nlwps -= nlwp;
	old->tk_proj->kpj_nprocs--;
	old->tk_proj->kpj_nlwps -= nlwp;
	mem_move_task(p, old, tk);
	task_rele(old);
	tk->tk_nprocs++;
	tk->tk_nlwps += nlwp;
	pj->kpj_nprocs++;
	pj->kpj_nlwps += nlwp;
	p->p_task = tk;
	*taskid = tk->tk_id;
	return 0;
}
