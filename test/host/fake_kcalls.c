/*
 * fake_kcalls.c - the proc server's kernel calls (servers/proc/kcalls.h) faked
 * for the host tests: a table of handles naming a table of reference-counted
 * objects (address spaces with a page count, handle tables, threads with ids,
 * endpoints, saved replies), so a test can see what a handler took, gave back
 * or leaked.
 *
 * The model:
 *   - a handle names one object; k_handle_dup makes another handle to it;
 *     an object lives while handles (or a live thread) hold it
 *   - an address space costs "pages": a clone as many as its source, a map
 *     len / 4096; they come back when it dies
 *   - what is mapped, protected and copied into an address space is logged, so
 *     a test can read its pages back (fake_as_prot, fake_as_read); a map over
 *     one already there is E_BUSY, as in the kernel (a clone's are not known:
 *     only its page count)
 *   - a thread holds its address space, handle table and fault endpoint, and
 *     itself, until k_thread_destroy: closing its handle alone does not end it
 *   - k_reply_save keeps the reply of the "current caller" (fake_caller());
 *     k_reply_send records what that caller got (label = errno, words) and
 *     consumes the reply; closing a reply handle records it as dropped
 *   - fault injection as in servers/proc/kcalls.c: kcalls_fail_nth(n) makes
 *     the n-th injectable call from now fail with ENOMEM (or the E_* code
 *     fake_fail_code sets); releases, starts, resumes, suspends, thread_tid,
 *     reply_send, and a signal's calls (interrupt, read and write registers)
 *     are never injected
 *   - a thread's registers are a struct user_regs the test may set
 *     (fake_thread_regs), k_thread_start sets pc, sp, a0 and tp in them;
 *     k_thread_interrupt counts, and hits nothing
 * A call with a bad handle returns EBADF and is counted (fake_bad_calls()), as is
 * a CLONE_INTR clone of a thread that was not suspended first.
 * The functions named fake_* are the tests' window on it (fake_kcalls.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "uapi/fs.h"
#include "uapi/abi.h"
#include "kcalls.h"
#include "fake_kcalls.h"

#define NFOBJ 8192
#define NFH 16384
#define NFREPLY 64
#define NFLOG 4096                   /* address-space operations logged */
#define NFBYTES (256 << 10)          /* bytes of their copies kept */
#define PAGE 4096


struct fobj {
	int type;                    /* OBJ_*; OBJ_NONE: never used */
	int refs;                    /* handles, plus what threads hold */
	/* OBJ_AS */
	long pages;
	/* OBJ_CSPACE */
	int slots;                   /* handles given into it (not modelled one by one) */
	uint64_t kobj_limit;         /* k_cspace_limit's */
	/* OBJ_THREAD */
	int state;
	uint64_t tid, w0;
	int mode;                    /* clone mode, -1 for k_thread_create */
	int prio;                    /* k_thread_create's, the source's for a clone, k_thread_set_prio's */
	int src;                     /* object it was cloned from, 0 none */
	int as, cs, fault;           /* objects it holds while not destroyed */
	struct user_regs regs;       /* what k_thread_read_regs gives, k_thread_write_regs sets */
	int interrupts;              /* k_thread_interrupt calls */
	/* OBJ_REPLY */
	int who;                     /* the caller it answers */
};

struct fhandle {
	int obj;                     /* 0: closed or never used */
	uint32_t rights;
	uint64_t badge;
};

struct freply {
	int who;
	bool dropped;                /* closed without an answer */
	uint32_t label;
	unsigned nwords;
	uint64_t w[IPC_MAX_WORDS];
};

static struct fobj objs[NFOBJ];
static struct fhandle handles[NFH];
static struct freply replies[NFREPLY];
static int nobjs, nhandles, nreplies;   /* next free index (never reused) */
static int live_objs, live_handles, bad_calls, uncleared_cs, caller, poweroffs, trace_ops;
static long pages;
static uint64_t next_tid;
static const char *failed_call;         /* the call the last injected failure hit */

/* what went into address spaces, in order: 'm'ap, 'd'evice map, 'p'rotect, 'c'opy */
static struct asop {
	int obj;
	char op;
	int prot;
	uint64_t va, len;
	uint32_t data;               /* a copy's bytes in asbytes[], or UINT32_MAX: not kept */
} aslog[NFLOG];
static uint8_t asbytes[NFBYTES];
static int naslog;
static uint32_t nasbytes;

uint64_t kcalls_count;
static uint64_t injectable, fail_at;
static int fail_code = E_NOMEM;         /* what an injected failure returns */

