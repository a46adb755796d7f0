/*
 * Memory reservations, as illumos reserves swap: every page the proc server
 * maps into a process (its image, stack and heap) is reserved when it is
 * mapped, against the process's process.max-address-space, its task's
 * task.max-address-space, its zone's zone.max-swap, and what the system can
 * back (v_swap_max).  A page that was reserved can always be had when it is
 * touched, so no process dies for want of memory it was given, and what no
 * process may reserve is a reserve that keeps the servers (fs, console,
 * proc: not ours to count) and the kernel's objects going.
 *
 * A fork reserves the whole of its parent's size for the child (a private
 * page may be copied on write), as illumos's as_dup does; a vfork child
 * borrows its parent's and reserves nothing until it execs.  Page tables
 * are counted in the system's figure only, one per 2 MiB plus a few, and so
 * are the kernel objects it may make (process.max-kernel-objects of them,
 * KOBJ_BYTES each: a slab hands out partly used pages first, so even a
 * pattern of frees that leaves pages nearly empty pins no more than that).
 */
#include "procsrv.h"

#define PAGE 4096ull
#define AS_TABLES 8ull                    /* root, middle and edge tables of a small space */

/* what p at vsize bytes costs the system, in bytes (its tables and kernel objects too) */
static uint64_t sys_cost(const struct proc *p, uint64_t vsize)
{
	uint64_t kobj = p->p_rctl[RCTL_PROCESS_MAX_KOBJ];

	if (!vsize)
		return 0;
	kobj = kobj > UINT32_MAX ? UINT32_MAX : kobj;        /* the kernel's most */
	return vsize + (vsize / (512 * PAGE) + AS_TABLES) * PAGE + kobj * KOBJ_BYTES;
}

/* the system's figure: `total` bytes free to reserve when the proc server starts */
void mem_init(struct system *sys, uint64_t total)
{
	uint64_t reserve = total / 8;            /* for the servers and the kernel */
	sys->v_swap_max = total - reserve;
	sys->v_swap = 0;
	/*
	 * One process may have a quarter: it leaves room for the shell and a fork
	 * of it, and bounds what a kernel call does for it (cloning or freeing a
	 * quarter of memory: well under 1 ms of kernel time, scripts/lockstat.sh).
	 */
	sys->v_as_default = sys->v_swap_max / 4;
}

/* may p's size become vsize? */
static int mem_fits(struct system *sys, const struct proc *p, uint64_t vsize)
{
	uint64_t add = vsize > p->p_vsize ? vsize - p->p_vsize : 0;
	uint64_t cost = sys_cost(p, vsize), held = sys_cost(p, p->p_vsize);

	if (vsize > p->p_rctl[RCTL_PROCESS_MAX_AS] || p->p_task->tk_vsize + add > p->p_task->tk_max_as ||
	    p->p_zone->z_vsize + add > p->p_zone->z_max_swap ||
	    (cost > held && sys->v_swap + (cost - held) > sys->v_swap_max))
		return ENOMEM;
	return 0;
}

/* p's size is now vsize (checked by mem_fits, or smaller) */
static void mem_set(struct system *sys, struct proc *p, uint64_t vsize)
{
	sys->v_swap = sys->v_swap - sys_cost(p, p->p_vsize) + sys_cost(p, vsize);
	p->p_task->tk_vsize = p->p_task->tk_vsize - p->p_vsize + vsize;
	p->p_zone->z_vsize = p->p_zone->z_vsize - p->p_vsize + vsize;
	p->p_vsize = vsize;
}

int mem_reserve(struct system *sys, struct proc *p, uint64_t bytes)
{
	if (bytes > UINT64_MAX / 2 || mem_fits(sys, p, p->p_vsize + bytes))
		return ENOMEM;
	mem_set(sys, p, p->p_vsize + bytes);
	return 0;
}

void mem_release(struct system *sys, struct proc *p, uint64_t bytes)
{
	mem_set(sys, p, bytes < p->p_vsize ? p->p_vsize - bytes : 0);
}

/*
 * exec: may a new image of vsize bytes be built while the old one is still
 * held?  The new one alone must fit the process's limit; the task, zone and
 * system must hold both for a while.
 */
int mem_exec_check(struct system *sys, const struct proc *p, uint64_t vsize)
{
	struct proc alone = *p;
	alone.p_vsize = 0;
	return mem_fits(sys, &alone, vsize);
}

/* exec's commit: the old image is gone, the new one is p's size */
void mem_exec_commit(struct system *sys, struct proc *p, uint64_t vsize)
{
	mem_set(sys, p, 0);
	mem_set(sys, p, vsize);
}

/*
 * process.max-kernel-objects becomes max: p's reservation follows it (a
 * raise must fit the system), then the kernel's limit on its table
 */
int mem_kobj_limit(struct system *sys, struct proc *p, uint64_t max)
{
	struct proc after = *p;
	uint64_t was = sys_cost(p, p->p_vsize), now;
	int err;

	after.p_rctl[RCTL_PROCESS_MAX_KOBJ] = max;
	now = sys_cost(&after, p->p_vsize);
	if (now > was && sys->v_swap + (now - was) > sys->v_swap_max)
		return ENOMEM;
	if (p->p_cs >= 0 && (err = k_cspace_limit(p->p_cs, max, NULL)))
		return err;
	sys->v_swap = sys->v_swap - was + now;
	p->p_rctl[RCTL_PROCESS_MAX_KOBJ] = max;
	return 0;
}

/* newtask: p's size goes with it from one task to the other (a new task's limit: none yet) */
void mem_move_task(const struct proc *p, struct task *from, struct task *to)
{
	from->tk_vsize -= p->p_vsize;
	to->tk_vsize += p->p_vsize;
}
