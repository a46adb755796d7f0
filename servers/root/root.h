#ifndef ROOT_H
#define ROOT_H
#include <stdbool.h>
#include "sys.h"

/* root service messages (on the root endpoint, badge = child index << 8 | ROOT_BADGE_SVC) */
#define ROOT_SPAWN 1   /* buffer: program name; optional handle -> h_extra[0] of the child; w0 = 1: wait for it */
#define ROOT_SVC (STARTINFO_NEXTRA - 1)   /* the h_extra slot of a child's handle for them */
#define ROOT_BADGE_SVC   1
#define ROOT_BADGE_FAULT 2

#define MAX_CHILDREN 32
struct child {
	int used;
	char name[32];
	handle_t as, cs, thread;
	uint64_t tid;
	handle_t waiter;          /* reply handle of a ROOT_SPAWN waiting for its exit, or -1 */
};
extern struct child children[MAX_CHILDREN];

/* load and start a program; returns the child index or a negative error */
int spawn(const char *name, const handle_t *extra, int nextra, const char *args, int prio);
/* the same, with more set up before it starts */
struct spawn_opts {
	bool archive;                      /* a copy of the boot archive (the proc server) */
	/* a device it gets handles for, described in its startinfo (the proc server: the console UART) */
	uint64_t dev_pa, dev_len;
	const char *dev_compat;
};
int spawn_with(const char *name, const handle_t *extra, int nextra, const char *args, int prio,
	       const struct spawn_opts *opt);
void spawn_init(handle_t self_as, handle_t root_ep, const struct bootinfo *bi);
void child_reap(int idx);
#endif
