/*
 * Pipes and held requests.
 *
 * A pipe is a FS_PIPE_SIZE-byte ring with a count of open files per end.
 * A read that finds no data while a writer is left, or a write that does not
 * fit, is held: a struct fs_wait on the pipe's reader or writer queue (first
 * come first served), holding a reference to its open file, answered later
 * through its saved reply (w_token, given by the glue with fs_wait_hold).
 *
 * Wake-ups.  Whatever changes a pipe that has waiters (bytes in or out, an
 * end closed, a waiter gone) puts it on fs->dirty.  After each request the
 * glue calls fs_wake() until it returns 0; each call hands out one held
 * request to answer, or one to drop (fs_wait_drop_pid: its process exited
 * or exec'd).  fs_wake() answers one waiter at a time so that the glue can
 * report a failed delivery (fs_wake_failed: the reader is gone) before
 * anything else moves, and the bytes that reader took go back into the ring.
 *
 * Between requests the pipes are settled: a pipe with queued readers is
 * empty and has a writer; one with queued writers has a reader and no room
 * for the first one's next bytes.
 *
 * Rules (POSIX): a write of at most FS_PIPE_BUF bytes goes in whole or waits;
 * a longer one goes in as room appears and is answered when all of it is in.
 * A read takes what is there, up to its max.  No writer and no data: 0 (end
 * of file).  No reader: EPIPE, or for a held write that got some bytes in,
 * the count of those.  O_NONBLOCK: EAGAIN instead of holding (a long write
 * answers the count it got in, if any).
 */
#include <string.h>
#include "fs.h"

static void mark_dirty(struct fs *fs, struct pipe *pp)
{
	if (pp->p_dirty || (!pp->p_rq && !pp->p_wq))
		return;
	pp->p_dirty = true;
	pp->p_dirty_next = fs->dirty;
	fs->dirty = pp;
}

static void dirty_remove(struct fs *fs, struct pipe *pp)
{
	struct pipe **q;

	if (!pp->p_dirty)
		return;
	for (q = &fs->dirty; *q != pp; q = &(*q)->p_dirty_next)
		;
	*q = pp->p_dirty_next;
	pp->p_dirty = false;
}

static size_t room(const struct pipe *pp)
{
	return FS_PIPE_SIZE - pp->p_count;
}

static void ring_put(struct pipe *pp, const char *buf, size_t n)
{
	size_t tail = (pp->p_head + pp->p_count) % FS_PIPE_SIZE;
	size_t first = n < FS_PIPE_SIZE - tail ? n : FS_PIPE_SIZE - tail;

	memcpy(pp->p_ring + tail, buf, first);
	memcpy(pp->p_ring, buf + first, n - first);
	pp->p_count += (uint32_t)n;
}

static void ring_get(struct pipe *pp, char *buf, size_t n)
{
	size_t first = n < FS_PIPE_SIZE - pp->p_head ? n : FS_PIPE_SIZE - pp->p_head;

	memcpy(buf, pp->p_ring + pp->p_head, first);
	memcpy(buf + first, pp->p_ring, n - first);
	pp->p_head = (uint32_t)((pp->p_head + n) % FS_PIPE_SIZE);
	pp->p_count -= (uint32_t)n;
}

/* take back the last ring_get of n bytes: they are still in the ring */
static void ring_unget(struct pipe *pp, size_t n)
{
	pp->p_head = (uint32_t)((pp->p_head + FS_PIPE_SIZE - n) % FS_PIPE_SIZE);
	pp->p_count += (uint32_t)n;
}

/* a new pipe: its read end and write end, one reference each.  0, ENFILE, ENOMEM */
int pipe_new(struct fs *fs, struct ofile **rd, struct ofile **wr)
{
	struct pipe *pp;

	if (fs->npipes >= fs->npipes_max)
		return ENFILE;
	pp = fs_zalloc(sizeof(*pp));
	*rd = ofile_new(FS_KIND_PIPE, O_RDONLY);
	*wr = ofile_new(FS_KIND_PIPE, O_WRONLY);
	if (!pp || !*rd || !*wr || !(pp->p_ring = fs_zalloc(FS_PIPE_SIZE))) {
		fs_free(*wr);
		fs_free(*rd);
		fs_free(pp);
		return ENOMEM;
	}
	pp->p_ino = fs->next_ino++;
	pp->p_readers = pp->p_writers = 1;
	(*rd)->o_pipe = (*wr)->o_pipe = pp;
	pp->p_next = fs->pipes;
	fs->pipes = pp;
	fs->npipes++;
	return 0;
}

