/*
 * ioctl: the few terminal requests there are (lib/libc/tty.c).  The numbers are
 * Linux's; a portable program uses only the names.
 *   TIOCGWINSZ  the console's size.  A serial line has none to report: rows and
 *               columns are 0 (as on a Linux serial console), so programs fall
 *               back to $LINES/$COLUMNS or 24x80.
 *   TIOCGPGRP, TIOCSPGRP  tcgetpgrp and tcsetpgrp.
 * Any other request, or any request on a descriptor that is not the terminal,
 * fails with ENOTTY.
 */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#define TIOCGPGRP   0x540f
#define TIOCSPGRP   0x5410
#define TIOCGWINSZ  0x5413

int ioctl(int fd, unsigned long request, ...);

#endif
