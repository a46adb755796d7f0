/*
 * File descriptors: stubs over the file server's protocol (uapi/fs.h).
 * The descriptor table lives in the fs server, keyed by our pid; we only
 * cache each descriptor's kind, so that terminal descriptors go straight to
 * the console server (the fs server never moves their bytes).  The cache is
 * exact: only this process changes its own table (fork copies table and
 * cache alike; exec starts a fresh cache).
 *
 * A program without a file server handle (a system server) has 0, 1 and 2
 * on the console and nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "sys.h"
#include "uapi/fs.h"
#include "uapi/proc.h"
#include "libc.h"

static signed char fd_kind[FS_OPEN_MAX];     /* 0: not known yet, else FS_KIND_* */

static handle_t fs_handle(void)
{
	return startinfo ? startinfo->h_fs : -1;
}

/*
 * One call on the file server: words in m (n of them), an optional buffer
 * out (sbuf) and in (rbuf); *got receives the bytes that came back.
 * Returns 0 or -1 with errno.
 */
static int fs_call(uint32_t op, struct msg *m, unsigned n, const void *sbuf, size_t slen,
		   void *rbuf, size_t rlen, size_t *got)
{
	struct ipc_ext e = { .sbuf = (uint64_t)sbuf, .slen = slen, .rbuf = (uint64_t)rbuf,
			     .rlen = rlen, .scap = -1 };
	long r;
	int err;

	if (fs_handle() < 0) {
		errno = ENOSYS;
		return -1;
	}
	m->info = IPC_INFO(op, n);
	r = ipc_call(fs_handle(), m, (sbuf || rbuf) ? &e : NULL);
	if ((err = __ipc_errno(r, m->info, ENOSYS, EIO))) {
		errno = err;
		return -1;
	}
	if (got)
		*got = (m->info & IPC_GOT_BUF) ? e.rbytes : 0;
	return 0;
}

