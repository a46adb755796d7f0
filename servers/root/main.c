/*
 * The root task: the first user program.  It holds every privilege the
 * kernel hands out at boot.  It reads the device tree, starts the kernel's
 * in-guest suite (bootargs "test" or "bench") and, once that is done, the
 * file server and the proc server (which makes init; init has it start the console server on the
 * UART root hands over), and afterwards serves faults, exits and spawn
 * requests of its children on one endpoint.
 */
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include "root.h"
#include "fdt.h"
#include "uapi/proc.h"

#define PRIO_PROGRAM 10
#define PRIO_PROC 20
#define PRIO_FS 20

/*
 * What the proc server needs to start the console server when init asks:
 * the UART's interrupt and a device handle for its registers only.
 */
static void console_kit(const struct bootinfo *bi, const struct fdt_platform *plat, handle_t kit[2],
			struct spawn_opts *opt)
{
	uint64_t pa = plat->uart.base & ~0xffful;

	kit[0] = kit[1] = -1;
	if (!plat->uart.present) {
		printf("root: no UART in the device tree: no console\n");
		return;
	}
	if (irq_get(bi->h_sysctl, plat->uart.irq, &kit[0]) || device_sub(bi->h_device, pa, 4096, &kit[1])) {
		printf("root: cannot hand out the UART (irq %u, registers at 0x%lx): no console\n",
		       (unsigned)plat->uart.irq, (unsigned long)pa);
		if (kit[0] >= 0)
			handle_close(kit[0]);
		kit[0] = -1;
		return;
	}
	opt->dev_pa = pa;
	opt->dev_len = 4096;
	opt->dev_compat = plat->uart.compat;
}

/* the file server: its endpoint, a sysctl to print with, the boot archive (its read-only tree) */
static int start_fs(handle_t fs_ep, handle_t dbg)
{
	handle_t extra[2] = { fs_ep, dbg };
	struct spawn_opts opt = { .archive = true };
	return spawn_with("fs", extra, 2, NULL, PRIO_FS, &opt);
}

/*
 * The proc server: its endpoint, a sysctl for power-off, printing and making
 * address spaces and handle tables, the
 * file server, the console's endpoint, UART interrupt and registers (its
 * kit), the boot archive.  It starts init; init has it start the console.
 */
static int start_proc(const struct bootinfo *bi, const char *args, handle_t ep, handle_t fs_ep, handle_t cons_ep,
		      const handle_t kit[2], const struct spawn_opts *kit_opt)
{
	handle_t power, extra[6];
	struct spawn_opts opt = *kit_opt;
	int idx;
	if (handle_dup(bi->h_sysctl, R_POWER | R_DEBUG | R_CONTROL, 0, &power))
		return -E_NOMEM;
	extra[0] = ep;
	extra[1] = power;
	extra[2] = fs_ep;
	extra[3] = cons_ep;
	extra[4] = kit[0];
	extra[5] = kit[1];
	opt.archive = true;
	idx = spawn_with("proc", extra, 6, args, PRIO_PROC, &opt);
	handle_close(power);
	return idx;
}

/* the file server, then the proc server (which has it); processes run without files if it fails */
static int start_servers(const struct bootinfo *bi, const char *args, handle_t proc_ep, handle_t *fs_ep,
			 handle_t cons_ep, const handle_t kit[2], const struct spawn_opts *kit_opt, handle_t dbg)
{
	if (ep_create(fs_ep) || start_fs(*fs_ep, dbg) < 0) {
		printf("root: file server did not start\n");
		if (*fs_ep >= 0)
			handle_close(*fs_ep);    /* nobody would answer: processes run without files */
		*fs_ep = -1;
	}
	return start_proc(bi, args, proc_ep, *fs_ep, cons_ep, kit, kit_opt);
}

static const char *bootargs(const void *dtb)
{
	int node = fdt_path_offset(dtb, "/chosen"), len;
	const char *s = node >= 0 ? fdt_getprop(dtb, node, "bootargs", &len) : NULL;
	return s && len > 0 ? s : "";
}

/*
 * A message on the root endpoint.  A handle it carries is ROOT_SPAWN's extra
 * handle for the child, and closed once given; any other is closed unasked.
 */
static void serve(handle_t ep, struct msg *m, struct ipc_ext *e, char *buf, bool *done_test, int test_idx)
{
	int idx = (int)(m->badge >> 8);
	uint32_t label = IPC_LABEL(m->info);
	struct child *c = idx < MAX_CHILDREN ? &children[idx] : NULL;

	if ((m->info & IPC_GOT_CAP) && !(label == ROOT_SPAWN && (m->badge & 0xff) == ROOT_BADGE_SVC))
		handle_close(e->rcap);

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
	handle_t root_ep, cons_ep, proc_ep, fs_ep = -1, dbg, kit[2];
	struct spawn_opts kit_opt = { 0 };
	struct msg m = { 0 };
	struct ipc_ext e = { .rbuf = (uint64_t)buf, .rlen = sizeof(buf) - 1, .scap = -1 };
	bool testing, done_test = false;
	int test_idx = -1;
	const char *args;

	libsys_output_debug(bi->h_sysctl);
	if (bi->magic != BOOTINFO_MAGIC)
		return 1;
	if (fdt_platform_parse((const void *)bi->dtb, bi->dtb_len, &plat)) {
		printf("root: bad device tree\n");
		return 1;
	}
	args = bootargs((const void *)bi->dtb);
	testing = strstr(args, "test") != NULL;
	printf("root: up on %s, %lu harts, bootargs \"%s\"\n", plat.model, (unsigned long)bi->ncpus, args);

	/*
	 * The console server is not ours to start: init has the proc server
	 * start it, as a process, with the UART we hand over.  Until then, and
	 * for us always, output goes through the SBI console (R_DEBUG).
	 */
	if (ep_create(&root_ep) || ep_create(&cons_ep) || ep_create(&proc_ep) ||
	    handle_dup(bi->h_sysctl, R_DEBUG, 0, &dbg))
		return 1;
	spawn_init(bi->h_self_as, root_ep, bi);
	console_kit(bi, &plat, kit, &kit_opt);

	/*
	 * With "test" or "bench", the kernel's own suite (ktest, kbench: they need
	 * the privileged handles only we give) runs first; then the proc server
	 * starts init, which runs the process suite and powers off.  The suite
	 * prints, and ktest traces IPC, with a sysctl of R_DEBUG only; ktest
	 * tries SYS_DEVICE_SUB on the UART's device handle, and makes address
	 * spaces and handle tables with a sysctl of R_CONTROL.
	 */
	if (testing || strstr(args, "bench")) {
		handle_t extra[3] = { dbg, kit[1], -1 };
		if (handle_dup(bi->h_sysctl, R_CONTROL, 0, &extra[2]))
			return 1;
		test_idx = spawn_with(testing ? "ktest" : "kbench", extra, 3, args, PRIO_PROGRAM, &kit_opt);
		if (test_idx < 0)
			printf("root: cannot start the kernel suite (%d)\n", test_idx);
		handle_close(extra[2]);
	}
	if (kit[0] < 0) {
		handle_close(cons_ep);          /* nobody would answer it: processes run without a terminal */
		cons_ep = -1;
	}
	/* the servers start once the kernel suite is done: it counts the system's objects and pages */
	if (test_idx < 0 && start_servers(bi, args, proc_ep, &fs_ep, cons_ep, kit, &kit_opt, dbg) < 0)
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
			if (start_servers(bi, args, proc_ep, &fs_ep, cons_ep, kit, &kit_opt, dbg) < 0)
				sys_poweroff(bi->h_sysctl);
		}
	}
}
