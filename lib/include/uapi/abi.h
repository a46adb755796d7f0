/*
 * The kernel's system-call ABI: call numbers, rights, object types, errors,
 * message layout.  Included by the kernel and by user space; the one place
 * the two sides agree.  docs/kernel-api.md describes every call.
 *
 * Registers on ecall:
 *   a7            call number (SYS_*)
 *   a0..a5        arguments
 * On return:
 *   a0            status: 0 or a negative error (-E*)
 *   a1..a3        results
 *
 * IPC calls (SYS_SEND, SYS_CALL, SYS_RECV, SYS_REPLY, SYS_REPLYRECV) use:
 *   a0            handle (endpoint, or reply handle)          in;  status out
 *   a1            message info: label | nwords | flags         in and out
 *   a2..a5,t0..t3 message words 0..7                           in and out
 *   t4            user pointer to struct ipc_ext, if IPC_EXT    in
 *   a6            badge of the handle the sender used          out
 */
#ifndef UAPI_ABI_H
#define UAPI_ABI_H

#include <stdint.h>

/* ---- call numbers: one per line of uapi/syscalls.def, in its order ---- */
enum {
#define SYSCALL(NAME, name, doc) SYS_##NAME,
#include "uapi/syscalls.def"
#undef SYSCALL
	SYS_NCALLS
};

/* ---- object types ---- */
enum {
	OBJ_NONE = 0,
	OBJ_THREAD,
	OBJ_AS,
	OBJ_CSPACE,
	OBJ_ENDPOINT,
	OBJ_NTFN,
	OBJ_REPLY,
	OBJ_IRQ,
	OBJ_DEVICE,
	OBJ_SYSCTL,
	OBJ_NTYPES
};

/* ---- rights: one namespace, meaning per type ---- */
#define R_SEND     (1u << 0)   /* endpoint: send/call; ntfn: signal */
#define R_RECV     (1u << 1)   /* endpoint: receive; ntfn: wait/poll/bind */
#define R_GRANT    (1u << 2)   /* endpoint: a handle may travel with a message */
#define R_MAP      (1u << 3)   /* as: map/unmap/copy into; device: map */
#define R_CONTROL  (1u << 4)   /* thread: start/suspend/resume/regs/destroy; as/cspace: give into, create threads in;
                                  sysctl: create address spaces and handle tables */
#define R_IRQ      (1u << 5)   /* sysctl: get irq handles; irq: bind/ack */
#define R_POWER    (1u << 6)   /* sysctl: power off */
#define R_DEBUG    (1u << 7)   /* sysctl: early debug print, trace control */
#define R_ALL      0xffu

/* ---- errors: negative values of these, same numbers as picolibc's errno ---- */
#define E_PERM      1    /* not permitted */
#define E_SRCH      3    /* object is dead (thread exited, caller gone) */
#define E_BADF      9    /* bad or stale handle, or wrong object type */
#define E_AGAIN    11    /* would block (poll), or a limit was reached */
#define E_NOMEM    12    /* out of physical memory or kernel memory */
#define E_ACCES    13    /* the handle lacks a right the call needs */
#define E_FAULT    14    /* a user pointer is not mapped with the access needed */
#define E_BUSY     16    /* already bound, already started, mapping exists */
#define E_INVAL    22    /* a bad argument (alignment, range, flag) */
#define E_NOSPC    28    /* handle table full */
#define E_PIPE     32    /* no caller to reply to / reply target gone */
#define E_NOSYS    88    /* unknown call number */
#define E_MSGSIZE 122    /* buffer too large, or larger than the receiver's */

/* ---- message info word (a1) ---- */
#define IPC_LABEL(info)     ((uint32_t)(info))
#define IPC_NWORDS(info)    ((unsigned)(((info) >> 32) & 0xf))
#define IPC_INFO(label, n)  ((uint64_t)(uint32_t)(label) | ((uint64_t)((n) & 0xf) << 32))
#define IPC_EXT        (1ull << 40)   /* in: t4 points at a struct ipc_ext */
#define IPC_EXT_SEND   (1ull << 44)   /* in: its sbuf/scap are sent (else it only says where to receive) */
#define IPC_GOT_BUF    (1ull << 41)   /* out: a buffer arrived (length in ext->rbytes) */
#define IPC_GOT_CAP    (1ull << 42)   /* out: a handle arrived (ext->rcap) */
#define IPC_FROM_CALL  (1ull << 43)   /* out: sender waits for a reply */
#define IPC_MAX_WORDS  8
/* the most bytes one SYS_AS_COPY moves: what a call may do with the kernel lock held is bounded */
#define AS_COPY_MAX    (64u << 10)
#define IPC_MAX_BUF    16384

