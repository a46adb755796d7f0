/*
 * The proc server's protocol, shared by servers/proc and the libc stubs.
 * A request is a call on the process's proc handle (badge = its pid, given by
 * the proc server); the kernel adds the calling thread's id (a7).  The reply
 * label is 0 or a positive errno; results are in the words.
 * docs/proc-protocol.md describes every message.
 */
#ifndef UAPI_PROC_H
#define UAPI_PROC_H
#include <stdint.h>

enum {
	PROC_FORKSYS = 1,   /* w0 subcode (FORK_*), w1 flags -> w0 child pid, w1 0; child: w0 ppid, w1 1 */
	PROC_EXIT,          /* w0 exit code: no reply */
	PROC_WAITID,        /* w0 idtype, w1 id, w2 options -> w0 pid (0: none yet, PW_NOHANG), w1 code, w2 status,
	                       w3 wait status, w4 w5 the child's user, system ns (with its waited-for children) */
	PROC_GETPID,        /* -> w0 pid, w1 ppid, w2 pgid, w3 sid, w4 real uid, w5 real gid, w6 task, w7 project */
	PROC_SETSID,        /* -> w0 sid */
	PROC_SETPGID,       /* w0 pid (0 self), w1 pgid (0: = pid) */
	PROC_GETSID,        /* w0 pid (0 self) -> w0 sid */
	PROC_GETPGID,       /* w0 pid (0 self) -> w0 pgid */
	PROC_LWP_CREATE,    /* w0 pc, w1 sp, w2 arg, w3 tp, w4 0 (the creator's scheduling) or
	                       1 + (policy << 8 | priority) -> w0 lwp id (1: an image's first; fork keeps them) */
	PROC_LWP_EXIT,      /* no reply: this lwp is gone (the last one: the process exits 0) */
	PROC_RCTL_GET,      /* w0 rctl (RCTL_*), w1 entity id (-1: the caller's) -> w0 value, w1 entity id,
	                       w2 usage now (processes, lwps, tasks, bytes; UINT64_MAX: not kept here) */
	PROC_RCTL_SET,      /* w0 rctl, w1 entity id (-1: the caller's), w2 value; raising needs uid 0 */
	PROC_NEWTASK,       /* w0 project id (-1: the current one) -> w0 new task id */
	PROC_SETUID,        /* w0 uid, w1 gid: every uid and gid, real, effective and saved; uid 0 only */
	PROC_SPAWN,         /* buffer "name arg arg...", optional handle -> w0 pid (a child from the boot archive) */
	PROC_EXEC,          /* buffer "name arg arg...": replace this process's image; no reply on success */
	PROC_LIST,          /* -> buffer of struct proc_info, w0 count */
	PROC_FORKSTAT,      /* w0 zone id (-1: own) -> w0 cap, w1 nomem, w2 misc, w3 noproc, w4 fork_fail_pending */
	PROC_SYSCONF,       /* w0 SYSCONF_*, w1 new value or -1 to read -> w0 value; setting needs uid 0 */
	PROC_SIGPOLL,       /* -> w0 pending signal mask, cleared (SIGCHLD's bit: a child exited, stopped or went on) */
	PROC_FAULT_INJECT,  /* w0 n: the n-th kernel call the proc server makes from now fails; uid 0 */
	PROC_POWEROFF,      /* uid 0 */
	PROC_KILL,          /* w0 pid (0: own group, -1: all but init and self, < -1: group -pid), w1 signal
	                       0..PROC_NSIG-1 -> w1..w5 (a signal taken for the caller) */
	PROC_SBRK,          /* w0 bytes to add (page-rounded) -> w0 the old break; fresh zeroed memory */
	PROC_SIGACTION,     /* w0 signal, w1 SIGDISP_*, w2 the trampoline (CATCH), w3 sa_mask, w4 SIGACT_*:
	                       what a signal does */
	PROC_TTY_QUERY,     /* terminal only: w0 pid, w1 pgid, w2 sid the terminal belongs to, w3 1: pid's
	                       session takes the terminal -> w0 pid's sid, w1 pgid's sid (0: no such group),
	                       w2 1 if session w2 still exists, w3 pid's process group */
	PROC_TRACE,         /* uid 0: w0 TRACE_START (name every lwp, start the kernel's IPC trace),
	                       TRACE_STOP -> w0 records, w1 dropped; TRACE_READ w1 first record ->
	                       buffer of struct trace_rec, w0 count (at most 256) */
	PROC_CONSOLE,       /* uid 0: start the console server (/sbin/console) on the UART root handed
	                       us, as a child of the caller -> w0 pid; EBUSY: one runs; ENODEV: no UART */
	/* signals per lwp: a reply with w1 != 0 names a caught signal taken for the caller, whose
	   handler libc runs before the call returns, then puts back the mask w2 (PROC_SIGMASK);
	   w3..w5 are what its siginfo_t says (SIGINFO_W*) */
	PROC_SIGMASK,       /* w0 SIG_BLOCK/SIG_UNBLOCK/SIG_SETMASK, w1 set -> w0 the old mask, w1, w2 */
	PROC_SIGPENDING,    /* -> w0 signals pending for the caller or its process that it blocks */
	PROC_SIGSUSPEND,    /* w0 mask: held until a caught signal (w1, w2; label 0, and libc says
	                       EINTR) or one that ends the process */
	PROC_SIGWAIT,       /* w0 set, w1 timeout in ns, w2 1: timed (w1 0: poll) -> w0 signal taken,
	                       w3..w5 its siginfo; EAGAIN (time out), EINTR (a caught signal outside set came) */
	PROC_LWP_KILL,      /* w0 lwp id (0: the caller), w1 signal: sent to that lwp -> w1..w5 */
	/* credentials: real, effective and saved uid and gid, supplementary groups */
	PROC_GETCRED,       /* -> w0 ruid, w1 euid, w2 suid, w3 rgid, w4 egid, w5 sgid, w6 ngroups,
	                       buffer the groups (uint32_t each) */
	PROC_SETCRED,       /* w0 CRED_*, w1 id (setre*: real), w2 (setre*: effective); -1 unchanged */
	PROC_SETGROUPS,     /* buffer of uint32_t gids (at most NGROUPS_MAX): uid 0 only */
	PROC_SCHED,         /* w0 SCHEDOP_*, w1 lwp id or pid (0: the caller's), w2 policy, w3 priority
	                       -> w0 policy, w1 priority (SET: the old ones) */
	PROC_SIGQUEUE,      /* w0 pid (> 0), w1 signal, w2 value: queued with it (SI_QUEUE) -> w1..w5;
	                       EAGAIN: SIGQUEUE_MAX of the target's are queued */
	PROC_SIGALTSTACK,   /* w0 1: set, w1 base, w2 size, w3 SIGSTACK_DISABLE or 0, w4 the caller's sp
	                       -> w0 base, w1 size, w2 SIGSTACK_* before (ONSTACK: w4 is on it, and a set
	                       fails EPERM); ENOMEM: size < SIGSTACK_MIN */
	PROC_SETITIMER,     /* w0 ITIMER_REAL (0; the others EINVAL), w1 1: set (0: only read), w2 value in ns
	                       (0: disarm), w3 interval in ns -> w0 time left in ns, w1 interval (before) */
	PROC_TIMES,         /* w0 TIMES_* (LWP: w1 lwp id, 0 the caller) -> w0 user ns, w1 system ns;
	                       ESRCH: no such lwp; EINVAL: w0 */
	PROC_UMASK,         /* w0 1: set w1 (& 0777), 0: only read -> w0 the mask before */
	PROC_NMSG
};

