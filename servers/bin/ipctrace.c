/*
 * ipctrace [-v] CMD [ARG...]: run a command the way a shell does (fork, or
 * vfork with -v; then execvp; then waitpid) with the kernel's IPC trace on,
 * and print every message and kernel call the system made meanwhile, in
 * order: who sent what to whom, and what each kernel call returned.
 *
 * The trace lives in the kernel (SYS_TRACE); the proc server starts, stops
 * and reads it for us (PROC_TRACE, uid 0) and names every lwp "name[pid]"
 * while it runs; the servers are named by the root task that started them.
 * A line of the table:
 *
 *     #      time-us hart  from            to              what
 *     3       47.600    0  proc            kernel          as_clone -> 0
 *
 * "call X" / "send X" is a message (X the protocol message, from the
 * receiver's protocol), "reply X" its answer (with the error if not 0),
 * anything else a kernel call with its status.  scripts/ipctrace2svg.py
 * draws a saved table as a sequence diagram.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "proc.h"
#include "uapi/fs.h"

static struct trace_rec recs[TRACE_MAX];

static const char *const kcall_names[SYS_NCALLS] = {
#define SYSCALL(NAME, name, doc) [SYS_##NAME] = #name,
#include "uapi/syscalls.def"
#undef SYSCALL
};

static const char *const proc_names[PROC_NMSG] = {
	[PROC_FORKSYS] = "forksys", [PROC_EXIT] = "exit", [PROC_WAITID] = "waitid",
	[PROC_GETPID] = "getpid", [PROC_SETSID] = "setsid", [PROC_SETPGID] = "setpgid",
	[PROC_GETSID] = "getsid", [PROC_GETPGID] = "getpgid", [PROC_LWP_CREATE] = "lwp_create",
	[PROC_LWP_EXIT] = "lwp_exit", [PROC_RCTL_GET] = "rctl_get", [PROC_RCTL_SET] = "rctl_set",
	[PROC_NEWTASK] = "newtask", [PROC_SETUID] = "setuid", [PROC_SPAWN] = "spawn",
	[PROC_EXEC] = "exec", [PROC_LIST] = "list", [PROC_FORKSTAT] = "forkstat",
	[PROC_SYSCONF] = "sysconf", [PROC_SIGPOLL] = "sigpoll", [PROC_FAULT_INJECT] = "fault_inject",
	[PROC_POWEROFF] = "poweroff", [PROC_KILL] = "kill", [PROC_SBRK] = "sbrk",
	[PROC_SIGACTION] = "sigaction", [PROC_TTY_QUERY] = "tty_query", [PROC_TRACE] = "trace",
	[PROC_CONSOLE] = "console", [PROC_SIGMASK] = "sigmask", [PROC_SIGPENDING] = "sigpending",
	[PROC_SIGSUSPEND] = "sigsuspend", [PROC_SIGWAIT] = "sigwait", [PROC_LWP_KILL] = "lwp_kill",
	[PROC_GETCRED] = "getcred", [PROC_SETCRED] = "setcred", [PROC_SETGROUPS] = "setgroups",
	[PROC_SCHED] = "sched", [PROC_SIGQUEUE] = "sigqueue", [PROC_SIGALTSTACK] = "sigaltstack", [PROC_SETITIMER] = "setitimer",
};

static const char *const fs_names[] = {
	[FS_OPEN] = "open", [FS_CLOSE] = "close", [FS_READ] = "read", [FS_WRITE] = "write",
	[FS_LSEEK] = "lseek", [FS_DUP] = "dup", [FS_DUP2] = "dup2", [FS_PIPE] = "pipe", [FS_FSTAT] = "fstat",
	[FS_STAT] = "stat", [FS_FCNTL] = "fcntl", [FS_MKDIR] = "mkdir", [FS_UNLINK] = "unlink",
	[FS_RMDIR] = "rmdir", [FS_GETDENTS] = "getdents", [FS_CHDIR] = "chdir",
	[FS_GETCWD] = "getcwd", [FS_FTRUNCATE] = "ftruncate", [FS_MEMINFO] = "meminfo",
};
static const char *const fs_ctl_names[] = { "pnew", "pfork", "pexec", "pexit" };
static const char *const cons_names[] = { NULL, "write", "read", "tcgetpgrp", "tcsetpgrp" };

#define NAMEOF(tab, i) ((i) < sizeof(tab) / sizeof(tab[0]) && (tab)[i] ? (tab)[i] : NULL)

/* a thread's name as recorded, or t<id> if it never got one */
static const char *who(const char *name, uint32_t tid, char *buf)
{
	if (name[0]) {
		memcpy(buf, name, TRACE_NAME - 1);
		buf[TRACE_NAME - 1] = '\0';
	} else {
		snprintf(buf, 24, "t%u", (unsigned)tid);
	}
	return buf;
}

/* the message a label names, in the protocol of the server it went to */
static const char *msg_name(const char *server, uint32_t label, char *buf)
{
	const char *s = NULL;
	if (label == LABEL_FAULT)
		s = "FAULT";
	else if (label == LABEL_EXIT)
		s = "EXIT";
	else if (strcmp(server, "proc") == 0)
		s = NAMEOF(proc_names, label);
	else if (strcmp(server, "fs") == 0)
		s = label >= FS_PNEW ? NAMEOF(fs_ctl_names, label - FS_PNEW) : NAMEOF(fs_names, label);
	else if (strcmp(server, "console") == 0)
		s = NAMEOF(cons_names, label);
	if (s)
		return s;
	snprintf(buf, 24, "label %u", (unsigned)label);
	return buf;
}

/* the last call each thread made that is not answered yet: a reply says what it answers */
#define NPENDING 64
static struct { uint32_t tid; char what[24]; } pending[NPENDING];

