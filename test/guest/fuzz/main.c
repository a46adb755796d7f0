/*
 * fuzz: the controller (docs/fuzz.md).  Run by init on the boot line
 * "fuzz SEED COUNT [options]", or by hand / by the leak suite:
 *
 *   fuzz SEED COUNT [from K] [verbose FROM] [uid N | uid0] [avoid LIST|known|none]
 *        [mem] [block] [chunk N] [progress N] [stall MS] [perworker] [quiet]
 *
 * It stays uid 0 itself (so no worker can kill it) and forks one worker per
 * chunk of the call sequence; a worker runs as uid N (1000 unless told) and
 * makes its calls (gen.c).  After each worker: kill whatever it left behind,
 * put back the system limits it lowered, and check that the proc, file and
 * console servers still answer (a probe child, killed if it hangs: a server
 * that does not answer is a server death).  At the end, with everything
 * reaped and /tmp as it was, the free pages and live kernel objects must be
 * what they were before.  Prints
 *   fuzz: N calls, P panics, H hangs, S server deaths, L pages leaked
 * (P and H are 0 if it gets there: the host counts those), then TEST PASS
 * fuzz-SEED or TEST FAIL fuzz-SEED: reason, and TESTS DONE.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fuzz.h"
#include "proc.h"
#include "uapi/fs.h"

#define NPROCS 256
#define NENTITY 16                       /* entity ids whose limits are put back: 0..15 */

static struct fz_opts opts = {
	.chunk = 500, .uid = 1000, .verbose_from = -1, .progress = 10000, .stall_ms = 500,
};

static struct {
	uint64_t pages, objs;
	uint64_t fs_bytes, fs_pages;        /* FS_MEMINFO: held now, heap pages touched */
	int pids[NPROCS], npids;
	int console;
	char tmp[64][FS_NAME_MAX + 1];
	int ntmp;
	uint64_t rctl[RCTL_N][NENTITY];     /* by entity id: every task, project, zone; base pids */
	bool rctl_ok[RCTL_N][NENTITY];
	int sysconf[3];
} base;

static uint64_t hz;
static bool per_worker;                  /* "perworker": the leak count after every worker */
static uint64_t start_at;                 /* "from K": begin with the worker of call K */
static bool quiet;                       /* "quiet": no TEST lines (the leak suite runs us) */
static struct proc_info procs[NPROCS];   /* one array for every listing: its pages come on first use */

static uint64_t now_ms(void)
{
	struct sysinfo si;
	sys_info(&si);
	return si.time / (hz / 1000);
}

static void sysinfo_now(uint64_t *pages, uint64_t *objs)
{
	struct sysinfo si;
	sys_info(&si);
	*pages = si.free_pages;
	*objs = si.kmem_objects;
}

/*
 * The file server's memory (FS_MEMINFO): the bytes it holds, and the pages of
 * its static heap it has touched, which stay mapped when freed.  A worker may
 * drive that high-water mark up (a /tmp more fragmented than the warm-up's):
 * the pages it took are the file server's, not lost, and the leak count
 * subtracts them; what it still holds after every worker is gone is a leak.
 */
static void fs_mem_now(uint64_t *bytes, uint64_t *pages)
{
	struct msg m = { .info = IPC_INFO(FS_MEMINFO, 0) };
	if (ipc_call(startinfo->h_fs, &m, NULL) == 0 && IPC_LABEL(m.info) == 0) {
		*bytes = m.w[0];
		*pages = m.w[1];
	} else {
		*bytes = *pages = 0;
	}
}

/* ---------- what the system looked like before ---------- */

static int list_procs(void)
{
	int n = proc_list(procs, NPROCS);
	return n < 0 ? 0 : n;
}

static int console_pid(const struct proc_info *pi, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(pi[i].name, "console") == 0 && pi[i].state != PS_ZOMB)
			return pi[i].pid;
	return -1;
}

static bool in_base(int pid)
{
	for (int i = 0; i < base.npids; i++)
		if (base.pids[i] == pid)
			return true;
	return false;
}

