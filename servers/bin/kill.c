/*
 * kill [-s SIG | -SIG | -n NUM] pid...   send a signal (default TERM);
 *                                        a negative pid names a process group
 * kill -l [status]                       list the signal names, or name the
 *                                        signal behind an exit status (128+n)
 * SIG is a name with or without "SIG", in either case, or a number.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int sig;
} sigs[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ABRT", SIGABRT },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "CHLD", SIGCHLD },
	{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU },
};
#define NSIGS (sizeof(sigs) / sizeof(sigs[0]))

static void usage(void)
{
	fprintf(stderr, "usage: kill [-s SIG | -SIG | -n NUM] pid...\n       kill -l [status]\n");
	exit(2);
}

/* a signal by name or number; -1 if there is none */
static int parse_sig(const char *s)
{
	char up[8], *end;
	size_t n;

	if (s[0] >= '0' && s[0] <= '9') {
		long v = strtol(s, &end, 10);
		return *end || v > 64 ? -1 : (int)v;
	}
	for (n = 0; s[n]; n++) {
		if (n == sizeof(up) - 1)
			return -1;
		up[n] = s[n] >= 'a' && s[n] <= 'z' ? (char)(s[n] - 'a' + 'A') : s[n];
	}
	up[n] = '\0';
	s = strncmp(up, "SIG", 3) == 0 ? up + 3 : up;
	for (size_t i = 0; i < NSIGS; i++)
		if (strcmp(s, sigs[i].name) == 0)
			return sigs[i].sig;
	return -1;
}

static const char *sig_name(int sig)
{
	for (size_t i = 0; i < NSIGS; i++)
		if (sigs[i].sig == sig)
			return sigs[i].name;
	return NULL;
}

static int list(int argc, char **argv)
{
	if (argc == 0) {
		for (size_t i = 0; i < NSIGS; i++)
			printf("%s%s", sigs[i].name, i + 1 < NSIGS ? " " : "\n");
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		char *end;
		long n = strtol(argv[i], &end, 10);
		const char *name;
		if (!argv[i][0] || *end) {
			int sig = parse_sig(argv[i]);
			if (sig < 0) {
				fprintf(stderr, "kill: %s: unknown signal\n", argv[i]);
				return 1;
			}
			printf("%d\n", sig);
			continue;
		}
		if (n > 128)
			n -= 128;             /* an exit status */
		if (!(name = sig_name((int)n))) {
			fprintf(stderr, "kill: %s: unknown signal\n", argv[i]);
			return 1;
		}
		printf("%s\n", name);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "-l") == 0)
		return list(argc - 2, argv + 2);
	if (strcmp(argv[1], "-s") == 0 || strcmp(argv[1], "-n") == 0) {
		if (argc < 3)
			usage();
		if ((sig = parse_sig(argv[2])) < 0) {
			fprintf(stderr, "kill: %s: unknown signal\n", argv[2]);
			return 2;
		}
		i = 3;
	} else if (argv[1][0] == '-' && strcmp(argv[1], "--") != 0) {
		if ((sig = parse_sig(argv[1] + 1)) < 0) {
			fprintf(stderr, "kill: %s: unknown signal\n", argv[1] + 1);
			return 2;
		}
		i = 2;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i == argc)
		usage();
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (!argv[i][0] || *end) {
			fprintf(stderr, "kill: %s: not a pid\n", argv[i]);
			status = 1;
			continue;
		}
		if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: %ld: %s\n", pid, strerror(errno));
			status = 1;
		}
	}
	return status;
}
