#ifndef FASTPATH_H
#define FASTPATH_H
#include "cpu.h"
/* the thread to switch to if the call was done on the fast path, else NULL (slow path) */
struct thread *ipc_fastpath(struct cpu *c, struct thread *t);
#endif
