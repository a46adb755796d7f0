/*
 * Starting programs from the boot archive: an address space, a handle table,
 * the ELF's segments, a stack, a startinfo page, one thread whose faults and
 * exit come to the root endpoint with the child's badge.
 */
#include <stdio.h>
#include <string.h>
#include "root.h"

#define CHILD_STARTINFO  0x0f000000ul
#define CHILD_ARCHIVE    0x20000000ul

struct child children[MAX_CHILDREN];
static handle_t h_self_as, h_root_ep;
static const struct bootinfo *boot;

void spawn_init(handle_t self_as, handle_t root_ep, const struct bootinfo *bi)
{
	h_self_as = self_as;
	h_root_ep = root_ep;
	boot = bi;
	for (int i = 0; i < MAX_CHILDREN; i++)
		children[i].waiter = -1;
}

int spawn(const char *name, const handle_t *extra, int nextra, const char *args, int prio)
{
	return spawn_with(name, extra, nextra, args, prio, NULL);
}

int spawn_with(const char *name, const handle_t *extra, int nextra, const char *args, int prio,
	       const struct spawn_opts *opt)
{
	bool archive = opt && opt->archive;
	static struct startinfo si;
	struct child *c = NULL;
	uint64_t size, entry;
	const char *img = NULL;
	handle_t fault = -1;
	long err;
	int idx;

	/* servers live in sbin/ of the archive, test programs in test/ */
	for (int i = 0; i < 3 && !img; i++) {
		static const char *const dirs[] = { "", "sbin/", "test/" };
		char path[64];
		snprintf(path, sizeof(path), "%s%s", dirs[i], name);
		img = cpio_find((const void *)boot->archive, boot->archive_len, path, &size);
	}
	if (!img)
		return -E_SRCH;
	for (idx = 0; idx < MAX_CHILDREN; idx++)
		if (!children[idx].used) {
			c = &children[idx];
			break;
		}
	if (!c)
		return -E_AGAIN;
	memset(c, 0, sizeof(*c));
	c->waiter = -1;
	strncpy(c->name, name, sizeof(c->name) - 1);
	if ((err = as_create(boot->h_sysctl, &c->as)))
		return (int)err;
	if ((err = cspace_create(boot->h_sysctl, &c->cs)))
		goto fail_as;
	if ((err = elf_load(&elf_ops_direct, c->as, img, size, &entry)) ||
	    (err = as_map(c->as, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, PROT_R | PROT_W)) ||
	    (err = as_map(c->as, CHILD_STARTINFO, 4096, PROT_R | PROT_W)))
		goto fail_cs;
	if ((err = handle_dup(h_root_ep, R_SEND, ((uint64_t)idx << 8) | ROOT_BADGE_FAULT, &fault)) ||
	    (err = thread_create(c->as, c->cs, prio, fault, &c->thread)))
		goto fail_cs;
	thread_name(c->thread, c->name, strnlen(c->name, 15));   /* for the IPC trace */

	memset(&si, 0, sizeof(si));
	si.magic = STARTINFO_MAGIC;
	si.h_console = si.h_fault = si.h_proc = si.h_fs = -1;
	for (int i = 0; i < STARTINFO_NEXTRA; i++)
		si.h_extra[i] = -1;
	if ((err = handle_give(c->cs, c->thread, R_ALL, 0, &si.h_thread)) ||
	    (err = handle_give(c->cs, c->as, R_ALL, 0, &si.h_as)) ||
	    (err = handle_give(c->cs, c->cs, R_ALL, 0, &si.h_cspace)) ||
	    (err = handle_give(c->cs, fault, R_SEND, 0, &si.h_fault)))
		goto fail_thread;
	for (int i = 0; i < nextra && i < ROOT_SVC; i++)
		if (extra[i] >= 0 && (err = handle_give(c->cs, extra[i], R_ALL, 0, &si.h_extra[i])))
			goto fail_thread;
	/* a handle back to us for service requests */
	{
		handle_t svc;
		if ((err = handle_dup(h_root_ep, R_SEND | R_GRANT, ((uint64_t)idx << 8) | ROOT_BADGE_SVC, &svc)))
			goto fail_thread;
		err = handle_give(c->cs, svc, R_SEND | R_GRANT, 0, &si.h_extra[ROOT_SVC]);
		handle_close(svc);
		if (err)
			goto fail_thread;
	}
	si.ncpus = boot->ncpus;
	if (archive) {
		/* the proc server loads programs from its own copy of the boot archive */
		si.archive = CHILD_ARCHIVE;
		si.archive_len = boot->archive_len;
		if ((err = as_map(c->as, CHILD_ARCHIVE, (boot->archive_len + 4095) & ~4095ul, PROT_R | PROT_W)) ||
		    (err = as_copy_all(c->as, CHILD_ARCHIVE, (const void *)boot->archive, boot->archive_len)))
			goto fail_thread;
	}
	{
		/* words separated by NULs, the program's name first, as the proc server does it */
		size_t n = strlen(name) + 1;
		memcpy(si.args, name, n);
		for (const char *a = args ? args : ""; *a && n < sizeof(si.args) - 2; a++)
			si.args[n++] = *a == ' ' ? '\0' : *a;
	}
	if (opt && opt->dev_len) {
		si.dev_pa = opt->dev_pa;
		si.dev_len = opt->dev_len;
		strncpy(si.dev_compat, opt->dev_compat ? opt->dev_compat : "", sizeof(si.dev_compat) - 1);
	}
	if ((err = as_copy(c->as, CHILD_STARTINFO, &si, sizeof(si))) ||
	    (err = thread_start(c->thread, entry, USER_STACK_TOP, CHILD_STARTINFO, 0)))
		goto fail_thread;
	handle_close(fault);
	c->used = 1;
	return idx;

fail_thread:
	handle_close(c->thread);
fail_cs:
	cspace_clear(c->cs);
	if (fault >= 0)
		handle_close(fault);
	handle_close(c->cs);
fail_as:
	handle_close(c->as);
	return (int)err;
}

/* the child's thread is gone: let go of its objects */
void child_reap(int idx)
{
	struct child *c = &children[idx];
	if (!c->used)
		return;
	thread_destroy(c->thread);
	cspace_clear(c->cs);            /* it holds handles to itself */
	handle_close(c->thread);
	handle_close(c->as);
	handle_close(c->cs);
	c->used = 0;
}
