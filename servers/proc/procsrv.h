/*
 * The process server: illumos process semantics on top of the microkernel.
 * Every step that touches hardware state is a kernel call through kcalls.h
 * (faked in the host tests); everything else here is bookkeeping.
 *
 * Fields are grouped by what they describe; the server is single-threaded,
 * so no locks: each request runs to completion or is held (vfork, wait,
 * punish delay) with its reply saved.
 *
 * All of the state is one struct system, and every function that reads or
 * changes it is given it as its first argument (sys), as the file server's
 * handlers are given their struct fs: main.c's start-up owns the one
 * instance, the host tests (test/host/test_proc.c) make their own.
 */
#ifndef PROC_PROCSRV_H
#define PROC_PROCSRV_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include "uapi/abi.h"
#include "uapi/proc.h"
#include "kcalls.h"

#define NPROC_TABLE 256          /* table size: the hard ceiling of SYSCONF_NPROC_MAX */
#define MAX_LWPS 16
#define NUID NPROC_TABLE           /* per-user counts: one slot per process at most */
#define NGROUPS_PROC 16            /* NGROUPS_MAX: supplementary groups a process may have */
#define MAXUID 2147483647u         /* the highest uid or gid (illumos) */
#define NTASK 64
#define NPROJECT 16
#define NZONE 2
#define NPUNISH 64               /* failed forks waiting out their punish delay */

struct zone {
	int z_id;
	int z_nprocs, z_nlwps;
	uint64_t z_vsize;            /* bytes its processes reserve (mem.c) */
	uint64_t z_max_procs, z_max_lwps, z_max_swap;
	/* fork failures by kind (illumos zone_ff*) */
	uint32_t z_ffcap, z_ffnomem, z_ffmisc, z_ffnoproc;
};

struct project {
	int kpj_id;                  /* -1: free */
	struct zone *kpj_zone;
	int kpj_nprocs, kpj_ntasks, kpj_nlwps;
	uint64_t kpj_max_procs, kpj_max_tasks, kpj_max_lwps;
};

struct task {
	int tk_id;                   /* 0 when free (task ids start at 1) */
	struct project *tk_proj;
	int tk_nprocs, tk_nlwps;     /* a task lives while it has processes */
	uint64_t tk_vsize;           /* bytes its processes reserve (mem.c) */
	uint64_t tk_max_procs, tk_max_lwps, tk_max_as;
};

struct session {
	int s_sid;                   /* 0: free */
	int s_refs;                  /* processes in it */
	int s_ctty;                  /* controlling terminal (console id), -1 none */
	int s_fg_pgid;               /* foreground process group on the terminal */
};

/*
 * A signal pending, with what its siginfo_t will say (signal.c): on its
 * process's queue p_sigq in the order sent, for the process (q_lwp 0) or
 * for one of its lwps (the lwp id).  A standard signal has at most one per
 * pending set; a realtime one, one for every time it was sent.
 */
#define NSIGQ 4096
struct sigq {
	uint16_t q_next;             /* the next on the queue (or the free list), 0 none */
	uint8_t q_sig;
	int q_lwp;
	int32_t q_code, q_pid;
	uint32_t q_uid;
	int32_t q_status;
	uint64_t q_value;            /* sigqueue's value, or a fault's address */
};

/* what a signal is sent with (siginfo_t's fields); NULL: SI_NOINFO_CODE */
struct ksiginfo {
	int32_t code, pid;
	uint32_t uid;
	int32_t status;
	uint64_t value;
};

