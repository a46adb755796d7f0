/*
 * The file server's main loop: receive -> who is it (the badge: a pid, or 0
 * for the proc server) -> fs_dispatch() -> reply, unless the request is held
 * (a pipe read or write that must wait).  After each request the held
 * requests it made ready are answered, and those of exited processes
 * dropped, before the reply goes out.  docs/fs-protocol.md describes it.
 *
 * Started by the root task (not a process of the proc server) with:
 *   h_extra[0]  its endpoint (R_RECV); every process's fs handle names it
 *   archive     the boot archive, mapped read-only, for as long as we run
 *
 * It never calls another server: the proc server calls it during fork and
 * exit, so a call back would deadlock.  It only receives, replies, and sends
 * on saved replies (which never block).  The one printf is at start, and
 * goes to the console server directly.
 */
#include <stdio.h>
#include <string.h>
#include "sys.h"
#include "fs.h"

static struct fs fs;

/* answer or drop every held request that became ready */
static void wake(void)
{
	static char wbuf[FS_PIPE_SIZE];
	struct fs_done d = { .res = { .obuf = wbuf } };

	while (fs_wake(&fs, &d)) {
		struct msg m = { .info = IPC_INFO((uint32_t)d.err, d.err ? 0 : d.res.nw) };
		struct ipc_ext e = { .sbuf = (uint64_t)d.res.sbuf, .slen = d.err ? 0 : d.res.slen, .scap = -1 };
		if (d.drop) {
			handle_close((handle_t)d.token);
			continue;
		}
		memcpy(m.w, d.res.w, sizeof(d.res.w));
		if (ipc_send((handle_t)d.token, &m, &e) < 0)
			fs_wake_failed(&fs);    /* the caller is gone: a reader's bytes go back */
	}
}

int umain(void *arg)
{
	struct startinfo *si = arg;
	static char ibuf[IPC_MAX_BUF], obuf[IPC_MAX_BUF];
	struct ipc_ext e = { .rbuf = (uint64_t)ibuf, .rlen = sizeof(ibuf), .scap = -1 };
	handle_t ep = si->h_extra[0];
	struct msg m, out;
	long r;

	libsys_set_output(console_write);       /* never through a descriptor: that is us */
	if (fs_init(&fs, (const void *)si->archive, si->archive_len)) {
		printf("fs: out of memory at start\n");
		return 1;
	}
	printf("fs: %d files from the boot archive (%d entries skipped), /tmp %u KiB\n",
	       fs.archive_files, fs.archive_skipped, (unsigned)(fs.tmp_data_max >> 10));

	r = ipc_recv(ep, &m, &e);
	for (;;) {
		struct fs_req rq = { .buf = NULL, .len = 0 };
		struct fs_res rs = { .obuf = obuf };
		handle_t reply;
		int err;

		if (r == 0 && (m.info & IPC_GOT_CAP))
			handle_close(e.rcap);   /* nothing here takes a handle */
		if (r < 0 || !(m.info & IPC_FROM_CALL)) {
			r = ipc_recv(ep, &m, &e);   /* an error, or a send: nobody to answer */
			continue;
		}
		memcpy(rq.w, m.w, sizeof(rq.w));
		if (m.info & IPC_GOT_BUF) {
			rq.buf = ibuf;
			rq.len = e.rbytes;
		}
		err = fs_dispatch(&fs, m.badge, IPC_LABEL(m.info), &rq, &rs);
		if (err == FS_BLOCKED) {
			if (reply_save(&reply) == 0)
				fs_wait_hold(rs.wait, (uint64_t)reply);
			else
				err = fs_wait_cancel(&fs, rs.wait, &rs);
		}
		wake();
		if (err == FS_BLOCKED) {
			r = ipc_recv(ep, &m, &e);
			continue;
		}
		memset(&out, 0, sizeof(out));
		out.info = IPC_INFO((uint32_t)err, err ? 0 : rs.nw);
		memcpy(out.w, rs.w, sizeof(rs.w));
		e.sbuf = (uint64_t)rs.sbuf;
		e.slen = err ? 0 : rs.slen;
		r = ipc_replyrecv(ep, &out, &e);
		m = out;                        /* the next request arrived where the reply was */
		e.slen = 0;
	}
}