/* the last reference to an open file of one end went (ofile_put) */
void pipe_close_end(struct fs *fs, struct pipe *pp, bool writer)
{
	struct pipe **q;

	if (writer)
		pp->p_writers--;
	else
		pp->p_readers--;
	if (pp->p_readers > 0 || pp->p_writers > 0) {
		mark_dirty(fs, pp);
		return;
	}
	/* no waiters: each holds an end open */
	dirty_remove(fs, pp);
	for (q = &fs->pipes; *q != pp; q = &(*q)->p_next)
		;
	*q = pp->p_next;
	fs_free(pp->p_ring);
	fs_free(pp);
	fs->npipes--;
}

static struct fs_wait *wait_new(struct fs *fs, int pid, int op, struct ofile *of)
{
	struct fs_wait *w;

	if (fs->nwait >= fs->nwait_max || !(w = fs_zalloc(sizeof(*w))))
		return NULL;
	w->w_pid = pid;
	w->w_op = op;
	w->w_of = of;
	of->o_refs++;
	fs->nwait++;
	return w;
}

/* w is on no queue any more */
static void wait_free(struct fs *fs, struct fs_wait *w)
{
	if (w->w_data) {
		fs->held -= w->w_len;
		fs_free(w->w_data);
	}
	fs->nwait--;
	ofile_put(fs, w->w_of);
	fs_free(w);
}

static void enqueue(struct fs_wait **q, struct fs_wait *w)
{
	while (*q)
		q = &(*q)->w_next;
	*q = w;
}

static bool dequeue(struct fs_wait **q, struct fs_wait *w)
{
	for (; *q; q = &(*q)->w_next) {
		if (*q == w) {
			*q = w->w_next;
			w->w_next = NULL;
			return true;
		}
	}
	return false;
}

/* FS_READ on a pipe's read end (max > 0): data, 0 at end of file, EAGAIN, or FS_BLOCKED */
int pipe_read(struct fs *fs, int pid, struct ofile *of, size_t max, struct fs_res *rs)
{
	struct pipe *pp = of->o_pipe;
	struct fs_wait *w;

	rs->nw = 1;
	rs->w[0] = 0;
	if (!pp->p_rq && pp->p_count) {
		size_t n = max < pp->p_count ? max : pp->p_count;
		ring_get(pp, rs->obuf, n);
		rs->w[0] = n;
		rs->sbuf = rs->obuf;
		rs->slen = n;
		mark_dirty(fs, pp);             /* room for a held writer */
		return 0;
	}
	if (!pp->p_rq && pp->p_writers == 0)
		return 0;
	if (of->o_flags & O_NONBLOCK)
		return EAGAIN;
	if (!(w = wait_new(fs, pid, FS_READ, of)))
		return EAGAIN;
	w->w_max = max;
	enqueue(&pp->p_rq, w);
	rs->wait = w;
	return FS_BLOCKED;
}

/* FS_WRITE on a pipe's write end: w0 bytes, EPIPE, EAGAIN, or FS_BLOCKED */
int pipe_write(struct fs *fs, int pid, struct ofile *of, const char *buf, size_t len, struct fs_res *rs)
{
	struct pipe *pp = of->o_pipe;
	struct fs_wait *w;
	size_t done = 0, rest;

	rs->nw = 1;
	rs->w[0] = 0;
	if (len == 0)
		return 0;
	if (pp->p_readers == 0)
		return EPIPE;
	if (!pp->p_wq && (len > FS_PIPE_BUF || room(pp) >= len)) {
		done = len < room(pp) ? len : room(pp);
		ring_put(pp, buf, done);
		mark_dirty(fs, pp);             /* data for a held reader */
	}
	rs->w[0] = done;
	if (done == len)
		return 0;
	if (of->o_flags & O_NONBLOCK)
		return done ? 0 : EAGAIN;
	/* hold the rest; if we cannot, answer what went in (a short write) or EAGAIN */
	rest = len - done;
	if (rest > fs->held_max - fs->held || !(w = wait_new(fs, pid, FS_WRITE, of)))
		return done ? 0 : EAGAIN;
	if (!(w->w_data = fs_zalloc(rest))) {
		wait_free(fs, w);
		return done ? 0 : EAGAIN;
	}
	/* no failure past this point */
	memcpy(w->w_data, buf + done, rest);
	w->w_len = rest;
	w->w_got = done;                        /* bytes in before it was held */
	w->w_max = len;                         /* the whole write: atomic if <= FS_PIPE_BUF */
	fs->held += rest;
	enqueue(&pp->p_wq, w);
	rs->wait = w;
	return FS_BLOCKED;
}

void fs_wait_hold(struct fs_wait *w, uint64_t token)
{
	w->w_token = token;
}

/* the pipe a waiter waits on */
static struct pipe *wait_pipe(const struct fs_wait *w)
{
	return w->w_of->o_pipe;
}

/*
 * The glue could not save the reply of the request that just returned
 * FS_BLOCKED: take it back and give the answer to send now (a write that got
 * bytes in: their count, else EAGAIN).
 */
