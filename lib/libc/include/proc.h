/*
 * Our own calls beyond POSIX, over the proc server's protocol (uapi/proc.h):
 * resource controls, tasks, the process listing, spawning from the boot
 * archive, lwps, fault injection.  Each returns -1 and sets errno on failure.
 * The POSIX calls are in the standard headers this one includes.
 */
#ifndef LIBC_PROC_H
#define LIBC_PROC_H
#include <stdint.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/fork.h>
#include <signal.h>
#include "sys.h"
#include "uapi/proc.h"

int waitid_(int idtype, int id, int options, int *code, int *status);   /* -> pid, 0 if none (WNOHANG) */
int proc_getrctl(int rctl, int64_t id, uint64_t *val);
int proc_setrctl(int rctl, int64_t id, uint64_t val);
int proc_rctl_usage(int rctl, int64_t id, uint64_t *usage);   /* UINT64_MAX: not kept by the proc server */
int proc_newtask(int64_t project);              /* -> task id */
int proc_setuid(uint32_t uid, uint32_t gid);
int proc_spawn(const char *cmd, handle_t cap);  /* "path arg arg..." -> pid; the child inherits our fds */
int proc_exec(const char *cmd);                 /* "path arg arg...": returns only on failure */
int proc_list(struct proc_info *out, int max);  /* -> count */
int proc_forkstat(int64_t zone, uint64_t out[5]);
int proc_sysconf(int which, int64_t value);     /* value -1 reads */
uint32_t proc_sigpoll(void);
int proc_fault_inject(uint64_t n);
int proc_poweroff(void);
pid_t proc_console(void);                       /* uid 0: start the console server -> its pid */
void *proc_sbrk(uint64_t incr);                 /* (void *)-1 on failure */
int proc_ids(uint64_t out[8]);                  /* pid ppid pgid sid uid gid task project */
/* the kernel's IPC trace (uid 0): TRACE_START; TRACE_STOP -> out[0] records, out[1] dropped;
 * TRACE_READ: records from `first` into recs[max] -> count */
int proc_trace(int op, uint64_t first, struct trace_rec *recs, int max, uint64_t out[2]);
int lwp_create(void (*fn)(uint64_t), uint64_t arg, void *stack_top);   /* -> lwp id */
__attribute__((noreturn)) void lwp_exit(void);
#endif
