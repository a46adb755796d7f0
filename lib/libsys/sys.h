/*
 * Kernel call stubs for user programs (see uapi/abi.h for the registers).
 * Every stub returns 0 or a negative E_* error; results come back through
 * pointer arguments.
 */
#ifndef LIBSYS_SYS_H
#define LIBSYS_SYS_H
#include <stdint.h>
#include <stddef.h>
#include "uapi/abi.h"
#include "uapi/msg.h"           /* handle_t, struct msg */
#include "elfload.h"            /* elf_load, cpio_find (elf.c) */

static inline long sys_call6(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			     uint64_t a4, uint64_t a5, uint64_t out[3])
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r3 __asm__("a3") = a3;
	register uint64_t r4 __asm__("a4") = a4;
	register uint64_t r5 __asm__("a5") = a5;
	register uint64_t r7 __asm__("a7") = (uint64_t)nr;
	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 : "r"(r4), "r"(r5), "r"(r7)
			 : "memory");
	if (out) {
		out[0] = r1;
		out[1] = r2;
		out[2] = r3;
	}
	return (long)r0;
}

static inline long sys0(long nr) { return sys_call6(nr, 0, 0, 0, 0, 0, 0, NULL); }
static inline long sys1(long nr, uint64_t a) { return sys_call6(nr, a, 0, 0, 0, 0, 0, NULL); }
static inline long sys2(long nr, uint64_t a, uint64_t b) { return sys_call6(nr, a, b, 0, 0, 0, 0, NULL); }
static inline long sys3(long nr, uint64_t a, uint64_t b, uint64_t c) { return sys_call6(nr, a, b, c, 0, 0, 0, NULL); }
static inline long sys4(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d) { return sys_call6(nr, a, b, c, d, 0, 0, NULL); }
static inline long sys5(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e) { return sys_call6(nr, a, b, c, d, e, 0, NULL); }

/* calls that hand back a new handle in a1 */
static inline long sys_new(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, handle_t *h)
{
	uint64_t out[3];
	long r = sys_call6(nr, a, b, c, d, 0, 0, out);
	if (r == 0 && h)
		*h = (handle_t)out[0];
	return r;
}

/* IPC: op is SYS_SEND, SYS_CALL, SYS_RECV, SYS_REPLY or SYS_REPLYRECV */
long ipc(long op, handle_t h, struct msg *m, struct ipc_ext *ext);

static inline long ipc_send(handle_t ep, struct msg *m, struct ipc_ext *e) { return ipc(SYS_SEND, ep, m, e); }
static inline long ipc_call(handle_t ep, struct msg *m, struct ipc_ext *e) { return ipc(SYS_CALL, ep, m, e); }
static inline long ipc_recv(handle_t ep, struct msg *m, struct ipc_ext *e) { return ipc(SYS_RECV, ep, m, e); }
static inline long ipc_reply(struct msg *m, struct ipc_ext *e) { return ipc(SYS_REPLY, 0, m, e); }
static inline long ipc_replyrecv(handle_t ep, struct msg *m, struct ipc_ext *e) { return ipc(SYS_REPLYRECV, ep, m, e); }

