/*
 * Boot: from kernel_main (boot hart, paging on, running at KERNEL_VBASE) to
 * the root task running in user mode on every hart.
 */
#include "cpu.h"
#include "arch.h"
#include "vm.h"
#include "pmm.h"
#include "kalloc.h"
#include "boot.h"
#include "fdt.h"

#define KSTACK_SIZE 16384
__attribute__((aligned(16))) char kstacks[NCPU_MAX][KSTACK_SIZE];
struct cpu cpus[NCPU_MAX];
int ncpus;
uint64_t timer_ticks_per_slice;

static struct fdt_platform plat;

static paddr_t kimg_pa(void *va)
{
	return (paddr_t)(uintptr_t)va - KERNEL_VBASE + kernel_load_pa;
}

/* add [start, end) to the allocator, leaving out every excluded range */
static void add_free(paddr_t start, paddr_t end, const struct fdt_range *ex, int nex)
{
	for (int i = 0; i < nex && start < end; i++) {
		paddr_t xs = ex[i].base, xe = ex[i].base + ex[i].size;
		if (xe <= start || xs >= end)
			continue;
		if (xs > start)
			add_free(start, xs, ex + i + 1, nex - i - 1);
		start = xe;
	}
	if (start < end)
		pmm_add_free(start, end);
}

static void cpu_setup(struct cpu *c)
{
	arch_cpu_init(c);
	fpu_cpu_init();                 /* "no owner" means zeros (switch.c's lazy FPU switch) */
	arch_switch_as(kernel_root);
	plic_hart_init(c->c_plic_ctx);
	arch_set_timer_in(timer_ticks_per_slice);
}

static void memory_init(const void *dtb)
{
	paddr_t lo = ~0ul, hi = 0, kend = ROUND_UP(kimg_pa(_end), PAGE_SIZE);
	struct fdt_range ex[FDT_MAX_RESV + 3];
	int nex = 0;
	uint64_t npages;

	for (int i = 0; i < plat.nmem; i++) {
		lo = MIN(lo, plat.mem[i].base);
		hi = MAX(hi, plat.mem[i].base + plat.mem[i].size);
	}
	if (hi > DMAP_SIZE)
		hi = DMAP_SIZE;
	npages = (hi - lo) >> PAGE_SHIFT;
	/* the refcount array goes right after the kernel image */
	pmm_init(lo, hi, PA2KVA(kend));
	pmm_low_hook = as_reclaim_all;          /* dead address spaces go first, then allocations fail */
	ex[nex++] = (struct fdt_range){ kernel_load_pa, ROUND_UP(kend + npages * 4, PAGE_SIZE) - kernel_load_pa };
	ex[nex++] = (struct fdt_range){ ROUND_DOWN(KVA2PA(dtb), PAGE_SIZE),
					ROUND_UP(fdt_totalsize(dtb) + PAGE_SIZE, PAGE_SIZE) };
	for (int i = 0; i < plat.nresv; i++) {
		ex[nex++] = plat.resv[i];
		kprintf("memory: reserved %lx..%lx\n", (unsigned long)plat.resv[i].base,
			(unsigned long)(plat.resv[i].base + plat.resv[i].size));
	}
	/* the exclusion walk wants them sorted by base */
	for (int i = 1; i < nex; i++)
		for (int j = i; j > 0 && ex[j].base < ex[j - 1].base; j--) {
			struct fdt_range tmp = ex[j];
			ex[j] = ex[j - 1];
			ex[j - 1] = tmp;
		}
	for (int i = 0; i < plat.nmem; i++)
		add_free(plat.mem[i].base, MIN(plat.mem[i].base + plat.mem[i].size, hi), ex, nex);
	kprintf("memory: %lu KiB free of %lu KiB at %lx..%lx, kernel at %lx\n",
		(unsigned long)(pmm_free_pages() * 4), (unsigned long)((hi - lo) >> 10),
		(unsigned long)lo, (unsigned long)hi, (unsigned long)kernel_load_pa);
}

static paddr_t lowest_ram(void)
{
	paddr_t lo = ~0ul;
	for (int i = 0; i < plat.nmem; i++)
		lo = MIN(lo, plat.mem[i].base);
	return lo;
}