enum { TIMES_SELF, TIMES_CHILDREN, TIMES_LWP };   /* PROC_TIMES: the process, its waited-for children, one lwp */
enum { SCHEDOP_GET_LWP, SCHEDOP_SET_LWP, SCHEDOP_GET_PROC, SCHEDOP_SET_PROC };   /* PROC_SCHED */
/* policies (picolibc's SCHED_OTHER 0, SCHED_RR 2; SCHED_FIFO is refused) and priorities:
   SCHED_OTHER's only priority is 0, the kernel's 10 (every process's); SCHED_RR's are 1..19,
   the kernel's own numbers, time-sliced; above 10 needs effective uid 0; servers run at 20+ */
#define SCHED_RR_MIN 1
#define SCHED_RR_MAX 19
#define SCHED_KPRIO_DEFAULT 10

enum { CRED_SETUID = 1, CRED_SETEUID, CRED_SETREUID, CRED_SETGID, CRED_SETEGID, CRED_SETREGID };  /* PROC_SETCRED */

enum { SIGDISP_DFL, SIGDISP_IGN, SIGDISP_CATCH };   /* PROC_SIGACTION w1; CATCH: w2 the trampoline */
#define SIGACT_RESETHAND 0x1    /* PROC_SIGACTION w4: the default action is back once a handler starts */
#define SIGACT_NODEFER   0x2    /* ... the signal is not blocked while its handler runs */
#define SIGACT_NOCLDSTOP 0x4    /* SIGCHLD only: none for a child's stop or continue */
#define SIGACT_NOCLDWAIT 0x8    /* SIGCHLD only: children leave no zombie (SIG_IGN does the same) */
#define SIGACT_ONSTACK   0x10   /* the handler runs on the lwp's alternate stack, if it has one */

