/*
 * fake_kernel.h - what the host unit tests share: "physical memory" backed by an
 * ordinary page-aligned buffer (HOST_TEST makes PA2KVA the identity), a log of the
 * calls the code under test made into the faked kernel (scheduler, thread_kill,
 * destructors), and builders for the objects the IPC tests move between.
 *
 * The builders are static inline and only seen with FAKE_OBJECTS defined, by the
 * tests that link kalloc.c and obj.c (and vm.c, for fake_thread_new).
 */
#ifndef FAKE_KERNEL_H
#define FAKE_KERNEL_H

#include "kernel.h"
#include "pmm.h"
#include "thread.h"

/* what the faked kernel saw since the last fake_mem_setup */
struct fake_log {
	uint64_t runnable;              /* sched_make_runnable calls */
	uint64_t removed;               /* sched_remove calls */
	uint64_t killed;                /* thread_kill calls */
	struct thread *last_runnable, *last_removed, *last_killed;
	uint64_t flushes;               /* local TLB fences (arch_flush_local*) */
	uint64_t destroyed[OBJ_NTYPES]; /* faked destructor calls by type (not CSPACE: obj.c's own) */
};
extern struct fake_log fake;

/* the buffer standing for RAM: [fake_base, fake_end) */
extern paddr_t fake_base, fake_end;

/*
 * A fresh window of npages pages handed to pmm_init; when add_free, all of it is
 * also given to pmm_add_free.  Clears the fake log.  Returns 0 (cmocka setup).
 */
int fake_mem_setup(size_t npages, bool add_free);
void fake_mem_teardown(void);

/* the nth page of the window */
static inline paddr_t fake_page(size_t n) { return fake_base + n * PAGE_SIZE; }

#ifdef FAKE_OBJECTS
#include "kalloc.h"
#include "vm.h"

/* a running thread with its own (empty) address space and handle table */
static inline struct thread *fake_thread_new(void)
{
	static uint64_t next_id = 100;
	struct thread *t = kzalloc(sizeof(*t));
	struct aspace *as = kzalloc(sizeof(*as));

	KASSERT(t && as);
	obj_init(&as->o, OBJ_AS);
	as->as_root = vm_new_root();
	KASSERT(as->as_root);
	as->as_nthreads = 1;
	obj_init(&t->o, OBJ_THREAD);
	list_init(&t->t_link);
	t->t_id = next_id++;
	t->t_state = T_RUNNING;
	t->t_cpu = 0;
	t->t_as = as;                   /* the thread holds the creation reference */
	t->t_cs = cspace_new();
	KASSERT(t->t_cs);
	return t;
}

static inline struct endpoint *fake_ep_new(void)
{
	struct endpoint *ep = kzalloc(sizeof(*ep));
	KASSERT(ep);
	obj_init(&ep->o, OBJ_ENDPOINT);
	list_init(&ep->ep_queue);
	ep->ep_qstate = -1;
	return ep;
}

static inline struct ntfn *fake_ntfn_new(void)
{
	struct ntfn *n = kzalloc(sizeof(*n));
	KASSERT(n);
	obj_init(&n->o, OBJ_NTFN);
	return n;
}
#endif

#endif
