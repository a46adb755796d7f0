/*
 * The root task: the first user program.  It holds every privilege the
 * kernel hands out at boot.  It starts the console server on the UART the
 * device tree names, then either the in-guest test suite (bootargs "test")
 * or the demo program, and afterwards serves faults, exits and spawn
 * requests of its children on one endpoint.
 */
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include "root.h"
#include "fdt.h"
#include "uapi/proc.h"

#define CONSOLE_UART_VA 0x50000000ul
#define PRIO_CONSOLE 30
#define PRIO_PROGRAM 10
#define PRIO_PROC 20
#define PRIO_FS 20

static handle_t h_sysctl;

static long debug_write(const char *s, size_t n)
{
	return debug_puts(h_sysctl, s, n);
}

static int start_console(const struct bootinfo *bi, const struct fdt_platform *plat, handle_t cons_ep,
			 handle_t proc_ep)
{
	handle_t irq, ntfn, tty, extra[4];
	int idx;
	long err;

	if (!plat->uart.present) {
		printf("root: no UART in the device tree\n");
		return -E_SRCH;
	}
	if ((err = irq_get(bi->h_sysctl, plat->uart.irq, &irq)) || (err = ntfn_create(&ntfn)))
		return (int)err;
	/* the terminal's handle on the proc server: ^C and ^Z, tcsetpgrp's checks */
	if ((err = handle_dup(proc_ep, R_SEND, PROC_BADGE_TTY, &tty)))
		return (int)err;
	extra[0] = cons_ep;
	extra[1] = irq;
	extra[2] = ntfn;
	extra[3] = tty;
	struct spawn_opts opt = { .dev_va = CONSOLE_UART_VA, .dev_pa = plat->uart.base & ~0xffful, .dev_len = 4096 };
	idx = spawn_with("console", extra, 4, plat->uart.compat, PRIO_CONSOLE, &opt);
	handle_close(irq);
	handle_close(ntfn);
	handle_close(tty);
	(void)bi;
	return idx;
}

/* the file server: its endpoint, the boot archive (its read-only tree) */
static int start_fs(handle_t fs_ep)
{
	struct spawn_opts opt = { .archive = true };
	return spawn_with("fs", &fs_ep, 1, NULL, PRIO_FS, &opt);
}

/* the proc server: its endpoint, power-off, the file server, the boot archive; it starts init */
static int start_proc(const struct bootinfo *bi, const char *args, handle_t ep, handle_t fs_ep)
{
	handle_t power, extra[3];
	int idx;
	if (handle_dup(bi->h_sysctl, R_POWER | R_DEBUG, 0, &power))
		return -E_NOMEM;
	extra[0] = ep;
	extra[1] = power;
	extra[2] = fs_ep;
	struct spawn_opts opt = { .archive = true };
	idx = spawn_with("proc", extra, 3, args, PRIO_PROC, &opt);
	handle_close(power);
	return idx;
}

static const char *bootargs(const void *dtb)
{
	int node = fdt_path_offset(dtb, "/chosen"), len;
	const char *s = node >= 0 ? fdt_getprop(dtb, node, "bootargs", &len) : NULL;
	return s && len > 0 ? s : "";
}

/* a message on the root endpoint */
static void serve(handle_t ep, struct msg *m, struct ipc_ext *e, char *buf, bool *done_test, int test_idx)
{
	int idx = (int)(m->badge >> 8);
	uint32_t label = IPC_LABEL(m->info);
	struct child *c = idx < MAX_CHILDREN ? &children[idx] : NULL;

	if (label == LABEL_FAULT && c) {
		printf("root: %s faulted: scause %lu stval 0x%lx pc 0x%lx; stopped\n", c->name,
		       (unsigned long)m->w[0], (unsigned long)m->w[1], (unsigned long)m->w[2]);
		if (idx == test_idx)
			*done_test = true;
		child_reap(idx);
		return;
	}
	if (label == LABEL_EXIT && c) {
		if (c->waiter >= 0) {
			struct msg r = { .info = IPC_INFO(0, 1), .w = { m->w[0] } };
			ipc_send(c->waiter, &r, NULL);
		}
		if (idx == test_idx)
			*done_test = true;
		child_reap(idx);
		return;
	}
	if (label == ROOT_SPAWN && (m->badge & 0xff) == ROOT_BADGE_SVC) {
		handle_t extra[1] = { (m->info & IPC_GOT_CAP) ? e->rcap : -1 };
		int wait = (int)m->w[0];
		int r;
		buf[(m->info & IPC_GOT_BUF) ? (e->rbytes < 63 ? e->rbytes : 63) : 0] = '\0';
		r = spawn(buf, extra, 1, NULL, PRIO_PROGRAM);
		if (extra[0] >= 0)
			handle_close(extra[0]);
		if (r >= 0 && wait) {
			reply_save(&children[r].waiter);
			return;
		}
		struct msg rep = { .info = IPC_INFO(0, 1), .w = { (uint64_t)r } };
		ipc_reply(&rep, NULL);
		return;
	}
	(void)ep;
	struct msg rep = { .info = IPC_INFO((uint32_t)-E_NOSYS, 0) };
	if (m->info & IPC_FROM_CALL)
		ipc_reply(&rep, NULL);
}

