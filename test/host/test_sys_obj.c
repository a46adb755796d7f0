/*
 * test_sys_obj.c - the handle, handle-table and address-space calls
 * (kernel/sys_obj.c) as a program makes them: the call number and arguments
 * in the thread's saved registers, through syscall_dispatch(), the result in
 * a0 and a1.  Each call's checks in the order they run (handle, type, right,
 * then the arguments), and what a good call leaves: rights cut by the mask,
 * badges kept or refused, tables and spaces only with a sysctl's R_CONTROL,
 * map/unmap/protect/copy on page-aligned user ranges, device parts inside
 * their device.  At the end every object and page is back.
 *
 * Linked with the real pmm.c, kalloc.c, vm.c, obj.c, ipc.c, syscall.c,
 * sys_obj.c and aspace.c; the other kernel calls are weak stubs, the trace
 * is off, the hart is cpus[0] (fake_kernel.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define FAKE_OBJECTS
#include "fake_kernel.h"
#include "cpu.h"
#include "syscall.h"
#include "trace.h"

bool trace_on;
struct trace_rec *trace_kcall_begin(struct thread *t, unsigned nr) { return NULL; }
void trace_kcall_end(struct trace_rec *r, long status) {}
void trace_msg(struct thread *s, struct thread *r, enum sendop op, uint32_t label, unsigned nwords,
	       uint32_t bytes, bool cap) {}
void arch_send_ipi(uint64_t hartid) { fail_msg("no other hart to interrupt (%lu)", (unsigned long)hartid); }

/* syscall.c's table names every handler: those sys_obj.c and sys_ipc.c do not define are these */
#define SYSCALL(NAME, name, doc) \
	__attribute__((weak)) long sys_##name(struct thread *t, uint64_t *a) { return -E_NOSYS; }
#include "uapi/syscalls.def"
#undef SYSCALL

#define DEV_BASE 0x10000000ul           /* a device range outside the fake RAM window */
#define DEV_END  0x10004000ul
#define VA       0x40000000ul

static struct thread *T;                /* the caller */
static int64_t h_sysctl, h_dev, h_as;   /* its handles: a sysctl (all rights), a device, its own space */
static uint64_t free0;

static int64_t insert(struct kobj *o, uint32_t rights)
{
	int64_t h = cspace_insert(T->t_cs, o, rights, 0);
	assert_true(h > 0);
	obj_unref(o);                   /* the handle holds it */
	return h;
}

static int setup(void **state)
{
	struct kobj *sysctl;
	struct device *dev;

	fake_mem_setup(512, true);
	free0 = pmm_free_pages();
	T = fake_thread_new();
	sysctl = kzalloc(sizeof(*sysctl));
	dev = kzalloc(sizeof(*dev));
	assert_true(sysctl && dev);
	obj_init(sysctl, OBJ_SYSCTL);
	obj_init(&dev->o, OBJ_DEVICE);
	dev->dev_base = DEV_BASE;
	dev->dev_end = DEV_END;
	h_sysctl = insert(sysctl, R_ALL);
	h_dev = insert(&dev->o, R_MAP);
	obj_ref(&T->t_as->o);
	h_as = insert(&T->t_as->o, R_MAP | R_CONTROL);
	return 0;
}

static int teardown(void **state)
{
	obj_unref(&T->o);               /* its table and its space, and every handle in it */
	as_reclaim_all();
	assert_int_equal(obj_live(OBJ_NONE), 0);
	assert_int_equal(kalloc_live(), 0);
	assert_int_equal(pmm_free_pages(), free0);
	fake_mem_teardown();
	return 0;
}

/* make kernel call nr as T with arguments a0.. (up to five; the rest 0): the result (a0) */
static long call(uint64_t nr, const uint64_t arg[5])
{
	uint64_t *x = T->t_ctx.x;
	for (int i = 0; i < 5; i++)
		x[REG_A0 + i] = arg[i];         /* a0..a4 are x10..x14 */
	x[REG_A0 + 7] = nr;                 /* a7 */
	syscall_dispatch(T);
	return (long)x[REG_A0];
}
#define CALL(nr, ...) call(nr, (const uint64_t[5]){ __VA_ARGS__ })
#define CALL5 CALL
static uint64_t a1(void) { return T->t_ctx.x[REG_A1]; }
static uint64_t a2(void) { return T->t_ctx.x[REG_A2]; }
static uint64_t a3(void) { return T->t_ctx.x[REG_A0 + 3]; }

