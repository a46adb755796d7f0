/*
 * Handles, handle tables and address spaces.
 *   SYS_HANDLE_DUP(h, mask, badge)   -> a1 new handle, rights & mask; badge kept if 0; only an
 *                                    unbadged handle may get a badge (E_PERM)
 *   SYS_HANDLE_CLOSE(h)
 *   SYS_HANDLE_GIVE(cs, h, mask, badge) -> a1 handle in cs (R_CONTROL on cs)
 *   SYS_HANDLE_INFO(h)               -> a1 type, a2 rights, a3 badge (a thread: its id; a saved
 *                                    reply: its caller's id, 0 once the caller is gone)
 *   SYS_CSPACE_CREATE(sysctl)        -> a1    R_CONTROL on a sysctl (only servers make tables)
 *   SYS_CSPACE_CLEAR(cs)             R_CONTROL; E_BUSY on the caller's own table
 *   SYS_CSPACE_CLONE(cs)    -> a1    R_CONTROL; a copy with the same handle numbers
 *   SYS_HANDLE_REPLACE(cs, h, src, mask, badge)  R_CONTROL on cs; E_BADF if slot h holds another handle
 *   SYS_AS_CLONE(as)        -> a1    R_CONTROL; copy-on-write copy; E_NOMEM leaves nothing behind
 *   SYS_AS_CREATE(sysctl)            -> a1    R_CONTROL on a sysctl (only servers make spaces)
 *   SYS_AS_MAP(as, va, len, prot)    R_MAP; page aligned; E_BUSY if anything is mapped there;
 *                                    demand-zero: frames come on first touch (E_NOMEM then faults)
 *   SYS_AS_UNMAP(as, va, len)        R_MAP
 *   SYS_AS_COPY(as, dst, src, len)   R_MAP; src in the caller; dst must be mapped writable;
 *                                    len <= AS_COPY_MAX
 *   SYS_AS_MAP_DEVICE(dev, as, va, pa, len)  R_MAP on both; [pa, pa+len) inside the device range
 *   SYS_DEVICE_SUB(dev, pa, len) -> a1  R_MAP; a device handle (R_MAP) for a page-aligned part
 *                                    of dev's range, to hand one driver its registers only
 *   SYS_AS_PROTECT(as, va, len, prot) R_MAP; unmapped pages in the range are skipped
 */
#include "syscall.h"
#include "cpu.h"
#include "vm.h"
#include "arch.h"
#include "pmm.h"
#include "kalloc.h"

long sys_handle_dup(struct thread *t, uint64_t *a)
{
	struct hslot *s;
	int64_t h;
	uint64_t badge;
	int err = handle_get(t, (int64_t)a[0], OBJ_NONE, 0, &s);
	if (err)
		return err;
	badge = badge_for(s, a[2], &err);
	if (err)
		return err;
	h = cspace_insert(t->t_cs, s->obj, s->rights & (uint32_t)a[1], badge);
	if (h < 0)
		return h;
	a[1] = (uint64_t)h;
	return 0;
}

long sys_handle_close(struct thread *t, uint64_t *a)
{
	return cspace_close(t->t_cs, (int64_t)a[0]);
}

long sys_handle_give(struct thread *t, uint64_t *a)
{
	struct cspace *cs;
	struct hslot *s;
	int64_t h;
	int err;

	GET(t, (int64_t)a[0], OBJ_CSPACE, R_CONTROL, cs);
	uint64_t badge;
	err = handle_get(t, (int64_t)a[1], OBJ_NONE, 0, &s);
	if (err)
		return err;
	badge = badge_for(s, a[3], &err);
	if (err)
		return err;
	h = cspace_insert(cs, s->obj, s->rights & (uint32_t)a[2], badge);
	if (h < 0)
		return h;
	a[1] = (uint64_t)h;
	return 0;
}

