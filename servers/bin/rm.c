/*
 * rm [-r] [-f] path...: remove files; with -r, directories and what they
 * hold (rmdir once emptied); with -f, no message for a path that does not
 * exist.  A symbolic link is removed, never followed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

static int remove_path(const char *path);

/* remove everything in directory path, then the directory */
static int remove_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int status = 0;

	if (!d) {
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		size_t len;
		char *sub;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		len = strlen(path) + strlen(n) + 2;
		if (!(sub = malloc(len))) {
			fprintf(stderr, "rm: %s: %s\n", path, strerror(ENOMEM));
			status = -1;
			break;
		}
		snprintf(sub, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", n);
		if (remove_path(sub) < 0)
			status = -1;
		free(sub);
	}
	closedir(d);
	if (status == 0 && rmdir(path) < 0) {
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		status = -1;
	}
	return status;
}

static int remove_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (force && errno == ENOENT)
			return 0;
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!recursive) {
			fprintf(stderr, "rm: %s: is a directory\n", path);
			return -1;
		}
		return remove_dir(path);
	}
	if (unlink(path) < 0) {
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'r' || *o == 'R')
				recursive = 1;
			else if (*o == 'f')
				force = 1;
			else {
				fprintf(stderr, "rm: unknown option -%c\nusage: rm [-rf] path...\n", *o);
				return 2;
			}
		}
	}
	if (i == argc && !force) {
		fprintf(stderr, "usage: rm [-rf] path...\n");
		return 2;
	}
	for (; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		base = base ? base + 1 : argv[i];
		if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || strcmp(argv[i], "/") == 0) {
			fprintf(stderr, "rm: refusing to remove '%s'\n", argv[i]);
			status = 1;
			continue;
		}
		if (remove_path(argv[i]) < 0)
			status = 1;
	}
	return status;
}
