/*
 * Program start-up: TLS for the first thread (picolibc keeps errno there),
 * then umain(arg) (lib/libc/main.c has the one that calls main(argc, argv,
 * envp)); exit flushes stdio (lib/libc/stdio.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <picotls.h>            /* _init_tls, _set_tls */
#include "sys.h"
#include "uapi/proc.h"

struct startinfo *startinfo;
static __attribute__((aligned(64))) char main_tls[512];

/* no stdio flush here: a vfork child's _exit must not flush its parent's buffers */
void _exit(int code)
{
	if (startinfo && startinfo->h_proc >= 0) {
		/* a process: the proc server takes it apart; no reply comes */
		struct msg m = { .info = IPC_INFO(PROC_EXIT, 1), .w = { (uint64_t)code } };
		ipc_call(startinfo->h_proc, &m, NULL);
	}
	thread_exit((uint64_t)code);
}

void __libsys_start(void *arg)
{
	_init_tls(main_tls);
	_set_tls(main_tls);
	if (arg && ((struct startinfo *)arg)->magic == STARTINFO_MAGIC)
		startinfo = arg;
	atexit(__stdio_flush);
	exit(umain(arg));
}
