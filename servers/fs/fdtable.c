/*
 * Processes, descriptors and open files.
 *
 * A process (struct fs_proc, keyed by pid) has FS_OPEN_MAX descriptors, each
 * naming an open file (struct ofile) or nothing, a close-on-exec bit per
 * descriptor, and a current directory.  An open file is shared by every
 * descriptor that names it, in any process (dup, fork), with one offset and
 * one set of status flags, as in Unix; o_refs counts those descriptors and
 * the held requests using it.  The last reference closes it: a node
 * reference is dropped, a pipe end closed.
 *
 * The control messages (FS_P*, from the proc server only) are here too:
 * make a table, copy one for a fork, apply exec, drop one at exit.
 */
#include <string.h>
#include "fs.h"

static struct fs_proc **proc_slot(struct fs *fs, int pid)
{
	return &fs->procs[(unsigned)pid % FS_PROC_HASH];
}

struct fs_proc *proc_find(struct fs *fs, int pid)
{
	for (struct fs_proc *p = *proc_slot(fs, pid); p; p = p->p_next)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

/* a pid argument: 1..INT32_MAX */
static bool pid_arg(uint64_t w, int *pid)
{
	if (w == 0 || w > INT32_MAX)
		return false;
	*pid = (int)w;
	return true;
}

/* a new empty table for pid, current directory cwd: 0, EINVAL, EEXIST, ENOMEM */
static int proc_new(struct fs *fs, uint64_t w, struct node *cwd, struct fs_proc **out)
{
	struct fs_proc *p, **slot;
	int pid;

	if (!pid_arg(w, &pid))
		return EINVAL;
	if (proc_find(fs, pid))
		return EEXIST;
	if (!(p = fs_zalloc(sizeof(*p))))
		return ENOMEM;
	p->p_pid = pid;
	p->p_cwd = cwd;
	node_get(cwd);
	slot = proc_slot(fs, pid);
	p->p_next = *slot;
	*slot = p;
	fs->nprocs++;
	*out = p;
	return 0;
}

/* close every descriptor of p, drop its directory, free it */
static void proc_free(struct fs *fs, struct fs_proc *p)
{
	struct fs_proc **pp;

	for (int fd = 0; fd < FS_OPEN_MAX; fd++)
		if (p->p_fd[fd])
			fd_close(fs, p, (uint64_t)fd);
	node_put(fs, p->p_cwd);
	for (pp = proc_slot(fs, p->p_pid); *pp != p; pp = &(*pp)->p_next)
		;
	*pp = p->p_next;
	fs->nprocs--;
	fs_free(p);
}

struct ofile *ofile_new(int kind, int flags)
{
	struct ofile *of = fs_zalloc(sizeof(*of));

