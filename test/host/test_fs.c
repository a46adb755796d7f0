/*
 * test_fs.c - host tests of the file server's logic (servers/fs): the
 * archive tree, path lookup, open flags and their errors, /tmp files and
 * directories, descriptors (dup, dup2, close-on-exec, fork, exec, exit),
 * pipes with held reads and writes, the budgets, and the permission checks.
 *
 * The world (setup): a boot archive written here in newc format, fs_init on
 * it, and process PID made by FS_PNEW from badge 0, as the proc server would.
 * call() does what servers/fs/main.c does with one request: fs_dispatch, a
 * token for a held request (standing in for the saved reply handle), then
 * fs_wake until it is dry, recording every answer and drop in ans[].
 * Teardown frees everything with fs_fini and checks no byte is left.
 *
 * Constants (O_*, E*, SEEK_*) are the host's, as the server code compiled
 * here sees them too.
 */
#define _GNU_SOURCE                     /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../../servers/fs/fs.h"

#define PID 10
#define PID2 11
#define BLK (-1000)                     /* call(): the request is held */

static struct fs fs;
static char obuf[IPC_MAX_BUF], wbuf[FS_PIPE_SIZE];
static struct fs_res res;               /* the last direct reply */
static uint64_t next_token, last_token, undeliverable;

struct answer {
	uint64_t token;
	bool drop, undelivered;
	int err;
	uint64_t w0;
	size_t len;
	char data[FS_PIPE_SIZE];
};
static struct answer ans[256];
static int nans;

/* ---- the archive ---- */
static char arc[16384];
static size_t arclen;
static unsigned arcino;

static void cpio_add(const char *name, unsigned mode, const char *data, size_t size)
{
	size_t nl = strlen(name) + 1;
	char hdr[111];

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ++arcino, mode, 0u, 0u, 1u, 0u, (unsigned)size, 0u, 0u, 0u, 0u, (unsigned)nl, 0u);
	memcpy(arc + arclen, hdr, 110);
	arclen += 110;
	memcpy(arc + arclen, name, nl);
	arclen = (arclen + nl + 3) & ~(size_t)3;
	if (size)
		memcpy(arc + arclen, data, size);
	arclen = (arclen + size + 3) & ~(size_t)3;
	assert_true(arclen < sizeof(arc) - 256);
}

#define SH "#!/bin/sh binary"
#define MOTD "hello, world\n"
#define LONGNAME "this-name-is-far-too-long-for-the-file-server-to-keep-it-at-all"

static void make_archive(void)
{
	memset(arc, 0, sizeof(arc));
	arclen = 0;
	arcino = 0;
	cpio_add(".", 040755, NULL, 0);
	cpio_add("bin", 040755, NULL, 0);
	cpio_add("bin/sh", 0100755, SH, strlen(SH));
	cpio_add("./bin/ls", 0100755, "LS", 2);
	cpio_add("sbin/init", 0100700, "INIT", 4);         /* sbin: implied */
	cpio_add("etc/motd", 0100644, MOTD, strlen(MOTD));
	cpio_add("test/x", 0100644, "x", 1);
	cpio_add("/abs/y", 0100644, "y", 1);
	cpio_add("etc/dup", 0100644, "first", 5);
	cpio_add("etc/dup", 0100644, "second", 6);          /* the later one wins */
	cpio_add("etc", 040700, NULL, 0);                   /* a directory named after its files */
	/* skipped: */
	cpio_add("tmp/shadow", 0100644, "no", 2);           /* /tmp is the RAM one */
	cpio_add("bad/../x", 0100644, "no", 2);
	cpio_add("etc/link", 0120777, "motd", 4);           /* a symlink */
	cpio_add("etc/" LONGNAME, 0100644, "no", 2);
	cpio_add("bin/sh/oops", 0100644, "no", 2);          /* under a file */
	cpio_add("dev/tty", 0100644, "no", 2);              /* the tty is ours */
	cpio_add("TRAILER!!!", 0, NULL, 0);
	cpio_add("after/trailer", 0100644, "no", 2);        /* not even looked at */
}
#define ARCHIVE_FILES 7
#define ARCHIVE_SKIPPED 6

/* ---- one request, as main.c does it ---- */

static void drain(void)
{
	struct fs_done d = { .res = { .obuf = wbuf } };

	while (fs_wake(&fs, &d)) {
		struct answer *a = &ans[nans++];
		assert_true(nans < (int)(sizeof(ans) / sizeof(ans[0])));
		memset(a, 0, sizeof(*a));
		a->token = d.token;
		a->drop = d.drop;
		a->err = d.err;
		a->w0 = d.res.w[0];
		a->len = d.res.slen;
		if (!d.drop) {
			assert_int_not_equal(d.token, 0);
			assert_true(d.res.slen <= sizeof(a->data));
			if (d.res.slen)
				memcpy(a->data, d.res.sbuf, d.res.slen);
		}
		if (!d.drop && d.token == undeliverable) {
			a->undelivered = true;
			fs_wake_failed(&fs);
		}
	}
}

/* w0 of the reply, -errno, or BLK (last_token names the held request) */
static long call(uint64_t badge, uint32_t label, const void *buf, size_t len, uint64_t w0, uint64_t w1, uint64_t w2)
{
	struct fs_req rq = { .w = { w0, w1, w2 }, .buf = buf, .len = len };
	int err;

	memset(&res, 0, sizeof(res));
	res.obuf = obuf;
	err = fs_dispatch(&fs, badge, label, &rq, &res);
	if (err == FS_BLOCKED) {
		assert_non_null(res.wait);
		last_token = ++next_token;
		fs_wait_hold(res.wait, last_token);
	} else {
		assert_null(res.wait);
	}
	drain();
	if (err == FS_BLOCKED)
		return BLK;
	if (err)
		return -err;
	return res.nw ? (long)res.w[0] : 0;
}

static struct answer *answer_for(uint64_t token)
{
	for (int i = 0; i < nans; i++)
		if (ans[i].token == token)
			return &ans[i];
	return NULL;
}

static long p_open(int pid, const char *path, int flags, int mode)
{
	return call((uint64_t)pid, FS_OPEN, path, strlen(path), (uint64_t)flags, (uint64_t)mode, 0);
}
static long p_close(int pid, long fd) { return call((uint64_t)pid, FS_CLOSE, NULL, 0, (uint64_t)fd, 0, 0); }
static long p_read(int pid, long fd, size_t max, char *out)
{
	long r = call((uint64_t)pid, FS_READ, NULL, 0, (uint64_t)fd, max, 0);
	if (r >= 0) {
		assert_int_equal(res.slen, (size_t)r);
		if (out && r)
			memcpy(out, res.sbuf, (size_t)r);
	}
	return r;
}
static long p_write(int pid, long fd, const void *buf, size_t len)
{
	return call((uint64_t)pid, FS_WRITE, buf, len, (uint64_t)fd, 0, 0);
}
static long p_lseek(int pid, long fd, int64_t off, int whence)
{
	return call((uint64_t)pid, FS_LSEEK, NULL, 0, (uint64_t)fd, (uint64_t)off, (uint64_t)whence);
}
static long p_path(int pid, uint32_t label, const char *path, uint64_t w0)
{
	return call((uint64_t)pid, label, path, strlen(path), w0, 0, 0);
}
static long p_fcntl(int pid, long fd, int cmd, long arg)
{
	return call((uint64_t)pid, FS_FCNTL, NULL, 0, (uint64_t)fd, (uint64_t)cmd, (uint64_t)arg);
}
static long ctl(uint32_t label, uint64_t w0, uint64_t w1) { return call(0, label, NULL, 0, w0, w1, 0); }

#define OPEN(path, flags) p_open(PID, path, flags, 0644)
#define CLOSE(fd) p_close(PID, fd)
#define READ(fd, max, out) p_read(PID, fd, max, out)
#define WRITE(fd, s) p_write(PID, fd, s, strlen(s))
#define LSEEK(fd, off, wh) p_lseek(PID, fd, off, wh)
#define STAT(path) p_path(PID, FS_STAT, path, 0)
#define MKDIR(path) p_path(PID, FS_MKDIR, path, 0755)
#define UNLINK(path) p_path(PID, FS_UNLINK, path, 0)
#define RMDIR(path) p_path(PID, FS_RMDIR, path, 0)
#define CHDIR(path) p_path(PID, FS_CHDIR, path, 0)
#define FCNTL(fd, cmd, arg) p_fcntl(PID, fd, cmd, arg)

/* FS_PIPE for pid: fds in rfd, wfd */
static void p_pipe(int pid, uint64_t flags, long *rfd, long *wfd)
{
	long ret = call((uint64_t)pid, FS_PIPE, NULL, 0, flags, 0, 0);

	assert_int_equal(ret, res.w[0]);
	assert_int_equal(res.nw, 2);
	*rfd = (long)res.w[0];
	*wfd = (long)res.w[1];
}

/* the current directory of PID */
static const char *cwd(void)
{
	static char buf[FS_PATH_MAX + 1];
	long r = call(PID, FS_GETCWD, NULL, 0, 0, 0, 0);
	if (r < 0)
		return NULL;
	assert_int_equal(res.slen, (size_t)r);
	memcpy(buf, res.sbuf, (size_t)r);
	buf[r] = '\0';
	return buf;
}

static int setup(void **state)
{
	make_archive();
	fs_mem_fail_after(-1);
	assert_int_equal(fs_mem_used(), 0);
	assert_int_equal(fs_init(&fs, arc, arclen), 0);
	assert_int_equal(ctl(FS_PNEW, PID, 0), 0);
	nans = 0;
	next_token = 100;
	undeliverable = 0;
	return 0;
}

static int teardown(void **state)
{
	fs_mem_fail_after(-1);
	fs_fini(&fs);
	assert_int_equal(fs_mem_used(), 0);
	return 0;
}

/* nothing held, no pipe, no /tmp byte: what a fresh server has */
static void assert_quiet(void)
{
	assert_int_equal(fs.nwait, 0);
	assert_int_equal(fs.held, 0);
	assert_int_equal(fs.npipes, 0);
	assert_null(fs.dirty);
	assert_null(fs.drops);
	assert_int_equal(fs.tmp_data, 0);
}

