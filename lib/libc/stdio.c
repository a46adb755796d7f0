/*
 * picolibc's stdin, stdout and stderr on descriptors 0, 1 and 2.  stdout is
 * line-buffered on a terminal and fully buffered otherwise; stderr goes out
 * at every newline; both are flushed at exit.  A system server (no file
 * server) may send its output elsewhere with libsys_set_output.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sys.h"
#include "uapi/fs.h"
#include "libc.h"

struct ostream {
	int fd;
	int tty;                 /* -1: not known yet */
	size_t len;
	char buf[1024];
};
static struct ostream o_out = { 1, -1, 0, { 0 } }, o_err = { 2, 1, 0, { 0 } };
static long (*out_fn)(const char *, size_t);

void libsys_set_output(long (*w)(const char *, size_t))
{
	out_fn = w;
}

/* the SBI console, through a sysctl with R_DEBUG: for servers that start before the console */
static handle_t debug_sysctl = -1;

static long debug_write(const char *s, size_t n)
{
	for (size_t done = 0; done < n;) {
		size_t chunk = n - done < 256 ? n - done : 256;   /* SYS_DEBUG_PUTS takes at most 256 */
		long r = debug_puts(debug_sysctl, s + done, chunk);
		if (r < 0)
			return r;
		done += chunk;
	}
	return 0;
}

void libsys_output_debug(handle_t sysctl)
{
	debug_sysctl = sysctl;
	libsys_set_output(debug_write);
}

static void flush(struct ostream *o)
{
	size_t done = 0;
	while (done < o->len) {
		ssize_t r = out_fn ? (out_fn(o->buf + done, o->len - done), (ssize_t)(o->len - done))
				   : write(o->fd, o->buf + done, o->len - done);
		if (r <= 0)
			break;
		done += (size_t)r;
	}
	o->len = 0;
}

static int put(struct ostream *o, char c)
{
	if (o->tty < 0)
		o->tty = out_fn || __fd_kind(o->fd) == FS_KIND_TTY;
	o->buf[o->len++] = c;
	if ((c == '\n' && o->tty) || o->len == sizeof(o->buf))
		flush(o);
	return (unsigned char)c;
}

static int out_putc(char c, FILE *f) { (void)f; return put(&o_out, c); }
static int err_putc(char c, FILE *f) { (void)f; return put(&o_err, c); }
static int out_flush(FILE *f) { (void)f; flush(&o_out); return 0; }
static int err_flush(FILE *f) { (void)f; flush(&o_err); return 0; }

void __stdio_flush(void)
{
	flush(&o_out);
	flush(&o_err);
}


static int in_getc(FILE *f)
{
	static char ibuf[256];
	static size_t ipos, ilen;
	(void)f;
	flush(&o_out);
	flush(&o_err);
	if (ipos == ilen) {
		ssize_t n = read(0, ibuf, sizeof(ibuf));
		if (n <= 0)
			return EOF;
		ilen = (size_t)n;
		ipos = 0;
	}
	return (unsigned char)ibuf[ipos++];
}

static FILE f_in = FDEV_SETUP_STREAM(NULL, in_getc, NULL, _FDEV_SETUP_READ);
static FILE f_out = FDEV_SETUP_STREAM(out_putc, NULL, out_flush, _FDEV_SETUP_WRITE);
static FILE f_err = FDEV_SETUP_STREAM(err_putc, NULL, err_flush, _FDEV_SETUP_WRITE);
FILE *const stdin = &f_in;
FILE *const stdout = &f_out;
FILE *const stderr = &f_err;

/*
 * The terminal: descriptors whose kind is FS_KIND_TTY are the console
 * server's (uapi/console.h), not the file server's.  Bytes moved, or -1 with
 * errno from __ipc_errno: no console is ENOSYS, a request lost EIO.
 */
/* one request to the console: 0, or -1 with errno */
static int tty_call(struct msg *m, struct ipc_ext *e)
{
	long r = startinfo && startinfo->h_console >= 0 ? ipc_call(startinfo->h_console, m, e) : -E_BADF;
	int err = __ipc_errno(r, m->info, ENOSYS, EIO);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

ssize_t __tty_write(const void *buf, size_t n)
{
	struct msg m = { .info = IPC_INFO(CONS_WRITE, 0) };
	struct ipc_ext e = { .sbuf = (uint64_t)buf, .slen = n, .scap = -1 };
	return tty_call(&m, &e) ? -1 : (ssize_t)n;
}

ssize_t __tty_read(void *buf, size_t n)
{
	struct msg m = { .info = IPC_INFO(CONS_READ, 1), .w = { n } };
	struct ipc_ext e = { .rbuf = (uint64_t)buf, .rlen = n, .scap = -1 };
	if (tty_call(&m, &e))
		return -1;
	return (m.info & IPC_GOT_BUF) ? (ssize_t)e.rbytes : 0;
}
