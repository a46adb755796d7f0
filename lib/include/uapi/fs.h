/*
 * The file server's protocol, shared by servers/fs and the libc stubs.
 *
 * Every process holds an fs handle badged with its pid (the proc server gives
 * it out, like the proc handle).  The fs server keeps, per pid, a descriptor
 * table (fd -> open file, plus the close-on-exec bit) and a current directory.
 * Badge 0 is the proc server itself: only it may send the FS_P* control
 * messages that create, copy and tear down tables.
 *
 * A request is a call; the reply label is 0 or a positive errno, results are
 * in the words.  Paths travel as a buffer (no NUL needed; at most FS_PATH_MAX
 * bytes), relative paths are taken from the caller's current directory.
 * docs/fs-protocol.md describes every message.
 *
 * Descriptors of kind FS_KIND_TTY name the console: the fs server never moves
 * their bytes.  libc asks FS_FSTAT once per descriptor and talks to the
 * console server directly for those; FS_READ/FS_WRITE on them get EOPNOTSUPP.
 */
#ifndef UAPI_FS_H
#define UAPI_FS_H
#include <stdint.h>

enum {
	/* ---- per-process calls (badge = the caller's pid) ---- */
	FS_OPEN = 1,    /* buf path, w0 flags (O_*), w1 mode -> w0 fd */
	FS_CLOSE,       /* w0 fd */
	FS_READ,        /* w0 fd, w1 max (<= IPC_MAX_BUF; the caller's rlen >= max) -> buf,
	                   w0 bytes (0: end of file); a pipe with no data and a writer holds
	                   the reply until data or EOF.  w2 FS_READ_WORDS (max <= FS_WORDS_MAX):
	                   the bytes come back in w1.. instead of a buffer */
	FS_WRITE,       /* w0 fd, buf -> w0 bytes; or, with no buffer, w1 bytes (<= FS_WORDS_MAX
	                   - 8) in w2.. (fewer: /tmp full, or a pipe's reader left
	                   during a held write that got some in); a pipe without room holds
	                   the reply until every byte is in (<= FS_PIPE_BUF: all at once);
	                   no reader left: EPIPE; O_NONBLOCK: EAGAIN or what fitted */
	FS_LSEEK,       /* w0 fd, w1 offset (signed), w2 whence (SEEK_*) -> w0 new offset; pipes,
	                   ttys: ESPIPE */
	FS_DUP,         /* w0 fd, w1 lowest new fd, w2 FD_CLOEXEC or 0 -> w0 new fd (F_DUPFD) */
	FS_DUP2,        /* w0 fd, w1 new fd (closed first if open; same fd: no-op) -> w0 new fd */
	FS_PIPE,        /* w0 0, O_CLOEXEC and/or O_NONBLOCK -> w0 read fd, w1 write fd */
	FS_FSTAT,       /* w0 fd -> w0 kind, w1 size, w2 inode, w3 mode (see below) */
	FS_STAT,        /* buf path -> w0..w3 as FS_FSTAT */
	FS_FCNTL,       /* w0 fd, w1 cmd (F_GETFD, F_SETFD, F_GETFL, F_SETFL; F_DUPFD and
	                   F_DUPFD_CLOEXEC as FS_DUP), w2 arg -> w0 value */
	FS_MKDIR,       /* buf path, w0 mode */
	FS_UNLINK,      /* buf path: a file (a directory: EISDIR, as Linux says it) */
	FS_RMDIR,       /* buf path: an empty directory */
	FS_GETDENTS,    /* w0 fd (a directory), w1 max bytes (>= one record, <= IPC_MAX_BUF)
	                   -> buf of struct fs_dirent records, w0 bytes (0: no more); "." and
	                   ".." first; the fd's offset counts entries */
	FS_CHDIR,       /* buf path */
	FS_GETCWD,      /* -> buf: the current directory (no NUL, <= FS_PATH_MAX bytes),
	                   w0 its length */
	FS_FTRUNCATE,   /* w0 fd, w1 length */
	FS_MEMINFO,     /* -> w0 bytes the server holds now, w1 pages of its static heap it
	                   has touched since boot (they stay mapped when freed: a high-water
	                   mark, which leak checks subtract) */
	/* ---- control (badge 0: the proc server only; others get EPERM) ---- */
	FS_PNEW = 0x100, /* w0 pid: a new table with 0, 1, 2 open on the console, cwd "/" */
	FS_PFORK,       /* w0 parent pid, w1 child pid: the child's table is a copy of the
	                   parent's (same open files, offsets shared), cwd copied */
	FS_PEXEC,       /* w0 pid: close the descriptors marked close-on-exec and drop any
	                   reply held for that pid (send it once exec has destroyed the
	                   process's other lwps) */
	FS_PEXIT,       /* w0 pid: close every descriptor, drop the table and any reply held
	                   for that pid (a blocked pipe read of a process being killed) */
	FS_NMSG
};

#define FS_PATH_MAX 256
#define FS_NAME_MAX 57
#define FS_OPEN_MAX 64          /* descriptors per process */
#define FS_PIPE_BUF 512         /* pipe writes up to this many bytes are atomic */

/* what FS_FSTAT and FS_STAT return, word by word */
/* small reads and writes carry their bytes in message words: no buffer, so the kernel's
 * IPC fast path takes them (a 1-byte pipe round trip is four such calls) */
#define FS_READ_WORDS 1
#define FS_WORDS_MAX  56               /* bytes in words w1..w7 */

enum { FS_KIND_FILE = 1, FS_KIND_DIR, FS_KIND_PIPE, FS_KIND_TTY, FS_KIND_NULL };   /* NULL: /dev/null */
/* w0 kind, w1 size in bytes (pipe: bytes buffered; directory: 64 per entry with "." and
   ".."; tty: 0), w2 inode number, w3 permission bits (the archive's, 0755 for directories
   it only implies; what was asked for new ones, no umask; ttys 0620, pipes 0600) */

struct fs_dirent {
	uint32_t ino;
	uint8_t kind;           /* FS_KIND_* */
	uint8_t namelen;
	char name[FS_NAME_MAX + 1];   /* NUL-terminated; a record is 64 bytes */
};

#endif
