/*
 * One request: the message number is range-checked, then the caller's right
 * (control messages: badge 0, the proc server; the others: a pid with a
 * table), then the handler is called through the table.
 */
#include "fs.h"

static const struct {
	fs_handler_t *fn;
	bool control;                   /* FS_P*: the proc server only */
} table[FS_NMSG] = {
	[FS_OPEN] = { fs_open, false },            /* open or create a file */
	[FS_CLOSE] = { fs_close, false },          /* close a descriptor */
	[FS_READ] = { fs_read, false },            /* file, pipe (may be held) */
	[FS_WRITE] = { fs_write, false },          /* file, pipe (may be held) */
	[FS_LSEEK] = { fs_lseek, false },          /* move the shared offset */
	[FS_DUP] = { fs_dup, false },              /* F_DUPFD */
	[FS_DUP2] = { fs_dup2, false },            /* dup2 */
	[FS_PIPE] = { fs_pipe, false },            /* a new pipe */
	[FS_FSTAT] = { fs_fstat, false },          /* kind, size, inode, mode of a descriptor */
	[FS_STAT] = { fs_stat, false },            /* the same for a path */
	[FS_FCNTL] = { fs_fcntl, false },          /* descriptor and status flags */
	[FS_MKDIR] = { fs_mkdir, false },          /* a directory in /tmp */
	[FS_UNLINK] = { fs_unlink, false },        /* remove a file */
	[FS_RMDIR] = { fs_rmdir, false },          /* remove an empty directory */
	[FS_GETDENTS] = { fs_getdents, false },    /* read directory entries */
	[FS_CHDIR] = { fs_chdir, false },          /* set the current directory */
	[FS_GETCWD] = { fs_getcwd, false },        /* its path */
	[FS_FTRUNCATE] = { fs_ftruncate, false },  /* set a file's size */
	[FS_MEMINFO] = { fs_meminfo, false },      /* the server's memory, for leak checks */
	[FS_PNEW] = { fs_pnew, true },             /* a new process: a table on the console */
	[FS_PFORK] = { fs_pfork, true },           /* a fork child: a copy of the parent's */
	[FS_PEXEC] = { fs_pexec, true },           /* exec: close the close-on-exec ones */
	[FS_PEXIT] = { fs_pexit, true },           /* exit: close all, drop held requests */
};

/*
 * Handle one request from the holder of a handle badged badge.  Returns 0
 * or an errno (the reply's label) with rs filled (rs->obuf is the caller's),
 * or FS_BLOCKED with rs->wait the held request.
 */
int fs_dispatch(struct fs *fs, uint64_t badge, uint32_t label, const struct fs_req *rq, struct fs_res *rs)
{
	struct fs_proc *p = NULL;

	fs_wake_finish(fs);
	rs->nw = 0;
	rs->sbuf = NULL;
	rs->slen = 0;
	rs->wait = NULL;
	if (label == 0 || label >= FS_NMSG || !table[label].fn)
		return ENOSYS;
	if (table[label].control) {
		if (badge != 0)
			return EPERM;
	} else if (badge == 0 || badge > INT32_MAX || !(p = proc_find(fs, (int)badge))) {
		return EPERM;
	}
	return table[label].fn(fs, p, rq, rs);
}
