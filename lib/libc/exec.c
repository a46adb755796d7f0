/*
 * exec and spawn: the request to the proc server is the path and the
 * argument and environment strings, NUL-terminated one after another, in
 * one buffer (at most IPC_MAX_BUF bytes: more is E2BIG); w0 = argc,
 * w1 = envc.  The proc server lays them out on the new image's stack.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "proc.h"
#include "libc.h"
#include "uapi/fs.h"

/* path (made absolute), argv and envp into buf; -1 with errno when they do not fit */
static long pack(char *buf, size_t max, const char *path, char *const argv[], char *const envp[],
		 uint64_t *argc, uint64_t *envc)
{
	size_t len = 0, n;

	if (!path || !*path) {
		errno = ENOENT;
		return -1;
	}
	if (path[0] != '/') {
		if (!getcwd(buf, max))
			return -1;
		len = strlen(buf);
		if (len > 1)
			buf[len++] = '/';
	}
	n = strlen(path) + 1;
	if (len + n > max) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf + len, path, n);
	len += n;
	*argc = *envc = 0;
	for (int pass = 0; pass < 2; pass++) {
		char *const *v = pass ? envp : argv;
		for (; v && *v; v++) {
			n = strlen(*v) + 1;
			if (len + n > max) {
				errno = E2BIG;
				return -1;
			}
			memcpy(buf + len, *v, n);
			len += n;
			++*(pass ? envc : argc);
		}
	}
	return (long)len;
}

static int send_image(uint32_t op, const char *path, char *const argv[], char *const envp[],
		      handle_t cap, int *pid)
{
	char buf[IPC_MAX_BUF];
	struct msg m = { 0 };
	long len = pack(buf, sizeof(buf), path, argv, envp, &m.w[0], &m.w[1]);
	struct ipc_ext e = { .sbuf = (uint64_t)buf, .slen = (uint64_t)len, .scap = cap, .scap_rights = R_ALL };

	if (len < 0)
		return -1;
	if (__proc_call(op, &m, 2, &e))
		return -1;
	if (pid)
		*pid = (int)m.w[0];
	return 0;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	send_image(PROC_EXEC, path, argv, envp, -1, NULL);
	return -1;          /* only a failure comes back */
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
	const char *p = getenv("PATH");
	char full[FS_PATH_MAX + 1];
	int err = ENOENT;

	if (!file || !*file) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/'))
		return execve(file, argv, envp);
	if (!p || !*p)
		p = "/bin";
	while (*p) {
		size_t dl = strcspn(p, ":"), fl = strlen(file);
		if (dl + 1 + fl + 1 <= sizeof(full)) {
			memcpy(full, p, dl);
			full[dl] = '/';
			memcpy(full + dl + 1, file, fl + 1);
			execve(dl ? full : file, argv, envp);
			if (errno != ENOENT && errno != ENOTDIR)
				return -1;   /* found, but it could not run: say why */
		} else {
			err = ENAMETOOLONG;
		}
		p += dl;
		if (*p == ':')
			p++;
	}
	errno = err;
	return -1;
}

int execvp(const char *file, char *const argv[])
{
	return execvpe(file, argv, environ);
}

#define MAX_LARGS 64
static int execl_common(int mode, const char *path, const char *arg0, va_list ap)
{
	char *argv[MAX_LARGS + 1];
	char **envp = environ;
	int n = 0;

	for (const char *a = arg0; a; a = va_arg(ap, const char *)) {
		if (n == MAX_LARGS) {
			errno = E2BIG;
			return -1;
		}
		argv[n++] = (char *)a;
	}
	argv[n] = NULL;
	if (mode == 1)
		envp = va_arg(ap, char **);
	return mode == 2 ? execvp(path, argv) : execve(path, argv, envp);
}

int execl(const char *path, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	int r = execl_common(0, path, arg0, ap);
	va_end(ap);
	return r;
}

int execle(const char *path, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	int r = execl_common(1, path, arg0, ap);
	va_end(ap);
	return r;
}

int execlp(const char *file, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	int r = execl_common(2, file, arg0, ap);
	va_end(ap);
	return r;
}

/* "path arg arg ...": split at spaces */
static int split(const char *cmd, char *copy, size_t max, char **argv, int maxargs)
{
	int n = 0;
	size_t len = strlen(cmd);
	if (len >= max) {
		errno = E2BIG;
		return -1;
	}
	memcpy(copy, cmd, len + 1);
	for (char *t = strtok(copy, " "); t && n < maxargs; t = strtok(NULL, " "))
		argv[n++] = t;
	argv[n] = NULL;
	return n;
}

int proc_spawn(const char *cmd, handle_t cap)
{
	char copy[512], *argv[MAX_LARGS + 1];
	int pid;
	if (split(cmd, copy, sizeof(copy), argv, MAX_LARGS) <= 0)
		return errno = errno ? errno : ENOENT, -1;
	return send_image(PROC_SPAWN, argv[0], argv, environ, cap, &pid) ? -1 : pid;
}

int proc_exec(const char *cmd)
{
	char copy[512], *argv[MAX_LARGS + 1];
	if (split(cmd, copy, sizeof(copy), argv, MAX_LARGS) <= 0)
		return errno = errno ? errno : ENOENT, -1;
	return execve(argv[0], argv, environ);
}

