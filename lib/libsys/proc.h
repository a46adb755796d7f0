/*
 * Process calls: stubs over the proc server's protocol (uapi/proc.h).
 * Each returns -1 and sets errno on failure, as POSIX calls do.
 * (Issue 6 moves these behind <unistd.h> and <sys/wait.h>.)
 */
#ifndef LIBSYS_PROC_H
#define LIBSYS_PROC_H
#include <stdint.h>
#include "sys.h"
#include "uapi/proc.h"

__attribute__((noreturn)) void _exit(int code);
int fork(void);
int fork1(void);
int forkall(void);
int forkx(int flags);
int forkallx(int flags);
int vfork(void);
int waitpid(int pid, int *status, int options);
int waitid_(int idtype, int id, int options, int *code, int *status);   /* -> pid, 0 if none (WNOHANG) */
int getpid(void);
int getppid(void);
int setsid(void);
int setpgid(int pid, int pgid);
int getsid(int pid);
int getpgid(int pid);
int proc_getrctl(int rctl, int64_t id, uint64_t *val);
int proc_setrctl(int rctl, int64_t id, uint64_t val);
int proc_newtask(int64_t project);              /* -> task id */
int proc_setuid(uint32_t uid, uint32_t gid);
int proc_spawn(const char *cmd, handle_t cap);  /* -> pid */
int proc_exec(const char *cmd);                 /* returns only on failure */
int proc_list(struct proc_info *out, int max);  /* -> count */
int proc_forkstat(int64_t zone, uint64_t out[5]);
int proc_sysconf(int which, int64_t value);     /* value -1 reads */
uint32_t proc_sigpoll(void);
int proc_fault_inject(uint64_t n);
int proc_poweroff(void);
int kill(int pid, int sig);
void *proc_sbrk(uint64_t incr);                /* (void *)-1 on failure */
int proc_ids(uint64_t out[8]);                  /* pid ppid pgid sid uid gid task project */
int lwp_create(void (*fn)(uint64_t), uint64_t arg, void *stack_top);   /* -> lwp id */
__attribute__((noreturn)) void lwp_exit(void);

/* wait status */
#define WIFEXITED(s)   (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0)
#define WTERMSIG(s)    ((s) & 0x7f)
#endif
