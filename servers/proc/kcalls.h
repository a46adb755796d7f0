/*
 * Every kernel call the proc server makes goes through these wrappers.
 * They count calls, and (PROC_FAULT_INJECT) make the n-th one that takes
 * something (an allocation, a handle, a thread) fail with
 * -E_NOMEM so tests can walk every unwind path.  The host tests link a fake
 * of this interface instead (test/host/fake_kcalls.c).
 */
#ifndef PROC_KCALLS_H
#define PROC_KCALLS_H
#include <stdint.h>
#include "uapi/abi.h"

typedef int64_t handle_t;
#ifndef LIBSYS_SYS_H
struct msg {
	uint64_t info;
	uint64_t w[IPC_MAX_WORDS];
	uint64_t badge;
	uint64_t tid;
};
#endif

long k_as_create(handle_t *as);
long k_as_clone(handle_t src, handle_t *as);
long k_as_map(handle_t as, uint64_t va, uint64_t len, int prot);
long k_as_copy(handle_t as, uint64_t dst, const void *src, uint64_t len);
long k_as_protect(handle_t as, uint64_t va, uint64_t len, int prot);
long k_cspace_create(handle_t *cs);
long k_cspace_clone(handle_t src, handle_t *cs);
long k_cspace_clear(handle_t cs);
long k_handle_give(handle_t cs, handle_t h, uint32_t mask, uint64_t badge, handle_t *out);
long k_handle_replace(handle_t cs, handle_t h, handle_t src, uint32_t mask, uint64_t badge);
long k_handle_dup(handle_t h, uint32_t mask, uint64_t badge, handle_t *out);
long k_handle_close(handle_t h);
long k_thread_create(handle_t as, handle_t cs, int prio, handle_t fault_ep, handle_t *th);
long k_thread_clone(handle_t src, handle_t as, handle_t cs, handle_t fault_ep, int mode, uint64_t w0, handle_t *th);
long k_thread_start(handle_t th, uint64_t pc, uint64_t sp, uint64_t a0, uint64_t tp);
long k_thread_resume(handle_t th);
long k_thread_suspend(handle_t th);
long k_thread_destroy(handle_t th);
long k_thread_tid(handle_t th, uint64_t *tid);
long k_thread_name(handle_t th, const char *name, size_t len);
long k_thread_interrupt(handle_t th);                 /* 1: a call it was blocked in fails with EINTR */
long k_thread_read_regs(handle_t th, struct user_regs *r);
long k_thread_write_regs(handle_t th, const struct user_regs *r);
long k_reply_save(handle_t *h);
long k_ntfn_create(handle_t *n);
long k_ntfn_bind(handle_t n, handle_t th);
long k_as_map_device(handle_t dev, handle_t as, uint64_t va, uint64_t pa, uint64_t len);
long k_reply_send(handle_t reply, struct msg *m);   /* answer a saved reply (consumes it) */
/* the file server's control messages (uapi/fs.h FS_P*): 0 or a negative error; no fs: 0 */
long k_fs_ctl(uint32_t op, uint64_t a, uint64_t b);
extern handle_t kcalls_sysctl;         /* a sysctl with R_CONTROL: k_as_create, k_cspace_create */
extern handle_t kcalls_fs_ep;          /* the fs endpoint (badge 0), -1: no file server */

void kcalls_fail_nth(uint64_t n);       /* 0: off */
extern uint64_t kcalls_count;
#endif