/* ---- posix_spawn: vfork, the file actions, exec ---- */
enum { FA_OPEN, FA_DUP2, FA_CLOSE };
struct fa { int op, fd, newfd, flags; mode_t mode; char *path; };
struct __posix_spawn_file_actions { int n; struct fa a[16]; };
struct __posix_spawnattr { short flags; pid_t pgroup; sigset_t mask, def; };

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	*fa = calloc(1, sizeof(**fa));
	return *fa ? 0 : ENOMEM;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
	for (int i = 0; *fa && i < (*fa)->n; i++)
		free((*fa)->a[i].path);
	free(*fa);
	*fa = NULL;
	return 0;
}

static struct fa *fa_add(posix_spawn_file_actions_t *fa, int op, int fd)
{
	struct fa *a;
	if (!*fa || (*fa)->n == 16 || fd < 0)
		return NULL;
	a = &(*fa)->a[(*fa)->n++];
	memset(a, 0, sizeof(*a));
	a->op = op;
	a->fd = fd;
	return a;
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa, int fd, const char *path, int flags,
				     mode_t mode)
{
	struct fa *a = fa_add(fa, FA_OPEN, fd);
	if (!a)
		return EINVAL;
	if (!(a->path = strdup(path))) {
		(*fa)->n--;
		return ENOMEM;
	}
	a->flags = flags;
	a->mode = mode;
	return 0;
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd)
{
	struct fa *a = newfd < 0 ? NULL : fa_add(fa, FA_DUP2, fd);
	if (!a)
		return EBADF;
	a->newfd = newfd;
	return 0;
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
	return fa_add(fa, FA_CLOSE, fd) ? 0 : EBADF;
}

int posix_spawnattr_init(posix_spawnattr_t *at)
{
	*at = calloc(1, sizeof(**at));
	return *at ? 0 : ENOMEM;
}

int posix_spawnattr_destroy(posix_spawnattr_t *at)
{
	free(*at);
	*at = NULL;
	return 0;
}

int posix_spawnattr_setflags(posix_spawnattr_t *at, short f) { (*at)->flags = f; return 0; }
int posix_spawnattr_getflags(const posix_spawnattr_t *at, short *f) { *f = (*at)->flags; return 0; }
int posix_spawnattr_setpgroup(posix_spawnattr_t *at, pid_t pg) { (*at)->pgroup = pg; return 0; }
int posix_spawnattr_getpgroup(const posix_spawnattr_t *at, pid_t *pg) { *pg = (*at)->pgroup; return 0; }
int posix_spawnattr_setsigmask(posix_spawnattr_t *at, const sigset_t *s) { (*at)->mask = *s; return 0; }
int posix_spawnattr_setsigdefault(posix_spawnattr_t *at, const sigset_t *s) { (*at)->def = *s; return 0; }

/* the child's side, in the parent's memory (vfork): returns only on failure */
static void spawn_child(int use_path, const char *path, const posix_spawn_file_actions_t *fa,
			const posix_spawnattr_t *at, char *const argv[], char *const envp[])
{
	if (at && *at && ((*at)->flags & POSIX_SPAWN_SETPGROUP) && setpgid(0, (*at)->pgroup))
		return;
	if (at && *at && ((*at)->flags & POSIX_SPAWN_SETSIGDEF)) {
		for (int s = 1; s < NSIG; s++)
			if (sigismember(&(*at)->def, s) && s != SIGKILL && s != SIGSTOP)
				signal(s, SIG_DFL);
	}
	for (int i = 0; fa && *fa && i < (*fa)->n; i++) {
		const struct fa *a = &(*fa)->a[i];
		int fd;
		switch (a->op) {
		case FA_OPEN:
			if ((fd = open(a->path, a->flags, a->mode)) < 0)
				return;
			if (fd != a->fd && (dup2(fd, a->fd) < 0 || close(fd)))
				return;
			break;
		case FA_DUP2:
			if (dup2(a->fd, a->newfd) < 0)
				return;
			break;
		case FA_CLOSE:
			if (close(a->fd) && errno != EBADF)
				return;
			break;
		}
	}
	if (use_path)
		execvpe(path, argv, envp);
	else
		execve(path, argv, envp);
}

static int spawn_common(int use_path, pid_t *pidp, const char *path, const posix_spawn_file_actions_t *fa,
			const posix_spawnattr_t *at, char *const argv[], char *const envp[])
{
	volatile int child_err = 0;     /* the vfork child writes it in our memory */
	int saved = errno, status;
	pid_t pid = vfork();

	if (pid < 0) {
		int e = errno;
		errno = saved;
		return e;
	}
	if (pid == 0) {
		spawn_child(use_path, path, fa, at, argv, envp);
		child_err = errno ? errno : ENOEXEC;
		_exit(127);
	}
	if (child_err) {
		waitpid(pid, &status, 0);
		errno = saved;
		return child_err;
	}
	if (pidp)
		*pidp = pid;
	errno = saved;
	return 0;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		const posix_spawnattr_t *at, char *const argv[], char *const envp[])
{
	return spawn_common(0, pid, path, fa, at, argv, envp);
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *at, char *const argv[], char *const envp[])
{
	return spawn_common(1, pid, file, fa, at, argv, envp);
}