/* head.S: a hart that reaches _start after the boot hart waits for these (in .data) */
#define LATE_HARTS_MAGIC 0x6574616cull
#define LATE_HART_SLOTS  64
#define SBI_ERR_ALREADY_AVAILABLE (-6)
extern uint64_t late_harts_go;
extern uint8_t late_hart_slot[LATE_HART_SLOTS];
_Static_assert(NCPU_MAX < 255, "late_hart_slot holds a cpu index + 1 in a byte");

void kernel_main(uint64_t hartid, paddr_t dtb_pa)
{
	const void *dtb = PA2KVA(dtb_pa);
	struct cpu *c = &cpus[0];
	int err;

	c->c_kstack = (uint64_t)&kstacks[0][KSTACK_SIZE];
	c->c_id = 0;
	c->c_hartid = hartid;
	kprintf("\nkernel: hart %lu, device tree at %lx, loaded at %lx\n",
		(unsigned long)hartid, (unsigned long)dtb_pa, (unsigned long)kernel_load_pa);
	err = fdt_platform_parse(dtb, 1u << 20, &plat);
	if (err)
		panic("kernel_main: device tree unreadable (%d)", err);
	kprintf("platform: %s, %d harts, timebase %u Hz\n", plat.model, plat.nharts, plat.timebase_hz);

	memory_init(dtb);
	kernel_root = vm_new_root();
	if (!kernel_root)
		panic("kernel_main: no memory for the kernel page table");
	memcpy(PA2KVA(kernel_root) + 256 * 8, boot_root_pt + 256, 256 * 8);

	timebase_hz = plat.timebase_hz ? plat.timebase_hz : 10000000;
	timer_ticks_per_slice = timebase_hz / 200;      /* 5 ms */
	sched_init();

	/* harts: ours first, then every other one that can run S-mode */
	ncpus = 1;
	c->c_plic_ctx = -1;
	for (int i = 0; i < plat.nharts; i++) {
		if (plat.harts[i].hartid == hartid) {
			c->c_plic_ctx = plat.harts[i].plic_sctx;
			c->c_sstc = plat.harts[i].sstc;
		} else if (plat.harts[i].smode && ncpus < NCPU_MAX) {
			struct cpu *o = &cpus[ncpus];
			o->c_id = ncpus;
			o->c_hartid = plat.harts[i].hartid;
			o->c_plic_ctx = plat.harts[i].plic_sctx;
			o->c_sstc = plat.harts[i].sstc;
			o->c_kstack = (uint64_t)&kstacks[ncpus][KSTACK_SIZE];
			ncpus++;
		}
	}
	if (plat.plic_present) {
		plic_init(plat.plic_base, plat.plic_ndev);
		irq_init(c->c_plic_ctx, plat.plic_ndev);
	}
	cpu_setup(c);
	c->c_online = true;

	root_task_create(dtb, fdt_totalsize(dtb), lowest_ram());

	/* a hart that came to _start after us (head.S) may go on now, as the secondary it is */
	for (int i = 1; i < ncpus; i++)
		if (cpus[i].c_hartid < LATE_HART_SLOTS)
			late_hart_slot[cpus[i].c_hartid] = (uint8_t)(i + 1);
	__atomic_store_n(&late_harts_go, LATE_HARTS_MAGIC, __ATOMIC_RELEASE);
	for (int i = 1; i < ncpus; i++) {
		int err = arch_start_hart(cpus[i].c_hartid, (uint64_t)i);
		if (err != 0 && err != SBI_ERR_ALREADY_AVAILABLE)   /* that one: it came by itself */
			kprintf("hart %lu did not start\n", (unsigned long)cpus[i].c_hartid);
	}
	kernel_lock();
	kernel_exit();
}

void secondary_main(uint64_t hartid, uint64_t idx)
{
	struct cpu *c = &cpus[idx];
	(void)hartid;
	cpu_setup(c);
	kernel_lock();
	c->c_online = true;
	kernel_exit();
}

void timer_tick(struct cpu *c)
{
	(void)c;
	ntfn_timers_run(arch_time());
}
