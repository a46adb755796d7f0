/*
 * Credential tests: real, effective and saved ids and the supplementary
 * groups, kept by the proc server, with POSIX's rules for changing them
 * (_POSIX_SAVED_IDS), who may signal whom, and the fork and exec rules.
 * Each test changes ids in a child of its own: the suite stays uid 0.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ptest.h"
#include "proc.h"

static int wait_code(int pid)
{
	int status = -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

/* a child runs fn; its exit code is the number of the first check that failed (0: all held) */
#define EXPECT(n, cond) do { if (!(cond)) return (n); } while (0)

static int uid_rules(void)
{
	uid_t r, e, s;
	/* root: setuid sets all three */
	EXPECT(1, getuid() == 0 && geteuid() == 0);
	EXPECT(2, setreuid(1000, 1001) == 0);           /* root may set both; saved = new effective */
	EXPECT(3, getresuid(&r, &e, &s) == 0 && r == 1000 && e == 1001 && s == 1001);
	EXPECT(4, setuid(0) == -1 && errno == EPERM);   /* no longer root */
	EXPECT(5, seteuid(1000) == 0);                  /* to the real one */
	EXPECT(6, geteuid() == 1000 && getuid() == 1000);
	EXPECT(7, seteuid(1001) == 0);                  /* back to the saved one */
	EXPECT(8, seteuid(1002) == -1 && errno == EPERM);
	EXPECT(9, setuid(1000) == 0);                   /* unprivileged: only the effective id */
	EXPECT(10, getresuid(&r, &e, &s) == 0 && r == 1000 && e == 1000 && s == 1001);
	EXPECT(11, setreuid(-1, 1001) == 0);            /* the saved id is allowed ... */
	EXPECT(12, getresuid(&r, &e, &s) == 0 && e == 1001 && s == 1001);   /* ... saved stays (= new e) */
	EXPECT(13, setreuid(1001, -1) == 0);            /* real may become the effective one */
	EXPECT(14, getresuid(&r, &e, &s) == 0 && r == 1001 && e == 1001 && s == 1001);
	EXPECT(15, setreuid(1000, -1) == -1 && errno == EPERM);   /* 1000 is none of them now */
	EXPECT(16, setuid((uid_t)-1) == -1 && errno == EINVAL);   /* -1 is no uid */
	return 0;
}

static int gid_rules(void)
{
	gid_t r, e, s, list[4];
	EXPECT(1, setgroups(2, (gid_t[]){ 20, 30 }) == 0);
	EXPECT(2, getgroups(0, NULL) == 2);
	EXPECT(3, getgroups(4, list) == 2 && list[0] == 20 && list[1] == 30);
	EXPECT(4, getgroups(1, list) == -1 && errno == EINVAL);
	EXPECT(5, setregid(500, 501) == 0);
	EXPECT(6, getresgid(&r, &e, &s) == 0 && r == 500 && e == 501 && s == 501);
	EXPECT(7, setgid(500) == 0);                    /* root: all three */
	EXPECT(8, getgid() == 500 && getegid() == 500);
	EXPECT(9, setuid(1000) == 0);                   /* now unprivileged */
	EXPECT(10, setgid(0) == -1 && errno == EPERM);
	EXPECT(11, setegid(500) == 0);
	EXPECT(12, setgroups(1, (gid_t[]){ 0 }) == -1 && errno == EPERM);
	EXPECT(13, getgroups(4, list) == 2);            /* kept */
	EXPECT(14, setgroups(NGROUPS_MAX + 1, list) == -1);
	return 0;
}

static int in_child(int (*fn)(void))
{
	int pid = fork();
	if (pid == 0)
		_exit(fn());
	return pid < 0 ? -1 : wait_code(pid);
}

/* setuid, seteuid, setreuid and getresuid as POSIX (saved ids) and illumos have them */
void test_creds_uid_rules(void)
{
	CHECK_EQ(in_child(uid_rules), 0);
}

/* the same for gids; supplementary groups: uid 0 sets them, anyone reads them */
void test_creds_gid_rules(void)
{
	CHECK_EQ(in_child(gid_rules), 0);
}

static int fork_exec_kept(void)
{
	int pid;
	EXPECT(1, setgroups(1, (gid_t[]){ 77 }) == 0);
	EXPECT(2, setregid(600, 601) == 0);
	EXPECT(3, setreuid(1000, 1001) == 0);
	pid = fork();
	if (pid == 0) {
		uid_t r, e, s;
		gid_t g[2];
		_exit(getresuid(&r, &e, &s) == 0 && r == 1000 && e == 1001 && s == 1001 &&
		      getgroups(2, g) == 1 && g[0] == 77 && getegid() == 601 ? 0 : 1);
	}
	EXPECT(4, wait_code(pid) == 0);
	/* exec: real and effective kept, the saved ones become the effective ones */
	EXPECT(5, seteuid(1000) == 0);                  /* saved stays 1001 */
	pid = fork();
	if (pid == 0) {
		proc_exec("/test/ptest credcheck");
		_exit(50);
	}
	EXPECT(6, wait_code(pid) == 0);
	return 0;
}

/* fork copies every id and the groups; exec keeps them, saved = effective */
void test_creds_fork_exec(void)
{
	CHECK_EQ(in_child(fork_exec_kept), 0);
}

/* "ptest credcheck": exec'd by fork_exec_kept as real 1000, effective 1000, saved 1001 */
int credcheck_main(void)
{
	uid_t r, e, s;
	gid_t g[2];
	if (getresuid(&r, &e, &s) || r != 1000 || e != 1000)
		return 21;
	if (s != 1000)
		return 22;                             /* exec set the saved id from the effective */
	if (seteuid(1001) == 0)
		return 23;                             /* so 1001 is out of reach now */
	if (getgroups(2, g) != 1 || g[0] != 77)
		return 24;
	return 0;
}

static int signal_rules(void)
{
	int pid, fds[2];
	char c;
	/* a child that becomes real 2000, effective and saved 2001; we become 1000 with saved 2000 */
	if (pipe(fds))
		return 1;
	pid = fork();
	if (pid == 0) {
		setreuid(2000, 2001);
		write(fds[1], "r", 1);
		for (;;)
			pause();
	}
	EXPECT(2, pid > 0 && read(fds[0], &c, 1) == 1);
	EXPECT(3, setreuid(1000, 2000) == 0 && seteuid(1000) == 0);   /* real 1000, effective 1000, saved 2000 */
	/* our effective 1000 and real 1000 match neither its real 2000 nor its saved 2001 ... */
	EXPECT(4, kill(pid, 0) == -1 && errno == EPERM);
	/* ... but our effective may become the saved 2000, its real: allowed */
	EXPECT(5, seteuid(2000) == 0);
	EXPECT(6, kill(pid, SIGTERM) == 0);
	EXPECT(7, wait_code(pid) == 100 + SIGTERM);
	return 0;
}

/* kill: the sender's real or effective id must be the target's real or saved id (uid 0: any) */
void test_creds_kill_rules(void)
{
	CHECK_EQ(in_child(signal_rules), 0);
}