/* ---- the archive tree ---- */

static void test_archive_tree(void **state)
{
	assert_int_equal(fs.archive_files, ARCHIVE_FILES);
	assert_int_equal(fs.archive_skipped, ARCHIVE_SKIPPED);
	assert_int_equal(STAT("/bin/sh"), FS_KIND_FILE);
	assert_int_equal(res.w[1], strlen(SH));
	assert_int_equal(res.w[3], 0755);
	assert_int_equal(STAT("/bin/ls"), FS_KIND_FILE);
	assert_int_equal(STAT("/sbin"), FS_KIND_DIR);
	assert_int_equal(res.w[3], 0755);
	assert_int_equal(STAT("/sbin/init"), FS_KIND_FILE);
	assert_int_equal(res.w[3], 0700);
	assert_int_equal(STAT("/etc"), FS_KIND_DIR);
	assert_int_equal(res.w[3], 0700);
	assert_int_equal(STAT("/etc/motd"), FS_KIND_FILE);
	assert_int_equal(res.w[3], 0644);
	assert_int_equal(STAT("/abs/y"), FS_KIND_FILE);
	assert_int_equal(STAT("/test/x"), FS_KIND_FILE);
	assert_int_equal(STAT("/tmp/shadow"), -ENOENT);
	assert_int_equal(STAT("/bad"), -ENOENT);
	assert_int_equal(STAT("/x"), -ENOENT);
	assert_int_equal(STAT("/etc/link"), -ENOENT);
	assert_int_equal(STAT("/after"), -ENOENT);
	assert_int_equal(STAT("/dev/tty"), FS_KIND_TTY);
	assert_int_equal(STAT("/dev/console"), FS_KIND_TTY);
	assert_int_equal(STAT("/tmp"), FS_KIND_DIR);
	assert_int_equal(STAT("/"), FS_KIND_DIR);

	/* the later of two entries wins; reads come from the archive bytes */
	long fd = OPEN("/etc/dup", O_RDONLY);
	char buf[64];
	assert_int_equal(READ(fd, sizeof(buf), buf), 6);
	assert_memory_equal(buf, "second", 6);
	fd = OPEN("/bin/sh", O_RDONLY);
	assert_int_equal(READ(fd, 4, buf), 4);
	assert_ptr_equal(res.sbuf, memmem(arc, arclen, SH, strlen(SH)));
	assert_int_equal(READ(fd, sizeof(buf), buf), strlen(SH) - 4);
	assert_memory_equal(buf, SH + 4, strlen(SH) - 4);
	assert_int_equal(READ(fd, sizeof(buf), buf), 0);
}

static void test_archive_malformed(void **state)
{
	struct fs f2;
	char bad[256];

	/* a header with a bad digit ends the archive; what came before stays */
	memcpy(bad, arc, sizeof(bad));
	bad[112 + 14] = 'z';                    /* the second entry's mode ("." takes 112 bytes) */
	assert_int_equal(fs_init(&f2, bad, sizeof(bad)), 0);
	assert_int_equal(f2.archive_files, 0);
	fs_fini(&f2);
	/* truncated in the middle of a file: that entry and the rest are ignored */
	assert_int_equal(fs_init(&f2, arc, 360), 0);
	assert_true(f2.archive_files < ARCHIVE_FILES);
	fs_fini(&f2);
	/* no archive at all */
	assert_int_equal(fs_init(&f2, NULL, 0), 0);
	assert_int_equal(f2.archive_files, 0);
	fs_fini(&f2);
	/* out of memory at start: the fixed part (/, /tmp, /dev and its 3 nodes) fails, the
	   archive's nodes are skipped */
	for (long n = 0; n < 6; n++) {
		fs_mem_fail_after(n);
		assert_int_equal(fs_init(&f2, arc, arclen), ENOMEM);
	}
	for (long n = 6; n < 13; n++) {
		fs_mem_fail_after(n);
		assert_int_equal(fs_init(&f2, arc, arclen), 0);
		fs_mem_fail_after(-1);
		assert_true(f2.archive_files < ARCHIVE_FILES);
		assert_true(f2.archive_skipped > ARCHIVE_SKIPPED);
		fs_fini(&f2);
	}
	fs_mem_fail_after(-1);
}

/* ---- paths ---- */

static void test_paths(void **state)
{
	char longpath[FS_PATH_MAX + 2], longname[FS_NAME_MAX + 2];

	assert_int_equal(STAT("/bin/../etc/./motd"), FS_KIND_FILE);
	assert_int_equal(STAT("//etc///motd"), FS_KIND_FILE);
	assert_int_equal(STAT("etc/motd"), FS_KIND_FILE);          /* from "/" */
	assert_int_equal(STAT("/.."), FS_KIND_DIR);
	assert_int_equal(res.w[2], fs.root->n_ino);
	assert_int_equal(STAT("/../../etc/motd"), FS_KIND_FILE);
	assert_int_equal(STAT("/etc/"), FS_KIND_DIR);
	assert_int_equal(STAT(""), -ENOENT);
	assert_int_equal(call(PID, FS_STAT, NULL, 0, 0, 0, 0), -ENOENT);
	assert_int_equal(STAT("/bin/sh/x"), -ENOTDIR);
	assert_int_equal(STAT("/bin/sh/"), -ENOTDIR);
	assert_int_equal(STAT("/bin/sh/.."), -ENOTDIR);
	assert_int_equal(STAT("/nope/x"), -ENOENT);
	assert_int_equal(STAT("/nope"), -ENOENT);
	/* a NUL ends the path */
	assert_int_equal(call(PID, FS_STAT, "/etc/motd\0junk", 14, 0, 0, 0), FS_KIND_FILE);

	/* limits: FS_PATH_MAX bytes, FS_NAME_MAX per component */
	memset(longpath, '/', sizeof(longpath));
	longpath[FS_PATH_MAX + 1] = '\0';
	assert_int_equal(STAT(longpath), -ENAMETOOLONG);
	longpath[FS_PATH_MAX] = '\0';
	assert_int_equal(STAT(longpath), FS_KIND_DIR);
	memset(longname, 'a', sizeof(longname));
	longname[FS_NAME_MAX + 1] = '\0';
	assert_int_equal(STAT(longname), -ENAMETOOLONG);
	longname[FS_NAME_MAX] = '\0';
	assert_int_equal(STAT(longname), -ENOENT);

	/* relative to the current directory */
	assert_string_equal(cwd(), "/");
	assert_int_equal(CHDIR("/bin"), 0);
	assert_string_equal(cwd(), "/bin");
	assert_int_equal(STAT("sh"), FS_KIND_FILE);
	assert_int_equal(STAT("./sh"), FS_KIND_FILE);
	assert_int_equal(STAT("../etc/motd"), FS_KIND_FILE);
	assert_int_equal(STAT("motd"), -ENOENT);
	assert_int_equal(CHDIR("sh"), -ENOTDIR);
	assert_int_equal(CHDIR("nope"), -ENOENT);
	assert_int_equal(CHDIR("/nope/x"), -ENOENT);
	assert_int_equal(CHDIR(""), -ENOENT);
	assert_int_equal(RMDIR("/bin/sh/x"), -ENOTDIR);
	assert_int_equal(MKDIR("/bin/sh/x"), -ENOTDIR);
	assert_int_equal(UNLINK(""), -ENOENT);
	assert_int_equal(call(PID, FS_GETDENTS, NULL, 0, 50, 4096, 0), -EBADF);
	assert_int_equal(CHDIR("../etc/"), 0);
	assert_string_equal(cwd(), "/etc");
	assert_int_equal(CHDIR(".."), 0);
	assert_string_equal(cwd(), "/");
	assert_int_equal(MKDIR("/tmp/a"), 0);
	assert_int_equal(MKDIR("/tmp/a/b"), 0);
	assert_int_equal(CHDIR("/tmp/a/b"), 0);
	assert_string_equal(cwd(), "/tmp/a/b");
	assert_int_equal(STAT("../../../bin/sh"), FS_KIND_FILE);
}

static void test_cwd_removed(void **state)
{
	assert_int_equal(MKDIR("/tmp/d"), 0);
	assert_int_equal(CHDIR("/tmp/d"), 0);
	assert_int_equal(RMDIR("/tmp/d"), 0);
	assert_null(cwd());
	assert_int_equal(call(PID, FS_GETCWD, NULL, 0, 0, 0, 0), -ENOENT);
	assert_int_equal(STAT("."), FS_KIND_DIR);                  /* it is still there for us */
	assert_int_equal(OPEN("f", O_CREAT | O_WRONLY), -ENOENT);
	assert_int_equal(MKDIR("e"), -ENOENT);
	assert_int_equal(STAT(".."), -ENOENT);
	assert_int_equal(CHDIR("/"), 0);                            /* the last reference: freed */
	assert_string_equal(cwd(), "/");
}

static void test_getcwd_too_long(void **state)
{
	char name[FS_NAME_MAX + 1];

	memset(name, 'n', FS_NAME_MAX);
	name[FS_NAME_MAX] = '\0';
	assert_int_equal(CHDIR("/tmp"), 0);
	for (int i = 0; i < 5; i++) {                               /* 4 + 5 * 58 > 256 */
		assert_int_equal(MKDIR(name), 0);
		assert_int_equal(CHDIR(name), 0);
	}
	assert_int_equal(call(PID, FS_GETCWD, NULL, 0, 0, 0, 0), -ENAMETOOLONG);
	assert_int_equal(CHDIR(".."), 0);
	assert_non_null(cwd());
	assert_int_equal(strlen(cwd()), 4 + 4 * (FS_NAME_MAX + 1));
}

/* ---- open ---- */

