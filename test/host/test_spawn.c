/*
 * test_spawn.c - host tests of the proc server's image building
 * (servers/proc/spawn.c: build_image through do_spawn and do_exec, and what
 * kfail and elf_errno make of a failure) with the kernel faked by
 * fake_kcalls.c, whose address spaces log what is mapped, protected and
 * copied into them, so the test reads a new image back page by page.
 *
 * The world (setup): system_init, mem_init and proc0_init as the server
 * starts; an archive (cpio_build.h) of elf_build.h's good image at
 * /bin/good, the same moved up by MOVE at /bin/moved, and bad ones; init
 * spawned from process 0 as main.c's make_init does it (a fresh descriptor
 * table, FS_PNEW), and "test" (uid 100, project 1) spawned by init.
 * Teardown exits everything and checks that nothing the kernel holds was
 * leaked and no call used a bad handle.
 *
 * Every failure is checked to give back what it took: the process table,
 * the task, project and zone counters, the reservations and the fake's live
 * objects, handles, pages and descriptor tables are as before.  Each
 * injectable kernel call of a spawn and of an exec is made to fail in turn,
 * with E_NOMEM (kept: ENOMEM) and with E_NOSPC (EAGAIN), and the calls
 * walked are checked against the steps the code takes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <signal.h>                 /* the guest's numbers: test/host/guest-libc */
#include <string.h>
#include <cmocka.h>

#include "sys.h"                    /* struct startinfo */
#include "procsrv.h"
#include "args.h"
#include "fake_kcalls.h"
#include "cpio_build.h"
#include "elf_build.h"

#define PAGE 4096ull
#define TP_UID 100
#define MOVE 0x100000ull            /* /bin/moved: the good image this much higher */
#define PROC_PRIO 10                /* spawn.c's priority for a process's thread */
#define IMAGE_PAGES 3               /* the good image: a text page and two data pages */
#define STACK_PAGES (USER_STACK_SIZE / PAGE)
#define SI_AT (USER_STACK_TOP - ((sizeof(struct startinfo) + 15) & ~15ull))   /* a0: the startinfo */

/* main()'s arguments in every request: argv "prog" "-x", envp "HOME=/" */
static const char ARGS[] = "prog\0-x\0HOME=/";

static struct system the_system;
/* main.c's clock and timer, for signal.c's ITIMER_REAL: no time passes here */
uint64_t proc_clock(void) { return 1; }
void timer_rearm(struct system *s) { (void)s; }
static struct system *const sys = &the_system;
#include "proc_world.h"        /* its snap() reads sys */
static struct proc *init, *tp;
static struct cpio ar;

/* ---- the world ---- */

/* the archive: good, moved, and bad images (not an ELF, cut short, another machine, pages that overlap) */
static void archive_init(void)
{
	struct elf *e;

	memset(&ar, 0, sizeof(ar));
	e = good_elf();
	cpio_add(&ar, "bin/good", e->u.b, e->size);
	e = good_elf();
	e->eh->entry += MOVE;
	for (int i = 0; i < 3; i++)
		e->ph[i].vaddr += MOVE;
	cpio_add(&ar, "bin/moved", e->u.b, e->size);
	cpio_add(&ar, "bin/text", "#!/bin/sh\necho hello\n", 21);
	e = good_elf();
	cpio_add(&ar, "bin/truncated", e->u.b, DATA_OFF + DATA_FILESZ / 2);   /* the data runs past the end */
	e = good_elf();
	e->eh->machine = 62;                                                 /* EM_X86_64 */
	cpio_add(&ar, "bin/x86", e->u.b, e->size);
	e = good_elf();
	e->ph[1].vaddr = USER_STACK_TOP - USER_STACK_SIZE + 0x300;          /* data where the stack goes */
	cpio_add(&ar, "bin/onstack", e->u.b, e->size);
	e = good_elf();
	e->ph[1].vaddr = TEXT_VA + 0x400;                                    /* data in the text's page */
	cpio_add(&ar, "bin/overlap", e->u.b, e->size);
	cpio_add(&ar, "TRAILER!!!", "", 0);
	spawn_set_archive(ar.u.b, ar.len);
}