static inline long ep_create(handle_t *h) { return sys_new(SYS_EP_CREATE, 0, 0, 0, 0, h); }
static inline long ntfn_create(handle_t *h) { return sys_new(SYS_NTFN_CREATE, 0, 0, 0, 0, h); }
static inline long ntfn_signal(handle_t n, uint64_t bits) { return sys2(SYS_NTFN_SIGNAL, (uint64_t)n, bits); }
long ntfn_wait(handle_t n, uint64_t *bits);
long ntfn_poll(handle_t n, uint64_t *bits);
static inline long ntfn_bind(handle_t n, handle_t th) { return sys2(SYS_NTFN_BIND, (uint64_t)n, (uint64_t)th); }
static inline long reply_save(handle_t *h) { return sys_new(SYS_REPLY_SAVE, 0, 0, 0, 0, h); }
static inline long handle_dup(handle_t h, uint32_t mask, uint64_t badge, handle_t *out)
{ return sys_new(SYS_HANDLE_DUP, (uint64_t)h, mask, badge, 0, out); }
static inline long handle_close(handle_t h) { return sys1(SYS_HANDLE_CLOSE, (uint64_t)h); }
static inline long handle_give(handle_t cs, handle_t h, uint32_t mask, uint64_t badge, handle_t *out)
{ return sys_new(SYS_HANDLE_GIVE, (uint64_t)cs, (uint64_t)h, mask, badge, out); }
long handle_info(handle_t h, uint64_t *type, uint64_t *rights, uint64_t *badge);
/* CPU time of a thread (-1: the caller) in user mode and in the kernel, ns (SYS_THREAD_TIMES) */
long thread_times(handle_t th, uint64_t *user_ns, uint64_t *sys_ns);
/* sysctl: a handle with R_CONTROL (servers only) */
static inline long cspace_create(handle_t sysctl, handle_t *h) { return sys_new(SYS_CSPACE_CREATE, (uint64_t)sysctl, 0, 0, 0, h); }
static inline long cspace_clear(handle_t cs) { return sys1(SYS_CSPACE_CLEAR, (uint64_t)cs); }
static inline long as_create(handle_t sysctl, handle_t *h) { return sys_new(SYS_AS_CREATE, (uint64_t)sysctl, 0, 0, 0, h); }
static inline long as_map(handle_t as, uint64_t va, uint64_t len, int prot) { return sys4(SYS_AS_MAP, (uint64_t)as, va, len, (uint64_t)prot); }
static inline long as_unmap(handle_t as, uint64_t va, uint64_t len) { return sys3(SYS_AS_UNMAP, (uint64_t)as, va, len); }
static inline long as_protect(handle_t as, uint64_t va, uint64_t len, int prot) { return sys4(SYS_AS_PROTECT, (uint64_t)as, va, len, (uint64_t)prot); }
static inline long as_copy(handle_t as, uint64_t dst, const void *src, uint64_t len) { return sys4(SYS_AS_COPY, (uint64_t)as, dst, (uint64_t)src, len); }
/* any length: SYS_AS_COPY in parts of at most AS_COPY_MAX bytes */
static inline long as_copy_all(handle_t as, uint64_t dst, const void *src, uint64_t len)
{
	for (uint64_t done = 0, n; done < len; done += n) {
		long r;
		n = len - done < AS_COPY_MAX ? len - done : AS_COPY_MAX;
		if ((r = as_copy(as, dst + done, (const char *)src + done, n)))
			return r;
	}
	return 0;
}
static inline long as_map_device(handle_t dev, handle_t as, uint64_t va, uint64_t pa, uint64_t len)
{ return sys5(SYS_AS_MAP_DEVICE, (uint64_t)dev, (uint64_t)as, va, pa, len); }
static inline long device_sub(handle_t dev, uint64_t pa, uint64_t len, handle_t *h)
{ return sys_new(SYS_DEVICE_SUB, (uint64_t)dev, pa, len, 0, h); }
static inline long thread_create(handle_t as, handle_t cs, int prio, handle_t fault_ep, handle_t *h)
{ return sys_new(SYS_THREAD_CREATE, (uint64_t)as, (uint64_t)cs, (uint64_t)prio, (uint64_t)fault_ep, h); }
static inline long thread_start(handle_t th, uint64_t pc, uint64_t sp, uint64_t arg, uint64_t tp)
{ return sys5(SYS_THREAD_START, (uint64_t)th, pc, sp, arg, tp); }
__attribute__((noreturn)) void thread_exit(uint64_t code);
/* start a thread of this program at fn(arg) on stack_top with gp set; fn may return (exit code) */
long thread_start_fn(handle_t th, void (*fn)(uint64_t), uint64_t arg, void *stack_top, uint64_t tp);
static inline long thread_suspend(handle_t th) { return sys1(SYS_THREAD_SUSPEND, (uint64_t)th); }
static inline long thread_resume(handle_t th) { return sys1(SYS_THREAD_RESUME, (uint64_t)th); }
static inline long thread_destroy(handle_t th) { return sys1(SYS_THREAD_DESTROY, (uint64_t)th); }
static inline long thread_set_prio(handle_t th, int prio) { return sys2(SYS_THREAD_SET_PRIO, (uint64_t)th, (uint64_t)prio); }
static inline long thread_read_regs(handle_t th, struct user_regs *r) { return sys2(SYS_THREAD_READ_REGS, (uint64_t)th, (uint64_t)r); }
static inline long thread_write_regs(handle_t th, const struct user_regs *r) { return sys2(SYS_THREAD_WRITE_REGS, (uint64_t)th, (uint64_t)r); }
static inline long irq_get(handle_t sysctl, uint64_t n, handle_t *h) { return sys_new(SYS_IRQ_GET, (uint64_t)sysctl, n, 0, 0, h); }
static inline long irq_bind(handle_t irq, handle_t n, uint64_t bits) { return sys3(SYS_IRQ_BIND, (uint64_t)irq, (uint64_t)n, bits); }
static inline long irq_ack(handle_t irq) { return sys1(SYS_IRQ_ACK, (uint64_t)irq); }
static inline long thread_clone(handle_t th, handle_t as, handle_t cs, handle_t fault_ep, int mode, uint64_t w0, handle_t *out)
{
	uint64_t o[3];
	long r = sys_call6(SYS_THREAD_CLONE, (uint64_t)th, (uint64_t)as, (uint64_t)cs, (uint64_t)fault_ep, (uint64_t)mode, w0, o);
	if (r == 0)
		*out = (handle_t)o[0];
	return r;
}
static inline long as_clone(handle_t as, handle_t *out) { return sys_new(SYS_AS_CLONE, (uint64_t)as, 0, 0, 0, out); }
static inline long cspace_clone(handle_t cs, handle_t *out) { return sys_new(SYS_CSPACE_CLONE, (uint64_t)cs, 0, 0, 0, out); }
/* objects made by cs's threads may number at most max; *used: how many are charged to it now */
static inline long cspace_limit(handle_t cs, uint64_t max, uint64_t *used)
{
	uint64_t out[3];
	long r = sys_call6(SYS_CSPACE_LIMIT, (uint64_t)cs, max, 0, 0, 0, 0, out);
	if (r == 0 && used)
		*used = out[0];
	return r;
}
static inline long handle_replace(handle_t cs, handle_t h, handle_t src, uint32_t mask, uint64_t badge)
{ return sys5(SYS_HANDLE_REPLACE, (uint64_t)cs, (uint64_t)h, (uint64_t)src, mask, badge); }
static inline long ntfn_timer(handle_t n, uint64_t bits, uint64_t deadline) { return sys3(SYS_NTFN_TIMER, (uint64_t)n, bits, deadline); }
static inline long sys_info(struct sysinfo *si) { return sys1(SYS_SYSINFO, (uint64_t)si); }
static inline long sys_yield(void) { return sys0(SYS_YIELD); }
static inline long debug_puts(handle_t sysctl, const char *s, size_t n) { return sys3(SYS_DEBUG_PUTS, (uint64_t)sysctl, (uint64_t)s, n); }
static inline long sys_poweroff(handle_t sysctl) { return sys1(SYS_POWEROFF, (uint64_t)sysctl); }
static inline long thread_name(handle_t th, const char *name, size_t len) { return sys3(SYS_THREAD_NAME, (uint64_t)th, (uint64_t)name, len); }
/* SYS_TRACE: op TRACE_START/STOP/READ; STOP -> *n records, *dropped; READ -> *n copied */
long sys_trace(handle_t sysctl, int op, void *recs, uint64_t max, uint64_t first, uint64_t *n, uint64_t *dropped);