static void test_open_flags(void **state)
{
	char buf[32];
	long fd;

	assert_int_equal(OPEN("/etc/motd", O_ACCMODE), -EINVAL);
	assert_int_equal(OPEN("/tmp/n", O_CREAT | O_DIRECTORY), -EINVAL);
	assert_int_equal(OPEN("/nope", O_RDONLY), -ENOENT);
	assert_int_equal(OPEN("/nope/x", O_RDONLY | O_CREAT), -ENOENT);
	assert_int_equal(OPEN("/etc", O_WRONLY), -EISDIR);
	assert_int_equal(OPEN("/etc", O_RDWR), -EISDIR);
	assert_int_equal(OPEN("/tmp", O_RDONLY | O_CREAT), -EISDIR);
	assert_int_equal(OPEN("/tmp", O_RDONLY | O_TRUNC), -EISDIR);
	assert_int_equal(OPEN("/etc/motd", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	assert_int_equal(OPEN("/dev/tty", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	assert_int_equal(OPEN("/etc/motd", O_RDONLY | O_CREAT | O_EXCL), -EEXIST);
	assert_int_equal(OPEN("/tmp/new/", O_WRONLY | O_CREAT), -EISDIR);
	assert_int_equal(OPEN("/etc/motd/", O_RDONLY), -ENOTDIR);

	/* the lowest free descriptor: 0, 1, 2 are the console */
	assert_int_equal(OPEN("/etc/motd", O_RDONLY), 3);
	assert_int_equal(OPEN("/etc", O_RDONLY | O_DIRECTORY), 4);
	assert_int_equal(CLOSE(3), 0);
	assert_int_equal(OPEN("/bin/sh", O_RDONLY), 3);
	assert_int_equal(CLOSE(1), 0);
	assert_int_equal(OPEN("/bin/sh", O_RDONLY), 1);

	/* the access mode is checked per call */
	fd = OPEN("/tmp/f", O_WRONLY | O_CREAT);
	assert_true(fd >= 0);
	assert_int_equal(READ(fd, 8, buf), -EBADF);
	assert_int_equal(WRITE(fd, "abc"), 3);
	assert_int_equal(CLOSE(fd), 0);
	fd = OPEN("/tmp/f", O_RDONLY);
	assert_int_equal(WRITE(fd, "abc"), -EBADF);
	assert_int_equal(READ(fd, 8, buf), 3);
	assert_int_equal(call(PID, FS_FTRUNCATE, NULL, 0, (uint64_t)fd, 0, 0), -EBADF);
	/* an existing file with O_CREAT (no O_EXCL) is just opened; O_TRUNC empties it */
	assert_int_equal(CLOSE(fd), 0);
	fd = OPEN("/tmp/f", O_RDWR | O_CREAT);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, (uint64_t)fd, 0, 0), FS_KIND_FILE);
	assert_int_equal(res.w[1], 3);
	assert_int_equal(res.w[3], 0644);
	assert_int_equal(CLOSE(fd), 0);
	fd = OPEN("/tmp/f", O_RDWR | O_TRUNC);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, (uint64_t)fd, 0, 0), FS_KIND_FILE);
	assert_int_equal(res.w[1], 0);
	assert_int_equal(CLOSE(fd), 0);
	assert_int_equal(p_open(PID, "/tmp/m", O_CREAT | O_EXCL | O_WRONLY, 0600), 5);
	assert_int_equal(STAT("/tmp/m"), FS_KIND_FILE);
	assert_int_equal(res.w[3], 0600);
	assert_int_equal(CLOSE(5), 0);

	/* a bad descriptor */
	assert_int_equal(READ(40, 8, buf), -EBADF);
	assert_int_equal(READ(FS_OPEN_MAX, 8, buf), -EBADF);
	assert_int_equal(READ(-1, 8, buf), -EBADF);
	assert_int_equal(CLOSE(40), -EBADF);
	assert_int_equal(CLOSE(-1), -EBADF);
	assert_int_equal(WRITE(99, "x"), -EBADF);
	assert_int_equal(LSEEK(40, 0, SEEK_SET), -EBADF);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 40, 0, 0), -EBADF);
	/* a bad size */
	assert_int_equal(OPEN("/etc/motd", O_RDONLY), 5);
	assert_int_equal(READ(5, IPC_MAX_BUF + 1, buf), -EINVAL);
	assert_int_equal(READ(5, 0, buf), 0);
	assert_int_equal(READ(5, 5, buf), 5);
}

static void test_open_emfile(void **state)
{
	for (int fd = 3; fd < FS_OPEN_MAX; fd++)
		assert_int_equal(OPEN("/etc/motd", O_RDONLY), fd);
	assert_int_equal(OPEN("/etc/motd", O_RDONLY), -EMFILE);
	assert_int_equal(OPEN("/tmp/nofd", O_RDWR | O_CREAT), -EMFILE);
	assert_int_equal(STAT("/tmp/nofd"), -ENOENT);               /* nothing made */
	assert_int_equal(call(PID, FS_DUP, NULL, 0, 3, 0, 0), -EMFILE);
	assert_int_equal(call(PID, FS_PIPE, NULL, 0, 0, 0, 0), -EMFILE);
	assert_int_equal(CLOSE(10), 0);
	assert_int_equal(call(PID, FS_PIPE, NULL, 0, 0, 0, 0), -EMFILE);   /* needs two */
	assert_int_equal(OPEN("/etc/motd", O_RDONLY), 10);
}

static void test_erofs(void **state)
{
	assert_int_equal(OPEN("/etc/motd", O_WRONLY), -EROFS);
	assert_int_equal(OPEN("/etc/motd", O_RDWR), -EROFS);
	assert_int_equal(OPEN("/etc/motd", O_RDONLY | O_TRUNC), -EROFS);
	assert_int_equal(OPEN("/etc/new", O_WRONLY | O_CREAT), -EROFS);
	assert_int_equal(OPEN("/new", O_WRONLY | O_CREAT), -EROFS);
	assert_int_equal(OPEN("/dev/new", O_WRONLY | O_CREAT), -EROFS);
	assert_int_equal(OPEN("/etc/motd", O_RDONLY | O_CREAT), 3);  /* exists: just opened */
	assert_int_equal(UNLINK("/etc/motd"), -EROFS);
	assert_int_equal(UNLINK("/nope"), -EROFS);
	assert_int_equal(UNLINK("/dev/tty"), -EROFS);
	assert_int_equal(MKDIR("/x"), -EROFS);
	assert_int_equal(MKDIR("/etc/x"), -EROFS);
	assert_int_equal(MKDIR("/etc"), -EEXIST);
	assert_int_equal(MKDIR("/"), -EEXIST);
	assert_int_equal(RMDIR("/etc"), -EROFS);
	assert_int_equal(RMDIR("/tmp"), -EROFS);
	assert_int_equal(RMDIR("/dev"), -EROFS);
	assert_int_equal(STAT("/etc/motd"), FS_KIND_FILE);
}

/* ---- /tmp files ---- */

