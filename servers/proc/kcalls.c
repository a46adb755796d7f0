/* The proc server's kernel calls: see kcalls.h. */
#include <errno.h>
#include "sys.h"
#include "kcalls.h"
#include "uapi/fs.h"

uint64_t kcalls_count;           /* every kernel call made */
static uint64_t injectable;      /* calls that may fail (the ones that take something) */
static uint64_t fail_at;         /* the injectable call that is to fail, 0 = none */

void kcalls_fail_nth(uint64_t n)
{
	fail_at = n ? injectable + n : 0;
}

/* count the call; true if this one is to fail */
static int injected(void)
{
	kcalls_count++;
	injectable++;
	if (fail_at && injectable == fail_at) {
		fail_at = 0;
		return 1;
	}
	return 0;
}
/* the one place a kernel call's status becomes an errno: -E_X is X (uapi/abi.h) */
static int kerrno(long r)
{
	return r < 0 ? (int)-r : 0;
}
#define CALL(expr) (injected() ? ENOMEM : kerrno(expr))

handle_t kcalls_sysctl = -1;     /* R_CONTROL: address spaces and handle tables */

int k_as_create(handle_t *as) { return CALL(as_create(kcalls_sysctl, as)); }
int k_as_clone(handle_t src, handle_t *as) { return CALL(as_clone(src, as)); }
int k_as_map(handle_t as, uint64_t va, uint64_t len, int prot) { return CALL(as_map(as, va, len, prot)); }
int k_as_copy(handle_t as, uint64_t dst, const void *src, uint64_t len) { return CALL(as_copy_all(as, dst, src, len)); }
int k_as_protect(handle_t as, uint64_t va, uint64_t len, int prot) { return CALL(as_protect(as, va, len, prot)); }
int k_cspace_create(handle_t *cs) { return CALL(cspace_create(kcalls_sysctl, cs)); }
int k_cspace_clone(handle_t src, handle_t *cs) { return CALL(cspace_clone(src, cs)); }
int k_cspace_limit(handle_t cs, uint64_t max, uint64_t *used)
{
	return CALL(cspace_limit(cs, max > UINT32_MAX ? UINT32_MAX : max, used));   /* unlimited: the kernel's most */
}
int k_handle_give(handle_t cs, handle_t h, uint32_t mask, uint64_t badge, handle_t *out)
{ return CALL(handle_give(cs, h, mask, badge, out)); }
int k_handle_replace(handle_t cs, handle_t h, handle_t src, uint32_t mask, uint64_t badge)
{ return CALL(handle_replace(cs, h, src, mask, badge)); }
int k_handle_dup(handle_t h, uint32_t mask, uint64_t badge, handle_t *out) { return CALL(handle_dup(h, mask, badge, out)); }
int k_thread_create(handle_t as, handle_t cs, int prio, handle_t fault_ep, handle_t *th)
{ return CALL(thread_create(as, cs, prio, fault_ep, th)); }
int k_thread_clone(handle_t src, handle_t as, handle_t cs, handle_t fault_ep, int mode, uint64_t w0, handle_t *th)
{ return CALL(thread_clone(src, as, cs, fault_ep, mode, w0, th)); }
int k_reply_save(handle_t *h) { return CALL(reply_save(h)); }
int k_ntfn_create(handle_t *n) { return CALL(ntfn_create(n)); }
int k_ntfn_bind(handle_t n, handle_t th) { return CALL(ntfn_bind(n, th)); }
int k_as_map_device(handle_t dev, handle_t as, uint64_t va, uint64_t pa, uint64_t len)
{ return CALL(as_map_device(dev, as, va, pa, len)); }

/* releasing never fails on purpose: an unwind must always be able to run */
int k_cspace_clear(handle_t cs) { kcalls_count++; return kerrno(cspace_clear(cs)); }
int k_handle_close(handle_t h) { kcalls_count++; return kerrno(handle_close(h)); }
int k_thread_destroy(handle_t th) { kcalls_count++; return kerrno(thread_destroy(th)); }
int k_thread_set_prio(handle_t th, int prio) { kcalls_count++; return kerrno(thread_set_prio(th, prio)); }
/* starting what was just built is the commit point: it must not fail by injection either */
int k_thread_start(handle_t th, uint64_t pc, uint64_t sp, uint64_t a0, uint64_t tp)
{ kcalls_count++; return kerrno(thread_start(th, pc, sp, a0, tp)); }
int k_thread_resume(handle_t th) { kcalls_count++; return kerrno(thread_resume(th)); }
/* holding a live lwp cannot fail for want of memory: not an injection point */
int k_thread_suspend(handle_t th) { kcalls_count++; return kerrno(thread_suspend(th)); }
int k_reply_send(handle_t reply, struct msg *m) { kcalls_count++; return kerrno(ipc_send(reply, m, NULL)); }

int k_poweroff(handle_t sysctl) { kcalls_count++; return kerrno(sys_poweroff(sysctl)); }
int k_trace(handle_t sysctl, int op, void *recs, uint64_t max, uint64_t first, uint64_t *n, uint64_t *dropped)
{
	kcalls_count++;
	return kerrno(sys_trace(sysctl, op, recs, max, first, n, dropped));
}

handle_t kcalls_fs_ep = -1;

/* a new table (FS_PNEW, FS_PFORK) takes something: injectable; closing one is not */
int k_fs_ctl(uint32_t op, uint64_t a, uint64_t b)
{
	struct msg m = { .info = IPC_INFO(op, 2), .w = { a, b } };
	long r;
	if (kcalls_fs_ep < 0)
		return 0;
	if (op == FS_PNEW || op == FS_PFORK) {
		if (injected())
			return ENOMEM;
	} else {
		kcalls_count++;
	}
	r = ipc_call(kcalls_fs_ep, &m, NULL);
	return r < 0 ? kerrno(r) : (int)IPC_LABEL(m.info);
}

/* a signal's delivery: nothing is taken, so nothing to inject */
int k_thread_interrupt(handle_t th, bool *hit)
{
	uint64_t out[3];
	long r;
	kcalls_count++;
	r = sys_call6(SYS_THREAD_INTERRUPT, (uint64_t)th, 0, 0, 0, 0, 0, out);
	*hit = r == 0 && out[0] == 1;
	return kerrno(r);
}
int k_thread_read_regs(handle_t th, struct user_regs *r) { kcalls_count++; return kerrno(thread_read_regs(th, r)); }
int k_thread_write_regs(handle_t th, const struct user_regs *r) { kcalls_count++; return kerrno(thread_write_regs(th, r)); }

/* a read: never made to fail by PROC_FAULT_INJECT (lwp_remove, which has no way to fail, uses it) */
int k_thread_times(handle_t th, uint64_t *user_ns, uint64_t *sys_ns) { kcalls_count++; return kerrno(thread_times(th, user_ns, sys_ns)); }

int k_thread_name(handle_t th, const char *name, size_t len)
{
	kcalls_count++;
	return kerrno(thread_name(th, name, len));
}

int k_thread_tid(handle_t th, uint64_t *tid)
{
	uint64_t type, rights;
	kcalls_count++;
	return kerrno(handle_info(th, &type, &rights, tid));
}
