/*
 * A fuzz worker: one chunk of random kernel calls and server messages with
 * adversarial arguments, made as an ordinary process (fuzz.h, docs/fuzz.md).
 *
 * Each call is generated into a struct fz_regs, written to the ring (and, in
 * verbose mode, printed) before it is made, then made with a raw ecall.
 * What the generator knows is a pool of handle values: the server handles
 * from startinfo and every handle a call gave back, kept after they are
 * closed (stale).  A few handles are its own and never targeted: a dup of
 * the console (verbose lines), of the file server (progress reports on
 * descriptor FZ_REPORT_FD) and of the proc server (the final exit).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "fuzz.h"
#include "proc.h"
#include "uapi/fs.h"

_Static_assert(SYS_CALL == 4 && SYS_THREAD_EXIT == 32 && PROC_EXIT == 2, "ecall.S numbers");
_Static_assert(sizeof(struct fz_regs) == 120, "ecall.S layout");

#define NPOOL 48
#define NRING 64
#define ARENA (64u << 10)
#define GUEST_CODE_VA 0x10000ull
#define GUEST_STACK_VA 0x20000ull
#define KERNEL_VA 0xffffffc000000000ull

enum hkind { HK_ANY, HK_PROC, HK_FS, HK_CONS, HK_EP, HK_NTFN, HK_CS, HK_AS, HK_THREAD, HK_REPLY, HK_NKINDS };

struct hent {
	int64_t h;
	uint8_t kind;           /* HK_* */
	uint8_t stale;          /* closed by us (the value may name something else now) */
};

struct ringrec {
	uint64_t k;
	uint64_t nr, a0, a1, a2, a3, a4, a5;
};

static struct {
	const struct fz_opts *o;
	uint64_t rng;
	uint64_t k, end;           /* the next call's index, one past the last */
	struct hent pool[NPOOL];
	int npool;
	handle_t h_log, h_fsr, h_px;   /* ours: never targeted */
	uint64_t edge;             /* the break: mapped below, unmapped above */
	uint64_t stack_lo;
	struct ringrec ring[NRING];
	uint64_t started[NPOOL];   /* ids of the threads we started (SYS_HANDLE_INFO names them) */
	int nstarted;
	int pid;
	uint64_t since_report;
} z;

static __attribute__((aligned(4096))) uint8_t arena[ARENA];
extern char _end[];
static struct hent *pool_find(int64_t h);

/* ---------- the generator's randomness: xorshift64* ---------- */

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t rnd(void)
{
	z.rng ^= z.rng >> 12;
	z.rng ^= z.rng << 25;
	z.rng ^= z.rng >> 27;
	return z.rng * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }
static bool chance(unsigned percent) { return below(100) < percent; }

/* ---------- output: verbose lines and progress reports ---------- */

static void say(const char *s, size_t n)
{
	struct msg m = { .info = IPC_INFO(CONS_WRITE, 0) };
	struct ipc_ext e = { .sbuf = (uint64_t)s, .slen = n, .scap = -1 };
	ipc_call(z.h_log, &m, &e);
}

/* tell the controller how far we got: call k is about to be made */
static void report(uint64_t k)
{
	struct msg m = { .info = IPC_INFO(FS_WRITE, 3), .w = { FZ_REPORT_FD, 8, k } };
	ipc_call(z.h_fsr, &m, NULL);
	z.since_report = 0;
}

static const char *const sys_names[SYS_NCALLS] = {
	"NULL", "DEBUG_PUTS", "YIELD", "SEND", "CALL", "RECV", "REPLY", "REPLYRECV", "REPLY_SAVE",
	"EP_CREATE", "NTFN_CREATE", "NTFN_SIGNAL", "NTFN_WAIT", "NTFN_POLL", "NTFN_BIND",
	"HANDLE_DUP", "HANDLE_CLOSE", "HANDLE_GIVE", "HANDLE_INFO", "CSPACE_CREATE", "CSPACE_CLEAR",
	"CSPACE_CLONE", "HANDLE_REPLACE", "AS_CREATE", "AS_MAP", "AS_UNMAP", "AS_COPY",
	"AS_MAP_DEVICE", "AS_PROTECT", "AS_CLONE", "THREAD_CREATE", "THREAD_START", "THREAD_EXIT",
	"THREAD_SUSPEND", "THREAD_RESUME", "THREAD_DESTROY", "THREAD_SET_PRIO", "THREAD_READ_REGS",
	"THREAD_WRITE_REGS", "THREAD_CLONE", "NTFN_TIMER", "IRQ_GET", "IRQ_BIND", "IRQ_ACK",
	"SYSINFO", "POWEROFF", "TRACE", "THREAD_INTERRUPT", "THREAD_SETCONTEXT", "THREAD_NAME",
	"DEVICE_SUB",
};

static bool is_ipc(uint64_t nr)
{
	return nr == SYS_SEND || nr == SYS_CALL || nr == SYS_RECV || nr == SYS_REPLY || nr == SYS_REPLYRECV;
}

/* "fuzz: seed S call K: SYS_X(a0,...)" and, for a message, its words and ext */
static void print_call(uint64_t k, const struct fz_regs *r, const char *what)
{
	static char line[400];
	uint64_t nr = r->a[7];
	int n;
	char name[24];

	if (nr < SYS_NCALLS)
		snprintf(name, sizeof(name), "SYS_%s", sys_names[nr]);
	else
		snprintf(name, sizeof(name), "SYS_%llu", (unsigned long long)nr);
	n = snprintf(line, sizeof(line), "fuzz: seed %llu call %llu: %s(%llx,%llx,%llx,%llx,%llx,%llx)",
		     (unsigned long long)z.o->seed, (unsigned long long)k, name,
		     (unsigned long long)r->a[0], (unsigned long long)r->a[1], (unsigned long long)r->a[2],
		     (unsigned long long)r->a[3], (unsigned long long)r->a[4], (unsigned long long)r->a[5]);
	if (is_ipc(nr)) {
		n += snprintf(line + n, sizeof(line) - (size_t)n, " w4-7=%llx,%llx,%llx,%llx t4=%llx",
			      (unsigned long long)r->t[0], (unsigned long long)r->t[1],
			      (unsigned long long)r->t[2], (unsigned long long)r->t[3], (unsigned long long)r->t[4]);
		if (r->t[4] >= (uint64_t)arena && r->t[4] + sizeof(struct ipc_ext) <= (uint64_t)arena + ARENA &&
		    !(r->t[4] & 7)) {
			const struct ipc_ext *e = (const void *)r->t[4];
			n += snprintf(line + n, sizeof(line) - (size_t)n, " ext{s=%llx/%llu r=%llx/%llu cap=%lld/%llx}",
				      (unsigned long long)e->sbuf, (unsigned long long)e->slen,
				      (unsigned long long)e->rbuf, (unsigned long long)e->rlen,
				      (long long)e->scap, (unsigned long long)e->scap_rights);
		}
	}
	if (what)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " [%s]", what);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	say(line, (size_t)n);
}

/* ---------- making a call ---------- */

static bool known_proc(int64_t h);
static uint64_t rnd_ext(bool *sends);
static bool in_exts(uint64_t p);
static bool in_strings(uint64_t p, uint64_t len);

/* the type of what h names and, for a thread, its id; OBJ_NONE if nothing */
static uint64_t type_of(int64_t h, uint64_t *id)
{
	uint64_t type, rights;
	if (handle_info(h, &type, &rights, id))
		return OBJ_NONE;
	return type;
}

/* an endpoint no server receives on (ours, or one we cannot tell): a message there waits for good */
static bool waits_for_good(int64_t h)
{
	struct hent *e = pool_find(h);
	uint64_t id;
	if (e && !e->stale && (e->kind == HK_PROC || e->kind == HK_FS || e->kind == HK_CONS))
		return false;
	return type_of(h, &id) == OBJ_ENDPOINT;
}