long sys_handle_info(struct thread *t, uint64_t *a)
{
	struct hslot *s;
	int err = handle_get(t, (int64_t)a[0], OBJ_NONE, 0, &s);
	if (err)
		return err;
	a[1] = s->obj->type;
	a[2] = s->rights;
	/* a thread or a reply has no use for a badge: an id is more useful (is the caller still there?) */
	if (s->obj->type == OBJ_THREAD)
		a[3] = ((struct thread *)s->obj)->t_id;
	else if (s->obj->type == OBJ_REPLY)
		a[3] = ((struct reply *)s->obj)->r_caller ? ((struct reply *)s->obj)->r_caller->t_id : 0;
	else
		a[3] = s->badge;
	return 0;
}

/*
 * Making a handle table or an address space takes R_CONTROL on a sysctl:
 * with either, a program could make threads (SYS_THREAD_CREATE) that no
 * process owns and no limit counts, or tables that hold themselves.  Root
 * and the proc server have it; a process gets its lwps from the proc server.
 */
static int may_create(struct thread *t, uint64_t h)
{
	struct hslot *s;
	return handle_get(t, (int64_t)h, OBJ_SYSCTL, R_CONTROL, &s);
}

long sys_cspace_create(struct thread *t, uint64_t *a)
{
	struct cspace *cs;
	int err = may_create(t, a[0]);
	if (err)
		return err;
	if (!(cs = cspace_new()))
		return -E_NOMEM;
	return give_new(t, &cs->o, R_CONTROL);
}

long sys_cspace_clear(struct thread *t, uint64_t *a)
{
	struct cspace *cs;
	GET(t, (int64_t)a[0], OBJ_CSPACE, R_CONTROL, cs);
	if (cs == t->t_cs)
		return -E_BUSY;
	obj_ref(&cs->o);                /* the table may hold the last reference to itself */
	cspace_clear(cs);
	obj_unref(&cs->o);
	return 0;
}

long sys_cspace_limit(struct thread *t, uint64_t *a)
{
	struct cspace *cs;
	long n;
	GET(t, (int64_t)a[0], OBJ_CSPACE, R_CONTROL, cs);
	if (a[1] > UINT32_MAX)
		return -E_INVAL;
	if ((n = cspace_set_limit(cs, (uint32_t)a[1])) < 0)
		return n;
	t->t_ctx.x[REG_A1] = (uint64_t)n;
	return 0;
}

long sys_cspace_clone(struct thread *t, uint64_t *a)
{
	struct cspace *cs, *n;
	GET(t, (int64_t)a[0], OBJ_CSPACE, R_CONTROL, cs);
	n = cspace_clone(cs);
	if (!n)
		return -E_NOMEM;
	return give_new(t, &n->o, R_CONTROL);
}

long sys_handle_replace(struct thread *t, uint64_t *a)
{
	struct cspace *cs;
	struct hslot *src;
	int err;
	GET(t, (int64_t)a[0], OBJ_CSPACE, R_CONTROL, cs);
	uint64_t badge;
	if ((err = handle_get(t, (int64_t)a[2], OBJ_NONE, 0, &src)))
		return err;
	badge = badge_for(src, a[4], &err);
	if (err)
		return err;
	return cspace_replace(cs, (int64_t)a[1], src->obj, src->rights & (uint32_t)a[3], badge);
}

long sys_as_clone(struct thread *t, uint64_t *a)
{
	struct aspace *src, *as;
	int err;
	GET(t, (int64_t)a[0], OBJ_AS, R_CONTROL, src);
	as = aspace_new();
	if (!as)
		return -E_NOMEM;
	err = vm_clone_cow(as->as_root, src->as_root);
	as_flush(src);                  /* its writable pages became read-only */
	if (err) {
		obj_unref(&as->o);      /* frees whatever the partial copy took */
		return err;
	}
	return give_new(t, &as->o, R_MAP | R_CONTROL);
}

