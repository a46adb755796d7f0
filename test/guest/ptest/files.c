/*
 * What a process keeps for its files in the proc server: the file mode creation
 * mask.  umask() reports the old one (init's 022 to start with), open(O_CREAT)
 * and mkdir take it off the mode they are given, a fork child has its parent's
 * and an exec keeps it.  And the terminal's modes (termios), which the console
 * server's line discipline has one of, and ioctl's few requests.
 */
#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "ptest.h"
#include "proc.h"

static int mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) ? -1 : (int)(st.st_mode & 07777);
}

void test_files_umask(void)
{
	int fd, st = -1, pid;

	CHECK_EQ(umask(027), 022);
	CHECK_EQ(umask(027), 027);
	unlink("/tmp/umask-f");
	rmdir("/tmp/umask-d");
	CHECK((fd = open("/tmp/umask-f", O_WRONLY | O_CREAT | O_EXCL, 0666)) >= 0);
	close(fd);
	CHECK_EQ(mode_of("/tmp/umask-f"), 0640);
	CHECK_EQ(mkdir("/tmp/umask-d", 0777), 0);
	CHECK_EQ(mode_of("/tmp/umask-d"), 0750);
	CHECK_EQ(umask(01777), 027);                     /* only the permission bits are kept */
	CHECK_EQ(umask(027), 0777);

	/* a fork child has it, and changing it there leaves ours alone */
	pid = fork();
	if (pid == 0)
		_exit(umask(0) == 027 && umask(0) == 0 ? 0 : 1);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ(umask(027), 027);

	/* exec keeps it */
	pid = fork();
	if (pid == 0) {
		proc_exec("/test/ptest umaskcheck");
		_exit(9);
	}
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);

	unlink("/tmp/umask-f");
	rmdir("/tmp/umask-d");
	CHECK_EQ(umask(022), 027);
}

/* "ptest umaskcheck": exec'd with umask 027; creates with it, then reports */
int umaskcheck_main(void)
{
	int fd, ok;
	unlink("/tmp/umask-x");
	if ((fd = open("/tmp/umask-x", O_WRONLY | O_CREAT, 0777)) < 0)
		return 2;
	close(fd);
	ok = mode_of("/tmp/umask-x") == 0750 && umask(0) == 027;
	unlink("/tmp/umask-x");
	return ok ? 0 : 1;
}

/* the terminal's one mode, reported and kept; any other refused; ioctl's requests */
void test_files_termios(void)
{
	struct termios t, raw;
	struct winsize ws = { 1, 2, 3, 4 };
	int fds[2];
	pid_t pg;

	CHECK(isatty(1));
	CHECK_EQ(tcgetattr(1, &t), 0);
	CHECK((t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	CHECK(t.c_iflag & ICRNL);
	CHECK((t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR));
	CHECK_EQ(t.c_cc[VINTR], 3);
	CHECK_EQ(t.c_cc[VEOF], 4);
	CHECK_EQ(cfgetospeed(&t), B115200);
	CHECK_EQ(tcsetattr(1, TCSANOW, &t), 0);
	CHECK_EQ(tcsetattr(1, TCSADRAIN, &t), 0);
	raw = t;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	errno = 0;
	CHECK_EQ(tcsetattr(1, TCSANOW, &raw), -1);       /* no raw mode: said, not pretended */
	CHECK_EQ(errno, EINVAL);
	raw = t;
	raw.c_cc[VINTR] = 7;
	CHECK_EQ(tcsetattr(1, TCSANOW, &raw), -1);
	CHECK_EQ(tcsetattr(1, 99, &t), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(cfsetospeed(&raw, 12345), -1);
	CHECK_EQ(cfsetospeed(&raw, B9600), 0);
	CHECK_EQ(cfgetospeed(&raw), B9600);
	CHECK_EQ(tcdrain(1), 0);
	CHECK_EQ(tcflow(1, TCOON), 0);
	CHECK_EQ(tcflow(1, TCOOFF), -1);
	CHECK_EQ(tcflush(1, TCIOFLUSH), 0);
	CHECK_EQ(tcflush(1, 9), -1);
	CHECK_EQ(errno, EINVAL);

	CHECK_EQ(ioctl(1, TIOCGWINSZ, &ws), 0);
	CHECK(ws.ws_row == 0 && ws.ws_col == 0);
	CHECK_EQ(ioctl(1, TIOCGPGRP, &pg), 0);
	CHECK_EQ(pg, tcgetpgrp(1));
	errno = 0;
	CHECK_EQ(ioctl(1, 0x7777, &ws), -1);
	CHECK_EQ(errno, ENOTTY);

	/* not a terminal: ENOTTY; not a descriptor: EBADF */
	CHECK_EQ(pipe(fds), 0);
	errno = 0;
	CHECK_EQ(tcgetattr(fds[0], &t), -1);
	CHECK_EQ(errno, ENOTTY);
	CHECK_EQ(ioctl(fds[0], TIOCGWINSZ, &ws), -1);
	CHECK_EQ(errno, ENOTTY);
	CHECK_EQ(tcgetsid(fds[1]), -1);
	CHECK_EQ(errno, ENOTTY);
	close(fds[0]);
	close(fds[1]);
	CHECK_EQ(tcgetattr(77, &t), -1);
	CHECK_EQ(errno, EBADF);
	CHECK_EQ(ioctl(77, TIOCGWINSZ, &ws), -1);
	CHECK_EQ(errno, EBADF);
}
