/*
 * cpio_build.h - a newc archive made in memory for the host tests (the
 * format scripts/mkcpio.py writes, members 4-byte aligned), up to 8 members
 * and 8 KiB (a few of elf_build.h's images).  Include after <cmocka.h>: a
 * member that does not fit fails the test.
 */
#ifndef TEST_CPIO_BUILD_H
#define TEST_CPIO_BUILD_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct cpio {
	union {
		char b[8192];
		uint64_t align;
	} u;
	uint64_t len;
	uint64_t at[8];                /* where each member's header starts */
	int n;
};

/* add a member: name, then size bytes of data */
static void cpio_add(struct cpio *c, const char *name, const void *data, uint64_t size)
{
	uint64_t namesize = strlen(name) + 1;
	char hdr[112];
	snprintf(hdr, sizeof(hdr), "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 c->n + 1, 0100644, 0, 0, 1, 0, (unsigned)size, 0, 0, 0, 0, (unsigned)namesize, 0);
	assert_int_equal(strlen(hdr), 110);
	c->at[c->n++] = c->len;
	memcpy(c->u.b + c->len, hdr, 110);
	memcpy(c->u.b + c->len + 110, name, namesize);
	c->len = (c->len + 110 + namesize + 3) & ~3ull;
	memcpy(c->u.b + c->len, data, size);
	c->len = (c->len + size + 3) & ~3ull;
	assert_true(c->len <= sizeof(c->u.b));
}
#endif