void kcalls_fail_nth(uint64_t n)
{
	fail_at = n ? injectable + n : 0;
}

static bool injected(const char *name)
{
	kcalls_count++;
	injectable++;
	if (fail_at && injectable == fail_at) {
		fail_at = 0;
		failed_call = name;
		return true;
	}
	return false;
}
#define INJECT() do { if (injected(__func__)) return fail_code; } while (0)

/* ---- objects and handles ---- */

static int obj_new(int type)
{
	struct fobj *o;
	if (nobjs + 1 >= NFOBJ)
		return 0;
	o = &objs[++nobjs];
	memset(o, 0, sizeof(*o));
	o->type = type;
	live_objs++;
	return nobjs;
}

static void obj_free(int i)
{
	struct fobj *o = &objs[i];
	if (o->type == OBJ_AS)
		pages -= o->pages;
	if (o->type == OBJ_CSPACE && o->slots)
		uncleared_cs++;          /* its handles would keep what they name alive */
	if (o->type == OBJ_REPLY && nreplies < NFREPLY)
		replies[nreplies++] = (struct freply){ .who = o->who, .dropped = true };
	live_objs--;
}

static void obj_ref(int i)
{
	if (i)
		objs[i].refs++;
}

static void obj_unref(int i)
{
	if (i && --objs[i].refs == 0)
		obj_free(i);
}

static handle_t handle_new(int obj, uint32_t rights, uint64_t badge)
{
	if (!obj || nhandles + 1 >= NFH)
		return -1;
	handles[++nhandles] = (struct fhandle){ .obj = obj, .rights = rights, .badge = badge };
	obj_ref(obj);
	live_handles++;
	return nhandles;
}

/* the object h names, if it is of type (OBJ_NONE: any); 0 and counted if not */
static int lookup(handle_t h, int type)
{
	if (h <= 0 || h > nhandles || !handles[h].obj || (type && objs[handles[h].obj].type != type)) {
		bad_calls++;
		return 0;
	}
	return handles[h].obj;
}

static void thread_release(struct fobj *t)
{
	if (t->state == T_DEAD)
		return;
	t->state = T_DEAD;
	obj_unref(t->as);
	obj_unref(t->cs);
	obj_unref(t->fault);
	t->as = t->cs = t->fault = 0;
}

/* a new thread object in as / cs reporting to fault (0: none), held by itself */
static handle_t thread_new(int as, int cs, int fault, int mode, uint64_t w0, int src)
{
	int i = obj_new(OBJ_THREAD);
	struct fobj *t = &objs[i];
	if (!i)
		return -1;
	t->state = T_NEW;
	t->tid = ++next_tid;
	t->mode = mode;
	t->w0 = w0;
	t->src = src;
	t->as = as;
	t->cs = cs;
	t->fault = fault;
	obj_ref(as);
	obj_ref(cs);
	obj_ref(fault);
	obj_ref(i);                  /* a thread lives until destroyed, handle or not */
	return handle_new(i, R_ALL, 0);
}

/* ---- what address spaces hold ---- */

static void as_log(int obj, char op, uint64_t va, uint64_t len, int prot, const void *src)
{
	struct asop *o;
	if (naslog == NFLOG)
		return;
	o = &aslog[naslog++];
	*o = (struct asop){ .obj = obj, .op = op, .prot = prot, .va = va, .len = len, .data = UINT32_MAX };
	if (src && len <= NFBYTES - nasbytes) {
		o->data = nasbytes;
		memcpy(asbytes + nasbytes, src, len);
		nasbytes += (uint32_t)len;
	}
}

/* the protection of the page at va in obj: 0 if not mapped */
static int as_prot(int obj, uint64_t va)
{
	int prot = 0;
	for (int i = 0; i < naslog; i++) {
		const struct asop *o = &aslog[i];
		if (o->obj == obj && o->op != 'c' && va >= o->va && va - o->va < o->len)
			prot = o->op == 'p' && !prot ? 0 : o->prot;
	}
	return prot;
}

/* is any page of [va, va + len) mapped in obj? */
static bool as_mapped(int obj, uint64_t va, uint64_t len)
{
	for (uint64_t a = va & ~(uint64_t)(PAGE - 1); a < va + len; a += PAGE)
		if (as_prot(obj, a))
			return true;
	return false;
}

/* ---- kcalls.h ---- */

