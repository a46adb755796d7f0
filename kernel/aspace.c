/*
 * Address spaces: made (a root table of their own), kept coherent on every
 * hart that has one loaded, and freed in steps once the last reference goes.
 */
#include "cpu.h"
#include "kalloc.h"
#include "vm.h"

struct aspace *aspace_new(void)
{
	struct aspace *as = kzalloc(sizeof(*as));
	if (!as)
		return NULL;
	as->as_root = vm_new_root();
	if (!as->as_root) {
		kfree(as);
		return NULL;
	}
	obj_init(&as->o, OBJ_AS);
	return as;
}

/* after removing or restricting mappings of as: no hart may keep stale entries */
void as_flush(struct aspace *as)
{
	uint64_t mask = 0;
	for (int i = 0; i < ncpus; i++) {
		if (cpus[i].c_as != as)
			continue;
		if (&cpus[i] == this_cpu())
			arch_flush_local();
		else
			mask |= 1ul << cpus[i].c_hartid;
	}
	arch_remote_fence(mask);
}

void vm_flush_root(paddr_t root)
{
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].c_as && cpus[i].c_as->as_root == root) {
			as_flush(cpus[i].c_as);
			return;
		}
}

/*
 * A dead address space's pages and tables are freed in steps of at most
 * RECLAIM_BUDGET leaf tables (a leaf table maps up to 512 pages) on each way
 * out of the kernel, so that the exit of a large process never holds the
 * lock for long (ktest, ptest: scripts/lockstat.sh measures it).  Nothing
 * waits on it: an allocation that finds no free page first finishes them
 * all (as_reclaim_all, the allocator's low-memory hook).
 */
#define RECLAIM_BUDGET 16
struct aspace *as_reclaim_head;
static struct aspace **reclaim_tail = &as_reclaim_head;
uint64_t as_reclaim_pending;

void as_reclaim_later(struct aspace *as)
{
	as->as_reclaim_next = NULL;
	*reclaim_tail = as;
	reclaim_tail = &as->as_reclaim_next;
	as_reclaim_pending++;
}

static bool reclaim_step(int budget)
{
	struct aspace *as = as_reclaim_head;
	if (!vm_free_some(as->as_root, budget))
		return false;
	if (!(as_reclaim_head = as->as_reclaim_next))
		reclaim_tail = &as_reclaim_head;
	as_reclaim_pending--;
	kfree(as);
	return true;
}

void as_reclaim_step(void)
{
	reclaim_step(RECLAIM_BUDGET);
}

void as_reclaim_all(void)
{
	while (as_reclaim_head)
		reclaim_step(INT32_MAX);
}
