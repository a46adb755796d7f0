/* Directory streams over FS_GETDENTS: a buffer of records at a time. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "uapi/fs.h"
#include "libc.h"

struct _dir {
	int fd;
	int pos, len;                         /* records in buf */
	struct fs_dirent buf[16];
	struct dirent ent;
};

DIR *opendir(const char *path)
{
	DIR *d = malloc(sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	if ((d->fd = open(path, O_RDONLY | O_DIRECTORY)) < 0) {
		free(d);
		return NULL;
	}
	d->pos = d->len = 0;
	return d;
}

struct dirent *readdir(DIR *d)
{
	static const unsigned char type[] = { [FS_KIND_FILE] = DT_REG, [FS_KIND_DIR] = DT_DIR,
					      [FS_KIND_PIPE] = DT_FIFO, [FS_KIND_TTY] = DT_CHR,
					      [FS_KIND_NULL] = DT_CHR };
	const struct fs_dirent *r;
	if (d->pos == d->len) {
		int n = __getdents(d->fd, d->buf, sizeof(d->buf));
		if (n <= 0)
			return NULL;
		d->len = n / (int)sizeof(struct fs_dirent);
		d->pos = 0;
		if (!d->len)
			return NULL;
	}
	r = &d->buf[d->pos++];
	d->ent.d_ino = r->ino;
	d->ent.d_type = r->kind < sizeof(type) ? type[r->kind] : DT_UNKNOWN;
	memcpy(d->ent.d_name, r->name, sizeof(d->ent.d_name));
	d->ent.d_name[sizeof(d->ent.d_name) - 1] = '\0';
	return &d->ent;
}

void rewinddir(DIR *d)
{
	lseek(d->fd, 0, SEEK_SET);
	d->pos = d->len = 0;
}

int dirfd(DIR *d)
{
	return d->fd;
}

int closedir(DIR *d)
{
	int r = close(d->fd);
	free(d);
	return r;
}