int k_as_create(handle_t *as)
{
	INJECT();
	*as = handle_new(obj_new(OBJ_AS), R_ALL, 0);
	return *as < 0 ? E_NOMEM : 0;
}

int k_as_clone(handle_t src, handle_t *as)
{
	int s, i;
	INJECT();
	if (!(s = lookup(src, OBJ_AS)))
		return E_BADF;
	if (!(i = obj_new(OBJ_AS)))
		return E_NOMEM;
	objs[i].pages = objs[s].pages;   /* copy-on-write, counted as a copy */
	pages += objs[i].pages;
	*as = handle_new(i, R_ALL, 0);
	return 0;
}

int k_as_map(handle_t as, uint64_t va, uint64_t len, int prot)
{
	int i;
	INJECT();
	if (!(i = lookup(as, OBJ_AS)))
		return E_BADF;
	if (as_mapped(i, va, len))
		return E_BUSY;
	as_log(i, 'm', va, len, prot, NULL);
	objs[i].pages += (long)((len + PAGE - 1) / PAGE);
	pages += (long)((len + PAGE - 1) / PAGE);
	return 0;
}

int k_as_copy(handle_t as, uint64_t dst, const void *src, uint64_t len)
{
	int i;
	INJECT();
	if (!(i = lookup(as, OBJ_AS)))
		return E_BADF;
	as_log(i, 'c', dst, len, 0, src);
	return 0;
}

int k_as_protect(handle_t as, uint64_t va, uint64_t len, int prot)
{
	int i;
	INJECT();
	if (!(i = lookup(as, OBJ_AS)))
		return E_BADF;
	as_log(i, 'p', va, len, prot, NULL);
	return 0;
}

int k_cspace_create(handle_t *cs)
{
	INJECT();
	*cs = handle_new(obj_new(OBJ_CSPACE), R_ALL, 0);
	return *cs < 0 ? E_NOMEM : 0;
}

int k_cspace_limit(handle_t cs, uint64_t max, uint64_t *used)
{
	int i;
	INJECT();
	if (!(i = lookup(cs, OBJ_CSPACE)))
		return E_BADF;
	objs[i].kobj_limit = max;
	if (used)
		*used = 0;               /* no objects are made through the fake */
	return 0;
}

uint64_t fake_cspace_limit(handle_t cs)
{
	int i = lookup(cs, OBJ_CSPACE);
	return i ? objs[i].kobj_limit : 0;
}

int k_cspace_clone(handle_t src, handle_t *cs)
{
	int s, i;
	INJECT();
	if (!(s = lookup(src, OBJ_CSPACE)))
		return E_BADF;
	if (!(i = obj_new(OBJ_CSPACE)))
		return E_NOMEM;
	objs[i].slots = objs[s].slots;
	objs[i].kobj_limit = objs[s].kobj_limit;      /* the kernel's clone keeps the limit */
	*cs = handle_new(i, R_ALL, 0);
	return 0;
}

int k_cspace_clear(handle_t cs)
{
	int i;
	kcalls_count++;
	if (!(i = lookup(cs, OBJ_CSPACE)))
		return E_BADF;
	objs[i].slots = 0;
	return 0;
}

int k_handle_give(handle_t cs, handle_t h, uint32_t mask, uint64_t badge, handle_t *out)
{
	int c;
	INJECT();
	if (!(c = lookup(cs, OBJ_CSPACE)) || !lookup(h, OBJ_NONE))
		return E_BADF;
	*out = 1000 + objs[c].slots++;   /* a number in that table */
	return 0;
}

int k_handle_replace(handle_t cs, handle_t h, handle_t src, uint32_t mask, uint64_t badge)
{
	INJECT();
	if (!lookup(cs, OBJ_CSPACE) || !lookup(src, OBJ_NONE) || h < 0)
		return E_BADF;
	return 0;
}

int k_handle_dup(handle_t h, uint32_t mask, uint64_t badge, handle_t *out)
{
	int o;
	INJECT();
	if (!(o = lookup(h, OBJ_NONE)))
		return E_BADF;
	*out = handle_new(o, handles[h].rights & mask, badge ? badge : handles[h].badge);
	return 0;
}

int k_handle_close(handle_t h)
{
	int o;
	kcalls_count++;
	if (!(o = lookup(h, OBJ_NONE)))
		return E_BADF;
	handles[h].obj = 0;
	live_handles--;
	obj_unref(o);
	return 0;
}

