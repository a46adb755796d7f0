/*
 * Everything else.
 *   SYS_NULL()                       does nothing
 *   SYS_DEBUG_PUTS(sysctl, ptr, len) R_DEBUG; len <= 256
 *   SYS_YIELD()                      to the back of its priority
 *   SYS_IRQ_GET(sysctl, n)  -> a1    R_IRQ; n a PLIC source; E_BUSY if someone holds it
 *   SYS_IRQ_BIND(irq, ntfn, bits)    R_IRQ on irq, R_SEND on ntfn; enables the source
 *   SYS_IRQ_ACK(irq)                 R_IRQ: the source may interrupt again
 *   SYS_SYSINFO(ptr)                 struct sysinfo
 *   SYS_POWEROFF(sysctl)             R_POWER
 */
#include "syscall.h"
#include "cpu.h"
#include "arch.h"
#include "vm.h"
#include "pmm.h"
#include "kalloc.h"

#define NIRQ 128
static struct irq *irqs[NIRQ];
static int plic_ctx_irq = -1;   /* the context every device interrupt is routed to */
static uint32_t plic_ndev_max;
uint64_t timebase_hz;

/* boot: device interrupts go to PLIC context ctx, sources 1..ndev */
void irq_init(int ctx, uint32_t ndev)
{
	plic_ctx_irq = ctx;
	plic_ndev_max = ndev;
}

long sys_null(struct thread *t, uint64_t *a)
{
	(void)t;
	(void)a;
	return 0;
}

long sys_debug_puts(struct thread *t, uint64_t *a)
{
	struct hslot *s;
	char buf[256];
	int err = handle_get(t, (int64_t)a[0], OBJ_SYSCTL, R_DEBUG, &s);
	if (err)
		return err;
	if (a[2] > sizeof(buf))
		return -E_INVAL;
	if ((err = copy_from_user(t->t_as->as_root, buf, a[1], a[2])))
		return err;
	for (uint64_t i = 0; i < a[2]; i++)
		arch_console_putc(buf[i]);
	return 0;
}

long sys_yield(struct thread *t, uint64_t *a)
{
	(void)a;
	(void)t;
	this_cpu()->c_resched = true;   /* it keeps what is left of its slice: a loop of yields still runs it out */
	return 0;
}

long sys_irq_get(struct thread *t, uint64_t *a)
{
	struct irq *q;
	long lerr;
	uint64_t n = a[1];
	struct hslot *s;
	int err = handle_get(t, (int64_t)a[0], OBJ_SYSCTL, R_IRQ, &s);
	if (err)
		return err;
	if (n == 0 || n > plic_ndev_max || n >= NIRQ)
		return -E_INVAL;
	if (irqs[n])
		return -E_BUSY;
	if (!(q = obj_new(t->t_cs, sizeof(*q), OBJ_IRQ, &lerr)))
		return lerr;
	q->irq_num = (uint32_t)n;
	irqs[n] = q;
	return give_new(t, &q->o, R_IRQ);
}

long sys_irq_bind(struct thread *t, uint64_t *a)
{
	struct irq *q;
	struct ntfn *n;
	GET(t, (int64_t)a[0], OBJ_IRQ, R_IRQ, q);
	GET(t, (int64_t)a[1], OBJ_NTFN, R_SEND, n);
	if (!a[2])
		return -E_INVAL;
	if (q->irq_ntfn)
		obj_unref(&q->irq_ntfn->o);
	obj_ref(&n->o);
	q->irq_ntfn = n;
	q->irq_bits = a[2];
	plic_enable(plic_ctx_irq, q->irq_num, true);
	return 0;
}

long sys_irq_ack(struct thread *t, uint64_t *a)
{
	struct irq *q;
	GET(t, (int64_t)a[0], OBJ_IRQ, R_IRQ, q);
	if (q->irq_pending) {
		q->irq_pending = false;
		plic_complete(plic_ctx_irq, q->irq_num);
	}
	return 0;
}

void irq_unbind(struct irq *q)
{
	plic_enable(plic_ctx_irq, q->irq_num, false);
	if (q->irq_pending)
		plic_complete(plic_ctx_irq, q->irq_num);
	if (q->irq_ntfn)
		obj_unref(&q->irq_ntfn->o);
	irqs[q->irq_num] = NULL;
}

/* a device interrupt claimed on this hart */
void irq_dispatch(uint32_t n)
{
	struct irq *q = n < NIRQ ? irqs[n] : NULL;
	if (!q || !q->irq_ntfn) {
		plic_enable(plic_ctx_irq, n, false);
		plic_complete(plic_ctx_irq, n);
		return;
	}
	q->irq_pending = true;          /* completed by SYS_IRQ_ACK */
	ntfn_signal(q->irq_ntfn, q->irq_bits);
}

long sys_sysinfo(struct thread *t, uint64_t *a)
{
	struct sysinfo si = {
		.free_pages = pmm_free_pages(),
		.total_pages = pmm_total_pages(),
		.kmem_objects = kalloc_live(),
		.ncpus = (uint64_t)ncpus,
		.timebase_hz = timebase_hz,
		.time = arch_time(),
		.ipc_count = ipc_count,
		.syscall_count = syscall_count,
		.as_pending = as_reclaim_pending,
	};
	return copy_to_user(t->t_as->as_root, a[0], &si, sizeof(si));
}

long sys_poweroff(struct thread *t, uint64_t *a)
{
	struct hslot *s;
	int err = handle_get(t, (int64_t)a[0], OBJ_SYSCTL, R_POWER, &s);
	if (err)
		return err;
#ifdef LOCK_STATS
	lock_stats_print();
#endif
	kprintf("poweroff\n");
	arch_poweroff();
}