static void pending_set(uint32_t tid, const char *what)
{
	int free_i = -1;
	for (int i = 0; i < NPENDING; i++) {
		if (pending[i].tid == tid) {
			free_i = i;
			break;
		}
		if (free_i < 0 && pending[i].tid == 0)
			free_i = i;
	}
	if (free_i < 0)
		free_i = (int)(tid % NPENDING);
	pending[free_i].tid = tid;
	snprintf(pending[free_i].what, sizeof(pending[free_i].what), "%s", what);
}

static const char *pending_take(uint32_t tid)
{
	for (int i = 0; i < NPENDING; i++)
		if (pending[i].tid == tid) {
			pending[i].tid = 0;
			return pending[i].what;
		}
	return "";
}

static void print_rec(unsigned i, const struct trace_rec *r, uint64_t t0, uint64_t hz)
{
	char from[24], to[24], lab[24], what[64];
	uint64_t us_x1000 = (r->time - t0) * 1000000ull / (hz / 1000);
	const char *sname = who(r->to_name, r->to, to);
	who(r->from_name, r->from, from);

	switch (r->kind) {
	case TR_CALL:
	case TR_SEND:
		snprintf(what, sizeof(what), "%s %s", r->kind == TR_CALL ? "call" : "send",
			 msg_name(sname, r->label, lab));
		if (r->kind == TR_CALL)
			pending_set(r->from, what + 5);
		break;
	case TR_REPLY: {
		const char *call = pending_take(r->to);
		int n = snprintf(what, sizeof(what), "reply%s%s", call[0] ? " " : "", call);
		if (r->label)
			snprintf(what + n, sizeof(what) - (size_t)n, " error %d", (int)r->label);
		break;
	}
	case TR_FAULT:
		snprintf(what, sizeof(what), "fault message");
		break;
	case TR_EXIT:
		snprintf(what, sizeof(what), "thread-exit message");
		break;
	case TR_KCALL:
		snprintf(to, sizeof(to), "kernel");
		if (r->flags & TRACE_F_BLOCK)
			snprintf(what, sizeof(what), "%s (blocks)", NAMEOF(kcall_names, r->nr) ?: "?");
		else
			snprintf(what, sizeof(what), "%s -> %d", NAMEOF(kcall_names, r->nr) ?: "?",
				 (int)r->label);
		break;
	default:
		snprintf(what, sizeof(what), "kind %u", r->kind);
	}
	if (r->kind != TR_KCALL && (r->flags & (TRACE_F_BUF | TRACE_F_CAP))) {
		size_t n = strlen(what);
		if (r->flags & TRACE_F_BUF)
			n += (size_t)snprintf(what + n, sizeof(what) - n, " +%u bytes", (unsigned)r->bytes);
		if (r->flags & TRACE_F_CAP)
			snprintf(what + n, sizeof(what) - n, " +handle");
	}
	printf("%5u %8lu.%03lu %4u  %-15s %-15s %s\n", i + 1, (unsigned long)(us_x1000 / 1000),
	       (unsigned long)(us_x1000 % 1000), (unsigned)r->hart, from, to, what);
}

/* the command in a child, as a shell starts it; the child never returns here */
static pid_t start(char **cmd, int use_vfork)
{
	pid_t pid = use_vfork ? vfork() : fork();
	if (pid == 0) {
		execvp(cmd[0], cmd);
		fprintf(stderr, "ipctrace: %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static void usage(void)
{
	fprintf(stderr, "usage: ipctrace [-v] command [argument...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int use_vfork = 0, status = 0, n = 0, nmsg = 0;
	uint64_t out[2];
	struct sysinfo si;
	pid_t pid;

	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-v") == 0)
			use_vfork = 1;
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else
			usage();
	}
	if (i >= argc)
		usage();
	fflush(stdout);
	if (proc_trace(TRACE_START, 0, NULL, 0, NULL) < 0) {
		fprintf(stderr, "ipctrace: cannot start the trace: %s\n", strerror(errno));
		return 1;
	}
	pid = start(argv + i, use_vfork);
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (proc_trace(TRACE_STOP, 0, NULL, 0, out) < 0) {
		fprintf(stderr, "ipctrace: cannot stop the trace: %s\n", strerror(errno));
		return 1;
	}
	if (pid < 0) {
		fprintf(stderr, "ipctrace: %s: %s\n", use_vfork ? "vfork" : "fork", strerror(errno));
		return 1;
	}
	while ((uint64_t)n < out[0]) {
		int got = proc_trace(TRACE_READ, (uint64_t)n, recs + n, TRACE_MAX - n, NULL);
		if (got <= 0)
			break;
		n += got;
	}
	/* leave out our own bookkeeping: the answer to TRACE_START, the TRACE_STOP call */
	int first = 0, last = n;
	for (int k = n - 1; k >= 0; k--)
		if (recs[k].kind == TR_CALL && recs[k].label == PROC_TRACE) {
			last = k;
			if (recs[0].kind == TR_REPLY && recs[0].to == recs[k].from)
				first = 1;
			break;
		}
	sys_info(&si);
	printf("ipctrace: %s+exec+wait of %s: %d events, %lu dropped\n", use_vfork ? "vfork" : "fork",
	       argv[i], last - first, (unsigned long)out[1]);
	printf("    #      time-us hart  %-15s %-15s what\n", "from", "to");
	memset(pending, 0, sizeof(pending));
	for (int k = first; k < last; k++) {
		print_rec((unsigned)(k - first), &recs[k], recs[first].time, si.timebase_hz);
		nmsg += recs[k].kind != TR_KCALL;
	}
	printf("ipctrace: end: %d messages, %d kernel calls; %s exited with status %d\n", nmsg,
	       last - first - nmsg, argv[i],
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