/* the i-th entity of rctl's kind: a process of the snapshot for the per-process ones, else id i */
static int64_t rctl_entity(int r, int i)
{
	if (r < RCTL_NPROCESS)
		return i < base.npids ? base.pids[i] : -1;   /* -1: none (never the caller's) */
	return i;
}

static void snapshot(void)
{
	const struct proc_info *pi = procs;
	int n = list_procs();
	DIR *d;
	struct dirent *de;

	base.npids = 0;
	for (int i = 0; i < n && base.npids < NPROCS; i++)
		base.pids[base.npids++] = pi[i].pid;
	base.console = console_pid(pi, n);
	base.ntmp = 0;
	if ((d = opendir("/tmp"))) {
		while ((de = readdir(d)) && base.ntmp < 64)
			snprintf(base.tmp[base.ntmp++], sizeof(base.tmp[0]), "%s", de->d_name);
		closedir(d);
	}
	for (int r = 0; r < RCTL_N; r++)
		for (int i = 0; i < NENTITY; i++)
			base.rctl_ok[r][i] = rctl_entity(r, i) >= 0 &&
					     proc_getrctl(r, rctl_entity(r, i), &base.rctl[r][i]) == 0;
	for (int i = 0; i < 3; i++)
		base.sysconf[i] = proc_sysconf(i, -1);
}

/* ---------- putting it back ---------- */

/*
 * A worker may lower its project's and zone's limits, and as uid 0 set
 * anyone's and the system's: back as they were (the workers' own tasks go
 * with them).
 */
static int restore_limits(void)
{
	int changed = 0;
	for (int r = 0; r < RCTL_N; r++)
		for (int i = 0; i < NENTITY; i++) {
			uint64_t v;
			if (base.rctl_ok[r][i] && proc_getrctl(r, rctl_entity(r, i), &v) == 0 && v != base.rctl[r][i]) {
				proc_setrctl(r, rctl_entity(r, i), base.rctl[r][i]);
				changed++;
			}
		}
	for (int i = 0; i < 3; i++)
		if (proc_sysconf(i, -1) != base.sysconf[i]) {
			proc_sysconf(i, base.sysconf[i]);
			changed++;
		}
	return changed;
}

/*
 * Kill every process that was not there before (orphans of workers: init
 * reaps them) and wait until they are gone.  Returns how many are left.
 */
static int kill_leftovers(int *killed)
{
	const struct proc_info *pi = procs;
	for (int round = 0; round < 400; round++) {
		int n = list_procs(), left = 0;
		for (int i = 0; i < n; i++) {
			if (in_base(pi[i].pid) || pi[i].pid == base.console || strcmp(pi[i].name, "console") == 0)
				continue;
			left++;
			if (pi[i].state != PS_ZOMB && kill(pi[i].pid, SIGKILL_NO) == 0 && round == 0)
				(*killed)++;
		}
		if (!left)
			return 0;
		usleep(5000);
		if (round == 399)
			return left;
	}
	return 0;
}

static bool tmp_was_there(const char *name)
{
	for (int i = 0; i < base.ntmp; i++)
		if (strcmp(base.tmp[i], name) == 0)
			return true;
	return false;
}

