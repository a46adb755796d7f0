/*
 * Process tests: fork1/forkall/vfork/forkx, copy-on-write, exit and wait,
 * sessions and process groups, orphans, resource limits at every level,
 * and that nothing leaks, even when forks fail.
 */
#include <errno.h>
#include <string.h>
/* vfork returns twice; the inlined kernel-call stubs' register variables are set anew after it */
#pragma GCC diagnostic ignored "-Wclobbered"
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include "ptest.h"
#include "proc.h"

/* a child that blocks forever (until killed) */
static void block_forever(void)
{
	handle_t n = -1;
	uint64_t bits;
	ntfn_create(&n);
	for (;;)
		ntfn_wait(n, &bits);
}

static int wait_for(int pid)
{
	int status = -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int my_nlwp(int pid)
{
	static struct proc_info pi[64];
	int n = proc_list(pi, 64);
	for (int i = 0; i < n; i++)
		if (pi[i].pid == pid)
			return pi[i].nlwp;
	return -1;
}

/* ---------- identity ---------- */

static void test_ids(void)
{
	uint64_t w[8];
	static struct proc_info pi[64];
	int n, suite = getppid();
	CHECK_EQ(proc_ids(w), 0);
	CHECK(w[0] > 1);
	CHECK_EQ(getpid(), (int)w[0]);
	CHECK_EQ(getppid(), (int)w[1]);
	/* the suite's process forked this test's, and init started the suite */
	n = proc_list(pi, 64);
	CHECK(n > 0);
	for (int i = 0; i < n; i++)
		if (pi[i].pid == suite)
			suite = -pi[i].ppid;
	CHECK_EQ(suite, -1);
	CHECK_EQ(w[7], 1);                 /* project 1, from newtask */
	CHECK_EQ(getsid(0), getsid(getpid()));
	CHECK_EQ(getsid(999999), -1);
	CHECK_EQ(errno, ESRCH);
}

/* ---------- fork, exit, wait ---------- */

static void test_fork_exit_wait(void)
{
	int me = getpid(), pid, status;
	pid = fork();
	if (pid == 0)
		_exit(getppid() == me ? 7 : 99);
	CHECK(pid > 0 && pid != me);
	status = wait_for(pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 7);
	/* reaped: nothing left to wait for */
	CHECK_EQ(waitpid(pid, &status, 0), -1);
	CHECK_EQ(errno, ECHILD);
}

static void test_wait_nohang_and_any(void)
{
	int a, b, status, got = 0;
	CHECK_EQ(waitpid(-1, &status, WNOHANG), -1);   /* no children at all */
	CHECK_EQ(errno, ECHILD);
	a = fork();
	if (a == 0)
		block_forever();
	CHECK_EQ(waitpid(a, &status, WNOHANG), 0);      /* still running */
	b = fork();
	if (b == 0)
		_exit(3);
	CHECK_EQ(waitpid(-1, &status, 0), b);            /* the one that exits */
	CHECK_EQ(WEXITSTATUS(status), 3);
	CHECK_EQ(kill(a, SIGKILL_NO), 0);
	got = waitpid(-1, &status, 0);
	CHECK_EQ(got, a);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGKILL_NO);
}

static volatile int cow_var = 1000;
static char cow_page[3 * 4096];

static void test_cow_isolation(void)
{
	int pid, status;
	cow_var = 1000;
	memset(cow_page, 'p', sizeof(cow_page));
	pid = fork();
	if (pid == 0) {
		int ok = cow_var == 1000 && cow_page[5000] == 'p';
		/* let the parent write first, then look: still the old values */
		for (int i = 0; i < 200; i++)
			sys_yield();
		ok = ok && cow_var == 1000 && cow_page[4096] == 'p';
		cow_var = 2000;
		memset(cow_page, 'c', sizeof(cow_page));
		_exit(ok && cow_var == 2000 && cow_page[0] == 'c' ? 0 : 1);
	}
	CHECK(pid > 0);
	cow_var = 3000;                         /* parent writes after fork */
	cow_page[4096] = 'P';
	status = wait_for(pid);
	CHECK_EQ(WEXITSTATUS(status), 0);       /* the child saw only its own writes */
	CHECK_EQ(cow_var, 3000);                /* the child's writes stay in the child */
	CHECK_EQ(cow_page[0], 'p');
	CHECK_EQ(cow_page[4096], 'P');
}

/* ---------- fork1 and forkall from a process with 4 lwps ---------- */

/*
 * The three other lwps spin in user mode, making no kernel calls: a running
 * lwp that forkall must stop on whichever hart it is.  (Spinning on
 * sys_yield instead kept the big lock busy from the other hart; under QEMU's
 * -icount, which runs the harts in turn, every hold the proc server waited
 * out cost it a whole turn, and the test took minutes of guest time.)
 */
static volatile int lwp_running, lwp_stop;
static void lwp_spin(uint64_t a)
{
	(void)a;
	__atomic_fetch_add(&lwp_running, 1, __ATOMIC_SEQ_CST);
	while (!lwp_stop)
		;
	__atomic_fetch_sub(&lwp_running, 1, __ATOMIC_SEQ_CST);
	lwp_exit();
}

