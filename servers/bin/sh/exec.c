/*
 * Running a parsed line: and-or lists, pipelines (fork + execvp, one process
 * group per job with job control), redirections, assignments and builtins.
 * A single builtin, or a command of only assignments and redirections, runs in
 * the shell itself; everything else runs in children.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

extern char **environ;

static struct sh_prog prog;        /* the line being run (large: not on the stack) */

/* ---- variables ---- */

const char *sh_lookup(void *ctx, const char *name)
{
	static char num[24];
	(void)ctx;

	if (name[1] == '\0') {
		switch (name[0]) {
		case '?': snprintf(num, sizeof(num), "%d", sh.status); return num;
		case '$': snprintf(num, sizeof(num), "%d", (int)sh.pid); return num;
		case '#': snprintf(num, sizeof(num), "%d", sh.argc > 0 ? sh.argc - 1 : 0); return num;
		case '!':
			if (!sh.last_bg)
				return NULL;
			snprintf(num, sizeof(num), "%d", (int)sh.last_bg);
			return num;
		}
		if (name[0] == '@' || name[0] == '*') {
			/* the arguments joined by spaces: one word, as nothing is split */
			static char all[SH_LINE_MAX + 1];
			size_t n = 0;
			all[0] = '\0';
			for (int i = 1; i < sh.argc && n < sizeof(all); i++)
				n += (size_t)snprintf(all + n, sizeof(all) - n, "%s%s", i > 1 ? " " : "", sh.argv[i]);
			return all;
		}
		if (name[0] >= '0' && name[0] <= '9') {
			int i = name[0] - '0';
			return i < sh.argc ? sh.argv[i] : NULL;
		}
	}
	return getenv(name);
}

/* ---- expansion of one command, done in the shell before it forks ---- */

struct expanded {
	char *argv[SH_MAX_TOKENS + 1];
	int argc;
	char *assign[SH_MAX_TOKENS];     /* "NAME=value" */
	int nassign;
	char *file[SH_MAX_TOKENS];       /* per redirection of the command: its file, or NULL */
	char buf[8192];
	size_t used;
};

static struct expanded ex;

/* expand raw word w into ex.buf; NULL (and a message) if it does not fit */
static char *expand_word(const char *w, int *quoted)
{
	size_t room = sizeof(ex.buf) - ex.used;
	char *out = ex.buf + ex.used;
	int n = sh_expand(w, sh_lookup, NULL, out, room, quoted);

	if (n < 0) {
		fprintf(stderr, "sh: word too long after expansion\n");
		return NULL;
	}
	ex.used += (size_t)n + 1;
	return out;
}

static int expand_cmd(const struct sh_cmd *c)
{
	const char *const *w = prog.words + c->word0;
	int quoted;

	ex.used = 0;
	ex.argc = ex.nassign = 0;
	for (int i = 0; i < c->nassign; i++) {
		size_t n = sh_is_assignment(w[i]);
		char *v;
		if (ex.used + n + 1 >= sizeof(ex.buf)) {
			fprintf(stderr, "sh: word too long after expansion\n");
			return -1;
		}
		/* "NAME=" copied as is, the value expanded after it */
		memcpy(ex.buf + ex.used, w[i], n + 1);
		ex.used += n + 1;
		if (!(v = expand_word(w[i] + n + 1, NULL)))
			return -1;
		ex.assign[ex.nassign++] = v - n - 1;
	}
	for (int i = 0; i < c->argc; i++) {
		char *a = expand_word(w[c->nassign + i], &quoted);
		if (!a)
			return -1;
		if (*a || quoted)          /* an unquoted word that expands to nothing is dropped */
			ex.argv[ex.argc++] = a;
	}
	ex.argv[ex.argc] = NULL;
	for (int i = 0; i < c->nredir; i++) {
		const struct sh_redir *r = &prog.redirs[c->redir0 + i];
		ex.file[i] = NULL;
		if (r->word && !(ex.file[i] = expand_word(r->word, NULL)))
			return -1;
	}
	return 0;
}

