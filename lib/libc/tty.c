/* The terminal: its foreground process group lives in the console server. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "sys.h"
#include "uapi/fs.h"
#include "libc.h"

static int tty_call(int fd, uint32_t op, struct msg *m, unsigned n)
{
	long r;
	int err;
	if (__fd_kind(fd) < 0)
		return -1;
	if (__fd_kind(fd) != FS_KIND_TTY) {
		errno = ENOTTY;
		return -1;
	}
	if (!startinfo || startinfo->h_console < 0) {
		errno = ENOTTY;
		return -1;
	}
	m->info = IPC_INFO(op, n);
	r = ipc_call(startinfo->h_console, m, NULL);
	if ((err = __ipc_errno(r, m->info, ENOSYS, EIO))) {
		errno = err;
		return -1;
	}
	return 0;
}

pid_t tcgetpgrp(int fd)
{
	struct msg m = { 0 };
	return tty_call(fd, CONS_TCGETPGRP, &m, 0) ? -1 : (pid_t)m.w[0];
}

int tcsetpgrp(int fd, pid_t pgid)
{
	struct msg m = { .w = { (uint64_t)pgid } };
	if (pgid <= 0) {
		errno = EINVAL;
		return -1;
	}
	return tty_call(fd, CONS_TCSETPGRP, &m, 1);
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	pid_t pg;
	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	switch (request) {
	case TIOCGPGRP:
		if ((pg = tcgetpgrp(fd)) < 0)
			return -1;
		*(pid_t *)arg = pg;
		return 0;
	case TIOCSPGRP:
		return tcsetpgrp(fd, *(const pid_t *)arg);
	case TIOCGWINSZ:
		if (!isatty(fd))
			return -1;      /* errno set: EBADF or ENOTTY */
		memset(arg, 0, sizeof(struct winsize));
		return 0;
	}
	if (__fd_kind(fd) >= 0)
		errno = ENOTTY;
	return -1;
}