struct lwp {
	handle_t l_th;               /* thread handle, -1: free slot */
	uint64_t l_tid;              /* kernel thread id */
	int l_id;                    /* lwp id within the process (1: the first; kept by fork) */
	/* signals (signal.c) */
	uint64_t l_sigmask;          /* what it blocks (signal s at bit s) */
	uint64_t l_sigpend;          /* sent to it (pthread_kill, raise), not yet taken */
	handle_t l_sigwait;          /* held in sigsuspend or sigwait: the reply, -1 none */
	uint64_t l_waitset;          /* sigwait: what it waits for; 0: sigsuspend */
	uint64_t l_oldmask;          /* sigsuspend: the mask to put back after the handler */
	uint64_t l_sigdue;           /* sigtimedwait: answer EAGAIN at this time (0: never) */
	uint64_t l_altbase, l_altsize;   /* sigaltstack: the alternate stack, size 0: none */
	int l_policy, l_schedprio;   /* POSIX scheduling (sched.c): SCHED_OTHER 0 by default */
};

enum pstat { P_FREE = 0, P_IDLE = PS_IDLE, P_RUN = PS_RUN, P_ZOMB = PS_ZOMB };

#define PF_NOSIGCHLD 0x1             /* forkx(FORK_NOSIGCHLD): no SIGCHLD to the parent */
#define PF_WAITPID   0x2             /* forkx(FORK_WAITPID): reaped only by a wait naming it */
#define PF_VFORK     0x4             /* runs in its parent's address space; parent held */
#define PF_EXECED    0x8             /* has exec'd (setpgid by the parent: EACCES) */
#define PF_STOPPED   0x10            /* stopped by a signal: every lwp suspended */
#define PF_WSTOP     0x20            /* a stop the parent's wait has not seen yet */
#define PF_WCONT     0x40            /* a continue the parent's wait has not seen yet */
#define PF_CONSOLE   0x80            /* the console server (PROC_CONSOLE): one at a time */

/*
 * Kernel objects a process may make (process.max-kernel-objects): init's
 * default, inherited by all, and what each one is reserved at (mem.c): the
 * kernel's largest object a program can make is a 128-byte slab slot.
 */
#define KOBJ_DEFAULT 256
#define KOBJ_BYTES   128ull

struct proc {
	/* identity and family */
	int p_pid;
	enum pstat p_stat;
	struct proc *p_parent;
	char p_name[16];
	/* credentials (cred.c): the effective ids are p_uid, p_gid, what every privilege check reads */
	uint32_t p_uid, p_gid;
	uint32_t p_ruid, p_suid, p_rgid, p_sgid;   /* real and saved */
	uint32_t p_groups[NGROUPS_PROC];           /* supplementary groups */
	uint32_t p_cmask;                          /* the file mode creation mask (umask), 0777 bits */
	int p_ngroups;
	uint32_t p_flag;
	/* job control */
	struct session *p_sess;
	int p_pgid;
	/* resource accounting */
	struct task *p_task;
	struct zone *p_zone;
	uint64_t p_rctl[RCTL_NPROCESS];  /* the process's own rctl set (copied on fork) */
	/* what the kernel holds for it */
	handle_t p_as, p_cs;
	handle_t p_h_proc;               /* handle number of the proc endpoint in its table */
	handle_t p_h_console;            /* ... and of the console endpoint (-1 none) */
	handle_t p_h_fs;                 /* ... and of the file server endpoint (-1 none) */
	uint64_t p_brk;                  /* end of the heap (PROC_SBRK), from HEAP_BASE */
	uint64_t p_vsize;                /* bytes reserved for its address space (mem.c); 0 while a
	                                    vfork child borrows its parent's */
	struct lwp p_lwp[MAX_LWPS];
	int p_nlwp;
	/* held replies */
	handle_t p_vfwait;               /* vfork child: its parent's held fork reply, -1 none */
	handle_t p_wait_reply;           /* blocked in waitid: the held reply, -1 none */
	int p_wait_idtype, p_wait_id, p_wait_opts;
	uint64_t p_wait_tid;             /* the lwp whose wait is held */
	/* exit */
	int p_wstat;                     /* wait status: code << 8 | signal */
	/* signals (1..PROC_NSIG-1, bit s of a set; signal.c); each lwp has its mask and its own
	   pending set, and each signal pending its siginfo in the queue p_sigq */
	uint64_t p_sigpend;              /* sent to the process, not yet taken by an lwp */
	uint64_t p_sigign, p_sigcatch;   /* dispositions other than the default */
	uint64_t p_sigpoll;              /* every signal sent since the last PROC_SIGPOLL */
	uint64_t p_sigreset, p_signodefer, p_sigonstack;   /* SA_RESETHAND, SA_NODEFER, SA_ONSTACK */
	bool p_nocldstop, p_nocldwait;   /* SIGCHLD's SA_NOCLDSTOP, SA_NOCLDWAIT */
	uint64_t p_sigact_mask[PROC_NSIG];   /* sa_mask: blocked while the handler runs */
	uint16_t p_sigq;                 /* the first of its queued siginfos (sys->sigq), 0 none */
	uint64_t p_itreal_due;           /* ITIMER_REAL (alarm, setitimer): SIGALRM at this time, 0 none */
	uint64_t p_itreal_interval;      /* ... and again every this many ticks, 0 once */
	int p_nsigq_rt;                  /* realtime ones among them (at most PROC_SIGQUEUE_MAX) */
	uint64_t p_sigtramp;             /* where caught signals enter (libc's trampoline) */
	int p_stopsig;                   /* the signal that stopped it */
	int p_lwpcnt;                    /* the last lwp id handed out */
	/* CPU time, ns (times, getrusage, the CPU-time clocks): of its lwps that are gone (a live
	   one's is the kernel's: SYS_THREAD_TIMES), and of its children that were waited for */
	uint64_t p_utime, p_stime;
	uint64_t p_cutime, p_cstime;
};