int k_thread_create(handle_t as, handle_t cs, int prio, handle_t fault_ep, handle_t *th)
{
	int a, c, f = 0;
	INJECT();
	if (!(a = lookup(as, OBJ_AS)) || !(c = lookup(cs, OBJ_CSPACE)) ||
	    (fault_ep >= 0 && !(f = lookup(fault_ep, OBJ_ENDPOINT))))
		return E_BADF;
	*th = thread_new(a, c, f, -1, 0, 0);
	if (*th < 0)
		return E_NOMEM;
	objs[handles[*th].obj].prio = prio;
	return 0;
}

int k_thread_clone(handle_t src, handle_t as, handle_t cs, handle_t fault_ep, int mode, uint64_t w0, handle_t *th)
{
	int s, a, c, f = 0;
	INJECT();
	if (!(s = lookup(src, OBJ_THREAD)) || !(a = lookup(as, OBJ_AS)) || !(c = lookup(cs, OBJ_CSPACE)) ||
	    (fault_ep >= 0 && !(f = lookup(fault_ep, OBJ_ENDPOINT))))
		return E_BADF;
	if (objs[s].state == T_DEAD)
		return E_SRCH;
	if (mode == CLONE_INTR && objs[s].state != T_SUSP)
		bad_calls++;             /* registers copied while it runs: it must be held first */
	*th = thread_new(a, c, f, mode, w0, s);
	if (*th >= 0)
		objs[handles[*th].obj].prio = objs[s].prio;   /* the kernel's clone keeps the priority */
	return *th < 0 ? E_NOMEM : 0;
}

int k_thread_set_prio(handle_t th, int prio)
{
	int t;
	INJECT();
	if (!(t = lookup(th, OBJ_THREAD)))
		return E_BADF;
	if (prio < 0 || prio > 20)
		return E_INVAL;                 /* the proc server's own is 20 */
	objs[t].prio = prio;
	return 0;
}

int k_thread_start(handle_t th, uint64_t pc, uint64_t sp, uint64_t a0, uint64_t tp)
{
	int t;
	kcalls_count++;
	if (!(t = lookup(th, OBJ_THREAD)))
		return E_BADF;
	if (objs[t].state != T_NEW)
		return E_BUSY;
	objs[t].state = T_RUN;
	objs[t].regs.pc = pc;
	objs[t].regs.x[2] = sp;
	objs[t].regs.x[4] = tp;
	objs[t].regs.x[10] = a0;
	return 0;
}

int k_thread_resume(handle_t th)
{
	int t;
	kcalls_count++;
	if (!(t = lookup(th, OBJ_THREAD)))
		return E_BADF;
	if (objs[t].state == T_DEAD)
		return E_SRCH;
	objs[t].state = T_RUN;
	return 0;
}

int k_thread_suspend(handle_t th)
{
	int t;
	kcalls_count++;
	if (!(t = lookup(th, OBJ_THREAD)))
		return E_BADF;
	if (objs[t].state == T_DEAD)
		return E_SRCH;
	objs[t].state = T_SUSP;
	return 0;
}

int k_thread_destroy(handle_t th)
{
	int t;
	kcalls_count++;
	if (!(t = lookup(th, OBJ_THREAD)))
		return E_BADF;
	if (objs[t].state != T_DEAD) {
		thread_release(&objs[t]);
		obj_unref(t);            /* its own life's reference */
	}
	return 0;
}

/* every thread has run 1000 ns in user mode and 500 in the kernel, dead or not */
int k_thread_times(handle_t th, uint64_t *user_ns, uint64_t *sys_ns)
{
	kcalls_count++;
	if (!lookup(th, OBJ_THREAD))
		return E_BADF;
	*user_ns = 1000;
	*sys_ns = 500;
	return 0;
}

int k_thread_name(handle_t th, const char *name, size_t len)
{
	(void)name;
	kcalls_count++;
	if (!lookup(th, OBJ_THREAD))
		return E_BADF;
	return len < 16 ? 0 : E_INVAL;
}

int k_thread_interrupt(handle_t th, bool *hit)
{
	int t;
	kcalls_count++;
	*hit = false;
	if (!(t = lookup(th, OBJ_THREAD)))
		return E_BADF;
	objs[t].interrupts++;
	return 0;
}

int k_thread_read_regs(handle_t th, struct user_regs *r)
{
	int t;
	kcalls_count++;
	if (!(t = lookup(th, OBJ_THREAD)))
		return E_BADF;
	*r = objs[t].regs;
	return 0;
}

int k_thread_write_regs(handle_t th, const struct user_regs *r)
{
	int t;
	kcalls_count++;
	if (!(t = lookup(th, OBJ_THREAD)))
		return E_BADF;
	objs[t].regs = *r;
	return 0;
}

