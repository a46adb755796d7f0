/*
 * ls [-l] [-a] [path...]: the names in each directory, one per line, sorted
 * (names starting with '.' only with -a); a file argument is listed as
 * itself.  -l adds type and mode, links, uid, gid and size.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int long_fmt, all;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void mode_string(mode_t m, char s[11])
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' :
	       S_ISLNK(m) ? 'l' : '-';
	for (int i = 0; i < 9; i++)
		s[1 + i] = m & (0400 >> i) ? "rwxrwxrwx"[i] : '-';
	s[10] = '\0';
}

/* one line for name; path is what to stat for -l */
static int show(const char *path, const char *name)
{
	struct stat st;
	char mode[11];

	if (!long_fmt) {
		printf("%s\n", name);
		return 0;
	}
	if (stat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return -1;
	}
	mode_string(st.st_mode, mode);
	printf("%s %3lu %5lu %5lu %9lld %s\n", mode, (unsigned long)st.st_nlink,
	       (unsigned long)st.st_uid, (unsigned long)st.st_gid, (long long)st.st_size, name);
	return 0;
}

static int list_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, *path = NULL;
	size_t n = 0, cap = 0, plen = 0;
	int status = 0;

	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && !all)
			continue;
		if (n == cap) {
			char **m = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));
			if (!m)
				goto nomem;
			names = m;
		}
		if (!(names[n] = strdup(e->d_name)))
			goto nomem;
		n++;
	}
	closedir(d);
	d = NULL;
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		if (long_fmt) {
			size_t need = strlen(dir) + strlen(names[i]) + 2;
			if (need > plen) {
				char *p = realloc(path, need);
				if (!p)
					goto nomem;
				path = p;
				plen = need;
			}
			snprintf(path, plen, "%s/%s", dir, names[i]);
		}
		if (show(path, names[i]) < 0)
			status = -1;
	}
	goto out;
nomem:
	fprintf(stderr, "ls: %s: %s\n", dir, strerror(ENOMEM));
	status = -1;
out:
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(path);
	return status;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0, nargs;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l')
				long_fmt = 1;
			else if (*o == 'a')
				all = 1;
			else {
				fprintf(stderr, "ls: unknown option -%c\nusage: ls [-la] [path...]\n", *o);
				return 2;
			}
		}
	}
	nargs = argc - i;
	if (nargs == 0)
		return list_dir(".") < 0;
	for (int first = i; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (show(argv[i], argv[i]) < 0)
				status = 1;
			continue;
		}
		if (nargs > 1)
			printf("%s%s:\n", i > first ? "\n" : "", argv[i]);
		if (list_dir(argv[i]) < 0)
			status = 1;
	}
	return status;
}
