/*
 * Jobs: a job is one pipeline (or a background and-or list run by a subshell),
 * its processes, and, with job control, the process group they share.  Every
 * child the shell waits for is found here by pid, so one waitpid(-1) loop
 * serves foreground waits, `wait` and the poll before each prompt.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

#define MAX_JOBS 32
#define CMD_MAX  120

enum { PR_RUNNING, PR_STOPPED, PR_DONE };
enum { JOB_RUNNING, JOB_STOPPED, JOB_DONE };

struct job_proc {
	pid_t pid;
	int state;            /* PR_* */
	int wstatus;          /* the last wait status */
};

struct job {
	int id;               /* [n]; 0: the slot is free */
	pid_t pgid;           /* its group with job control, else 0 */
	int fg;               /* the shell is waiting for it */
	int reported;         /* its present state has been reported */
	unsigned seq;         /* when it last went to the background: the highest is %+ */
	int nprocs;
	struct job_proc procs[SH_MAX_PIPE];
	char cmd[CMD_MAX];
};

static struct job jobs[MAX_JOBS];
static unsigned job_seq;

int status_of(int ws)
{
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	if (WIFSTOPPED(ws))
		return 128 + WSTOPSIG(ws);
	return 1;
}

/* what a signal did, as shells print it */
static const char *sig_text(int sig)
{
	static char other[24];

	switch (sig) {
	case SIGHUP:  return "Hangup";
	case SIGINT:  return "Interrupt";
	case SIGQUIT: return "Quit";
	case SIGILL:  return "Illegal instruction";
	case SIGTRAP: return "Trace/breakpoint trap";
	case SIGABRT: return "Aborted";
	case SIGBUS:  return "Bus error";
	case SIGFPE:  return "Floating point exception";
	case SIGKILL: return "Killed";
	case SIGUSR1: return "User defined signal 1";
	case SIGSEGV: return "Segmentation fault";
	case SIGUSR2: return "User defined signal 2";
	case SIGPIPE: return "Broken pipe";
	case SIGALRM: return "Alarm clock";
	case SIGTERM: return "Terminated";
	}
	snprintf(other, sizeof(other), "Signal %d", sig);
	return other;
}

static int job_state(const struct job *j)
{
	int stopped = 0;

	for (int i = 0; i < j->nprocs; i++) {
		if (j->procs[i].state == PR_RUNNING)
			return JOB_RUNNING;
		stopped |= j->procs[i].state == PR_STOPPED;
	}
	return stopped ? JOB_STOPPED : JOB_DONE;
}

/* the job's status: its last process's */
static int job_status(const struct job *j)
{
	return j->nprocs ? status_of(j->procs[j->nprocs - 1].wstatus) : 1;
}

/* '+' for the current job, '-' for the previous one, ' ' for the others */
static char job_mark(const struct job *j)
{
	const struct job *cur = NULL, *prev = NULL;

	for (int i = 0; i < MAX_JOBS; i++) {
		const struct job *k = &jobs[i];
		if (!k->id || k->fg)
			continue;
		if (!cur || k->seq > cur->seq) {
			prev = cur;
			cur = k;
		} else if (!prev || k->seq > prev->seq) {
			prev = k;
		}
	}
	return j == cur ? '+' : j == prev ? '-' : ' ';
}

/* "Running", "Stopped", "Done", "Exit 3", "Terminated" */
static const char *state_text(const struct job *j, char *buf, size_t n)
{
	int st = job_state(j), ws;

	if (st == JOB_RUNNING)
		return "Running";
	if (st == JOB_STOPPED)
		return "Stopped";
	ws = j->procs[j->nprocs - 1].wstatus;
	if (WIFSIGNALED(ws))
		return sig_text(WTERMSIG(ws));
	if (WEXITSTATUS(ws) == 0)
		return "Done";
	snprintf(buf, n, "Exit %d", WEXITSTATUS(ws));
	return buf;
}

