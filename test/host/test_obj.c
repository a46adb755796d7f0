/*
 * test_obj.c - host tests of kernel objects and handle tables (kernel/obj.c):
 * insert, lookup and close; generations, types and rights; a full table;
 * malformed handles; reference counts and when destructors run.  The objects
 * are bare endpoints and notifications (the fake destructor only frees them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define FAKE_OBJECTS
#include "fake_kernel.h"

static struct cspace *cs;

static int setup(void **state)
{
	fake_mem_setup(256, true);
	cs = cspace_new();
	return cs ? 0 : -1;
}

static int teardown(void **state)
{
	/* every test leaves only its table; dropping it must free everything */
	obj_unref(&cs->o);
	assert_int_equal(obj_live(OBJ_NONE), 0);
	assert_int_equal(kalloc_live(), 0);
	assert_int_equal(pmm_free_pages(), pmm_total_pages());
	fake_mem_teardown();
	return 0;
}

static struct kobj *new_obj(uint32_t type)
{
	struct kobj *o = kzalloc(sizeof(struct endpoint));
	assert_non_null(o);
	obj_init(o, type);
	return o;
}

static void test_insert_lookup_close(void **state)
{
	struct kobj *ep = new_obj(OBJ_ENDPOINT);
	struct hslot *s = NULL;
	int64_t h = cspace_insert(cs, ep, R_SEND | R_RECV, 0xbad6e);

	assert_true(h > 0);
	assert_int_equal(ep->refs, 2);
	assert_int_equal(cs->nused, 1);
	assert_int_equal(cspace_lookup(cs, h, OBJ_ENDPOINT, R_SEND, &s), 0);
	assert_ptr_equal(s->obj, ep);
	assert_int_equal(s->rights, R_SEND | R_RECV);
	assert_int_equal(s->badge, 0xbad6e);
	s = NULL;
	assert_int_equal(cspace_lookup(cs, h, OBJ_NONE, 0, &s), 0);   /* any type */
	assert_ptr_equal(s->obj, ep);

	assert_int_equal(cspace_close(cs, h), 0);
	assert_int_equal(cs->nused, 0);
	assert_int_equal(ep->refs, 1);
	assert_int_equal(cspace_lookup(cs, h, OBJ_NONE, 0, &s), -E_BADF);
	assert_int_equal(cspace_close(cs, h), -E_BADF);                /* twice */
	obj_unref(ep);
}

static void test_stale_handle(void **state)
{
	struct kobj *a = new_obj(OBJ_ENDPOINT), *b = new_obj(OBJ_ENDPOINT);
	struct hslot *s;
	int64_t ha = cspace_insert(cs, a, R_ALL, 0), hb;

	assert_int_equal(cspace_close(cs, ha), 0);
	hb = cspace_insert(cs, b, R_ALL, 0);
	assert_int_equal(hb & 0xff, ha & 0xff);     /* same slot reused ... */
	assert_int_not_equal(hb, ha);               /* ... under a new generation */
	assert_int_equal(cspace_lookup(cs, ha, OBJ_NONE, 0, &s), -E_BADF);
	assert_int_equal(cspace_close(cs, ha), -E_BADF);
	assert_int_equal(cspace_lookup(cs, hb, OBJ_NONE, 0, &s), 0);
	assert_ptr_equal(s->obj, b);
	assert_int_equal(b->refs, 2);               /* the stale close did not touch b */

	/* many reuses of one slot never bring an old handle back */
	for (int i = 0; i < 1000; i++) {
		int64_t h;
		assert_int_equal(cspace_close(cs, hb), 0);
		h = cspace_insert(cs, b, R_ALL, 0);
		assert_int_equal(cspace_lookup(cs, hb, OBJ_NONE, 0, &s), -E_BADF);
		hb = h;
	}
	assert_int_equal(cspace_close(cs, hb), 0);
	obj_unref(a);
	obj_unref(b);
}