/* a console handle, or one we cannot tell from one */
static bool may_be_console(int64_t h)
{
	struct hent *e = pool_find(h);
	uint64_t id;
	if (e && !e->stale)
		return e->kind == HK_CONS || e->kind == HK_ANY;
	return type_of(h, &id) == OBJ_ENDPOINT;
}

/*
 * What no message may do, whatever handle it goes to (any of them may be the
 * proc server's): a fork's child goes on fuzzing (ecall.S makes it exit: the
 * check is armed for every PROC_FORKSYS label, and w1 is 0 where a reply
 * from another server could keep it); exec or spawn anything but our list of
 * paths (never a suite, a shell, this program); unless "block", read the
 * console (the read is held until a line is typed); and, as uid 0, power
 * off or kill anyone but ourselves.
 */
static void sanitize(struct fz_regs *r)
{
	uint32_t label = IPC_LABEL(r->a[1]);

	r->forkcheck = label == PROC_FORKSYS;
	if (label == PROC_FORKSYS && !known_proc((int64_t)r->a[0]))
		r->a[3] = 0;
	if (label == PROC_SPAWN || label == PROC_EXEC) {
		struct ipc_ext *e;
		bool sends;
		if (!in_exts(r->t[4]))
			r->t[4] = rnd_ext(&sends);
		e = (struct ipc_ext *)r->t[4];
		if (e->slen && !in_strings(e->sbuf, e->slen))
			e->slen = 0;
	}
	if (label == CONS_READ && !z.o->block && may_be_console((int64_t)r->a[0]))
		r->a[1] = (r->a[1] & ~0xffffffffull) | CONS_TCGETPGRP;   /* held until a line is typed */
	if (z.o->uid == 0) {
		if (label == PROC_POWEROFF)
			r->a[1] = (r->a[1] & ~0xffffffffull) | PROC_GETPID;
		if (label == PROC_KILL)
			r->a[2] = (uint64_t)z.pid;
	}
}

static bool was_started(int64_t th)
{
	uint64_t id;
	if (type_of(th, &id) != OBJ_THREAD)
		return false;
	for (int i = 0; i < z.nstarted; i++)
		if (z.started[i] == id)
			return true;
	return false;
}

static void note_started(int64_t th)
{
	uint64_t id;
	if (type_of(th, &id) == OBJ_THREAD && !was_started(th) && z.nstarted < NPOOL)
		z.started[z.nstarted++] = id;
}

/*
 * The known bugs we were told to stay away from ("avoid"): true if this call
 * would reach one; it is then not made (and not counted).  What the handles
 * name is asked of the kernel (SYS_HANDLE_INFO, not counted either), so a
 * guessed handle value is judged as what it is.
 */
static bool avoided(const struct fz_regs *r)
{
	const struct fz_opts *o = z.o;
	uint64_t id, nr = r->a[7];

	switch (nr) {
	case SYS_NTFN_BIND:
		return AVOIDING(o, BUG_NTFN_BIND_UNSTARTED) && type_of((int64_t)r->a[1], &id) == OBJ_THREAD &&
		       !was_started((int64_t)r->a[1]);
	case SYS_THREAD_WRITE_REGS:
		return AVOIDING(o, BUG_WRITE_REGS_SENDER) && type_of((int64_t)r->a[0], &id) == OBJ_THREAD &&
		       was_started((int64_t)r->a[0]);
	case SYS_HANDLE_GIVE: case SYS_HANDLE_REPLACE: {
		uint64_t t = type_of((int64_t)r->a[nr == SYS_HANDLE_GIVE ? 1 : 2], &id);
		return AVOIDING(o, BUG_CSPACE_CYCLE) && (t == OBJ_CSPACE || t == OBJ_THREAD);
	}
	case SYS_THREAD_START: case SYS_THREAD_RESUME:
		return AVOIDING(o, BUG_THREAD_OUTLIVES) && type_of((int64_t)r->a[0], &id) == OBJ_THREAD;
	case SYS_AS_UNMAP: case SYS_AS_PROTECT:
		return AVOIDING(o, BUG_UNMAP_SLOW) && r->a[2] >= (1ull << 30) && type_of((int64_t)r->a[0], &id) == OBJ_AS;
	case SYS_AS_MAP:
		return !o->mem && AVOIDING(o, BUG_NO_MEM_ACCOUNTING) && r->a[2] > (16ull << 20) &&
		       type_of((int64_t)r->a[0], &id) == OBJ_AS;
	default:
		return false;
	}
}

/*
 * Call k: into the ring, printed when verbose, reported when it may block
 * (a message: the server may hold it) or every 16 calls; then made.
 */
static long make(struct fz_regs *r, const char *what, bool may_block)
{
	struct ringrec *rr = &z.ring[z.k % NRING];
	long st;

	if (z.k >= z.end)
		return -1000;           /* past the chunk (a recipe's last steps): not made */
	if (z.o->avoid && avoided(r))
		return -1001;
	rr->k = z.k;
	rr->nr = r->a[7];
	rr->a0 = r->a[0];
	rr->a1 = r->a[1];
	rr->a2 = r->a[2];
	rr->a3 = r->a[3];
	rr->a4 = r->a[4];
	rr->a5 = r->a[5];
	if (is_ipc(r->a[7]))
		sanitize(r);
	if (z.o->verbose_from >= 0 && z.k >= (uint64_t)z.o->verbose_from)
		print_call(z.k, r, what);
	if (may_block || ++z.since_report >= 16)
		report(z.k);
	r->exit_h = (uint64_t)z.h_px;
	z.k++;
	st = fz_ecall(r);
	return st;
}

/* print the ring: the last calls made, oldest first */
static void dump_ring(const char *why)
{
	char line[160];
	int n = snprintf(line, sizeof(line), "fuzz: seed %llu: %s; the last calls:\n",
			 (unsigned long long)z.o->seed, why);
	say(line, (size_t)n);
	for (uint64_t i = z.k > NRING ? z.k - NRING : 0; i < z.k; i++) {
		const struct ringrec *rr = &z.ring[i % NRING];
		n = snprintf(line, sizeof(line), "fuzz:   call %llu: nr %llu (%llx,%llx,%llx,%llx,%llx,%llx)\n",
			     (unsigned long long)rr->k, (unsigned long long)rr->nr,
			     (unsigned long long)rr->a0, (unsigned long long)rr->a1, (unsigned long long)rr->a2,
			     (unsigned long long)rr->a3, (unsigned long long)rr->a4, (unsigned long long)rr->a5);
		say(line, (size_t)n);
	}
}

/* ---------- the pool of handles ---------- */

static void pool_add(int64_t h, enum hkind kind)
{
	struct hent *e;
	for (int i = 0; i < z.npool; i++)
		if (z.pool[i].h == h) {          /* a slot reused: the new object */
			z.pool[i] = (struct hent){ .h = h, .kind = (uint8_t)kind };
			return;
		}
	if (z.npool < NPOOL)
		e = &z.pool[z.npool++];
	else
		e = &z.pool[3 + below(NPOOL - 3)];   /* the first three: the servers */
	*e = (struct hent){ .h = h, .kind = (uint8_t)kind };
}

static struct hent *pool_find(int64_t h)
{
	for (int i = 0; i < z.npool; i++)
		if (z.pool[i].h == h)
			return &z.pool[i];
	return NULL;
}

/* a live entry of this kind, or NULL */
static struct hent *pool_pick(enum hkind kind)
{
	int idx[NPOOL], n = 0;
	for (int i = 0; i < z.npool; i++)
		if (!z.pool[i].stale && (kind == HK_ANY || z.pool[i].kind == kind))
			idx[n++] = i;
	return n ? &z.pool[idx[below((uint64_t)n)]] : NULL;
}

static bool ours(int64_t h) { return h == z.h_log || h == z.h_fsr || h == z.h_px; }

