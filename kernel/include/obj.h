/*
 * Kernel objects and handle tables (capabilities).
 *
 * Every object starts with struct kobj: its type and a reference count.
 * Handles, threads (their AS, cspace, fault endpoint) and queues hold
 * references; the object's destructor runs when the count reaches zero.
 *
 * A cspace is a fixed table of slots.  A handle is (generation << 8 | slot):
 * closing a slot bumps its generation, so a stale handle never names a later
 * occupant.  Each slot carries rights and a badge (delivered to the receiver
 * of a message sent through it).  Big kernel lock held for everything here.
 */
#ifndef OBJ_H
#define OBJ_H
#include "kernel.h"

/*
 * An account: the objects made through one handle table.  A table given a
 * limit (SYS_CSPACE_LIMIT: the proc server gives every process's table its
 * process.max-kernel-objects) has one; each object a thread of that table
 * makes is charged to it until the object dies, wherever its handles have
 * gone since, so handing objects away frees nothing of the maker's limit.
 * The account lives while its table or any object charged to it does.
 * Tables without one (the servers', made at boot) are not counted.
 */
struct kacct {
	uint32_t refs;             /* its table, and each live object charged to it */
	uint32_t used;             /* live objects charged to it */
	uint32_t limit;            /* used may not pass it: making one more fails E_AGAIN */
};

struct kobj {
	uint32_t type;
	uint32_t refs;
	struct kobj *dead_next;    /* on the list of objects waiting for their destructor */
	struct kacct *acct;        /* charged to it (NULL: made by an uncounted table, or at boot) */
};

#define CSPACE_SLOTS 128

struct hslot {
	struct kobj *obj;      /* NULL: free */
	uint32_t rights;
	uint32_t gen;
	uint64_t badge;
};

struct cspace {
	struct kobj o;
	uint32_t nused;
	struct kacct *cs_acct;     /* what its threads make is charged here (NULL: not counted) */
	struct hslot slot[CSPACE_SLOTS];
};

void obj_init(struct kobj *o, uint32_t type);
/*
 * A new object of `size` bytes (zeroed, refs 1), charged to the account of
 * `maker`, the table of the thread whose call makes it (NULL: boot).  NULL
 * with *err -E_AGAIN when that account is at its limit, -E_NOMEM when kernel
 * memory is out.
 */
void *obj_new(struct cspace *maker, size_t size, uint32_t type, long *err);
void obj_last_unref(struct kobj *o);  /* the count reached zero: destroy, iteratively */
static inline void obj_ref(struct kobj *o)
{
	o->refs++;
}
/* destroys at zero (obj_destroy in obj.c), iteratively: a destructor that drops
   other objects never recurses */
static inline void obj_unref(struct kobj *o)
{
	if (--o->refs == 0)
		obj_last_unref(o);
}
uint64_t obj_live(uint32_t type);    /* objects of a type alive now */

struct cspace *cspace_new(void);
/* look a handle up: type (OBJ_NONE = any) and every bit of `need` must match */
static inline int cspace_lookup(struct cspace *cs, int64_t h, uint32_t type, uint32_t need, struct hslot **out)
{
	struct hslot *s;
	uint64_t idx = (uint64_t)h & 0xff;

	if (h <= 0 || idx >= CSPACE_SLOTS)
		return -E_BADF;
	s = &cs->slot[idx];
	if (!s->obj || s->gen != ((uint64_t)h >> 8))
		return -E_BADF;
	if (type != OBJ_NONE && s->obj->type != type)
		return -E_BADF;
	if ((s->rights & need) != need)
		return -E_ACCES;
	*out = s;
	return 0;
}
/* put obj into a free slot (takes a reference); returns the handle or -E_NOSPC */
int64_t cspace_insert(struct cspace *cs, struct kobj *obj, uint32_t rights, uint64_t badge);
int cspace_close(struct cspace *cs, int64_t h);
void cspace_close_slot(struct cspace *cs, struct hslot *s);   /* s: a used slot of cs (from cspace_lookup) */
void cspace_clear(struct cspace *cs);    /* close every slot */
/* the badge a copy of src may carry when `want` is asked for (0: keep src's);
   only an unbadged handle may be given a badge (E_PERM otherwise) */
uint64_t badge_for(const struct hslot *src, uint64_t want, int *err);
/* same handles, objects, rights, badges, and an account of its own with the same limit
   if cs has one (the objects stay charged where they were); NULL: no memory */
struct cspace *cspace_clone(struct cspace *cs);
/* objects cs's threads make may number at most limit (an account is made if it has none):
   the count now charged, or -E_NOMEM */
long cspace_set_limit(struct cspace *cs, uint32_t limit);
/* make handle h of cs name obj (free slot: h becomes valid; used slot: its object is replaced) */
int cspace_replace(struct cspace *cs, int64_t h, struct kobj *obj, uint32_t rights, uint64_t badge);
#endif