/*
 * Signal numbers: picolibc's 1..31, 32 libc's own (thread cancellation),
 * then the realtime ones, queued with their values.  Sets are 64-bit words,
 * signal s at bit s (bit 0 unused).
 */
#define PROC_NSIG      64
#define PROC_SIGCANCEL 32
#define PROC_SIGRTMIN  33
#define PROC_SIGRTMAX  63
#define PROC_SIGQUEUE_MAX 32   /* realtime signals queued for one process at most */
#define SIGSTACK_ONSTACK 1     /* PROC_SIGALTSTACK: <signal.h>'s SS_ONSTACK, SS_DISABLE, MINSIGSTKSZ */
#define SIGSTACK_DISABLE 2
#define SIGSTACK_MIN 2048

/*
 * What a taken signal's siginfo_t says, in three message (or frame) words:
 * SIGINFO_W0 code (int32) | pid << 32, W1 uid | status << 32, W2 the value
 * (sigqueue, timers) or the faulting address.  Codes are illumos's.
 */
#define SIGINFO_W0(code, pid) ((uint64_t)(uint32_t)(code) | (uint64_t)(uint32_t)(pid) << 32)
#define SIGINFO_W1(uid, status) ((uint64_t)(uint32_t)(uid) | (uint64_t)(uint32_t)(status) << 32)
#define SI_NOINFO_CODE 32767    /* sent by the system with nothing to tell (the terminal, ...) */
#define SICODE_SI_USER     0    /* kill */
#define SICODE_SI_LWP    (-1)   /* pthread_kill, raise */
#define SICODE_SI_QUEUE  (-2)   /* sigqueue */
#define SICODE_SI_TIMER  (-3)
#define SICODE_SI_MESGQ  (-5)
#define SICODE_CLD_EXITED    1  /* SIGCHLD: si_status the exit code */
#define SICODE_CLD_KILLED    2  /* ... the signal */
#define SICODE_CLD_STOPPED   5
#define SICODE_CLD_CONTINUED 6
#define SICODE_ILL_ILLOPC    1  /* faults: si_addr (W2) the instruction or the address */
#define SICODE_TRAP_BRKPT    1
#define SICODE_BUS_ADRALN    1
#define SICODE_SEGV_MAPERR   1
#define SICODE_SEGV_ACCERR   2

/*
 * A caught signal: the proc server stops the lwp, makes a kernel call it is
 * blocked in fail with EINTR, pushes this frame below its stack pointer and
 * starts it at the trampoline with a0 = the signal, a1 = sp = the frame.
 * The trampoline (lib/libc/sigtramp.S) keeps the FP registers in the frame,
 * runs the handler, puts `mask` back and resumes `regs` (SYS_THREAD_SETCONTEXT).
 */
