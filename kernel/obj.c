/* Kernel objects and handle tables: see include/obj.h. */
#include "obj.h"
#include "kalloc.h"

static uint64_t live_by_type[OBJ_NTYPES];

void obj_init(struct kobj *o, uint32_t type)
{
	KASSERT(type > OBJ_NONE && type < OBJ_NTYPES);
	o->type = type;
	o->refs = 1;
	live_by_type[type]++;
}

void obj_ref(struct kobj *o)
{
	KASSERT(o->refs > 0);
	o->refs++;
}

void obj_unref(struct kobj *o)
{
	KASSERT(o->refs > 0);
	if (--o->refs == 0) {
		live_by_type[o->type]--;
		obj_destroy(o);
	}
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

int cspace_lookup(struct cspace *cs, int64_t h, uint32_t type, uint32_t need, struct hslot **out)
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

static void slot_close(struct cspace *cs, struct hslot *s)
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
	slot_close(cs, s);
	return 0;
}

void cspace_clear(struct cspace *cs)
{
	for (int i = 0; i < CSPACE_SLOTS; i++)
		if (cs->slot[i].obj)
			slot_close(cs, &cs->slot[i]);
}