static void test_unknown_call(void **state)
{
	assert_int_equal(CALL(SYS_NCALLS, 0), -E_NOSYS);
	assert_int_equal(CALL(~0ul, 0), -E_NOSYS);
}

static void test_dup_close_info(void **state)
{
	int64_t h, h2;
	assert_int_equal(CALL(SYS_HANDLE_DUP, 12345, R_ALL, 0), -E_BADF);
	assert_int_equal(CALL(SYS_HANDLE_DUP, h_as, R_MAP, 0), 0);
	h = (int64_t)a1();
	assert_int_equal(CALL(SYS_HANDLE_INFO, h), 0);
	assert_int_equal(a1(), OBJ_AS);
	assert_int_equal(a2(), R_MAP);                  /* R_CONTROL masked off */
	assert_int_equal(a3(), 0);
	/* a copy with a badge; a badged handle keeps its badge */
	assert_int_equal(CALL(SYS_HANDLE_DUP, h, R_ALL, 77), 0);
	h2 = (int64_t)a1();
	assert_int_equal(CALL(SYS_HANDLE_INFO, h2), 0);
	assert_int_equal(a2(), R_MAP);                  /* no right comes back */
	assert_int_equal(a3(), 77);
	assert_int_equal(CALL(SYS_HANDLE_DUP, h2, R_ALL, 78), -E_PERM);
	assert_int_equal(CALL(SYS_HANDLE_DUP, h2, R_ALL, 0), 0);   /* 0: the badge kept */
	assert_int_equal(CALL(SYS_HANDLE_INFO, (int64_t)a1()), 0);
	assert_int_equal(a3(), 77);
	/* close: once, and the handle stays dead */
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, h), 0);
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, h), -E_BADF);
	assert_int_equal(CALL(SYS_HANDLE_INFO, h), -E_BADF);
	assert_int_equal(CALL(SYS_HANDLE_INFO, (int64_t)T->t_id), -E_BADF);
	/* a thread's info gives its id */
	h = insert((obj_ref(&T->o), &T->o), 0);
	assert_int_equal(CALL(SYS_HANDLE_INFO, h), 0);
	assert_int_equal(a1(), OBJ_THREAD);
	assert_int_equal(a3(), T->t_id);
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, h), 0);
}

static void test_tables_need_control(void **state)
{
	int64_t cs, h_weak;
	uint64_t objs = obj_live(OBJ_CSPACE);
	/* not a sysctl, or one without R_CONTROL: no table */
	assert_int_equal(CALL(SYS_CSPACE_CREATE, h_as), -E_BADF);
	assert_int_equal(CALL(SYS_HANDLE_DUP, h_sysctl, R_ALL & ~R_CONTROL, 0), 0);
	h_weak = (int64_t)a1();
	assert_int_equal(CALL(SYS_CSPACE_CREATE, h_weak), -E_ACCES);
	assert_int_equal(CALL(SYS_AS_CREATE, h_weak), -E_ACCES);
	assert_int_equal(obj_live(OBJ_CSPACE), objs);
	/* with it: a table the caller controls */
	assert_int_equal(CALL(SYS_CSPACE_CREATE, h_sysctl), 0);
	cs = (int64_t)a1();
	assert_int_equal(CALL(SYS_HANDLE_INFO, cs), 0);
	assert_int_equal(a1(), OBJ_CSPACE);
	assert_int_equal(a2(), R_CONTROL);
	/* give into it, clone it, clear it; the caller's own table cannot be cleared */
	assert_int_equal(CALL(SYS_HANDLE_GIVE, cs, h_dev, R_ALL, 5), 0);
	assert_true((int64_t)a1() > 0);
	assert_int_equal(CALL(SYS_HANDLE_GIVE, h_as, h_dev, R_ALL, 5), -E_BADF);   /* not a table */
	assert_int_equal(CALL(SYS_CSPACE_CLONE, cs), 0);
	assert_int_equal(obj_live(OBJ_CSPACE), objs + 2);
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, (int64_t)a1()), 0);
	assert_int_equal(CALL(SYS_CSPACE_CLEAR, cs), 0);
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, cs), 0);
	obj_ref(&T->t_cs->o);
	cs = insert(&T->t_cs->o, R_CONTROL);            /* a handle to its own table */
	assert_int_equal(CALL(SYS_CSPACE_CLEAR, cs), -E_BUSY);
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, cs), 0);
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, h_weak), 0);
	assert_int_equal(obj_live(OBJ_CSPACE), objs);
}

