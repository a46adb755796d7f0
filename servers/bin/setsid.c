/*
 * setsid [-w] command [arg...]: run the command in a new session (it leads
 * the session and a process group of its own, and has no controlling
 * terminal).  A process-group leader cannot make a session (the shell makes
 * every foreground command one), so then setsid forks and the child does
 * it; the parent exits at once, or with -w waits and exits with the
 * command's status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static void usage(void)
{
	fprintf(stderr, "usage: setsid [-w] command [arg...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int i = 1, wait_for = 0, status;
	pid_t pid;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "-w") == 0) {
			wait_for = 1;
		} else {
			usage();
		}
	}
	if (i == argc)
		usage();
	if (getpgrp() == getpid()) {
		fflush(stdout);
		if ((pid = fork()) < 0) {
			fprintf(stderr, "setsid: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid > 0) {
			if (!wait_for)
				return 0;
			if (waitpid(pid, &status, 0) < 0) {
				fprintf(stderr, "setsid: wait: %s\n", strerror(errno));
				return 1;
			}
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
	}
	if (setsid() < 0) {
		fprintf(stderr, "setsid: %s\n", strerror(errno));
		_exit(1);
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "setsid: %s: %s\n", argv[i], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}