/* a handle argument: mostly one of the kind wanted, else anything from live to absurd */
static int64_t rnd_handle(enum hkind kind)
{
	struct hent *e;
	int64_t h;
	unsigned r = (unsigned)below(100);

	if (r < 60 && (e = pool_pick(kind)))
		h = e->h;
	else if (r < 75 && z.npool)
		h = z.pool[below((uint64_t)z.npool)].h;        /* any, stale ones too */
	else if (r < 85) {
		static const int64_t odd[] = { -1, 0, 1, 127, 128, 255, 256, 0x7fffffff, -2, 0x100, 0x17f };
		h = odd[below(sizeof(odd) / sizeof(odd[0]))];
	} else if (r < 95 && z.npool) {
		h = z.pool[below((uint64_t)z.npool)].h;
		h = chance(50) ? h + 0x100 * (int64_t)(1 + below(3)) : (h & ~0xffll) | (int64_t)below(128);
	} else {
		h = (int64_t)rnd();
	}
	if (ours(h))
		h += 0x100;                   /* a stale generation of it instead */
	return h;
}

/* ---------- adversarial numbers ---------- */

static uint64_t edge_addr(void)
{
	switch (below(4)) {
	case 0: return z.edge;                       /* the break */
	case 1: return ((uint64_t)_end + 4095) & ~4095ull;   /* end of the image */
	case 2: return 0x10000000ull;                /* the stack's top (USER_STACK_TOP) */
	default: return z.stack_lo;                  /* the stack's bottom */
	}
}

/* a pointer for len bytes; writable: the kernel may write there (never our own state) */
static uint64_t rnd_ptr(uint64_t len, bool writable)
{
	unsigned r = (unsigned)below(100);
	if (len > ARENA)
		len = ARENA;
	if (r < 55)
		return (uint64_t)arena + (below(ARENA - len + 1) & ~7ull);
	if (r < 61)
		return below(4) ? 0 : below(0x10000);
	if (r < 69) {
		static const uint64_t kva[] = { KERNEL_VA, 0xffffffc080200000ull, 0xffffffff80000000ull,
			0xfffffffffffff000ull, 0x80200000ull, 0x8000000000ull };
		return kva[below(6)] + (chance(50) ? below(1u << 20) : 0);
	}
	if (r < 79)
		return edge_addr() - below(len + 1);     /* straddles the end of a mapping */
	if (r < 85)
		return (uint64_t)arena + 1 + below(7);   /* misaligned */
	if (r < 89)   /* read-only text to write; our state to read (never the text: its strings
			 could print a verdict line on the console) */
		return writable ? (uint64_t)fz_guest_loop : (uint64_t)&z;
	if (r < 94)
		return USER_VA_MAX - below(2) * 8 - (chance(50) ? len : 0);
	return rnd();
}

static uint64_t rnd_len(void)
{
	switch (below(12)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 8;
	case 3: return below(64);
	case 4: return below(300);
	case 5: return 4096;
	case 6: return IPC_MAX_BUF;
	case 7: return IPC_MAX_BUF + 1 + below(4);
	case 8: return 1ull << (10 + below(30));
	case 9: return ~0ull - below(4096);
	case 10: return 1ull << 63;
	default: return below(8192);
	}
}

static uint64_t rnd_word(void)
{
	switch (below(10)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return ~0ull;
	case 3: return below(16);
	case 4: return below(300);
	case 5: return 0x7fffffffull + below(3);
	case 6: return 0xffff0000ull + below(8);
	case 7: return 1ull << below(64);
	case 8: return rnd_ptr(64, false);
	default: return rnd();
	}
}

/* a page-aligned user range of modest size (the known slow and memory bugs aside) */
static void rnd_range(uint64_t *va, uint64_t *len, bool huge_ok)
{
	unsigned r = (unsigned)below(100);
	*va = (USER_VA_MIN + below(USER_VA_MAX - USER_VA_MIN)) & ~4095ull;
	*len = (1 + below(16)) << 12;
	if (r < 8)
		*va += 1 + below(4095);                  /* misaligned */
	else if (r < 14)
		*len += 1 + below(4095);
	else if (r < 18)
		*len = 0;
	else if (r < 24)
		*va = below(USER_VA_MIN) & ~4095ull;
	else if (r < 30)
		*va = USER_VA_MAX - *len + (chance(50) ? 4096 : 0);   /* the end of user space */
	else if (r < 34)
		*va = KERNEL_VA + (below(1024) << 12);
	else if (r < 38)
		*va = GUEST_CODE_VA, *len = 4096;
	else if (r < 44 && huge_ok) {
		*va = USER_VA_MIN;
		*len = chance(50) ? USER_VA_MAX - USER_VA_MIN : (1ull << (20 + below(18)));
	} else if (r < 48)
		*len = ~0ull & ~4095ull;                  /* wraps */
}

static int64_t rnd_prio(void)
{
	switch (below(6)) {
	case 0: return -1;
	case 1: return 32;
	case 2: return 10 + (int64_t)below(3);     /* ours (10) and above */
	default: return (int64_t)below(10);
	}
}

/* ---------- strings and buffers ---------- */