static void test_fork1_forkall_lwps(void)
{
	static char stacks[3][8192] __attribute__((aligned(16)));
	int me = getpid(), pid, status;

	lwp_stop = 0;
	for (int i = 0; i < 3; i++)
		CHECK(lwp_create(lwp_spin, 0, stacks[i] + sizeof(stacks[i])) > 0);
	while (lwp_running < 3)
		sys_yield();
	CHECK_EQ(my_nlwp(me), 4);

	pid = forkall();
	if (pid == 0)
		_exit(my_nlwp(getpid()));       /* every lwp was cloned */
	CHECK(pid > 0);
	status = wait_for(pid);
	CHECK_EQ(WEXITSTATUS(status), 4);
	CHECK_EQ(my_nlwp(me), 4);               /* ours run on */

	pid = fork1();
	if (pid == 0)
		_exit(my_nlwp(getpid()));       /* only the caller was cloned */
	CHECK(pid > 0);
	status = wait_for(pid);
	CHECK_EQ(WEXITSTATUS(status), 1);
	CHECK_EQ(my_nlwp(me), 4);

	lwp_stop = 1;                           /* the rest of the suite runs with one lwp */
	while (lwp_running > 0 || my_nlwp(me) > 1)
		sys_yield();
}

/* ---------- vfork ---------- */

static volatile int vf_var;

static void test_vfork_exit(void)
{
	int pid, status;
	vf_var = 0;
	pid = vfork();
	if (pid == 0) {
		vf_var = 1;
		/* the parent must still be held: give it every chance to run */
		for (int i = 0; i < 100; i++)
			sys_yield();
		vf_var = 2;
		_exit(5);
	}
	CHECK(pid > 0);
	CHECK_EQ(vf_var, 2);                    /* held until _exit, and shares our memory */
	status = wait_for(pid);
	CHECK_EQ(WEXITSTATUS(status), 5);
}

static void test_vfork_exec(void)
{
	int pid, status;
	vf_var = 0;
	pid = vfork();
	if (pid == 0) {
		vf_var = 7;
		proc_exec("/test/ptest exit 42");
		_exit(99);                      /* exec failed */
	}
	CHECK(pid > 0);
	CHECK_EQ(vf_var, 7);
	status = wait_for(pid);
	CHECK_EQ(WEXITSTATUS(status), 42);      /* the exec'd image's exit */
	/* exec of something that is not there fails and the caller goes on */
	CHECK_EQ(proc_exec("no-such-program"), -1);
	CHECK_EQ(errno, ENOENT);
}

/* ---------- forkx flags ---------- */