#define STARTINFO_NEXTRA 8

/* what a program finds at a0 when it starts (root task: struct bootinfo instead) */
struct startinfo {
	uint64_t magic;               /* STARTINFO_MAGIC */
	handle_t h_thread, h_as, h_cspace;   /* privileged programs only, else -1 */
	handle_t h_console;           /* console server endpoint (R_SEND), or -1 */
	handle_t h_fault;             /* where its threads' faults go (R_SEND), or -1 */
	handle_t h_proc;              /* the proc server, badged with its pid, or -1 */
	handle_t h_extra[STARTINFO_NEXTRA];   /* program-specific, -1 when unused (root's children:
	                                 the last is root's service endpoint) */
	uint64_t archive, archive_len;   /* the boot archive, where it is mapped (proc server) */
	uint64_t ncpus;
	char args[256];               /* NUL-separated words, an empty word ends them */
	/* processes of the proc server: main()'s arguments, on the stack; their file server handle */
	uint64_t argc;
	char **argv, **envp;
	handle_t h_fs;                /* the file server, badged with the pid, or -1 */
	/* a device whose handles come in h_extra (the proc server: the console's UART) */
	uint64_t dev_pa, dev_len;     /* its registers; dev_len 0: none */
	char dev_compat[32];          /* its device-tree "compatible" */
	uint64_t sig_ignored;         /* signals ignored across exec (bit n: signal n), for sigaction */
};
#define STARTINFO_MAGIC 0x6f666e6974726174ull

#include "uapi/console.h"      /* the console server's messages */

/* the runtime (start.c, crt0.S) */
extern struct startinfo *startinfo;
void __thread_entry(void);      /* crt0.S: a new thread's first instruction, fn(arg) from its stack */
/* what start-up calls above libsys: the program's umain (lib/libc/main.c has the one that
   calls main()), and libc's stdio flush (lib/libc/stdio.c), which exit runs */
int umain(void *arg);
void __stdio_flush(void);
void libsys_set_output(long (*write)(const char *, size_t));
void libsys_output_debug(handle_t sysctl);   /* output to the SBI console (a sysctl with R_DEBUG) */
#endif