static void remove_tree(const char *path, int depth)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && depth < 8) {
		static char names[16][FS_NAME_MAX + 1];
		int n = 0;
		DIR *d = opendir(path);
		struct dirent *de;
		for (; d && (de = readdir(d)) && n < 16;)
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				snprintf(names[n++], sizeof(names[0]), "%s", de->d_name);
		if (d)
			closedir(d);
		for (int i = 0; i < n; i++) {
			char sub[FS_PATH_MAX];
			snprintf(sub, sizeof(sub), "%s/%s", path, names[i]);
			remove_tree(sub, depth + 1);
		}
		if (n == 16)
			remove_tree(path, depth);    /* more than we listed */
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* what the workers made in /tmp goes (the file server's memory for it comes back) */
static void clean_tmp(void)
{
	static char names[64][FS_NAME_MAX + 1];
	int n = 0;
	DIR *d = opendir("/tmp");
	struct dirent *de;
	for (; d && (de = readdir(d)) && n < 64;)
		if (!tmp_was_there(de->d_name))
			snprintf(names[n++], sizeof(names[0]), "%s", de->d_name);
	if (d)
		closedir(d);
	for (int i = 0; i < n; i++) {
		char path[FS_PATH_MAX];
		snprintf(path, sizeof(path), "/tmp/%s", names[i]);
		remove_tree(path, 0);
	}
}

/* failed forks' replies wait out their punish delay, exits and frees are messages: let them go */
static void settle(void)
{
	uint64_t fs[5], p0, o0, p1, o1;
	for (int i = 0; i < 1000; i++) {
		if (proc_forkstat(-1, fs) == 0 && fs[4] == 0)
			break;
		usleep(2000);
	}
	/* until two looks 20 ms apart agree */
	sysinfo_now(&p0, &o0);
	for (int i = 0; i < 50; i++) {
		usleep(20000);
		sysinfo_now(&p1, &o1);
		if (p1 == p0 && o1 == o0)
			break;
		p0 = p1;
		o0 = o1;
	}
}

/* ---------- children: workers and probes ---------- */

enum { CH_DONE, CH_DIED, CH_STALLED, CH_NOFORK };
static int child_errno;                  /* CH_NOFORK: why (pipe or fork) */
static uint64_t w_from, w_n;
static uint64_t found_at = ~0ull;        /* the first call a worker reported FOUND at */

/*
 * Run fn(arg) in a child with FZ_REPORT_FD the write end of a pipe it reports
 * 8-byte progress values on; kill it if it is silent for stall_ms.  *last
 * gets the highest value reported (or stays); done_at is the one it reports
 * when it is through.  Returns CH_*.
 */
/* what the child has reported on fd so far: its highest call in *last, a FOUND noted; true if anything came */
static bool drain_reports(int fd, uint64_t *last)
{
	uint64_t buf[64];
	ssize_t n;
	bool heard = false;
	while ((n = read(fd, buf, sizeof(buf))) >= 8) {
		for (ssize_t i = 0; i < n / 8; i++)
			if (buf[i] & FZ_FOUND_BIT) {
				uint64_t k = buf[i] & ~FZ_FOUND_BIT;
				/* a worker's random write may reach its own report pipe: only its calls count */
				if (k < w_from || k >= w_from + w_n)
					printf("fuzz: a stray word 0x%llx on the report pipe of calls %llu..: not a report\n",
					       (unsigned long long)buf[i], (unsigned long long)w_from);
				else if (found_at == ~0ull)
					found_at = k;
			} else if (buf[i] > *last) {
				*last = buf[i];
			}
		heard = true;
	}
	return heard;
}

static int run_child(void (*fn)(uint64_t), uint64_t arg, uint32_t stall_ms, uint64_t done_at, uint64_t *last,
		     int *status)
{
	int fds[2], pid, got = 0;
	uint64_t heard;
	bool stalled = false;

	if (pipe(fds)) {
		child_errno = errno;
		return CH_NOFORK;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (fds[1] != FZ_REPORT_FD) {
			dup2(fds[1], FZ_REPORT_FD);
			close(fds[1]);
		}
		fcntl(FZ_REPORT_FD, F_SETFL, O_WRONLY | O_NONBLOCK);
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0) {
		child_errno = errno;
		close(fds[0]);
		return CH_NOFORK;
	}
	fcntl(fds[0], F_SETFL, O_RDONLY | O_NONBLOCK);
	heard = now_ms();
	for (;;) {
		if (drain_reports(fds[0], last))
			heard = now_ms();
		got = waitpid(pid, status, WNOHANG);
		if (got == pid) {
			/* what it wrote between our last read and its exit is still in the pipe */
			drain_reports(fds[0], last);
			break;
		}
		if (got < 0 && errno != EINTR)
			break;
		if (now_ms() - heard > stall_ms) {
			stalled = true;
			kill(pid, SIGKILL_NO);
			waitpid(pid, status, 0);
			break;
		}
		usleep(1000);
	}
	close(fds[0]);
	if (stalled)
		return CH_STALLED;
	return WIFEXITED(*status) && WEXITSTATUS(*status) == 0 && *last == done_at ? CH_DONE : CH_DIED;
}

static void report_step(uint64_t v)
{
	write(FZ_REPORT_FD, &v, sizeof(v));
}

/* the probe: does each server still answer?  Reports the step it is at (1, 2, 3), 4 when done */
static void probe(uint64_t arg)
{
	struct msg m = { .info = IPC_INFO(CONS_WRITE, 0) };
	struct stat st;
	uint64_t ids[8];
	(void)arg;
	report_step(1);
	if (proc_ids(ids) || (int)ids[0] != getpid())
		_exit(1);
	report_step(2);
	if (stat("/", &st) || !S_ISDIR(st.st_mode))
		_exit(2);
	report_step(3);
	if (ipc_call(startinfo->h_console, &m, NULL) || IPC_LABEL(m.info) != 0)
		_exit(3);
	report_step(4);
}

static const char *const probe_steps[] = { "the proc server (fork)", "the proc server", "the file server",
					   "the console server", "" };

/* one worker's calls: from..from+n */
static void worker(uint64_t w)
{
	fz_worker(&opts, w, w_from, w_n);
}

/*
 * Everything the run does once before the count: an empty worker, a probe,
 * the cleaning up.  What it leaves is what any first time leaves (our heap,
 * stdio's buffer, our stack's pages, the servers' receive buffers, the
 * proc server's trace buffer, their tables growing to what a process needs).
 */
/*
 * Every server receives into a static buffer of IPC_MAX_BUF bytes whose
 * pages come on first touch: one message of that size to each (a label it
 * answers with an error) brings them all in before the count.
 */
static void touch_server_buffers(void)
{
	static char big[IPC_MAX_BUF];
	handle_t hs[3] = { startinfo->h_proc, startinfo->h_fs, startinfo->h_console };
	uint32_t labels[3] = { PROC_GETPID, FS_STAT, 99 };
	memset(big, 'x', sizeof(big));
	for (int i = 0; i < 3; i++) {
		struct msg m = { .info = IPC_INFO(labels[i], 0) };
		struct ipc_ext e = { .sbuf = (uint64_t)big, .slen = sizeof(big), .scap = -1 };
		ipc_call(hs[i], &m, &e);
	}
}

/*
 * The file server's heap is static too (build.mk fs_HEAP), its pages come on
 * first touch and stay when freed.  Workers fill /tmp and make pipes; so do
 * we, as far as they can go (a /tmp full, every pipe a process may have),
 * and give it all back: their memory is then reused, not new.  Reading the
 * file back, a full buffer at a time, brings in the server's reply buffer
 * (a worker's read of a file of its own fills all of it).
 */
static void touch_fs_heap(void)
{
	static char chunk[IPC_MAX_BUF];
	int fds[FS_OPEN_MAX], n = 0, fd;

	memset(chunk, 'y', sizeof(chunk));
	if ((fd = open("/tmp/fz-warm", O_RDWR | O_CREAT | O_TRUNC, 0644)) >= 0) {
		for (int i = 0; i < 256 && write(fd, chunk, sizeof(chunk)) == (ssize_t)sizeof(chunk); i++)
			;
		lseek(fd, 0, SEEK_SET);
		read(fd, chunk, sizeof(chunk));
		close(fd);
		unlink("/tmp/fz-warm");
	}
	while (n + 2 <= FS_OPEN_MAX && pipe(fds + n) == 0)
		n += 2;
	while (n > 0)
		close(fds[--n]);
}

/*
 * As uid 0 a worker may read the kernel's IPC trace through the proc server,
 * which copies it into a static buffer of its own (16 KiB): a full read
 * first brings those pages in.
 */
static void touch_trace_buffer(void)
{
	static struct trace_rec recs[256];
	uint64_t out[2], ids[8];
	if (proc_trace(TRACE_START, 0, NULL, 0, out) < 0)
		return;
	for (int i = 0; i < 300; i++)
		proc_ids(ids);
	proc_trace(TRACE_STOP, 0, NULL, 0, out);
	proc_trace(TRACE_READ, 0, recs, 256, out);
}

static __attribute__((noinline)) void touch_stack(void)
{
	volatile char deep[32 << 10];
	for (size_t i = 0; i < sizeof(deep); i += 512)
		deep[i] = 0;
}

static void warm_up(void)
{
	uint64_t last = 0;
	int status, killed = 0;
	touch_stack();                       /* its pages come on first touch, and stay */
	touch_server_buffers();
	touch_fs_heap();
	if (opts.uid == 0)
		touch_trace_buffer();
	w_from = 0;
	w_n = 0;
	run_child(worker, 0, opts.stall_ms, 0, &last, &status);
	kill_leftovers(&killed);
	restore_limits();
	console_pid(procs, list_procs());
	run_child(probe, 0, 5000, 4, &last, &status);
	clean_tmp();
	printf("fuzz: warmed up\n");
	fflush(stdout);
}

/* ---------- options ---------- */

static uint32_t parse_avoid(const char *s)
{
	uint32_t m = 0;
	if (strcmp(s, "known") == 0)
		return AVOID_KNOWN;
	if (strcmp(s, "none") == 0)
		return 0;
	for (; *s; s++)
		if (*s >= '1' && *s < '0' + BUG_NBUGS)
			m |= 1u << (*s - '0');
	return m;
}

static int parse(int argc, char **argv)
{
	if (argc < 3)
		return -1;
	opts.seed = strtoull(argv[1], NULL, 0);
	opts.count = strtoull(argv[2], NULL, 0);
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "from") == 0 && v)
			start_at = strtoull(v, NULL, 0), i++;
		else if (strcmp(a, "verbose") == 0 && v)
			opts.verbose_from = (int64_t)strtoull(v, NULL, 0), i++;
		else if (strcmp(a, "verbose") == 0)
			opts.verbose_from = 0;
		else if (strcmp(a, "uid0") == 0)
			opts.uid = 0;
		else if (strcmp(a, "uid") == 0 && v)
			opts.uid = (uint32_t)strtoul(v, NULL, 0), i++;
		else if (strcmp(a, "avoid") == 0 && v)
			opts.avoid = parse_avoid(v), i++;
		else if (strcmp(a, "mem") == 0)
			opts.mem = true;
		else if (strcmp(a, "block") == 0)
			opts.block = true;
		else if (strcmp(a, "perworker") == 0)
			per_worker = true;
		else if (strcmp(a, "quiet") == 0)
			quiet = true;
		else if (strcmp(a, "chunk") == 0 && v)
			opts.chunk = strtoull(v, NULL, 0), i++;
		else if (strcmp(a, "progress") == 0 && v)
			opts.progress = strtoull(v, NULL, 0), i++;
		else if (strcmp(a, "stall") == 0 && v)
			opts.stall_ms = (uint32_t)strtoul(v, NULL, 0), i++;
		else
			return -1;
	}
	if (!opts.chunk)
		opts.chunk = 500;
	if (!opts.progress)
		opts.progress = opts.chunk;
	return 0;
}

