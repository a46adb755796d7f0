#ifndef IPC_H
#define IPC_H
#include "thread.h"
/* returned by IPC operations when the calling thread blocked: its a0 is set by whoever wakes it */
#define IPC_BLOCKED 1
int ipc_check_ext(struct thread *s);
#endif