/* the system */
struct system {
	struct proc procs[NPROC_TABLE];
	struct zone zones[NZONE];
	struct project projects[NPROJECT];
	struct task tasks[NTASK];
	struct session sessions[NPROC_TABLE];
	struct { uint32_t uid; int count; } upcount[NUID];
	int nproc;                   /* processes in the table (IDLE, RUN, ZOMB) */
	int v_proc;                  /* at most this many (SYSCONF_NPROC_MAX) */
	int v_maxup;                 /* per user, uid 0 exempt (SYSCONF_MAXUP) */
	int maxpid, lastpid;
	int next_task_id;
	int fork_fail_pending;
	uint64_t v_swap, v_swap_max;     /* bytes reserved by processes, and the most they may (mem.c) */
	uint64_t v_as_default;           /* init's process.max-address-space, inherited by all */
	bool sig_work;               /* a signal may have become deliverable: sig_deliverable() looks */
	struct sigq sigq[NSIGQ];     /* siginfos of pending signals; [0] unused, the rest free or queued */
	uint16_t sigq_free;          /* the first free one, 0 none */
	bool tracing;                /* the kernel's IPC trace is on: lwps get names (lwp_name) */
	int ncpus;
	handle_t proc_ep;            /* the endpoint every process calls (R_SEND copies badged by pid) */
	handle_t console_ep;         /* handed out badged with the pid */
	handle_t fs_ep;              /* ditto; ours (badge 0) sends the FS_P* control messages */
	/* the console server's kit from root: its UART (PROC_CONSOLE hands it on) */
	handle_t cons_irq, cons_dev; /* -1: no UART */
	uint64_t cons_pa;
	char cons_compat[32];
	/* main.c's: what it was started with, and the punish delay's held replies */
	handle_t h_sysctl;           /* power-off, the IPC trace */
	handle_t h_timer;            /* bound to our thread: the punish timer */
	uint64_t tick_len;           /* time-CSR ticks in a 10 ms clock tick */
	struct { handle_t reply; int err; uint64_t due; } held[NPUNISH];   /* reply -1: free */
	bool fault_injection;        /* PROC_FAULT_INJECT works: a test boot (argument "test") */
	int trace_owner;             /* the pid that started the IPC trace */
	struct proc p0;              /* the system: parent of init, project 0, zone 0 (proc0_init) */
};

/*
 * The process table: the slot in use after p (NULL: the first), in table
 * order; NULL after the last.  for_each_proc visits every process (IDLE,
 * RUN or ZOMB); the body may free the slot it is at (proc_reap).
 */