/* SYS_THREAD_CLONE modes: what the clone sees when it runs */
#define CLONE_AS_IS  0   /* the registers as they are */
#define CLONE_REPLY  1   /* as if its call returned: status 0, words (w0, 1) */
#define CLONE_INTR   2   /* a call it was blocked in fails with -E_INTR */
#define E_INTR      4    /* (error) interrupted: the call did not happen */

/* ---- SYS_TRACE: while on, every message delivered and every other kernel call is
 * appended to a table of TRACE_MAX records in the kernel (no fast path meanwhile) ---- */
enum { TRACE_START = 1, TRACE_STOP, TRACE_READ };
#define TRACE_MAX  2048
enum { TR_CALL = 1, TR_SEND, TR_REPLY, TR_FAULT, TR_EXIT, TR_KCALL };
#define TRACE_NAME 16
#define TRACE_F_BUF   1    /* a buffer moved (bytes) */
#define TRACE_F_CAP   2    /* a handle moved */
#define TRACE_F_BLOCK 4    /* kernel call: blocked (status not known when recorded) */
struct trace_rec {
	uint64_t time;              /* time CSR */
	uint32_t seq;               /* order (one kernel lock: a total order) */
	uint8_t kind;               /* TR_* */
	uint8_t hart;
	uint8_t nr;                 /* TR_KCALL: call number; messages: word count */
	uint8_t flags;              /* TRACE_F_* */
	uint32_t label;             /* message label; TR_KCALL: status (0 or -E_*) */
	uint32_t bytes;             /* buffer bytes moved */
	uint32_t from, to;          /* thread ids; to = 0 for a kernel call */
	char from_name[TRACE_NAME]; /* names as SYS_THREAD_NAME set them ("" if never) */
	char to_name[TRACE_NAME];
};

/* on every message received, a7 holds the sending thread's id (kernel messages: the thread's) */

/* labels the kernel itself sends */
#define LABEL_FAULT  0xffff0001u  /* w0 scause, w1 stval, w2 sepc, w3 thread id */
#define LABEL_EXIT   0xffff0002u  /* w0 exit code, w1 thread id */
#define LABEL_NTFN   0xffff0003u  /* w0 bits of the bound notification */

struct ipc_ext {
	uint64_t sbuf, slen;   /* buffer to send (slen <= IPC_MAX_BUF) */
	uint64_t rbuf, rlen;   /* where a received buffer goes, its capacity */
	int64_t  scap;         /* handle to send, or -1 (needs R_GRANT on the endpoint) */
	uint64_t scap_rights;  /* rights mask for the copy the receiver gets */
	int64_t  rcap;         /* out: the handle received, or -1 */
	uint64_t rbytes;       /* out: bytes received */
};

/* ---- memory ---- */
#define PROT_R 1
#define PROT_W 2
#define PROT_X 4
#define USER_VA_MIN 0x10000ull
#define USER_VA_MAX 0x4000000000ull   /* Sv39 lower half: 256 GiB */
#define PAGE_SIZE_4K 4096ull
/* a fresh program's stack, as the kernel (the root task), root and the proc server lay one out */
#define USER_STACK_TOP  0x10000000ull
#define USER_STACK_SIZE (256ull << 10)

/* ---- thread registers as SYS_THREAD_READ/WRITE_REGS see them ---- */
struct user_regs {
	uint64_t pc;
	uint64_t x[32];  /* x[0] ignored; x[1]=ra, x[2]=sp, x[4]=tp, x[10]=a0 ... */
};

struct sysinfo {
	uint64_t free_pages;
	uint64_t total_pages;
	uint64_t kmem_objects;    /* live kernel objects of every type */
	uint64_t ncpus;
	uint64_t timebase_hz;
	uint64_t time;            /* rdtime at the call */
	uint64_t ipc_count;       /* messages delivered since boot */
	uint64_t syscall_count;   /* kernel calls since boot */
	uint64_t as_pending;      /* dead address spaces whose pages are still being freed
	                             (a step each way out of the kernel): count free pages when 0 */
};

/* ---- what the kernel hands the root task (a0 = pointer to it) ---- */
struct bootinfo {
	uint64_t magic;           /* BOOTINFO_MAGIC */
	int64_t  h_self_thread, h_self_as, h_self_cspace;
	int64_t  h_sysctl;        /* R_IRQ|R_POWER|R_DEBUG */
	int64_t  h_device;        /* every non-RAM physical range, R_MAP */
	uint64_t archive, archive_len;  /* boot archive (cpio newc), mapped read-only */
	uint64_t dtb, dtb_len;          /* the device tree, mapped read-only */
	uint64_t heap, heap_len;        /* a zeroed read-write area for the root task */
	uint64_t ncpus;
};
#define BOOTINFO_MAGIC 0x6f666e69746f6f62ull  /* "bootinfo" */

#endif