static void test_wrong_type_and_rights(void **state)
{
	struct kobj *ep = new_obj(OBJ_ENDPOINT);
	struct hslot *s;
	int64_t h = cspace_insert(cs, ep, R_SEND | 0xff00, 0);

	assert_int_equal(cspace_lookup(cs, h, OBJ_NTFN, 0, &s), -E_BADF);
	assert_int_equal(cspace_lookup(cs, h, OBJ_THREAD, R_SEND, &s), -E_BADF);
	assert_int_equal(cspace_lookup(cs, h, OBJ_ENDPOINT, R_RECV, &s), -E_ACCES);
	assert_int_equal(cspace_lookup(cs, h, OBJ_ENDPOINT, R_SEND | R_GRANT, &s), -E_ACCES);
	assert_int_equal(cspace_lookup(cs, h, OBJ_ENDPOINT, R_SEND, &s), 0);
	assert_int_equal(s->rights, R_SEND);        /* rights beyond R_ALL dropped */
	obj_unref(ep);                              /* the handle keeps it alive */
	assert_int_equal(fake.destroyed[OBJ_ENDPOINT], 0);
}

static void test_table_full(void **state)
{
	struct kobj *ep = new_obj(OBJ_ENDPOINT), *extra = new_obj(OBJ_NTFN);
	int64_t h[CSPACE_SLOTS];
	struct hslot *s;

	for (int i = 0; i < CSPACE_SLOTS; i++) {
		h[i] = cspace_insert(cs, ep, R_SEND, (uint64_t)i);
		assert_true(h[i] > 0);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(h[i], h[j]);
	}
	assert_int_equal(cs->nused, CSPACE_SLOTS);
	assert_int_equal(ep->refs, 1 + CSPACE_SLOTS);
	assert_int_equal(cspace_insert(cs, extra, R_ALL, 0), -E_NOSPC);
	assert_int_equal(extra->refs, 1);           /* no reference taken */
	for (int i = 0; i < CSPACE_SLOTS; i++) {
		assert_int_equal(cspace_lookup(cs, h[i], OBJ_ENDPOINT, R_SEND, &s), 0);
		assert_int_equal(s->badge, (uint64_t)i);
	}
	/* one free slot: room again */
	assert_int_equal(cspace_close(cs, h[77]), 0);
	assert_true(cspace_insert(cs, extra, R_ALL, 0) > 0);
	obj_unref(ep);
	obj_unref(extra);
}

static void test_garbage_handles(void **state)
{
	struct kobj *ep = new_obj(OBJ_ENDPOINT);
	struct hslot *s = NULL;
	int64_t h = cspace_insert(cs, ep, R_ALL, 0);
	const int64_t bad[] = {
		0, -1, -E_BADF, INT64_MIN, INT64_MAX,
		h & 0xff,                       /* generation 0 */
		(h & ~0xffl) | 0x80,            /* slot 128: past the table */
		(h & ~0xffl) | 0xff,
		h + (1l << 8),                  /* next generation */
		h | (1l << 40),                 /* junk above the generation */
		h - (1l << 8),
		-h,
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(cspace_lookup(cs, bad[i], OBJ_NONE, 0, &s), -E_BADF);
		assert_int_equal(cspace_close(cs, bad[i]), -E_BADF);
	}
	assert_null(s);
	assert_int_equal(cs->nused, 1);
	assert_int_equal(cspace_lookup(cs, h, OBJ_NONE, 0, &s), 0);
	obj_unref(ep);
}

/* an object dies exactly when its last handle (or other reference) goes */
static void test_refcount_destroys_at_last_close(void **state)
{
	struct kobj *ep = new_obj(OBJ_ENDPOINT);
	struct cspace *other = cspace_new();
	int64_t h1 = cspace_insert(cs, ep, R_ALL, 0);
	int64_t h2 = cspace_insert(cs, ep, R_SEND, 1);
	int64_t h3 = cspace_insert(other, ep, R_RECV, 2);

	obj_unref(ep);                              /* only handles hold it now */
	assert_int_equal(ep->refs, 3);
	assert_int_equal(obj_live(OBJ_ENDPOINT), 1);
	assert_int_equal(cspace_close(cs, h1), 0);
	assert_int_equal(cspace_close(other, h3), 0);
	assert_int_equal(fake.destroyed[OBJ_ENDPOINT], 0);
	assert_int_equal(obj_live(OBJ_ENDPOINT), 1);
	assert_int_equal(cspace_close(cs, h2), 0);  /* the last one */
	assert_int_equal(fake.destroyed[OBJ_ENDPOINT], 1);
	assert_int_equal(obj_live(OBJ_ENDPOINT), 0);
	obj_unref(&other->o);
	assert_int_equal(obj_live(OBJ_CSPACE), 1);  /* other is gone, cs stays */
}

