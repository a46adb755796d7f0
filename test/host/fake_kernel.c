/*
 * fake_kernel.c - the parts of the kernel proper that pmm.c, kalloc.c, vm.c,
 * obj.c and ipc.c call, faked for host tests: printing, panic, the per-type
 * destructor, the scheduler and thread_kill (which only record what they were
 * asked to do).  memset/memcpy and friends come from the host libc.
 *
 * Every test links this file, but not every test links every unit: the
 * functions below that call into a unit a test may leave out are weak
 * references, so test_pmm (no obj.c, no vm.c) still links.  They are only
 * reached from obj_last_unref, which exists only where obj.c is linked.
 * The scheduler fakes are weak definitions: test_fastpath links the real
 * kernel/sched.c instead, whose run queue the fast path reads.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fake_kernel.h"
#include "kalloc.h"
#include "vm.h"

#pragma weak kfree
#pragma weak obj_last_unref
#pragma weak cspace_clear
#pragma weak vm_free_root
#pragma weak sched_make_runnable
#pragma weak sched_remove

struct fake_log fake;
paddr_t fake_base, fake_end;
static void *ram;
static uint32_t *refs;

int fake_mem_setup(size_t npages, bool add_free)
{
	ram = aligned_alloc(PAGE_SIZE, npages * PAGE_SIZE);
	refs = calloc(npages, sizeof(*refs));
	KASSERT(ram && refs);
	fake_base = (paddr_t)(uintptr_t)ram;
	fake_end = fake_base + npages * PAGE_SIZE;
	pmm_init(fake_base, fake_end, refs);
	if (add_free)
		pmm_add_free(fake_base, fake_end);
	memset(&fake, 0, sizeof(fake));
	return 0;
}

void fake_mem_teardown(void)
{
	pmm_fail_nth(0);
	free(ram);
	free(refs);
	ram = NULL;
	refs = NULL;
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* kernel/thread.c's obj_destroy, reduced to what the tests create */
void obj_destroy(struct kobj *o)
{
	fake.destroyed[o->type]++;
	switch (o->type) {
	case OBJ_THREAD: {
		struct thread *t = (struct thread *)o;
		t->t_as->as_nthreads--;
		obj_unref(&t->t_as->o);
		obj_unref(&t->t_cs->o);
		break;
	}
	case OBJ_AS:
		vm_free_root(((struct aspace *)o)->as_root);
		break;
	case OBJ_CSPACE:
		cspace_clear((struct cspace *)o);
		break;
	default:
		break;
	}
	kfree(o);
}

void sched_make_runnable(struct thread *t)
{
	t->t_state = T_RUNNABLE;
	fake.runnable++;
	fake.last_runnable = t;
}

void sched_remove(struct thread *t)
{
	fake.removed++;
	fake.last_removed = t;
}

void thread_kill(struct thread *t)
{
	t->t_state = T_DEAD;
	fake.killed++;
	fake.last_killed = t;
}

/* the host has one "hart" and no TLB */
void vm_flush_root(paddr_t root)
{
	(void)root;
}
