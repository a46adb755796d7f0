/*
 * Threads, address spaces, endpoints, notifications: the objects the
 * scheduler and IPC move between.  Big kernel lock held for all of it.
 */
#ifndef THREAD_H
#define THREAD_H
#include "kernel.h"
#include "obj.h"

/* saved user context; trap.S knows this layout (x[0] slot holds sepc) */
struct ctx {
	uint64_t x[32];        /* x[0] is the pc (sepc) */
	uint64_t sstatus;
};
#define CTX_PC 0
#define REG_RA 1
#define REG_SP 2
#define REG_TP 4
#define REG_T0 5
#define REG_T1 6
#define REG_T2 7
#define REG_A0 10
#define REG_A1 11
#define REG_A2 12
#define REG_A6 16
#define REG_A3 13
#define REG_A7 17
#define REG_T3 28
#define REG_T4 29

enum tstate {
	T_INACTIVE,     /* created, not started */
	T_RUNNABLE,     /* on the run queue */
	T_RUNNING,      /* on a hart (t_cpu) */
	T_SEND,         /* queued on t_ep as a sender (send, call, fault or exit message) */
	T_RECV,         /* queued on t_ep as a receiver */
	T_REPLY,        /* waiting for the reply to a call or fault */
	T_NTFN,         /* waiting on t_ntfn */
	T_WAITSTOP,     /* waiting for t_stopping to leave its hart (suspend, destroy) */
	T_DEAD,         /* gone; only the struct remains until the last reference */
};

enum sendop { OP_SEND, OP_CALL, OP_FAULT, OP_EXIT, OP_REPLY /* (deliver only) */ };

struct aspace {
	struct kobj o;
	paddr_t as_root;        /* Sv39 root table */
	uint32_t as_nthreads;   /* live threads running in it */
	struct aspace *as_reclaim_next;   /* dead: on the queue of spaces being freed (thread.c) */
};

struct endpoint {
	struct kobj o;
	struct list ep_queue;   /* threads in T_SEND or T_RECV */
	int ep_qstate;          /* which kind is queued: T_SEND, T_RECV or -1 */
};

struct ntfn {
	struct kobj o;
	uint64_t n_bits;
	struct thread *n_waiter;    /* in T_NTFN, or a bound thread in T_RECV */
	struct thread *n_bound;
	uint64_t n_deadline;        /* armed timer (time CSR), 0 = none */
	uint64_t n_timer_bits;
	struct list n_tlink;        /* on the armed-timer list */
};

struct reply {
	struct kobj o;
	struct thread *r_caller;    /* NULL once used or the caller died */
};

struct irq {
	struct kobj o;
	uint32_t irq_num;
	struct ntfn *irq_ntfn;
	uint64_t irq_bits;
	bool irq_pending;           /* delivered, not acked: masked at the PLIC */
};

struct device {
	struct kobj o;
	paddr_t dev_base, dev_end;  /* physical range that may be mapped */
};

struct thread {
	struct kobj o;
	struct ctx t_ctx;           /* trap.S: must stay first after o (offset 8) */
	uint64_t t_id;
	enum tstate t_state;
	bool t_suspended;           /* held: not scheduled whatever its state */
	int t_prio;                 /* 0..NPRIO-1, higher runs first: t_base_prio, less what it decayed */
	int t_base_prio;            /* what it was given (create, clone, SET_PRIO) */
	int t_cpu;                  /* hart while T_RUNNING */
	uint32_t t_slice;           /* timer ticks left */
	struct aspace *t_as;
	struct cspace *t_cs;
	struct endpoint *t_fault_ep;
	uint64_t t_fault_badge;

	struct list t_link;         /* run queue or endpoint queue */
	struct endpoint *t_ep;      /* T_SEND / T_RECV: where queued */
	enum sendop t_sendop;
	uint64_t t_send_badge;      /* badge of the handle used to send */
	bool t_send_grant;          /* that handle had R_GRANT */
	struct thread *t_caller;    /* the thread waiting for our reply (one slot) */
	struct thread *t_replier;   /* T_REPLY: who holds our reply slot */
	struct reply *t_reply_obj;  /* T_REPLY: saved reply object naming us */
	struct ntfn *t_ntfn;        /* T_NTFN: what we wait on */
	struct ntfn *t_bound;       /* bound notification */
	struct thread *t_stopping;  /* T_WAITSTOP: the thread we wait for */
	struct thread *t_stop_waiter; /* who waits for us to leave our hart */
	uint64_t t_exit_code;
	uint64_t t_fault[3];        /* scause, stval, sepc of a delivered fault */
	uint64_t t_fp[33];          /* f0..f31, fcsr while not on a hart */
	bool t_fp_used;             /* has ever written an FP register */
	uint64_t t_fp_seq;          /* times t_fp was saved */
	char t_name[TRACE_NAME];    /* SYS_THREAD_NAME: what the IPC trace calls it */
	uint64_t t_utime;           /* CPU time in user mode, timebase ticks (trap_user counts it) */
	uint64_t t_stime;           /* ... in the kernel on its behalf (kernel_exit_to counts it) */
	uint64_t t_queued_at;       /* time it went on the run queue (sched.c's aging) */
};

