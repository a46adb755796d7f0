/*
 * sh: a small POSIX-style shell.
 *
 *   sh                    interactive: prompt "$ ", job control if stdin is a terminal
 *   sh -c 'line' [name [arg...]]   run one line; exit with its status
 *   sh file [arg...]      run a script line by line
 *
 * The exit status is the last command's.  Every error is one line on stderr
 * and the shell goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

struct shell sh;

/* ^C typed at the prompt (interactive with job control): the line goes, a new prompt comes */
static volatile sig_atomic_t interrupted;
static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}
#define LINE_INTR (-3)

/* reads lines from a descriptor: one byte at a time from a shared stdin, so a
 * command run from a script given on stdin reads what follows it */
struct reader {
	int fd;
	int bytewise;
	char buf[512];
	size_t n, pos;
	int eof;
};

static int get_byte(struct reader *r)
{
	if (r->pos == r->n) {
		ssize_t n;
		if (r->eof)
			return -1;
		do {
			n = read(r->fd, r->buf, r->bytewise ? 1 : sizeof(r->buf));
			if (n < 0 && errno == EINTR && interrupted)
				return LINE_INTR;
		} while (n < 0 && errno == EINTR);
		if (n <= 0) {
			if (n < 0)
				fprintf(stderr, "sh: read: %s\n", strerror(errno));
			r->eof = 1;
			return -1;
		}
		r->n = (size_t)n;
		r->pos = 0;
	}
	return (unsigned char)r->buf[r->pos++];
}

/*
 * The next line, without its newline, into line[0 .. SH_LINE_MAX].
 * Returns its length, -1 at the end of input, -2 for a line too long
 * (read to its end and dropped), LINE_INTR when ^C ended the read.
 */
static long read_line(struct reader *r, char *line)
{
	size_t n = 0;
	int c, over = 0;

	while ((c = get_byte(r)) >= 0 && c != '\n') {
		if (n < SH_LINE_MAX)
			line[n++] = (char)c;
		else
			over = 1;
	}
	if (c == LINE_INTR)
		return LINE_INTR;
	if (c < 0 && n == 0 && !over)
		return -1;
	line[n] = '\0';
	return over ? -2 : (long)n;
}

/*
 * make bench (init gives the console shell SH_BENCH_PROMPT=1): the
 * instructions retired since power-on (one hart under qemu -icount) when
 * the first prompt is out, then exit
 */
static void bench_prompt(void)
{
	static int done;
	unsigned long n;       /* 64 bits on RV64 */

	if (done++)
		return;
	__asm__ volatile("rdinstret %0" : "=r"(n));
	if (!getenv("SH_BENCH_PROMPT"))
		return;
	printf("\nbench: %-44s %8lu instructions\n", "power-on to first shell prompt", n);
	exit(0);
}

static void run_lines(struct reader *r)
{
	static char line[SH_LINE_MAX + 1];

	for (;;) {
		long n;
		jobs_poll();
		jobs_notify();
		if (sh.interactive) {
			fputs("$ ", stdout);
			fflush(stdout);
			bench_prompt();
		}
		interrupted = 0;
		n = read_line(r, line);
		if (n == -1)
			break;
		if (n == LINE_INTR) {
			sh.status = 130;        /* the console echoed "^C" and a newline, and dropped the line */
			continue;
		}
		if (n == -2) {
			fprintf(stderr, "sh: line too long (more than %d bytes)\n", SH_LINE_MAX);
			sh.status = 2;
			continue;
		}
		run_line(line, (size_t)n);
	}
	if (sh.interactive)
		fputc('\n', stdout);
}

/* job control: take the terminal, in a process group of our own */
static void init_jobctl(void)
{
	static const int ignored[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };
	pid_t fg;

	sh.tty = 0;
	/* started in the background: wait to be brought to the foreground (a terminal no
	 * session holds, as init's new login shell finds it, answers 0) */
	while ((fg = tcgetpgrp(sh.tty)) > 0 && fg != getpgrp())
		kill(-getpgrp(), SIGTTIN);
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		signal(ignored[i], SIG_IGN);
	if (fg < 0)
		return;                   /* not a terminal we can control: no job control */
	signal(SIGINT, on_interrupt);     /* ^C at the prompt: a new prompt (never kills us) */
	setpgid(0, 0);                    /* fails for a session leader, which is fine */
	sh.pgid = getpgrp();
	if (tcsetpgrp(sh.tty, sh.pgid) < 0) {
		fprintf(stderr, "sh: no job control: %s\n", strerror(errno));
		return;
	}
	sh.jobctl = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: sh [-i] [-c line [name [arg...]] | file [arg...]]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct reader rd;
	struct reader *r = &rd;
	int i = 1, force_interactive = 0;
	const char *cmd = NULL;

	sh.pid = getpid();
	if (!getenv("PATH"))
		setenv("PATH", "/bin", 1);
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "-c") == 0) {
			if (++i >= argc)
				usage();
			cmd = argv[i];
		} else if (strcmp(argv[i], "-i") == 0) {
			force_interactive = 1;
		} else {
			fprintf(stderr, "sh: %s: unknown option\n", argv[i]);
			usage();
		}
	}
	if (cmd) {
		/* sh -c line [name [arg...]]: name is $0 */
		sh.argc = argc - i;
		sh.argv = argv + i;
		if (sh.argc == 0) {
			sh.argc = 1;
			sh.argv = argv;
		}
		size_t n = strlen(cmd);
		if (n > SH_LINE_MAX) {
			fprintf(stderr, "sh: line too long (more than %d bytes)\n", SH_LINE_MAX);
			return 2;
		}
		run_line(cmd, n);
		sh_exit(sh.status);
	}

	if (i < argc) {
		/* a script: $0 is its name */
		sh.argc = argc - i;
		sh.argv = argv + i;
		r->fd = open(argv[i], O_RDONLY);
		if (r->fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", argv[i], strerror(errno));
			return 127;
		}
		fcntl(r->fd, F_SETFD, FD_CLOEXEC);     /* not for the commands it runs */
	} else {
		sh.argc = 1;
		sh.argv = argv;
		r->fd = 0;
		r->bytewise = 1;
		sh.interactive = force_interactive || isatty(0);
		if (sh.interactive && isatty(0))
			init_jobctl();
		else if (sh.interactive) {
			signal(SIGINT, SIG_IGN);
			signal(SIGQUIT, SIG_IGN);
		}
	}
	run_lines(r);
	sh_exit(sh.status);
}
