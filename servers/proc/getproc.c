/*
 * getproc: a new proc slot, charged to the parent's task, project and zone,
 * checked against their max-processes rctls, the system-wide process limit
 * and the per-user limit; and the objects those counters live in.
 */
#include <string.h>
#include "procsrv.h"

/* every table empty, the limits at their defaults; no kernel calls */
void system_init(struct system *sys, int ncpus, handle_t proc_ep, handle_t console_ep)
{
	memset(sys, 0, sizeof(*sys));
	sig_init(sys);
	sys->ncpus = ncpus > 0 ? ncpus : 1;
	sys->proc_ep = proc_ep;
	sys->console_ep = console_ep;
	sys->fs_ep = -1;
	/* each live process costs us about 3 handles (address space, table, an lwp) of our
	   128: keep the system limit where a fork fails as a limit, not as a lack of handles */
	sys->v_proc = 36;
	sys->v_maxup = sys->v_proc - 5;
	sys->maxpid = 30000;
	sys->next_task_id = 1;
	for (int i = 0; i < NZONE; i++) {
		sys->zones[i].z_id = i;
		sys->zones[i].z_max_procs = RCTL_UNLIMITED;
		sys->zones[i].z_max_lwps = RCTL_UNLIMITED;
		sys->zones[i].z_max_swap = RCTL_UNLIMITED;
	}
	for (int i = 0; i < NPROJECT; i++)
		sys->projects[i].kpj_id = -1;
	for (int i = 0; i < NPUNISH; i++)
		sys->held[i].reply = -1;
	sys->v_as_default = RCTL_UNLIMITED;     /* until mem_init knows the memory */
}

/*
 * Process 0, the system: not in the table, the parent init is spawned from
 * (uid 0, project 0 in zone 0, a session of its own, no handles and no
 * files, so init gets a fresh table).  Its task and session are never
 * released.  After mem_init: its address-space limit is the default.
 */
void proc0_init(struct system *sys)
{
	struct proc *p0 = &sys->p0;

	memset(p0, 0, sizeof(*p0));
	p0->p_stat = P_RUN;
	p0->p_cmask = 022;                      /* init's, and so everyone's to start with */
	p0->p_h_proc = p0->p_h_console = p0->p_h_fs = -1;
	p0->p_zone = zone_by_id(sys, 0);
	p0->p_task = task_create(sys, project_get(sys, 0, p0->p_zone));
	p0->p_task->tk_nprocs++;
	p0->p_task->tk_proj->kpj_nprocs++;
	p0->p_sess = sess_create(sys, 0);
	p0->p_sess->s_refs++;
	for (int i = 0; i < RCTL_NPROCESS; i++)
		p0->p_rctl[i] = RCTL_UNLIMITED;
	p0->p_rctl[RCTL_PROCESS_MAX_AS] = sys->v_as_default;
	p0->p_rctl[RCTL_PROCESS_MAX_FD] = 256;
	p0->p_rctl[RCTL_PROCESS_MAX_KOBJ] = KOBJ_DEFAULT;
}

/* newproc: init, just spawned by process 0, is a session leader in a task of its own */
int init_setup(struct system *sys, struct proc *init)
{
	int tk;

	init->p_parent = NULL;
	sess_leave(init);
	sess_join(init, sess_create(sys, init->p_pid));
	init->p_pgid = init->p_pid;
	return do_newtask(sys, init, 0, &tk);
}

