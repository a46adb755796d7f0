/*
 * test_args.c - host tests of args_layout (lib/libsys/args.c): main()'s argv
 * and envp laid out as a stack image ending at a user address `top`.
 *
 * Every pointer in a laid-out image is a user address; check_image() turns
 * each back into an offset in the buffer (address - sp) and compares the
 * string there with the one the request held.  The buffer is filled with
 * POISON first, so a write past the image's size shows up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "args.h"

#define TOP    0x10000000ull     /* the proc server's stack top (uapi/abi.h USER_STACK_TOP) */
#define POISON 0xa5

static union {
	uint64_t w[ARGS_MAX / 8 + 16];
	uint8_t b[ARGS_MAX + 128];
} img;

/* args_layout into img (imgmax bytes of it), poisoned first */
static int layout(const char *strs, size_t len, uint64_t argc, uint64_t envc, uint64_t top,
		  size_t imgmax, struct args_image *out)
{
	memset(img.b, POISON, sizeof(img.b));
	return args_layout(strs, len, argc, envc, top, img.b, imgmax, out);
}

/* the user address p, which must lie inside the image, as a string in img */
static const char *at(const struct args_image *ai, uint64_t p)
{
	assert_true(p >= ai->sp && p < ai->sp + ai->size);
	return (const char *)img.b + (p - ai->sp);
}

/*
 * The image laid out from the argc + envc strings in strs[0..len): its shape,
 * both arrays with their NULLs, each pointer at its own string past the arrays,
 * zero padding and nothing written past it.
 */
static void check_image(const struct args_image *ai, const char *strs, size_t len,
			uint64_t argc, uint64_t envc, uint64_t top)
{
	const uint64_t *vec = img.w;
	size_t ptrs = (size_t)(argc + envc + 2) * 8;
	const char *s = strs;

	assert_int_equal(ai->argc, argc);
	assert_int_equal(ai->envc, envc);
	assert_int_equal(ai->size % 16, 0);
	assert_true(ai->size >= ptrs + len && ai->size < ptrs + len + 16);
	assert_int_equal(ai->sp, top - ai->size);
	assert_int_equal(ai->sp % 16, 0);
	assert_int_equal(ai->argv, ai->sp);
	assert_int_equal(ai->envp, ai->argv + (argc + 1) * 8);
	for (uint64_t i = 0; i < argc + envc; i++) {
		uint64_t slot = i < argc ? i : i + 1;        /* envp's entries sit past argv's NULL */
		assert_true(vec[slot] >= ai->sp + ptrs);
		assert_string_equal(at(ai, vec[slot]), s);
		s += strlen(s) + 1;
	}
	assert_int_equal(vec[argc], 0);
	assert_int_equal(vec[argc + envc + 1], 0);
	/* the strings are copied whole, right after the arrays; then zeros up to size */
	assert_memory_equal(img.b + ptrs, strs, len);
	for (size_t i = ptrs + len; i < ai->size; i++)
		assert_int_equal(img.b[i], 0);
	for (size_t i = ai->size; i < sizeof(img.b); i++)
		assert_int_equal(img.b[i], POISON);
}

/* lay out and check a good request */
static void good(const char *strs, size_t len, uint64_t argc, uint64_t envc, uint64_t top)
{
	struct args_image ai;
	assert_int_equal(layout(strs, len, argc, envc, top, ARGS_MAX, &ai), 0);
	check_image(&ai, strs, len, argc, envc, top);
}

static void args_and_env(void **state)
{
	static const char s[] = "ls\0-l\0/tmp\0PATH=/bin:/sbin\0HOME=/";
	good(s, sizeof(s), 3, 2, TOP);
}

static void args_only(void **state)
{
	static const char s[] = "echo\0hello\0world";
	good(s, sizeof(s), 3, 0, TOP);
}

static void env_only(void **state)
{
	static const char s[] = "A=1\0B=2";
	good(s, sizeof(s), 0, 2, TOP);
}

static void nothing(void **state)
{
	struct args_image ai;
	assert_int_equal(layout("", 0, 0, 0, TOP, ARGS_MAX, &ai), 0);
	check_image(&ai, "", 0, 0, 0, TOP);
	assert_int_equal(ai.size, 16);                   /* two NULLs */
	assert_int_equal(ai.envp, ai.sp + 8);
}