static void test_cspace_clear(void **state)
{
	struct kobj *a = new_obj(OBJ_ENDPOINT), *b = new_obj(OBJ_NTFN);
	struct hslot *s;
	int64_t ha, hb, h;

	ha = cspace_insert(cs, a, R_ALL, 0);
	hb = cspace_insert(cs, b, R_ALL, 0);
	cspace_insert(cs, b, R_SEND, 0);
	obj_unref(a);
	obj_unref(b);
	cspace_clear(cs);
	assert_int_equal(cs->nused, 0);
	assert_int_equal(fake.destroyed[OBJ_ENDPOINT], 1);
	assert_int_equal(fake.destroyed[OBJ_NTFN], 1);
	assert_int_equal(obj_live(OBJ_NONE), 1);    /* only the table */
	assert_int_equal(cspace_lookup(cs, ha, OBJ_NONE, 0, &s), -E_BADF);
	assert_int_equal(cspace_lookup(cs, hb, OBJ_NONE, 0, &s), -E_BADF);
	/* still usable, and the old handles stay dead */
	a = new_obj(OBJ_ENDPOINT);
	h = cspace_insert(cs, a, R_ALL, 0);
	assert_true(h > 0);
	assert_int_not_equal(h, ha);
	obj_unref(a);
}

/* a table named from another table: dropping the outer one frees the inner's objects */
static void test_nested_cspace(void **state)
{
	struct cspace *inner = cspace_new();
	struct kobj *ep = new_obj(OBJ_ENDPOINT);

	cspace_insert(inner, ep, R_ALL, 0);
	obj_unref(ep);
	cspace_insert(cs, &inner->o, R_ALL, 0);
	obj_unref(&inner->o);
	assert_int_equal(obj_live(OBJ_CSPACE), 2);
	cspace_clear(cs);
	assert_int_equal(fake.destroyed[OBJ_ENDPOINT], 1);  /* inner went, and its endpoint with it */
	assert_int_equal(obj_live(OBJ_CSPACE), 1);
	assert_int_equal(obj_live(OBJ_ENDPOINT), 0);
}

static void test_obj_live(void **state)
{
	struct kobj *o[5];

	assert_int_equal(obj_live(OBJ_CSPACE), 1);
	assert_int_equal(obj_live(OBJ_NONE), 1);
	for (int i = 0; i < 5; i++)
		o[i] = new_obj(i < 3 ? OBJ_ENDPOINT : OBJ_NTFN);
	assert_int_equal(obj_live(OBJ_ENDPOINT), 3);
	assert_int_equal(obj_live(OBJ_NTFN), 2);
	assert_int_equal(obj_live(OBJ_THREAD), 0);
	assert_int_equal(obj_live(OBJ_NONE), 6);
	assert_int_equal(obj_live(OBJ_NTYPES), 0);
	assert_int_equal(obj_live(0xffffffffu), 0);
	obj_ref(o[0]);
	obj_unref(o[0]);
	assert_int_equal(obj_live(OBJ_ENDPOINT), 3);
	for (int i = 0; i < 5; i++)
		obj_unref(o[i]);
	assert_int_equal(obj_live(OBJ_NONE), 1);
	assert_int_equal(fake.destroyed[OBJ_ENDPOINT], 3);
	assert_int_equal(fake.destroyed[OBJ_NTFN], 2);
}

/* ---- accounts (SYS_CSPACE_LIMIT): what a table's threads make is charged to it ---- */

static struct kobj *made_by(struct cspace *maker, long *err)
{
	return obj_new(maker, sizeof(struct endpoint), OBJ_ENDPOINT, err);
}