static void test_forkx_flags(void)
{
	uint64_t before[5], after[5];
	int pid, status;

	/* FORK_NOSIGCHLD: no SIGCHLD when it exits */
	proc_sigpoll();
	pid = forkx(FORK_NOSIGCHLD);
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0);
	CHECK_EQ(wait_for(pid), 0);
	CHECK_EQ(proc_sigpoll() & SIGCHLD_BIT, 0);
	pid = forkx(0);
	if (pid == 0)
		_exit(0);
	CHECK_EQ(wait_for(pid), 0);
	CHECK(proc_sigpoll() & SIGCHLD_BIT);

	/* FORK_WAITPID: only a wait naming it reaps it */
	pid = forkx(FORK_WAITPID);
	if (pid == 0)
		_exit(9);
	CHECK(pid > 0);
	for (int i = 0; i < 100; i++)
		sys_yield();
	CHECK_EQ(waitpid(-1, &status, WNOHANG), -1);
	CHECK_EQ(errno, ECHILD);
	CHECK_EQ(wait_for(pid), 9 << 8);

	/* any other flag bit: EINVAL, nothing allocated, the misc counter moves */
	CHECK_EQ(proc_forkstat(-1, before), 0);
	CHECK_EQ(forkx(0x4), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(forkx(FORK_NOSIGCHLD | 0x100), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(proc_forkstat(-1, after), 0);
	CHECK_EQ(after[2], before[2] + 2);
	CHECK_EQ(after[0], before[0]);
}

/* ---------- sessions and process groups ---------- */

static void test_sessions(void)
{
	int pid, status;

	/* setsid in a child that is not a group leader: a new session */
	pid = fork();
	if (pid == 0) {
		int me = getpid();
		if (setsid() != me || getsid(0) != me || getpgid(0) != me)
			_exit(1);
		if (setsid() != -1 || errno != EPERM)        /* now a leader */
			_exit(2);
		if (setpgid(0, 0) != -1 || errno != EPERM)   /* a session leader cannot move */
			_exit(3);
		_exit(0);
	}
	CHECK_EQ(WEXITSTATUS(wait_for(pid)), 0);

	/* setpgid's checks */
	CHECK_EQ(setpgid(1, 0), -1);                 /* not us, not our child */
	CHECK_EQ(errno, ESRCH);
	CHECK_EQ(setpgid(0, -5), -1);
	CHECK_EQ(errno, EINVAL);
	pid = fork();
	if (pid == 0)
		block_forever();
	CHECK_EQ(setpgid(pid, 987654), -1);          /* no such group in our session */
	CHECK_EQ(errno, EPERM);
	CHECK_EQ(setpgid(pid, pid), 0);              /* its own group */
	CHECK_EQ(getpgid(pid), pid);
	CHECK_EQ(setpgid(pid, getpgid(0)), 0);       /* and back into ours */
	CHECK_EQ(getpgid(pid), getpgid(0));
	CHECK_EQ(getsid(pid), getsid(0));            /* a child shares our session */
	kill(pid, SIGKILL_NO);
	wait_for(pid);

	/* a child that has exec'd: EACCES */
	pid = vfork();
	if (pid == 0) {
		proc_exec("/test/ptest exit 0");
		_exit(99);
	}
	/* it may have exited already: then ESRCH is right too, but usually EACCES */
	int r = setpgid(pid, pid);
	CHECK(r == -1 && (errno == EACCES || errno == ESRCH));
	wait_for(pid);
	(void)status;
}

/* ---------- orphans ---------- */

static void test_orphans(void)
{
	int pid, status;
	static struct proc_info pi[64];
	pid = fork();
	if (pid == 0) {
		int g = fork();
		if (g == 0) {
			/* wait until our parent is gone, then we belong to init */
			while (getppid() != 1)
				sys_yield();
			_exit(0);
		}
		_exit(g > 0 ? 0 : 1);
	}
	CHECK_EQ(WEXITSTATUS(wait_for(pid)), 0);
	/* init reaps the grandchild: eventually no process of ours but us remains */
	for (int tries = 0; tries < 100000; tries++) {
		int n = proc_list(pi, 64), mine = 0;
		for (int i = 0; i < n; i++)
			if (pi[i].ppid == getpid() || (pi[i].ppid == 1 && pi[i].pid != getpid() && pi[i].state == PS_ZOMB))
				mine++;
		if (!mine)
			return;
		sys_yield();
	}
	CHECK(!"the orphan was never reaped");
	(void)status;
}

/* ---------- limits ---------- */

/* fork blocked children until fork fails; returns how many, kills them all */
static int fork_until_fail(int *err)
{
	int pids[64], n = 0;
	*err = 0;
	while (n < 64) {
		int pid = fork();
		if (pid == 0)
			block_forever();
		if (pid < 0) {
			*err = errno;
			break;
		}
		pids[n++] = pid;
	}
	for (int i = 0; i < n; i++) {
		kill(pids[i], SIGKILL_NO);
		wait_for(pids[i]);
	}
	return n;
}

static int task_nprocs(void)
{
	static struct proc_info pi[128];
	uint64_t w[8];
	int n = proc_list(pi, 128), c = 0;
	proc_ids(w);
	for (int i = 0; i < n; i++)
		if (pi[i].task == (int)w[6])
			c++;
	return c;
}

/*
 * Lower rctl (of our own entity) to `limit`, fork blocked children until a
 * fork fails, restore it.  Returns how many were made; ff gets how far each
 * zone fork-failure counter moved (cap, nomem, misc, noproc) and the errno.
 */
static int try_limit(int rctl, uint64_t limit, uint64_t ff[5])
{
	uint64_t old, before[5], after[5];
	int made, err;
	proc_forkstat(-1, before);
	proc_getrctl(rctl, -1, &old);
	if (proc_setrctl(rctl, -1, limit))
		return -1;
	made = fork_until_fail(&err);
	proc_setrctl(rctl, -1, old);
	proc_forkstat(-1, after);
	for (int i = 0; i < 4; i++)
		ff[i] = after[i] - before[i];
	ff[4] = (uint64_t)err;
	return made;
}

static void test_task_limit(void)
{
	uint64_t ff[5];
	CHECK_EQ(proc_newtask(-1) > 0, 1);               /* a task of our own */
	CHECK_EQ(task_nprocs(), 1);
	CHECK_EQ(try_limit(RCTL_TASK_MAX_PROCS, 4, ff), 3);   /* us + 3 = 4 */
	CHECK_EQ(ff[4], EAGAIN);
	CHECK_EQ(ff[0], 1);                              /* the zone's cap counter */
	CHECK_EQ(ff[3], 0);
}

static void test_project_limit(void)
{
	uint64_t ff[5];
	static struct proc_info pi[128];
	int n = proc_list(pi, 128), inproj = 0;
	for (int i = 0; i < n; i++)
		if (pi[i].project == 1 && pi[i].state != PS_ZOMB)
			inproj++;
	CHECK_EQ(try_limit(RCTL_PROJECT_MAX_PROCS, (uint64_t)inproj + 2, ff), 2);
	CHECK_EQ(ff[4], EAGAIN);
	CHECK_EQ(ff[0], 1);
}

static void test_zone_limit(void)
{
	uint64_t ff[5];
	int nproc = proc_sysconf(SYSCONF_NPROC, -1);
	CHECK(nproc > 0);
	CHECK_EQ(try_limit(RCTL_ZONE_MAX_PROCS, (uint64_t)nproc + 3, ff), 3);
	CHECK_EQ(ff[4], EAGAIN);
	CHECK_EQ(ff[0], 1);
}

static void test_system_limit(void)
{
	uint64_t before[5], after[5];
	int nproc = proc_sysconf(SYSCONF_NPROC, -1), old = proc_sysconf(SYSCONF_NPROC_MAX, -1), made, err;
	CHECK(nproc > 0 && old > nproc);
	proc_forkstat(-1, before);
	CHECK_EQ(proc_sysconf(SYSCONF_NPROC_MAX, nproc + 2), nproc + 2);
	made = fork_until_fail(&err);
	CHECK_EQ(proc_sysconf(SYSCONF_NPROC_MAX, old), old);
	proc_forkstat(-1, after);
	CHECK_EQ(made, 2);
	CHECK_EQ(err, EAGAIN);
	CHECK_EQ(after[3], before[3] + 1);               /* noproc, not cap */
	CHECK_EQ(after[0], before[0]);
}

static void test_uid_limit(void)
{
	int pid, status;
	int old = proc_sysconf(SYSCONF_MAXUP, -1);
	CHECK_EQ(proc_sysconf(SYSCONF_MAXUP, 3), 3);
	pid = fork();
	if (pid == 0) {
		int made, err;
		uint64_t v;
		if (proc_setuid(100, 100))
			_exit(50);
		/* an ordinary user may lower a limit but not raise it */
		if (proc_getrctl(RCTL_TASK_MAX_PROCS, -1, &v) || proc_setrctl(RCTL_TASK_MAX_PROCS, -1, v - 1) ||
		    proc_setrctl(RCTL_TASK_MAX_PROCS, -1, v) != -1 || errno != EPERM)
			_exit(51);
		if (proc_setuid(0, 0) != -1 || errno != EPERM)
			_exit(52);
		made = fork_until_fail(&err);   /* uid 100 has 1 (us) + 2 */
		_exit(made == 2 && err == EAGAIN ? 0 : 60 + made);
	}
	status = wait_for(pid);
	CHECK_EQ(proc_sysconf(SYSCONF_MAXUP, old), old);
	CHECK_EQ(WEXITSTATUS(status), 0);
	/* uid 0 is exempt */
	CHECK_EQ(proc_sysconf(SYSCONF_MAXUP, 2), 2);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0);
	wait_for(pid);
	CHECK_EQ(proc_sysconf(SYSCONF_MAXUP, old), old);
}