static void test_tmp_file(void **state)
{
	char buf[8192], big[6000];
	long fd, fd2;

	fd = OPEN("/tmp/f", O_RDWR | O_CREAT | O_EXCL);
	assert_int_equal(fd, 3);
	assert_int_equal(WRITE(fd, "hello"), 5);
	assert_int_equal(LSEEK(fd, 0, SEEK_CUR), 5);
	assert_int_equal(READ(fd, 10, buf), 0);
	assert_int_equal(LSEEK(fd, 0, SEEK_SET), 0);
	assert_int_equal(READ(fd, 10, buf), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(LSEEK(fd, -2, SEEK_END), 3);
	assert_int_equal(WRITE(fd, "P!!"), 3);
	assert_int_equal(LSEEK(fd, 1, SEEK_SET), 1);
	assert_int_equal(LSEEK(fd, 1, SEEK_CUR), 2);
	assert_int_equal(READ(fd, 10, buf), 4);
	assert_memory_equal(buf, "lP!!", 4);
	assert_int_equal(LSEEK(fd, -7, SEEK_END), -EINVAL);
	assert_int_equal(LSEEK(fd, 0, 7), -EINVAL);
	assert_int_equal(LSEEK(fd, INT64_MAX, SEEK_CUR), -EOVERFLOW);

	/* a hole reads as zeros; across blocks */
	assert_int_equal(LSEEK(fd, 5000, SEEK_SET), 5000);
	memset(big, 'b', sizeof(big));
	assert_int_equal(p_write(PID, fd, big, sizeof(big)), sizeof(big));
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, (uint64_t)fd, 0, 0), FS_KIND_FILE);
	assert_int_equal(res.w[1], 11000);
	assert_int_equal(LSEEK(fd, 0, SEEK_SET), 0);
	assert_int_equal(READ(fd, sizeof(buf), buf), sizeof(buf));
	assert_memory_equal(buf, "helP!!", 6);
	for (int i = 6; i < 5000; i++)
		assert_int_equal(buf[i], 0);
	for (int i = 5000; i < (int)sizeof(buf); i++)
		assert_int_equal(buf[i], 'b');
	assert_int_equal(READ(fd, sizeof(buf), buf), 11000 - sizeof(buf));
	assert_int_equal(fs.tmp_data, 3 * FS_BLOCK);               /* blocks 0, 1, 2 */

	/* truncate down zeroes the tail, up exposes zeros */
	assert_int_equal(call(PID, FS_FTRUNCATE, NULL, 0, (uint64_t)fd, 3, 0), 0);
	assert_int_equal(fs.tmp_data, FS_BLOCK);
	assert_int_equal(call(PID, FS_FTRUNCATE, NULL, 0, (uint64_t)fd, 10, 0), 0);
	assert_int_equal(LSEEK(fd, 0, SEEK_SET), 0);
	assert_int_equal(READ(fd, sizeof(buf), buf), 10);
	assert_memory_equal(buf, "hel\0\0\0\0\0\0\0", 10);
	assert_int_equal(call(PID, FS_FTRUNCATE, NULL, 0, (uint64_t)fd, (uint64_t)-1, 0), -EINVAL);
	assert_int_equal(call(PID, FS_FTRUNCATE, NULL, 0, (uint64_t)fd, FS_FILE_MAX + 1, 0), -EFBIG);
	assert_int_equal(call(PID, FS_FTRUNCATE, NULL, 0, (uint64_t)fd, 0, 0), 0);
	assert_int_equal(fs.tmp_data, 0);

	/* O_APPEND: every write at the end, whatever the offset */
	fd2 = OPEN("/tmp/f", O_WRONLY | O_APPEND);
	assert_int_equal(LSEEK(fd, 0, SEEK_SET), 0);
	assert_int_equal(WRITE(fd, "12345"), 5);
	assert_int_equal(LSEEK(fd2, 0, SEEK_SET), 0);
	assert_int_equal(WRITE(fd2, "ab"), 2);
	assert_int_equal(LSEEK(fd2, 0, SEEK_CUR), 7);
	assert_int_equal(FCNTL(fd2, F_GETFL, 0), O_WRONLY | O_APPEND);
	assert_int_equal(LSEEK(fd, 0, SEEK_SET), 0);
	assert_int_equal(READ(fd, 100, buf), 7);
	assert_memory_equal(buf, "12345ab", 7);

	/* unlinked while open: still readable, gone from the tree, freed at the last close */
	assert_int_equal(UNLINK("/tmp/f"), 0);
	assert_int_equal(STAT("/tmp/f"), -ENOENT);
	assert_int_equal(LSEEK(fd, 0, SEEK_SET), 0);
	assert_int_equal(READ(fd, 100, buf), 7);
	assert_int_equal(WRITE(fd2, "c"), 1);
	assert_int_equal(CLOSE(fd), 0);
	assert_int_equal(fs.tmp_data, FS_BLOCK);
	assert_int_equal(CLOSE(fd2), 0);
	assert_int_equal(fs.tmp_data, 0);
	assert_int_equal(fs.tmp_meta, sizeof(struct node));       /* /tmp itself */

	/* holes: blocks never written read as zeros */
	fd = OPEN("/tmp/h", O_RDWR | O_CREAT);
	assert_int_equal(call(PID, FS_FTRUNCATE, NULL, 0, (uint64_t)fd, 3 * FS_BLOCK, 0), 0);
	assert_int_equal(fs.tmp_data, 0);
	memset(buf, 'z', sizeof(buf));
	assert_int_equal(READ(fd, sizeof(buf), buf), sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(WRITE(fd, "w"), 1);                       /* at 8192: block 2 only */
	assert_int_equal(fs.tmp_data, FS_BLOCK);
	assert_int_equal(LSEEK(fd, FS_BLOCK - 1, SEEK_SET), FS_BLOCK - 1);
	assert_int_equal(READ(fd, 3, buf), 3);
	assert_memory_equal(buf, "\0\0\0", 3);
	assert_int_equal(CLOSE(fd), 0);
	assert_int_equal(UNLINK("/tmp/h"), 0);

	/* a write of nothing, a write past the largest file */
	fd = OPEN("/tmp/g", O_RDWR | O_CREAT);
	assert_int_equal(p_write(PID, fd, NULL, 0), 0);
	assert_int_equal(LSEEK(fd, FS_FILE_MAX, SEEK_SET), FS_FILE_MAX);
	assert_int_equal(WRITE(fd, "x"), -EFBIG);
	assert_int_equal(LSEEK(fd, FS_FILE_MAX - 2, SEEK_SET), FS_FILE_MAX - 2);
	assert_int_equal(WRITE(fd, "xyz"), 2);                     /* short */
	assert_int_equal(fs.tmp_data, FS_BLOCK);
	assert_int_equal(UNLINK("/tmp/g"), 0);
	assert_int_equal(UNLINK("/tmp/g"), -ENOENT);
}

static void test_tmp_dirs(void **state)
{
	struct fs_dirent *d;
	char names[16][FS_NAME_MAX + 1];
	long fd, rfd, n, total = 0;

	assert_int_equal(MKDIR("/tmp/d"), 0);
	assert_int_equal(MKDIR("/tmp/d"), -EEXIST);
	assert_int_equal(MKDIR("/tmp/d/"), -EEXIST);
	assert_int_equal(MKDIR("/tmp/d/e/f"), -ENOENT);
	assert_int_equal(MKDIR("/tmp/d/e/"), 0);
	assert_int_equal(p_path(PID, FS_MKDIR, "/tmp/d/m", 0700), 0);
	assert_int_equal(STAT("/tmp/d/m"), FS_KIND_DIR);
	assert_int_equal(res.w[3], 0700);
	assert_int_equal(CLOSE(OPEN("/tmp/d/file", O_WRONLY | O_CREAT)), 0);
	assert_int_equal(RMDIR("/tmp/d"), -ENOTEMPTY);
	assert_int_equal(RMDIR("/tmp/d/file"), -ENOTDIR);
	assert_int_equal(RMDIR("/tmp/d/nope"), -ENOENT);
	assert_int_equal(RMDIR("/tmp/d/."), -EINVAL);
	assert_int_equal(RMDIR("/tmp/d/.."), -ENOTEMPTY);
	assert_int_equal(RMDIR("/"), -EBUSY);
	assert_int_equal(UNLINK("/tmp/d/e"), -EISDIR);
	assert_int_equal(UNLINK("/tmp/d/."), -EISDIR);
	assert_int_equal(UNLINK("/"), -EISDIR);
	assert_int_equal(UNLINK("/tmp/d/file/"), -ENOTDIR);
	assert_int_equal(STAT("/tmp/d"), FS_KIND_DIR);
	assert_int_equal(res.w[1], 5 * sizeof(struct fs_dirent));  /* ., .., e, m, file */

	/* getdents: ".", "..", then in creation order; a small buffer takes several calls */
	fd = OPEN("/tmp/d", O_RDONLY | O_DIRECTORY);
	assert_int_equal(call(PID, FS_GETDENTS, NULL, 0, (uint64_t)fd, sizeof(*d) - 1, 0), -EINVAL);
	assert_int_equal(call(PID, FS_GETDENTS, NULL, 0, (uint64_t)fd, IPC_MAX_BUF + 1, 0), -EINVAL);
	assert_int_equal(READ(fd, 64, NULL), -EISDIR);
	while ((n = call(PID, FS_GETDENTS, NULL, 0, (uint64_t)fd, 2 * sizeof(*d) + 10, 0)) > 0) {
		assert_int_equal(n % sizeof(*d), 0);
		assert_true(n <= 2 * (long)sizeof(*d));
		for (d = (struct fs_dirent *)res.sbuf; (char *)d < (char *)res.sbuf + n; d++) {
			assert_int_equal(strlen(d->name), d->namelen);
			strcpy(names[total++], d->name);
			if (strcmp(d->name, "e") == 0 || strcmp(d->name, "m") == 0 || strcmp(d->name, ".") == 0)
				assert_int_equal(d->kind, FS_KIND_DIR);
			if (strcmp(d->name, "file") == 0)
				assert_int_equal(d->kind, FS_KIND_FILE);
		}
	}
	assert_int_equal(n, 0);
	assert_int_equal(total, 5);
	assert_string_equal(names[0], ".");
	assert_string_equal(names[1], "..");
	assert_string_equal(names[2], "e");
	assert_string_equal(names[3], "m");
	assert_string_equal(names[4], "file");
	assert_int_equal(LSEEK(fd, 0, SEEK_END), -EINVAL);
	assert_int_equal(LSEEK(fd, 3, SEEK_SET), 3);
	assert_int_equal(call(PID, FS_GETDENTS, NULL, 0, (uint64_t)fd, IPC_MAX_BUF, 0), 2 * sizeof(*d));
	assert_string_equal(((struct fs_dirent *)res.sbuf)->name, "m");
	assert_int_equal(call(PID, FS_GETDENTS, NULL, 0, 0, IPC_MAX_BUF, 0), -ENOTDIR);

	/* the root lists the archive's top level and ours */
	rfd = OPEN("/", O_RDONLY);
	n = call(PID, FS_GETDENTS, NULL, 0, (uint64_t)rfd, IPC_MAX_BUF, 0);
	assert_int_equal(n, (2 + 7) * sizeof(*d));  /* ., .., tmp dev bin sbin etc test abs */
	d = (struct fs_dirent *)res.sbuf;
	assert_string_equal(d[1].name, "..");
	assert_int_equal(d[1].ino, fs.root->n_ino);
	assert_string_equal(d[2].name, "tmp");
	assert_string_equal(d[8].name, "abs");
	assert_int_equal(call(PID, FS_GETDENTS, NULL, 0, (uint64_t)rfd, IPC_MAX_BUF, 0), 0);

	assert_int_equal(UNLINK("/tmp/d/file"), 0);
	assert_int_equal(RMDIR("/tmp/d/e"), 0);
	assert_int_equal(RMDIR("/tmp/d/m/"), 0);
	assert_int_equal(RMDIR("/tmp/d"), 0);
	assert_int_equal(STAT("/tmp/d"), -ENOENT);
	/* still open: lists nothing but itself and its parent, which is gone */
	assert_int_equal(LSEEK(fd, 0, SEEK_SET), 0);
	assert_int_equal(call(PID, FS_GETDENTS, NULL, 0, (uint64_t)fd, IPC_MAX_BUF, 0), 2 * sizeof(*d));
	assert_true(fs.tmp_meta > sizeof(struct node));
	assert_int_equal(CLOSE(fd), 0);
	assert_int_equal(fs.tmp_meta, sizeof(struct node));
}

/* ---- descriptors ---- */

