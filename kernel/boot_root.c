/*
 * The root task: the one user program the kernel starts itself.  Its ELF and
 * the boot archive (cpio) are linked into the kernel image (bootimg.S).
 * It receives a struct bootinfo (a0) naming its handles and where the archive
 * and the device tree are mapped.
 */
#include "uapi/elf.h"
#include "cpu.h"
#include "vm.h"
#include "kalloc.h"
#include "pmm.h"
#include "boot.h"

#define ROOT_BOOTINFO 0x0f000000ul
#define ROOT_DTB      0x1f000000ul
#define ROOT_ARCHIVE  0x20000000ul
#define ROOT_HEAP     0x30000000ul
#define ROOT_HEAP_SIZE (4ul << 20)
#define ROOT_PRIO     (NPRIO - 1)


/* map [va, va+len) fresh and fill it from kernel memory; prot applied last */
static void load_region(paddr_t root, vaddr_t va, const void *src, uint64_t filesz, uint64_t memsz, int prot)
{
	vaddr_t start = ROUND_DOWN(va, PAGE_SIZE), end = ROUND_UP(va + memsz, PAGE_SIZE);
	for (vaddr_t a = start; a < end; a += PAGE_SIZE) {
		uint64_t *pte = vm_walk(root, a, false);
		if (!pte || !(*pte & PTE_V)) {
			if (vm_map_anon(root, a, PAGE_SIZE, PROT_R | PROT_W))
				panic("load_region: out of memory");
		}
	}
	if (copy_to_user(root, va, src, filesz))
		panic("load_region: copy failed");
	for (vaddr_t a = start; a < end; a += PAGE_SIZE) {
		uint64_t *pte = vm_walk(root, a, false);
		uint64_t keep = *pte & (PTE_W | PTE_X | PTE_R);
		*pte = (*pte & ~(PTE_W | PTE_X | PTE_R | PTE_D)) | vm_prot_flags(prot) | keep;
	}
}

static void ro_copy(paddr_t root, vaddr_t va, const void *src, uint64_t len)
{
	load_region(root, va, src, len, len, PROT_R);
	for (vaddr_t a = va; a < va + len; a += PAGE_SIZE) {
		uint64_t *pte = vm_walk(root, a, false);
		*pte &= ~(PTE_W | PTE_D);
	}
}

void root_task_create(const void *dtb, uint64_t dtb_len, paddr_t dev_end)
{
	const struct elf64_ehdr *eh = (const void *)root_elf;
	struct aspace *as = aspace_new();
	struct cspace *cs = cspace_new();
	struct thread *t;
	struct bootinfo bi = { .magic = BOOTINFO_MAGIC };
	struct kobj *sysctl, *dev;

	if (!as || !cs)
		panic("root_task_create: out of memory");
	if (eh->ident[0] != 0x7f || eh->ident[1] != 'E' || eh->machine != EM_RISCV)
		panic("root_task_create: root task is not a RISC-V ELF");
	for (int i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph = (const void *)(root_elf + eh->phoff + i * eh->phentsize);
		int prot = 0;
		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		prot |= (ph->flags & PF_R) ? PROT_R : 0;
		prot |= (ph->flags & PF_W) ? PROT_W : 0;
		prot |= (ph->flags & PF_X) ? PROT_X : 0;
		load_region(as->as_root, ph->vaddr, root_elf + ph->offset, ph->filesz, ph->memsz, prot | PROT_R);
	}
	if (vm_map_anon(as->as_root, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, PROT_R | PROT_W) ||
	    vm_map_anon(as->as_root, ROOT_HEAP, ROOT_HEAP_SIZE, PROT_R | PROT_W))
		panic("root_task_create: out of memory");
	ro_copy(as->as_root, ROOT_DTB, dtb, dtb_len);
	ro_copy(as->as_root, ROOT_ARCHIVE, boot_archive, (uint64_t)(boot_archive_end - boot_archive));

	t = thread_new(as, cs, ROOT_PRIO);
	sysctl = kzalloc(sizeof(struct kobj));
	dev = kzalloc(sizeof(struct device));
	if (!t || !sysctl || !dev)
		panic("root_task_create: out of memory");
	memcpy(t->t_name, "root", 5);
	obj_init(sysctl, OBJ_SYSCTL);
	obj_init(dev, OBJ_DEVICE);
	((struct device *)dev)->dev_base = 0;
	((struct device *)dev)->dev_end = dev_end;

	bi.h_self_thread = cspace_insert(cs, &t->o, R_CONTROL, 0);
	bi.h_self_as = cspace_insert(cs, &as->o, R_MAP | R_CONTROL, 0);
	bi.h_self_cspace = cspace_insert(cs, &cs->o, R_CONTROL, 0);
	bi.h_sysctl = cspace_insert(cs, sysctl, R_IRQ | R_POWER | R_DEBUG | R_CONTROL, 0);
	bi.h_device = cspace_insert(cs, dev, R_MAP, 0);
	bi.archive = ROOT_ARCHIVE;
	bi.archive_len = (uint64_t)(boot_archive_end - boot_archive);
	bi.dtb = ROOT_DTB;
	bi.dtb_len = dtb_len;
	bi.heap = ROOT_HEAP;
	bi.heap_len = ROOT_HEAP_SIZE;
	bi.ncpus = (uint64_t)ncpus;
	/* the table holds them now; the cspace holding itself is broken only at poweroff */
	obj_unref(sysctl);
	obj_unref(dev);
	obj_unref(&as->o);
	load_region(as->as_root, ROOT_BOOTINFO, &bi, sizeof(bi), PAGE_SIZE, PROT_R);
	obj_unref(&cs->o);

	t->t_ctx.x[CTX_PC] = eh->entry;
	t->t_ctx.x[REG_SP] = USER_STACK_TOP;
	t->t_ctx.x[REG_A0] = ROOT_BOOTINFO;
	thread_start(t);
	obj_unref(&t->o);
	kprintf("root task: entry %lx, %lu free pages\n", (unsigned long)eh->entry,
		(unsigned long)pmm_free_pages());
}
