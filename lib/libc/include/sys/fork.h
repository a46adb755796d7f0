/* illumos's fork family: <sys/fork.h> */
#ifndef _SYS_FORK_H
#define _SYS_FORK_H
#include <sys/types.h>

#ifndef FORK_NOSIGCHLD
#define FORK_NOSIGCHLD 0x1   /* no SIGCHLD to the parent when the child exits */
#define FORK_WAITPID   0x2   /* reaped only by a wait that names the child */
#endif

pid_t fork1(void);           /* only the calling thread is copied (= fork) */
pid_t forkall(void);         /* every thread is copied */
pid_t forkx(int flags);
pid_t forkallx(int flags);
#endif
