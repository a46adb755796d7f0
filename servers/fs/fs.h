/*
 * The file server's logic: the tree (the boot archive read-only, /tmp in RAM,
 * /dev), per-process descriptor tables, open files, pipes and held requests.
 * No kernel calls in here: main.c receives, calls fs_dispatch(), and replies;
 * the host tests (test/host/test_fs.c) call the same functions.
 *
 * Single-threaded: each request runs to completion.  A handler returns 0 or
 * an errno, or FS_BLOCKED for a pipe read or write that must wait: the core
 * has queued a struct fs_wait, and the glue saves the reply (SYS_REPLY_SAVE)
 * and gives the core its handle (fs_wait_hold), or, if it cannot, takes the
 * request back (fs_wait_cancel).  After every request the glue drains
 * fs_wake(): answers to send on saved replies, and saved replies to close
 * unanswered (their process exited or exec'd).
 *
 * Memory: everything comes from fs_zalloc() (mem.c), which counts the bytes
 * in use.  /tmp has budgets of its own (struct fs tmp_*): ENOSPC before the
 * heap runs out; any other allocation failure is ENOMEM (ENFILE, EAGAIN where
 * the protocol says so), never a crash.
 */
#ifndef FS_FS_H
#define FS_FS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "uapi/abi.h"
#include "uapi/fs.h"

#define FS_BLOCKED (-1)                 /* a handler's "hold the reply" */

#define FS_BLOCK 4096u                  /* a /tmp file's data comes in blocks of this */
#define FS_FILE_MAX (1u << 20)          /* largest /tmp file (EFBIG beyond) */
#define FS_TMP_DATA_MAX (1u << 20)      /* /tmp data blocks, all files (ENOSPC) */
#define FS_TMP_META_MAX (256u << 10)    /* /tmp nodes and block tables (ENOSPC) */
#define FS_PIPE_SIZE 4096u              /* a pipe's ring */
#define FS_PIPES_MAX 64                 /* pipes alive at once (ENFILE) */
#define FS_WAIT_MAX 64                  /* held requests (EAGAIN); each is a reply handle */
#define FS_HELD_MAX (128u << 10)        /* bytes of held pipe writes (EAGAIN) */
#define FS_PROC_HASH 64

/* ---- the tree ---- */
struct node {
	uint32_t n_ino;
	uint8_t n_kind;                 /* FS_KIND_FILE, FS_KIND_DIR or FS_KIND_TTY */
	bool n_tmp;                     /* in /tmp: writable, its data in blocks */
	uint16_t n_mode;                /* permission bits */
	int n_refs;                     /* open files and current directories naming it */
	struct node *n_parent;          /* the root: itself; NULL: removed (freed at n_refs 0) */
	struct node *n_next;            /* next in the parent's list */
	/* directories */
	struct node *n_child, *n_last;  /* entries, in creation order */
	uint32_t n_nchild;
	/* files */
	uint64_t n_size;
	const char *n_data;             /* archive file: its bytes in the archive */
	char **n_blk;                   /* /tmp file: block table (NULL entry: a hole) */
	uint32_t n_nblk;                /* entries in n_blk */
	char n_name[FS_NAME_MAX + 1];
};

/* ---- pipes and held requests ---- */
struct fs_wait {
	struct fs_wait *w_next;         /* in its pipe's queue, or fs->drops */
	uint64_t w_token;               /* the glue's: the saved reply handle */
	int w_pid;
	int w_op;                       /* FS_READ or FS_WRITE */
	struct ofile *w_of;             /* holds a reference: the pipe end stays open */
	size_t w_max;                   /* read: at most this many bytes; write: its whole
	                                   length (atomic if <= FS_PIPE_BUF) */
	char *w_data;                   /* write: the bytes that did not fit when it came... */
	size_t w_len, w_done;           /* ...w_len of them, w_done in the pipe by now */
	size_t w_got;                   /* write: bytes in before it was held;
	                                   read: bytes taken (put back if undelivered) */
};

struct pipe {
	char *p_ring;
	uint32_t p_head, p_count;       /* oldest byte, bytes buffered */
	int p_readers, p_writers;       /* open files of each end */
	uint32_t p_ino;
	struct fs_wait *p_rq, *p_wq;    /* blocked readers, writers: first come first served */
	bool p_dirty;                   /* on fs->dirty: its waiters may progress */
	struct pipe *p_dirty_next;
	struct pipe *p_next;            /* fs->pipes: every pipe */
};

/* ---- open files and descriptor tables ---- */
struct ofile {
	int o_refs;                     /* descriptors (all processes) and held requests */
	int o_flags;                    /* O_ACCMODE bits | O_APPEND | O_NONBLOCK */
	uint8_t o_kind;                 /* FS_KIND_* */
	uint64_t o_off;                 /* file: byte offset; directory: entry index */
	struct node *o_node;            /* file, directory, tty (holds a reference) */
	struct pipe *o_pipe;            /* pipe: read end if O_RDONLY, else write end */
};

struct fs_proc {
	int p_pid;
	struct fs_proc *p_next;         /* hash chain */
	struct node *p_cwd;             /* holds a reference */
	uint64_t p_cloexec;             /* bit fd: close on exec */
	struct ofile *p_fd[FS_OPEN_MAX];
};
_Static_assert(FS_OPEN_MAX <= 64, "p_cloexec is one 64-bit mask");
_Static_assert(sizeof(struct fs_dirent) == 64, "uapi/fs.h: a record is 64 bytes");