	if (of) {
		of->o_refs = 1;
		of->o_kind = (uint8_t)kind;
		of->o_flags = flags & (O_ACCMODE | O_APPEND | O_NONBLOCK);
	}
	return of;
}

void ofile_put(struct fs *fs, struct ofile *of)
{
	if (--of->o_refs > 0)
		return;
	if (of->o_node)
		node_put(fs, of->o_node);
	if (of->o_pipe)
		pipe_close_end(fs, of->o_pipe, (of->o_flags & O_ACCMODE) != O_RDONLY);
	fs_free(of);
}

struct ofile *fd_get(struct fs_proc *p, uint64_t fd)
{
	return fd < FS_OPEN_MAX ? p->p_fd[fd] : NULL;
}

int fd_alloc(struct fs_proc *p, int from)
{
	for (int fd = from; fd < FS_OPEN_MAX; fd++)
		if (!p->p_fd[fd])
			return fd;
	return -1;
}

/* fd must be free; the table takes over the caller's reference to of */
void fd_install(struct fs_proc *p, int fd, struct ofile *of, bool cloexec)
{
	p->p_fd[fd] = of;
	if (cloexec)
		p->p_cloexec |= 1ull << fd;
	else
		p->p_cloexec &= ~(1ull << fd);
}

int fd_close(struct fs *fs, struct fs_proc *p, uint64_t fd)
{
	struct ofile *of = fd_get(p, fd);

	if (!of)
		return EBADF;
	p->p_fd[fd] = NULL;
	p->p_cloexec &= ~(1ull << fd);
	ofile_put(fs, of);
	return 0;
}

/* ---- per-process calls ---- */

/* FS_CLOSE: w0 fd */
int fs_close(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	return fd_close(fs, p, rq->w[0]);
}

/* the new descriptor for FS_DUP and fcntl(F_DUPFD): the lowest free one >= from */
static int dup_from(struct fs_proc *p, uint64_t fd, uint64_t from, bool cloexec, struct fs_res *rs)
{
	struct ofile *of = fd_get(p, fd);
	int nfd;

	if (!of)
		return EBADF;
	if (from >= FS_OPEN_MAX)
		return EINVAL;
	if ((nfd = fd_alloc(p, (int)from)) < 0)
		return EMFILE;
	of->o_refs++;
	fd_install(p, nfd, of, cloexec);
	rs->w[0] = (uint64_t)nfd;
	rs->nw = 1;
	return 0;
}

/* FS_DUP: w0 fd, w1 lowest new fd, w2 FD_CLOEXEC or 0 -> w0 new fd */
int fs_dup(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	if (rq->w[2] & ~(uint64_t)FD_CLOEXEC)
		return EINVAL;
	return dup_from(p, rq->w[0], rq->w[1], rq->w[2] != 0, rs);
}

/* FS_DUP2: w0 fd, w1 new fd -> w0 new fd; the new one is closed first, its
   close-on-exec bit cleared; the same fd twice changes nothing */
int fs_dup2(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct ofile *of = fd_get(p, rq->w[0]);
	uint64_t nfd = rq->w[1];

	if (!of || nfd >= FS_OPEN_MAX)
		return EBADF;
	rs->w[0] = nfd;
	rs->nw = 1;
	if (nfd == rq->w[0])
		return 0;
	of->o_refs++;
	if (p->p_fd[nfd])
		fd_close(fs, p, nfd);
	fd_install(p, (int)nfd, of, false);
	return 0;
}

/* FS_FCNTL: w0 fd, w1 cmd, w2 arg -> w0 value */
int fs_fcntl(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs)
{
	struct ofile *of = fd_get(p, rq->w[0]);
	uint64_t fd = rq->w[0], arg = rq->w[2];

	if (!of)
		return EBADF;
	rs->nw = 1;
	rs->w[0] = 0;
	switch (rq->w[1]) {
	case F_GETFD:
		rs->w[0] = (p->p_cloexec >> fd & 1) ? FD_CLOEXEC : 0;
		return 0;
	case F_SETFD:
		fd_install(p, (int)fd, of, (arg & FD_CLOEXEC) != 0);
		return 0;
	case F_GETFL:
		rs->w[0] = (uint64_t)of->o_flags;
		return 0;
	case F_SETFL:
		/* only these two can change; the access mode and the rest are ignored */
		of->o_flags = (of->o_flags & ~(O_APPEND | O_NONBLOCK)) | (int)(arg & (O_APPEND | O_NONBLOCK));
		return 0;
	case F_DUPFD:
		return dup_from(p, fd, arg, false, rs);
	case F_DUPFD_CLOEXEC:
		return dup_from(p, fd, arg, true, rs);
	default:
		return EINVAL;
	}
}

/* ---- control messages: the proc server only ---- */

/* FS_PNEW: w0 pid.  0, 1, 2 name one open file on /dev/console; cwd "/" */
int fs_pnew(struct fs *fs, struct fs_proc *unused, const struct fs_req *rq, struct fs_res *rs)
{
	struct fs_proc *p;
	struct ofile *tty;
	int err;

	if ((err = proc_new(fs, rq->w[0], fs->root, &p)))
		return err;
	if (!(tty = ofile_new(FS_KIND_TTY, O_RDWR))) {
		proc_free(fs, p);
		return ENOMEM;
	}
	/* no failure past this point */
	tty->o_node = fs->console;
	node_get(fs->console);
	tty->o_refs = 3;
	for (int fd = 0; fd < 3; fd++)
		fd_install(p, fd, tty, false);
	return 0;
}

/* FS_PFORK: w0 parent pid, w1 child pid.  The child's table names the same
   open files (shared offsets), with the same close-on-exec bits and cwd. */
int fs_pfork(struct fs *fs, struct fs_proc *unused, const struct fs_req *rq, struct fs_res *rs)
{
	struct fs_proc *parent, *child;
	int ppid, err;

	if (!pid_arg(rq->w[0], &ppid) || !(parent = proc_find(fs, ppid)))
		return ESRCH;
	if ((err = proc_new(fs, rq->w[1], parent->p_cwd, &child)))
		return err;
	for (int fd = 0; fd < FS_OPEN_MAX; fd++) {
		if ((child->p_fd[fd] = parent->p_fd[fd]))
			child->p_fd[fd]->o_refs++;
	}
	child->p_cloexec = parent->p_cloexec;
	return 0;
}

/* FS_PEXEC: w0 pid.  Close the descriptors marked close-on-exec, and drop the
   pid's held requests: exec has destroyed every other lwp of the process (the
   proc server sends FS_PEXEC past exec's point of no return), and the one
   calling exec is not waiting here. */
int fs_pexec(struct fs *fs, struct fs_proc *unused, const struct fs_req *rq, struct fs_res *rs)
{
	struct fs_proc *p;
	int pid;

	if (!pid_arg(rq->w[0], &pid) || !(p = proc_find(fs, pid)))
		return ESRCH;
	fs_wait_drop_pid(fs, pid);
	for (int fd = 0; fd < FS_OPEN_MAX; fd++)
		if (p->p_cloexec >> fd & 1)
			fd_close(fs, p, (uint64_t)fd);
	return 0;
}

/* FS_PEXIT: w0 pid.  Its held requests are dropped (fs_wake hands their
   replies back to be closed unanswered), every descriptor closed, the table
   freed. */
int fs_pexit(struct fs *fs, struct fs_proc *unused, const struct fs_req *rq, struct fs_res *rs)
{
	struct fs_proc *p;
	int pid;

	if (!pid_arg(rq->w[0], &pid) || !(p = proc_find(fs, pid)))
		return ESRCH;
	fs_wait_drop_pid(fs, pid);
	proc_free(fs, p);
	return 0;
}

/* free everything: every process, every held request, every node */
void fs_fini(struct fs *fs)
{
	struct fs_done d;
	char buf[FS_PIPE_SIZE];

	for (int i = 0; i < FS_PROC_HASH; i++) {
		while (fs->procs[i]) {
			fs_wait_drop_pid(fs, fs->procs[i]->p_pid);
			proc_free(fs, fs->procs[i]);
		}
	}
	d.res.obuf = buf;
	while (fs_wake(fs, &d))
		;
	tree_fini(fs);
}
