/*
 * The console server's protocol (servers/console, docs/console-protocol.md):
 * calls on the console endpoint.  A client's handle is badged with its pid
 * by the proc server (R_SEND only: no handle travels).  Errors are the
 * reply's label, a positive errno; the kernel's status in a0 is separate.
 */
#ifndef UAPI_CONSOLE_H
#define UAPI_CONSOLE_H

enum {
	CONS_WRITE = 1,     /* buffer: the bytes -> w0 bytes written */
	CONS_READ,          /* w0 most bytes wanted -> a buffer of one line (or what is there), held
	                       until input; an empty buffer at end-of-file; EAGAIN: too many readers;
	                       EIO: given up for a newer reader while it could not read */
	CONS_TCGETPGRP,     /* -> w0 the foreground process group (0: none); ENOTTY: another session's */
	CONS_TCSETPGRP,     /* w0 pgid -> EPERM (not in the terminal's session, or pgid not a group
	                       of it), ENOTTY (the terminal belongs to another session) */
	CONS_TCFLUSH,       /* input typed and not read yet is thrown away (tcflush TCIFLUSH) */
};

#define CONS_LINE_MAX 256   /* a line is complete at Enter or at this many bytes */
#endif