/* a request for path with ARGS, as image_req_parse makes it from a PROC_SPAWN/PROC_EXEC buffer */
static const struct image_req *req(const char *path)
{
	static char buf[128];
	static struct image_req rq;
	size_t n = strlen(path) + 1;

	assert_true(n + sizeof(ARGS) <= sizeof(buf));
	memcpy(buf, path, n);
	memcpy(buf + n, ARGS, sizeof(ARGS));
	assert_int_equal(image_req_parse(buf, n + sizeof(ARGS), 2, 1, &rq), 0);
	return &rq;
}

/* do_spawn that must succeed: the child */
static struct proc *spawn(struct proc *parent, const char *path, const struct spawn_kit *kit)
{
	int pid = -1;
	struct proc *cp;
	assert_int_equal(do_spawn(sys, parent, req(path), kit, &pid), 0);
	cp = proc_find(sys, pid);
	assert_non_null(cp);
	return cp;
}

/* one more running lwp in p */
static void add_lwp(struct proc *p)
{
	uint64_t tid;
	handle_t th = fake_thread_new(p->p_as, p->p_cs, &tid);
	assert_int_equal(lwp_add(sys, p, th, tid), 0);
}

static int setup(void **state)
{
	int tk;

	fake_reset();
	system_init(sys, 2, fake_ep_new(), fake_ep_new());
	sys->fs_ep = fake_ep_new();
	mem_init(sys, 64ull << 20);
	proc0_init(sys);
	archive_init();

	/* init, as make_init starts it: spawned by process 0, then a session and a task of its own */
	init = spawn(&sys->p0, "/bin/good", NULL);
	if (init_setup(sys, init))
		return -1;

	/* the test process: init's child, in project 1 (moved there while root), uid 100 */
	tp = spawn(init, "/bin/good", NULL);
	if (do_newtask(sys, tp, 1, &tk))
		return -1;
	cred_set_all(sys, tp, TP_UID, TP_UID);
	return init->p_pid == 1 && tp->p_pid == 2 ? 0 : -1;
}

static int teardown(void **state)
{
	world_end_empty(sys);
	return 0;
}

/* ---- what a failure must leave as it was ---- */

/* proc_world.h's snapshot as p (a parent, or a process that execs) sees it, and the
   zone's fork-failure counters, which nothing here moves */
static void assert_snap_equal_ff(const struct snap *a, const struct snap *b)
{
	assert_snap_equal(a, b);
	assert_int_equal(a->ffcap, b->ffcap);
	assert_int_equal(a->ffnomem, b->ffnomem);
	assert_int_equal(a->ffmisc, b->ffmisc);
	assert_int_equal(a->ffnoproc, b->ffnoproc);
}

/* a process as exec must leave it when it fails */
struct psnap {
	int pid;
	enum pstat stat;
	char name[16];
	handle_t as, cs, h_proc, h_console, h_fs;
	int as_obj, as_prot, nlwp;
	long as_pages;
	uint32_t flag, sigcatch;
	uint64_t brk, vsize;
	handle_t lwp_th[MAX_LWPS];
	int lwp_state[MAX_LWPS];
};

static void psnap(const struct proc *p, struct psnap *s)
{
	memset(s, 0, sizeof(*s));
	s->pid = p->p_pid;
	s->stat = p->p_stat;
	memcpy(s->name, p->p_name, sizeof(s->name));
	s->as = p->p_as;
	s->cs = p->p_cs;
	s->h_proc = p->p_h_proc;
	s->h_console = p->p_h_console;
	s->h_fs = p->p_h_fs;
	s->as_obj = fake_obj(p->p_as);
	s->as_prot = fake_as_prot(p->p_as, TEXT_VA);
	s->as_pages = fake_as_pages(p->p_as);
	s->nlwp = p->p_nlwp;
	s->flag = p->p_flag;
	s->sigcatch = p->p_sigcatch;
	s->brk = p->p_brk;
	s->vsize = p->p_vsize;
	for (int i = 0; i < MAX_LWPS; i++) {
		s->lwp_th[i] = p->p_lwp[i].l_th;
		s->lwp_state[i] = p->p_lwp[i].l_th >= 0 ? fake_thread_state(p->p_lwp[i].l_th) : 0;
	}
}

static void assert_psnap_equal(const struct psnap *a, const struct psnap *b)
{
	assert_memory_equal(a, b, sizeof(*a));         /* memset first: no padding differs */
}

/* ---- what a new image holds ---- */