static const char *const paths[] = {
	"/", "/tmp", "/tmp/fz0", "/tmp/fz1", "/tmp/fzd", "/tmp/fzd/x", "/dev/null", "/bin", "/bin/true",
	"/bin/false", "/test/notelf", "/test/truncated", "/nonexistent", "/tmp/fz0/", "..", ".", "",
	"/tmp/fz0/../fz1", "//tmp///fz1", "/bin/true/x", "/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))
#define STRINGS_OFF (ARENA - 4096)      /* the arena's last page: strings we lay out */

/* a buffer to send and its length: a path, a command line, or any bytes */
static void rnd_sbuf(uint64_t *buf, uint64_t *len)
{
	char *s = (char *)arena + STRINGS_OFF + (below(8) << 9);
	unsigned r = (unsigned)below(100);
	if (r < 40) {
		const char *p = paths[below(NPATHS)];
		size_t n = strlen(p);
		memcpy(s, p, n + 1);
		*buf = (uint64_t)s;
		*len = chance(80) ? n : chance(50) ? n + 1 : below(512);
	} else if (r < 55) {
		/* an exec or spawn line: path NUL args NUL env: the counts go in w0, w1 */
		const char *p = paths[below(NPATHS)];
		size_t n = strlen(p) + 1;
		memcpy(s, p, n);
		for (int i = (int)below(4); i > 0 && n < 500; i--)
			s[n++] = (char)('a' + below(3)), s[n++] = 0;
		*buf = (uint64_t)s;
		*len = chance(90) ? n : below(512);
	} else {
		*len = rnd_len();
		*buf = rnd_ptr(*len, false);
	}
}

/* the struct ipc_ext of a message, or a pointer that is not one */
static uint64_t rnd_ext(bool *sends)
{
	struct ipc_ext *e = (struct ipc_ext *)(arena + (below(16) << 6));   /* the arena's first KiB */
	*sends = false;
	if (chance(12))
		return rnd_ptr(sizeof(*e), true);
	memset(e, 0, sizeof(*e));
	e->scap = -1;
	if (chance(50))
		rnd_sbuf(&e->sbuf, &e->slen), *sends = true;
	if (chance(70)) {
		e->rlen = chance(70) ? IPC_MAX_BUF : rnd_len();
		e->rbuf = rnd_ptr(e->rlen, true);
		if (e->rbuf >= (uint64_t)arena && e->rbuf < (uint64_t)arena + 1024)
			e->rbuf += 1024;             /* not over the exts */
		if (e->rbuf < (uint64_t)arena + ARENA && e->rbuf + (e->rlen < ARENA ? e->rlen : ARENA) >
		    (uint64_t)arena + STRINGS_OFF && e->rbuf >= (uint64_t)arena)
			e->rlen = (uint64_t)arena + STRINGS_OFF - e->rbuf;
	}
	if (chance(20)) {
		e->scap = rnd_handle(HK_ANY);
		e->scap_rights = chance(50) ? R_ALL : rnd();
		*sends = true;
	}
	return (uint64_t)e;
}

/* ---------- kernel calls ---------- */

static void regs_clear(struct fz_regs *r)
{
	memset(r, 0, sizeof(*r));
}

/* what a call that made something hands back in a1 */
static void took(long st, const struct fz_regs *r, enum hkind kind)
{
	if (st == 0)
		pool_add((int64_t)r->a[1], kind);
}

/* random registers for a thread of ours to run: mostly our guest loop making some call */
static void rnd_user_regs(struct user_regs *u)
{
	for (int i = 0; i < 32; i++)
		u->x[i] = rnd_word();
	u->pc = chance(80) ? GUEST_CODE_VA : rnd_word();
	u->x[2] = chance(80) ? GUEST_STACK_VA + 4096 : u->x[2];
	u->x[17] = chance(70) ? below(SYS_NCALLS) : u->x[17];   /* a7 */
	u->x[10] = (uint64_t)rnd_handle(HK_ANY);               /* a0 */
	if (chance(5))
		u->x[11] = 0xffff0000ull | below(8);             /* a kernel label in a1 */
}

/* one kernel call, number nr, with arguments made for it */
static void kcall(uint64_t nr)
{
	struct fz_regs r;
	struct hent *e;
	uint64_t va, len;
	long st;
	bool sends;

	regs_clear(&r);
	r.a[7] = nr;
	for (int i = 0; i < 6; i++)
		r.a[i] = chance(20) ? rnd_word() : 0;
	switch (nr) {
	case SYS_DEBUG_PUTS: case SYS_TRACE: case SYS_IRQ_GET: case SYS_POWEROFF:
		/* a sysctl we do not have: any handle */
		r.a[0] = (uint64_t)rnd_handle(HK_ANY);
		r.a[1] = nr == SYS_DEBUG_PUTS ? rnd_ptr(64, false) : below(5);
		r.a[2] = nr == SYS_DEBUG_PUTS ? below(300) : rnd_ptr(4096, true);
		r.a[3] = below(3000);
		break;
	case SYS_SEND: case SYS_CALL: case SYS_RECV: case SYS_REPLY: case SYS_REPLYRECV: {
		/* on our own objects (the servers' messages are elsewhere): blocking ones are rare */
		enum hkind k = chance(50) ? HK_EP : chance(50) ? HK_REPLY : HK_ANY;
		r.a[0] = (uint64_t)rnd_handle(k);
		if ((nr == SYS_SEND || nr == SYS_CALL || nr == SYS_RECV || nr == SYS_REPLYRECV) &&
		    !z.o->block && waits_for_good((int64_t)r.a[0]) && chance(99))
			r.a[0] = (uint64_t)rnd_handle(HK_NTFN);  /* a wrong type instead of a wait for good */
		r.a[1] = IPC_INFO(chance(10) ? 0xffff0000u | (uint32_t)below(8) : (uint32_t)rnd_word(), below(16));
		r.a[1] |= chance(60) ? IPC_EXT : 0;
		r.a[1] |= chance(40) ? IPC_EXT_SEND : 0;
		r.a[1] |= chance(5) ? rnd() & ~0xfffffffffull : 0;
		for (int i = 2; i < 6; i++)
			r.a[i] = rnd_word();
		for (int i = 0; i < 4; i++)
			r.t[i] = rnd_word();
		r.t[4] = rnd_ext(&sends);
		st = make(&r, NULL, true);
		if (st == 0 && (r.a[1] & IPC_GOT_CAP) && r.t[4] >= (uint64_t)arena &&
		    r.t[4] < (uint64_t)arena + 1024)
			pool_add(((struct ipc_ext *)r.t[4])->rcap, HK_ANY);
		return;
	}
	case SYS_REPLY_SAVE:
		st = make(&r, NULL, false);
		took(st, &r, HK_REPLY);
		return;
	case SYS_EP_CREATE: case SYS_NTFN_CREATE: case SYS_CSPACE_CREATE: case SYS_AS_CREATE:
		if (chance(50))
			r.a[0] = (uint64_t)rnd_handle(HK_ANY);   /* the coming sysctl argument */
		st = make(&r, NULL, false);
		took(st, &r, nr == SYS_EP_CREATE ? HK_EP : nr == SYS_NTFN_CREATE ? HK_NTFN :
			     nr == SYS_CSPACE_CREATE ? HK_CS : HK_AS);
		return;
	case SYS_NTFN_SIGNAL: case SYS_NTFN_POLL:
		r.a[0] = (uint64_t)rnd_handle(HK_NTFN);
		r.a[1] = rnd_word();
		break;
	case SYS_NTFN_WAIT:
		r.a[0] = (uint64_t)rnd_handle(HK_NTFN);
		if ((e = pool_find((int64_t)r.a[0])) && !e->stale && e->kind == HK_NTFN && !z.o->block) {
			/* our own: a timer first, so the wait ends (unless the fuzz takes it away) */
			struct fz_regs t;
			struct sysinfo si;
			sys_info(&si);
			regs_clear(&t);
			t.a[7] = SYS_NTFN_TIMER;
			t.a[0] = r.a[0];
			t.a[1] = 1ull << below(64);
			t.a[2] = si.time + si.timebase_hz / 500;
			make(&t, "timer before a wait", false);
		}
		make(&r, NULL, true);
		return;
	case SYS_NTFN_BIND:
		r.a[0] = (uint64_t)rnd_handle(HK_NTFN);
		r.a[1] = (uint64_t)rnd_handle(HK_THREAD);
		break;
	case SYS_HANDLE_DUP:
		r.a[0] = (uint64_t)rnd_handle(HK_ANY);
		r.a[1] = chance(50) ? R_ALL : rnd();
		r.a[2] = chance(50) ? 0 : rnd_word();
		e = pool_find((int64_t)r.a[0]);
		st = make(&r, NULL, false);
		took(st, &r, e ? (enum hkind)e->kind : HK_ANY);
		return;
	case SYS_HANDLE_CLOSE:
		r.a[0] = (uint64_t)rnd_handle(HK_ANY);
		st = make(&r, NULL, false);
		if (st == 0 && (e = pool_find((int64_t)r.a[0])))
			e->stale = 1;
		return;
	case SYS_HANDLE_GIVE: case SYS_HANDLE_REPLACE: {
		int64_t cs = rnd_handle(HK_CS), h = rnd_handle(HK_ANY);
		r.a[0] = (uint64_t)cs;
		if (nr == SYS_HANDLE_GIVE) {
			r.a[1] = (uint64_t)h;
			r.a[2] = chance(50) ? R_ALL : rnd();
			r.a[3] = chance(50) ? 0 : rnd_word();
		} else {
			r.a[1] = chance(50) ? (uint64_t)rnd_handle(HK_ANY) : (1 + below(3)) << 8 | below(130);
			r.a[2] = (uint64_t)h;
			r.a[3] = chance(50) ? R_ALL : rnd();
			r.a[4] = chance(50) ? 0 : rnd_word();
		}
		break;
	}
	case SYS_HANDLE_INFO:
		r.a[0] = (uint64_t)rnd_handle(HK_ANY);
		break;
	case SYS_CSPACE_CLEAR:
		r.a[0] = (uint64_t)rnd_handle(HK_CS);
		break;
	case SYS_CSPACE_CLONE: case SYS_AS_CLONE:
		r.a[0] = (uint64_t)rnd_handle(nr == SYS_CSPACE_CLONE ? HK_CS : HK_AS);
		st = make(&r, NULL, false);
		took(st, &r, nr == SYS_CSPACE_CLONE ? HK_CS : HK_AS);
		return;
	case SYS_AS_MAP: case SYS_AS_UNMAP: case SYS_AS_PROTECT:
		r.a[0] = (uint64_t)rnd_handle(HK_AS);
		rnd_range(&va, &len, nr == SYS_AS_MAP ? z.o->mem || !AVOIDING(z.o, BUG_NO_MEM_ACCOUNTING) :
			  !AVOIDING(z.o, BUG_UNMAP_SLOW));
		r.a[1] = va;
		r.a[2] = len;
		r.a[3] = chance(80) ? 1 + below(7) : rnd_word();
		break;
	case SYS_AS_COPY:
		r.a[0] = (uint64_t)rnd_handle(HK_AS);
		rnd_range(&va, &len, false);
		r.a[1] = chance(50) ? va : GUEST_STACK_VA + below(8192);
		r.a[3] = chance(50) ? len : rnd_len();
		r.a[2] = rnd_ptr(r.a[3], false);
		break;
	case SYS_AS_MAP_DEVICE:
		r.a[0] = (uint64_t)rnd_handle(HK_ANY);
		r.a[1] = (uint64_t)rnd_handle(HK_AS);
		rnd_range(&va, &len, false);
		r.a[2] = va;
		r.a[3] = chance(50) ? 0x10000000ull : rnd_word() & ~4095ull;   /* virt's UART */
		r.a[4] = len;
		break;
	case SYS_DEVICE_SUB:
		r.a[0] = (uint64_t)rnd_handle(HK_ANY);
		r.a[1] = chance(50) ? 0x10000000ull : rnd_word();
		r.a[2] = chance(50) ? 4096 : rnd_len();
		st = make(&r, NULL, false);
		took(st, &r, HK_ANY);
		return;
	case SYS_THREAD_CREATE:
		r.a[0] = (uint64_t)rnd_handle(HK_AS);
		r.a[1] = (uint64_t)rnd_handle(HK_CS);
		r.a[2] = (uint64_t)rnd_prio();
		r.a[3] = chance(40) ? ~0ull : (uint64_t)rnd_handle(chance(50) ? HK_EP : HK_PROC);
		st = make(&r, NULL, false);
		took(st, &r, HK_THREAD);
		return;
	case SYS_THREAD_CLONE:
		r.a[0] = (uint64_t)rnd_handle(HK_THREAD);
		r.a[1] = (uint64_t)rnd_handle(HK_AS);
		r.a[2] = (uint64_t)rnd_handle(HK_CS);
		r.a[3] = chance(40) ? ~0ull : (uint64_t)rnd_handle(HK_EP);
		r.a[4] = below(4);
		r.a[5] = rnd_word();
		st = make(&r, NULL, false);
		took(st, &r, HK_THREAD);
		return;
	case SYS_THREAD_START: case SYS_THREAD_RESUME:
		r.a[0] = (uint64_t)rnd_handle(HK_THREAD);
		e = pool_find((int64_t)r.a[0]);
		if (nr == SYS_THREAD_START) {
			r.a[1] = chance(80) ? GUEST_CODE_VA : rnd_word();
			r.a[2] = chance(80) ? GUEST_STACK_VA + 4096 : rnd_word();
			r.a[3] = rnd_word();
			r.a[4] = rnd_word();
		}
		st = make(&r, NULL, false);
		if (st == 0)
			note_started((int64_t)r.a[0]);
		return;
	case SYS_THREAD_SUSPEND: case SYS_THREAD_DESTROY: case SYS_THREAD_INTERRUPT:
		r.a[0] = (uint64_t)rnd_handle(HK_THREAD);
		break;
	case SYS_THREAD_SET_PRIO:
		r.a[0] = (uint64_t)rnd_handle(HK_THREAD);
		r.a[1] = (uint64_t)rnd_prio();
		break;
	case SYS_THREAD_READ_REGS:
		r.a[0] = (uint64_t)rnd_handle(HK_THREAD);
		r.a[1] = rnd_ptr(sizeof(struct user_regs), true);
		break;
	case SYS_THREAD_WRITE_REGS: {
		struct user_regs *u = (struct user_regs *)(arena + 1024 + (below(4) << 9));
		r.a[0] = (uint64_t)rnd_handle(HK_THREAD);
		rnd_user_regs(u);
		r.a[1] = chance(85) ? (uint64_t)u : rnd_ptr(sizeof(*u), false);
		break;
	}
	case SYS_THREAD_TIMES:
		r.a[0] = chance(30) ? ~0ull : (uint64_t)rnd_handle(HK_THREAD);
		break;
	case SYS_THREAD_NAME:
		r.a[0] = (uint64_t)rnd_handle(HK_THREAD);
		r.a[2] = chance(70) ? below(17) : rnd_len();
		r.a[1] = rnd_ptr(r.a[2], false);
		break;
	case SYS_NTFN_TIMER: {
		struct sysinfo si;
		sys_info(&si);
		r.a[0] = (uint64_t)rnd_handle(HK_NTFN);
		r.a[1] = rnd_word();
		r.a[2] = chance(60) ? si.time + below(si.timebase_hz / 100) : rnd_word();
		break;
	}
	case SYS_IRQ_BIND: case SYS_IRQ_ACK:
		r.a[0] = (uint64_t)rnd_handle(HK_ANY);
		r.a[1] = (uint64_t)rnd_handle(HK_NTFN);
		r.a[2] = rnd_word();
		break;
	case SYS_SYSINFO:
		r.a[0] = rnd_ptr(sizeof(struct sysinfo), true);
		break;
	case SYS_THREAD_EXIT:
		r.a[0] = rnd_word();
		make(&r, "the worker ends itself", false);
		return;
	case SYS_THREAD_SETCONTEXT: {
		struct user_regs *u = (struct user_regs *)(arena + 1024 + (below(4) << 9));
		rnd_user_regs(u);
		r.a[0] = chance(70) ? (uint64_t)u : rnd_ptr(sizeof(*u), false);
		make(&r, "the worker ends itself", false);
		return;
	}
	default:
		break;          /* SYS_NULL, SYS_YIELD, numbers past the end: as they are */
	}
	make(&r, NULL, false);
}

/* ---------- server messages ---------- */

static const char *const proc_names[] = {
	"?", "FORKSYS", "EXIT", "WAITID", "GETPID", "SETSID", "SETPGID", "GETSID", "GETPGID",
	"LWP_CREATE", "LWP_EXIT", "RCTL_GET", "RCTL_SET", "NEWTASK", "SETUID", "SPAWN", "EXEC",
	"LIST", "FORKSTAT", "SYSCONF", "SIGPOLL", "FAULT_INJECT", "POWEROFF", "KILL", "SBRK",
	"SIGACTION", "TTY_QUERY", "TRACE", "CONSOLE", "SIGMASK", "SIGPENDING", "SIGSUSPEND", "SIGWAIT",
	"LWP_KILL", "GETCRED", "SETCRED", "SETGROUPS", "SCHED", "SIGQUEUE", "SIGALTSTACK", "SETITIMER", "TIMES", "UMASK",
};
_Static_assert(sizeof(proc_names) / sizeof(proc_names[0]) == PROC_NMSG, "a name for every proc message");

static uint64_t rnd_pid(void)
{
	switch (below(6)) {
	case 0: return 0;
	case 1: return (uint64_t)z.pid;
	case 2: return 1;
	case 3: return (uint64_t)-(int64_t)(1 + below(20));
	case 4: return below(40);
	default: return rnd_word();
	}
}

static uint64_t rnd_fd(void)
{
	uint64_t fd = chance(85) ? below(FS_OPEN_MAX + 4) : rnd_word();
	return fd == FZ_REPORT_FD ? FZ_REPORT_FD - 1 : fd;   /* our progress pipe */
}

/*
 * A message to a server on one of its handles (or any handle, as if it were
 * one).  uid 0 may do what ends the test for everyone: no power-off, no kill
 * but of ourselves, no lowered system limits are left behind (the controller
 * puts them back).
 */
static void message(void)
{
	struct fz_regs r;
	unsigned which = (unsigned)below(100);
	enum hkind k = which < 45 ? HK_PROC : which < 80 ? HK_FS : HK_CONS;
	uint32_t label;
	const char *what = NULL;
	char name[32];
	bool sends;
	struct hent *e;
	long st;

	regs_clear(&r);
	r.a[7] = chance(92) ? SYS_CALL : SYS_SEND;
	r.a[0] = chance(85) ? (uint64_t)rnd_handle(k) : (uint64_t)rnd_handle(HK_ANY);
	if (!z.o->block && waits_for_good((int64_t)r.a[0]))
		r.a[0] = z.pool[k == HK_PROC ? 0 : k == HK_FS ? 1 : 2].h;   /* no one answers on our own */
	if (k == HK_PROC) {
		label = chance(90) ? 1 + (uint32_t)below(PROC_NMSG) : (uint32_t)rnd_word();
	} else if (k == HK_FS) {
		label = chance(85) ? 1 + (uint32_t)below(FS_NMSG - 0x100 + FS_MEMINFO + 1) : (uint32_t)rnd_word();
		if (label > FS_MEMINFO && label < 0x100)
			label = FS_PNEW + (label - FS_MEMINFO - 1);
	} else {
		label = chance(90) ? (uint32_t)below(6) : (uint32_t)rnd_word();
	}
	/* the messages that end the worker: rarely, or a chunk is over at once */
	if (k == HK_PROC && (label == PROC_EXIT || label == PROC_LWP_EXIT || label == PROC_EXEC ||
			     label == PROC_KILL) && chance(90))
		label = PROC_GETPID;
	for (int i = 0; i < 4; i++)
		r.a[2 + i] = rnd_word(), r.t[i] = rnd_word();
	r.t[4] = chance(50) ? rnd_ext(&sends) : 0;
	/* sensible words for the messages, most of the time */
	if (k == HK_PROC && chance(75)) {
		switch (label) {
		case PROC_FORKSYS: r.a[2] = below(4); r.a[3] = below(4); break;
		case PROC_WAITID: r.a[2] = chance(50) ? IDT_ALL : below(8); r.a[3] = rnd_pid();
			r.a[4] = chance(80) ? (PW_EXITED | PW_NOHANG) : rnd_word(); break;
		case PROC_SETPGID: case PROC_GETSID: case PROC_GETPGID: r.a[2] = rnd_pid(); r.a[3] = rnd_pid(); break;
		case PROC_LWP_CREATE:
			r.a[2] = chance(60) ? (uint64_t)fz_lwp_exit : chance(50) ? (uint64_t)fz_lwp_spin : rnd_word();
			r.a[3] = rnd_ptr(64, true); break;
		case PROC_RCTL_GET: case PROC_RCTL_SET: r.a[2] = below(RCTL_N + 1);
			r.a[3] = chance(50) ? ~0ull : below(4); r.a[4] = chance(50) ? below(100) : rnd_word(); break;
		case PROC_NEWTASK: r.a[2] = chance(50) ? ~0ull : below(3); break;
		case PROC_SETUID: r.a[2] = chance(50) ? 1000 : rnd_word(); r.a[3] = 1000; break;
		case PROC_SPAWN: case PROC_EXEC: r.a[2] = below(4); r.a[3] = below(3);
			if (!r.t[4] || chance(50))
				r.t[4] = rnd_ext(&sends);
			break;
		case PROC_FORKSTAT: r.a[2] = chance(50) ? ~0ull : below(3); break;
		case PROC_SYSCONF: r.a[2] = below(5); r.a[3] = chance(70) ? ~0ull : below(300); break;
		case PROC_KILL: r.a[2] = rnd_pid(); r.a[3] = chance(50) ? SIGKILL_NO : below(65); break;
		case PROC_SIGQUEUE: r.a[2] = rnd_pid(); r.a[3] = chance(30) ? SIGKILL_NO : below(65); r.a[4] = rnd_word(); break;
		case PROC_SETITIMER: r.a[2] = below(4); r.a[3] = below(3); r.a[4] = chance(50) ? below(3) * 100000000ull : rnd_word();
			r.a[5] = chance(50) ? 0 : rnd_word(); break;
		case PROC_SIGALTSTACK: r.a[2] = below(3); r.a[3] = chance(50) ? rnd_ptr(8192, true) : rnd_word();
			r.a[4] = chance(50) ? 8192 : rnd_word(); r.a[5] = below(4); r.a[6] = rnd_word(); break;
		case PROC_UMASK: r.a[2] = below(3); r.a[3] = chance(50) ? 022 : rnd_word(); break;
		case PROC_TIMES: r.a[2] = below(4); r.a[3] = chance(60) ? below(4) : rnd_word(); break;
		case PROC_SBRK: r.a[2] = chance(70) ? below(5) << 12 : rnd_word(); break;
		case PROC_SIGACTION: r.a[2] = below(65); r.a[3] = below(4); r.a[4] = rnd_ptr(8, false); break;
		case PROC_TRACE: r.a[2] = 1 + below(3); r.a[3] = below(10); break;
		case PROC_SIGMASK: r.a[2] = below(4); r.a[3] = chance(50) ? 1ull << below(65) : rnd_word(); break;
		case PROC_SIGSUSPEND: r.a[2] = chance(80) ? 0 : rnd_word(); break;   /* held until a signal */
		case PROC_SIGWAIT: r.a[2] = chance(50) ? 1ull << below(64) : rnd_word();
			r.a[3] = chance(70) ? below(2000000) : rnd_word(); r.a[4] = chance(80) ? 1 : below(3); break;
		case PROC_LWP_KILL: r.a[2] = below(4); r.a[3] = below(65); break;
		case PROC_SCHED: r.a[2] = below(5); r.a[3] = below(4); r.a[4] = below(4); r.a[5] = below(24); break;
		case PROC_SETCRED: r.a[2] = below(8); r.a[3] = chance(50) ? 1000 + below(3) : rnd_word();
			r.a[4] = chance(50) ? 1000 + below(3) : chance(50) ? ~0ull : rnd_word(); break;
		default: break;
		}
	} else if (k == HK_FS && chance(75)) {
		r.a[2] = rnd_fd();
		switch (label) {
		case FS_OPEN: r.a[2] = chance(70) ? below(4) | (chance(40) ? O_CREAT : 0) | (chance(20) ? O_TRUNC : 0) |
				(chance(10) ? O_NONBLOCK : 0) : rnd_word(); r.a[3] = 0644; break;
		case FS_READ: r.a[3] = chance(50) ? below(57) : rnd_len(); r.a[4] = below(2); break;
		case FS_WRITE: r.a[3] = below(60); break;
		case FS_LSEEK: r.a[3] = rnd_word(); r.a[4] = below(4); break;
		case FS_DUP: case FS_DUP2: r.a[3] = rnd_fd(); r.a[4] = below(2); break;
		case FS_PIPE: r.a[2] = chance(70) ? 0 : rnd_word(); break;
		case FS_FCNTL: r.a[3] = below(8); r.a[4] = rnd_word(); break;
		case FS_GETDENTS: r.a[3] = chance(50) ? 64 * (1 + below(4)) : rnd_len(); break;
		case FS_FTRUNCATE: r.a[3] = chance(50) ? below(10000) : rnd_word(); break;
		default: break;
		}
		if (label == FS_OPEN || label == FS_STAT || label == FS_MKDIR || label == FS_UNLINK ||
		    label == FS_RMDIR || label == FS_CHDIR || (label == FS_WRITE && chance(50))) {
			bool s2;
			if (!r.t[4])
				r.t[4] = rnd_ext(&s2);
		}
	} else if (k == HK_CONS && label == CONS_WRITE && chance(80)) {
		/* what it prints: lower-case letters, so it never reads as a verdict or a panic */
		static char text[80];
		size_t n = below(sizeof(text));
		struct ipc_ext *e = (struct ipc_ext *)(arena + (below(16) << 6));
		for (size_t i = 0; i < n; i++)
			text[i] = chance(3) ? '\n' : (char)('a' + below(26));
		memset(e, 0, sizeof(*e));
		e->sbuf = (uint64_t)text;
		e->slen = chance(90) ? n : rnd_len() & 0x3fff;
		if (e->slen > n)
			e->sbuf = rnd_ptr(e->slen, false);   /* whatever is there, or a fault */
		e->scap = -1;
		r.t[4] = (uint64_t)e;
	}
	if (k == HK_CONS && label == CONS_READ && !z.o->block)
		label = CONS_TCGETPGRP;                   /* held until a line is typed: never */
	if (k == HK_PROC && label == PROC_SIGSUSPEND && !z.o->block)
		label = PROC_SIGPENDING;                  /* held until a signal: for a worker, never */
	if (k == HK_PROC && label == PROC_SIGWAIT && !z.o->block) {
		r.a[4] = 1;                               /* timed, and briefly */
		r.a[3] %= 2000000;
	}
	if (k == HK_CONS && label != CONS_WRITE && r.t[4] && !z.o->block) {
		struct ipc_ext *e = (struct ipc_ext *)r.t[4];
		if (e >= (struct ipc_ext *)arena && e < (struct ipc_ext *)(arena + 1024) && e->slen > 64)
			e->slen = 64;                      /* bytes it would print */
	}
	if (k == HK_PROC && label == PROC_SBRK && !z.o->mem && AVOIDING(z.o, BUG_NO_MEM_ACCOUNTING) &&
	    r.a[2] > (16u << 20))
		r.a[2] &= (16u << 20) - 1;
	r.a[1] = IPC_INFO(label, chance(90) ? 1 + below(8) : below(16));
	if (r.t[4])
		r.a[1] |= IPC_EXT | (chance(90) ? IPC_EXT_SEND : 0);
	e = pool_find((int64_t)r.a[0]);
	if (k == HK_PROC)
		snprintf(name, sizeof(name), "proc %s", label < PROC_NMSG ? proc_names[label] : "?");
	else
		snprintf(name, sizeof(name), "%s %u", k == HK_FS ? "fs" : "cons", (unsigned)label);
	what = name;
	uint64_t incr = r.a[2];
	st = make(&r, what, true);
	if (st == 0 && (r.a[1] & IPC_GOT_CAP) && r.t[4] >= (uint64_t)arena && r.t[4] < (uint64_t)arena + 1024)
		pool_add(((struct ipc_ext *)r.t[4])->rcap, HK_ANY);
	/* the heap grew: its new end is the edge pointers straddle */
	if (st == 0 && k == HK_PROC && label == PROC_SBRK && IPC_LABEL(r.a[1]) == 0 && e && e->kind == HK_PROC &&
	    r.a[2] + ((incr + 4095) & ~4095ull) > r.a[2])
		z.edge = r.a[2] + ((incr + 4095) & ~4095ull);
}

static bool known_proc(int64_t h)
{
	struct hent *e = pool_find(h);
	return e && e->kind == HK_PROC && !e->stale;
}

static bool in_exts(uint64_t p)
{
	return p >= (uint64_t)arena && p + sizeof(struct ipc_ext) <= (uint64_t)arena + 1024 && !(p & 7);
}

static bool in_strings(uint64_t p, uint64_t len)
{
	return p >= (uint64_t)arena + STRINGS_OFF && len <= ARENA && p + len <= (uint64_t)arena + ARENA;
}

/* ---------- recipes: a few calls in a row that get somewhere ---------- */

/* one call made with these arguments -> its status; *out (if given) gets a1 */
static long kc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, const char *what, uint64_t *out)
{
	struct fz_regs r;
	long st;
	regs_clear(&r);
	r.a[7] = nr;
	r.a[0] = a0;
	r.a[1] = a1;
	r.a[2] = a2;
	r.a[3] = a3;
	st = make(&r, what, false);
	if (out)
		*out = st == 0 ? r.a[1] : ~0ull;
	return st;
}

