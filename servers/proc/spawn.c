/*
 * Programs from the boot archive: spawn (a new child process, newproc-like)
 * and exec (a new image for an existing process).  Layout of a fresh image:
 * the ELF's segments, a stack below USER_STACK_TOP (uapi/abi.h) whose top holds the startinfo
 * and below it main()'s arguments (one copy, no page or page table of its own).
 * The archive itself, and what a request names in it, are image.c's.
 */
#include <string.h>
#include "sys.h"
#include "procsrv.h"
#include "args.h"
#include "uapi/fs.h"

#define SI_SPACE   ((sizeof(struct startinfo) + 15) & ~15ul)
#define STARTINFO  (USER_STACK_TOP - SI_SPACE)

static uint64_t image_bytes;          /* what elf_load has mapped of the image being built */
/* elf_load's operations speak the kernel's negative codes (root's are the calls themselves) */
static long f_map(handle_t as, uint64_t va, uint64_t len, int prot)
{
	image_bytes += len;
	return -(long)k_as_map(as, va, len, prot);
}
static long f_copy(handle_t as, uint64_t d, const void *s, uint64_t len) { return -(long)k_as_copy(as, d, s, len); }
static long f_protect(handle_t as, uint64_t va, uint64_t len, int prot) { return -(long)k_as_protect(as, va, len, prot); }
static const struct elf_ops kops = { f_map, f_copy, f_protect };

/* what a process is told of a kernel call that failed for it: ENOMEM stays, the rest is EAGAIN */
static int kfail(int err)
{
	return err == 0 || err == ENOMEM ? err : EAGAIN;
}

/*
 * elf_load's result (the kernel's negative codes) as errno: -E_INVAL (not an
 * image we run) and -E_BUSY (its pages overlap each other or the stack, which
 * is mapped first) are ENOEXEC, a kernel call that failed is kfail's
 */
static int elf_errno(long r)
{
	return r == -E_INVAL || r == -E_BUSY ? ENOEXEC : kfail((int)-r);
}

/*
 * A fresh address space holding the image, its stack with main's arguments,
 * and startinfo (extra: h_extra[]); *vsize: the bytes mapped (mem.c reserves them).
 */
static int build_image(struct system *sys, struct proc *p, const void *img, uint64_t size, const struct image_req *rq,
		       const handle_t *extra, int nextra, handle_t *as, uint64_t *entry, uint64_t *sp,
		       uint64_t *vsize)
{
	static struct startinfo si;
	static char args[ARGS_MAX + SI_SPACE];    /* the arguments, then the startinfo */
	struct args_image ai;
	size_t argv_len = 0;
	long r;
	int err;

	if ((r = args_layout(rq->strs, rq->len, rq->argc, rq->envc, STARTINFO, args, ARGS_MAX, &ai)))
		return r == -E2BIG ? E2BIG : EINVAL;
	if ((err = k_as_create(as)))
		return kfail(err);
	memset(&si, 0, sizeof(si));
	si.magic = STARTINFO_MAGIC;
	si.h_thread = si.h_as = si.h_cspace = si.h_fault = -1;
	si.h_proc = p->p_h_proc;
	si.h_console = p->p_h_console;
	si.h_fs = p->p_h_fs;
	for (int i = 0; i < STARTINFO_NEXTRA; i++)
		si.h_extra[i] = i < nextra ? extra[i] : -1;
	si.ncpus = (uint64_t)sys->ncpus;
	si.sig_ignored = p->p_sigign;             /* what stays ignored: libc's sigaction reports it */
	si.argc = ai.argc;
	si.argv = (char **)ai.argv;
	si.envp = (char **)ai.envp;
	/* the old words too, for programs that read them: argv's strings (args_layout checked them),
	   not the environment after them, cut to leave the empty word that ends them */
	for (uint64_t i = 0; i < rq->argc; i++)
		argv_len += strlen(rq->strs + argv_len) + 1;
	memcpy(si.args, rq->strs, argv_len < sizeof(si.args) - 2 ? argv_len : sizeof(si.args) - 2);
	memset(args + ai.size, 0, SI_SPACE);
	memcpy(args + ai.size, &si, sizeof(si));
	image_bytes = 0;
	/* the stack first: an image with pages on it fails to map them (elf_errno) */
	if ((err = k_as_map(*as, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, PROT_R | PROT_W)))
		err = kfail(err);
	else if ((r = elf_load(&kops, *as, img, size, entry)))
		err = elf_errno(r);
	else if ((err = k_as_copy(*as, ai.sp, args, ai.size + SI_SPACE)))
		err = kfail(err);
	if (err) {
		k_handle_close(*as);
		return err;
	}
	*sp = ai.sp;
	*vsize = image_bytes + USER_STACK_SIZE;
	return 0;
}