static void empty_strings(void **state)
{
	struct args_image ai;
	assert_int_equal(layout("\0\0\0", 4, 2, 2, TOP, ARGS_MAX, &ai), 0);
	check_image(&ai, "\0\0\0", 4, 2, 2, TOP);
	/* four distinct pointers, one per NUL */
	assert_int_equal(img.w[1], img.w[0] + 1);
	assert_int_equal(img.w[3], img.w[1] + 1);
	assert_int_equal(img.w[4], img.w[3] + 1);
}

/* every string length across a 16-byte boundary: size rounded up, zero padding */
static void sizes_round_up(void **state)
{
	static const char s[] = "abcdefghijklmnopqrstuvwxyz";
	for (size_t n = 1; n <= sizeof(s); n++) {
		char buf[sizeof(s)];
		memcpy(buf, s, n - 1);
		buf[n - 1] = '\0';
		good(buf, n, 1, 0, TOP);
	}
}

static void top_at_image_size(void **state)
{
	struct args_image ai;
	assert_int_equal(layout("a", 2, 1, 0, 32, ARGS_MAX, &ai), 0);
	check_image(&ai, "a", 2, 1, 0, 32);
	assert_int_equal(ai.sp, 0);
}

/* strings that are not argc + envc NUL-terminated ones filling len exactly */
static void strings_mismatch(void **state)
{
	struct args_image ai;
	assert_int_equal(layout("a\0b", 4, 3, 0, TOP, ARGS_MAX, &ai), -EINVAL);     /* too few */
	assert_int_equal(layout("a\0b", 4, 1, 1, TOP, ARGS_MAX, &ai), 0);
	assert_int_equal(layout("a\0b", 4, 2, 1, TOP, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout("a\0b\0c", 6, 2, 0, TOP, ARGS_MAX, &ai), -EINVAL);  /* too many */
	assert_int_equal(layout("a\0b\0c", 6, 1, 1, TOP, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout("\0", 2, 0, 1, TOP, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout("a\0bc", 4, 1, 0, TOP, ARGS_MAX, &ai), -EINVAL);   /* last byte not NUL */
	assert_int_equal(layout("a\0bc", 4, 2, 0, TOP, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout("abc", 3, 0, 0, TOP, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout("", 0, 1, 0, TOP, ARGS_MAX, &ai), -EINVAL);       /* no strings at all */
	assert_int_equal(layout("", 0, 0, 1, TOP, ARGS_MAX, &ai), -EINVAL);
}

static void too_big_for_imgmax(void **state)
{
	static const char s[] = "hello\0world";         /* 4 pointers and 12 bytes: 48 */
	struct args_image ai;
	assert_int_equal(layout(s, sizeof(s), 2, 0, TOP, 47, &ai), -E2BIG);
	assert_int_equal(layout(s, sizeof(s), 2, 0, TOP, 32, &ai), -E2BIG);
	assert_int_equal(layout(s, sizeof(s), 2, 0, TOP, 0, &ai), -E2BIG);
	for (size_t i = 0; i < sizeof(img.b); i++)
		assert_int_equal(img.b[i], POISON);     /* nothing written */
	assert_int_equal(layout(s, sizeof(s), 2, 0, TOP, 48, &ai), 0);
	check_image(&ai, s, sizeof(s), 2, 0, TOP);
}

/* one string of n - 1 characters */
static int one_arg(char *buf, size_t n, size_t imgmax, struct args_image *ai)
{
	memset(buf, 'x', n - 1);
	buf[n - 1] = '\0';
	return layout(buf, n, 1, 0, TOP, imgmax, ai);
}

static void too_big_for_args_max(void **state)
{
	static char buf[2 * ARGS_MAX];
	struct args_image ai;
	/* 3 pointers (24 bytes) and the string: exactly ARGS_MAX fits */
	assert_int_equal(one_arg(buf, ARGS_MAX - 24, sizeof(img.b), &ai), 0);
	check_image(&ai, buf, ARGS_MAX - 24, 1, 0, TOP);
	assert_int_equal(ai.size, ARGS_MAX);
	assert_int_equal(one_arg(buf, ARGS_MAX - 23, sizeof(img.b), &ai), -E2BIG);
	assert_int_equal(one_arg(buf, sizeof(buf), sizeof(img.b), &ai), -E2BIG);
	/* n empty strings take 9n + 16 bytes: 1818 fit, 1819 do not */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(layout(buf, 1818, 1000, 818, TOP, sizeof(img.b), &ai), 0);
	check_image(&ai, buf, 1818, 1000, 818, TOP);
	assert_int_equal(layout(buf, 1819, 1000, 819, TOP, sizeof(img.b), &ai), -E2BIG);
	assert_int_equal(layout(buf, ARGS_MAX, ARGS_MAX, 0, TOP, sizeof(img.b), &ai), -E2BIG);
}

static void top_misaligned(void **state)
{
	struct args_image ai;
	for (uint64_t off = 1; off < 16; off++)
		assert_int_equal(layout("a", 2, 1, 0, TOP + off, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout("a", 2, 1, 0, UINT64_MAX, ARGS_MAX, &ai), -EINVAL);
}

static void top_below_image(void **state)
{
	struct args_image ai;
	assert_int_equal(layout("a", 2, 1, 0, 0, ARGS_MAX, &ai), -E2BIG);
	assert_int_equal(layout("a", 2, 1, 0, 16, ARGS_MAX, &ai), -E2BIG);    /* the image is 32 */
	assert_int_equal(layout("", 0, 0, 0, 0, ARGS_MAX, &ai), -E2BIG);
	assert_int_equal(layout("", 0, 0, 0, 16, ARGS_MAX, &ai), 0);
}

/* counts no request can have, including ones whose sum wraps to a count that matches */
static void huge_counts(void **state)
{
	static char zeros[64];
	struct args_image ai;
	assert_int_equal(layout("", 0, UINT64_MAX, 0, TOP, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout("", 0, 0, UINT64_MAX, TOP, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout("", 0, UINT64_MAX, 1, TOP, ARGS_MAX, &ai), -EINVAL);   /* sum 0 */
	assert_int_equal(layout("", 0, 1, UINT64_MAX, TOP, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout(zeros, 2, UINT64_MAX, 3, TOP, ARGS_MAX, &ai), -EINVAL); /* sum 2 */
	assert_int_equal(layout("", 0, ARGS_MAX + 1, 0, TOP, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout("", 0, 0, ARGS_MAX + 1, TOP, ARGS_MAX, &ai), -EINVAL);
	assert_int_equal(layout("", 0, 1ull << 63, 1ull << 63, TOP, ARGS_MAX, &ai), -EINVAL);
}

/* path_clean: the archive's names for absolute paths with ".", ".." and extra slashes */
static void paths_cleaned(void **state)
{
	static const char *const cases[][2] = {
		{ "/bin/echo", "bin/echo" },  { "/bin/./echo", "bin/echo" },
		{ "//bin//echo/", "bin/echo" }, { "/test/../bin/echo", "bin/echo" },
		{ "/../../bin/x", "bin/x" },   { "/bin/..", "" },  { "/", "" },
		{ "/a/b/c/../../d", "a/d" },   { "/a/.../b", "a/.../b" }, { "/a/..b", "a/..b" },
	};
	char out[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long n = path_clean(cases[i][0], out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
		assert_int_equal(n, (long)strlen(cases[i][1]));
	}
	assert_int_equal(path_clean("bin/echo", out, sizeof(out)), -1);    /* not absolute */
	assert_int_equal(path_clean("", out, sizeof(out)), -1);
	assert_int_equal(path_clean("/bin/echo", out, 8), -1);             /* "bin/echo" + NUL is 9 */
	assert_int_equal(path_clean("/bin/echo", out, 9), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(args_and_env),
		cmocka_unit_test(args_only),
		cmocka_unit_test(env_only),
		cmocka_unit_test(nothing),
		cmocka_unit_test(empty_strings),
		cmocka_unit_test(sizes_round_up),
		cmocka_unit_test(top_at_image_size),
		cmocka_unit_test(strings_mismatch),
		cmocka_unit_test(too_big_for_imgmax),
		cmocka_unit_test(too_big_for_args_max),
		cmocka_unit_test(top_misaligned),
		cmocka_unit_test(top_below_image),
		cmocka_unit_test(huge_counts),
		cmocka_unit_test(paths_cleaned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