/* the good image (moved up by off) in as: its pages, protections and bytes, nothing either side */
static void assert_image(handle_t as, uint64_t off)
{
	static uint8_t page[PAGE];

	assert_int_equal(fake_as_prot(as, 0x3ff000 + off), 0);
	assert_int_equal(fake_as_prot(as, 0x400000 + off), PROT_R | PROT_X);
	assert_int_equal(fake_as_prot(as, 0x401000 + off), PROT_R | PROT_W);
	assert_int_equal(fake_as_prot(as, 0x402000 + off), PROT_R | PROT_W);
	assert_int_equal(fake_as_prot(as, 0x403000 + off), 0);
	for (uint64_t pg = 0x400000; pg < 0x403000; pg += PAGE) {
		assert_int_equal(fake_as_read(as, pg + off, page, PAGE), 0);
		for (uint64_t va = pg; va < pg + PAGE; va++) {
			uint8_t want = 0;                                   /* bss and padding: zero */
			if (va >= TEXT_VA && va < TEXT_VA + TEXT_SZ)
				want = file_byte(TEXT_OFF + va - TEXT_VA);
			else if (va >= DATA_VA && va < DATA_VA + DATA_FILESZ)
				want = file_byte(DATA_OFF + va - DATA_VA);
			if (page[va - pg] != want)
				fail_msg("byte at %#lx: %#x, want %#x", (unsigned long)(va + off), page[va - pg], want);
		}
	}
}

/* the NUL-terminated string at va in as, into buf */
static const char *read_str(handle_t as, uint64_t va, char *buf, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		assert_int_equal(fake_as_read(as, va + i, &buf[i], 1), 0);
		if (!buf[i])
			return buf;
	}
	fail_msg("no string at %#lx", (unsigned long)va);
	return NULL;
}

/*
 * p's stack: mapped read-write just below USER_STACK_TOP, its thread started
 * at entry with sp at argv (ARGS' pointers and strings below the startinfo)
 * and a0 at the startinfo, which holds p's handles and extra[].
 */
static void assert_stack(struct proc *p, uint64_t entry, const handle_t extra[STARTINFO_NEXTRA])
{
	static struct startinfo si;
	uint64_t vec[5], sp;
	handle_t th = p->p_lwp[0].l_th;
	struct user_regs *r;
	char s[16];

	assert_int_equal(p->p_nlwp, 1);
	assert_true(th >= 0);
	assert_int_equal(fake_thread_state(th), T_RUN);
	assert_int_equal(fake_thread_as(th), fake_obj(p->p_as));
	r = fake_thread_regs(th);
	assert_int_equal(r->pc, entry);
	assert_int_equal(r->x[10], SI_AT);
	sp = r->x[2];
	assert_int_equal(sp % 16, 0);
	assert_true(sp < SI_AT && sp > USER_STACK_TOP - USER_STACK_SIZE);

	assert_int_equal(fake_as_prot(p->p_as, USER_STACK_TOP - USER_STACK_SIZE - PAGE), 0);
	for (uint64_t va = USER_STACK_TOP - USER_STACK_SIZE; va < USER_STACK_TOP; va += PAGE)
		assert_int_equal(fake_as_prot(p->p_as, va), PROT_R | PROT_W);
	assert_int_equal(fake_as_prot(p->p_as, USER_STACK_TOP), 0);

	assert_int_equal(fake_as_read(p->p_as, SI_AT, &si, sizeof(si)), 0);
	assert_int_equal(si.magic, STARTINFO_MAGIC);
	assert_int_equal(si.h_proc, p->p_h_proc);
	assert_int_equal(si.h_console, p->p_h_console);
	assert_int_equal(si.h_fs, p->p_h_fs);
	assert_int_equal(si.h_thread, -1);
	assert_int_equal(si.h_as, -1);
	assert_int_equal(si.h_cspace, -1);
	assert_int_equal(si.h_fault, -1);
	for (int i = 0; i < STARTINFO_NEXTRA; i++)
		assert_int_equal(si.h_extra[i], extra ? extra[i] : -1);
	assert_int_equal(si.ncpus, 2);
	/* the old words, for programs that read them: argv's strings only, an empty word ending them */
	assert_memory_equal(si.args, "prog\0-x\0", 9);
	for (size_t i = 8; i < sizeof(si.args); i++)
		if (si.args[i])
			fail_msg("startinfo args[%zu] is %#x: more than argv", i, si.args[i]);
	assert_int_equal(si.argc, 2);
	assert_int_equal((uint64_t)si.argv, sp);
	assert_int_equal((uint64_t)si.envp, sp + 3 * sizeof(uint64_t));

	/* argv[0], argv[1], NULL, envp[0], NULL, each string inside the stack */
	assert_int_equal(fake_as_read(p->p_as, sp, vec, sizeof(vec)), 0);
	assert_string_equal(read_str(p->p_as, vec[0], s, sizeof(s)), "prog");
	assert_string_equal(read_str(p->p_as, vec[1], s, sizeof(s)), "-x");
	assert_int_equal(vec[2], 0);
	assert_string_equal(read_str(p->p_as, vec[3], s, sizeof(s)), "HOME=/");
	assert_int_equal(vec[4], 0);
	for (int i = 0; i < 5; i++)
		assert_true(vec[i] == 0 || (vec[i] > sp && vec[i] < SI_AT));
}

