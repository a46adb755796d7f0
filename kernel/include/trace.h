/* The IPC trace (kernel/trace.c): the hooks deliver() and syscall_dispatch() call. */
#ifndef TRACE_H
#define TRACE_H
#include "thread.h"

extern bool trace_on;
/* a message delivered from s to r */
void trace_msg(struct thread *s, struct thread *r, enum sendop op, uint32_t label,
	       unsigned nwords, uint32_t bytes, bool cap);
/* a kernel call: a record made before the handler runs (NULL if the table is full),
 * its status filled in after (the handler may block or end the thread) */
struct trace_rec *trace_kcall_begin(struct thread *t, unsigned nr);
void trace_kcall_end(struct trace_rec *r, long status);
#endif