struct fs {
	struct node *root, *tmp, *dev, *console;
	uint32_t next_ino;
	struct fs_proc *procs[FS_PROC_HASH];
	int nprocs;
	/* budgets: in use, limit (the tests lower the limits) */
	size_t tmp_data, tmp_data_max;
	size_t tmp_meta, tmp_meta_max;
	int npipes, npipes_max;
	int nwait, nwait_max;
	size_t held, held_max;
	/* wake-ups */
	struct pipe *pipes;             /* every pipe */
	struct pipe *dirty;             /* pipes whose waiters may progress */
	struct fs_wait *drops;          /* held requests of exited or exec'd processes */
	struct fs_wait *last;           /* the answer fs_wake() handed out last */
	/* the archive, as loaded */
	int archive_files, archive_skipped;
};

/* ---- a request and its reply, as the handlers see them ---- */
struct fs_req {
	uint64_t w[IPC_MAX_WORDS];      /* the words */
	const char *buf;                /* the request's buffer (not NUL-terminated), or NULL */
	size_t len;                     /* its bytes */
};

struct fs_res {
	unsigned nw;                    /* words in the reply */
	uint64_t w[4];
	char *obuf;                     /* in: IPC_MAX_BUF bytes of scratch for the reply buffer */
	const void *sbuf;               /* out: the reply's buffer (obuf or archive bytes)... */
	size_t slen;                    /* ...and its length */
	struct fs_wait *wait;           /* out, with FS_BLOCKED: the held request */
};

/* a held request that is done: answer it, or drop it */
struct fs_done {
	uint64_t token;                 /* the saved reply */
	bool drop;                      /* close it unanswered: its process exited or exec'd */
	int err;                        /* else the answer: label... */
	struct fs_res res;              /* ...words, buffer (res.obuf: the caller's, FS_PIPE_SIZE) */
};

/* mem.c: counted allocation */
void *fs_zalloc(size_t n);              /* zeroed; NULL when out of memory */
void fs_free(void *p);
size_t fs_mem_used(void);               /* bytes handed out and not freed */
size_t fs_mem_pages(void);              /* pages the blocks handed out have ever spanned */
void fs_mem_fail_after(long n);         /* tests: allocation n+1 from now fails (-1: never) */

/* tree.c: nodes, the archive, path lookup */
int fs_init(struct fs *fs, const void *archive, size_t len);   /* 0 or ENOMEM */
void fs_fini(struct fs *fs);            /* free everything (host tests; fdtable.c) */
void tree_fini(struct fs *fs);
struct node *node_new(struct fs *fs, struct node *dir, const char *name, int kind, int mode, bool tmp);
void node_unlink(struct fs *fs, struct node *n);
void node_get(struct node *n);
void node_put(struct fs *fs, struct node *n);
struct node *node_child(struct node *dir, const char *name);
bool node_dead(const struct node *n);

struct lookup {
	struct node *dir;               /* the directory holding the last component */
	struct node *node;              /* what the path names; NULL: the last component is missing */
	char name[FS_NAME_MAX + 1];     /* the last component: "" for "/", may be "." or ".." */
	bool slash;                     /* the path ends with '/' */
};
int fs_lookup(struct fs *fs, struct fs_proc *p, const char *path, size_t len, struct lookup *lk);
int fs_path_of(struct node *n, char *buf, size_t max, size_t *len);

/* tmpfs.c: /tmp file data */
size_t tmp_read(const struct node *n, uint64_t off, char *buf, size_t max);
int tmp_write(struct fs *fs, struct node *n, uint64_t off, const char *buf, size_t len, size_t *done);
int tmp_truncate(struct fs *fs, struct node *n, uint64_t len);
bool tmp_meta_take(struct fs *fs, size_t n);
void tmp_meta_give(struct fs *fs, size_t n);

/* fdtable.c: processes, descriptors, open files */
struct fs_proc *proc_find(struct fs *fs, int pid);
struct ofile *ofile_new(int kind, int flags);
void ofile_put(struct fs *fs, struct ofile *of);
struct ofile *fd_get(struct fs_proc *p, uint64_t fd);
int fd_alloc(struct fs_proc *p, int from);   /* lowest free fd >= from, or -1 */
void fd_install(struct fs_proc *p, int fd, struct ofile *of, bool cloexec);
int fd_close(struct fs *fs, struct fs_proc *p, uint64_t fd);

/* pipe.c: pipes and held requests */
int pipe_new(struct fs *fs, struct ofile **rd, struct ofile **wr);
void pipe_close_end(struct fs *fs, struct pipe *pp, bool writer);
int pipe_read(struct fs *fs, int pid, struct ofile *of, size_t max, struct fs_res *rs);
int pipe_write(struct fs *fs, int pid, struct ofile *of, const char *buf, size_t len, struct fs_res *rs);
void fs_wait_hold(struct fs_wait *w, uint64_t token);
int fs_wait_cancel(struct fs *fs, struct fs_wait *w, struct fs_res *rs);
void fs_wait_drop_pid(struct fs *fs, int pid);
int fs_wake(struct fs *fs, struct fs_done *d);
void fs_wake_failed(struct fs *fs);
void fs_wake_finish(struct fs *fs);

/* dispatch.c: one request; 0, an errno, or FS_BLOCKED */
int fs_dispatch(struct fs *fs, uint64_t badge, uint32_t label, const struct fs_req *rq, struct fs_res *rs);

/* the handlers (ops.c, fdtable.c): p is the caller, NULL for the control messages */
typedef int fs_handler_t(struct fs *fs, struct fs_proc *p, const struct fs_req *rq, struct fs_res *rs);
fs_handler_t fs_open, fs_close, fs_read, fs_write, fs_lseek, fs_dup, fs_dup2, fs_pipe, fs_fstat,
	fs_stat, fs_fcntl, fs_mkdir, fs_unlink, fs_rmdir, fs_getdents, fs_chdir, fs_getcwd,
	fs_ftruncate, fs_meminfo, fs_pnew, fs_pfork, fs_pexec, fs_pexit;
#endif
