/*
 * <sys/wait.h> for our C library (it replaces picolibc's, which has no
 * waitid).  The option and idtype values are illumos's, which are also the
 * proc server's (uapi/proc.h PW_*, IDT_*): libc passes them through.
 * A status is code << 8 (exited), the signal (killed), sig << 8 | 0x7f
 * (stopped), 0xffff (continued).
 */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H
#include <sys/types.h>
#include <signal.h>

#define WEXITED     0x01
#define WTRAPPED    0x02
#define WSTOPPED    0x04
#define WUNTRACED   WSTOPPED
#define WCONTINUED  0x08
#define WNOHANG     0x40
#define WNOWAIT     0x80

#define WIFEXITED(s)    (((s) & 0xff) == 0)
#define WEXITSTATUS(s)  (((s) >> 8) & 0xff)
#define WIFSIGNALED(s)  (((s) & 0x7f) != 0 && ((s) & 0xff) != 0x7f)
#define WTERMSIG(s)     ((s) & 0x7f)
#define WCOREDUMP(s)    ((s) & 0x80)
#define WIFSTOPPED(s)   (((s) & 0xff) == 0x7f && ((s) & 0xffff) != 0xffff)
#define WSTOPSIG(s)     (((s) >> 8) & 0xff)
#define WIFCONTINUED(s) (((s) & 0xffff) == 0xffff)

typedef enum { P_PID = 0, P_PPID, P_PGID, P_SID, P_CID, P_UID, P_GID, P_ALL } idtype_t;

/* the si_code values waitid reports (CLD_EXITED ...) are <signal.h>'s */

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
/* BSD's, which portable programs (dash) still use: waitpid with the child's CPU times */
struct rusage;
pid_t wait3(int *status, int options, struct rusage *ru);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);
#if __POSIX_VISIBLE                      /* <signal.h> has siginfo_t only then */
int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options);
#endif
#endif
