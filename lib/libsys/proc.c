/* Process calls over IPC to the proc server: see proc.h. */
#include <errno.h>
#include <string.h>
#include "proc.h"

_Static_assert(__builtin_offsetof(struct startinfo, h_proc) == 48, "vfork.S reads h_proc at 48");

/* one request: errno from the reply label (0 = success) */
static int rpc(uint32_t op, struct msg *m, unsigned nwords, struct ipc_ext *e)
{
	long r;
	if (!startinfo || startinfo->h_proc < 0) {
		errno = ENOSYS;
		return -1;
	}
	m->info = IPC_INFO(op, nwords);
	r = ipc_call(startinfo->h_proc, m, e);
	if (r < 0) {
		errno = r == -E_MSGSIZE ? E2BIG : r == -E_INTR ? EINTR : EAGAIN;
		return -1;
	}
	if (IPC_LABEL(m->info)) {
		errno = (int)IPC_LABEL(m->info);
		return -1;
	}
	return 0;
}

static int forksys(int subcode, int flags)
{
	struct msg m = { .w = { (uint64_t)subcode, (uint64_t)flags } };
	if (rpc(PROC_FORKSYS, &m, 2, NULL))
		return -1;
	/* illumos: the parent gets (pid, 0), the child (ppid, 1) */
	return m.w[1] == 1 ? 0 : (int)m.w[0];
}

int fork(void) { return forksys(FORK_FORK1, 0); }
int fork1(void) { return forksys(FORK_FORK1, 0); }
int forkall(void) { return forksys(FORK_FORKALL, 0); }
int forkx(int flags) { return forksys(FORK_FORK1, flags); }
int forkallx(int flags) { return forksys(FORK_FORKALL, flags); }

/* vfork.S lands here when the call failed */
int __vfork_fail(long kerr, long label)
{
	errno = label ? (int)label : (kerr == -E_MSGSIZE ? E2BIG : EAGAIN);
	return -1;
}

int waitid_(int idtype, int id, int options, int *code, int *status)
{
	struct msg m = { .w = { (uint64_t)idtype, (uint64_t)id, (uint64_t)options } };
	if (rpc(PROC_WAITID, &m, 3, NULL))
		return -1;
	if (code)
		*code = (int)m.w[1];
	if (status)
		*status = (int)m.w[3];
	return (int)m.w[0];
}

int waitpid(int pid, int *status, int options)
{
	int idtype = P_PID, id = pid;
	if (pid == -1) {
		idtype = P_ALL;
		id = 0;
	} else if (pid == 0) {
		idtype = P_PGID;
		id = getpgid(0);
	} else if (pid < -1) {
		idtype = P_PGID;
		id = -pid;
	}
	return waitid_(idtype, id, WEXITED | (options & WNOHANG), NULL, status);
}

int proc_ids(uint64_t out[8])
{
	struct msg m = { 0 };
	if (rpc(PROC_GETPID, &m, 0, NULL))
		return -1;
	memcpy(out, m.w, 8 * sizeof(uint64_t));
	return 0;
}

int getpid(void) { uint64_t w[8]; return proc_ids(w) ? -1 : (int)w[0]; }
int getppid(void) { uint64_t w[8]; return proc_ids(w) ? -1 : (int)w[1]; }

static int rpc_int(uint32_t op, unsigned n, uint64_t a, uint64_t b, uint64_t c)
{
	struct msg m = { .w = { a, b, c } };
	return rpc(op, &m, n, NULL) ? -1 : (int)m.w[0];
}