static void test_dup(void **state)
{
	char buf[16];
	long fd = OPEN("/etc/motd", O_RDONLY);

	assert_int_equal(fd, 3);
	assert_int_equal(call(PID, FS_DUP, NULL, 0, 3, 0, 0), 4);
	assert_int_equal(READ(3, 5, buf), 5);
	assert_int_equal(READ(4, 2, buf), 2);                      /* the offset is shared */
	assert_memory_equal(buf, ", ", 2);
	assert_int_equal(call(PID, FS_DUP, NULL, 0, 3, 10, 0), 10);
	assert_int_equal(call(PID, FS_DUP, NULL, 0, 3, 10, FD_CLOEXEC), 11);
	assert_int_equal(FCNTL(11, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(FCNTL(10, F_GETFD, 0), 0);
	assert_int_equal(call(PID, FS_DUP, NULL, 0, 3, FS_OPEN_MAX, 0), -EINVAL);
	assert_int_equal(call(PID, FS_DUP, NULL, 0, 3, 0, 2), -EINVAL);
	assert_int_equal(call(PID, FS_DUP, NULL, 0, 50, 0, 0), -EBADF);
	assert_int_equal(FCNTL(3, F_DUPFD, 20), 20);
	assert_int_equal(FCNTL(3, F_DUPFD_CLOEXEC, 20), 21);
	assert_int_equal(FCNTL(21, F_GETFD, 0), FD_CLOEXEC);

	/* dup2: the target is closed first; the same fd is a no-op */
	assert_int_equal(call(PID, FS_DUP2, NULL, 0, 11, 11, 0), 11);
	assert_int_equal(FCNTL(11, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(call(PID, FS_DUP2, NULL, 0, 3, 11, 0), 11);
	assert_int_equal(FCNTL(11, F_GETFD, 0), 0);
	assert_int_equal(call(PID, FS_DUP2, NULL, 0, 3, 30, 0), 30);
	assert_int_equal(call(PID, FS_DUP2, NULL, 0, 0, 30, 0), 30);      /* 30 was motd, now the tty */
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 30, 0, 0), FS_KIND_TTY);
	assert_int_equal(call(PID, FS_DUP2, NULL, 0, 3, FS_OPEN_MAX, 0), -EBADF);
	assert_int_equal(call(PID, FS_DUP2, NULL, 0, 40, 5, 0), -EBADF);
	assert_int_equal(call(PID, FS_DUP2, NULL, 0, 40, 40, 0), -EBADF);

	/* closing one leaves the others */
	assert_int_equal(CLOSE(3), 0);
	assert_int_equal(READ(4, 6, buf), 6);
	assert_memory_equal(buf, "world\n", 6);
	assert_int_equal(fs.console->n_refs, 1);                   /* one open file, many fds */
}

static void test_fcntl(void **state)
{
	long fd = OPEN("/etc/motd", O_RDONLY | O_CLOEXEC);

	assert_int_equal(FCNTL(fd, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(FCNTL(fd, F_SETFD, 0), 0);
	assert_int_equal(FCNTL(fd, F_GETFD, 0), 0);
	assert_int_equal(FCNTL(fd, F_SETFD, FD_CLOEXEC), 0);
	assert_int_equal(FCNTL(fd, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(FCNTL(fd, F_GETFL, 0), O_RDONLY);
	/* F_SETFL changes O_APPEND and O_NONBLOCK only */
	assert_int_equal(FCNTL(fd, F_SETFL, O_NONBLOCK | O_RDWR | O_TRUNC), 0);
	assert_int_equal(FCNTL(fd, F_GETFL, 0), O_RDONLY | O_NONBLOCK);
	assert_int_equal(FCNTL(fd, F_SETFL, O_APPEND), 0);
	assert_int_equal(FCNTL(fd, F_GETFL, 0), O_RDONLY | O_APPEND);
	assert_int_equal(FCNTL(fd, 999, 0), -EINVAL);
	assert_int_equal(FCNTL(50, F_GETFD, 0), -EBADF);
	assert_int_equal(FCNTL(0, F_GETFL, 0), O_RDWR);
}

static void test_exec_cloexec(void **state)
{
	assert_int_equal(OPEN("/etc/motd", O_RDONLY | O_CLOEXEC), 3);
	assert_int_equal(OPEN("/etc/motd", O_RDONLY), 4);
	assert_int_equal(call(PID, FS_DUP, NULL, 0, 4, 0, FD_CLOEXEC), 5);
	assert_int_equal(FCNTL(0, F_SETFD, FD_CLOEXEC), 0);
	assert_int_equal(ctl(FS_PEXEC, PID, 0), 0);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 0, 0, 0), -EBADF);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 1, 0, 0), FS_KIND_TTY);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 3, 0, 0), -EBADF);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 4, 0, 0), FS_KIND_FILE);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 5, 0, 0), -EBADF);
	assert_int_equal(ctl(FS_PEXEC, 99, 0), -ESRCH);
	assert_int_equal(ctl(FS_PEXEC, 0, 0), -ESRCH);
}

/* exec drops the held requests of the process's (destroyed) other lwps */
static void test_exec_drops_held(void **state)
{
	char buf[FS_PIPE_SIZE];
	uint64_t tr, tw;
	long r, w, r2, w2;

	p_pipe(PID, 0, &r, &w);
	p_pipe(PID, 0, &r2, &w2);
	assert_int_equal(ctl(FS_PNEW, PID2, 0), 0);
	assert_int_equal(ctl(FS_PFORK, PID, PID2), -EEXIST);
	assert_int_equal(ctl(FS_PEXIT, PID2, 0), 0);
	assert_int_equal(ctl(FS_PFORK, PID, PID2), 0);           /* PID2 reads r2 after */
	assert_int_equal(READ(r, 10, buf), BLK);
	tr = last_token;
	memset(buf, 'F', sizeof(buf));
	assert_int_equal(p_write(PID, w2, buf, sizeof(buf)), FS_PIPE_SIZE);
	assert_int_equal(p_write(PID, w2, buf, 10), BLK);
	tw = last_token;
	assert_int_equal(CLOSE(w2), 0);                          /* only the held write has it */
	assert_int_equal(p_close(PID2, w2), 0);
	assert_int_equal(ctl(FS_PEXEC, PID, 0), 0);
	assert_int_equal(nans, 2);
	assert_true(answer_for(tr)->drop);
	assert_true(answer_for(tw)->drop);
	assert_int_equal(fs.nwait, 0);
	/* the dropped write's end is closed: PID2 reads what is there, then end of file */
	assert_int_equal(p_read(PID2, r2, sizeof(buf), buf), FS_PIPE_SIZE);
	assert_int_equal(p_read(PID2, r2, sizeof(buf), buf), 0);
	assert_int_equal(READ(r, 10, buf), BLK);                  /* descriptors stay */
	assert_int_equal(p_close(PID2, w), 0);
	assert_int_equal(CLOSE(w), 0);
	assert_int_equal(answer_for(last_token)->w0, 0);
}

/* FS_MEMINFO: the bytes held come back when a file goes; the pages touched stay */
static void test_meminfo(void **state)
{
	uint64_t bytes0, pages0, pages1;
	char big[FS_BLOCK * 3];
	long fd;

	assert_int_equal(call(PID, FS_MEMINFO, NULL, 0, 0, 0, 0), (long)fs_mem_used());
	assert_int_equal(res.nw, 2);
	bytes0 = res.w[0];
	pages0 = res.w[1];
	assert_true(pages0 > 0);                                     /* the set-up's tables */
	memset(big, 'm', sizeof(big));
	assert_true((fd = OPEN("/tmp/m", O_RDWR | O_CREAT)) >= 0);
	assert_int_equal(call(PID, FS_WRITE, big, sizeof(big), (uint64_t)fd, 0, 0), (long)sizeof(big));
	assert_int_equal(call(PID, FS_MEMINFO, NULL, 0, 0, 0, 0), (long)fs_mem_used());
	assert_true(res.w[0] >= bytes0 + sizeof(big));
	pages1 = res.w[1];
	assert_true(pages1 >= pages0);
	assert_int_equal(CLOSE(fd), 0);
	assert_int_equal(p_path(PID, FS_UNLINK, "/tmp/m", 0), 0);
	assert_int_equal(call(PID, FS_MEMINFO, NULL, 0, 0, 0, 0), (long)bytes0);
	assert_int_equal(res.w[1], pages1);                          /* a high-water mark */
	assert_int_equal(call(99, FS_MEMINFO, NULL, 0, 0, 0, 0), -EPERM);   /* no table: no answer */
}

static void test_fork(void **state)
{
	char buf[16];
	size_t before;

	assert_int_equal(OPEN("/etc/motd", O_RDONLY), 3);
	assert_int_equal(OPEN("/etc/dup", O_RDONLY | O_CLOEXEC), 4);
	assert_int_equal(CHDIR("/etc"), 0);
	before = fs_mem_used();
	assert_int_equal(ctl(FS_PFORK, PID, PID2), 0);
	assert_int_equal(p_read(PID2, 3, 5, buf), 5);
	assert_int_equal(READ(3, 2, buf), 2);                      /* the child moved our offset */
	assert_memory_equal(buf, ", ", 2);
	assert_int_equal(p_fcntl(PID2, 4, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(p_path(PID2, FS_STAT, "motd", 0), FS_KIND_FILE);   /* cwd copied */
	assert_int_equal(p_path(PID2, FS_CHDIR, "/", 0), 0);
	assert_int_equal(STAT("motd"), FS_KIND_FILE);                       /* ours stays */
	assert_int_equal(p_close(PID2, 3), 0);
	assert_int_equal(READ(3, 5, buf), 5);
	assert_int_equal(p_open(PID2, "/bin/sh", O_RDONLY, 0), 3);
	assert_int_equal(ctl(FS_PFORK, PID, PID2), -EEXIST);
	assert_int_equal(ctl(FS_PFORK, 77, 78), -ESRCH);
	assert_int_equal(ctl(FS_PFORK, PID, 0), -EINVAL);
	assert_int_equal(ctl(FS_PFORK, PID, (uint64_t)INT32_MAX + 1), -EINVAL);
	assert_int_equal(ctl(FS_PEXIT, PID2, 0), 0);
	assert_int_equal(fs_mem_used(), before);
	assert_int_equal(ctl(FS_PEXIT, PID2, 0), -ESRCH);
	assert_int_equal(p_read(PID2, 3, 5, buf), -EPERM);
	assert_int_equal(READ(3, 5, buf), 1);
}

static void test_tty(void **state)
{
	char buf[8];
	uint64_t ino;
	long fd;

	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 0, 0, 0), FS_KIND_TTY);
	ino = res.w[2];
	assert_int_equal(res.w[3], 0620);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 2, 0, 0), FS_KIND_TTY);
	assert_int_equal(res.w[2], ino);
	assert_int_equal(READ(0, 8, buf), -EOPNOTSUPP);
	assert_int_equal(WRITE(1, "x"), -EOPNOTSUPP);
	assert_int_equal(LSEEK(0, 0, SEEK_SET), -ESPIPE);
	assert_int_equal(call(PID, FS_FTRUNCATE, NULL, 0, 1, 0, 0), -EINVAL);
	assert_int_equal(call(PID, FS_GETDENTS, NULL, 0, 1, 4096, 0), -ENOTDIR);
	fd = OPEN("/dev/tty", O_RDWR);
	assert_int_equal(fd, 3);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 3, 0, 0), FS_KIND_TTY);
	assert_int_not_equal(res.w[2], ino);
	assert_int_equal(OPEN("/dev/console", O_WRONLY | O_TRUNC), 4);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, 4, 0, 0), FS_KIND_TTY);
	assert_int_equal(res.w[2], ino);
	assert_int_equal(WRITE(4, "x"), -EOPNOTSUPP);
	/* FS_PNEW's checks */
	assert_int_equal(ctl(FS_PNEW, PID, 0), -EEXIST);
	assert_int_equal(ctl(FS_PNEW, 0, 0), -EINVAL);
	assert_int_equal(ctl(FS_PNEW, (uint64_t)-5, 0), -EINVAL);
}

