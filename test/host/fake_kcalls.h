/*
 * fake_kcalls.h - the tests' window on fake_kcalls.c, the proc server's
 * kernel calls (servers/proc/kcalls.h) faked for the host tests: what a
 * handler took, gave back or leaked, and objects to set a test up with.
 */
#ifndef TEST_FAKE_KCALLS_H
#define TEST_FAKE_KCALLS_H
#include <stdbool.h>
#include <stdint.h>
#include "kcalls.h"

enum { T_NEW = 1, T_RUN, T_SUSP, T_DEAD };   /* a fake thread's state */

void fake_reset(void);                     /* nothing exists, nothing counted */
int fake_live_objects(void);
int fake_live_handles(void);
long fake_pages(void);                     /* pages of every address space alive */
int fake_bad_calls(void);                  /* calls with a bad handle, CLONE_INTR of a running thread */
int fake_fs_tables(void);                  /* descriptor tables the fs server would hold */
int fake_uncleared_cspaces(void);          /* handle tables that died with handles in them */
int fake_poweroffs(void);                  /* k_poweroff calls */
int fake_trace_ops(void);                  /* k_trace calls */
void fake_fail_code(int code);             /* what injected failures return (E_*; E_NOMEM until fake_reset) */
const char *fake_take_failed(void);        /* the call an injected failure hit since last asked, or NULL */
void fake_caller(int who);                 /* the next saved reply answers who */
handle_t fake_ep_new(void);
handle_t fake_cspace_new(void);
uint64_t fake_cspace_limit(handle_t cs);       /* what k_cspace_limit last set on it (0: never) */
handle_t fake_as_new(long npages);
handle_t fake_thread_new(handle_t as, handle_t cs, uint64_t *tid);   /* running, as spawn makes one */
int fake_obj(handle_t h);                  /* the object h names, 0 none */
bool fake_obj_alive(int obj);              /* a handle or a thread still holds it */
long fake_as_pages(handle_t h);
int fake_as_prot(handle_t as, uint64_t va);   /* PROT_* of the page at va, 0 not mapped */
int fake_as_read(handle_t as, uint64_t va, void *buf, uint64_t len);   /* what was copied there; -1 unmapped */
int fake_thread_state(handle_t h);
int fake_thread_mode(handle_t h);          /* CLONE_*, -1 for k_thread_create */
int fake_thread_prio(handle_t h);          /* its priority: k_thread_create's, a clone's source's, set */
uint64_t fake_thread_w0(handle_t h);
int fake_thread_src(handle_t h);
int fake_thread_as(handle_t h);
struct user_regs *fake_thread_regs(handle_t h);   /* its registers: set them, or see what was written */
int fake_thread_interrupts(handle_t h);   /* k_thread_interrupt calls on it */
int fake_nreplies(void);                   /* replies answered or dropped so far */
int fake_reply(int i, int *who, uint32_t *label, uint64_t *w);   /* the i-th: 0 answered, 1 dropped */
#endif
