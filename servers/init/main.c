/*
 * init: pid 1, made by the proc server in its own task.  First it has the
 * proc server start the console server (its child; started again if it
 * dies).  With bootargs "test" or "bench" it runs the process suite or
 * benchmarks and powers off when they end; "fuzz ..." or "leak ...": the
 * fuzzer or the leak checks with the words that follow (docs/fuzz.md), the
 * same way.  Otherwise it starts a login
 * shell on the console, in a session of its own, starts it again whenever
 * it exits, and reaps every orphan that comes its way.  With bootargs "prompt" (make bench) the boot
 * is the same, but the shell gets SH_BENCH_PROMPT=1: it reports the
 * instructions retired since power-on at its first prompt and exits, and
 * init powers off.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "proc.h"

static char *const shell_env[] = { "PATH=/bin:/usr/local/bin", "HOME=/", "TERM=dumb", NULL };
static char *const prompt_env[] = { "PATH=/bin:/usr/local/bin", "HOME=/", "TERM=dumb", "SH_BENCH_PROMPT=1", NULL };

/* what init ignores, its children get back (ignoring survives exec) */
static void child_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
}

/* the console shell: a new session, so it can take the terminal for its jobs */
static pid_t start_shell(char *const *env)
{
	char *const argv[] = { "-sh", NULL };
	pid_t pid = fork();

	if (pid == 0) {
		child_signals();
		setsid();
		execve("/bin/sh", argv, env);
		fprintf(stderr, "init: cannot run /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "init: cannot fork the shell: %s\n", strerror(errno));
	return pid;
}

/* the suites (ptest, thtest; pbench): each in turn, then reap everything and power off */
static int run_suites(const char *const *paths, char **argv, pid_t console)
{
	int status;

	for (; *paths; paths++) {
		pid_t child = fork();
		if (child == 0) {
			child_signals();
			argv[0] = (char *)*paths;
			execve(*paths, argv, shell_env);
			fprintf(stderr, "init: cannot run %s: %s\n", *paths, strerror(errno));
			_exit(127);
		}
		for (;;) {
			pid_t pid = waitpid(-1, &status, 0);
			if (pid == child || (pid < 0 && errno == ECHILD))
				break;
			if (pid == console)
				console = proc_console();
		}
	}
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	proc_poweroff();
	return 0;
}

int main(int argc, char **argv)
{
	pid_t shell, console;
	int status, prompt = 0;

	/* one init: typed at a shell, a second one would start a second shell on the console */
	if (getpid() != 1) {
		fprintf(stderr, "init: not pid 1 (pid %d): the system's init runs already\n", (int)getpid());
		return 1;
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	/* the console server, on the UART root handed the proc server; -1 if it could not
	 * start (the proc server says why on the SBI console: we could only tell the console) */
	console = proc_console();
	for (int i = 1; i < argc; i++) {
		static const char *const tests[] = { "/test/ptest", "/test/thtest", NULL };
		static const char *const benches[] = { "/test/pbench", NULL };
		static const char *const fuzz[] = { "/test/fuzz", NULL };
		static const char *const leak[] = { "/test/leak", NULL };
		if (strcmp(argv[i], "test") == 0)
			return run_suites(tests, argv, console);
		if (strcmp(argv[i], "bench") == 0)
			return run_suites(benches, argv, console);
		/* "fuzz SEED COUNT ...", "leak ...": that program with the words after it */
		if (strcmp(argv[i], "fuzz") == 0)
			return run_suites(fuzz, argv + i, console);
		if (strcmp(argv[i], "leak") == 0)
			return run_suites(leak, argv + i, console);
		if (strcmp(argv[i], "prompt") == 0)
			prompt = 1;
	}
	shell = start_shell(prompt ? prompt_env : shell_env);
	for (;;) {
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno != ECHILD)
				fprintf(stderr, "init: wait: %s\n", strerror(errno));
			if (shell < 0 || errno == ECHILD) {
				sleep(1);
				shell = start_shell(shell_env);
			}
			continue;
		}
		if (pid == console) {
			/* the new one first: what we print goes through it */
			int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			sleep(1);                          /* if it cannot run: do not spin */
			console = proc_console();
			fprintf(stderr, "init: the console server exited (status %d); started another\n", code);
			continue;
		}
		if (pid == shell && prompt)
			proc_poweroff();
		if (pid == shell) {
			int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			printf("init: the shell exited (status %d); starting another\n", code);
			if (code == 127)
				sleep(5);                  /* it could not run: do not spin */
			shell = start_shell(shell_env);
		}
	}
}