static inline struct proc *proc_next(struct system *sys, struct proc *p)
{
	for (p = p ? p + 1 : sys->procs; p < sys->procs + NPROC_TABLE; p++)
		if (p->p_stat != P_FREE)
			return p;
	return NULL;
}
#define for_each_proc(sys, p) for (struct proc *p = proc_next(sys, NULL); p; p = proc_next(sys, p))

#define FAULT_BADGE (1ull << 62)     /* threads' fault endpoint badge: FAULT_BADGE | pid */

/* getproc.c */
void system_init(struct system *sys, int ncpus, handle_t proc_ep, handle_t console_ep);   /* empty tables */
void proc0_init(struct system *sys);                    /* the system's process (after mem_init) */
int init_setup(struct system *sys, struct proc *init);   /* init: a session and a task of its own */
int getproc(struct system *sys, struct proc *parent, struct proc **out);   /* 0 or EAGAIN (counters, pid taken) */
void getproc_undo(struct system *sys, struct proc *cp);                        /* undo getproc */
struct proc *proc_find(struct system *sys, int pid);                        /* live or zombie, else NULL */
int punish_ticks(struct system *sys);
struct zone *zone_by_id(struct system *sys, int id);
struct project *project_get(struct system *sys, int id, struct zone *z);  /* find or create */
struct task *task_create(struct system *sys, struct project *pj);          /* NULL when out of tasks */
void task_rele(struct task *tk);
void upcount_inc(struct system *sys, uint32_t uid);
void upcount_dec(struct system *sys, uint32_t uid);
int upcount_get(struct system *sys, uint32_t uid);

/* fork.c */
#define HELD (-1)                    /* a handler kept the reply to send later */
#define NOREPLY (-2)                 /* the caller is gone; nothing to send */
int do_forksys(struct system *sys, struct proc *p, struct lwp *l, int subcode, int flags, struct msg *out);

/* exit.c */
void proc_exit(struct system *sys, struct proc *p, int wstat);               /* wstat: code << 8 | signal */
int do_waitid(struct system *sys, struct proc *p, int idtype, int id, int options, struct msg *out);
void proc_reap(struct system *sys, struct proc *cp);
void vfork_release(struct system *sys, struct proc *cp);                     /* relvm: the held parent goes on */

/* sched.c */
int sched_check(const struct proc *p, int policy, int prio);   /* 0, EINVAL or EPERM */
int sched_kprio(int policy, int prio);                         /* the kernel's priority */
int do_sched(struct system *sys, struct proc *p, struct lwp *l, int op, int64_t id, int policy, int prio,
	     struct msg *out);

/* cred.c */
int do_setcred(struct system *sys, struct proc *p, int op, uint64_t a, uint64_t b);
int do_setgroups(struct proc *p, const uint32_t *gids, uint64_t n);
void cred_set_all(struct system *sys, struct proc *p, uint32_t uid, uint32_t gid);   /* PROC_SETUID */
void cred_exec(struct proc *p);              /* the saved ids become the effective ones */
bool cred_may_signal(const struct proc *from, const struct proc *to, int sig);

/* session.c */
int do_setsid(struct system *sys, struct proc *p, int *sid);
int do_setpgid(struct system *sys, struct proc *p, int pid, int pgid);
int do_getsid(struct system *sys, struct proc *p, int pid, int *sid);
int do_getpgid(struct system *sys, struct proc *p, int pid, int *pgid);
void sess_join(struct proc *cp, struct session *s);
void sess_leave(struct proc *p);
struct session *sess_create(struct system *sys, int sid);

/* rctl.c */
/* *usage: what the entity uses now (processes, lwps, tasks, bytes), UINT64_MAX if not kept here */
int rctl_get(struct system *sys, struct proc *p, int rctl, int64_t id, uint64_t *val, int64_t *eid, uint64_t *usage);
int rctl_set(struct system *sys, struct proc *p, int rctl, int64_t id, uint64_t val);
int do_newtask(struct system *sys, struct proc *p, int64_t projid, int *taskid);