static void job_print(FILE *f, const struct job *j, int with_pid)
{
	char buf[16];
	int st = job_state(j);

	fprintf(f, "[%d]%c ", j->id, job_mark(j));
	if (with_pid)
		fprintf(f, "%d ", (int)(j->pgid ? j->pgid : j->procs[0].pid));
	fprintf(f, "%s  %s%s\n", state_text(j, buf, sizeof(buf)), j->cmd,
		st == JOB_RUNNING ? " &" : "");
	fflush(f);
}

struct job *job_new(const char *text, size_t len, int fg)
{
	struct job *j = NULL;
	int top = 0;

	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].id > top)
			top = jobs[i].id;
	for (int i = 0; i < MAX_JOBS && !j; i++)
		if (!jobs[i].id)
			j = &jobs[i];
	if (!j && !sh.interactive) {
		/* nobody will be told: the oldest ended job makes room */
		for (int i = 0; i < MAX_JOBS; i++)
			if (job_state(&jobs[i]) == JOB_DONE && !jobs[i].fg &&
			    (!j || jobs[i].seq < j->seq))
				j = &jobs[i];
	}
	if (!j) {
		fprintf(stderr, "sh: too many jobs\n");
		return NULL;
	}
	memset(j, 0, sizeof(*j));
	j->id = top + 1;
	j->fg = fg;
	if (len >= sizeof(j->cmd)) {
		memcpy(j->cmd, text, sizeof(j->cmd) - 4);
		memcpy(j->cmd + sizeof(j->cmd) - 4, "...", 4);
	} else {
		memcpy(j->cmd, text, len);
		j->cmd[len] = '\0';
	}
	return j;
}

void job_add_proc(struct job *j, pid_t pid, pid_t pgid)
{
	if (j->nprocs == SH_MAX_PIPE)
		return;           /* the parser allows no longer pipeline */
	j->pgid = pgid;
	j->procs[j->nprocs].pid = pid;
	j->procs[j->nprocs].state = PR_RUNNING;
	j->procs[j->nprocs].wstatus = 0;
	j->nprocs++;
}

int job_nprocs(const struct job *j)
{
	return j->nprocs;
}

void job_free(struct job *j)
{
	j->id = 0;
	j->nprocs = 0;
}

void jobs_clear(void)
{
	for (int i = 0; i < MAX_JOBS; i++)
		job_free(&jobs[i]);
}

/* record what waitpid said about pid */
static void job_update(pid_t pid, int ws)
{
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];
		if (!j->id)
			continue;
		for (int k = 0; k < j->nprocs; k++) {
			if (j->procs[k].pid != pid)
				continue;
			j->procs[k].wstatus = ws;
			j->procs[k].state = WIFSTOPPED(ws) ? PR_STOPPED : PR_DONE;
			j->reported = 0;
			return;
		}
	}
	/* not ours (a child of an earlier exec'd image): ignored */
}

/* wait for one child; 0 when there is nothing to wait for */
static int reap_one(int options)
{
	int ws;
	pid_t pid;

	if (sh.jobctl)
		options |= WUNTRACED;
	do
		pid = waitpid(-1, &ws, options);
	while (pid < 0 && errno == EINTR);
	if (pid <= 0)
		return pid < 0 ? -1 : 0;
	job_update(pid, ws);
	return 1;
}

/* no children left although some are marked running: mark them ended */
static void job_lost(struct job *j)
{
	for (int k = 0; k < j->nprocs; k++)
		if (j->procs[k].state == PR_RUNNING)
			j->procs[k].state = PR_DONE;
}