int setsid(void) { return rpc_int(PROC_SETSID, 0, 0, 0, 0); }
int setpgid(int pid, int pgid) { return rpc_int(PROC_SETPGID, 2, (uint64_t)pid, (uint64_t)pgid, 0) < 0 ? -1 : 0; }
int getsid(int pid) { return rpc_int(PROC_GETSID, 1, (uint64_t)pid, 0, 0); }
int getpgid(int pid) { return rpc_int(PROC_GETPGID, 1, (uint64_t)pid, 0, 0); }
int proc_newtask(int64_t project) { return rpc_int(PROC_NEWTASK, 1, (uint64_t)project, 0, 0); }
int proc_setuid(uint32_t uid, uint32_t gid) { return rpc_int(PROC_SETUID, 2, uid, gid, 0) < 0 ? -1 : 0; }
int proc_sysconf(int which, int64_t v) { return rpc_int(PROC_SYSCONF, 2, (uint64_t)which, (uint64_t)v, 0); }
int proc_fault_inject(uint64_t n) { return rpc_int(PROC_FAULT_INJECT, 1, n, 0, 0) < 0 ? -1 : 0; }
int proc_poweroff(void) { return rpc_int(PROC_POWEROFF, 0, 0, 0, 0); }
void *proc_sbrk(uint64_t incr)
{
	struct msg m = { .w = { incr } };
	return rpc(PROC_SBRK, &m, 1, NULL) ? (void *)-1 : (void *)m.w[0];
}

int kill(int pid, int sig) { return rpc_int(PROC_KILL, 2, (uint64_t)pid, (uint64_t)sig, 0) < 0 ? -1 : 0; }
uint32_t proc_sigpoll(void) { return (uint32_t)rpc_int(PROC_SIGPOLL, 0, 0, 0, 0); }

int proc_getrctl(int rctl, int64_t id, uint64_t *val)
{
	struct msg m = { .w = { (uint64_t)rctl, (uint64_t)id } };
	if (rpc(PROC_RCTL_GET, &m, 2, NULL))
		return -1;
	*val = m.w[0];
	return 0;
}

int proc_setrctl(int rctl, int64_t id, uint64_t val)
{
	return rpc_int(PROC_RCTL_SET, 3, (uint64_t)rctl, (uint64_t)id, val) < 0 ? -1 : 0;
}

int proc_forkstat(int64_t zone, uint64_t out[5])
{
	struct msg m = { .w = { (uint64_t)zone } };
	if (rpc(PROC_FORKSTAT, &m, 1, NULL))
		return -1;
	memcpy(out, m.w, 5 * sizeof(uint64_t));
	return 0;
}

int proc_spawn(const char *cmd, handle_t cap)
{
	struct msg m = { 0 };
	struct ipc_ext e = { .sbuf = (uint64_t)cmd, .slen = strlen(cmd), .scap = cap, .scap_rights = R_ALL };
	return rpc(PROC_SPAWN, &m, 0, &e) ? -1 : (int)m.w[0];
}

int proc_exec(const char *cmd)
{
	struct msg m = { 0 };
	struct ipc_ext e = { .sbuf = (uint64_t)cmd, .slen = strlen(cmd), .scap = -1 };
	rpc(PROC_EXEC, &m, 0, &e);
	return -1;
}

int proc_list(struct proc_info *out, int max)
{
	struct msg m = { 0 };
	struct ipc_ext e = { .rbuf = (uint64_t)out, .rlen = (uint64_t)max * sizeof(*out), .scap = -1 };
	if (rpc(PROC_LIST, &m, 0, &e))
		return -1;
	return (int)(e.rbytes / sizeof(*out));
}

extern void __thread_entry(void);

int lwp_create(void (*fn)(uint64_t), uint64_t arg, void *stack_top)
{
	uint64_t *sp = (uint64_t *)((uint64_t)stack_top & ~15ul) - 2;
	struct msg m = { 0 };
	uint64_t tp;

	__asm__ volatile("mv %0, tp" : "=r"(tp));
	sp[0] = (uint64_t)fn;
	sp[1] = arg;
	/* the new lwp shares our TLS block for now (pthreads give each its own) */
	m.w[0] = (uint64_t)__thread_entry;
	m.w[1] = (uint64_t)sp;
	m.w[2] = 0;
	m.w[3] = tp;
	return rpc(PROC_LWP_CREATE, &m, 4, NULL) ? -1 : (int)m.w[0];
}

void lwp_exit(void)
{
	struct msg m = { 0 };
	rpc(PROC_LWP_EXIT, &m, 0, NULL);
	thread_exit(0);
}
