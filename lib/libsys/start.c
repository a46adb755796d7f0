/*
 * Program start-up: TLS for the first thread (picolibc keeps errno there),
 * stdout/stderr through the console server (or whatever output the program
 * sets), then umain(arg).
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sys.h"
#include "uapi/proc.h"

extern char __tls_base[], __tdata_size[], __tbss_size[];
void _init_tls(void *tls);
void _set_tls(void *tls);
int umain(void *arg);

struct startinfo *startinfo;
static long (*out_fn)(const char *, size_t) = console_write;
static char obuf[256];
static size_t olen;
static __attribute__((aligned(64))) char main_tls[512];

void libsys_set_output(long (*write)(const char *, size_t))
{
	out_fn = write;
}

static int out_flush(FILE *f)
{
	(void)f;
	if (olen && out_fn)
		out_fn(obuf, olen);
	olen = 0;
	return 0;
}

static int out_putc(char c, FILE *f)
{
	obuf[olen++] = c;
	if (c == '\n' || olen == sizeof(obuf))
		out_flush(f);
	return (unsigned char)c;
}

static int in_getc(FILE *f)
{
	static char ibuf[256];
	static size_t ipos, ilen;
	(void)f;
	out_flush(f);
	if (ipos == ilen) {
		long n = console_read(ibuf, sizeof(ibuf));
		if (n <= 0)
			return EOF;
		ilen = (size_t)n;
		ipos = 0;
	}
	return (unsigned char)ibuf[ipos++];
}

static FILE std_io = FDEV_SETUP_STREAM(out_putc, in_getc, out_flush, _FDEV_SETUP_RW);
FILE *const stdin = &std_io;
FILE *const stdout = &std_io;
FILE *const stderr = &std_io;

long console_write(const char *s, size_t n)
{
	struct msg m = { .info = IPC_INFO(CONS_WRITE, 0) };
	struct ipc_ext e = { .sbuf = (uint64_t)s, .slen = n, .scap = -1 };
	if (!startinfo || startinfo->h_console < 0)
		return -E_BADF;
	return ipc_call(startinfo->h_console, &m, &e);
}

long console_read(char *buf, size_t max)
{
	struct msg m = { .info = IPC_INFO(CONS_READ, 1), .w = { max } };
	struct ipc_ext e = { .rbuf = (uint64_t)buf, .rlen = max, .scap = -1 };
	long r;
	if (!startinfo || startinfo->h_console < 0)
		return -E_BADF;
	r = ipc_call(startinfo->h_console, &m, &e);
	return r < 0 ? r : (long)e.rbytes;
}

/*
 * sbrk for picolibc's malloc: the static area in .bss first (all a system
 * server gets), then, for a process of the proc server, more from PROC_SBRK.
 * The pieces need not be contiguous: malloc takes each as a new chunk.
 */
extern char __heap_start[], __heap_end[];
void *proc_sbrk(uint64_t incr);

void *sbrk(ptrdiff_t incr)
{
	static char *brk = __heap_start;
	char *old = brk;
	if (incr >= 0 && (uint64_t)incr <= (uint64_t)(__heap_end - brk)) {
		brk += incr;
		return old;
	}
	if (incr > 0 && startinfo && startinfo->h_proc >= 0) {
		void *p = proc_sbrk((uint64_t)incr);
		if (p != (void *)-1)
			return p;
	}
	errno = ENOMEM;
	return (void *)-1;
}

void _exit(int code)
{
	out_flush(stdout);
	if (startinfo && startinfo->h_proc >= 0) {
		/* a process: the proc server takes it apart; no reply comes */
		struct msg m = { .info = IPC_INFO(PROC_EXIT, 1), .w = { (uint64_t)code } };
		ipc_call(startinfo->h_proc, &m, NULL);
	}
	thread_exit((uint64_t)code);
}

void __libsys_start(void *arg)
{
	_init_tls(main_tls);
	_set_tls(main_tls);
	if (arg && ((struct startinfo *)arg)->magic == STARTINFO_MAGIC)
		startinfo = arg;
	exit(umain(arg));
}