#define NPRIO 32
#define PRIO_DECAY 3                /* a thread that runs its slices out sinks this far at most */
#define NCPU_MAX 8

/* ---- scheduler (sched.c) ---- */
void sched_init(void);
void sched_make_runnable(struct thread *t);   /* from any state: to T_RUNNABLE (queued if not suspended) */
void sched_remove(struct thread *t);          /* off the run queue (state unchanged) */
struct thread *sched_pick(void);              /* highest priority runnable, dequeued; NULL if none */
extern int runq_top;                          /* highest priority with a runnable thread, -1 none */
/* a runnable thread of priority prio or higher exists */
static inline bool sched_should_preempt(int prio) { return runq_top >= prio; }
void sched_kick_idle(void);                   /* wake idle harts (IPI) */
void sched_decay(struct thread *t);           /* t ran its slice out: one level lower (t not queued) */

/* ---- threads (thread.c) ---- */
struct thread *thread_new(struct aspace *as, struct cspace *cs, int prio);
void thread_start(struct thread *t);          /* T_INACTIVE -> runnable */
void thread_kill(struct thread *t);           /* out of every queue, resources released, T_DEAD */
void thread_exit(struct thread *t, uint64_t code); /* exit message to the fault endpoint, if any */
void thread_fault(struct thread *t, uint64_t scause, uint64_t stval);
void thread_set_suspended(struct thread *t, bool on);
/* if target still runs on another hart, block waiter until it leaves it; true if blocked */
bool thread_wait_off_cpu(struct thread *waiter, struct thread *target);
void thread_left_cpu(struct thread *t);       /* t's hart let go of it: wake its waiter */

/* ---- IPC (ipc.c) ---- */
int ipc_send(struct thread *s, struct endpoint *ep, uint64_t badge, enum sendop op, bool grant);
int ipc_recv(struct thread *t, struct endpoint *ep);
int ipc_reply(struct thread *t, struct thread *caller);
void ipc_cancel(struct thread *t);            /* t leaves any IPC it is in; partners are told */
bool ipc_abort_wait(struct thread *t);        /* t leaves the IPC wait it is blocked in, if any */
void ntfn_signal(struct ntfn *n, uint64_t bits);
int ntfn_wait(struct thread *t, struct ntfn *n, bool block);
extern uint64_t ipc_count;
void ntfn_set_timer(struct ntfn *n, uint64_t bits, uint64_t deadline);
void ntfn_timers_run(uint64_t now);

/* ---- address spaces ---- */
struct aspace *aspace_new(void);
void as_reclaim_later(struct aspace *as);    /* its last reference went: free it in steps */
void as_reclaim_step(void);                  /* one step of that */
extern struct aspace *as_reclaim_head;          /* the queue of dead spaces (thread.c) */
/* each way out of the kernel: a step, if a space is waiting (inline: the null call pays a test) */
static inline void as_reclaim(void)
{
	if (as_reclaim_head)
		as_reclaim_step();
}
void as_reclaim_all(void);                   /* every step now (no free page left) */
extern uint64_t as_reclaim_pending;          /* address spaces still being freed */
void as_flush(struct aspace *as);            /* no hart keeps stale TLB entries of as */
/*
 * Destructors: obj_destroy (obj.c) calls the one of its type when an
 * object's last reference goes; the object is freed after it.
 */
void thread_destroy(struct thread *t);       /* thread.c: a thread that never started */
void ipc_ep_destroy(struct endpoint *ep);    /* ipc.c: everyone queued on it learns it is gone */
void ntfn_destroy(struct ntfn *n);           /* ipc.c */
void reply_destroy(struct reply *r);         /* ipc.c: an unanswered caller fails */
void irq_unbind(struct irq *q);              /* sys_misc.c: masked, completed */

/* a user page fault the tables can satisfy (fault.c); false: the thread really faulted */
bool page_fault_resolve(struct thread *t, int access, uint64_t va);
#endif
