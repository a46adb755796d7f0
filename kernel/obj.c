/* Kernel objects and handle tables: see include/obj.h. */
#include "obj.h"
#include "thread.h"
#include "ipc.h"
#include "kalloc.h"

static uint64_t live_by_type[OBJ_NTYPES];

void obj_init(struct kobj *o, uint32_t type)
{
	KASSERT(type > OBJ_NONE && type < OBJ_NTYPES);
	o->type = type;
	o->refs = 1;
	live_by_type[type]++;
}

void *obj_new(struct cspace *maker, size_t size, uint32_t type, long *err)
{
	struct kacct *a = maker ? maker->cs_acct : NULL;
	struct kobj *o;

	if (a && a->used >= a->limit) {
		*err = -E_AGAIN;
		return NULL;
	}
	if (!(o = kzalloc(size))) {
		*err = -E_NOMEM;
		return NULL;
	}
	obj_init(o, type);
	if (a) {
		a->used++;
		a->refs++;
		o->acct = a;
	}
	return o;
}

static void acct_put(struct kacct *a)
{
	if (a && --a->refs == 0)
		kfree(a);
}

/*
 * The last reference went: let go of what the object holds, unlink it from
 * whatever points at it (docs/kernel-api.md "Object lifetime rules"), free it.
 */
static void obj_destroy(struct kobj *o)
{
	switch (o->type) {
	case OBJ_THREAD:
		thread_destroy((struct thread *)o);
		break;
	case OBJ_AS:
		as_reclaim_later((struct aspace *)o);
		return;                         /* freed once its tables are (thread.c, as_reclaim) */
	case OBJ_CSPACE:
		cspace_clear((struct cspace *)o);
		acct_put(((struct cspace *)o)->cs_acct);
		break;
	case OBJ_ENDPOINT:
		ipc_ep_destroy((struct endpoint *)o);
		break;
	case OBJ_NTFN:
		ntfn_destroy((struct ntfn *)o);
		break;
	case OBJ_REPLY:
		reply_destroy((struct reply *)o);
		break;
	case OBJ_IRQ:
		irq_unbind((struct irq *)o);
		break;
	default:
		break;
	}
	kfree(o);
}

static struct kobj *dead_head, **dead_tail = &dead_head;
static bool destroying;

void obj_last_unref(struct kobj *o)
{
	KASSERT(o->refs == 0 && o->type > OBJ_NONE && o->type < OBJ_NTYPES);
	live_by_type[o->type]--;
	if (o->acct) {                  /* dead now, whenever its memory goes */
		o->acct->used--;
		acct_put(o->acct);
		o->acct = NULL;
	}
	/* queue it; the outermost unref runs the destructors, so a chain of
	   objects holding objects costs no kernel stack */
	o->dead_next = NULL;
	*dead_tail = o;
	dead_tail = &o->dead_next;
	if (destroying)
		return;
	destroying = true;
	while (dead_head) {
		struct kobj *d = dead_head;
		dead_head = d->dead_next;
		if (!dead_head)
			dead_tail = &dead_head;
		obj_destroy(d);
	}
	destroying = false;
}

uint64_t obj_live(uint32_t type)
{
	uint64_t n = 0;
	if (type != OBJ_NONE)
		return type < OBJ_NTYPES ? live_by_type[type] : 0;
	for (int t = 1; t < OBJ_NTYPES; t++)
		n += live_by_type[t];
	return n;
}

struct cspace *cspace_new(void)
{
	struct cspace *cs = kzalloc(sizeof(*cs));
	if (!cs)
		return NULL;
	obj_init(&cs->o, OBJ_CSPACE);
	for (int i = 0; i < CSPACE_SLOTS; i++)
		cs->slot[i].gen = 1;
	return cs;
}

int64_t cspace_insert(struct cspace *cs, struct kobj *obj, uint32_t rights, uint64_t badge)
{
	for (int i = 0; i < CSPACE_SLOTS; i++) {
		struct hslot *s = &cs->slot[i];
		if (s->obj)
			continue;
		obj_ref(obj);
		s->obj = obj;
		s->rights = rights & R_ALL;
		s->badge = badge;
		cs->nused++;
		return ((int64_t)s->gen << 8) | i;
	}
	return -E_NOSPC;
}

void cspace_close_slot(struct cspace *cs, struct hslot *s)
{
	struct kobj *o = s->obj;
	s->obj = NULL;
	s->rights = 0;
	s->badge = 0;
	if (++s->gen >= (1u << 23))
		s->gen = 1;
	cs->nused--;
	obj_unref(o);
}

int cspace_close(struct cspace *cs, int64_t h)
{
	struct hslot *s;
	int err = cspace_lookup(cs, h, OBJ_NONE, 0, &s);
	if (err)
		return err;
	cspace_close_slot(cs, s);
	return 0;
}

void cspace_clear(struct cspace *cs)
{
	for (int i = 0; i < CSPACE_SLOTS; i++)
		if (cs->slot[i].obj)
			cspace_close_slot(cs, &cs->slot[i]);
}

long cspace_set_limit(struct cspace *cs, uint32_t limit)
{
	if (!cs->cs_acct) {
		if (!(cs->cs_acct = kzalloc(sizeof(*cs->cs_acct))))
			return -E_NOMEM;
		cs->cs_acct->refs = 1;
	}
	cs->cs_acct->limit = limit;
	return cs->cs_acct->used;
}

struct cspace *cspace_clone(struct cspace *cs)
{
	struct cspace *n = cspace_new();
	if (!n)
		return NULL;
	if (cs->cs_acct && cspace_set_limit(n, cs->cs_acct->limit) < 0) {
		obj_unref(&n->o);
		return NULL;
	}
	for (int i = 0; i < CSPACE_SLOTS; i++) {
		n->slot[i] = cs->slot[i];
		if (n->slot[i].obj) {
			obj_ref(n->slot[i].obj);
			n->nused++;
		}
	}
	return n;
}

uint64_t badge_for(const struct hslot *src, uint64_t want, int *err)
{
	*err = 0;
	if (!want || want == src->badge)
		return src->badge;
	if (src->badge) {
		*err = -E_PERM;          /* a badge, once set, is what identifies the holder */
		return 0;
	}
	return want;
}

int cspace_replace(struct cspace *cs, int64_t h, struct kobj *obj, uint32_t rights, uint64_t badge)
{
	uint64_t idx = (uint64_t)h & 0xff, gen = (uint64_t)h >> 8;
	struct hslot *s;
	struct kobj *old;

	if (h <= 0 || idx >= CSPACE_SLOTS || gen == 0 || gen >= (1u << 23))
		return -E_BADF;
	s = &cs->slot[idx];
	if (s->obj && s->gen != gen)
		return -E_BADF;         /* occupied by another handle */
	old = s->obj;
	obj_ref(obj);
	s->obj = obj;
	s->gen = (uint32_t)gen;
	s->rights = rights & R_ALL;
	s->badge = badge;
	if (old)
		obj_unref(old);
	else
		cs->nused++;
	return 0;
}