/* mem.c: reservations for what we map into processes; ENOMEM when a limit says no */
void mem_init(struct system *sys, uint64_t total);                          /* total: bytes free when we start */
int mem_reserve(struct system *sys, struct proc *p, uint64_t bytes);
void mem_release(struct system *sys, struct proc *p, uint64_t bytes);
int mem_exec_check(struct system *sys, const struct proc *p, uint64_t vsize);
int mem_kobj_limit(struct system *sys, struct proc *p, uint64_t max);   /* process.max-kernel-objects */
void mem_exec_commit(struct system *sys, struct proc *p, uint64_t vsize);
void mem_move_task(const struct proc *p, struct task *from, struct task *to);

/* lwp.c */
struct lwp *lwp_find(struct proc *p, uint64_t tid);
int lwp_fault_ep(struct system *sys, struct proc *p, handle_t *fault);
int lwp_new(struct system *sys, struct proc *p, handle_t as, int prio, handle_t *th, uint64_t *tid);
int lwp_make(struct system *sys, struct proc *p, handle_t as, int prio, handle_t *th, uint64_t *tid);
int lwp_add(struct system *sys, struct proc *p, handle_t th, uint64_t tid);
void lwp_name(struct proc *p, handle_t th);
void lwp_remove(struct system *sys, struct proc *p, struct lwp *l);
struct lwp *lwp_by_id(struct proc *p, int id);
void lwp_destroy_all(struct system *sys, struct proc *p);
void proc_times(const struct proc *p, uint64_t *user_ns, uint64_t *sys_ns);
int do_lwp_create(struct system *sys, struct proc *p, struct lwp *caller, uint64_t pc, uint64_t sp, uint64_t arg,
		  uint64_t tp, uint64_t sched, uint64_t *id);

/* image.c: the boot archive's programs */
struct image_req {                   /* PROC_SPAWN / PROC_EXEC: path, then argc + envc strings */
	const char *path;
	const char *strs;
	uint64_t len, argc, envc;
};
/* 0, EINVAL (not a path and strings), ENOENT (a relative path) */
int image_req_parse(const char *buf, uint64_t len, uint64_t argc, uint64_t envc, struct image_req *rq);
/* the program at abspath, its size in *size, its name (last component, cut) in name; NULL: none */
const void *image_find(const char *abspath, char *name, size_t namesz, uint64_t *size);
void spawn_set_archive(const void *archive, uint64_t len);   /* index its members, once at start */

/* spawn.c */
/* what a spawned child gets besides the usual handles (NULL: nothing) */
struct spawn_kit {
	int ngive;
	handle_t give[4];            /* ours, handed on: the child finds them in startinfo h_extra[] */
	uint32_t mask[4];            /* with these rights */
	handle_t bind;               /* a notification of ours bound to its thread, or -1 */
	handle_t dev;                /* device registers mapped before it starts, or -1 */
	uint64_t dev_va, dev_pa, dev_len;
	int prio;                    /* its thread's priority (0: from sched_policy, sched_prio) */
	uint64_t sigmask;            /* its lwp's signal mask (the spawning lwp's) */
	int sched_policy, sched_prio;   /* its lwp's scheduling (the spawning lwp's) */
};
int do_spawn(struct system *sys, struct proc *parent, const struct image_req *rq, const struct spawn_kit *kit, int *pid);
int do_exec(struct system *sys, struct proc *p, struct lwp *l, const struct image_req *rq);

/* signal.c */
int do_kill(struct system *sys, struct proc *p, int pid, int sig, bool *self);
int do_sigqueue(struct system *sys, struct proc *p, int pid, int sig, uint64_t value, bool *self);
int do_sigaltstack(struct proc *p, struct lwp *l, bool set, uint64_t base, uint64_t size, uint64_t flags,
		   uint64_t sp, struct msg *out);