long sys_as_create(struct thread *t, uint64_t *a)
{
	struct aspace *as;
	int err = may_create(t, a[0]);
	if (err)
		return err;
	if (!(as = aspace_new()))
		return -E_NOMEM;
	return give_new(t, &as->o, R_MAP | R_CONTROL);
}

static bool range_ok(uint64_t va, uint64_t len)
{
	return len && !(va & PAGE_MASK) && !(len & PAGE_MASK) && vm_user_range_ok(va, len);
}

long sys_as_map(struct thread *t, uint64_t *a)
{
	struct aspace *as;
	GET(t, (int64_t)a[0], OBJ_AS, R_MAP, as);
	if (!range_ok(a[1], a[2]) || (a[3] & ~7ul) || !(a[3] & PROT_R))
		return -E_INVAL;
	return vm_map_lazy(as->as_root, a[1], a[2], (int)a[3]);
}

long sys_as_unmap(struct thread *t, uint64_t *a)
{
	struct aspace *as;
	GET(t, (int64_t)a[0], OBJ_AS, R_MAP, as);
	if (!range_ok(a[1], a[2]))
		return -E_INVAL;
	vm_unmap(as->as_root, a[1], a[2]);
	as_flush(as);
	return 0;
}

long sys_as_copy(struct thread *t, uint64_t *a)
{
	struct aspace *as;
	GET(t, (int64_t)a[0], OBJ_AS, R_MAP, as);
	if (a[3] > AS_COPY_MAX)
		return -E_INVAL;                /* a bound on the time the lock is held */
	if (!vm_user_range_ok(a[1], a[3]) || !vm_user_range_ok(a[2], a[3]))
		return -E_FAULT;
	return copy_user_to_user(as->as_root, a[1], t->t_as->as_root, a[2], a[3]);
}

long sys_device_sub(struct thread *t, uint64_t *a)
{
	struct device *d, *sub;
	uint64_t pa = a[1], len = a[2];
	long err;

	GET(t, (int64_t)a[0], OBJ_DEVICE, R_MAP, d);
	if (!len || (pa & PAGE_MASK) || (len & PAGE_MASK) || pa + len < pa || pa < d->dev_base ||
	    pa + len > d->dev_end)
		return -E_INVAL;
	if (!(sub = obj_new(t->t_cs, sizeof(*sub), OBJ_DEVICE, &err)))
		return err;
	sub->dev_base = pa;
	sub->dev_end = pa + len;
	return give_new(t, &sub->o, R_MAP);
}

long sys_as_map_device(struct thread *t, uint64_t *a)
{
	struct device *d;
	struct aspace *as;
	uint64_t va = a[2], pa = a[3], len = a[4];

	GET(t, (int64_t)a[0], OBJ_DEVICE, R_MAP, d);
	GET(t, (int64_t)a[1], OBJ_AS, R_MAP, as);
	if (!range_ok(va, len) || (pa & PAGE_MASK) || pa < d->dev_base || pa + len > d->dev_end ||
	    pa + len < pa)
		return -E_INVAL;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		if (pmm_is_ram(pa + off))
			return -E_INVAL;
		uint64_t *pte = vm_walk(as->as_root, va + off, false);
		if (pte && (*pte & PTE_USED))
			return -E_BUSY;
	}
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		int err = vm_map(as->as_root, va + off, pa + off, vm_prot_flags(PROT_R | PROT_W) | PTE_SHARED);
		if (err) {
			vm_unmap(as->as_root, va, off);
			return err;
		}
	}
	return 0;
}

long sys_as_protect(struct thread *t, uint64_t *a)
{
	struct aspace *as;
	GET(t, (int64_t)a[0], OBJ_AS, R_MAP, as);
	if (!range_ok(a[1], a[2]) || (a[3] & ~7ul) || !(a[3] & PROT_R))
		return -E_INVAL;
	vm_protect(as->as_root, a[1], a[2], (int)a[3]);
	as_flush(as);
	return 0;
}