static void test_fork_bomb(void)
{
	int pid, status;
	uint64_t before[5], after[5];
	proc_forkstat(-1, before);
	pid = fork();
	if (pid == 0) {
		/* a task of its own with a limit of 20, its own process group, then the bomb */
		proc_newtask(-1);
		proc_setrctl(RCTL_TASK_MAX_PROCS, -1, 20);
		setpgid(0, 0);
		for (int i = 0; i < 200; i++) {
			int c = fork();
			if (c < 0)
				continue;
			if (c == 0)
				i = 0;          /* children bomb too */
		}
		block_forever();
	}
	CHECK(pid > 0);
	/* wait until the task is full and forks are failing */
	for (int tries = 0; tries < 100000; tries++) {
		proc_forkstat(-1, after);
		if (after[0] >= before[0] + 20)
			break;
		sys_yield();
	}
	CHECK(after[0] >= before[0] + 20);
	/* contained: the system still answers, and the whole group goes at once */
	CHECK(getpid() > 0);
	CHECK_EQ(kill(-pid, SIGKILL_NO), 0);
	status = wait_for(pid);
	CHECK(WIFSIGNALED(status));
	/* the bomb's orphans are init's; their task empties */
	for (int tries = 0; tries < 100000; tries++) {
		static struct proc_info pi[128];
		int n = proc_list(pi, 128), left = 0;
		for (int i = 0; i < n; i++)
			left += pi[i].pgid == pid;
		if (!left)
			return;
		sys_yield();
	}
	CHECK(!"the bomb's processes did not go away");
}

/* ---------- an ordinary process holds nothing privileged ---------- */

static void test_no_privileged_calls(void)
{
	handle_t out;
	struct user_regs regs;
	int tried = 0;
	/* every handle our table could hold: only the proc and console endpoints are there */
	for (int gen = 1; gen < 4; gen++) {
		for (int slot = 0; slot < 128; slot++) {
			handle_t h = ((handle_t)gen << 8) | slot;
			long r[6] = {
				as_clone(h, &out),
				as_map(h, 0x70000000, 4096, PROT_R),
				cspace_clone(h, &out),
				thread_clone(h, h, h, -1, CLONE_REPLY, 0, &out),
				thread_suspend(h),
				thread_read_regs(h, &regs),
			};
			for (int i = 0; i < 6; i++) {
				CHECK(r[i] == -E_BADF || r[i] == -E_ACCES);
				tried++;
			}
		}
	}
	CHECK_EQ(tried, 3 * 128 * 6);
	/* and the proc server refuses what needs uid 0 once we are not root */
	int pid = fork();
	if (pid == 0) {
		proc_setuid(100, 100);
		_exit(proc_fault_inject(1) == -1 && errno == EPERM && proc_poweroff() == -1 && errno == EPERM &&
		      proc_sysconf(SYSCONF_NPROC_MAX, 10) == -1 && errno == EPERM &&
		      proc_console() == -1 && errno == EPERM ? 0 : 1);
	}
	CHECK_EQ(wait_for(pid), 0);
	/* init started the console server: a second one is refused, even for root */
	CHECK_EQ(proc_console(), -1);
	CHECK_EQ(errno, EBUSY);
}

/* ---------- nothing leaks ---------- */

/* failed forks' replies wait out their punish delay: let them go before counting */
static void settle(void)
{
	uint64_t fs[5];
	do {
		sys_yield();
		proc_forkstat(-1, fs);
	} while (fs[4] != 0);
}

/*
 * What a hostile process tried at 40faee3, as uid 1000: make an address
 * space and a handle table of its own, put a table's handle in itself (a
 * cycle nothing frees) and start a thread there that spins (no process owns
 * it, no limit counts it, it outlives us).  Now each making is refused for
 * want of a sysctl with R_CONTROL, and after the child is reaped the system
 * has every page and object it had.
 */
