/*
 * The file server's main loop: receive -> who is it (the badge: a pid, or 0
 * for the proc server) -> fs_dispatch() -> reply, unless the request is held
 * (a pipe read or write that must wait).  After each request the held
 * requests it made ready are answered, and those of exited processes
 * dropped, before the reply goes out.  docs/fs-protocol.md describes it.
 *
 * Started by the root task (not a process of the proc server) with:
 *   h_extra[0]  its endpoint (R_RECV); every process's fs handle names it
 *   h_extra[1]  a sysctl with R_DEBUG: we print through the SBI console
 *   archive     the boot archive, mapped read-only, for as long as we run
 *
 * It never calls another server: the proc server calls it during fork and
 * exit, so a call back would deadlock.  It only receives, replies, and sends
 * on saved replies (which never block).  The one printf is at start, and
 * goes to the SBI console: the console server, a process, starts later.
 */
#include <stdio.h>
#include <string.h>
#include "sys.h"
#include "fs.h"

static struct fs fs;

/*
 * Small reads and writes carry their bytes in message words (FS_READ_WORDS,
 * a buffer-less FS_WRITE).  A held read's wish travels in its token, with the
 * saved reply handle: bit 32.
 */
#define TOKEN_WORDS (1ull << 32)

/* word by word: no memcpy call for a few words */
static inline void copy_words(uint64_t *dst, const uint64_t *src, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		dst[i] = src[i];
}

/* a reply's buffer moved into words w1.., if the caller asked and it fits */
static void reply_in_words(struct msg *m, struct ipc_ext *e, const struct fs_res *rs)
{
	if (rs->slen > FS_WORDS_MAX)
		return;
	if (rs->slen)
		m->w[1 + (rs->slen - 1) / 8] = 0;      /* the last word's padding */
	memcpy(&m->w[1], rs->sbuf, rs->slen);
	m->info = (m->info & ~((uint64_t)0xf << 32)) | ((uint64_t)(1 + (rs->slen + 7) / 8) << 32);
	e->slen = 0;
}

/* answer or drop every held request that became ready */
static void wake(void)
{
	static char wbuf[FS_PIPE_SIZE];
	struct fs_done d = { .res = { .obuf = wbuf } };

	while (fs_wake(&fs, &d)) {
		struct msg m;
		struct ipc_ext e = { .sbuf = (uint64_t)d.res.sbuf, .slen = d.err ? 0 : d.res.slen, .scap = -1 };
		handle_t reply = (handle_t)(uint32_t)d.token;
		if (d.drop) {
			handle_close(reply);
			continue;
		}
		/* words past the count are not sent (the main loop's replies rely on it too) */
		m.info = IPC_INFO((uint32_t)d.err, d.err ? 0 : d.res.nw);
		copy_words(m.w, d.res.w, 4);
		if ((d.token & TOKEN_WORDS) && !d.err)
			reply_in_words(&m, &e, &d.res);
		if (ipc_send(reply, &m, &e) < 0)
			fs_wake_failed(&fs);    /* the caller is gone: a reader's bytes go back */
	}
}

int umain(void *arg)
{
	struct startinfo *si = arg;
	static char ibuf[IPC_MAX_BUF], obuf[IPC_MAX_BUF];
	struct ipc_ext e = { .rbuf = (uint64_t)ibuf, .rlen = sizeof(ibuf), .scap = -1 };
	handle_t ep = si->h_extra[0];
	struct msg m;
	long r;

	libsys_output_debug(si->h_extra[1]);    /* never through a descriptor: that is us */
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
		bool words;
		int err;

		if (r == 0 && (m.info & IPC_GOT_CAP))
			handle_close(e.rcap);   /* nothing here takes a handle */
		if (r < 0 || !(m.info & IPC_FROM_CALL)) {
			r = ipc_recv(ep, &m, &e);   /* an error, or a send: nobody to answer */
			continue;
		}
		copy_words(rq.w, m.w, IPC_MAX_WORDS);
		if (m.info & IPC_GOT_BUF) {
			rq.buf = ibuf;
			rq.len = e.rbytes;
		} else if (IPC_LABEL(m.info) == FS_WRITE && IPC_NWORDS(m.info) >= 2) {
			/* the bytes in w2..: as many as the words hold at most */
			size_t len = m.w[1], room = (IPC_NWORDS(m.info) - 2) * 8;
			rq.len = len < room ? len : room;
			memcpy(ibuf, &m.w[2], rq.len);
			rq.buf = ibuf;
		}
		words = IPC_LABEL(m.info) == FS_READ && IPC_NWORDS(m.info) >= 3 &&
			m.w[2] == FS_READ_WORDS && m.w[1] <= FS_WORDS_MAX;
		err = fs_dispatch(&fs, m.badge, IPC_LABEL(m.info), &rq, &rs);
		if (err == FS_BLOCKED) {
			if (reply_save(&reply) == 0)
				fs_wait_hold(rs.wait, (uint64_t)(uint32_t)reply | (words ? TOKEN_WORDS : 0));
			else
				err = fs_wait_cancel(&fs, rs.wait, &rs);
		}
		wake();
		if (err == FS_BLOCKED) {
			r = ipc_recv(ep, &m, &e);
			continue;
		}
		/* the reply goes out of m (the request's words are in rq now), and the
		   next request arrives there; words past the reply's count are not sent */
		m.info = IPC_INFO((uint32_t)err, err ? 0 : rs.nw);
		copy_words(m.w, rs.w, 4);
		e.sbuf = (uint64_t)rs.sbuf;
		e.slen = err ? 0 : rs.slen;
		if (words && !err)
			reply_in_words(&m, &e, &rs);
		r = ipc_replyrecv(ep, &m, &e);
		e.slen = 0;
	}
}
