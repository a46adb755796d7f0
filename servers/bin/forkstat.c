/*
 * forkstat [zone]: the zone's fork-failure counters (illumos zone_ff*):
 * forks refused by a process cap, for lack of memory, for other reasons,
 * for lack of a process slot, and the failed forks still held in their
 * punishment delay (system-wide).  The caller's zone by default.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proc.h"

int main(int argc, char **argv)
{
	static const char *const names[5] = { "cap", "nomem", "misc", "noproc", "pending" };
	uint64_t out[5];
	int64_t zone = -1;

	if (argc > 2) {
		fprintf(stderr, "usage: forkstat [zone]\n");
		return 2;
	}
	if (argc == 2) {
		char *end;
		zone = strtoll(argv[1], &end, 10);
		if (!argv[1][0] || *end || zone < 0) {
			fprintf(stderr, "forkstat: %s: not a zone id\n", argv[1]);
			return 2;
		}
	}
	if (proc_forkstat(zone, out) < 0) {
		fprintf(stderr, "forkstat: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < 5; i++)
		printf("%-8s %llu\n", names[i], (unsigned long long)out[i]);
	return 0;
}