/* an address space with the guest loop and a stack, and a handle table -> 0, or the first error */
static long guest_space(int64_t *as, int64_t *cs, const char *what)
{
	uint64_t h;
	long st = kc(SYS_AS_CREATE, 0, 0, 0, 0, what, &h);
	if (st)
		return st;
	pool_add(*as = (int64_t)h, HK_AS);
	/* SYS_AS_COPY writes only where the page is writable: the code goes in, then becomes R|X */
	kc(SYS_AS_MAP, h, GUEST_CODE_VA, 4096, PROT_R | PROT_W, NULL, NULL);
	kc(SYS_AS_COPY, h, GUEST_CODE_VA, (uint64_t)fz_guest_loop, (uint64_t)(fz_guest_loop_end - fz_guest_loop),
	   NULL, NULL);
	kc(SYS_AS_PROTECT, h, GUEST_CODE_VA, 4096, PROT_R | PROT_X | (chance(10) ? PROT_W : 0), NULL, NULL);
	kc(SYS_AS_MAP, h, GUEST_STACK_VA, 8192, PROT_R | PROT_W, NULL, NULL);
	if ((st = kc(SYS_CSPACE_CREATE, 0, 0, 0, 0, NULL, &h)))
		return st;
	pool_add(*cs = (int64_t)h, HK_CS);
	return 0;
}

