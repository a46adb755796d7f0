/*
 * mkdir [-p] dir...: make directories; with -p, make missing parents too
 * and accept directories that exist.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p path: each prefix in turn */
static int make_parents(char *path)
{
	size_t n = strlen(path);

	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		if (path[i - 1] == '/')
			continue;                 /* "a//b" */
		char c = path[i];
		path[i] = '\0';
		if (mkdir(path, 0777) < 0 && !(errno == EEXIST && is_dir(path))) {
			fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno));
			path[i] = c;
			return -1;
		}
		path[i] = c;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, parents = 0, status = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-p") != 0) {
			fprintf(stderr, "mkdir: unknown option %s\nusage: mkdir [-p] dir...\n", argv[i]);
			return 2;
		}
		parents = 1;
	}
	if (i == argc) {
		fprintf(stderr, "usage: mkdir [-p] dir...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (parents) {
			if (make_parents(argv[i]) < 0)
				status = 1;
		} else if (mkdir(argv[i], 0777) < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