static void set_assignments(void)
{
	for (int i = 0; i < ex.nassign; i++) {
		char *eq = strchr(ex.assign[i], '=');
		*eq = '\0';
		if (setenv(ex.assign[i], eq + 1, 1) < 0)
			fprintf(stderr, "sh: %s: %s\n", ex.assign[i], strerror(errno));
		*eq = '=';
	}
}

/* ---- redirections ---- */

#define NSAVE 10   /* redirections of descriptors 0..9 can be undone */

/*
 * Apply c's redirections in order.  With save (in the shell itself), first
 * keep a copy of each descriptor changed, for undo_redirs: save[fd] is the
 * copy, -2 if fd was closed, -1 if untouched.  Returns 0, or -1 after a message.
 */
static int apply_redirs(const struct sh_cmd *c, int *save)
{
	for (int i = 0; i < c->nredir; i++) {
		const struct sh_redir *r = &prog.redirs[c->redir0 + i];
		int fd = -1;

		if (save && r->fd < NSAVE && save[r->fd] == -1) {
			save[r->fd] = fcntl(r->fd, F_DUPFD, NSAVE);
			if (save[r->fd] < 0)
				save[r->fd] = -2;
		}
		switch (r->op) {
		case SH_R_IN:
			fd = open(ex.file[i], O_RDONLY);
			break;
		case SH_R_OUT:
			fd = open(ex.file[i], O_WRONLY | O_CREAT | O_TRUNC, 0666);
			break;
		case SH_R_APPEND:
			fd = open(ex.file[i], O_WRONLY | O_CREAT | O_APPEND, 0666);
			break;
		case SH_R_DUP:
			if (r->dupfd != r->fd && dup2(r->dupfd, r->fd) < 0) {
				fprintf(stderr, "sh: %d: %s\n", r->dupfd, strerror(errno));
				return -1;
			}
			continue;
		case SH_R_CLOSE:
			close(r->fd);
			continue;
		}
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", ex.file[i], strerror(errno));
			return -1;
		}
		if (fd != r->fd) {
			if (dup2(fd, r->fd) < 0) {
				fprintf(stderr, "sh: %d: %s\n", r->fd, strerror(errno));
				close(fd);
				return -1;
			}
			close(fd);
		}
	}
	return 0;
}

static void undo_redirs(int *save)
{
	fflush(stdout);
	fflush(stderr);
	for (int fd = NSAVE - 1; fd >= 0; fd--) {
		if (save[fd] >= 0) {
			dup2(save[fd], fd);
			close(save[fd]);
		} else if (save[fd] == -2) {
			close(fd);
		}
	}
}

/* ---- builtins ---- */

void sh_exit(int status)
{
	fflush(stdout);
	if (sh.interactive)
		jobs_hangup();
	exit(status & 0xff);
}

static int bi_exit(int argc, char **argv)
{
	int status = sh.status;

	if (argc > 2) {
		fprintf(stderr, "sh: exit: too many arguments\n");
		return 1;
	}
	if (argc == 2) {
		char *end;
		long n = strtol(argv[1], &end, 10);
		if (!argv[1][0] || *end) {
			fprintf(stderr, "sh: exit: %s: numeric argument required\n", argv[1]);
			status = 2;
		} else {
			status = (int)(n & 0xff);
		}
	}
	sh_exit(status);
}