/* ---- spawn ---- */

/* init, spawned from process 0 (no files): a fresh descriptor table, the system's task */
static void test_spawn_init(void **state)
{
	assert_int_equal(init->p_uid, 0);
	assert_int_equal(init->p_task->tk_proj->kpj_id, 0);
	assert_int_equal(init->p_stat, P_RUN);
	assert_true(init->p_h_fs >= 0 && init->p_h_console >= 0 && init->p_h_proc >= 0);
	assert_int_equal(fake_fs_tables(), 2);           /* FS_PNEW for init, FS_PFORK of it for test */
	assert_image(init->p_as, 0);
	assert_stack(init, ENTRY, NULL);
}

/* a child of test: its credentials, task, limits and session; its image; its stack and startinfo */
static void test_spawn_child(void **state)
{
	struct snap a, b;
	struct proc *cp;
	uint64_t vsize = IMAGE_PAGES * PAGE + USER_STACK_SIZE;

	tp->p_rctl[RCTL_PROCESS_MAX_FD] = 77;
	assert_int_equal(rctl_set(sys, tp, RCTL_PROCESS_MAX_KOBJ, -1, 99), 0);   /* its reservation follows */
	tp->p_sigcatch = 1u << SIGUSR1;
	tp->p_sigign = 1u << SIGPIPE;
	snap(tp, &a);
	cp = spawn(tp, "/bin/good", NULL);
	snap(tp, &b);

	/* in the table, test's child, with test's credentials, task, zone, limits and session */
	assert_true(cp->p_pid > tp->p_pid);
	assert_int_equal(b.nproc, a.nproc + 1);
	assert_ptr_equal(cp->p_parent, tp);
	assert_int_equal(cp->p_uid, TP_UID);
	assert_int_equal(cp->p_gid, TP_UID);
	assert_int_equal(b.up, a.up + 1);
	assert_ptr_equal(cp->p_task, tp->p_task);
	assert_ptr_equal(cp->p_zone, tp->p_zone);
	assert_int_equal(b.tk_nprocs, a.tk_nprocs + 1);
	assert_int_equal(b.pj_nprocs, a.pj_nprocs + 1);
	assert_int_equal(b.z_nprocs, a.z_nprocs + 1);
	assert_int_equal(b.tk_nlwps, a.tk_nlwps + 1);
	assert_int_equal(b.z_nlwps, a.z_nlwps + 1);
	assert_memory_equal(cp->p_rctl, tp->p_rctl, sizeof(cp->p_rctl));
	assert_ptr_equal(cp->p_sess, tp->p_sess);
	assert_int_equal(cp->p_pgid, tp->p_pgid);

	/* running its own image: its name, a fresh heap, caught signals back to the default */
	assert_int_equal(cp->p_stat, P_RUN);
	assert_string_equal(cp->p_name, "good");
	assert_true(cp->p_flag & PF_EXECED);
	assert_int_equal(cp->p_brk, HEAP_BASE);
	assert_int_equal(cp->p_sigcatch, 0);
	assert_int_equal(cp->p_sigign, 1u << SIGPIPE);

	/* its own handle table with the three endpoints, and a copy of test's descriptors */
	assert_true(fake_obj(cp->p_cs) && fake_obj(cp->p_cs) != fake_obj(tp->p_cs));
	assert_true(cp->p_h_proc >= 0 && cp->p_h_console >= 0 && cp->p_h_fs >= 0);
	assert_true(cp->p_h_proc != cp->p_h_console && cp->p_h_console != cp->p_h_fs);
	assert_int_equal(b.fs_tables, a.fs_tables + 1);
	assert_int_equal(fake_cspace_limit(cp->p_cs), 99);   /* what it makes counts against its limit */

	/* its image and stack, reserved and mapped */
	assert_true(fake_obj(cp->p_as) && fake_obj(cp->p_as) != fake_obj(tp->p_as));
	assert_int_equal(fake_as_pages(cp->p_as), IMAGE_PAGES + STACK_PAGES);
	assert_int_equal(b.pages, a.pages + IMAGE_PAGES + STACK_PAGES);
	assert_int_equal(cp->p_vsize, vsize);
	assert_int_equal(b.tk_vsize, a.tk_vsize + vsize);
	assert_true(b.v_swap > a.v_swap + vsize + 99 * KOBJ_BYTES);   /* and its tables and objects */
	assert_int_equal(fake_thread_prio(cp->p_lwp[0].l_th), PROC_PRIO);
	assert_image(cp->p_as, 0);
	assert_stack(cp, ENTRY, NULL);
}