int job_wait_fg(struct job *j)
{
	int status, intr = 0, sig = 0;

	if (sh.jobctl && j->pgid)
		tcsetpgrp(sh.tty, j->pgid);
	while (job_state(j) == JOB_RUNNING)
		if (reap_one(0) < 0)
			job_lost(j);
	if (sh.jobctl)
		tcsetpgrp(sh.tty, sh.pgid);

	if (job_state(j) == JOB_STOPPED) {
		j->fg = 0;
		j->seq = ++job_seq;
		j->reported = 1;
		if (sh.interactive)
			fputc('\n', stderr);
		fprintf(stderr, "[%d]%c Stopped  %s\n", j->id, job_mark(j), j->cmd);
		for (int k = 0; k < j->nprocs; k++)
			if (j->procs[k].state == PR_STOPPED)
				return status_of(j->procs[k].wstatus);
		return 128 + SIGTSTP;
	}
	for (int k = 0; k < j->nprocs; k++) {
		int ws = j->procs[k].wstatus;
		if (!WIFSIGNALED(ws))
			continue;
		if (WTERMSIG(ws) == SIGINT)
			intr = 1;
		else if (WTERMSIG(ws) != SIGPIPE && !sig)
			sig = WTERMSIG(ws);
	}
	if (sig)
		fprintf(stderr, "%s\n", sig_text(sig));
	else if (intr && sh.interactive)
		fputc('\n', stderr);
	status = job_status(j);
	job_free(j);
	return status;
}

void job_background(struct job *j)
{
	j->fg = 0;
	j->seq = ++job_seq;
	j->reported = 1;
	sh.last_bg = j->procs[j->nprocs - 1].pid;
	if (sh.interactive)
		fprintf(stderr, "[%d] %d\n", j->id, (int)sh.last_bg);
}

void jobs_poll(void)
{
	while (reap_one(WNOHANG) > 0)
		;
}

void jobs_notify(void)
{
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];
		if (!j->id || j->fg || j->reported)
			continue;
		int st = job_state(j);
		if (st == JOB_RUNNING)
			continue;
		if (!sh.interactive)
			continue;          /* kept for `wait` */
		job_print(stderr, j, 0);
		j->reported = 1;
		if (st == JOB_DONE)
			job_free(j);
	}
}

void jobs_hangup(void)
{
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];
		if (j->id && j->pgid && job_state(j) == JOB_STOPPED) {
			kill(-j->pgid, SIGHUP);
			kill(-j->pgid, SIGCONT);
		}
	}
}

/* ---- job control builtins ---- */

/* the job a spec names: %n, %+, %%, %-, or n when bare numbers are job numbers */
static struct job *job_find(const char *who, const char *spec)
{
	const char *s = spec;
	char *end;
	long n;

	if (!spec || strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0 || strcmp(spec, "%-") == 0) {
		char want = spec && spec[1] == '-' ? '-' : '+';
		for (int i = 0; i < MAX_JOBS; i++)
			if (jobs[i].id && !jobs[i].fg && job_mark(&jobs[i]) == want)
				return &jobs[i];
		fprintf(stderr, "sh: %s: no %s job\n", who, want == '+' ? "current" : "previous");
		return NULL;
	}
	if (*s == '%')
		s++;
	n = strtol(s, &end, 10);
	if (!*s || *end || n <= 0) {
		fprintf(stderr, "sh: %s: %s: bad job specification\n", who, spec);
		return NULL;
	}
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].id == n && !jobs[i].fg)
			return &jobs[i];
	fprintf(stderr, "sh: %s: %s: no such job\n", who, spec);
	return NULL;
}

int bi_jobs(int argc, char **argv)
{
	int with_pid = argc > 1 && strcmp(argv[1], "-l") == 0;

	if (argc > 1 + with_pid) {
		fprintf(stderr, "sh: jobs: usage: jobs [-l]\n");
		return 2;
	}
	jobs_poll();
	for (int id = 1, left = 1; left; id++) {
		left = 0;
		for (int i = 0; i < MAX_JOBS; i++) {
			struct job *j = &jobs[i];
			if (!j->id || j->fg)
				continue;
			if (j->id > id)
				left = 1;
			if (j->id != id)
				continue;
			job_print(stdout, j, with_pid);
			j->reported = 1;
			if (job_state(j) == JOB_DONE)
				job_free(j);
		}
	}
	return 0;
}

/* fg and bg check the same things first */
static struct job *control_job(const char *who, int argc, char **argv)
{
	if (!sh.jobctl) {
		fprintf(stderr, "sh: %s: no job control\n", who);
		return NULL;
	}
	if (argc > 2) {
		fprintf(stderr, "sh: %s: usage: %s [%%job]\n", who, who);
		return NULL;
	}
	jobs_poll();
	return job_find(who, argc > 1 ? argv[1] : NULL);
}

