/*
 * fake_kernel.c - the parts of the kernel proper that pmm.c, kalloc.c, vm.c,
 * obj.c and ipc.c call, faked for host tests: printing, panic, the
 * destructors obj.c's obj_destroy calls for objects whose code a test does not
 * link, the scheduler and thread_kill (which only record what they were asked
 * to do).  memset/memcpy and friends come from the host libc.
 *
 * Every test links this file, but not every test links every unit: the
 * functions below that call into a unit a test may leave out are weak
 * references, so test_pmm (no obj.c, no vm.c) still links.  They are only
 * reached from obj_last_unref, which exists only where obj.c is linked.
 * The IPC objects' destructors are weak definitions: test_ipc links ipc.c's.
 * The scheduler fakes are weak definitions: test_fastpath links the real
 * kernel/sched.c instead, whose run queue the fast path reads.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fake_kernel.h"
#include "cpu.h"
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

/* the destructors (obj.c's obj_destroy calls them), reduced to what the tests create */
void thread_destroy(struct thread *t)
{
	fake.destroyed[OBJ_THREAD]++;
	t->t_as->as_nthreads--;
	obj_unref(&t->t_as->o);
	obj_unref(&t->t_cs->o);
}

#pragma weak as_reclaim_later
void as_reclaim_later(struct aspace *as)
{
	fake.destroyed[OBJ_AS]++;
	vm_free_root(as->as_root);      /* at once: the host has no way out of the kernel to step on */
	kfree(as);
}

void irq_unbind(struct irq *q)
{
	fake.destroyed[OBJ_IRQ]++;
}

#pragma weak ipc_ep_destroy
void ipc_ep_destroy(struct endpoint *ep)
{
	fake.destroyed[OBJ_ENDPOINT]++;
}

#pragma weak ntfn_destroy
void ntfn_destroy(struct ntfn *n)
{
	fake.destroyed[OBJ_NTFN]++;
}

#pragma weak reply_destroy
void reply_destroy(struct reply *r)
{
	fake.destroyed[OBJ_REPLY]++;
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

/* the host has one "hart" (cpus[0]) and no TLB; the real kernel/aspace.c replaces these */
struct cpu cpus[NCPU_MAX];
int ncpus = 1;

struct cpu *this_cpu(void)
{
	return &cpus[0];
}

/* the time CSR: still unless a test moves it (sched.c's aging, the CPU-time counts) */
uint64_t fake_time;
uint64_t timebase_hz = 10000000;
uint64_t arch_time(void)
{
	return fake_time;
}

void arch_flush_local(void)
{
	fake.flushes++;
}

void arch_flush_local_page(uint64_t va)
{
	fake.flushes++;
}

void arch_remote_fence(uint64_t hart_mask)
{
	KASSERT(hart_mask == 0);        /* no other hart */
}

#pragma weak vm_flush_root
void vm_flush_root(paddr_t root)
{
	(void)root;
}