int k_thread_tid(handle_t th, uint64_t *tid)
{
	int t;
	kcalls_count++;
	if (!(t = lookup(th, OBJ_THREAD)))
		return E_BADF;
	*tid = objs[t].tid;
	return 0;
}

int k_reply_save(handle_t *h)
{
	int i;
	INJECT();
	if (!(i = obj_new(OBJ_REPLY)))
		return E_NOMEM;
	objs[i].who = caller;
	*h = handle_new(i, R_SEND, 0);
	return 0;
}

int k_reply_send(handle_t reply, struct msg *m)
{
	int i;
	kcalls_count++;
	if (!(i = lookup(reply, OBJ_REPLY)))
		return E_BADF;
	if (nreplies < NFREPLY) {
		struct freply *r = &replies[nreplies++];
		r->who = objs[i].who;
		r->dropped = false;
		r->label = IPC_LABEL(m->info);
		r->nwords = IPC_NWORDS(m->info);
		memcpy(r->w, m->w, sizeof(r->w));
	}
	handles[reply].obj = 0;
	live_handles--;
	objs[i].type = OBJ_NONE;     /* consumed */
	obj_unref(i);
	return 0;
}

int k_ntfn_create(handle_t *n)
{
	INJECT();
	*n = handle_new(obj_new(OBJ_NTFN), R_ALL, 0);
	return *n < 0 ? E_NOMEM : 0;
}

int k_ntfn_bind(handle_t n, handle_t th)
{
	INJECT();
	return lookup(n, OBJ_NTFN) && lookup(th, OBJ_THREAD) ? 0 : E_BADF;
}

/* device registers are not RAM: no pages counted */
int k_as_map_device(handle_t dev, handle_t as, uint64_t va, uint64_t pa, uint64_t len)
{
	int i;
	INJECT();
	if (!lookup(dev, OBJ_NONE) || !(i = lookup(as, OBJ_AS)))
		return E_BADF;
	if (as_mapped(i, va, len))
		return E_BUSY;
	as_log(i, 'd', va, len, PROT_R | PROT_W, NULL);
	return 0;
}

/* counted (fake_poweroffs); the fake machine stays on, as if the call had failed with 0 */
int k_poweroff(handle_t sysctl)
{
	kcalls_count++;
	poweroffs++;
	return 0;
}

/* counted (fake_trace_ops); an empty trace */
int k_trace(handle_t sysctl, int op, void *recs, uint64_t max, uint64_t first, uint64_t *n, uint64_t *dropped)
{
	kcalls_count++;
	trace_ops++;
	if (n)
		*n = 0;
	if (dropped)
		*dropped = 0;
	return 0;
}

/* ---- the file server: one descriptor table per pid ---- */
#define NFSTAB 1024
static bool fs_table[NFSTAB];
static int fs_tables;
handle_t kcalls_fs_ep = -1;

int k_fs_ctl(uint32_t op, uint64_t a, uint64_t b)
{
	if (op == FS_PNEW || op == FS_PFORK)
		INJECT();
	else
		kcalls_count++;
	switch (op) {
	case FS_PNEW:
		if (a >= NFSTAB || fs_table[a])
			return bad_calls++, E_INVAL;
		fs_table[a] = true;
		fs_tables++;
		return 0;
	case FS_PFORK:
		if (a >= NFSTAB || b >= NFSTAB || !fs_table[a] || fs_table[b])
			return bad_calls++, E_INVAL;
		fs_table[b] = true;
		fs_tables++;
		return 0;
	case FS_PEXEC:
		return a < NFSTAB && fs_table[a] ? 0 : (bad_calls++, E_INVAL);
	case FS_PEXIT:
		if (a >= NFSTAB || !fs_table[a])
			return bad_calls++, E_INVAL;
		fs_table[a] = false;
		fs_tables--;
		return 0;
	}
	return bad_calls++, E_INVAL;
}

int fake_fs_tables(void) { return fs_tables; }

/* ---- the tests' window ---- */

void fake_reset(void)
{
	memset(objs, 0, sizeof(objs));
	memset(handles, 0, sizeof(handles));
	memset(replies, 0, sizeof(replies));
	nobjs = nhandles = nreplies = 0;
	live_objs = live_handles = bad_calls = uncleared_cs = caller = poweroffs = trace_ops = 0;
	pages = 0;
	next_tid = 100;
	failed_call = NULL;
	kcalls_count = injectable = fail_at = 0;
	fail_code = E_NOMEM;
	naslog = 0;
	nasbytes = 0;
	memset(fs_table, 0, sizeof(fs_table));
	fs_tables = 0;
}