static void test_spaces(void **state)
{
	int64_t as, as2;
	uint64_t pages = pmm_free_pages();
	char buf[16] = "through AS_COPY";
	assert_int_equal(CALL(SYS_AS_CREATE, h_sysctl), 0);
	as = (int64_t)a1();
	assert_int_equal(CALL(SYS_HANDLE_INFO, as), 0);
	assert_int_equal(a2(), R_MAP | R_CONTROL);
	/* map: page-aligned user ranges, readable, known protection bits; nothing twice */
	assert_int_equal(CALL(SYS_AS_MAP, as, VA + 1, PAGE_SIZE, PROT_R), -E_INVAL);
	assert_int_equal(CALL(SYS_AS_MAP, as, VA, PAGE_SIZE + 1, PROT_R), -E_INVAL);
	assert_int_equal(CALL(SYS_AS_MAP, as, VA, 0, PROT_R), -E_INVAL);
	assert_int_equal(CALL(SYS_AS_MAP, as, VA, PAGE_SIZE, PROT_W), -E_INVAL);
	assert_int_equal(CALL(SYS_AS_MAP, as, VA, PAGE_SIZE, PROT_R | 8), -E_INVAL);
	assert_int_equal(CALL(SYS_AS_MAP, as, KERNEL_VBASE, PAGE_SIZE, PROT_R), -E_INVAL);
	assert_int_equal(CALL(SYS_AS_MAP, as, ~0ul & ~PAGE_MASK, 2 * PAGE_SIZE, PROT_R), -E_INVAL);
	assert_int_equal(CALL(SYS_AS_MAP, h_dev, VA, PAGE_SIZE, PROT_R), -E_BADF);
	assert_int_equal(CALL(SYS_AS_MAP, as, VA, 2 * PAGE_SIZE, PROT_R | PROT_W), 0);
	assert_int_equal(CALL(SYS_AS_MAP, as, VA + PAGE_SIZE, PAGE_SIZE, PROT_R), -E_BUSY);
	/* copy from the caller's space into it: the caller's source must be mapped, the target writable */
	assert_int_equal(CALL(SYS_AS_MAP, h_as, VA, PAGE_SIZE, PROT_R | PROT_W), 0);
	assert_int_equal(copy_to_user(T->t_as->as_root, VA, buf, sizeof(buf)), 0);
	assert_int_equal(CALL(SYS_AS_COPY, as, VA + 8, VA, sizeof(buf)), 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(copy_from_user(((struct aspace *)T->t_cs->slot[as & 0xff].obj)->as_root, buf,
					VA + 8, sizeof(buf)), 0);
	assert_string_equal(buf, "through AS_COPY");
	assert_int_equal(CALL(SYS_AS_COPY, as, VA, VA + 5 * PAGE_SIZE, 8), -E_FAULT);   /* source unmapped */
	assert_int_equal(CALL(SYS_AS_COPY, as, KERNEL_VBASE, VA, 8), -E_FAULT);
	/* protect to read-only: then no copy into it */
	assert_int_equal(CALL(SYS_AS_PROTECT, as, VA, 2 * PAGE_SIZE, PROT_R), 0);
	assert_int_equal(CALL(SYS_AS_COPY, as, VA, VA, 8), -E_FAULT);
	/* a clone needs R_CONTROL; then unmap, and the range is free again */
	assert_int_equal(CALL(SYS_HANDLE_DUP, as, R_MAP, 0), 0);
	as2 = (int64_t)a1();
	assert_int_equal(CALL(SYS_AS_CLONE, as2), -E_ACCES);
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, as2), 0);
	assert_int_equal(CALL(SYS_AS_CLONE, as), 0);
	as2 = (int64_t)a1();
	assert_int_equal(CALL(SYS_AS_UNMAP, as, VA, 2 * PAGE_SIZE), 0);
	assert_int_equal(CALL(SYS_AS_UNMAP, as, VA + 3, PAGE_SIZE), -E_INVAL);
	assert_int_equal(CALL(SYS_AS_MAP, as, VA, 2 * PAGE_SIZE, PROT_R), 0);
	assert_int_equal(CALL(SYS_AS_MAP, as2, VA, PAGE_SIZE, PROT_R), -E_BUSY);  /* the clone kept its copy */
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, as), 0);
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, as2), 0);
	assert_int_equal(CALL(SYS_AS_UNMAP, h_as, VA, PAGE_SIZE), 0);
	as_reclaim_all();
	/* both spaces gave every page back; the caller's own keeps the two tables its mapping made */
	assert_int_equal(pmm_free_pages(), pages - 2);
}