/* /dev/null: opens for anything, reads see end-of-file, writes are taken whole */
static void test_dev_null(void **state)
{
	char buf[8];
	long fd;

	assert_int_equal(STAT("/dev/null"), FS_KIND_NULL);
	assert_int_equal(res.w[3], 0666);
	fd = OPEN("/dev/null", O_RDWR | O_TRUNC);
	assert_int_equal(fd, 3);
	assert_int_equal(WRITE(fd, "discarded"), 9);
	assert_int_equal(READ(fd, 8, buf), 0);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, (uint64_t)fd, 0, 0), FS_KIND_NULL);
	assert_int_equal(res.w[1], 0);
	assert_int_equal(OPEN("/dev/null", O_WRONLY | O_CREAT | O_APPEND), 4);
	assert_int_equal(WRITE(4, "more"), 4);
	assert_int_equal(OPEN("/dev/null", O_WRONLY | O_CREAT | O_EXCL), -EEXIST);
	assert_int_equal(OPEN("/dev/null", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	assert_int_equal(UNLINK("/dev/null"), -EROFS);
	(void)state;
}

/* ---- permissions and unknown messages ---- */

static void test_badges(void **state)
{
	assert_int_equal(call(PID, FS_PNEW, NULL, 0, 50, 0, 0), -EPERM);
	assert_int_equal(call(PID, FS_PFORK, NULL, 0, PID, 50, 0), -EPERM);
	assert_int_equal(call(PID, FS_PEXEC, NULL, 0, PID, 0, 0), -EPERM);
	assert_int_equal(call(PID, FS_PEXIT, NULL, 0, PID, 0, 0), -EPERM);
	assert_null(proc_find(&fs, 50));
	assert_int_equal(call(0, FS_STAT, "/", 1, 0, 0, 0), -EPERM);        /* the proc server has no table */
	assert_int_equal(call(99, FS_STAT, "/", 1, 0, 0, 0), -EPERM);       /* nor has pid 99 */
	assert_int_equal(call((uint64_t)PID << 32, FS_STAT, "/", 1, 0, 0, 0), -EPERM);
	assert_int_equal(call(PID, 0, NULL, 0, 0, 0, 0), -ENOSYS);
	assert_int_equal(call(PID, FS_MEMINFO + 1, NULL, 0, 0, 0, 0), -ENOSYS);
	assert_int_equal(call(PID, FS_NMSG, NULL, 0, 0, 0, 0), -ENOSYS);
	assert_int_equal(call(0, FS_NMSG + 5, NULL, 0, 0, 0, 0), -ENOSYS);
	assert_int_equal(call(0, 0xffff0001u, NULL, 0, 0, 0, 0), -ENOSYS);
	assert_int_equal(call(PID, FS_STAT, "/", 1, 0, 0, 0), FS_KIND_DIR);
}

/* ---- pipes ---- */

static void test_pipe_basic(void **state)
{
	char buf[64];
	long r, w;

	p_pipe(PID, 0, &r, &w);
	assert_int_equal(r, 3);
	assert_int_equal(w, 4);
	assert_int_equal(fs.npipes, 1);
	assert_int_equal(WRITE(w, "abc"), 3);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, (uint64_t)r, 0, 0), FS_KIND_PIPE);
	assert_int_equal(res.w[1], 3);
	assert_int_equal(res.w[3], 0600);
	assert_int_equal(READ(w, 8, buf), -EBADF);
	assert_int_equal(WRITE(r, "x"), -EBADF);
	assert_int_equal(LSEEK(r, 0, SEEK_SET), -ESPIPE);
	assert_int_equal(call(PID, FS_FTRUNCATE, NULL, 0, (uint64_t)w, 0, 0), -EINVAL);
	assert_int_equal(READ(r, 2, buf), 2);
	assert_memory_equal(buf, "ab", 2);
	assert_int_equal(READ(r, 0, buf), 0);
	assert_int_equal(READ(r, 64, buf), 1);
	assert_int_equal(p_write(PID, w, NULL, 0), 0);
	assert_int_equal(FCNTL(r, F_GETFL, 0), O_RDONLY);
	assert_int_equal(FCNTL(w, F_GETFL, 0), O_WRONLY);
	/* last writer gone, nothing buffered: end of file */
	assert_int_equal(WRITE(w, "xy"), 2);
	assert_int_equal(CLOSE(w), 0);
	assert_int_equal(READ(r, 64, buf), 2);
	assert_int_equal(READ(r, 64, buf), 0);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(call(PID, FS_PIPE, NULL, 0, O_APPEND, 0, 0), -EINVAL);
	p_pipe(PID, O_CLOEXEC, &r, &w);
	assert_int_equal(FCNTL(r, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(FCNTL(w, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(WRITE(w, "x"), -EPIPE);
	assert_int_equal(CLOSE(w), 0);
	assert_quiet();
	assert_int_equal(nans, 0);
}

static void test_pipe_blocking_read(void **state)
{
	uint64_t t1, t2;
	struct answer *a;
	char buf[8];
	long r, w;

	p_pipe(PID, 0, &r, &w);
	assert_int_equal(ctl(FS_PNEW, PID2, 0), 0);
	assert_int_equal(READ(r, 100, buf), BLK);
	t1 = last_token;
	assert_int_equal(READ(r, 2, buf), BLK);                    /* queued behind */
	t2 = last_token;
	assert_int_equal(fs.nwait, 2);
	assert_int_equal(nans, 0);
	/* data answers the first reader, with all there is up to its max */
	assert_int_equal(WRITE(w, "hello"), 5);
	assert_int_equal(nans, 1);
	a = answer_for(t1);
	assert_non_null(a);
	assert_int_equal(a->err, 0);
	assert_int_equal(a->w0, 5);
	assert_int_equal(a->len, 5);
	assert_memory_equal(a->data, "hello", 5);
	assert_null(answer_for(t2));
	/* the writer closes (a fork child's copy still open: nothing yet) */
	assert_int_equal(ctl(FS_PFORK, PID, PID2 + 1), 0);
	assert_int_equal(CLOSE(w), 0);
	assert_int_equal(nans, 1);
	assert_int_equal(ctl(FS_PEXIT, PID2 + 1, 0), 0);
	/* the last writer went: the held reader gets 0 */
	assert_int_equal(nans, 2);
	a = answer_for(t2);
	assert_non_null(a);
	assert_int_equal(a->err, 0);
	assert_int_equal(a->w0, 0);
	assert_int_equal(a->len, 0);
	assert_int_equal(READ(r, 8, buf), 0);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(ctl(FS_PEXIT, PID2, 0), 0);
	assert_quiet();
}

static void test_pipe_blocking_write(void **state)
{
	static char big[10000], out[10000];
	char buf[FS_PIPE_SIZE];
	struct answer *a;
	uint64_t tw, tbig;
	size_t got = 0;
	long r, w;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	p_pipe(PID, 0, &r, &w);
	memset(buf, 'F', sizeof(buf));
	assert_int_equal(p_write(PID, w, buf, FS_PIPE_SIZE - 50), FS_PIPE_SIZE - 50);
	/* 100 bytes (<= PIPE_BUF) do not fit in 50: all of them wait */
	assert_int_equal(p_write(PID, w, big, 100), BLK);
	tw = last_token;
	assert_int_equal(fs.held, 100);
	assert_int_equal(call(PID, FS_FSTAT, NULL, 0, (uint64_t)r, 0, 0), FS_KIND_PIPE);
	assert_int_equal(res.w[1], FS_PIPE_SIZE - 50);
	assert_int_equal(READ(r, 40, buf), 40);                    /* room 90: still not enough */
	assert_null(answer_for(tw));
	assert_int_equal(READ(r, 10, buf), 10);                    /* room 100: in it goes */
	a = answer_for(tw);
	assert_non_null(a);
	assert_int_equal(a->err, 0);
	assert_int_equal(a->w0, 100);
	assert_int_equal(fs.held, 0);
	assert_int_equal(READ(r, FS_PIPE_SIZE - 100, buf), FS_PIPE_SIZE - 100);
	assert_int_equal(READ(r, FS_PIPE_SIZE, buf), 100);
	assert_memory_equal(buf, big, 100);

	/* a long write goes in as room appears, answered when all of it is in */
	assert_int_equal(p_write(PID, w, big, sizeof(big)), BLK);
	tbig = last_token;
	assert_int_equal(fs.held, sizeof(big) - FS_PIPE_SIZE);
	/* a small write queues behind it, even if it would fit */
	assert_int_equal(READ(r, 10, out), 10);
	got = 10;
	assert_int_equal(p_write(PID, w, "tail", 4), BLK);
	tw = last_token;
	while (got < sizeof(big)) {
		long n = READ(r, sizeof(big) - got < 3000 ? sizeof(big) - got : 3000, out + got);
		assert_true(n > 0);
		got += (size_t)n;
		/* answered once its last byte is in the pipe: read + buffered = all */
		if (got + FS_PIPE_SIZE < sizeof(big))
			assert_null(answer_for(tbig));
		else
			assert_non_null(answer_for(tbig));
	}
	assert_memory_equal(out, big, sizeof(big));
	a = answer_for(tbig);
	assert_non_null(a);
	assert_int_equal(a->w0, sizeof(big));
	assert_non_null(answer_for(tw));
	assert_int_equal(READ(r, 100, buf), 4);
	assert_memory_equal(buf, "tail", 4);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(CLOSE(w), 0);
	assert_quiet();
}

static void test_pipe_epipe(void **state)
{
	static char big[6000];
	char buf[FS_PIPE_SIZE];
	uint64_t t1, t2;
	long r, w;

	p_pipe(PID, 0, &r, &w);
	memset(buf, 'F', sizeof(buf));
	assert_int_equal(p_write(PID, w, buf, FS_PIPE_SIZE - 10), FS_PIPE_SIZE - 10);
	assert_int_equal(p_write(PID, w, big, 300), BLK);          /* none of it went in */
	t1 = last_token;
	assert_int_equal(READ(r, 10, buf), 10);                    /* room 20: still waits */
	assert_int_equal(READ(r, 10, buf), 10);
	assert_null(answer_for(t1));
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(answer_for(t1)->err, EPIPE);
	assert_int_equal(p_write(PID, w, "x", 1), -EPIPE);
	assert_int_equal(CLOSE(w), 0);
	assert_quiet();

	/* a long write that got some bytes in answers their count */
	p_pipe(PID, 0, &r, &w);
	assert_int_equal(p_write(PID, w, big, sizeof(big)), BLK);
	t2 = last_token;
	assert_int_equal(READ(r, 1000, buf), 1000);                /* 1000 more go in */
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(answer_for(t2)->err, 0);
	assert_int_equal(answer_for(t2)->w0, FS_PIPE_SIZE + 1000);
	assert_int_equal(CLOSE(w), 0);
	assert_quiet();
}

static void test_pipe_nonblock(void **state)
{
	static char big[6000];
	char buf[FS_PIPE_SIZE];
	long r, w;

	p_pipe(PID, O_NONBLOCK, &r, &w);
	assert_int_equal(FCNTL(r, F_GETFL, 0), O_RDONLY | O_NONBLOCK);
	assert_int_equal(READ(r, 10, buf), -EAGAIN);
	assert_int_equal(p_write(PID, w, big, sizeof(big)), FS_PIPE_SIZE);   /* partial */
	assert_int_equal(p_write(PID, w, big, 1), -EAGAIN);
	assert_int_equal(READ(r, 100, buf), 100);
	assert_int_equal(p_write(PID, w, big, 101), -EAGAIN);      /* atomic: 100 is not enough */
	assert_int_equal(p_write(PID, w, big, 1000), 100);         /* long: takes what fits */
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(CLOSE(w), 0);

	/* F_SETFL on a blocking pipe */
	p_pipe(PID, 0, &r, &w);
	assert_int_equal(FCNTL(r, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(READ(r, 10, buf), -EAGAIN);
	assert_int_equal(FCNTL(r, F_SETFL, 0), 0);
	assert_int_equal(READ(r, 10, buf), BLK);
	assert_int_equal(CLOSE(w), 0);
	assert_int_equal(answer_for(last_token)->w0, 0);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(fs.nwait, 0);
	assert_quiet();
	assert_int_equal(fs.nwait, 0);
}

/* a long write into a pipe a reader waits on: the reader gets the first bytes at once */
static void test_pipe_long_write_to_reader(void **state)
{
	static char big[9000], out[9000];
	uint64_t tr, tw;
	size_t got;
	long r, w;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	p_pipe(PID, 0, &r, &w);
	assert_int_equal(READ(r, 1000, out), BLK);
	tr = last_token;
	assert_int_equal(p_write(PID, w, big, sizeof(big)), BLK);
	tw = last_token;
	assert_non_null(answer_for(tr));
	assert_int_equal(answer_for(tr)->w0, 1000);
	memcpy(out, answer_for(tr)->data, 1000);
	got = 1000;
	while (got < sizeof(big)) {
		long n = READ(r, sizeof(out) - got, out + got);
		assert_true(n > 0 && n <= FS_PIPE_SIZE);
		got += (size_t)n;
	}
	assert_memory_equal(out, big, sizeof(big));
	assert_int_equal(answer_for(tw)->w0, sizeof(big));
	assert_int_equal(CLOSE(w), 0);
	assert_int_equal(CLOSE(r), 0);
	assert_quiet();
}

/* a held request keeps its pipe end open after its descriptor is closed (by another lwp) */
static void test_pipe_close_while_held(void **state)
{
	char buf[8];
	long r, w;

	p_pipe(PID, 0, &r, &w);
	assert_int_equal(READ(r, 8, buf), BLK);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(fs.npipes, 1);
	assert_int_equal(WRITE(w, "late"), 4);                     /* a reader is still there */
	assert_int_equal(answer_for(last_token)->w0, 4);
	assert_memory_equal(answer_for(last_token)->data, "late", 4);
	assert_int_equal(WRITE(w, "none"), -EPIPE);                /* and now it is gone */
	assert_int_equal(CLOSE(w), 0);
	assert_quiet();
}

/* a blocked reader and writer of a process that exits: dropped, all freed */
static void test_pexit(void **state)
{
	size_t before = fs_mem_used();
	uint64_t tr, tw;
	char buf[FS_PIPE_SIZE];
	long r, w, r2, w2, fd;

	assert_int_equal(ctl(FS_PNEW, PID2, 0), 0);
	/* PID2 reads a pipe whose writer is PID; PID2 also writes a full pipe read by PID */
	p_pipe(PID, 0, &r, &w);
	assert_int_equal(ctl(FS_PFORK, PID, PID2 + 1), 0);          /* a child holding both ends */
	p_pipe(PID2, 0, &r2, &w2);
	assert_int_equal(call(PID2, FS_DUP2, NULL, 0, (uint64_t)r2, 20, 0), 20);
	fd = p_open(PID2, "/tmp/file", O_RDWR | O_CREAT, 0644);
	assert_int_equal(p_write(PID2, fd, "data", 4), 4);
	assert_int_equal(p_path(PID2, FS_CHDIR, "/tmp", 0), 0);
	assert_int_equal(p_path(PID2, FS_UNLINK, "file", 0), 0);   /* open, unlinked */
	memset(buf, 'F', sizeof(buf));
	assert_int_equal(p_write(PID2, w2, buf, sizeof(buf)), FS_PIPE_SIZE);
	assert_int_equal(p_write(PID2, w2, buf, 10), BLK);
	tw = last_token;
	/* a held read of PID's pipe by its fork child PID2+1 */
	assert_int_equal(p_read(PID2 + 1, r, 10, buf), BLK);
	tr = last_token;
	assert_int_equal(fs.nwait, 2);
	assert_true(fs.tmp_data > 0);

	assert_int_equal(ctl(FS_PEXIT, PID2, 0), 0);
	assert_int_equal(nans, 1);
	assert_true(ans[0].drop);
	assert_int_equal(ans[0].token, tw);
	assert_int_equal(ctl(FS_PEXIT, PID2 + 1, 0), 0);
	assert_int_equal(nans, 2);
	assert_true(ans[1].drop);
	assert_int_equal(ans[1].token, tr);
	assert_int_equal(fs.tmp_data, 0);
	/* PID's pipe: its child's ends are closed, PID's still work */
	assert_int_equal(WRITE(w, "ok"), 2);
	assert_int_equal(READ(r, 10, buf), 2);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(CLOSE(w), 0);
	assert_quiet();
	assert_int_equal(fs_mem_used(), before);

	/* the whole process, from PNEW on */
	assert_int_equal(ctl(FS_PEXIT, PID, 0), 0);
	assert_int_equal(fs_mem_used(), before - sizeof(struct fs_proc) - sizeof(struct ofile));
}

static void test_pexit_eof(void **state)
{
	char buf[8];
	long r, w;

	p_pipe(PID, 0, &r, &w);
	assert_int_equal(ctl(FS_PFORK, PID, PID2), 0);
	assert_int_equal(CLOSE(w), 0);                             /* PID2 holds the only write end */
	assert_int_equal(READ(r, 8, buf), BLK);
	assert_int_equal(p_write(PID2, w, "z", 1), 1);
	assert_int_equal(answer_for(last_token)->w0, 1);
	assert_int_equal(READ(r, 8, buf), BLK);
	assert_int_equal(ctl(FS_PEXIT, PID2, 0), 0);
	assert_non_null(answer_for(last_token));
	assert_false(answer_for(last_token)->drop);
	assert_int_equal(answer_for(last_token)->w0, 0);
	assert_int_equal(CLOSE(r), 0);
	assert_quiet();
}

/* a reader whose answer cannot be delivered: its bytes go back for the next */
static void test_wake_failed(void **state)
{
	char buf[16];
	long r, w;

	p_pipe(PID, 0, &r, &w);
	assert_int_equal(READ(r, 16, buf), BLK);
	undeliverable = last_token;
	assert_int_equal(READ(r, 16, buf), BLK);
	/* the first reader gets "abc" but is gone; the second gets them instead */
	assert_int_equal(WRITE(w, "abc"), 3);
	assert_int_equal(nans, 2);
	assert_true(ans[0].undelivered);
	assert_int_equal(ans[1].token, last_token);
	assert_int_equal(ans[1].w0, 3);
	assert_memory_equal(ans[1].data, "abc", 3);
	assert_int_equal(READ(r, 16, buf), BLK);
	undeliverable = last_token;
	assert_int_equal(WRITE(w, "de"), 2);
	assert_int_equal(READ(r, 16, buf), 2);
	assert_memory_equal(buf, "de", 2);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(CLOSE(w), 0);
	assert_quiet();
}

/* the glue could not save the reply: the request is taken back */
static void test_wait_cancel(void **state)
{
	struct fs_req rq = { .w = { 0 } };
	static char big[6000];
	long r, w;
	int err;

	p_pipe(PID, 0, &r, &w);
	memset(&res, 0, sizeof(res));
	res.obuf = obuf;
	rq.w[0] = (uint64_t)r;
	rq.w[1] = 10;
	assert_int_equal(fs_dispatch(&fs, PID, FS_READ, &rq, &res), FS_BLOCKED);
	assert_int_equal(fs_wait_cancel(&fs, res.wait, &res), EAGAIN);
	assert_int_equal(fs.nwait, 0);
	rq.w[0] = (uint64_t)w;
	rq.buf = big;
	rq.len = sizeof(big);
	memset(&res, 0, sizeof(res));
	res.obuf = obuf;
	assert_int_equal(fs_dispatch(&fs, PID, FS_WRITE, &rq, &res), FS_BLOCKED);
	err = fs_wait_cancel(&fs, res.wait, &res);
	assert_int_equal(err, 0);
	assert_int_equal(res.w[0], FS_PIPE_SIZE);                  /* a short write */
	drain();
	assert_int_equal(nans, 0);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(CLOSE(w), 0);
	assert_quiet();
}

/* held requests: at most nwait_max */
static void test_wait_limit(void **state)
{
	long r, w;
	char buf[8];

	fs.nwait_max = 2;
	p_pipe(PID, 0, &r, &w);
	assert_int_equal(READ(r, 8, buf), BLK);
	assert_int_equal(READ(r, 8, buf), BLK);
	assert_int_equal(READ(r, 8, buf), -EAGAIN);
	assert_int_equal(CLOSE(w), 0);
	assert_int_equal(nans, 2);
	assert_int_equal(ans[0].w0, 0);
	assert_int_equal(ans[1].w0, 0);
	assert_int_equal(CLOSE(r), 0);
	assert_quiet();
}

static void test_held_limit(void **state)
{
	static char big[FS_PIPE_SIZE + 2000];
	long r, w;

	fs.held_max = 1000;
	p_pipe(PID, 0, &r, &w);
	assert_int_equal(p_write(PID, w, big, sizeof(big)), FS_PIPE_SIZE);   /* short */
	assert_int_equal(p_write(PID, w, big, 1500), -EAGAIN);     /* not atomic: would be held */
	assert_int_equal(p_write(PID, w, big, 500), BLK);          /* atomic: 500 can be held */
	assert_int_equal(fs.held, 500);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(CLOSE(w), 0);
	fs.npipes_max = 1;
	p_pipe(PID, 0, &r, &w);
	assert_int_equal(call(PID, FS_PIPE, NULL, 0, 0, 0, 0), -ENFILE);
	assert_int_equal(CLOSE(r), 0);
	assert_int_equal(CLOSE(w), 0);
	assert_quiet();
}

/* ---- budgets ---- */

static void test_enospc(void **state)
{
	static char chunk[IPC_MAX_BUF];
	long a, b, n, total = 0;

	memset(chunk, 'q', sizeof(chunk));
	a = OPEN("/tmp/a", O_WRONLY | O_CREAT);
	b = OPEN("/tmp/b", O_WRONLY | O_CREAT);
	for (int i = 0; i < 48; i++)                               /* 768 KiB */
		assert_int_equal(p_write(PID, a, chunk, sizeof(chunk)), sizeof(chunk));
	assert_int_equal(p_write(PID, b, chunk, 100), 100);
	while ((n = p_write(PID, b, chunk, sizeof(chunk))) > 0)
		total += n;
	assert_int_equal(n, -ENOSPC);
	assert_int_equal(total + 100 + 48 * sizeof(chunk), FS_TMP_DATA_MAX);   /* the last write was short */
	assert_int_equal(fs.tmp_data, FS_TMP_DATA_MAX);
	assert_int_equal(p_write(PID, b, chunk, 1), -ENOSPC);
	/* an existing block still takes bytes: overwrite at the start */
	assert_int_equal(LSEEK(b, 0, SEEK_SET), 0);
	assert_int_equal(p_write(PID, b, chunk, 10), 10);
	assert_int_equal(UNLINK("/tmp/a"), 0);
	assert_int_equal(p_write(PID, b, chunk, 1), 1);            /* still open: not freed */
	assert_int_equal(LSEEK(b, 0, SEEK_END), FS_TMP_DATA_MAX - 48 * sizeof(chunk));
	assert_int_equal(p_write(PID, b, chunk, 1), -ENOSPC);
	assert_int_equal(CLOSE(a), 0);
	assert_int_equal(p_write(PID, b, chunk, sizeof(chunk)), sizeof(chunk));
	assert_int_equal(CLOSE(b), 0);
	assert_int_equal(UNLINK("/tmp/b"), 0);
	assert_quiet();

	/* metadata: nodes and block tables */
	fs.tmp_meta_max = fs.tmp_meta + 2 * sizeof(struct node);
	assert_int_equal(MKDIR("/tmp/m1"), 0);
	assert_int_equal(CLOSE(OPEN("/tmp/f1", O_WRONLY | O_CREAT)), 0);
	assert_int_equal(MKDIR("/tmp/m2"), -ENOSPC);
	assert_int_equal(OPEN("/tmp/f2", O_WRONLY | O_CREAT), -ENOSPC);
	a = OPEN("/tmp/f1", O_WRONLY);
	assert_int_equal(WRITE(a, "x"), -ENOSPC);                  /* no room for a block table */
	assert_int_equal(RMDIR("/tmp/m1"), 0);
	assert_int_equal(WRITE(a, "x"), 1);
	assert_int_equal(CLOSE(a), 0);
	assert_int_equal(UNLINK("/tmp/f1"), 0);
	assert_int_equal(fs.tmp_meta, sizeof(struct node));
}

/* every allocation failing in turn: a clean error, nothing leaked or changed */
static void test_alloc_failures(void **state)
{
	static const char *const ops[] = {
		"open-create", "open", "pipe", "pnew", "pfork", "mkdir", "write", "held-write", "held-read",
	};
	static char big[FS_PIPE_SIZE + 100];
	long r = 0, w = 0, fd = -1, ret;
	size_t before;
	int n;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const char *what = ops[i];
		if (strcmp(what, "write") == 0) {
			/* a block table of 4 and block 0: the write at 4096 needs blocks 1..3 only */
			fd = OPEN("/tmp/w", O_RDWR | O_CREAT);
			assert_int_equal(WRITE(fd, "x"), 1);
			assert_int_equal(LSEEK(fd, FS_BLOCK, SEEK_SET), FS_BLOCK);
		}
		if (strncmp(what, "held", 4) == 0)
			p_pipe(PID, 0, &r, &w);
		if (strcmp(what, "held-write") == 0)
			assert_int_equal(p_write(PID, w, big, FS_PIPE_SIZE), FS_PIPE_SIZE);
		for (n = 0;; n++) {
			before = fs_mem_used();
			fs_mem_fail_after(n);
			if (strcmp(what, "open-create") == 0)
				ret = OPEN("/tmp/c", O_WRONLY | O_CREAT);
			else if (strcmp(what, "open") == 0)
				ret = OPEN("/etc/motd", O_RDONLY);
			else if (strcmp(what, "pipe") == 0)
				ret = call(PID, FS_PIPE, NULL, 0, 0, 0, 0);
			else if (strcmp(what, "pnew") == 0)
				ret = ctl(FS_PNEW, PID2, 0);
			else if (strcmp(what, "pfork") == 0)
				ret = ctl(FS_PFORK, PID, PID2);
			else if (strcmp(what, "mkdir") == 0)
				ret = MKDIR("/tmp/dd");
			else if (strcmp(what, "write") == 0)
				ret = p_write(PID, fd, big, 2 * FS_BLOCK + 10);
			else if (strcmp(what, "held-write") == 0)
				ret = p_write(PID, w, big, 100);
			else
				ret = READ(r, 10, big);
			fs_mem_fail_after(-1);
			if (ret >= 0 || ret == BLK)
				break;
			assert_true(ret == -ENOMEM || ret == -ENOSPC || ret == -EAGAIN);
			assert_int_equal(fs_mem_used(), before);
			assert_int_equal(fs.nwait, 0);
		}
		assert_true(n > 0);
		/* undo the success */
		if (strcmp(what, "open-create") == 0) {
			assert_int_equal(CLOSE(ret), 0);
			assert_int_equal(UNLINK("/tmp/c"), 0);
		} else if (strcmp(what, "open") == 0) {
			assert_int_equal(CLOSE(ret), 0);
		} else if (strcmp(what, "pipe") == 0) {
			long wfd = (long)res.w[1];
			assert_int_equal(CLOSE(ret), 0);
			assert_int_equal(CLOSE(wfd), 0);
		} else if (strcmp(what, "pnew") == 0 || strcmp(what, "pfork") == 0) {
			assert_int_equal(ctl(FS_PEXIT, PID2, 0), 0);
		} else if (strcmp(what, "mkdir") == 0) {
			assert_int_equal(RMDIR("/tmp/dd"), 0);
		} else if (strcmp(what, "write") == 0) {
			assert_int_equal(ret, FS_BLOCK);                    /* short: the next block failed */
			assert_int_equal(CLOSE(fd), 0);
			assert_int_equal(UNLINK("/tmp/w"), 0);
		} else {
			assert_int_equal(ret, BLK);
			assert_int_equal(CLOSE(r), 0);
			assert_int_equal(CLOSE(w), 0);
		}
		assert_quiet();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_archive_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_archive_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cwd_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_getcwd_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_emfile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erofs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tmp_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tmp_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fcntl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_cloexec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_drops_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dev_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_badges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_blocking_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_blocking_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_epipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_nonblock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_long_write_to_reader, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_close_while_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pexit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pexit_eof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wake_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enospc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meminfo, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
