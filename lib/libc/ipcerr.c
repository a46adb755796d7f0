/*
 * Where an error from a call to a server becomes errno: the one map libc
 * has (docs/design.md's "errors cross a boundary once").  Every stub that
 * calls a server (fd.c, tty.c, proc.c, vfork.S through proc.c) goes through
 * __ipc_errno().  A call fails in one of two ways:
 *
 *  - the server answers with a nonzero reply label.  Its protocol says that
 *    is a POSIX errno already (docs/proc-protocol.md, fs-protocol.md,
 *    console-protocol.md): it is passed on as it is.
 *  - the kernel fails the call (a0 < 0: a -E_* of uapi/abi.h).  E_MSGSIZE (a
 *    buffer too large for the other side) is E2BIG and E_INTR (a signal ended
 *    the wait) EINTR, for every caller.  Where the kernel says "no resources"
 *    illumos's rule holds: E_NOMEM stays ENOMEM, E_NOSPC and E_AGAIN are
 *    EAGAIN (no SYS_CALL to our servers returns these three today: no server
 *    replies with a handle, and a failed copy is E_FAULT).  What the rest
 *    means is the caller's, and it says so in two arguments:
 *      nosrv  for E_BADF, the handle names no server (the file and console
 *             stubs: ENOSYS, as for a program with no handle at all);
 *      lost   for anything else: the request did not get through or its
 *             answer was lost (E_PIPE, E_FAULT, E_ACCES ...; the file and
 *             console stubs: EIO).
 *    The proc stubs give EAGAIN for both (proc.c: illumos's answer for a
 *    fork or a request that could not be done).
 */
#include <errno.h>
#include "sys.h"
#include "libc.h"

int __ipc_errno(long kerr, uint64_t info, int nosrv, int lost)
{
	if (kerr >= 0)
		return (int)IPC_LABEL(info);
	switch (-kerr) {
	case E_MSGSIZE: return E2BIG;
	case E_INTR:    return EINTR;
	case E_NOMEM:   return ENOMEM;
	case E_NOSPC:
	case E_AGAIN:   return EAGAIN;
	case E_BADF:    return nosrv;
	default:        return lost;
	}
}
