/*
 * The per-process calls that name a path or move bytes: open, read, write,
 * lseek, pipe, stat, directories, ftruncate.  Each takes the caller's table
 * and its request and returns 0 or an errno (FS_BLOCKED from the pipe
 * paths); results go into rs.  docs/fs-protocol.md lists every check in
 * order.  (close, dup, dup2, fcntl are in fdtable.c.)
 */
#include <string.h>
#include "fs.h"

static bool is_dot(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

static void stat_words(struct fs_res *rs, int kind, uint64_t size, uint32_t ino, int mode)
{
	rs->nw = 4;
	rs->w[0] = (uint64_t)kind;
	rs->w[1] = size;
	rs->w[2] = ino;
	rs->w[3] = (uint64_t)mode;
}

static void stat_node(struct fs_res *rs, const struct node *n)
{
	uint64_t size = n->n_kind == FS_KIND_FILE ? n->n_size :
		n->n_kind == FS_KIND_DIR ? (n->n_nchild + 2ull) * sizeof(struct fs_dirent) : 0;
	stat_words(rs, n->n_kind, size, n->n_ino, n->n_mode);
}

/* FS_OPEN: buf path, w0 flags, w1 mode -> w0 fd */
int fs_open(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	int flags = (int)rq->w[0], acc = flags & O_ACCMODE, fd, err;
	struct lookup lk;
	struct ofile *of;
	struct node *n;

	if (acc == O_ACCMODE || (flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return EINVAL;
	if ((fd = fd_alloc(p, 0)) < 0)
		return EMFILE;
	if ((err = fs_lookup(fs, p, rq->buf, rq->len, &lk)))
		return err;
	if (!(n = lk.node)) {
		if (!(flags & O_CREAT))
			return ENOENT;
		if (lk.slash)
			return EISDIR;
		if (node_dead(lk.dir))
			return ENOENT;
		if (!lk.dir->n_tmp)
			return EROFS;
	} else {
		if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			return EEXIST;
		if ((flags & O_DIRECTORY) && n->n_kind != FS_KIND_DIR)
			return ENOTDIR;
		if (n->n_kind == FS_KIND_DIR && (acc != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
			return EISDIR;
		if (n->n_kind == FS_KIND_FILE && !n->n_tmp && (acc != O_RDONLY || (flags & O_TRUNC)))
			return EROFS;
	}
	if (!(of = ofile_new(FS_KIND_FILE, flags)))
		return ENOMEM;
	if (!n && !(n = node_new(fs, lk.dir, lk.name, FS_KIND_FILE, (int)rq->w[1], true))) {
		fs_free(of);
		return ENOSPC;
	}
	/* no failure past this point */
	if (n->n_kind == FS_KIND_FILE && n->n_tmp && (flags & O_TRUNC))
		tmp_truncate(fs, n, 0);
	node_get(n);
	of->o_node = n;
	of->o_kind = n->n_kind;
	fd_install(p, fd, of, (flags & O_CLOEXEC) != 0);
	rs->nw = 1;
	rs->w[0] = (uint64_t)fd;
	return 0;
}

/* FS_READ: w0 fd, w1 max -> buf, w0 bytes */
int fs_read(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct ofile *of = fd_get(p, rq->w[0]);
	uint64_t max = rq->w[1];
	struct node *n;
	size_t got = 0;

	if (!of || (of->o_flags & O_ACCMODE) == O_WRONLY)
		return EBADF;
	if (max > IPC_MAX_BUF)
		return EINVAL;
	switch (of->o_kind) {
	case FS_KIND_TTY:
		return EOPNOTSUPP;
	case FS_KIND_NULL:
		break;                          /* end-of-file, always */
	case FS_KIND_DIR:
		return EISDIR;
	case FS_KIND_PIPE:
		if (max == 0)
			break;
		return pipe_read(fs, p->p_pid, of, (size_t)max, rs);
	default:
		n = of->o_node;
		if (of->o_off >= n->n_size)
			break;
		got = n->n_size - of->o_off < max ? (size_t)(n->n_size - of->o_off) : (size_t)max;
		if (n->n_tmp) {
			tmp_read(n, of->o_off, rs->obuf, got);
			rs->sbuf = rs->obuf;
		} else {
			rs->sbuf = n->n_data + of->o_off;   /* straight from the archive */
		}
		rs->slen = got;
		of->o_off += got;
		break;
	}
	rs->nw = 1;
	rs->w[0] = got;
	return 0;
}

/* FS_WRITE: w0 fd, buf -> w0 bytes */
int fs_write(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct ofile *of = fd_get(p, rq->w[0]);
	uint64_t off;
	size_t done;
	int err;

	if (!of || (of->o_flags & O_ACCMODE) == O_RDONLY)
		return EBADF;
	switch (of->o_kind) {
	case FS_KIND_TTY:
		return EOPNOTSUPP;
	case FS_KIND_PIPE:
		return pipe_write(fs, p->p_pid, of, rq->buf, rq->len, rs);
	case FS_KIND_NULL:
		rs->nw = 1;
		rs->w[0] = rq->len;             /* all of it, gone */
		return 0;
	case FS_KIND_FILE:
		if (!of->o_node->n_tmp)
			return EROFS;           /* not reached: archive files open read-only */
		off = (of->o_flags & O_APPEND) ? of->o_node->n_size : of->o_off;
		if ((err = tmp_write(fs, of->o_node, off, rq->buf, rq->len, &done)))
			return err;
		of->o_off = off + done;
		rs->nw = 1;
		rs->w[0] = done;
		return 0;
	default:
		return EISDIR;                  /* not reached: directories open read-only */
	}
}

/* FS_LSEEK: w0 fd, w1 offset, w2 whence -> w0 new offset.  A directory's
   offset counts entries: SEEK_SET and SEEK_CUR only. */
int fs_lseek(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct ofile *of = fd_get(p, rq->w[0]);
	int64_t off = (int64_t)rq->w[1], base, pos;

	if (!of)
		return EBADF;
	if (of->o_kind == FS_KIND_PIPE || of->o_kind == FS_KIND_TTY)
		return ESPIPE;
	switch (rq->w[2]) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)of->o_off;
		break;
	case SEEK_END:
		if (of->o_kind == FS_KIND_DIR)
			return EINVAL;
		base = (int64_t)of->o_node->n_size;
		break;
	default:
		return EINVAL;
	}
	if (__builtin_add_overflow(base, off, &pos))
		return EOVERFLOW;
	if (pos < 0)
		return EINVAL;
	of->o_off = (uint64_t)pos;
	rs->nw = 1;
	rs->w[0] = (uint64_t)pos;
	return 0;
}

/* FS_PIPE: w0 O_CLOEXEC and/or O_NONBLOCK -> w0 read fd, w1 write fd */
int fs_pipe(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	uint64_t flags = rq->w[0];
	struct ofile *rd, *wr;
	int rfd, wfd, err;

	if (flags & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK))
		return EINVAL;
	if ((rfd = fd_alloc(p, 0)) < 0 || (wfd = fd_alloc(p, rfd + 1)) < 0)
		return EMFILE;
	if ((err = pipe_new(fs, &rd, &wr)))
		return err;
	/* no failure past this point */
	rd->o_flags |= (int)(flags & O_NONBLOCK);
	wr->o_flags |= (int)(flags & O_NONBLOCK);
	fd_install(p, rfd, rd, (flags & O_CLOEXEC) != 0);
	fd_install(p, wfd, wr, (flags & O_CLOEXEC) != 0);
	rs->nw = 2;
	rs->w[0] = (uint64_t)rfd;
	rs->w[1] = (uint64_t)wfd;
	return 0;
}

/* FS_FSTAT: w0 fd -> w0 kind, w1 size, w2 inode, w3 mode */
int fs_fstat(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct ofile *of = fd_get(p, rq->w[0]);

	if (!of)
		return EBADF;
	if (of->o_kind == FS_KIND_PIPE)
		stat_words(rs, FS_KIND_PIPE, of->o_pipe->p_count, of->o_pipe->p_ino, 0600);
	else
		stat_node(rs, of->o_node);
	return 0;
}

/* the node the request's path names: an error from the lookup, or ENOENT if there is none */
static int lookup_node(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct node **n)
{
	struct lookup lk;
	int err;

	if ((err = fs_lookup(fs, p, rq->buf, rq->len, &lk)))
		return err;
	if (!lk.node)
		return ENOENT;
	*n = lk.node;
	return 0;
}

/* FS_STAT: buf path -> as FS_FSTAT */
int fs_stat(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct node *n;
	int err;

	if ((err = lookup_node(fs, p, rq, &n)))
		return err;
	stat_node(rs, n);
	return 0;
}

/* FS_MKDIR: buf path, w0 mode */
int fs_mkdir(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct lookup lk;
	int err;

	if ((err = fs_lookup(fs, p, rq->buf, rq->len, &lk)))
		return err;
	if (lk.node)
		return EEXIST;
	if (node_dead(lk.dir))
		return ENOENT;
	if (!lk.dir->n_tmp)
		return EROFS;
	if (!node_new(fs, lk.dir, lk.name, FS_KIND_DIR, (int)rq->w[0], true))
		return ENOSPC;
	return 0;
}

/* FS_UNLINK: buf path (not a directory).  An open file lives on until closed. */
int fs_unlink(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct lookup lk;
	int err;

	if ((err = fs_lookup(fs, p, rq->buf, rq->len, &lk)))
		return err;
	if (lk.name[0] == '\0' || is_dot(lk.name))
		return EISDIR;
	if (!lk.dir->n_tmp)
		return EROFS;
	if (!lk.node)
		return ENOENT;
	if (lk.node->n_kind == FS_KIND_DIR)
		return EISDIR;
	node_unlink(fs, lk.node);
	return 0;
}

/* FS_RMDIR: buf path (an empty directory) */
int fs_rmdir(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct lookup lk;
	int err;

	if ((err = fs_lookup(fs, p, rq->buf, rq->len, &lk)))
		return err;
	if (lk.name[0] == '\0')
		return EBUSY;                   /* the root */
	if (strcmp(lk.name, ".") == 0)
		return EINVAL;
	if (strcmp(lk.name, "..") == 0)
		return ENOTEMPTY;
	if (!lk.dir->n_tmp)
		return EROFS;
	if (!lk.node)
		return ENOENT;
	if (lk.node->n_kind != FS_KIND_DIR)
		return ENOTDIR;
	if (lk.node->n_nchild)
		return ENOTEMPTY;
	node_unlink(fs, lk.node);
	return 0;
}

/* FS_GETDENTS: w0 fd, w1 max -> buf of struct fs_dirent, w0 bytes.  Entry 0
   is ".", 1 "..", then the directory's entries in the order they were made. */
int fs_getdents(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct ofile *of = fd_get(p, rq->w[0]);
	uint64_t max = rq->w[1], i;
	struct node *dir, *c;
	size_t len = 0;

	if (!of)
		return EBADF;
	if (of->o_kind != FS_KIND_DIR)
		return ENOTDIR;
	if (max < sizeof(struct fs_dirent) || max > IPC_MAX_BUF)
		return EINVAL;
	dir = of->o_node;
	c = dir->n_child;
	for (i = 2; c && i < of->o_off; i++)
		c = c->n_next;
	for (i = of->o_off; len + sizeof(struct fs_dirent) <= max; i++) {
		struct fs_dirent *d = (struct fs_dirent *)(rs->obuf + len);
		const struct node *e;
		const char *name;
		if (i == 0) {
			e = dir;
			name = ".";
		} else if (i == 1) {
			e = dir->n_parent ? dir->n_parent : dir;
			name = "..";
		} else if (c) {
			e = c;
			name = c->n_name;
			c = c->n_next;
		} else {
			break;
		}
		memset(d, 0, sizeof(*d));
		d->ino = e->n_ino;
		d->kind = e->n_kind;
		d->namelen = (uint8_t)strlen(name);
		memcpy(d->name, name, d->namelen);
		len += sizeof(*d);
	}
	of->o_off = i;
	rs->nw = 1;
	rs->w[0] = len;
	rs->sbuf = rs->obuf;
	rs->slen = len;
	return 0;
}

/* FS_CHDIR: buf path (a directory) */
int fs_chdir(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct node *n;
	int err;

	if ((err = lookup_node(fs, p, rq, &n)))
		return err;
	if (n->n_kind != FS_KIND_DIR)
		return ENOTDIR;
	node_get(n);
	node_put(fs, p->p_cwd);
	p->p_cwd = n;
	return 0;
}

/* FS_GETCWD: -> buf the path (no NUL), w0 its length */
int fs_getcwd(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	size_t len;
	int err;

	if ((err = fs_path_of(p->p_cwd, rs->obuf, FS_PATH_MAX, &len)))
		return err;
	rs->nw = 1;
	rs->w[0] = len;
	rs->sbuf = rs->obuf;
	rs->slen = len;
	return 0;
}

/* FS_MEMINFO: -> w0 bytes held, w1 heap pages touched */
int fs_meminfo(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	rs->nw = 2;
	rs->w[0] = fs_mem_used();
	rs->w[1] = fs_mem_pages();
	return 0;
}

/* FS_FTRUNCATE: w0 fd, w1 length */
int fs_ftruncate(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct ofile *of = fd_get(p, rq->w[0]);

	if (!of || (of->o_flags & O_ACCMODE) == O_RDONLY)
		return EBADF;
	if (of->o_kind != FS_KIND_FILE || (int64_t)rq->w[1] < 0)
		return EINVAL;
	if (!of->o_node->n_tmp)
		return EROFS;                   /* not reached: archive files open read-only */
	return tmp_truncate(fs, of->o_node, rq->w[1]);
}
