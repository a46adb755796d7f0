/*
 * sdkcheck: an ordinary portable C program, built by `make test` with the SDK's
 * riscv64-rvix-gcc (strict C99 and POSIX, no project flags) and put in the guest
 * through FILES= as /usr/local/bin/sdkcheck.  test/guest/shell-test.py
 * (sdk-program) runs it at the shell and checks each line it prints; it exits 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <sys/ioctl.h>

int main(int argc, char **argv)
{
	size_t big = 4u << 20, i;
	unsigned long sum = 0;
	unsigned char *p;
	int fds[2], st;
	char buf[64];
	pid_t c;
	FILE *f;
	struct winsize ws;

	printf("args:");
	for (i = 1; i < (size_t)argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	printf("path: %s\n", getenv("PATH") ? getenv("PATH") : "(none)");

	/* more than the 32 KiB a program starts with: the heap grows */
	if (!(p = malloc(big)))
		return 1;
	for (i = 0; i < big; i++)
		p[i] = (unsigned char)i;
	for (i = 0; i < big; i += 4096)
		sum += p[i + 7];
	printf("heap: %lu\n", sum);

	if (pipe(fds) || (c = fork()) < 0)
		return 1;
	if (c == 0) {
		close(fds[0]);
		write(fds[1], "through a pipe", 14);
		_exit(42);
	}
	close(fds[1]);
	memset(buf, 0, sizeof(buf));
	read(fds[0], buf, sizeof(buf) - 1);
	waitpid(c, &st, 0);
	printf("child: %d %s\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1, buf);

	if (!(f = fopen("/tmp/sdkcheck.txt", "w")))
		return 1;
	fprintf(f, "%.2f\n", strtod("3.25", NULL) * 2);
	fclose(f);
	if (!(f = fopen("/tmp/sdkcheck.txt", "r")) || !fgets(buf, sizeof(buf), f))
		return 1;
	fclose(f);
	printf("file: %s", buf);

	printf("tty: %d %d\n", isatty(0), ioctl(0, TIOCGWINSZ, &ws) == 0 ? ws.ws_col : -1);
	return 3;
}