/*
 * A thread of our own in an address space of our own: the guest loop mapped
 * and copied in, a handle table, the thread, maybe started.  Every step is
 * one fuzz call (a failing one, e.g. once SYS_AS_CREATE is privileged, just
 * makes the next ones fail too).
 */
static void recipe_thread(void)
{
	struct fz_regs r;
	int64_t as, cs, th;
	long st;

	if (guest_space(&as, &cs, "recipe: thread"))
		return;
	if (chance(60)) {
		/* something for it to call: an endpoint or a server */
		regs_clear(&r);
		r.a[7] = SYS_HANDLE_GIVE;
		r.a[0] = (uint64_t)cs;
		r.a[1] = (uint64_t)rnd_handle(chance(50) ? HK_EP : chance(50) ? HK_NTFN : HK_PROC);
		r.a[2] = R_ALL;
		make(&r, NULL, false);
	}

	regs_clear(&r);
	r.a[7] = SYS_THREAD_CREATE;
	r.a[0] = (uint64_t)as;
	r.a[1] = (uint64_t)cs;
	r.a[2] = below(10);                              /* below ours: a spinning one only takes idle time */
	r.a[3] = chance(40) ? ~0ull : (uint64_t)rnd_handle(chance(70) ? HK_EP : HK_PROC);
	st = make(&r, NULL, false);
	took(st, &r, HK_THREAD);
	if (st || chance(30))
		return;
	th = (int64_t)r.a[1];
	regs_clear(&r);
	r.a[7] = SYS_THREAD_START;
	r.a[0] = (uint64_t)th;
	r.a[1] = GUEST_CODE_VA;
	r.a[2] = GUEST_STACK_VA + 4096;
	r.a[3] = (uint64_t)rnd_handle(HK_ANY);
	st = make(&r, NULL, false);
	if (st == 0)
		note_started(th);
}

