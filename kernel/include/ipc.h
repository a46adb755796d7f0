#ifndef IPC_H
#define IPC_H
#include "thread.h"
/* returned by IPC operations when the calling thread blocked: its a0 is set by whoever wakes it */
#define IPC_BLOCKED 1
int ipc_check_ext(struct thread *s);
extern const uint8_t word_reg[IPC_MAX_WORDS];       /* register of message word i */
void ep_enqueue(struct endpoint *ep, struct thread *t, enum tstate st);
void ep_dequeue(struct thread *t);
void ipc_fail_caller(struct thread *c);               /* no reply will come: E_PIPE (faults: rerun) */
#define LABEL_KERNEL_MIN 0xffff0000u                 /* labels from here up are the kernel's */
#endif
