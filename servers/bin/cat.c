/*
 * cat [file...]: copy each file (stdin if none, or for "-") to stdout.
 * A file that cannot be read gets one message; the others are still copied
 * and the exit status is 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[4096];

/* copy fd to stdout; 0, or -1 after a message naming name */
static int copy(int fd, const char *name)
{
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return -1;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, buf + off, (size_t)(n - off));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, "cat: write error: %s\n", strerror(errno));
				return -1;
			}
			off += w;
		}
	}
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return copy(0, "stdin") < 0;
	for (int i = 1; i < argc; i++) {
		int fd;
		if (strcmp(argv[i], "-") == 0) {
			if (copy(0, "stdin") < 0)
				status = 1;
			continue;
		}
		if ((fd = open(argv[i], O_RDONLY)) < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (copy(fd, argv[i]) < 0)
			status = 1;
		close(fd);
	}
	return status;
}
