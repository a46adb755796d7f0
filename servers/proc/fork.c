/*
 * forksys: fork1, forkall and vfork, as illumos cfork() does them, with
 * every hardware step a kernel call:
 *
 *   1. check the flags (EINVAL before anything is taken); forkall holds the
 *      caller's other lwps so their registers can be copied at rest
 *   2. getproc: pid, proc slot, task/project/zone/user/system limits
 *   3. address space: vfork borrows the parent's; otherwise its size is
 *      reserved (ENOMEM) and a copy-on-write clone made (ENOMEM from it is kept)
 *   4. the child's handle table: the parent's, with its own proc, console
 *      and fs handles (badged with its pid); the fs server copies the
 *      parent's descriptor table for it (open files)
 *   5. lwps: the caller's (fork1, vfork) or all of them (forkall) cloned into
 *      the child; the caller's clone returns (parent pid, 1)
 *   6. commit: the child runs; the parent gets (child pid, 0) now, or, for
 *      vfork, when the child execs or exits
 *
 * Any failure unwinds every step taken so far, in reverse, counts the kind
 * of failure in the zone, and makes the caller wait the punish delay.
 */
#include <string.h>
#include "procsrv.h"
#include "uapi/fs.h"

#define R_PROC_HANDLE (R_SEND | R_GRANT)

static void continue_lwps(struct proc *p, struct lwp *l)
{
	for (int i = 0; i < MAX_LWPS; i++)
		if (p->p_lwp[i].l_th >= 0 && &p->p_lwp[i] != l)
			k_thread_resume(p->p_lwp[i].l_th);
}

static int hold_lwps(struct proc *p, struct lwp *l)
{
	for (int i = 0; i < MAX_LWPS; i++)
		if (p->p_lwp[i].l_th >= 0 && &p->p_lwp[i] != l && k_thread_suspend(p->p_lwp[i].l_th)) {
			/* undo the ones already held */
			for (int j = 0; j < i; j++)
				if (p->p_lwp[j].l_th >= 0 && &p->p_lwp[j] != l)
					k_thread_resume(p->p_lwp[j].l_th);
			return EINTR;
		}
	return 0;
}

/* clone one lwp of p into cp; the caller's clone sees its call return (ppid, 1) */
static int fork_lwp(struct system *sys, struct proc *p, struct lwp *src, bool is_caller, struct proc *cp, handle_t fault)
{
	handle_t th;
	uint64_t tid;
	int err = k_thread_clone(src->l_th, cp->p_as, cp->p_cs, fault,
				 is_caller ? CLONE_REPLY : CLONE_INTR, (uint64_t)p->p_pid, &th);
	if (err)
		return err;
	if ((err = k_thread_tid(th, &tid)) || (err = lwp_add(sys, cp, th, tid))) {
		k_thread_destroy(th);
		k_handle_close(th);
		return err;
	}
	/* the same lwp id and mask; nothing pending (POSIX: the child's pending set is empty) */
	struct lwp *cl = lwp_find(cp, tid);
	cl->l_id = src->l_id;
	/* one held in sigsuspend has a mask for the wait: its clone's call ends (EINTR) with the real one */
	cl->l_sigmask = src->l_sigwait >= 0 && !src->l_waitset ? src->l_oldmask : src->l_sigmask;
	cl->l_altbase = src->l_altbase;          /* its alternate signal stack is in the copy too */
	cl->l_altsize = src->l_altsize;
	cl->l_policy = src->l_policy;            /* the kernel's clone kept the priority */
	cl->l_schedprio = src->l_schedprio;
	return 0;
}