int fs_wait_cancel(struct fs *fs, struct fs_wait *w, struct fs_res *rs)
{
	struct pipe *pp = wait_pipe(w);
	size_t got = w->w_op == FS_WRITE ? w->w_got + w->w_done : 0;

	dequeue(w->w_op == FS_READ ? &pp->p_rq : &pp->p_wq, w);
	mark_dirty(fs, pp);
	wait_free(fs, w);
	rs->nw = 1;
	rs->w[0] = got;
	rs->sbuf = NULL;
	rs->slen = 0;
	rs->wait = NULL;
	return got ? 0 : EAGAIN;
}

/* every held request of pid goes to fs->drops (fs_wake hands them back) */
void fs_wait_drop_pid(struct fs *fs, int pid)
{
	struct fs_wait **qs[2], *w, *next;
	struct pipe *pp;

	for (pp = fs->pipes; pp; pp = pp->p_next) {
		qs[0] = &pp->p_rq;
		qs[1] = &pp->p_wq;
		for (int i = 0; i < 2; i++) {
			for (w = *qs[i]; w; w = next) {
				next = w->w_next;
				if (w->w_pid != pid)
					continue;
				dequeue(qs[i], w);
				w->w_next = fs->drops;
				fs->drops = w;
				mark_dirty(fs, pp);
			}
		}
	}
}

/*
 * One step for a dirty pipe: answer its first writer if it is done (or has
 * no reader left), else its first reader if there is data or no writer.
 * Moves a long write's bytes in as room allows.  Fills d and sets fs->last;
 * false if nobody can be answered now.
 */
static bool pipe_step(struct fs *fs, struct pipe *pp, struct fs_done *d)
{
	struct fs_wait *w;

	d->drop = false;
	d->err = 0;
	d->res.nw = 1;
	d->res.sbuf = NULL;
	d->res.slen = 0;
	d->res.wait = NULL;
	if ((w = pp->p_wq)) {
		size_t rest = w->w_len - w->w_done;
		bool atomic = w->w_max <= FS_PIPE_BUF;
		if (pp->p_readers > 0 && (atomic ? room(pp) >= rest : room(pp) > 0)) {
			size_t n = rest < room(pp) ? rest : room(pp);
			ring_put(pp, w->w_data + w->w_done, n);
			w->w_done += n;
		}
		if (pp->p_readers == 0 || w->w_done == w->w_len) {
			size_t got = w->w_got + w->w_done;
			pp->p_wq = w->w_next;
			d->token = w->w_token;
			d->err = pp->p_readers == 0 && got == 0 ? EPIPE : 0;
			d->res.w[0] = got;
			fs->last = w;
			return true;
		}
	}
	if ((w = pp->p_rq) && (pp->p_count || pp->p_writers == 0)) {
		size_t n = w->w_max < pp->p_count ? w->w_max : pp->p_count;
		ring_get(pp, d->res.obuf, n);
		pp->p_rq = w->w_next;
		w->w_got = n;
		d->token = w->w_token;
		d->res.w[0] = n;
		d->res.sbuf = d->res.obuf;
		d->res.slen = n;
		fs->last = w;
		return true;
	}
	return false;
}

/* the answer handed out last is through: let its waiter go */
void fs_wake_finish(struct fs *fs)
{
	struct fs_wait *w = fs->last;

	if (w) {
		fs->last = NULL;
		mark_dirty(fs, wait_pipe(w));
		wait_free(fs, w);
	}
}

/*
 * The next held request to act on: true with d filled (d->res.obuf, at least
 * FS_PIPE_SIZE bytes, is the caller's and stays), false when there is none.
 * d->drop: close d->token unanswered; else send the answer on it.
 */
int fs_wake(struct fs *fs, struct fs_done *d)
{
	struct fs_wait *w;
	struct pipe *pp;

	fs_wake_finish(fs);
	if ((w = fs->drops)) {
		fs->drops = w->w_next;
		d->token = w->w_token;
		d->drop = true;
		d->err = 0;
		d->res.nw = 0;
		d->res.sbuf = NULL;
		d->res.slen = 0;
		wait_free(fs, w);
		return 1;
	}
	while ((pp = fs->dirty)) {
		if (pipe_step(fs, pp, d))
			return 1;
		dirty_remove(fs, pp);
	}
	return 0;
}

/* the answer fs_wake() just gave could not be delivered (the caller is gone):
   a reader's bytes go back to the front of the ring */
void fs_wake_failed(struct fs *fs)
{
	struct fs_wait *w = fs->last;

	if (w && w->w_op == FS_READ && w->w_got) {
		ring_unget(wait_pipe(w), w->w_got);
		w->w_got = 0;
	}
}
