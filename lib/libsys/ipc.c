/* The IPC stub: message words travel in a2..a5,t0..t3, ext in t4 (uapi/abi.h). */
#include "sys.h"

long ipc(long op, handle_t h, struct msg *m, struct ipc_ext *ext)
{
	register uint64_t a0 __asm__("a0") = (uint64_t)h;
	register uint64_t a1 __asm__("a1") = m->info | (ext ? IPC_EXT : 0) |
		(ext && (ext->slen || ext->scap >= 0) ? IPC_EXT_SEND : 0);
	register uint64_t a2 __asm__("a2") = m->w[0];
	register uint64_t a3 __asm__("a3") = m->w[1];
	register uint64_t a4 __asm__("a4") = m->w[2];
	register uint64_t a5 __asm__("a5") = m->w[3];
	register uint64_t t0 __asm__("t0") = m->w[4];
	register uint64_t t1 __asm__("t1") = m->w[5];
	register uint64_t t2 __asm__("t2") = m->w[6];
	register uint64_t t3 __asm__("t3") = m->w[7];
	register uint64_t t4 __asm__("t4") = (uint64_t)ext;
	register uint64_t a6 __asm__("a6");
	register uint64_t a7 __asm__("a7") = (uint64_t)op;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5),
			   "+r"(t0), "+r"(t1), "+r"(t2), "+r"(t3), "=r"(a6), "+r"(a7)
			 : "r"(t4)
			 : "memory");
	if ((long)a0 == 0 && (op == SYS_CALL || op == SYS_RECV || op == SYS_REPLYRECV)) {
		m->info = a1;
		m->w[0] = a2;
		m->w[1] = a3;
		m->w[2] = a4;
		m->w[3] = a5;
		m->w[4] = t0;
		m->w[5] = t1;
		m->w[6] = t2;
		m->w[7] = t3;
		m->badge = a6;
		m->tid = a7;
	}
	return (long)a0;
}

long ntfn_wait(handle_t n, uint64_t *bits)
{
	uint64_t out[3];
	long r = sys_call6(SYS_NTFN_WAIT, (uint64_t)n, 0, 0, 0, 0, 0, out);
	if (bits)
		*bits = r == 0 ? out[0] : 0;
	return r;
}

long sys_trace(handle_t sysctl, int op, void *recs, uint64_t max, uint64_t first, uint64_t *n, uint64_t *dropped)
{
	uint64_t out[3];
	long r = sys_call6(SYS_TRACE, (uint64_t)sysctl, (uint64_t)op, (uint64_t)recs, max, first, 0, out);
	if (n)
		*n = r == 0 ? out[0] : 0;
	if (dropped)
		*dropped = r == 0 ? out[1] : 0;
	return r;
}

long ntfn_poll(handle_t n, uint64_t *bits)
{
	uint64_t out[3];
	long r = sys_call6(SYS_NTFN_POLL, (uint64_t)n, 0, 0, 0, 0, 0, out);
	if (bits)
		*bits = r == 0 ? out[0] : 0;
	return r;
}

long handle_info(handle_t h, uint64_t *type, uint64_t *rights, uint64_t *badge)
{
	uint64_t out[3];
	long r = sys_call6(SYS_HANDLE_INFO, (uint64_t)h, 0, 0, 0, 0, 0, out);
	if (r == 0) {
		*type = out[0];
		*rights = out[1];
		*badge = out[2];
	}
	return r;
}

void thread_exit(uint64_t code)
{
	sys1(SYS_THREAD_EXIT, code);
	for (;;)
		;
}

long thread_start_fn(handle_t th, void (*fn)(uint64_t), uint64_t arg, void *stack_top, uint64_t tp)
{
	uint64_t *sp = (uint64_t *)((uint64_t)stack_top & ~15ul) - 2;
	sp[0] = (uint64_t)fn;
	sp[1] = arg;
	return thread_start(th, (uint64_t)__thread_entry, (uint64_t)sp, 0, tp);
}

long thread_times(handle_t th, uint64_t *user_ns, uint64_t *sys_ns)
{
	uint64_t out[3];
	long r = sys_call6(SYS_THREAD_TIMES, (uint64_t)th, 0, 0, 0, 0, 0, out);
	if (r == 0) {
		*user_ns = out[0];
		*sys_ns = out[1];
	}
	return r;
}