int fake_live_objects(void) { return live_objs; }
int fake_live_handles(void) { return live_handles; }
long fake_pages(void) { return pages; }
int fake_bad_calls(void) { return bad_calls; }
int fake_uncleared_cspaces(void) { return uncleared_cs; }
int fake_poweroffs(void) { return poweroffs; }
int fake_trace_ops(void) { return trace_ops; }

/* what an injected failure returns (E_NOMEM until fake_reset) */
void fake_fail_code(int code) { fail_code = code; }

/* the failed call's name ("k_as_clone", ...) since the last fake_take_failed(), or NULL */
const char *fake_take_failed(void)
{
	const char *f = failed_call;
	failed_call = NULL;
	return f;
}

/* the next saved reply answers caller who */
void fake_caller(int who) { caller = who; }

handle_t fake_ep_new(void) { return handle_new(obj_new(OBJ_ENDPOINT), R_ALL, 0); }

handle_t fake_cspace_new(void) { return handle_new(obj_new(OBJ_CSPACE), R_ALL, 0); }

handle_t fake_as_new(long npages)
{
	int i = obj_new(OBJ_AS);
	objs[i].pages = npages;
	pages += npages;
	return handle_new(i, R_ALL, 0);
}

/* a running thread in as / cs (what spawn makes), its id in *tid */
handle_t fake_thread_new(handle_t as, handle_t cs, uint64_t *tid)
{
	handle_t h = thread_new(lookup(as, OBJ_AS), lookup(cs, OBJ_CSPACE), 0, -1, 0, 0);
	objs[handles[h].obj].state = T_RUN;
	*tid = objs[handles[h].obj].tid;
	return h;
}

/* the object a handle names (0: none): two handles to one object compare equal */
int fake_obj(handle_t h) { return h > 0 && h <= nhandles ? handles[h].obj : 0; }
long fake_as_pages(handle_t h) { return objs[fake_obj(h)].pages; }
int fake_thread_state(handle_t h) { return objs[fake_obj(h)].state; }
int fake_thread_mode(handle_t h) { return objs[fake_obj(h)].mode; }
int fake_thread_prio(handle_t h) { return objs[fake_obj(h)].prio; }
bool fake_obj_alive(int obj) { return obj > 0 && obj <= nobjs && objs[obj].refs > 0; }
int fake_as_prot(handle_t as, uint64_t va) { return fake_obj(as) ? as_prot(fake_obj(as), va) : 0; }

/*
 * len bytes at va in as, as a thread in it would read them: what the last copy
 * over each byte wrote, 0 where nothing was (demand-zero).  -1 if a byte is
 * not mapped, or a copy over it was too big to keep.
 */
int fake_as_read(handle_t as, uint64_t va, void *buf, uint64_t len)
{
	int obj = fake_obj(as);
	uint8_t *b = buf;
	for (uint64_t n = 0; n < len; n++) {
		uint64_t a = va + n;
		if (!obj || !as_prot(obj, a))
			return -1;
		b[n] = 0;
		for (int i = 0; i < naslog; i++) {
			const struct asop *o = &aslog[i];
			if (o->obj != obj || o->op != 'c' || a < o->va || a - o->va >= o->len)
				continue;
			if (o->data == UINT32_MAX)
				return -1;
			b[n] = asbytes[o->data + (a - o->va)];
		}
	}
	return 0;
}
uint64_t fake_thread_w0(handle_t h) { return objs[fake_obj(h)].w0; }
int fake_thread_src(handle_t h) { return objs[fake_obj(h)].src; }
int fake_thread_as(handle_t h) { return objs[fake_obj(h)].as; }
struct user_regs *fake_thread_regs(handle_t h) { return &objs[fake_obj(h)].regs; }
int fake_thread_interrupts(handle_t h) { return objs[fake_obj(h)].interrupts; }

/* replies answered (or dropped) so far, and the i-th of them */
int fake_nreplies(void) { return nreplies; }
int fake_reply(int i, int *who, uint32_t *label, uint64_t *w)
{
	if (i < 0 || i >= nreplies)
		return -1;
	*who = replies[i].who;
	*label = replies[i].label;
	memcpy(w, replies[i].w, sizeof(replies[i].w));
	return replies[i].dropped ? 1 : 0;
}
