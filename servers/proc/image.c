/*
 * Programs in the boot archive, for spawn and exec: an index of the
 * archive's members (spawn_set_archive), the program a path names
 * (image_find) and a request's path and strings (image_req_parse).  No
 * kernel calls: the host tests (test/host/test_proc.c) call these.
 */
#include <string.h>
#include "procsrv.h"
#include "args.h"
#include "elfload.h"

static const void *archive;
static uint64_t archive_len;

/*
 * The archive's members, listed once at start, so that an exec does not walk
 * the archive's headers (parsing hex fields and comparing names, about 250
 * instructions a member).  An archive with more members than fit is searched
 * with cpio_find instead (nmembers < 0).
 */
#define MEMBERS_MAX 256
static struct member {
	uint32_t hash;
	const char *name;
	const void *data;
	uint64_t size;
} members[MEMBERS_MAX];
static int nmembers;

static uint32_t name_hash(const char *s)
{
	uint32_t h = 5381;
	while (*s)
		h = (h * 33) ^ (uint8_t)*s++;
	return h;
}

/* what cpio_find(archive, archive_len, path, size) gives */
static const void *archive_lookup(const char *path, uint64_t *size)
{
	uint32_t h;
	if (nmembers < 0)
		return cpio_find(archive, archive_len, path, size);
	h = name_hash(path);
	for (int i = 0; i < nmembers; i++)
		if (members[i].hash == h && strcmp(members[i].name, path) == 0) {
			*size = members[i].size;
			return members[i].data;
		}
	return NULL;
}

void spawn_set_archive(const void *a, uint64_t len)
{
	uint64_t off = 0, size;
	const char *name;
	const void *data;

	archive = a;
	archive_len = len;
	nmembers = 0;
	while ((data = cpio_next(a, len, &off, &name, &size))) {
		if (nmembers == MEMBERS_MAX) {
			nmembers = -1;
			return;
		}
		members[nmembers++] = (struct member){ name_hash(name), name, data, size };
	}
}

/*
 * A request's buffer: the absolute path, then argc + envc strings, each
 * NUL-terminated.  EINVAL when it is not that; E2BIG is args_layout's.
 */
int image_req_parse(const char *buf, uint64_t len, uint64_t argc, uint64_t envc, struct image_req *rq)
{
	size_t plen = strnlen(buf, len);
	if (plen == len || plen == 0)
		return EINVAL;
	if (buf[0] != '/')
		return ENOENT;               /* libc makes paths absolute */
	rq->path = buf;
	rq->strs = buf + plen + 1;
	rq->len = len - plen - 1;
	rq->argc = argc;
	rq->envc = envc;
	return 0;
}

/*
 * The archive file at an absolute path ("." and ".." resolved: path_clean).
 * Its last component, cut to namesz - 1 bytes, goes to name: the command
 * name ps shows (illumos keeps PRFNSZ - 1 bytes of it the same way); a long
 * file name is no reason to fail.
 */
const void *image_find(const char *abspath, char *name, size_t namesz, uint64_t *size)
{
	static char path[1024];
	const char *base;
	const void *img;
	if (path_clean(abspath, path, sizeof(path)) <= 0)
		return NULL;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	img = archive_lookup(path, size);
	if (img) {
		memset(name, 0, namesz);
		memcpy(name, base, strnlen(base, namesz - 1));
	}
	return img;
}