struct proc *proc_find(struct system *sys, int pid)
{
	for_each_proc(sys, p)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

struct zone *zone_by_id(struct system *sys, int id)
{
	return id >= 0 && id < NZONE ? &sys->zones[id] : NULL;
}

struct project *project_get(struct system *sys, int id, struct zone *z)
{
	struct project *free = NULL;
	for (int i = 0; i < NPROJECT; i++) {
		struct project *pj = &sys->projects[i];
		if (pj->kpj_id == id)
			return pj;
		if (pj->kpj_id < 0 && !free)
			free = pj;
	}
	if (!free || id < 0)
		return NULL;
	memset(free, 0, sizeof(*free));
	free->kpj_id = id;
	free->kpj_zone = z;
	free->kpj_max_procs = free->kpj_max_tasks = free->kpj_max_lwps = RCTL_UNLIMITED;
	return free;
}

struct task *task_create(struct system *sys, struct project *pj)
{
	for (int i = 0; i < NTASK; i++) {
		struct task *tk = &sys->tasks[i];
		if (tk->tk_id)
			continue;
		if ((uint64_t)pj->kpj_ntasks >= pj->kpj_max_tasks)
			return NULL;
		memset(tk, 0, sizeof(*tk));
		tk->tk_id = sys->next_task_id++;
		tk->tk_proj = pj;
		tk->tk_max_procs = tk->tk_max_lwps = tk->tk_max_as = RCTL_UNLIMITED;
		pj->kpj_ntasks++;
		return tk;
	}
	return NULL;
}

/* a task ends with its last process */
void task_rele(struct task *tk)
{
	if (tk->tk_nprocs == 0) {
		tk->tk_proj->kpj_ntasks--;
		tk->tk_id = 0;
	}
}

int upcount_get(struct system *sys, uint32_t uid)
{
	for (int i = 0; i < NUID; i++)
		if (sys->upcount[i].count && sys->upcount[i].uid == uid)
			return sys->upcount[i].count;
	return 0;
}

void upcount_inc(struct system *sys, uint32_t uid)
{
	int free = -1;
	for (int i = 0; i < NUID; i++) {
		if (sys->upcount[i].count && sys->upcount[i].uid == uid) {
			sys->upcount[i].count++;
			return;
		}
		if (!sys->upcount[i].count && free < 0)
			free = i;
	}
	if (free >= 0) {
		sys->upcount[free].uid = uid;
		sys->upcount[free].count = 1;
	}
}

void upcount_dec(struct system *sys, uint32_t uid)
{
	for (int i = 0; i < NUID; i++)
		if (sys->upcount[i].count && sys->upcount[i].uid == uid) {
			sys->upcount[i].count--;
			return;
		}
}

/* a pid no process, process group or session uses; -1 if none is left */
static int pid_allocate(struct system *sys)
{
	for (int tries = 0; tries < sys->maxpid; tries++) {
		int pid = sys->lastpid + 1;
		bool used = false;
		if (pid > sys->maxpid)
			pid = 1;
		sys->lastpid = pid;
		for_each_proc(sys, q)
			if (q->p_pid == pid || q->p_pgid == pid || (q->p_sess && q->p_sess->s_sid == pid)) {
				used = true;
				break;
			}
		if (!used)
			return pid;
	}
	return -1;
}

/*
 * Charge a new process to parent's task, project and zone and give it a pid.
 * Limits apply outside the system project (project 0), as in illumos; the
 * per-user limit spares uid 0.  On failure nothing is left charged, the
 * zone's counter for the kind of failure moves, and the caller should
 * apply the punish delay.
 */
int getproc(struct system *sys, struct proc *pp, struct proc **out)
{
	struct task *tk = pp->p_task;
	struct project *pj = tk->tk_proj;
	struct zone *z = pp->p_zone;
	struct proc *cp = NULL;
	int pid;

	if (pj->kpj_id != 0) {
		bool deny = false;
		if ((uint64_t)tk->tk_nprocs >= tk->tk_max_procs)
			deny = true;
		if ((uint64_t)pj->kpj_nprocs >= pj->kpj_max_procs)
			deny = true;
		if ((uint64_t)z->z_nprocs >= z->z_max_procs)
			deny = true;
		if (deny) {
			z->z_ffcap++;
			return EAGAIN;
		}
	}
	tk->tk_nprocs++;
	pj->kpj_nprocs++;
	z->z_nprocs++;

	for (int i = 0; i < NPROC_TABLE; i++)
		if (sys->procs[i].p_stat == P_FREE) {
			cp = &sys->procs[i];
			break;
		}
	pid = cp && sys->nproc < sys->v_proc ? pid_allocate(sys) : -1;
	if (pid < 0)
		goto bad;
	/* the per-user limit: everyone but uid 0 */
	if (pp->p_uid != 0 && upcount_get(sys, pp->p_ruid) >= sys->v_maxup)
		goto bad;

	/* no failure past this point */
	memset(cp, 0, sizeof(*cp));
	cp->p_pid = pid;
	cp->p_stat = P_IDLE;
	cp->p_parent = pp;
	memcpy(cp->p_name, pp->p_name, sizeof(cp->p_name));
	cp->p_uid = pp->p_uid;                  /* every credential: cred.c */
	cp->p_gid = pp->p_gid;
	cp->p_ruid = pp->p_ruid;
	cp->p_suid = pp->p_suid;
	cp->p_rgid = pp->p_rgid;
	cp->p_sgid = pp->p_sgid;
	cp->p_ngroups = pp->p_ngroups;
	cp->p_cmask = pp->p_cmask;              /* umask: inherited; exec keeps it */
	memcpy(cp->p_groups, pp->p_groups, sizeof(cp->p_groups));
	cp->p_task = tk;
	cp->p_zone = z;
	memcpy(cp->p_rctl, pp->p_rctl, sizeof(cp->p_rctl));
	cp->p_pgid = pp->p_pgid;
	sess_join(cp, pp->p_sess);
	cp->p_as = cp->p_cs = -1;
	cp->p_h_proc = pp->p_h_proc;
	cp->p_h_console = pp->p_h_console;
	cp->p_h_fs = pp->p_h_fs;
	cp->p_sigign = pp->p_sigign;             /* dispositions are inherited, pending signals not */
	cp->p_sigcatch = pp->p_sigcatch;
	cp->p_sigtramp = pp->p_sigtramp;
	cp->p_sigreset = pp->p_sigreset;
	cp->p_signodefer = pp->p_signodefer;
	cp->p_sigonstack = pp->p_sigonstack;
	cp->p_nocldstop = pp->p_nocldstop;
	cp->p_nocldwait = pp->p_nocldwait;
	memcpy(cp->p_sigact_mask, pp->p_sigact_mask, sizeof(cp->p_sigact_mask));
	cp->p_lwpcnt = pp->p_lwpcnt;           /* lwp ids go on where the parent's are */
	cp->p_brk = pp->p_brk;                  /* the copied address space has the same heap */
	for (int i = 0; i < MAX_LWPS; i++)
		cp->p_lwp[i].l_th = -1;
	cp->p_vfwait = cp->p_wait_reply = -1;
	sys->nproc++;
	upcount_inc(sys, cp->p_ruid);
	*out = cp;
	return 0;

bad:
	tk->tk_nprocs--;
	pj->kpj_nprocs--;
	z->z_nprocs--;
	z->z_ffnoproc++;
	return EAGAIN;
}

/* undo a getproc whose fork failed later */
void getproc_undo(struct system *sys, struct proc *cp)
{
	struct task *tk = cp->p_task;
	mem_release(sys, cp, cp->p_vsize);
	tk->tk_nprocs--;
	tk->tk_proj->kpj_nprocs--;
	cp->p_zone->z_nprocs--;
	upcount_dec(sys, cp->p_ruid);
	sess_leave(cp);
	sys->nproc--;
	cp->p_stat = P_FREE;
}

/* illumos: one failure per cpu per clock tick on average */
int punish_ticks(struct system *sys)
{
	return sys->fork_fail_pending / sys->ncpus + 1;
}