/* a kit: handles in h_extra[], device registers mapped, a priority, a bound notification */
static void test_spawn_kit(void **state)
{
	handle_t ntfn, ep = fake_ep_new(), dev = fake_ep_new();
	handle_t extra[STARTINFO_NEXTRA];
	struct spawn_kit kit = { .ngive = 2, .mask = { R_SEND, R_ALL }, .dev = dev, .dev_va = CONSOLE_UART_VA,
				 .dev_pa = 0x10000000, .dev_len = PAGE, .prio = 20 };
	struct proc *cp;

	assert_int_equal(k_ntfn_create(&ntfn), 0);
	kit.give[0] = ep;
	kit.give[1] = kit.bind = ntfn;
	cp = spawn(init, "/bin/good", &kit);

	assert_int_equal(fake_thread_prio(cp->p_lwp[0].l_th), 20);
	assert_int_equal(fake_as_prot(cp->p_as, CONSOLE_UART_VA), PROT_R | PROT_W);
	assert_int_equal(fake_as_prot(cp->p_as, CONSOLE_UART_VA + PAGE), 0);
	assert_int_equal(fake_as_pages(cp->p_as), IMAGE_PAGES + STACK_PAGES);   /* registers are not RAM */
	assert_int_equal(cp->p_vsize, IMAGE_PAGES * PAGE + USER_STACK_SIZE);
	assert_image(cp->p_as, 0);
	/* the kit's handles came after the three endpoints: the fake numbers them in order */
	for (int i = 0; i < STARTINFO_NEXTRA; i++)
		extra[i] = i < 2 ? cp->p_h_fs + 1 + i : -1;
	assert_stack(cp, ENTRY, extra);
	k_handle_close(ntfn);            /* the child's copies are in its table */
	k_handle_close(ep);
	k_handle_close(dev);
}

/* no such file, bad images, bad arguments, limits: each error, and nothing left behind */
static void test_spawn_errors(void **state)
{
	static char big[ARGS_MAX + 64];
	static const struct { const char *path; int err; } bad[] = {
		{ "/bin/nope", ENOENT }, { "/bin/text", ENOEXEC }, { "/bin/truncated", ENOEXEC }, { "/bin/x86", ENOEXEC },
		{ "/bin/onstack", ENOEXEC }, { "/bin/overlap", ENOEXEC },     /* not images we run: no EAGAIN */
	};
	struct image_req rq;
	struct snap a, b;
	int pid;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snap(tp, &a);
		pid = -1;
		assert_int_equal(do_spawn(sys, tp, req(bad[i].path), NULL, &pid), bad[i].err);
		assert_int_equal(pid, -1);
		snap(tp, &b);
		assert_snap_equal_ff(&a, &b);
	}

	/* arguments: more than ARGS_MAX (E2BIG), fewer strings than argc + envc (EINVAL) */
	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "/bin/good", 10);
	assert_int_equal(image_req_parse(big, sizeof(big), 1, 0, &rq), 0);
	snap(tp, &a);
	assert_int_equal(do_spawn(sys, tp, &rq, NULL, &pid), E2BIG);
	snap(tp, &b);
	assert_snap_equal_ff(&a, &b);
	rq = *req("/bin/good");
	rq.argc = 3;
	assert_int_equal(do_spawn(sys, tp, &rq, NULL, &pid), EINVAL);
	snap(tp, &b);
	assert_snap_equal_ff(&a, &b);

	/* its address-space limit (inherited): ENOMEM from the reservation */
	tp->p_rctl[RCTL_PROCESS_MAX_AS] = USER_STACK_SIZE;
	assert_int_equal(do_spawn(sys, tp, req("/bin/good"), NULL, &pid), ENOMEM);
	snap(tp, &b);
	assert_snap_equal_ff(&a, &b);
	tp->p_rctl[RCTL_PROCESS_MAX_AS] = RCTL_UNLIMITED;

	/* the task's max-processes: getproc's EAGAIN, counted as a cap */
	tp->p_task->tk_max_procs = (uint64_t)tp->p_task->tk_nprocs;
	assert_int_equal(do_spawn(sys, tp, req("/bin/good"), NULL, &pid), EAGAIN);
	snap(tp, &b);
	assert_int_equal(b.ffcap, a.ffcap + 1);
	b.ffcap = a.ffcap;
	assert_snap_equal_ff(&a, &b);
	assert_int_equal(pid, -1);
}

