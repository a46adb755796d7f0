/*
 * sleep N: wait N seconds; N may have a fraction ("0.5").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec ts, left;
	char *end;
	double secs;

	if (argc != 2) {
		fprintf(stderr, "usage: sleep seconds\n");
		return 2;
	}
	secs = strtod(argv[1], &end);
	if (end == argv[1] || *end || !(secs >= 0) || secs > 1e9) {
		fprintf(stderr, "sleep: invalid time '%s'\n", argv[1]);
		return 2;
	}
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec > 999999999)
		ts.tv_nsec = 999999999;
	while (nanosleep(&ts, &left) < 0) {
		if (errno != EINTR) {
			perror("sleep");
			return 1;
		}
		ts = left;
	}
	return 0;
}