static void job_continue(struct job *j)
{
	for (int k = 0; k < j->nprocs; k++)
		if (j->procs[k].state == PR_STOPPED)
			j->procs[k].state = PR_RUNNING;
	j->reported = 0;
	kill(-j->pgid, SIGCONT);
}

int bi_fg(int argc, char **argv)
{
	struct job *j = control_job("fg", argc, argv);

	if (!j)
		return 1;
	if (job_state(j) == JOB_DONE) {
		/* ended since: report it as the prompt would */
		int status = job_status(j);
		job_print(stderr, j, 0);
		job_free(j);
		return status;
	}
	printf("%s\n", j->cmd);
	fflush(stdout);
	j->fg = 1;
	tcsetpgrp(sh.tty, j->pgid);
	job_continue(j);
	return job_wait_fg(j);
}

int bi_bg(int argc, char **argv)
{
	struct job *j = control_job("bg", argc, argv);

	if (!j)
		return 1;
	if (job_state(j) != JOB_STOPPED) {
		fprintf(stderr, "sh: bg: job %d already in background\n", j->id);
		return 0;
	}
	job_continue(j);
	j->seq = ++job_seq;
	j->reported = 1;
	printf("[%d]%c %s &\n", j->id, job_mark(j), j->cmd);
	return 0;
}

/* wait for every process of j, or only pid if it is not 0; its status */
static int wait_job(struct job *j, pid_t pid)
{
	int k;

	for (;;) {
		int st = job_state(j);
		if (pid) {
			for (k = 0; k < j->nprocs && j->procs[k].pid != pid; k++)
				;
			if (j->procs[k].state != PR_RUNNING) {
				st = status_of(j->procs[k].wstatus);
				if (job_state(j) == JOB_DONE)
					job_free(j);
				return st;
			}
		} else if (st != JOB_RUNNING) {
			st = job_status(j);
			if (job_state(j) == JOB_DONE)
				job_free(j);
			return st;
		}
		if (reap_one(0) < 0)
			job_lost(j);
	}
}

int bi_wait(int argc, char **argv)
{
	int status = 0;

	if (argc == 1) {
		for (;;) {
			int running = 0;
			for (int i = 0; i < MAX_JOBS; i++)
				running |= jobs[i].id && !jobs[i].fg && job_state(&jobs[i]) == JOB_RUNNING;
			if (!running)
				break;
			if (reap_one(0) < 0)
				for (int i = 0; i < MAX_JOBS; i++)
					if (jobs[i].id)
						job_lost(&jobs[i]);
		}
		/* the ended ones were waited for: nothing left to report */
		for (int i = 0; i < MAX_JOBS; i++)
			if (jobs[i].id && !jobs[i].fg && job_state(&jobs[i]) == JOB_DONE)
				job_free(&jobs[i]);
		return 0;
	}
	for (int a = 1; a < argc; a++) {
		struct job *j = NULL;
		pid_t pid = 0;
		if (argv[a][0] == '%') {
			if (!(j = job_find("wait", argv[a]))) {
				status = 127;
				continue;
			}
		} else {
			char *end;
			long n = strtol(argv[a], &end, 10);
			if (!argv[a][0] || *end || n <= 0) {
				fprintf(stderr, "sh: wait: %s: not a pid or job\n", argv[a]);
				status = 2;
				continue;
			}
			pid = (pid_t)n;
			for (int i = 0; i < MAX_JOBS && !j; i++)
				for (int k = 0; k < jobs[i].nprocs; k++)
					if (jobs[i].id && !jobs[i].fg && jobs[i].procs[k].pid == pid)
						j = &jobs[i];
			if (!j) {
				fprintf(stderr, "sh: wait: pid %ld is not a child of this shell\n", n);
				status = 127;
				continue;
			}
		}
		status = wait_job(j, pid);
	}
	return status;
}
