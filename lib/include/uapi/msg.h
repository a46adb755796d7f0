/*
 * Handles and messages as user code sees them: the one definition of each,
 * for libsys's stubs (sys.h), the ELF loader (elfload.h) and the proc
 * server's kernel-call wrappers (servers/proc/kcalls.h), which build on the
 * host as well.  The kernel has its own view of both (a slot number, the
 * saved registers) and does not include this file.
 */
#ifndef UAPI_MSG_H
#define UAPI_MSG_H
#include <stdint.h>
#include "uapi/abi.h"

typedef int64_t handle_t;      /* a slot in the caller's handle table, or -1: none */

/* a message: what ipc() sends from and receives into (uapi/abi.h has the registers) */
struct msg {
	uint64_t info;                 /* IPC_INFO(label, nwords) | flags */
	uint64_t w[IPC_MAX_WORDS];
	uint64_t badge;                /* out: badge of the sender's handle */
	uint64_t tid;                  /* out: the sending thread's id */
};
#endif