/* bug 1's sequence: a notification bound to a thread never started, its handle closed, a signal */
static void recipe_bind_close(void)
{
	int64_t as, cs;
	uint64_t th, n;
	if (guest_space(&as, &cs, "recipe: bind, close, signal") ||
	    kc(SYS_THREAD_CREATE, (uint64_t)as, (uint64_t)cs, below(10), ~0ull, NULL, &th) ||
	    kc(SYS_NTFN_CREATE, 0, 0, 0, 0, NULL, &n))
		return;
	pool_add((int64_t)th, HK_THREAD);
	pool_add((int64_t)n, HK_NTFN);
	if (kc(SYS_NTFN_BIND, n, th, 0, 0, NULL, NULL))
		return;
	kc(SYS_HANDLE_CLOSE, th, 0, 0, 0, NULL, NULL);
	kc(SYS_NTFN_SIGNAL, n, 1ull << below(64), 0, 0, NULL, NULL);
	if (chance(50))
		kc(SYS_HANDLE_CLOSE, n, 0, 0, 0, NULL, NULL);
}

static void found(const char *what);

/*
 * Bug 2's sequence: a thread of ours blocked sending on an endpoint of ours,
 * its registers rewritten to a kernel label, then we receive: a kernel label
 * from a thread's send is a forgery (the thread has no fault endpoint, so no
 * real fault can come this way).
 */