static int bi_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("HOME");
	char cwd[256];

	if (argc > 2) {
		fprintf(stderr, "sh: cd: too many arguments\n");
		return 1;
	}
	if (!dir || !*dir)
		dir = "/";
	if (chdir(dir) < 0) {
		fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (getcwd(cwd, sizeof(cwd)))
		setenv("PWD", cwd, 1);
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	char cwd[256];

	if (!getcwd(cwd, sizeof(cwd))) {
		fprintf(stderr, "sh: pwd: %s\n", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	return 0;
}

static int valid_name(const char *s, size_t n)
{
	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* export [NAME[=value]...]: one environment, so NAME alone changes nothing */
static int bi_export(int argc, char **argv)
{
	int status = 0;

	if (argc == 1) {
		for (char **e = environ; e && *e; e++)
			printf("export %s\n", *e);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (!valid_name(argv[i], n)) {
			fprintf(stderr, "sh: export: '%s': not a valid name\n", argv[i]);
			status = 1;
			continue;
		}
		if (eq) {
			*eq = '\0';
			if (setenv(argv[i], eq + 1, 1) < 0) {
				fprintf(stderr, "sh: export: %s: %s\n", argv[i], strerror(errno));
				status = 1;
			}
			*eq = '=';
		}
	}
	return status;
}

static int bi_unset(int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (!valid_name(argv[i], strlen(argv[i]))) {
			fprintf(stderr, "sh: unset: '%s': not a valid name\n", argv[i]);
			status = 1;
			continue;
		}
		unsetenv(argv[i]);
	}
	return status;
}

static int bi_true(int argc, char **argv) { return 0; }
static int bi_false(int argc, char **argv) { return 1; }

static const struct builtin {
	const char *name;
	int (*fn)(int argc, char **argv);
} builtins[] = {
	{ ":",      bi_true },
	{ "bg",     bi_bg },
	{ "cd",     bi_cd },
	{ "exit",   bi_exit },
	{ "export", bi_export },
	{ "false",  bi_false },
	{ "fg",     bi_fg },
	{ "jobs",   bi_jobs },
	{ "pwd",    bi_pwd },
	{ "true",   bi_true },
	{ "unset",  bi_unset },
	{ "wait",   bi_wait },
};

static const struct builtin *find_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return &builtins[i];
	return NULL;
}

/* ---- children ---- */

static const int job_signals[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };

/* a new child's process group, terminal and signals, before it runs anything */
static void child_setup(pid_t pgid, int fg, int bg)
{
	if (sh.jobctl) {
		setpgid(0, pgid);
		if (fg)
			tcsetpgrp(sh.tty, pgid ? pgid : getpid());
	}
	if (sh.interactive)
		for (size_t i = 0; i < sizeof(job_signals) / sizeof(job_signals[0]); i++)
			signal(job_signals[i], SIG_DFL);
	if (bg && !sh.jobctl) {
		/* POSIX: an asynchronous list without job control ignores these */
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
	}
	/* the jobs are the parent's: a builtin here (exit, fg) must not touch them */
	sh.interactive = sh.jobctl = 0;
	jobs_clear();
}

/* in the child: run the expanded command c; never returns */
static void child_exec(const struct sh_cmd *c) __attribute__((noreturn));
static void child_exec(const struct sh_cmd *c)
{
	const struct builtin *b;
	int err;

	if (apply_redirs(c, NULL) < 0)
		_exit(1);
	set_assignments();
	if (ex.argc == 0)
		_exit(0);
	if ((b = find_builtin(ex.argv[0]))) {
		int status = b->fn(ex.argc, ex.argv);
		fflush(stdout);
		_exit(status);
	}
	execvp(ex.argv[0], ex.argv);
	err = errno;
	if (err == ENOENT && !strchr(ex.argv[0], '/'))
		fprintf(stderr, "sh: %s: not found\n", ex.argv[0]);
	else
		fprintf(stderr, "sh: %s: %s\n", ex.argv[0], strerror(err));
	_exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}

/* a single builtin or a command with no words, in the shell itself */
static int run_in_shell(const struct sh_cmd *c)
{
	int save[NSAVE], status = 0;
	const struct builtin *b = ex.argc ? find_builtin(ex.argv[0]) : NULL;

	for (int i = 0; i < NSAVE; i++)
		save[i] = -1;
	if (apply_redirs(c, save) < 0)
		status = 1;
	else if (!b)
		set_assignments();      /* NAME=value alone: the shell's own environment */
	else {
		set_assignments();      /* kept after the builtin (as for POSIX special builtins) */
		status = b->fn(ex.argc, ex.argv);
	}
	undo_redirs(save);
	return status;
}

/*
 * Run pipeline pl (text: line[pl->start .. pl->end)) as a job, in the
 * foreground or, with bg, in the background.  Returns its status.
 */
static int run_pipeline(const struct sh_pipeline *pl, const char *line, int bg)
{
	struct job *j;
	int in = -1, failed = 0, status, expanded = 0;
	pid_t pgid = 0;

	if (pl->ncmds == 1 && !bg) {
		const struct sh_cmd *c = &prog.cmds[pl->cmd0];
		if (expand_cmd(c) < 0)
			return 1;
		if (ex.argc == 0 || find_builtin(ex.argv[0]))
			return run_in_shell(c);
		expanded = 1;
	}
	if (!(j = job_new(line + pl->start, (size_t)(pl->end - pl->start), !bg)))
		return 1;
	for (int i = 0; i < pl->ncmds && !failed; i++) {
		const struct sh_cmd *c = &prog.cmds[pl->cmd0 + i];
		int pfd[2] = { -1, -1 };
		pid_t pid;

		if (!(i == 0 && expanded) && expand_cmd(c) < 0) {
			failed = 1;
			break;
		}
		if (i + 1 < pl->ncmds && pipe(pfd) < 0) {
			fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
			failed = 1;
			break;
		}
		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "sh: fork: %s\n", strerror(errno));
			if (pfd[0] >= 0) {
				close(pfd[0]);
				close(pfd[1]);
			}
			failed = 1;
			break;
		}
		if (pid == 0) {
			child_setup(pgid, !bg, bg);
			if (pfd[0] >= 0)
				close(pfd[0]);
			if (in > 0) {
				dup2(in, 0);
				close(in);
			}
			if (pfd[1] > 1) {
				dup2(pfd[1], 1);
				close(pfd[1]);
			}
			child_exec(c);
		}
		/* parent too, so that the group exists whichever runs first */
		if (sh.jobctl) {
			if (!pgid)
				pgid = pid;
			setpgid(pid, pgid);
		}
		job_add_proc(j, pid, pgid);
		if (in >= 0)
			close(in);
		if (pfd[1] >= 0)
			close(pfd[1]);
		in = pfd[0];
	}
	if (in >= 0)
		close(in);
	if (job_nprocs(j) == 0) {
		job_free(j);
		return 1;
	}
	if (bg) {
		job_background(j);
		return failed;
	}
	status = job_wait_fg(j);
	return failed ? 1 : status;
}