static int path_call(uint32_t op, const char *path, struct msg *m, unsigned n)
{
	size_t len = strlen(path);
	if (len == 0) {
		errno = ENOENT;
		return -1;
	}
	if (len > FS_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return fs_call(op, m, n, path, len, NULL, 0, NULL);
}

static int bad_fd(int fd)
{
	return fd < 0 || fd >= FS_OPEN_MAX;
}

/* the kind of fd (FS_KIND_*), or -1 with errno EBADF */
int __fd_kind(int fd)
{
	struct msg m = { .w = { (uint64_t)fd } };

	if (bad_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	if (fd_kind[fd])
		return fd_kind[fd];
	if (fs_handle() < 0) {
		if (fd > 2) {
			errno = EBADF;
			return -1;
		}
		return fd_kind[fd] = FS_KIND_TTY;
	}
	if (fs_call(FS_FSTAT, &m, 1, NULL, 0, NULL, 0, NULL))
		return -1;
	return fd_kind[fd] = (signed char)m.w[0];
}

void __fd_forget(int fd)
{
	if (!bad_fd(fd))
		fd_kind[fd] = 0;
}

/*
 * The file mode creation mask: the proc server's (PROC_UMASK: fork copies it, exec
 * keeps it), read once per process image and kept here; what open and mkdir send the
 * file server has it taken off already.
 */
static int cmask = -1;

static mode_t cmask_get(void)
{
	if (cmask < 0) {
		struct msg m = { .w = { 0 } };
		cmask = __proc_call(PROC_UMASK, &m, 1, NULL) ? 022 : (int)m.w[0];
	}
	return (mode_t)cmask;
}

mode_t umask(mode_t mask)
{
	struct msg m = { .w = { 1, (uint64_t)(mask & 0777) } };
	mode_t old = cmask_get();
	if (__proc_call(PROC_UMASK, &m, 2, NULL) == 0)
		old = (mode_t)m.w[0];
	cmask = (int)(mask & 0777);
	return old;
}

/* a cancellation point */
int open(const char *path, int flags, ...)
{
	struct msg m = { .w = { (uint64_t)flags, 0 } };
	int cp, r;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		m.w[1] = (uint64_t)(va_arg(ap, int) & 07777 & ~cmask_get());
		va_end(ap);
	}
	cp = __cp_enter();
	r = path_call(FS_OPEN, path, &m, 2);
	__cp_leave(cp);
	if (r)
		return -1;
	__fd_forget((int)m.w[0]);
	return (int)m.w[0];
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

static int close_body(int fd)
{
	struct msg m = { .w = { (uint64_t)fd } };
	if (bad_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	if (fs_handle() < 0)
		return fd <= 2 ? 0 : (errno = EBADF, -1);
	__fd_forget(fd);
	return fs_call(FS_CLOSE, &m, 1, NULL, 0, NULL, 0, NULL);
}

/* a cancellation point */
int close(int fd)
{
	int cp = __cp_enter();
	int r = close_body(fd);
	__cp_leave(cp);
	return r;
}

static ssize_t read_once(int fd, void *buf, size_t n)
{
	struct msg m = { .w = { (uint64_t)fd, 0 } };
	size_t got;
	int kind = __fd_kind(fd);

	if (kind < 0)
		return -1;
	if (n > IPC_MAX_BUF)
		n = IPC_MAX_BUF;
	if (kind == FS_KIND_TTY)
		return __tty_read(buf, n);
	m.w[1] = n;
	if (n <= FS_WORDS_MAX) {
		m.w[2] = FS_READ_WORDS;
		if (fs_call(FS_READ, &m, 3, NULL, 0, buf, n, &got))
			return -1;
		if (!(m.info & IPC_GOT_BUF)) {          /* in words w1.. */
			got = m.w[0] <= n && IPC_NWORDS(m.info) >= 1 + (m.w[0] + 7) / 8 ? m.w[0] : 0;
			memcpy(buf, &m.w[1], got);
		}
		return (ssize_t)got;
	}
	if (fs_call(FS_READ, &m, 2, NULL, 0, buf, n, &got))
		return -1;
	return (ssize_t)got;
}

/* a handler with SA_RESTART that interrupted it: read again */
static ssize_t read_body(int fd, void *buf, size_t n)
{
	ssize_t r;
	do {
		__sig_restart_arm();
		r = read_once(fd, buf, n);
	} while (r < 0 && errno == EINTR && __sig_restart());
	return r;
}

/* a cancellation point */
ssize_t read(int fd, void *buf, size_t n)
{
	int cp = __cp_enter();
	ssize_t r = read_body(fd, buf, n);
	__cp_leave(cp);
	return r;
}

static ssize_t write_once(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	size_t done = 0;
	int kind = __fd_kind(fd);

	if (kind < 0)
		return -1;
	if (kind == FS_KIND_TTY) {
		while (done < n) {
			size_t chunk = n - done > IPC_MAX_BUF ? IPC_MAX_BUF : n - done;
			if (__tty_write(p + done, chunk) < 0)
				return done ? (ssize_t)done : -1;
			done += chunk;
		}
		return (ssize_t)n;
	}
	do {
		struct msg m = { .w = { (uint64_t)fd } };
		size_t chunk = n - done > IPC_MAX_BUF ? IPC_MAX_BUF : n - done;
		int r;
		if (chunk <= FS_WORDS_MAX - 8) {         /* in words w2.. */
			m.w[1] = chunk;
			memcpy(&m.w[2], p + done, chunk);
			r = fs_call(FS_WRITE, &m, 2 + (unsigned)(chunk + 7) / 8, NULL, 0, NULL, 0, NULL);
		} else {
			r = fs_call(FS_WRITE, &m, 1, p + done, chunk, NULL, 0, NULL);
		}
		if (r) {
			if (errno == EPIPE)
				raise(SIGPIPE);
			return done ? (ssize_t)done : -1;
		}
		done += m.w[0];
		if (m.w[0] < chunk)
			break;
	} while (done < n);
	return (ssize_t)done;
}

/* a handler with SA_RESTART that interrupted it before anything was written: write again */
static ssize_t write_body(int fd, const void *buf, size_t n)
{
	ssize_t r;
	do {
		__sig_restart_arm();
		r = write_once(fd, buf, n);
	} while (r < 0 && errno == EINTR && __sig_restart());
	return r;
}

/* a cancellation point */
ssize_t write(int fd, const void *buf, size_t n)
{
	int cp = __cp_enter();
	ssize_t r = write_body(fd, buf, n);
	__cp_leave(cp);
	return r;
}

off_t lseek(int fd, off_t off, int whence)
{
	struct msg m = { .w = { (uint64_t)fd, (uint64_t)off, (uint64_t)whence } };
	int kind = __fd_kind(fd);
	if (kind < 0)
		return -1;
	if (kind == FS_KIND_TTY) {
		errno = ESPIPE;
		return -1;
	}
	return fs_call(FS_LSEEK, &m, 3, NULL, 0, NULL, 0, NULL) ? -1 : (off_t)m.w[0];
}

int dup(int fd)
{
	struct msg m = { .w = { (uint64_t)fd, 0, 0 } };
	if (fs_call(FS_DUP, &m, 3, NULL, 0, NULL, 0, NULL))
		return -1;
	__fd_forget((int)m.w[0]);
	return (int)m.w[0];
}

int dup2(int fd, int nfd)
{
	struct msg m = { .w = { (uint64_t)fd, (uint64_t)nfd } };
	if (fs_call(FS_DUP2, &m, 2, NULL, 0, NULL, 0, NULL))
		return -1;
	__fd_forget(nfd);
	return nfd;
}

int pipe2(int fds[2], int flags)
{
	struct msg m = { .w = { (uint64_t)(flags & O_CLOEXEC) } };
	if (fs_call(FS_PIPE, &m, 1, NULL, 0, NULL, 0, NULL))
		return -1;
	fds[0] = (int)m.w[0];
	fds[1] = (int)m.w[1];
	__fd_forget(fds[0]);
	__fd_forget(fds[1]);
	return 0;
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}

int fcntl(int fd, int cmd, ...)
{
	struct msg m = { .w = { (uint64_t)fd, (uint64_t)cmd, 0 } };
	va_list ap;
	va_start(ap, cmd);
	m.w[2] = (uint64_t)va_arg(ap, int);
	va_end(ap);
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
		m.w[1] = m.w[2];
		m.w[2] = cmd == F_DUPFD_CLOEXEC ? FD_CLOEXEC : 0;
		if (fs_call(FS_DUP, &m, 3, NULL, 0, NULL, 0, NULL))
			return -1;
		__fd_forget((int)m.w[0]);
		return (int)m.w[0];
	}
	return fs_call(FS_FCNTL, &m, 3, NULL, 0, NULL, 0, NULL) ? -1 : (int)m.w[0];
}

static void fill_stat(const struct msg *m, struct stat *st)
{
	static const mode_t type[] = { [FS_KIND_FILE] = S_IFREG, [FS_KIND_DIR] = S_IFDIR,
				       [FS_KIND_PIPE] = S_IFIFO, [FS_KIND_TTY] = S_IFCHR,
				       [FS_KIND_NULL] = S_IFCHR };
	memset(st, 0, sizeof(*st));
	st->st_mode = (m->w[0] < sizeof(type) / sizeof(type[0]) ? type[m->w[0]] : 0) | (mode_t)(m->w[3] & 07777);
	st->st_size = (off_t)m->w[1];
	st->st_ino = (ino_t)m->w[2];
	st->st_nlink = 1;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((m->w[1] + 511) / 512);
}

int fstat(int fd, struct stat *st)
{
	struct msg m = { .w = { (uint64_t)fd } };
	if (bad_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	if (fs_handle() < 0) {
		if (fd > 2) {
			errno = EBADF;
			return -1;
		}
		m.w[0] = FS_KIND_TTY;
		m.w[3] = 0620;
	} else if (fs_call(FS_FSTAT, &m, 1, NULL, 0, NULL, 0, NULL)) {
		return -1;
	}
	fd_kind[fd] = (signed char)m.w[0];
	fill_stat(&m, st);
	return 0;
}

int stat(const char *path, struct stat *st)
{
	struct msg m = { 0 };
	if (path_call(FS_STAT, path, &m, 0))
		return -1;
	fill_stat(&m, st);
	return 0;
}

int lstat(const char *path, struct stat *st)
{
	return stat(path, st);
}

int mkdir(const char *path, mode_t mode)
{
	struct msg m = { .w = { mode & 07777 & ~cmask_get() } };
	return path_call(FS_MKDIR, path, &m, 1);
}

int unlink(const char *path)
{
	struct msg m = { 0 };
	return path_call(FS_UNLINK, path, &m, 0);
}

int rmdir(const char *path)
{
	struct msg m = { 0 };
	return path_call(FS_RMDIR, path, &m, 0);
}

int remove(const char *path)
{
	struct stat st;
	if (stat(path, &st))
		return -1;
	return S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path);
}

int chdir(const char *path)
{
	struct msg m = { 0 };
	return path_call(FS_CHDIR, path, &m, 0);
}

char *getcwd(char *buf, size_t size)
{
	static char own[FS_PATH_MAX + 1];
	struct msg m = { 0 };
	char tmp[FS_PATH_MAX + 1];
	size_t got;

	if (fs_call(FS_GETCWD, &m, 0, NULL, 0, tmp, FS_PATH_MAX, &got))
		return NULL;
	tmp[got] = '\0';
	if (!buf) {
		buf = own;
		size = sizeof(own);
	}
	if (got + 1 > size) {
		errno = ERANGE;
		return NULL;
	}
	memcpy(buf, tmp, got + 1);
	return buf;
}

int ftruncate(int fd, off_t len)
{
	struct msg m = { .w = { (uint64_t)fd, (uint64_t)len } };
	return fs_call(FS_FTRUNCATE, &m, 2, NULL, 0, NULL, 0, NULL);
}

int isatty(int fd)
{
	int kind = __fd_kind(fd);
	if (kind < 0)
		return 0;
	if (kind != FS_KIND_TTY) {
		errno = ENOTTY;
		return 0;
	}
	return 1;
}

/* the directory stream: FS_GETDENTS records, read a buffer at a time */
int __getdents(int fd, void *buf, size_t max)
{
	struct msg m = { .w = { (uint64_t)fd, max } };
	size_t got;
	if (fs_call(FS_GETDENTS, &m, 2, NULL, 0, buf, max, &got))
		return -1;
	return (int)got;
}