static int try_kernel_objects_of_our_own(void)
{
	static const uint32_t spin = 0x0000006f;        /* j . */
	handle_t as = -1, cs = -1, self, th;
	int made = 0;
	for (int i = 0; i < 100; i++) {
		for (int gen = 1; gen < 3; gen++)
			for (int slot = -1; slot < 128; slot++) {
				handle_t h = slot < 0 ? -1 : ((handle_t)gen << 8) | slot;
				if (as < 0 && as_create(h, &as) == 0)
					made++;
				if (cs < 0 && cspace_create(h, &cs) == 0)
					made++;
			}
		if (cs >= 0 && handle_give(cs, cs, R_ALL, 0, &self) == 0)
			made++;
		if (as >= 0 && cs >= 0 && as_map(as, 0x100000, 4096, PROT_R | PROT_X) == 0 &&
		    as_copy(as, 0x100000, &spin, sizeof(spin)) == 0 &&
		    thread_create(as, cs, 1, -1, &th) == 0 && thread_start(th, 0x100000, 0, 0, 0) == 0)
			made++;
		if (as >= 0)
			handle_close(as);
		if (cs >= 0)
			handle_close(cs);
		as = cs = -1;
	}
	return made;
}

static void test_no_kernel_objects_of_our_own(void)
{
	uint64_t before, objs;
	int pid;
	settle();
	before = free_pages();
	objs = kernel_objects();
	pid = fork();
	if (pid == 0) {
		proc_setuid(1000, 1000);
		_exit(try_kernel_objects_of_our_own() == 0 ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK_EQ(wait_for(pid), 0);                     /* nothing could be made */
	settle();
	CHECK_EQ(free_pages(), before);
	CHECK_EQ(kernel_objects(), objs);
}

/*
 * process.max-kernel-objects: what a process makes is charged to it until it
 * dies, even after it handed it away.  A child (uid 1000) lowers its limit to
 * KC_N, makes KC_N notifications and sends each to us over an endpoint we
 * made before the fork, closing its own handle.  While we hold them its next
 * one is refused with E_AGAIN; once we have closed them it may make again.
 * Afterwards every page and object is back.
 */
#define KC_N 8
static int kernel_objects_child(handle_t ep, int ready, int go)
{
	handle_t h;
	char c = 'x';
	uint64_t own = 0;
	/* a fork child of a threaded program has made one already: its thread's notification */
	if (proc_rctl_usage(RCTL_PROCESS_MAX_KOBJ, -1, &own) || own > 1)
		return 9;
	if (proc_setuid(1000, 1000) || proc_setrctl(RCTL_PROCESS_MAX_KOBJ, -1, own + KC_N))
		return 10;
	for (int i = 0; i < KC_N; i++) {
		struct msg m = { .info = IPC_INFO(7, 0) };
		struct ipc_ext e = { .scap = -1 };
		if (ntfn_create(&h))
			return 11;
		e.scap = h;
		e.scap_rights = R_ALL;
		if (ipc_send(ep, &m, &e) || handle_close(h))
			return 12;
	}
	if (ntfn_create(&h) != -E_AGAIN)                /* they are ours still, wherever they are */
		return 13;
	if (ep_create(&h) != -E_AGAIN)                  /* whatever kind */
		return 14;
	c = (char)('0' + own);                          /* ready, with what it had */
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		return 15;
	if (ntfn_create(&h))                            /* ours died in our parent's table */
		return 16;
	return 0;
}

static void test_kernel_objects_charged(void)
{
	handle_t ep, got[KC_N];
	int ready[2], go[2], pid;
	uint64_t before, objs, v = 0, use = 0;
	char c = 'g';

	settle();
	before = free_pages();
	objs = kernel_objects();
	CHECK_EQ(proc_getrctl(RCTL_PROCESS_MAX_KOBJ, -1, &v), 0);
	CHECK_EQ(v, 256);                               /* the default, inherited from init */
	CHECK_EQ(ep_create(&ep), 0);
	CHECK_EQ(pipe(ready), 0);
	CHECK_EQ(pipe(go), 0);
	pid = fork();
	if (pid == 0)
		_exit(kernel_objects_child(ep, ready[1], go[0]));
	CHECK(pid > 0);
	for (int i = 0; i < KC_N; i++) {
		struct msg m;
		struct ipc_ext e = { .scap = -1 };
		got[i] = -1;
		CHECK_EQ(ipc_recv(ep, &m, &e), 0);
		CHECK(e.rcap >= 0);
		got[i] = e.rcap;
	}
	CHECK_EQ(read(ready[0], &c, 1), 1);             /* it was refused a ninth */
	CHECK_EQ(proc_rctl_usage(RCTL_PROCESS_MAX_KOBJ, pid, &use), 0);
	CHECK(c == '0' || c == '1');
	CHECK_EQ(use, KC_N + (uint64_t)(c - '0'));      /* the kernel's count, read through the rctl */
	for (int i = 0; i < KC_N; i++)
		if (got[i] >= 0)
			CHECK_EQ(handle_close(got[i]), 0);
	CHECK_EQ(write(go[1], &c, 1), 1);
	CHECK_EQ(wait_for(pid), 0);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	handle_close(ep);
	settle();
	CHECK_EQ(free_pages(), before);
	CHECK_EQ(kernel_objects(), objs);
}

/*
 * Every handle sent to the proc server that it did not ask for is closed,
 * whatever the label: 300 messages, each with a notification handle, under
 * labels it does not know, one it does, and a kernel label (refused by the
 * kernel at the send).  At 40faee3 a message taken for the timer's tick kept
 * its handle; 128 of them filled the server's table and no process could be
 * made until reboot.  Afterwards every notification is gone and fork works.
 */
static void test_proc_closes_unasked_handles(void)
{
	static const uint32_t labels[] = { 0, PROC_NMSG, PROC_NMSG + 77, 0xfffe0000u, PROC_GETPID, LABEL_NTFN };
	uint64_t objs;
	int pid;
	settle();
	objs = kernel_objects();
	for (int i = 0; i < 300; i++) {
		uint32_t label = labels[i % 6];
		handle_t n;
		struct msg m = { .info = IPC_INFO(label, 1) };
		struct ipc_ext e = { .scap = -1 };
		long r;
		CHECK_EQ(ntfn_create(&n), 0);
		e.scap = n;
		e.scap_rights = R_ALL;
		r = ipc_call(startinfo->h_proc, &m, &e);
		CHECK_EQ(r, label == LABEL_NTFN ? -E_INVAL : 0);
		CHECK_EQ(handle_close(n), 0);
	}
	CHECK_EQ(kernel_objects(), objs);               /* the server kept no copy */
	pid = fork();
	if (pid == 0)
		_exit(7);
	CHECK(pid > 0);
	CHECK_EQ(wait_for(pid), 7 << 8);
}

/* grow the heap 1 MiB at a time until the proc server says no; touch every page; the bytes got */
static uint64_t hog(void)
{
	uint64_t got = 0;
	char *p;
	while ((p = proc_sbrk(1 << 20)) != (void *)-1) {
		for (uint64_t off = 0; off < (1 << 20); off += 4096)
			p[off] = 1;                     /* reserved memory is always there to touch */
		got += 1 << 20;
	}
	return errno == ENOMEM ? got : 0;
}

/*
 * Memory is reserved as illumos reserves swap (servers/proc/mem.c).  A
 * process that takes all it may (40faee3: every free page, after which fork
 * failed with ENOMEM and open with EIO) is held to its
 * process.max-address-space, touches all of it, and the system goes on:
 * fork, exec and the file server work meanwhile; once it is killed every
 * page comes back.
 */
static void test_memory_hog_contained(void)
{
	uint64_t lim, use, before, got = 0;
	int fds[2], pid, status;
	/* once without the hog: the servers' heaps and the kernel's object pages reach their size */
	CHECK_EQ(pipe(fds), 0);
	CHECK_EQ(write(fds[1], &got, sizeof(got)), sizeof(got));
	CHECK_EQ(read(fds[0], &got, sizeof(got)), sizeof(got));
	close(fds[0]);
	close(fds[1]);
	settle();
	before = free_pages();
	CHECK_EQ(proc_getrctl(RCTL_PROCESS_MAX_AS, -1, &lim), 0);
	CHECK(lim != RCTL_UNLIMITED && lim > (8u << 20));
	CHECK_EQ(proc_rctl_usage(RCTL_PROCESS_MAX_AS, -1, &use), 0);
	CHECK(use > 0 && use < lim);                    /* our image, stack and heap */
	CHECK_EQ(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		uint64_t n = hog();
		/* a copy of it all (reserved twice: a quarter each) made and ended */
		int c = fork();
		if (c == 0)
			_exit(0);
		if (c < 0 || wait_for(c) != 0)
			n = 0;
		write(fds[1], &n, sizeof(n));
		block_forever();
	}
	CHECK(pid > 0);
	CHECK_EQ(read(fds[0], &got, sizeof(got)), sizeof(got));
	CHECK(got + use <= lim);                        /* held to its limit ... */
	CHECK(got + use + (4u << 20) > lim);            /* ... and given nearly all of it */
	CHECK(free_pages() > 0);
	/* meanwhile others still fork, exec, and use files */
	status = -1;
	int c = fork();
	if (c == 0) {
		proc_exec("/test/ptest exit 3");
		_exit(99);
	}
	CHECK(c > 0);
	CHECK_EQ(wait_for(c), 3 << 8);
	int fd = open("/bin/true", O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	status = wait_for(pid);
	CHECK_EQ(status & 0x7f, SIGKILL);
	close(fds[0]);
	close(fds[1]);
	settle();
	CHECK_EQ(free_pages(), before);
}

/*
 * A fork reserves as much as its parent has; a task whose limit cannot
 * hold a second copy refuses fork with ENOMEM (and counts it), while vfork
 * (which borrows) still works.  The heap grows only within the limits too.
 */
static void test_memory_fork_reserves(void)
{
	int pid = fork();
	if (pid == 0) {
		uint64_t use, ff0[5], ff1[5];
		int c, ok = 1;
		proc_newtask(-1);
		proc_rctl_usage(RCTL_TASK_MAX_AS, -1, &use);
		ok &= use > 0;
		ok &= proc_setrctl(RCTL_TASK_MAX_AS, -1, use + use / 2) == 0;
		proc_forkstat(-1, ff0);
		c = fork();
		if (c == 0)
			_exit(0);
		ok &= c == -1 && errno == ENOMEM;
		proc_forkstat(-1, ff1);
		ok &= ff1[1] == ff0[1] + 1;                 /* the zone's nomem counter */
		ok &= proc_sbrk(use) == (void *)-1 && errno == ENOMEM;
		ok &= proc_sbrk(4096) != (void *)-1;
		c = vfork();
		if (c == 0)
			_exit(5);
		ok &= c > 0 && wait_for(c) == 5 << 8;
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK_EQ(wait_for(pid), 0);
}

/* a program whose file name is longer than the 15 bytes ps shows runs (40faee3: ENOENT) */
static void test_exec_long_name(void)
{
	static const char path[] = "/test/true-with-a-name-as-long-as-the-file-server-keeps-it-57ch";
	int pid = fork(), status;
	if (pid == 0) {
		proc_exec(path);
		_exit(errno == ENOENT ? 98 : 99);
	}
	CHECK(pid > 0);
	status = wait_for(pid);
	CHECK_EQ(status, 0);                            /* true ran */
}

static void test_fork_cycles(void)
{
	uint64_t before, objs;
	settle();
	before = free_pages();
	objs = kernel_objects();
	int nproc = proc_sysconf(SYSCONF_NPROC, -1);
	for (int i = 0; i < 1000; i++) {
		int pid = fork();
		if (pid == 0)
			_exit(i & 0xff);
		CHECK(pid > 0);
		CHECK_EQ(wait_for(pid), (i & 0xff) << 8);
	}
	CHECK_EQ(free_pages(), before);
	CHECK_EQ(kernel_objects(), objs);
	CHECK_EQ(proc_sysconf(SYSCONF_NPROC, -1), nproc);
}

static void test_injected_failures(void)
{
	uint64_t before, objs, fs0[5], fs1[5];
	settle();
	before = free_pages();
	objs = kernel_objects();
	int nproc = proc_sysconf(SYSCONF_NPROC, -1), failures = 0, n = 1;
	proc_forkstat(-1, fs0);
	while (failures < 1000) {
		int pid;
		CHECK_EQ(proc_fault_inject((uint64_t)n), 0);
		pid = (failures & 1) ? forkall() : fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0) {
			/* n was past the last kernel call of a fork: start again */
			proc_fault_inject(0);
			CHECK_EQ(wait_for(pid), 0);
			n = 1;
			continue;
		}
		if (errno != EAGAIN && errno != ENOMEM) {
			proc_fault_inject(0);
			CHECK_EQ(errno, EAGAIN);
		}
		failures++;
		n++;
	}
	proc_fault_inject(0);
	settle();
	proc_forkstat(-1, fs1);
	CHECK_EQ(free_pages(), before);
	CHECK_EQ(kernel_objects(), objs);
	CHECK_EQ(proc_sysconf(SYSCONF_NPROC, -1), nproc);
	CHECK(fs1[1] > fs0[1]);                  /* some were ENOMEM from the address-space clone */
	CHECK(fs1[2] > fs0[2]);                  /* others misc */
}

/* ---------- signals ---------- */

static volatile int got_sig, got_count;
static void on_sig(int sig)
{
	got_sig = sig;
	got_count++;
}

/* a handler runs on the process's own lwp: kill to itself, and from another process into a sleep */
static void test_signal_handlers(void)
{
	struct sigaction sa = { 0 };
	struct timespec ts = { .tv_sec = 30 }, rem;
	int pid, status;

	sa.sa_handler = on_sig;
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	got_sig = got_count = 0;
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	CHECK_EQ(got_sig, SIGUSR1);                  /* before kill returned (POSIX) */
	CHECK_EQ(got_count, 1);

	/* the child sleeps 30 s with a handler for SIGUSR2; the parent's signal ends the sleep early */
	pid = fork();
	if (pid == 0) {
		struct timespec tiny = { .tv_nsec = 1000 };
		signal(SIGUSR2, on_sig);
		got_count = 0;
		nanosleep(&tiny, NULL);              /* makes its sleep notification: a handler that runs
							before the long sleep starts still ends it */
		kill(getppid(), SIGUSR1);            /* ready */
		int r = nanosleep(&ts, &rem);
		_exit(r == -1 && errno == EINTR && got_sig == SIGUSR2 && rem.tv_sec > 0 ? 0 : 1);
	}
	CHECK(pid > 0);
	for (int i = 0; i < 100000 && got_count < 2; i++)
		sys_yield();
	CHECK_EQ(got_count, 2);                      /* the child's SIGUSR1 reached our handler */
	CHECK_EQ(kill(pid, SIGUSR2), 0);
	status = wait_for(pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	signal(SIGUSR1, SIG_DFL);
}

/* default actions: SIGTERM terminates, SIGTSTP stops (WUNTRACED sees it), SIGCONT continues, ignored stays ignored */
static void test_signal_defaults(void)
{
	int pid, status;

	pid = fork();
	if (pid == 0)
		block_forever();
	CHECK(pid > 0);
	CHECK_EQ(kill(pid, SIGTSTP), 0);
	CHECK_EQ(waitpid(pid, &status, WUNTRACED), pid);
	CHECK(WIFSTOPPED(status));
	CHECK_EQ(WSTOPSIG(status), SIGTSTP);
	CHECK_EQ(kill(pid, SIGCONT), 0);
	CHECK_EQ(waitpid(pid, &status, WCONTINUED), pid);
	CHECK(WIFCONTINUED(status));
	CHECK_EQ(kill(pid, SIGTERM), 0);
	status = wait_for(pid);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGTERM);

	pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_IGN);
		kill(getpid(), SIGINT);              /* ignored: goes on */
		_exit(9);
	}
	status = wait_for(pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 9);
	CHECK_EQ(kill(pid, SIGTERM), -1);        /* reaped: gone */
	CHECK_EQ(errno, ESRCH);
	CHECK_EQ(sigaction(SIGKILL, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL), -1);
	CHECK_EQ(errno, EINVAL);
}

/* ---------- the runner itself ---------- */

static void crashes(void)
{
	static volatile uintptr_t nowhere = 8;  /* no page there: SIGSEGV, default action */
	*(volatile int *)nowhere = 1;
}

static void hangs(void)
{
	for (;;)
		sys_yield();
}

static void fails(void)
{
	CHECK_EQ(1 + 1, 3);
}

static void passes(void)
{
	CHECK_EQ(1 + 1, 2);
}

/*
 * suite_run_isolated, run in a child whose output goes to a pipe: a test
 * that crashes, one that hangs past the limit and one that fails each fail
 * alone, and the test after them still runs and passes.
 */
static void test_runner_isolates(void)
{
	static const struct ktest mini[] = {
		{ crashes, "mini_crash" }, { hangs, "mini_hang" },
		{ fails, "mini_fail" }, { passes, "mini_pass" }, { 0, 0 },
	};
	static char out[1024];
	size_t len = 0;
	ssize_t n;
	int fds[2], pid;
	CHECK_EQ(pipe(fds), 0);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		_exit(suite_run_isolated(mini, 1) == 3 ? 0 : 1);
	}
	CHECK(pid > 0);
	close(fds[1]);
	while (len < sizeof(out) - 1 && (n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = 0;
	close(fds[0]);
	CHECK_EQ(wait_for(pid), 0);
	CHECK(strstr(out, "TEST FAIL mini_crash: ") && strstr(out, "killed by signal 11"));
	CHECK(strstr(out, "TEST FAIL mini_hang: ") && strstr(out, "hung: killed after 1 s"));
	CHECK(strstr(out, "TEST FAIL mini_fail: line "));
	CHECK(strstr(out, "1 + 1 is 2, expected 3"));
	CHECK(strstr(out, "TEST PASS mini_pass\n"));
	CHECK(strstr(out, "TESTS DONE 1 3\n"));
}

const struct ktest ktests[] = {
	{ test_runner_isolates, "runner_isolates" },
	{ test_ids, "ids" },
	{ test_fork_exit_wait, "fork_exit_wait" },
	{ test_wait_nohang_and_any, "wait_nohang_and_any" },
	{ test_cow_isolation, "cow_isolation" },
	{ test_fork1_forkall_lwps, "fork1_forkall_4_lwps" },
	{ test_vfork_exit, "vfork_exit" },
	{ test_vfork_exec, "vfork_exec" },
	{ test_forkx_flags, "forkx_flags" },
	{ test_sessions, "sessions_pgrps" },
	{ test_orphans, "orphans" },
	{ test_task_limit, "limit_task" },
	{ test_project_limit, "limit_project" },
	{ test_zone_limit, "limit_zone" },
	{ test_system_limit, "limit_system" },
	{ test_uid_limit, "limit_uid" },
	{ test_fork_bomb, "fork_bomb" },
	{ test_no_privileged_calls, "no_privileged_calls" },
	{ test_signal_handlers, "signal_handlers" },
	{ test_signal_defaults, "signal_defaults" },
	{ test_sig_blocked_default_waits, "sig_blocked_default_waits" },
	{ test_sig_thread_mask, "sig_thread_mask" },
	{ test_sig_unblock_runs_handler, "sig_unblock_runs_handler" },
	{ test_sig_goes_to_unblocked_thread, "sig_goes_to_unblocked_thread" },
	{ test_sig_sigwait, "sig_sigwait" },
	{ test_sig_sigsuspend, "sig_sigsuspend" },
	{ test_sig_fork_exec, "sig_fork_exec" },
	{ test_sig_sigchld_flags, "sig_sigchld_flags" },
	{ test_sig_restart, "sig_restart" },
	{ test_siginfo_numbers, "siginfo_numbers" },
	{ test_siginfo_kill_raise, "siginfo_kill_raise" },
	{ test_siginfo_sigqueue_order, "siginfo_sigqueue_order" },
	{ test_siginfo_queue_limit, "siginfo_queue_limit" },
	{ test_siginfo_wait_other, "siginfo_wait_other" },
	{ test_siginfo_sigchld, "siginfo_sigchld" },
	{ test_siginfo_fault_skip, "siginfo_fault_skip" },
	{ test_siginfo_fault_longjmp, "siginfo_fault_longjmp" },
	{ test_siginfo_altstack, "siginfo_altstack" },
	{ test_siginfo_altstack_overflow, "siginfo_altstack_overflow" },
	{ test_timer_alarm, "timer_alarm" },
	{ test_timer_setitimer, "timer_setitimer" },
	{ test_timer_fork_exec, "timer_fork_exec" },
	{ test_cputime_clocks, "cputime_clocks" },
	{ test_cputime_threads, "cputime_threads" },
	{ test_cputime_children, "cputime_children" },
	{ test_cputime_exec, "cputime_exec" },
	{ test_files_umask, "files_umask" },
	{ test_files_termios, "files_termios" },
	{ test_sysconf, "sysconf" },
	{ test_creds_uid_rules, "creds_uid_rules" },
	{ test_creds_gid_rules, "creds_gid_rules" },
	{ test_creds_fork_exec, "creds_fork_exec" },
	{ test_creds_kill_rules, "creds_kill_rules" },
	{ test_sched_rules, "sched_rules" },
	{ test_no_kernel_objects_of_our_own, "no_kernel_objects_of_our_own" },
	{ test_kernel_objects_charged, "kernel_objects_charged" },
	{ test_exec_long_name, "exec_long_name" },
	{ test_memory_hog_contained, "memory_hog_contained" },
	{ test_memory_fork_reserves, "memory_fork_reserves" },
	{ test_proc_closes_unasked_handles, "proc_closes_unasked_handles" },
	{ test_fork_cycles, "fork_cycles_1000" },
	{ test_injected_failures, "injected_failures_1000" },
	{ NULL, NULL },
};