static void recipe_forge(void)
{
	static struct user_regs u;
	struct ipc_ext *e = (struct ipc_ext *)(arena + (below(16) << 6));
	struct fz_regs r;
	int64_t as, cs;
	uint64_t ep, hep, th;
	long st;

	if (guest_space(&as, &cs, "recipe: forge a kernel label") ||
	    kc(SYS_EP_CREATE, 0, 0, 0, 0, NULL, &ep))
		return;
	pool_add((int64_t)ep, HK_EP);
	if (kc(SYS_HANDLE_GIVE, (uint64_t)cs, ep, R_ALL, 0, NULL, &hep) ||
	    kc(SYS_THREAD_CREATE, (uint64_t)as, (uint64_t)cs, 10, ~0ull, NULL, &th))
		return;
	pool_add((int64_t)th, HK_THREAD);
	memset(&u, 0, sizeof(u));
	u.pc = GUEST_CODE_VA;
	u.x[2] = GUEST_STACK_VA + 4096;
	u.x[10] = hep;                              /* a0: the endpoint, in its table */
	u.x[11] = IPC_INFO(7, 1);                   /* a1: an ordinary label, one word */
	u.x[12] = 0x600d;
	u.x[17] = SYS_SEND;
	if (kc(SYS_THREAD_WRITE_REGS, th, (uint64_t)&u, 0, 0, NULL, NULL) ||
	    kc(SYS_THREAD_RESUME, th, 0, 0, 0, NULL, NULL))
		return;
	note_started((int64_t)th);
	kc(SYS_YIELD, 0, 0, 0, 0, NULL, NULL);       /* it runs (our priority) and blocks in its send */
	kc(SYS_THREAD_SUSPEND, th, 0, 0, 0, NULL, NULL);
	u.x[11] = IPC_INFO(chance(50) ? LABEL_FAULT : chance(50) ? LABEL_EXIT : LABEL_NTFN, 4);
	u.x[12] = 0xbad;
	st = kc(SYS_THREAD_WRITE_REGS, th, (uint64_t)&u, 0, 0, NULL, NULL);
	kc(SYS_THREAD_RESUME, th, 0, 0, 0, NULL, NULL);
	if (st == -1001)                             /* bug 2 avoided: its send stays as it was */
		u.x[11] = IPC_INFO(7, 1);
	regs_clear(&r);
	r.a[7] = SYS_RECV;
	r.a[0] = ep;
	r.a[1] = IPC_EXT;
	memset(e, 0, sizeof(*e));
	e->scap = -1;
	r.t[4] = (uint64_t)e;
	st = make(&r, NULL, true);                  /* its send is queued: this returns at once */
	kc(SYS_THREAD_DESTROY, th, 0, 0, 0, NULL, NULL);
	if (st == 0 && IPC_LABEL(r.a[1]) >= 0xffff0000u)
		found("a thread's send arrived with a kernel label (SYS_THREAD_WRITE_REGS on a blocked sender)");
}

/* one call of the sequence (a recipe makes several) */
static void one(void)
{
	unsigned r = (unsigned)below(100);
	if (r < 50) {
		uint64_t nr = chance(97) ? below(SYS_NCALLS) : chance(50) ? SYS_NCALLS + below(4) : rnd();
		/* the calls that end the worker: rarely, or a chunk is over at once */
		if ((nr == SYS_THREAD_EXIT || nr == SYS_THREAD_SETCONTEXT) && chance(97))
			nr = SYS_HANDLE_INFO;
		kcall(nr);
	} else if (r < 93) {
		message();
	} else if (r < 97) {
		recipe_thread();
	} else if (r < 98) {
		recipe_bind_close();
	} else {
		recipe_forge();
	}
}

/* ---------- the worker ---------- */

/* our threads go before we do (bug 5: they would outlive us), unless the fuzz closed their handles */
static void destroy_threads(void)
{
	for (int i = 0; i < z.npool; i++)
		if (z.pool[i].kind == HK_THREAD && !z.pool[i].stale)
			thread_destroy(z.pool[i].h);
}

/* what the worker can still ask of the servers through its own handles */
static const char *sanity(void)
{
	struct msg m = { .info = IPC_INFO(PROC_GETPID, 0) };
	struct ipc_ext e = { .scap = -1 };
	if (ipc_call(z.h_px, &m, NULL) || IPC_LABEL(m.info) != 0 || (int)m.w[0] != z.pid)
		return "the proc server does not answer getpid";
	m = (struct msg){ .info = IPC_INFO(FS_STAT, 0) };
	e.sbuf = (uint64_t)"/";
	e.slen = 1;
	if (ipc_call(z.h_fsr, &m, &e) || IPC_LABEL(m.info) != 0 || m.w[0] != FS_KIND_DIR)
		return "the file server does not answer stat /";
	m = (struct msg){ .info = IPC_INFO(CONS_WRITE, 0) };
	if (ipc_call(z.h_log, &m, NULL) || IPC_LABEL(m.info) != 0)
		return "the console does not answer a write";
	return NULL;
}

/* something that must not be: say it, tell the controller (it fails the run), go on */
static void found(const char *what)
{
	char line[200];
	int n = snprintf(line, sizeof(line), "fuzz: FOUND at seed %llu call %llu: %s\n",
			 (unsigned long long)z.o->seed, (unsigned long long)(z.k - 1), what);
	say(line, (size_t)n);
	report(FZ_FOUND_BIT | (z.k - 1));
}

void fz_worker(const struct fz_opts *o, uint64_t w, uint64_t from, uint64_t n)
{
	const struct startinfo *si = startinfo;
	const char *bad;
	void *brk;

	z.o = o;
	z.rng = splitmix(o->seed * 0x9e3779b97f4a7c15ull ^ splitmix(w + 1)) | 1;
	z.k = from;
	z.end = from + n;
	z.pid = getpid();
	if (handle_dup(si->h_console, R_ALL, 0, &z.h_log) || handle_dup(si->h_fs, R_ALL, 0, &z.h_fsr) ||
	    handle_dup(si->h_proc, R_ALL, 0, &z.h_px))
		_exit(120);
	proc_newtask(-1);                            /* its task's limits are its own */
	if (o->uid && proc_setuid(o->uid, o->uid))
		_exit(121);
	brk = proc_sbrk(8192);                       /* mapped below the break, nothing above */
	if (brk == (void *)-1)
		_exit(122);
	z.edge = (uint64_t)brk + 8192;
	z.stack_lo = 0x10000000ull - (256ull << 10);
	/* what a buffer holds: letters and a few newlines (any of it may go to the console) */
	for (size_t i = 0; i < ARENA; i++)
		arena[i] = chance(2) ? '\n' : (uint8_t)('a' + below(26));
	pool_add(si->h_proc, HK_PROC);
	pool_add(si->h_fs, HK_FS);
	pool_add(si->h_console, HK_CONS);
	report(z.k);
	while (z.k < z.end)
		one();
	destroy_threads();
	if ((bad = sanity()))
		dump_ring(bad);
	report(z.end);
	{
		struct msg m = { .info = IPC_INFO(PROC_EXIT, 1), .w = { bad ? 1 : 0 } };
		ipc_call(z.h_px, &m, NULL);
	}
	thread_exit(0);
}