/*
 * spawn: a new child of parent running the image (newproc, then exec).  It
 * inherits the parent's descriptors (FS_PFORK, then the close-on-exec ones
 * go), or, for a parent without files (init, made by us), gets a fresh
 * table on the console (FS_PNEW).  A kit adds handles, device registers
 * and a bound notification (the console server, PROC_CONSOLE).
 */
int do_spawn(struct system *sys, struct proc *parent, const struct image_req *rq, const struct spawn_kit *kit, int *pid)
{
	static const struct spawn_kit none = { .bind = -1, .dev = -1 };
	char name[16];
	uint64_t size, entry, sp, vsize, tid;
	const void *img = image_find(rq->path, name, sizeof(name), &size);
	struct proc *cp;
	handle_t th = -1, as = -1, given[4];
	int err;

	if (!kit)
		kit = &none;
	if (!img)
		return ENOENT;
	if ((err = getproc(sys, parent, &cp)))
		return err;
	memcpy(cp->p_name, name, sizeof(cp->p_name));
	if ((err = kfail(k_cspace_create(&cp->p_cs))))
		goto fail_proc;
	/* what it makes is charged to it (a fork's table keeps its parent's limit: SYS_CSPACE_CLONE) */
	if ((err = kfail(k_cspace_limit(cp->p_cs, cp->p_rctl[RCTL_PROCESS_MAX_KOBJ], NULL))))
		goto fail_cs;
	/* its handles: the proc server, the console, the file server (each badged with its pid), the kit's */
	cp->p_h_console = cp->p_h_fs = -1;
	if ((err = kfail(k_handle_give(cp->p_cs, sys->proc_ep, R_SEND | R_GRANT, (uint64_t)cp->p_pid, &cp->p_h_proc))))
		goto fail_cs;
	if (sys->console_ep >= 0 &&
	    (err = kfail(k_handle_give(cp->p_cs, sys->console_ep, R_SEND, (uint64_t)cp->p_pid, &cp->p_h_console))))
		goto fail_cs;
	if (sys->fs_ep >= 0 && (err = kfail(k_handle_give(cp->p_cs, sys->fs_ep, R_SEND, (uint64_t)cp->p_pid, &cp->p_h_fs))))
		goto fail_cs;
	for (int i = 0; i < kit->ngive; i++)
		if ((err = kfail(k_handle_give(cp->p_cs, kit->give[i], kit->mask[i], 0, &given[i]))))
			goto fail_cs;
	if (cp->p_h_fs >= 0) {
		err = parent->p_h_fs >= 0 ? kfail(k_fs_ctl(FS_PFORK, (uint64_t)parent->p_pid, (uint64_t)cp->p_pid))
					  : kfail(k_fs_ctl(FS_PNEW, (uint64_t)cp->p_pid, 0));
		if (err)
			goto fail_cs;
	}
	if ((err = build_image(sys, cp, img, size, rq, given, kit->ngive, &as, &entry, &sp, &vsize)))
		goto fail_files;
	if ((err = mem_reserve(sys, cp, vsize)))
		goto fail_as;                    /* getproc_undo gives the reservation back */
	/* device registers are in place before its first instruction runs (on any hart) */
	if (kit->dev >= 0 && (err = kfail(k_as_map_device(kit->dev, as, kit->dev_va, kit->dev_pa, kit->dev_len))))
		goto fail_as;
	cp->p_lwpcnt = 0;                    /* a new image: its lwp is lwp 1 */
	if ((err = kfail(lwp_make(sys, cp, as, kit->prio ? kit->prio : sched_kprio(kit->sched_policy, kit->sched_prio),
				  &th, &tid))))
		goto fail_as;
	if ((kit->bind >= 0 && (err = kfail(k_ntfn_bind(kit->bind, th)))) ||
	    (err = kfail(k_thread_start(th, entry, sp, STARTINFO, 0))))
		goto fail_lwp;
	/* no failure past this point */
	if (cp->p_h_fs >= 0)
		k_fs_ctl(FS_PEXEC, (uint64_t)cp->p_pid, 0);
	cp->p_as = as;
	cp->p_brk = HEAP_BASE;
	cp->p_stat = P_RUN;
	cp->p_flag |= PF_EXECED;
	cp->p_lwp[0].l_sigmask = kit->sigmask;   /* posix_spawn: the spawning thread's mask ... */
	if (!kit->prio) {
		cp->p_lwp[0].l_policy = kit->sched_policy;   /* ... and scheduling */
		cp->p_lwp[0].l_schedprio = kit->sched_prio;
	}
	cred_exec(cp);
	sig_exec(cp);
	*pid = cp->p_pid;
	return 0;

fail_lwp:
	k_thread_destroy(th);
	lwp_remove(sys, cp, &cp->p_lwp[0]);
	k_handle_close(th);
fail_as:
	k_handle_close(as);
fail_files:
	if (cp->p_h_fs >= 0)
		k_fs_ctl(FS_PEXIT, (uint64_t)cp->p_pid, 0);
fail_cs:
	k_cspace_clear(cp->p_cs);
	k_handle_close(cp->p_cs);
fail_proc:
	getproc_undo(sys, cp);
	return err;
}