static void test_devices(void **state)
{
	int64_t sub;
	uint64_t *pte;
	/* a part: page-aligned, inside the device, not empty, no wrap */
	assert_int_equal(CALL(SYS_DEVICE_SUB, h_dev, DEV_BASE + 1, PAGE_SIZE), -E_INVAL);
	assert_int_equal(CALL(SYS_DEVICE_SUB, h_dev, DEV_BASE, 0), -E_INVAL);
	assert_int_equal(CALL(SYS_DEVICE_SUB, h_dev, DEV_BASE - PAGE_SIZE, PAGE_SIZE), -E_INVAL);
	assert_int_equal(CALL(SYS_DEVICE_SUB, h_dev, DEV_END - PAGE_SIZE, 2 * PAGE_SIZE), -E_INVAL);
	assert_int_equal(CALL(SYS_DEVICE_SUB, h_dev, DEV_BASE, ~0ul & ~PAGE_MASK), -E_INVAL);
	assert_int_equal(CALL(SYS_DEVICE_SUB, h_as, DEV_BASE, PAGE_SIZE), -E_BADF);
	assert_int_equal(CALL(SYS_DEVICE_SUB, h_dev, DEV_BASE + PAGE_SIZE, PAGE_SIZE), 0);
	sub = (int64_t)a1();
	assert_int_equal(CALL(SYS_HANDLE_INFO, sub), 0);
	assert_int_equal(a1(), OBJ_DEVICE);
	assert_int_equal(a2(), R_MAP);
	/* the part maps only itself, and only where nothing is */
	assert_int_equal(CALL5(SYS_AS_MAP_DEVICE, sub, h_as, VA, DEV_BASE, PAGE_SIZE), -E_INVAL);
	assert_int_equal(CALL5(SYS_AS_MAP_DEVICE, sub, h_as, VA, DEV_BASE + PAGE_SIZE, 2 * PAGE_SIZE), -E_INVAL);
	assert_int_equal(CALL5(SYS_AS_MAP_DEVICE, sub, h_as, VA + 1, DEV_BASE + PAGE_SIZE, PAGE_SIZE), -E_INVAL);
	assert_int_equal(CALL5(SYS_AS_MAP_DEVICE, h_as, sub, VA, DEV_BASE + PAGE_SIZE, PAGE_SIZE), -E_BADF);
	assert_int_equal(CALL5(SYS_AS_MAP_DEVICE, sub, h_as, VA, DEV_BASE + PAGE_SIZE, PAGE_SIZE), 0);
	pte = vm_walk(T->t_as->as_root, VA, false);
	assert_non_null(pte);
	assert_int_equal(PTE_PA(*pte), DEV_BASE + PAGE_SIZE);
	assert_int_equal(CALL5(SYS_AS_MAP_DEVICE, sub, h_as, VA, DEV_BASE + PAGE_SIZE, PAGE_SIZE), -E_BUSY);
	assert_int_equal(CALL(SYS_AS_UNMAP, h_as, VA, PAGE_SIZE), 0);
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, sub), 0);
}

/* a handle of the wrong type or without the right, for every call that takes one */
static void test_wrong_handles(void **state)
{
	int64_t weak;
	assert_int_equal(CALL(SYS_HANDLE_DUP, h_as, 0, 0), 0);          /* no rights at all */
	weak = (int64_t)a1();
	assert_int_equal(CALL(SYS_AS_MAP, weak, VA, PAGE_SIZE, PROT_R), -E_ACCES);
	assert_int_equal(CALL(SYS_AS_UNMAP, weak, VA, PAGE_SIZE), -E_ACCES);
	assert_int_equal(CALL(SYS_AS_PROTECT, weak, VA, PAGE_SIZE, PROT_R), -E_ACCES);
	assert_int_equal(CALL(SYS_AS_COPY, weak, VA, VA, 8), -E_ACCES);
	assert_int_equal(CALL(SYS_AS_CLONE, weak), -E_ACCES);
	assert_int_equal(CALL(SYS_CSPACE_CLONE, h_as), -E_BADF);
	assert_int_equal(CALL(SYS_CSPACE_CLEAR, h_as), -E_BADF);
	assert_int_equal(CALL5(SYS_HANDLE_REPLACE, h_as, 1, h_dev, R_ALL, 0), -E_BADF);
	assert_int_equal(CALL(SYS_AS_CLONE, h_dev), -E_BADF);
	assert_int_equal(CALL(SYS_HANDLE_CLOSE, weak), 0);
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T_(test_unknown_call),
		T_(test_dup_close_info),
		T_(test_tables_need_control),
		T_(test_spaces),
		T_(test_devices),
		T_(test_wrong_handles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
