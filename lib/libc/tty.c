/* The terminal: its foreground process group lives in the console server. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <stdbool.h>
#include <termios.h>
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

/* ---- termios: the console's one mode (see <termios.h>) ---- */

static void console_mode(struct termios *t)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = CS8 | CREAD | CLOCAL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK;
	t->c_cc[VINTR] = 0x03;
	t->c_cc[VQUIT] = 0x1c;
	t->c_cc[VERASE] = 0x7f;
	t->c_cc[VKILL] = 0x15;
	t->c_cc[VEOF] = 0x04;
	t->c_cc[VSUSP] = 0x1a;
	t->c_cc[VMIN] = 1;
	t->c_ispeed = t->c_ospeed = B115200;
}

int tcgetattr(int fd, struct termios *t)
{
	if (!isatty(fd))
		return -1;
	console_mode(t);
	return 0;
}

int tcsetattr(int fd, int action, const struct termios *t)
{
	static const int cc[] = { VINTR, VQUIT, VERASE, VKILL, VEOF, VSUSP };
	struct termios now;
	if (!isatty(fd))
		return -1;
	if (action != TCSANOW && action != TCSADRAIN && action != TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	console_mode(&now);
	bool same = t->c_iflag == now.c_iflag && t->c_oflag == now.c_oflag &&
		    (t->c_cflag & (CSIZE | CSTOPB | PARENB)) == (now.c_cflag & (CSIZE | CSTOPB | PARENB)) &&
		    t->c_lflag == now.c_lflag && t->c_ospeed == now.c_ospeed &&
		    (t->c_ispeed == now.c_ispeed || t->c_ispeed == B0);
	for (size_t i = 0; same && i < sizeof(cc) / sizeof(cc[0]); i++)
		same = t->c_cc[cc[i]] == now.c_cc[cc[i]];
	if (!same) {
		errno = EINVAL;                 /* a mode the console does not have */
		return -1;
	}
	if (action == TCSAFLUSH)
		return tcflush(fd, TCIFLUSH);
	return 0;
}

speed_t cfgetispeed(const struct termios *t) { return t->c_ispeed; }
speed_t cfgetospeed(const struct termios *t) { return t->c_ospeed; }

/* a speed <termios.h> names, into one of the struct's two fields */
static int set_speed(speed_t *field, speed_t s)
{
	if (!(s <= B38400 || s == B57600 || s == B115200)) {
		errno = EINVAL;
		return -1;
	}
	*field = s;
	return 0;
}

int cfsetispeed(struct termios *t, speed_t s) { return set_speed(&t->c_ispeed, s); }
int cfsetospeed(struct termios *t, speed_t s) { return set_speed(&t->c_ospeed, s); }

/* output is written to the UART before the console server replies: nothing is ever queued */
int tcdrain(int fd)
{
	return isatty(fd) ? 0 : -1;
}

int tcflush(int fd, int which)
{
	struct msg m = { 0 };
	if (which != TCIFLUSH && which != TCOFLUSH && which != TCIOFLUSH) {
		if (isatty(fd))
			errno = EINVAL;
		return -1;
	}
	if (which == TCOFLUSH)
		return tcdrain(fd);
	return tty_call(fd, CONS_TCFLUSH, &m, 0);
}

/* no flow control on the line: output and input are always on, and cannot be stopped */
int tcflow(int fd, int action)
{
	if (!isatty(fd))
		return -1;
	if (action == TCOON || action == TCION)
		return 0;
	errno = EINVAL;
	return -1;
}

/* a UART break is not something the drivers send; POSIX lets it return without one */
int tcsendbreak(int fd, int duration)
{
	(void)duration;
	return isatty(fd) ? 0 : -1;
}

pid_t tcgetsid(int fd)
{
	pid_t pg = tcgetpgrp(fd);
	if (pg < 0)
		return -1;
	if (pg == 0) {
		errno = ENOTTY;                 /* no session has it */
		return -1;
	}
	return getsid(pg);
}
