/*
 * User page faults the kernel resolves itself, before any fault handler
 * hears of them: a write to a copy-on-write page (the common case after
 * fork: asked first), the first touch of a demand-zero page, or a stale TLB
 * entry (another hart resolved it already).  The trap code decodes the
 * cause into an access (PROT_R, PROT_W or PROT_X).
 */
#include "cpu.h"
#include "vm.h"

bool page_fault_resolve(struct thread *t, int access, uint64_t va)
{
	paddr_t root = t->t_as->as_root;
	int err;

	if (access == PROT_W && (err = vm_resolve_cow(root, va)) >= 0) {
		if (err)
			as_flush(t->t_as);      /* it moved to a copy: no hart may keep the old frame */
		else
			arch_flush_local_page(va);      /* taken over in place: stale entries only fault */
		return true;
	}
	err = vm_resolve_lazy(root, va, access);
	if (err == 0) {
		/* invalid until now: at most this hart's TLB remembers that */
		arch_flush_local_page(va);
		return true;
	}
	if (err == -E_NOMEM)
		return false;           /* no frame free for it: the thread faults */
	if (vm_user_access_ok(root, va, access)) {
		/* a stale TLB entry: the tables allow it now */
		arch_flush_local_page(va);
		return true;
	}
	return false;
}