struct sigframe {
	uint64_t regs[33];        /* struct user_regs: pc, x0..x31 */
	uint64_t fregs[32];       /* filled by the trampoline */
	uint64_t fcsr;
	uint64_t sig;
	uint64_t mask;            /* the lwp's mask before the handler: libc puts it back (PROC_SIGMASK) */
	uint64_t info[3];         /* its siginfo_t: SIGINFO_W0, W1, W2 */
	uint64_t pad;
};

/*
 * The console server's proc handle carries this badge instead of a pid: it
 * may send PROC_KILL to a process group (^C, ^Z; never to init) and
 * PROC_TTY_QUERY, nothing else.
 */
#define PROC_BADGE_TTY (1ull << 61)
#define TTY_CONSOLE 1              /* the console's terminal id (struct session s_ctty) */
#define CONSOLE_UART_VA 0x50000000ul   /* where the console server finds the UART's registers */

/* forksys subcodes and flags (illumos) */
#define FORK_FORK1    0
#define FORK_FORKALL  1
#define FORK_VFORK    2
#define FORK_NOSIGCHLD 0x1
#define FORK_WAITPID   0x2

/* waitid */
#define IDT_PID  0
#define IDT_PGID 2
#define IDT_ALL  7
#define PW_EXITED 0x1
#define PW_TRAPPED 0x2
#define PW_STOPPED 0x4
#define PW_CONTINUED 0x8
#define PW_NOHANG 0x40
#define PW_NOWAIT 0x80
#define PCLD_EXITED 1
#define PCLD_KILLED 2
#define PCLD_STOPPED 5
#define PCLD_CONTINUED 6

/* resource controls: (entity, name) */
enum {
	RCTL_PROCESS_MAX_FD,           /* process.max-file-descriptor */
	RCTL_PROCESS_MAX_STACK,        /* process.max-stack-size */
	RCTL_PROCESS_MAX_AS,           /* process.max-address-space: bytes mapped (image, stack, heap) */
	RCTL_PROCESS_MAX_KOBJ,         /* process.max-kernel-objects: endpoints, notifications, saved
	                                  replies it made that live (wherever their handles went) */
	RCTL_TASK_MAX_PROCS,           /* task.max-processes */
	RCTL_TASK_MAX_LWPS,            /* task.max-lwps */
	RCTL_TASK_MAX_AS,              /* task.max-address-space: its processes' bytes together */
	RCTL_PROJECT_MAX_PROCS,        /* project.max-processes */
	RCTL_PROJECT_MAX_LWPS,         /* project.max-lwps */
	RCTL_PROJECT_MAX_TASKS,        /* project.max-tasks */
	RCTL_ZONE_MAX_PROCS,           /* zone.max-processes */
	RCTL_ZONE_MAX_LWPS,            /* zone.max-lwps */
	RCTL_ZONE_MAX_SWAP,            /* zone.max-swap: bytes its processes reserve */
	RCTL_N
};
#define RCTL_NPROCESS 4                /* the first ones are per process, copied on fork */
#define RCTL_UNLIMITED UINT64_MAX

enum {
	SYSCONF_MAXPID,     /* highest pid handed out */
	SYSCONF_NPROC_MAX,  /* v_proc: processes in the system */
	SYSCONF_MAXUP,      /* v_maxup: processes per user (uid 0 exempt) */
	SYSCONF_NPROC,      /* read only: processes now */
};

enum { PS_IDLE = 1, PS_RUN, PS_ZOMB, PS_STOP };   /* PS_STOP: running, but stopped by a signal */

struct proc_info {
	int32_t pid, ppid, pgid, sid, uid, gid;
	int32_t task, project, zone, nlwp;
	int32_t state;            /* PS_* */
	int32_t exit_status;
	char name[16];
};

#define HEAP_BASE 0x40000000ull   /* where a process's break starts */
#define HEAP_MAX  (1ull << 30)

#define SIGCHLD_BIT (1u << 20)   /* SIGCHLD: picolibc's <signal.h> numbers (illumos has 18) */
#define SIGSEGV_NO 11
#define SIGILL_NO 4
#define SIGKILL_NO 9
#endif