static void test_account_limit(void **state)
{
	struct kobj *a, *b;
	long err = 0;

	assert_int_equal(cspace_set_limit(cs, 2), 0);
	assert_non_null(a = made_by(cs, &err));
	assert_non_null(b = made_by(cs, &err));
	assert_int_equal(cs->cs_acct->used, 2);
	assert_null(made_by(cs, &err));                 /* the third is refused ... */
	assert_int_equal(err, -E_AGAIN);
	assert_int_equal(obj_live(OBJ_ENDPOINT), 2);   /* ... and nothing was made for it */
	obj_unref(a);                                   /* a death gives its charge back */
	assert_int_equal(cs->cs_acct->used, 1);
	assert_non_null(a = made_by(cs, &err));
	assert_int_equal(cspace_set_limit(cs, 1), 2);  /* lowered below use: reads 2 ... */
	assert_null(made_by(cs, &err));                 /* ... and only stops new ones */
	obj_unref(a);
	obj_unref(b);
	assert_int_equal(cspace_set_limit(cs, 1), 0);
	assert_non_null(a = made_by(NULL, &err));       /* boot, or a table without an account */
	assert_null(a->acct);
	obj_unref(a);
}

/* handing an object away (its handle moved to another table) keeps it charged to its maker */
static void test_account_follows_object(void **state)
{
	struct cspace *other = cspace_new();
	struct kobj *o;
	int64_t h, h2;
	long err = 0;

	assert_non_null(other);
	assert_int_equal(cspace_set_limit(cs, 1), 0);
	assert_non_null(o = made_by(cs, &err));
	h = cspace_insert(cs, o, R_ALL, 0);
	h2 = cspace_insert(other, o, R_ALL, 0);
	obj_unref(o);                                   /* the two handles hold it now */
	assert_int_equal(cspace_close(cs, h), 0);       /* the maker lets go of its handle */
	assert_int_equal(cs->cs_acct->used, 1);         /* still charged: it lives in `other` */
	assert_null(made_by(cs, &err));
	assert_int_equal(err, -E_AGAIN);
	assert_int_equal(cspace_close(other, h2), 0);   /* it dies: the charge goes */
	assert_int_equal(cs->cs_acct->used, 0);
	assert_non_null(o = made_by(cs, &err));
	obj_unref(o);
	obj_unref(&other->o);
}

/* the account outlives its table while an object charged to it lives, and then goes */
static void test_account_outlives_table(void **state)
{
	struct cspace *maker = cspace_new();
	struct kobj *o;
	int64_t h;
	long err = 0;

	assert_non_null(maker);
	assert_int_equal(cspace_set_limit(maker, 4), 0);
	assert_non_null(o = made_by(maker, &err));
	h = cspace_insert(cs, o, R_ALL, 0);
	obj_unref(o);
	obj_unref(&maker->o);                           /* the maker's table is gone ... */
	assert_int_equal(o->acct->used, 1);             /* ... its account is not */
	assert_int_equal(o->acct->refs, 1);
	assert_int_equal(cspace_close(cs, h), 0);       /* teardown: nothing left allocated */
}

/* a clone of a counted table counts on its own, from 0, under the same limit */
static void test_account_clone(void **state)
{
	struct cspace *copy;
	struct kobj *o;
	long err = 0;

	assert_int_equal(cspace_set_limit(cs, 3), 0);
	assert_non_null(o = made_by(cs, &err));
	assert_true(cspace_insert(cs, o, R_ALL, 0) > 0);
	obj_unref(o);
	assert_non_null(copy = cspace_clone(cs));
	assert_non_null(copy->cs_acct);
	assert_ptr_not_equal(copy->cs_acct, cs->cs_acct);
	assert_int_equal(copy->cs_acct->limit, 3);
	assert_int_equal(copy->cs_acct->used, 0);       /* the copied handle's object is cs's */
	assert_int_equal(cs->cs_acct->used, 1);
	obj_unref(&copy->o);
	cspace_clear(cs);
	assert_int_equal(cs->cs_acct->used, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_insert_lookup_close),
		T(test_stale_handle),
		T(test_wrong_type_and_rights),
		T(test_table_full),
		T(test_garbage_handles),
		T(test_refcount_destroys_at_last_close),
		T(test_cspace_clear),
		T(test_nested_cspace),
		T(test_obj_live),
		T(test_account_limit),
		T(test_account_follows_object),
		T(test_account_outlives_table),
		T(test_account_clone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
