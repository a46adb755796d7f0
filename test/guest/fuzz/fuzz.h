/*
 * The fuzzer (docs/fuzz.md): a controller (main.c) forks workers, each of
 * which makes one chunk of the sequence of random kernel calls and server
 * messages (gen.c) as an ordinary process, then dies; the controller reaps
 * them, kills what hangs or is left behind, checks the servers still answer
 * and, at the end, that no page and no kernel object is missing.
 *
 * Call k of seed s is fully determined by (s, k) and what the system
 * answered to the calls before it in the same chunk: worker w makes calls
 * [w * chunk, (w + 1) * chunk) from a generator seeded with (s, w).
 */
#ifndef FUZZ_H
#define FUZZ_H
#include <stdbool.h>
#include <stdint.h>
#include "sys.h"

/* the registers of one raw kernel call (ecall.S knows this layout) */
struct fz_regs {
	uint64_t a[8];          /* a0..a7 (a7: the call number) */
	uint64_t t[5];          /* t0..t3: message words 4..7; t4: struct ipc_ext pointer */
	uint64_t exit_h;        /* the proc handle a fork child exits through */
	uint64_t forkcheck;     /* nonzero: this may be a fork; a child exits at once */
};
long fz_ecall(struct fz_regs *r);
extern const char fz_guest_loop[], fz_guest_loop_end[], fz_lwp_exit[], fz_lwp_spin[];

/*
 * Known kernel and server bugs (the lead's list, issue 12) the generator can
 * be told to stay away from ("avoid 1,2,..." or "avoid known"): bit n = bug n.
 */
enum {
	BUG_NTFN_BIND_UNSTARTED = 1,  /* ntfn bound to a never-started thread, handle closed: use after free */
	BUG_WRITE_REGS_SENDER = 2,    /* SYS_THREAD_WRITE_REGS on a blocked sender forges a kernel label */
	BUG_PROC_NTFN_HANDLE = 3,     /* the proc server leaks a handle sent with LABEL_NTFN */
	BUG_CSPACE_CYCLE = 4,         /* handle tables holding handles to themselves are never freed */
	BUG_THREAD_OUTLIVES = 5,      /* threads made by SYS_THREAD_CREATE outlive the process */
	BUG_UNMAP_SLOW = 6,           /* SYS_AS_UNMAP/PROTECT over the whole user range: 1.5 s */
	BUG_NO_MEM_ACCOUNTING = 7,    /* mapping the whole range eats all memory */
	BUG_EXEC_LONG_NAME = 8,       /* exec of an archive name of >= 16 characters fails */
	BUG_NBUGS
};
/* what "avoid known" stays away from: none since all eight were fixed (issue 12) */
#define AVOID_KNOWN 0u

struct fz_opts {
	uint64_t seed, count;
	uint64_t chunk;           /* calls per worker */
	uint32_t uid;             /* workers run as this uid (1000; 0: stay root) */
	int64_t verbose_from;     /* print every call from this index on; -1: none */
	uint64_t progress;        /* a progress line every this many calls */
	uint32_t avoid;           /* bit n: stay away from known bug n */
	bool mem;                 /* huge mappings and heap growth (memory exhaustion) */
	bool block;               /* calls that may block for good (a console read ...) */
	uint32_t stall_ms;        /* a worker silent this long is killed */
};
#define AVOIDING(o, bug) (((o)->avoid >> (bug)) & 1u)

/* a report with this bit: the worker saw what must not be at that call (it printed "fuzz: FOUND ...") */
#define FZ_FOUND_BIT (1ull << 63)

/* the descriptor a worker reports its progress on (the controller reads the pipe) */
#define FZ_REPORT_FD 63

/* worker w: calls [from, from + n); never returns */
__attribute__((noreturn)) void fz_worker(const struct fz_opts *o, uint64_t w, uint64_t from, uint64_t n);
#endif