/* an and-or list in the foreground; its status */
static int run_andor_fg(const struct sh_andor *a, const char *line)
{
	int status = sh.status;

	for (int i = 0; i < a->npipes; i++) {
		const struct sh_pipeline *pl = &prog.pipes[a->pipe0 + i];
		if ((pl->op == SH_AND && status != 0) || (pl->op == SH_OR && status == 0))
			continue;
		status = run_pipeline(pl, line, 0);
		sh.status = status;
	}
	return status;
}

/* an and-or list of several pipelines with '&': a subshell runs it as one job */
static int run_andor_bg(const struct sh_andor *a, const char *line)
{
	struct job *j = job_new(line + a->start, (size_t)(a->end - a->start), 0);
	pid_t pid;

	if (!j)
		return 1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "sh: fork: %s\n", strerror(errno));
		job_free(j);
		return 1;
	}
	if (pid == 0) {
		child_setup(0, 0, 1);
		_exit(run_andor_fg(a, line) & 0xff);
	}
	if (sh.jobctl)
		setpgid(pid, pid);
	job_add_proc(j, pid, sh.jobctl ? pid : 0);
	job_background(j);
	return 0;
}

int run_line(const char *line, size_t len)
{
	if (sh_parse(line, len, &prog) < 0) {
		fprintf(stderr, "sh: %s\n", prog.err);
		sh.status = 2;
		return sh.status;
	}
	for (int i = 0; i < prog.nlists; i++) {
		const struct sh_andor *a = &prog.lists[i];
		if (!a->bg)
			sh.status = run_andor_fg(a, line);
		else if (a->npipes == 1)
			sh.status = run_pipeline(&prog.pipes[a->pipe0], line, 1);
		else
			sh.status = run_andor_bg(a, line);
	}
	return sh.status;
}