int do_forksys(struct system *sys, struct proc *p, struct lwp *l, int subcode, int flags, struct msg *out)
{
	bool isvfork = subcode == FORK_VFORK, isforkall = subcode == FORK_FORKALL;
	struct proc *cp = NULL;
	handle_t fault = -1;
	int err;

	/* 1. only these flags, only these subcodes: nothing is allocated yet */
	if ((flags & ~(FORK_NOSIGCHLD | FORK_WAITPID)) || subcode < FORK_FORK1 || subcode > FORK_VFORK) {
		p->p_zone->z_ffmisc++;
		return EINVAL;
	}
	if (isforkall && (err = hold_lwps(p, l))) {
		p->p_zone->z_ffmisc++;
		return err;
	}

	/* 2. getproc (it counts its own failures) */
	if ((err = getproc(sys, p, &cp)))
		goto fail_hold;

	/* 3. address space: a copy reserves as much as the parent has (mem.c) */
	if (!isvfork && mem_reserve(sys, cp, p->p_vsize)) {
		cp->p_zone->z_ffnomem++;
		err = ENOMEM;
		goto fail_proc;
	}
	if (isvfork)
		err = k_handle_dup(p->p_as, R_ALL, 0, &cp->p_as);
	else
		err = k_as_clone(p->p_as, &cp->p_as);
	if (err) {
		if (err == ENOMEM && !isvfork) {
			cp->p_zone->z_ffnomem++;  /* ENOMEM kept, as illumos keeps it */
		} else {
			cp->p_zone->z_ffmisc++;
			err = EAGAIN;
		}
		goto fail_proc;
	}

	/* 4. handle table: the same handles, but the proc handle names the child */
	if ((err = k_cspace_clone(p->p_cs, &cp->p_cs)))
		goto fail_misc_as;
	if ((err = k_handle_replace(cp->p_cs, p->p_h_proc, sys->proc_ep, R_PROC_HANDLE,
					   (uint64_t)cp->p_pid)) ||
	    (p->p_h_console >= 0 && (err = k_handle_replace(cp->p_cs, p->p_h_console, sys->console_ep,
								  R_SEND, (uint64_t)cp->p_pid))) ||
	    (p->p_h_fs >= 0 && (err = k_handle_replace(cp->p_cs, p->p_h_fs, sys->fs_ep, R_SEND,
							     (uint64_t)cp->p_pid))))
		goto fail_misc_cs;
	if (p->p_h_fs >= 0 && (err = k_fs_ctl(FS_PFORK, (uint64_t)p->p_pid, (uint64_t)cp->p_pid)))
		goto fail_misc_cs;

	/* 5. lwps: every one of them report faults and exits to us, badged with the pid */
	if ((err = lwp_fault_ep(sys, cp, &fault)))
		goto fail_misc_files;
	if (isforkall) {
		for (int i = 0; i < MAX_LWPS; i++)
			if (p->p_lwp[i].l_th >= 0 && (err = fork_lwp(sys, p, &p->p_lwp[i], &p->p_lwp[i] == l, cp, fault)))
				goto fail_misc_lwps;
	} else if ((err = fork_lwp(sys, p, l, true, cp, fault))) {
		goto fail_misc_lwps;
	}
	/* vfork: hold the parent's reply now; if it cannot be held the child must not share its AS */
	if (isvfork && (err = k_reply_save(&cp->p_vfwait)))
		goto fail_misc_lwps;
	k_handle_close(fault);

	/* 6. no failure past this point */
	cp->p_stat = P_RUN;
	cp->p_flag = (flags & FORK_NOSIGCHLD ? PF_NOSIGCHLD : 0) | (flags & FORK_WAITPID ? PF_WAITPID : 0);
	for (int i = 0; i < MAX_LWPS; i++)
		if (cp->p_lwp[i].l_th >= 0)
			k_thread_resume(cp->p_lwp[i].l_th);
	if (isforkall)
		continue_lwps(p, l);
	if (isvfork) {
		/* the parent waits (vfwait) until the child execs or exits (relvm) */
		cp->p_flag |= PF_VFORK;
		return HELD;
	}
	out->w[0] = (uint64_t)cp->p_pid;
	out->w[1] = 0;
	return 0;

	/* the unwind ladder, in reverse order of the steps */
fail_misc_lwps:
	lwp_destroy_all(sys, cp);
	if (fault >= 0)
		k_handle_close(fault);
fail_misc_files:
	if (p->p_h_fs >= 0)
		k_fs_ctl(FS_PEXIT, (uint64_t)cp->p_pid, 0);
fail_misc_cs:
	k_cspace_clear(cp->p_cs);
	k_handle_close(cp->p_cs);
fail_misc_as:
	k_handle_close(cp->p_as);
	cp->p_zone->z_ffmisc++;
	err = EAGAIN;                    /* only the address-space clone keeps ENOMEM */
fail_proc:
	getproc_undo(sys, cp);
fail_hold:
	if (isforkall)
		continue_lwps(p, l);
	return punish(sys, err);              /* the reply waits punish_ticks() */
}