int main(int argc, char **argv)
{
	struct sysinfo si;
	uint64_t calls = 0, t0, ms, pages, objs, next_progress = 0, wpages, wobjs, wfs, fs_bytes, fs_pages;
	int64_t leaked;
	int deaths = 0, workers = 0, stalled = 0, died = 0, killed = 0, restored = 0, left = 0, finds = 0;
	char reason[160] = "";

	if (parse(argc, argv)) {
		printf("usage: fuzz SEED COUNT [from K] [verbose FROM] [uid N | uid0] [avoid LIST|known|none] [mem] [block]"
		       " [chunk N] [progress N] [stall MS]\n");
		printf("TEST FAIL fuzz: bad arguments\nTESTS DONE 0 1\n");
		return 1;
	}
	sys_info(&si);
	hz = si.timebase_hz ? si.timebase_hz : 10000000;
	printf("fuzz: seed %llu, %llu calls, chunk %llu, uid %u, avoid 0x%x%s%s, %llu harts\n",
	       (unsigned long long)opts.seed, (unsigned long long)opts.count, (unsigned long long)opts.chunk,
	       (unsigned)opts.uid, (unsigned)opts.avoid, opts.mem ? ", mem" : "", opts.block ? ", block" : "",
	       (unsigned long long)si.ncpus);
	fflush(stdout);
	if (getuid() != 0)
		printf("fuzz: note: not started as uid 0; limits cannot be put back\n");
	proc_newtask(1);                     /* outside the system project, as ptest is */
	snapshot();
	warm_up();
	settle();
	sysinfo_now(&base.pages, &base.objs);
	fs_mem_now(&base.fs_bytes, &base.fs_pages);
	wpages = base.pages;
	wobjs = base.objs;
	wfs = base.fs_pages;
	t0 = now_ms();

	next_progress = start_at / opts.chunk * opts.chunk;
	for (uint64_t w = start_at / opts.chunk; w * opts.chunk < opts.count; w++) {
		uint64_t last = 0, made;
		int status = 0, how, pstatus = 0;
		int cons;

		w_from = w * opts.chunk;
		w_n = opts.count - w_from < opts.chunk ? opts.count - w_from : opts.chunk;
		if (w_from >= next_progress) {
			printf("fuzz: seed %llu call %llu\n", (unsigned long long)opts.seed, (unsigned long long)w_from);
			fflush(stdout);
			next_progress += opts.progress;
		}
		last = w_from;
		how = run_child(worker, w, opts.stall_ms, w_from + w_n, &last, &status);
		if (how == CH_NOFORK) {
			snprintf(reason, sizeof(reason), "no more processes before worker %llu (calls %llu..): %s",
				 (unsigned long long)w, (unsigned long long)w_from, strerror(child_errno));
			printf("fuzz: %s\n", reason);
			break;
		}
		workers++;
		made = how == CH_DONE ? w_n : last - w_from + (last < w_from + w_n);
		if (last < w_from || made > w_n)
			made = w_n;
		calls += made;
		if (found_at != ~0ull) {
			finds++;
			if (!reason[0])
				snprintf(reason, sizeof(reason), "what must not be, first at call %llu (fuzz: FOUND)",
					 (unsigned long long)found_at);
			found_at = ~0ull;
		}
		if (how == CH_STALLED) {
			stalled++;
			if (opts.verbose_from >= 0)
				printf("fuzz: worker %llu stalled at call %llu: killed\n", (unsigned long long)w,
				       (unsigned long long)last);
		} else if (how == CH_DIED) {
			died++;
			if (opts.verbose_from >= 0)
				printf("fuzz: worker %llu ended after call %llu (status 0x%x)\n", (unsigned long long)w,
				       (unsigned long long)last, status);
		}
		left = kill_leftovers(&killed);
		if (left) {
			snprintf(reason + strlen(reason), sizeof(reason) - strlen(reason),
				 "%s%d processes of worker %llu cannot be killed", reason[0] ? "; " : "", left,
				 (unsigned long long)w);
			break;
		}
		restored += restore_limits();
		/* the servers: the console is init's child (restarted by it), the others are not */
		cons = console_pid(procs, list_procs());
		if (cons != base.console) {
			deaths++;
			printf("fuzz: the console server (pid %d) died in worker %llu (calls %llu..%llu); now pid %d\n",
			       base.console, (unsigned long long)w, (unsigned long long)w_from,
			       (unsigned long long)(w_from + w_n - 1), cons);
			base.console = cons;
		}
		if (per_worker) {
			/* which worker took them: settle and count after each one */
			uint64_t p1, o1, fb1, fp1;
			clean_tmp();
			settle();
			sysinfo_now(&p1, &o1);
			fs_mem_now(&fb1, &fp1);
			if (p1 != wpages || o1 != wobjs)
				printf("fuzz: worker %llu (calls %llu..%llu): %lld pages (%llu the file server's heap), "
				       "%+lld kernel objects\n",
				       (unsigned long long)w, (unsigned long long)w_from,
				       (unsigned long long)(w_from + w_n - 1), (long long)(wpages - p1),
				       (unsigned long long)(fp1 - wfs), (long long)(o1 - wobjs));
			wpages = p1;
			wobjs = o1;
			wfs = fp1;
		}
		last = 0;
		how = run_child(probe, 0, 5000, 4, &last, &pstatus);
		if (how == CH_NOFORK) {
			/* not a death: the system starves (limits, the proc server's handle table ...) */
			snprintf(reason, sizeof(reason), "no more processes after worker %llu (calls %llu..%llu): %s",
				 (unsigned long long)w, (unsigned long long)w_from,
				 (unsigned long long)(w_from + w_n - 1), strerror(child_errno));
			printf("fuzz: %s\n", reason);
			break;
		}
		if (how != CH_DONE) {
			deaths++;
			if (how == CH_STALLED)
				snprintf(reason, sizeof(reason), "%s does not answer within 5 s after worker %llu (calls %llu..%llu)",
					 probe_steps[last < 4 ? last : 4], (unsigned long long)w, (unsigned long long)w_from,
					 (unsigned long long)(w_from + w_n - 1));
			else
				snprintf(reason, sizeof(reason), "the probe ended (status 0x%x) before %s answered, after worker %llu (calls %llu..%llu)",
					 pstatus, probe_steps[last < 4 ? last : 4], (unsigned long long)w,
					 (unsigned long long)w_from, (unsigned long long)(w_from + w_n - 1));
			printf("fuzz: %s\n", reason);
			break;
		}
	}
	ms = now_ms() - t0;
	kill_leftovers(&killed);
	restore_limits();
	clean_tmp();
	settle();
	sysinfo_now(&pages, &objs);
	fs_mem_now(&fs_bytes, &fs_pages);
	/* the file server's heap grew by what it touched: its high-water mark, not a leak */
	leaked = (int64_t)(base.pages - pages) - (int64_t)(fs_pages - base.fs_pages);
	printf("\nfuzz: %llu calls in %llu ms (%llu calls/s): %d workers, %d stalled (killed), %d ended early, "
	       "%d leftover processes killed, %d limits put back, %d found, kernel objects %+lld\n",
	       (unsigned long long)calls, (unsigned long long)ms,
	       (unsigned long long)(ms ? calls * 1000 / ms : 0), workers, stalled, died, killed, restored, finds,
	       (long long)(objs - base.objs));
	printf("fuzz: the file server holds %+lld bytes, its heap touched %llu pages more\n",
	       (long long)(fs_bytes - base.fs_bytes), (unsigned long long)(fs_pages - base.fs_pages));
	printf("fuzz: %llu calls, 0 panics, 0 hangs, %d server deaths, %lld pages leaked\n",
	       (unsigned long long)calls, deaths, (long long)leaked);
	if (!reason[0] && deaths)
		snprintf(reason, sizeof(reason), "%d server deaths", deaths);
	if (!reason[0] && leaked)
		snprintf(reason, sizeof(reason), "%lld pages leaked", (long long)leaked);
	if (!reason[0] && fs_bytes != base.fs_bytes)
		snprintf(reason, sizeof(reason), "the file server holds %lld bytes more than before",
			 (long long)(fs_bytes - base.fs_bytes));
	if (!reason[0] && base.objs != objs)
		snprintf(reason, sizeof(reason), "%lld kernel objects leaked", (long long)(objs - base.objs));
	if (quiet)
		printf("fuzz: %s\n", reason[0] ? reason : "nothing found");
	else if (reason[0])
		printf("TEST FAIL fuzz-%llu: %s\nTESTS DONE 0 1\n", (unsigned long long)opts.seed, reason);
	else
		printf("TEST PASS fuzz-%llu\nTESTS DONE 1 0\n", (unsigned long long)opts.seed);
	fflush(stdout);
	return reason[0] ? 1 : 0;
}