/*
 * The kernel calls a spawn or an exec makes, failed one at a time (the n-th
 * injectable one, n = 1, 2, ...) with code, until one succeeds.  Each must
 * give ENOMEM for E_NOMEM and EAGAIN for anything else, and leave parent's
 * world as it was (exec: the process too).  The calls walked go to walked[].
 */
static int walk(struct proc *p, const struct spawn_kit *kit, bool exec, int code, const char **walked, int max)
{
	for (int n = 1;; n++) {
		struct snap a, b;
		struct psnap pa, pb;
		const char *failed;
		int pid = -1, err;

		assert_true(n <= max);
		snap(p, &a);
		psnap(p, &pa);
		fake_fail_code(code);
		kcalls_fail_nth((uint64_t)n);
		err = exec ? do_exec(sys, p, &p->p_lwp[0], req("/bin/moved")) : do_spawn(sys, p, req("/bin/good"), kit, &pid);
		failed = fake_take_failed();
		kcalls_fail_nth(0);
		fake_fail_code(E_NOMEM);
		if (!failed) {
			assert_int_equal(err, 0);
			return n - 1;
		}
		walked[n - 1] = failed;
		if (err != (code == E_NOMEM ? ENOMEM : EAGAIN))
			fail_msg("%s failing with %d (call %d): errno %d", failed, code, n, err);
		assert_int_equal(pid, -1);
		snap(p, &b);
		assert_snap_equal_ff(&a, &b);
		psnap(p, &pb);
		assert_psnap_equal(&pa, &pb);
	}
}

static void assert_walked(const char **walked, int n, const char *const *want, int nwant)
{
	for (int i = 0; i < n && i < nwant; i++)
		if (strcmp(walked[i], want[i]) != 0)
			fail_msg("call %d: %s failed, want %s", i + 1, walked[i], want[i]);
	assert_int_equal(n, nwant);
}

/* every step of a spawn failing in turn: errno by illumos's rule, nothing left behind */
static void test_spawn_unwind(void **state)
{
	static const char *const with_kit[] = {
		"k_cspace_create", "k_cspace_limit",                 /* process.max-kernel-objects */
		"k_handle_give", "k_handle_give", "k_handle_give",   /* proc, console, fs */
		"k_handle_give", "k_handle_give",                    /* the kit's two */
		"k_fs_ctl",                                          /* FS_PFORK */
		"k_as_create",
		"k_as_map",                                          /* stack */
		"k_as_map", "k_as_copy", "k_as_protect",             /* text */
		"k_as_map", "k_as_copy",                             /* data */
		"k_as_copy",                                         /* arguments and startinfo */
		"k_as_map_device",
		"k_handle_dup", "k_thread_create",                   /* lwp_make: fault endpoint, thread */
		"k_ntfn_bind",
	};
	static const char *const plain[] = {
		"k_cspace_create", "k_cspace_limit", "k_handle_give", "k_handle_give", "k_handle_give",
		"k_fs_ctl",                                          /* FS_PNEW */
		"k_as_create", "k_as_map", "k_as_map", "k_as_copy", "k_as_protect", "k_as_map", "k_as_copy",
		"k_as_copy", "k_handle_dup", "k_thread_create",
	};
	const int codes[] = { E_NOMEM, E_NOSPC };
	handle_t ntfn, ep = fake_ep_new(), dev = fake_ep_new();
	struct spawn_kit kit = { .ngive = 2, .mask = { R_SEND, R_ALL }, .dev = dev, .dev_va = CONSOLE_UART_VA,
				 .dev_pa = 0x10000000, .dev_len = PAGE };
	const char *walked[64];
	int n;

	assert_int_equal(k_ntfn_create(&ntfn), 0);
	kit.give[0] = ep;
	kit.give[1] = kit.bind = ntfn;
	for (int c = 0; c < 2; c++) {
		n = walk(tp, &kit, false, codes[c], walked, 64);
		assert_walked(walked, n, with_kit, sizeof(with_kit) / sizeof(with_kit[0]));
		/* process 0 as the parent (init's spawn): no files to copy, a fresh table */
		n = walk(&sys->p0, NULL, false, codes[c], walked, 64);
		assert_walked(walked, n, plain, sizeof(plain) / sizeof(plain[0]));
	}
	k_handle_close(ntfn);
	k_handle_close(ep);
	k_handle_close(dev);
}

