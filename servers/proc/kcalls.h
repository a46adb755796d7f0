/*
 * Every kernel call the proc server makes goes through these wrappers.
 * Each returns 0 or a positive errno: the kernel's -E_* turned once, here
 * (kerrno() in kcalls.c; the E_* numbers are errno's), so a call reads
 * `if ((err = k_as_clone(...)))`; what a process is then told is the
 * caller's choice (illumos: ENOMEM kept where it is kept, EAGAIN otherwise).
 * They count calls, and (PROC_FAULT_INJECT) make the n-th one that takes
 * something (an allocation, a handle, a thread) fail with ENOMEM so tests
 * can walk every unwind path.  The host tests link a fake
 * of this interface instead (test/host/fake_kcalls.c).
 */
#ifndef PROC_KCALLS_H
#define PROC_KCALLS_H
#include <stdint.h>
#include <stdbool.h>
#include "uapi/abi.h"
#include "uapi/msg.h"           /* handle_t, struct msg */

int k_as_create(handle_t *as);
int k_as_clone(handle_t src, handle_t *as);
int k_as_map(handle_t as, uint64_t va, uint64_t len, int prot);
int k_as_copy(handle_t as, uint64_t dst, const void *src, uint64_t len);
int k_as_protect(handle_t as, uint64_t va, uint64_t len, int prot);
int k_cspace_create(handle_t *cs);
int k_cspace_clone(handle_t src, handle_t *cs);
int k_cspace_clear(handle_t cs);
int k_cspace_limit(handle_t cs, uint64_t max, uint64_t *used);   /* objects its threads may make */
int k_handle_give(handle_t cs, handle_t h, uint32_t mask, uint64_t badge, handle_t *out);
int k_handle_replace(handle_t cs, handle_t h, handle_t src, uint32_t mask, uint64_t badge);
int k_handle_dup(handle_t h, uint32_t mask, uint64_t badge, handle_t *out);
int k_handle_close(handle_t h);
int k_thread_create(handle_t as, handle_t cs, int prio, handle_t fault_ep, handle_t *th);
int k_thread_clone(handle_t src, handle_t as, handle_t cs, handle_t fault_ep, int mode, uint64_t w0, handle_t *th);
int k_thread_start(handle_t th, uint64_t pc, uint64_t sp, uint64_t a0, uint64_t tp);
int k_thread_resume(handle_t th);
int k_thread_suspend(handle_t th);
int k_thread_destroy(handle_t th);
int k_thread_set_prio(handle_t th, int prio);
int k_thread_tid(handle_t th, uint64_t *tid);
int k_thread_name(handle_t th, const char *name, size_t len);
int k_thread_times(handle_t th, uint64_t *user_ns, uint64_t *sys_ns);
int k_thread_interrupt(handle_t th, bool *hit);      /* *hit: a call it was blocked in fails with EINTR */
int k_thread_read_regs(handle_t th, struct user_regs *r);
int k_thread_write_regs(handle_t th, const struct user_regs *r);
int k_reply_save(handle_t *h);
int k_ntfn_create(handle_t *n);
int k_ntfn_bind(handle_t n, handle_t th);
int k_as_map_device(handle_t dev, handle_t as, uint64_t va, uint64_t pa, uint64_t len);
int k_reply_send(handle_t reply, struct msg *m);   /* answer a saved reply (consumes it) */
int k_poweroff(handle_t sysctl);                      /* returns only if it failed */
int k_trace(handle_t sysctl, int op, void *recs, uint64_t max, uint64_t first, uint64_t *n, uint64_t *dropped);
/* the file server's control messages (uapi/fs.h FS_P*): 0, the server's errno or the kernel's; no fs: 0 */
int k_fs_ctl(uint32_t op, uint64_t a, uint64_t b);
extern handle_t kcalls_sysctl;         /* a sysctl with R_CONTROL: k_as_create, k_cspace_create */
extern handle_t kcalls_fs_ep;          /* the fs endpoint (badge 0), -1: no file server */

void kcalls_fail_nth(uint64_t n);       /* 0: off */
extern uint64_t kcalls_count;
#endif