int umain(void *arg)
{
	struct bootinfo *bi = arg;
	static struct fdt_platform plat;
	static char buf[256];
	handle_t root_ep, cons_ep, cons_client, proc_ep, fs_ep = -1;
	struct msg m = { 0 };
	struct ipc_ext e = { .rbuf = (uint64_t)buf, .rlen = sizeof(buf) - 1, .scap = -1 };
	bool testing, done_test = false;
	int test_idx = -1;
	const char *args;

	h_sysctl = bi->h_sysctl;
	libsys_set_output(debug_write);
	if (bi->magic != BOOTINFO_MAGIC)
		return 1;
	if (fdt_platform_parse((const void *)bi->dtb, bi->dtb_len, &plat)) {
		printf("root: bad device tree\n");
		return 1;
	}
	args = bootargs((const void *)bi->dtb);
	testing = strstr(args, "test") != NULL;
	printf("root: up on %s, %lu harts, bootargs \"%s\"\n", plat.model, (unsigned long)bi->ncpus, args);

	if (ep_create(&root_ep) || ep_create(&cons_ep) || handle_dup(cons_ep, R_SEND, 0, &cons_client) ||
	    ep_create(&proc_ep))
		return 1;
	spawn_init(bi->h_self_as, root_ep, -1, bi);
	if (start_console(bi, &plat, cons_ep, proc_ep) < 0) {
		printf("root: console server did not start\n");
		return 1;
	}
	/* from here on everything prints through the console server */
	static struct startinfo self = { .magic = STARTINFO_MAGIC };
	self.h_console = cons_client;
	startinfo = &self;
	libsys_set_output(console_write);
	spawn_init(bi->h_self_as, root_ep, cons_client, bi);

	/*
	 * With "test" or "bench", the kernel's own suite (ktest, kbench: they need
	 * the privileged handles only we give) runs first; then the proc server
	 * starts init, which runs the process suite and powers off.
	 */
	if (testing || strstr(args, "bench")) {
		/* ktest gets a sysctl for the IPC trace only (R_DEBUG) */
		handle_t dbg = -1;
		if (testing && handle_dup(bi->h_sysctl, R_DEBUG, 0, &dbg))
			dbg = -1;
		test_idx = spawn(testing ? "ktest" : "kbench", &dbg, 1, args, PRIO_PROGRAM);
		if (dbg >= 0)
			handle_close(dbg);
		if (test_idx < 0)
			printf("root: cannot start the kernel suite (%d)\n", test_idx);
	}
	if (ep_create(&fs_ep) || start_fs(fs_ep) < 0) {
		printf("root: file server did not start\n");
		if (fs_ep >= 0)
			handle_close(fs_ep);     /* nobody would answer: processes run without files */
		fs_ep = -1;
	}
	if (test_idx < 0 && start_proc(bi, args, proc_ep, fs_ep) < 0)
		printf("root: proc server did not start\n");

	for (;;) {
		long r = ipc_recv(root_ep, &m, &e);
		if (r < 0)
			continue;
		serve(root_ep, &m, &e, buf, &done_test, test_idx);
		if (done_test) {
			struct sysinfo si;
			sys_info(&si);
			printf("root: kernel suite finished; %lu pages free; starting the proc server\n",
			       (unsigned long)si.free_pages);
			done_test = false;
			test_idx = -1;
			if (start_proc(bi, args, proc_ep, fs_ep) < 0)
				sys_poweroff(h_sysctl);
		}
	}
}