int do_sigaction(struct system *sys, struct proc *p, int sig, int disp, uint64_t tramp, uint64_t mask, uint32_t flags);
void sig_init(struct system *sys);                            /* the siginfo pool, all free */
int do_setitimer(struct system *sys, struct proc *p, int which, bool set, uint64_t value_ns,
		 uint64_t interval_ns, struct msg *out);
uint64_t ns_to_ticks(const struct system *sys, uint64_t ns);   /* time-CSR ticks, a century at most */
bool sig_fault(struct system *sys, struct proc *p, struct lwp *l, const struct msg *fault, int *sig);   /* caught: run it */
void sig_proc_gone(struct system *sys, struct proc *p);       /* exit: its queued siginfos freed */
void sig_retag(struct system *sys, struct proc *p, int old_id, int new_id);   /* exec: the caller's pending ones are lwp 1's */
void proc_signal_info(struct system *sys, struct proc *p, int sig, const struct ksiginfo *info);
bool sig_deliverable(struct system *sys);                     /* a caught signal waits for its handler */
void sig_deliver(struct system *sys);                         /* run them: interrupt an lwp, push a frame */
void proc_signal(struct system *sys, struct proc *p, int sig);      /* sent to p: acted on, or pending */
void lwp_signal(struct system *sys, struct proc *p, struct lwp *l, int sig, const struct ksiginfo *info);   /* to one lwp */
void sig_dispatch(struct system *sys, struct proc *p);      /* act on what p's lwps can take now */
bool sig_take_now(struct system *sys, struct proc *p, struct lwp *l, struct msg *out);   /* a handler l runs before its call returns */
int do_sigmask(struct system *sys, struct proc *p, struct lwp *l, int how, uint64_t set, struct msg *out);
int do_sigsuspend(struct system *sys, struct proc *p, struct lwp *l, uint64_t mask);
int do_sigwait(struct system *sys, struct proc *p, struct lwp *l, uint64_t set, uint64_t due, struct msg *out);
void sig_timeout(struct system *sys, uint64_t now);             /* sigtimedwaits past their time: EAGAIN */
uint64_t sig_next_due(struct system *sys);                      /* the earliest of them, 0 none */
void sig_lwp_gone(struct system *sys, struct proc *p, struct lwp *l);   /* its held reply and siginfos dropped */
void sig_exec(struct proc *p);                                  /* caught signals become default */
int do_tty_kill(struct system *sys, int pgid, int sig);
int do_tty_query(struct system *sys, int pid, int pgid, int tty_sid, bool take, uint64_t out[4]);

/* exit.c, for signal.c: a child's stop or continue for its parent's wait */
void wait_notify(struct system *sys, struct proc *c);

/* main.c: a failed fork's reply (label err) goes out punish_ticks() later; returns HELD */
int punish(struct system *sys, int err);
uint64_t proc_clock(void);                   /* main.c: the time CSR */
void timer_rearm(struct system *sys);        /* main.c: a new deadline (sigtimedwait) may be first */

/* dispatch.c: one request as main.c's loop received it, and its reply */
struct req {
	struct proc *p;              /* set by proc_dispatch: the caller (NULL: the terminal) */
	struct lwp *l;               /* ... and its calling lwp */
	struct msg *in, *out;
	const char *buf;             /* received buffer (NUL-terminated), or "" */
	uint64_t buflen;             /* its length without that NUL */
	handle_t cap;                /* received handle, or -1 */
	const void *obuf;            /* buffer to send with the reply */
	uint64_t olen;
};
/* a handler: 0, an errno (the reply's label), HELD or NOREPLY */
typedef int proc_handler_t(struct system *sys, struct req *r);
int proc_dispatch(struct system *sys, struct req *r);   /* check, call, close r->cap: as the handler */
void lwp_event(struct system *sys, int pid, const struct msg *m);   /* an lwp faulted or exited */
void trace_owner_check(struct system *sys);             /* the IPC trace stops when its owner is gone */
#endif