/* ---- exec ---- */

/* a new image for a process with three lwps: old ones gone, new ones in, the same pid */
static void test_exec(void **state)
{
	struct proc *cp = spawn(tp, "/bin/good", NULL);
	int pid = cp->p_pid, old_as = fake_obj(cp->p_as), old_th[3];
	handle_t h_proc = cp->p_h_proc, h_fs = cp->p_h_fs;
	struct snap a, b;

	add_lwp(cp);
	add_lwp(cp);
	for (int i = 0; i < 3; i++)
		old_th[i] = fake_obj(cp->p_lwp[i].l_th);
	cp->p_flag |= PF_CONSOLE;
	cp->p_sigcatch = 1u << SIGINT;
	assert_int_equal(mem_reserve(sys, cp, 4 * PAGE), 0);   /* a heap */
	cp->p_brk = HEAP_BASE + 4 * PAGE;
	snap(cp, &a);

	assert_int_equal(do_exec(sys, cp, &cp->p_lwp[0], req("/bin/moved")), 0);
	snap(cp, &b);
	assert_ptr_equal(proc_find(sys, pid), cp);
	assert_int_equal(b.nproc, a.nproc);
	assert_int_equal(cp->p_stat, P_RUN);
	assert_string_equal(cp->p_name, "moved");
	assert_true(cp->p_flag & PF_EXECED);
	assert_false(cp->p_flag & PF_CONSOLE);          /* the UART stays with the old image */
	assert_int_equal(cp->p_brk, HEAP_BASE);
	assert_int_equal(cp->p_sigcatch, 0);
	assert_int_equal(cp->p_h_proc, h_proc);          /* the same handle table */
	assert_int_equal(cp->p_h_fs, h_fs);
	assert_int_equal(b.fs_tables, a.fs_tables);

	/* the old address space and lwps are gone; one new lwp runs the new image */
	assert_false(fake_obj_alive(old_as));
	for (int i = 0; i < 3; i++)
		assert_false(fake_obj_alive(old_th[i]));
	assert_int_equal(b.objs, a.objs - 2);            /* an address space and 3 threads gone, 1 + 1 new */
	assert_int_equal(b.tk_nlwps, a.tk_nlwps - 2);
	assert_int_equal(b.z_nlwps, a.z_nlwps - 2);
	assert_int_equal(fake_as_pages(cp->p_as), IMAGE_PAGES + STACK_PAGES);
	assert_int_equal(b.pages, a.pages);              /* the old image's pages went, as many came */
	assert_int_equal(cp->p_vsize, IMAGE_PAGES * PAGE + USER_STACK_SIZE);   /* the heap's reservation went */
	assert_int_equal(b.tk_vsize, a.tk_vsize - 4 * PAGE);
	assert_int_equal(fake_as_prot(cp->p_as, TEXT_VA), 0);                  /* the old addresses: nothing */
	assert_image(cp->p_as, MOVE);
	assert_stack(cp, ENTRY + MOVE, NULL);
}