/*
 * exec: everything that can fail happens first, in a new address space;
 * then the old lwps and address space go, a vfork parent is let go (relvm),
 * the close-on-exec descriptors close, and the new image starts.  On
 * failure the caller keeps running unchanged.
 */
int do_exec(struct system *sys, struct proc *p, struct lwp *caller, const struct image_req *rq)
{
	uint64_t mask = caller->l_sigmask, pend = caller->l_sigpend;
	int caller_id = caller->l_id;
	int policy = caller->l_policy, schedprio = caller->l_schedprio;
	char name[16];
	uint64_t size, entry, sp, vsize;
	const void *img = image_find(rq->path, name, sizeof(name), &size);
	handle_t as, th;
	int err;
	uint64_t tid;

	if (!img)
		return ENOENT;
	if ((err = build_image(sys, p, img, size, rq, NULL, 0, &as, &entry, &sp, &vsize)))
		return err;
	/* its thread now, but one of its lwps only past the commit point: the old ones go first */
	if ((err = mem_exec_check(sys, p, vsize)) || (err = kfail(lwp_new(sys, p, as, sched_kprio(policy, schedprio), &th, &tid)))) {
		k_handle_close(as);
		return err;
	}
	/* no failure past this point */
	sig_retag(sys, p, caller_id, -2);  /* what waits for the caller, kept from lwp_destroy_all */
	caller->l_sigpend = 0;
	lwp_destroy_all(sys, p);
	vfork_release(sys, p);
	k_handle_close(p->p_as);
	p->p_as = as;
	mem_exec_commit(sys, p, vsize);
	if (p->p_h_fs >= 0)
		k_fs_ctl(FS_PEXEC, (uint64_t)p->p_pid, 0);
	memcpy(p->p_name, name, sizeof(p->p_name));
	p->p_lwpcnt = 0;                   /* its one lwp is lwp 1 */
	lwp_add(sys, p, th, tid);
	/* the signal mask and what was pending for the exec'ing lwp stay (POSIX) */
	struct lwp *l = lwp_find(p, tid);
	l->l_sigmask = mask;
	l->l_sigpend = pend;
	sig_retag(sys, p, -2, l->l_id);
	l->l_policy = policy;                /* and the scheduling (POSIX) */
	l->l_schedprio = schedprio;
	sig_exec(p);
	cred_exec(p);
	k_thread_start(th, entry, sp, STARTINFO, 0);
	p->p_flag = (p->p_flag | PF_EXECED) & ~PF_CONSOLE;   /* its UART stays with the old image */
	p->p_brk = HEAP_BASE;
	sig_dispatch(sys, p);              /* a pending signal whose action is now the default */
	return 0;
}
