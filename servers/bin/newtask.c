/*
 * newtask [-v] [-p project] [command [arg...]]: move into a new task (in
 * another project: uid 0 only), then run the command (sh if none).  -v prints
 * the new task's id.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "proc.h"

static void usage(void)
{
	fprintf(stderr, "usage: newtask [-v] [-p project] [command [arg...]]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static char *shell[] = { "sh", NULL };
	int64_t project = -1;
	int i = 1, verbose = 0, task;
	char **cmd;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
		} else if (strcmp(argv[i], "-p") == 0) {
			char *end;
			if (++i == argc)
				usage();
			project = strtoll(argv[i], &end, 10);
			if (!argv[i][0] || *end || project < 0) {
				fprintf(stderr, "newtask: %s: not a project id\n", argv[i]);
				return 2;
			}
		} else {
			usage();
		}
	}
	if ((task = proc_newtask(project)) < 0) {
		fprintf(stderr, "newtask: %s\n", strerror(errno));
		return 1;
	}
	if (verbose) {
		printf("%d\n", task);
		fflush(stdout);
	}
	cmd = i < argc ? argv + i : shell;
	execvp(cmd[0], cmd);
	fprintf(stderr, "newtask: %s: %s\n", cmd[0], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