/* a vfork child's exec: the parent's reply goes out, its address space stays */
static void test_exec_vfork(void **state)
{
	struct proc *cp = spawn(tp, "/bin/good", NULL);
	int tp_as = fake_obj(tp->p_as);
	long tp_pages = fake_as_pages(tp->p_as);
	uint64_t w[IPC_MAX_WORDS];
	uint32_t label;
	int n, who;

	/* make it what vfork makes: a second handle to its parent's space, nothing reserved, the reply held */
	lwp_destroy_all(sys, cp);
	k_handle_close(cp->p_as);
	mem_release(sys, cp, cp->p_vsize);
	assert_int_equal(k_handle_dup(tp->p_as, R_ALL, 0, &cp->p_as), 0);
	add_lwp(cp);
	fake_caller(tp->p_pid);
	assert_int_equal(k_reply_save(&cp->p_vfwait), 0);
	cp->p_flag |= PF_VFORK;
	n = fake_nreplies();

	assert_int_equal(do_exec(sys, cp, &cp->p_lwp[0], req("/bin/good")), 0);
	assert_int_equal(fake_nreplies(), n + 1);
	assert_int_equal(fake_reply(n, &who, &label, w), 0);
	assert_int_equal(who, tp->p_pid);
	assert_int_equal(label, 0);
	assert_int_equal(w[0], (uint64_t)cp->p_pid);
	assert_int_equal(cp->p_vfwait, -1);
	assert_false(cp->p_flag & PF_VFORK);
	assert_true(fake_obj_alive(tp_as));
	assert_int_equal(fake_obj(tp->p_as), tp_as);
	assert_int_equal(fake_as_pages(tp->p_as), tp_pages);
	assert_true(fake_obj(cp->p_as) != tp_as);
	assert_int_equal(cp->p_vsize, IMAGE_PAGES * PAGE + USER_STACK_SIZE);
	assert_image(cp->p_as, 0);
	assert_stack(cp, ENTRY, NULL);
}

/* exec failing before its commit point: the caller runs on unchanged */
static void test_exec_errors(void **state)
{
	static const struct { const char *path; int err; } bad[] = {
		{ "/bin/nope", ENOENT }, { "/bin/text", ENOEXEC }, { "/bin/truncated", ENOEXEC }, { "/bin/x86", ENOEXEC },
		{ "/bin/onstack", ENOEXEC }, { "/bin/overlap", ENOEXEC },     /* not images we run: no EAGAIN */
	};
	struct proc *cp = spawn(tp, "/bin/good", NULL);
	struct image_req rq;
	struct snap a, b;
	struct psnap pa, pb;

	add_lwp(cp);
	snap(cp, &a);
	psnap(cp, &pa);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(do_exec(sys, cp, &cp->p_lwp[0], req(bad[i].path)), bad[i].err);
		snap(cp, &b);
		assert_snap_equal_ff(&a, &b);
		psnap(cp, &pb);
		assert_psnap_equal(&pa, &pb);
	}
	rq = *req("/bin/good");
	rq.envc = 2;
	assert_int_equal(do_exec(sys, cp, &cp->p_lwp[0], &rq), EINVAL);
	/* its limit holds the new image alone: ENOMEM */
	cp->p_rctl[RCTL_PROCESS_MAX_AS] = USER_STACK_SIZE;
	assert_int_equal(do_exec(sys, cp, &cp->p_lwp[0], req("/bin/moved")), ENOMEM);
	cp->p_rctl[RCTL_PROCESS_MAX_AS] = RCTL_UNLIMITED;
	snap(cp, &b);
	assert_snap_equal_ff(&a, &b);
	psnap(cp, &pb);
	assert_psnap_equal(&pa, &pb);
	assert_image(cp->p_as, 0);
}

/* every step of an exec failing in turn: the caller intact each time */
static void test_exec_unwind(void **state)
{
	static const char *const want[] = {
		"k_as_create",
		"k_as_map",                                          /* stack */
		"k_as_map", "k_as_copy", "k_as_protect", "k_as_map", "k_as_copy",   /* text, data */
		"k_as_copy",                                         /* arguments and startinfo */
		"k_handle_dup", "k_thread_create",                   /* lwp_new */
	};
	const int codes[] = { E_NOMEM, E_NOSPC };
	const char *walked[64];

	for (int c = 0; c < 2; c++) {
		struct proc *cp = spawn(tp, "/bin/good", NULL);
		int n;
		add_lwp(cp);
		n = walk(cp, NULL, true, codes[c], walked, 64);
		assert_walked(walked, n, want, sizeof(want) / sizeof(want[0]));
		assert_image(cp->p_as, MOVE);                    /* the last try went through */
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_spawn_init),
		T(test_spawn_child),
		T(test_spawn_kit),
		T(test_spawn_errors),
		T(test_spawn_unwind),
		T(test_exec),
		T(test_exec_vfork),
		T(test_exec_errors),
		T(test_exec_unwind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
