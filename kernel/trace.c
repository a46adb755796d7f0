/*
 * The IPC trace.  While it is on, every message delivered (call, send,
 * reply, fault and exit messages) and every other kernel call is appended
 * to a fixed table in the kernel's bss; when the table is full further
 * events are counted as dropped, so a trace always keeps its beginning.
 * The IPC fast path stands aside meanwhile (fastpath.c), so every message
 * passes deliver() and is seen here.  A record names both threads as
 * SYS_THREAD_NAME last set them, copied at the time, so it still reads
 * right after the threads are gone.
 *
 *   SYS_TRACE(sysctl, TRACE_START)               clear the table, start
 *   SYS_TRACE(sysctl, TRACE_STOP)                stop -> a1 records, a2 dropped
 *   SYS_TRACE(sysctl, TRACE_READ, ptr, max, first) -> a1 records copied
 *   SYS_THREAD_NAME(thread, ptr, len)            R_CONTROL; len <= 15
 */
#include "syscall.h"
#include "cpu.h"
#include "arch.h"
#include "vm.h"
#include "trace.h"

bool trace_on;
static struct trace_rec recs[TRACE_MAX];
static uint32_t nrecs, ndropped, nseq;

static struct trace_rec *trace_new(uint8_t kind, struct thread *from, struct thread *to)
{
	struct trace_rec *r;
	if (nrecs >= TRACE_MAX) {
		ndropped++;
		return NULL;
	}
	r = &recs[nrecs++];
	memset(r, 0, sizeof(*r));
	r->time = arch_time();
	r->seq = nseq++;
	r->kind = kind;
	r->hart = (uint8_t)this_cpu()->c_id;
	r->from = (uint32_t)from->t_id;
	memcpy(r->from_name, from->t_name, TRACE_NAME);
	if (to) {
		r->to = (uint32_t)to->t_id;
		memcpy(r->to_name, to->t_name, TRACE_NAME);
	}
	return r;
}

void trace_msg(struct thread *s, struct thread *r, enum sendop op, uint32_t label,
	       unsigned nwords, uint32_t bytes, bool cap)
{
	static const uint8_t kinds[] = { [OP_SEND] = TR_SEND, [OP_CALL] = TR_CALL,
					 [OP_FAULT] = TR_FAULT, [OP_EXIT] = TR_EXIT,
					 [OP_REPLY] = TR_REPLY };
	struct trace_rec *t = trace_new(kinds[op], s, r);
	if (!t)
		return;
	t->label = label;
	t->nr = (uint8_t)nwords;
	t->bytes = bytes;
	t->flags = (bytes ? TRACE_F_BUF : 0) | (cap ? TRACE_F_CAP : 0);
}

struct trace_rec *trace_kcall_begin(struct thread *t, unsigned nr)
{
	struct trace_rec *r = trace_new(TR_KCALL, t, NULL);
	if (r)
		r->nr = (uint8_t)nr;
	return r;
}

void trace_kcall_end(struct trace_rec *r, long status)
{
	if (status == SYS_BLOCKED)
		r->flags |= TRACE_F_BLOCK;
	else
		r->label = (uint32_t)status;
}

long sys_trace(struct thread *t, uint64_t *a)
{
	struct hslot *s;
	int err = handle_get(t, (int64_t)a[0], OBJ_SYSCTL, R_DEBUG, &s);
	if (err)
		return err;
	switch (a[1]) {
	case TRACE_START:
		nrecs = ndropped = nseq = 0;
		trace_on = true;
		return 0;
	case TRACE_STOP:
		trace_on = false;
		a[1] = nrecs;
		a[2] = ndropped;
		return 0;
	case TRACE_READ: {
		uint64_t max = a[3], first = a[4], n;
		if (trace_on)
			return -E_BUSY;
		if (first > nrecs)
			return -E_INVAL;
		n = MIN(max, nrecs - first);
		if (n && copy_to_user(t->t_as->as_root, a[2], &recs[first], n * sizeof(recs[0])))
			return -E_FAULT;
		a[1] = n;
		return 0;
	}
	}
	return -E_INVAL;
}

long sys_thread_name(struct thread *t, uint64_t *a)
{
	struct thread *th;
	char name[TRACE_NAME] = { 0 };
	GET(t, (int64_t)a[0], OBJ_THREAD, R_CONTROL, th);
	if (a[2] >= TRACE_NAME)
		return -E_INVAL;
	if (a[2] && copy_from_user(t->t_as->as_root, name, a[1], a[2]))
		return -E_FAULT;
	memcpy(th->t_name, name, TRACE_NAME);
	return 0;
}
