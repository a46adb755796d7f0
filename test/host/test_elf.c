/*
 * test_elf.c - host tests of lib/libsys/elf.c: elf_load with the address
 * space faked behind struct elf_ops, and cpio_find.
 *
 * The fake address space is a handful of 4 KiB pages keyed by user address:
 * map adds zeroed pages (and refuses one that is already there), copy writes
 * into mapped pages only, protect sets the pages' protection; every call is
 * counted.  The ELF under test is elf_build.h's: a good static RV64 executable
 * (a text and a data+bss PT_LOAD and a PT_TLS to be ignored) that each bad
 * case breaks in one field.  Every image and archive is handed over in a
 * heap buffer of exactly its size, so that ASan catches any read past it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cpio_build.h"

#include "uapi/abi.h"
#include "uapi/elf.h"
#include "elfload.h"
#include "elf_build.h"

/* ---- the fake address space ---- */

#define AS      7                /* the handle the loader is given */
#define NPAGES  16
#define PAGE    4096ull

static struct fpage {
	uint64_t va;
	int prot;
	uint8_t data[PAGE];
} pages[NPAGES];
static int npages, nmap, ncopy, nprotect;
static long map_err, copy_err, protect_err;   /* what the next such call returns */

static struct call {
	char op;                      /* 'm'ap, 'c'opy, 'p'rotect */
	uint64_t va, len;
	int prot;
} calls[16];
static int ncalls;

static void fake_reset(void)
{
	memset(pages, 0, sizeof(pages));
	npages = nmap = ncopy = nprotect = ncalls = 0;
	map_err = copy_err = protect_err = 0;
}

static void record(char op, uint64_t va, uint64_t len, int prot)
{
	assert_true(ncalls < 16);
	calls[ncalls++] = (struct call){ op, va, len, prot };
}

static struct fpage *page_of(uint64_t va)
{
	for (int i = 0; i < npages; i++)
		if (pages[i].va == (va & ~(PAGE - 1)))
			return &pages[i];
	return NULL;
}

static long fake_map(handle_t as, uint64_t va, uint64_t len, int prot)
{
	nmap++;
	record('m', va, len, prot);
	assert_int_equal(as, AS);
	if (map_err)
		return map_err;
	assert_int_equal(va % PAGE, 0);
	assert_int_equal(len % PAGE, 0);
	assert_true(len > 0 && va >= USER_VA_MIN && va + len <= USER_VA_MAX);
	for (uint64_t a = va; a < va + len; a += PAGE) {
		assert_null(page_of(a));
		assert_true(npages < NPAGES);
		pages[npages].va = a;
		pages[npages++].prot = prot;
	}
	return 0;
}

static long fake_copy(handle_t as, uint64_t dst, const void *src, uint64_t len)
{
	ncopy++;
	record('c', dst, len, 0);
	assert_int_equal(as, AS);
	if (copy_err)
		return copy_err;
	for (uint64_t i = 0; i < len; i++) {
		struct fpage *p = page_of(dst + i);
		assert_non_null(p);
		p->data[(dst + i) % PAGE] = ((const uint8_t *)src)[i];
	}
	return 0;
}

static long fake_protect(handle_t as, uint64_t va, uint64_t len, int prot)
{
	nprotect++;
	record('p', va, len, prot);
	assert_int_equal(as, AS);
	if (protect_err)
		return protect_err;
	for (uint64_t a = va; a < va + len; a += PAGE) {
		struct fpage *p = page_of(a);
		assert_non_null(p);
		p->prot = prot;
	}
	return 0;
}

static const struct elf_ops fake_ops = { fake_map, fake_copy, fake_protect };

static uint8_t peek(uint64_t va)
{
	struct fpage *p = page_of(va);
	assert_non_null(p);
	return p->data[va % PAGE];
}

static void assert_call(int i, char op, uint64_t va, uint64_t len, int prot)
{
	assert_true(i < ncalls);
	assert_int_equal(calls[i].op, op);
	assert_int_equal(calls[i].va, va);
	assert_int_equal(calls[i].len, len);
	assert_int_equal(calls[i].prot, prot);
}

/* elf_load of size bytes of img, from a heap buffer of exactly that size at offset skew */
static long load_skewed(const void *img, uint64_t size, size_t skew, uint64_t *entry)
{
	uint8_t *buf = malloc(size + skew);
	long r;
	assert_non_null(buf);
	memcpy(buf + skew, img, size);
	fake_reset();
	r = elf_load(&fake_ops, AS, buf + skew, size, entry);
	free(buf);
	return r;
}

static long load(const void *img, uint64_t size, uint64_t *entry) { return load_skewed(img, size, 0, entry); }

/* -E_INVAL, *entry untouched, not one call into the address space */
static void expect_inval_at(const struct elf *e, uint64_t size, int line)
{
	uint64_t entry = 0xdead;
	long r = load(e->u.b, size, &entry);
	if (r != -E_INVAL || entry != 0xdead || nmap || ncopy || nprotect)
		fail_msg("line %d: elf_load %ld (want %d), entry %#lx, %d maps, %d copies, %d protects",
			 line, r, -E_INVAL, (unsigned long)entry, nmap, ncopy, nprotect);
}
#define expect_inval(e) expect_inval_at(e, (e)->size, __LINE__)

/* the good image with one change: BAD(e->eh->machine = 62) */
#define BAD(change) do { struct elf *e = good_elf(); change; expect_inval(e); } while (0)

/* the text page and the two data pages hold what they should */
static void check_good_load(void)
{
	for (uint64_t va = 0x400000; va < 0x401000; va++) {
		bool in = va >= TEXT_VA && va < TEXT_VA + TEXT_SZ;
		assert_int_equal(peek(va), in ? file_byte(TEXT_OFF + va - TEXT_VA) : 0);
	}
	for (uint64_t va = 0x401000; va < 0x403000; va++) {
		bool in = va >= DATA_VA && va < DATA_VA + DATA_FILESZ;
		assert_int_equal(peek(va), in ? file_byte(DATA_OFF + va - DATA_VA) : 0);
	}
	assert_int_equal(page_of(0x400000)->prot, PROT_R | PROT_X);
	assert_int_equal(page_of(0x401000)->prot, PROT_R | PROT_W);
	assert_int_equal(page_of(0x402000)->prot, PROT_R | PROT_W);
}

/* ---- elf_load: good images ---- */

static void loads_two_segments(void **state)
{
	struct elf *e = good_elf();
	uint64_t entry = 0;
	assert_int_equal(load(e->u.b, e->size, &entry), 0);
	assert_int_equal(entry, ENTRY);
	assert_int_equal(npages, 3);
	check_good_load();
	/* each segment: its pages read-write, its file bytes, then its protection unless read-write */
	assert_int_equal(ncalls, 5);
	assert_call(0, 'm', 0x400000, 0x1000, PROT_R | PROT_W);
	assert_call(1, 'c', TEXT_VA, TEXT_SZ, 0);
	assert_call(2, 'p', 0x400000, 0x1000, PROT_R | PROT_X);
	assert_call(3, 'm', 0x401000, 0x2000, PROT_R | PROT_W);
	assert_call(4, 'c', DATA_VA, DATA_FILESZ, 0);
}

static void loads_one_segment(void **state)
{
	struct elf *e = good_elf();
	uint64_t entry = 0;
	e->eh->phnum = 1;
	e->eh->entry = TEXT_VA;
	assert_int_equal(load(e->u.b, e->size, &entry), 0);
	assert_int_equal(entry, TEXT_VA);
	assert_int_equal(npages, 1);
	assert_int_equal(ncalls, 3);
	assert_int_equal(page_of(0x400000)->prot, PROT_R | PROT_X);
	for (uint64_t i = 0; i < TEXT_SZ; i++)
		assert_int_equal(peek(TEXT_VA + i), file_byte(TEXT_OFF + i));
}

/* an archive member is only 4-byte aligned (UBSan checks the loader's reads) */
static void loads_unaligned_image(void **state)
{
	for (size_t skew = 1; skew < 8; skew++) {
		struct elf *e = good_elf();
		uint64_t entry = 0;
		assert_int_equal(load_skewed(e->u.b, e->size, skew, &entry), 0);
		assert_int_equal(entry, ENTRY);
		check_good_load();
	}
}

/* a PT_LOAD of no memory is skipped, whatever its other fields say */
static void skips_empty_load(void **state)
{
	struct elf *e = good_elf();
	uint64_t entry = 0;
	e->ph[2] = (struct elf64_phdr){ .type = PT_LOAD, .flags = PF_R | PF_X, .offset = UINT64_MAX,
		.vaddr = 0, .filesz = UINT64_MAX, .memsz = 0 };
	assert_int_equal(load(e->u.b, e->size, &entry), 0);
	assert_int_equal(npages, 3);
	assert_int_equal(nmap, 2);
}

/* the edges that are still inside: the last byte of user space, the first and last entry */
static void accepts_edges(void **state)
{
	struct elf *e = good_elf();
	uint64_t entry = 0;
	e->ph[1].vaddr = USER_VA_MAX - DATA_MEMSZ;
	assert_int_equal(load(e->u.b, e->size, &entry), 0);
	assert_call(3, 'm', USER_VA_MAX - 0x2000, 0x2000, PROT_R | PROT_W);

	e = good_elf();
	e->ph[0].vaddr = USER_VA_MIN;
	e->eh->entry = USER_VA_MIN;
	assert_int_equal(load(e->u.b, e->size, &entry), 0);
	assert_int_equal(entry, USER_VA_MIN);

	e = good_elf();
	e->eh->entry = TEXT_VA + TEXT_SZ - 2;
	assert_int_equal(load(e->u.b, e->size, &entry), 0);
	assert_int_equal(entry, TEXT_VA + TEXT_SZ - 2);

	e = good_elf();                 /* code in the data segment, if it says it is executable */
	e->ph[1].flags |= PF_X;
	e->eh->entry = DATA_VA;
	assert_int_equal(load(e->u.b, e->size, &entry), 0);
	assert_int_equal(page_of(DATA_VA)->prot, PROT_R | PROT_W | PROT_X);
}

/* an address-space call's error comes back as it is, and stops the loading */
static void returns_ops_errors(void **state)
{
	struct elf *e = good_elf();
	uint64_t entry = 0xdead;
	fake_reset();
	map_err = -E_NOMEM;
	assert_int_equal(elf_load(&fake_ops, AS, e->u.b, e->size, &entry), -E_NOMEM);
	assert_int_equal(ncalls, 1);
	fake_reset();
	copy_err = -E_FAULT;
	assert_int_equal(elf_load(&fake_ops, AS, e->u.b, e->size, &entry), -E_FAULT);
	assert_int_equal(ncalls, 2);
	fake_reset();
	protect_err = -E_PERM;
	assert_int_equal(elf_load(&fake_ops, AS, e->u.b, e->size, &entry), -E_PERM);
	assert_int_equal(ncalls, 3);
	assert_int_equal(entry, 0xdead);
}

/* ---- elf_load: bad images, each -E_INVAL before any call ---- */

static void truncated_header(void **state)
{
	struct elf *e = good_elf();
	for (uint64_t size = 0; size < sizeof(struct elf64_ehdr); size++)
		expect_inval_at(e, size, __LINE__);
}

/* cut anywhere, the image loses a program header or a segment's bytes */
static void truncated_anywhere(void **state)
{
	struct elf *e = good_elf();
	for (uint64_t size = sizeof(struct elf64_ehdr); size < FILE_SIZE; size++)
		expect_inval_at(e, size, __LINE__);
}

static void bad_magic(void **state)
{
	for (int i = 0; i < SELFMAG; i++)
		BAD(e->eh->ident[i] ^= 0x20);
	BAD(memset(e->eh->ident, 0, SELFMAG));
}

static void not_elf64(void **state)
{
	BAD(e->eh->ident[EI_CLASS] = 1);          /* ELFCLASS32 */
	BAD(e->eh->ident[EI_CLASS] = 0);
	BAD(e->eh->ident[EI_CLASS] = 3);
}

static void big_endian(void **state)
{
	BAD(e->eh->ident[EI_DATA] = 2);           /* ELFDATA2MSB */
	BAD(e->eh->ident[EI_DATA] = 0);
}

static void bad_version(void **state)
{
	BAD(e->eh->ident[EI_VERSION] = 0);
	BAD(e->eh->ident[EI_VERSION] = 2);
	BAD(e->eh->version = 0);
	BAD(e->eh->version = 2);
}

static void wrong_machine(void **state)
{
	BAD(e->eh->machine = 62);                 /* x86-64 */
	BAD(e->eh->machine = 183);                /* AArch64 */
	BAD(e->eh->machine = 0);
}

static void not_exec(void **state)
{
	BAD(e->eh->type = 0);                     /* ET_NONE */
	BAD(e->eh->type = 1);                     /* ET_REL */
	BAD(e->eh->type = 3);                     /* ET_DYN: we load no PIE */
	BAD(e->eh->type = 4);                     /* ET_CORE */
}

static void wrong_phentsize(void **state)
{
	BAD(e->eh->phentsize = 0);
	BAD(e->eh->phentsize = sizeof(struct elf64_phdr) - 1);
	BAD(e->eh->phentsize = sizeof(struct elf64_phdr) + 1);
	BAD(e->eh->phentsize = 32);               /* an ELF32 program header */
}

static void phoff_beyond_file(void **state)
{
	BAD(e->eh->phoff = FILE_SIZE + 1);
	BAD(e->eh->phoff = UINT64_MAX);
	BAD(e->eh->phoff = UINT64_MAX - 55);
	BAD(e->eh->phoff = 1ull << 63);
}

static void phdrs_beyond_file(void **state)
{
	BAD(e->eh->phoff = FILE_SIZE);
	BAD(e->eh->phoff = FILE_SIZE - 3 * sizeof(struct elf64_phdr) + 1);
	BAD(e->eh->phnum = 0xffff);
	BAD(e->eh->phnum = FILE_SIZE / sizeof(struct elf64_phdr));   /* 16, from 64: past the end */
}

static void segment_beyond_file(void **state)
{
	BAD(e->ph[1].filesz = FILE_SIZE - DATA_OFF + 1);
	BAD(e->ph[1].offset = FILE_SIZE - DATA_FILESZ + 1);
	BAD(e->ph[1].offset = FILE_SIZE + 1; e->ph[1].filesz = 0);
	BAD(e->ph[1].offset = UINT64_MAX);
	BAD(e->ph[1].offset = 16; e->ph[1].filesz = UINT64_MAX - 15; e->ph[1].memsz = UINT64_MAX);
	BAD(e->ph[0].filesz = UINT64_MAX; e->ph[0].memsz = UINT64_MAX);
}

static void filesz_over_memsz(void **state)
{
	BAD(e->ph[1].memsz = DATA_FILESZ - 1);
	BAD(e->ph[0].memsz = TEXT_SZ - 1);
}

static void vaddr_below_user(void **state)
{
	BAD(e->ph[1].vaddr = 0);
	BAD(e->ph[1].vaddr = USER_VA_MIN - 1);
	BAD(e->ph[1].vaddr = USER_VA_MIN - 0x1000);  /* ends inside, starts below */
	BAD(e->ph[0].vaddr = 0x1000; e->eh->entry = 0x1000);
}

static void vaddr_beyond_user(void **state)
{
	BAD(e->ph[1].vaddr = USER_VA_MAX - DATA_MEMSZ + 1);
	BAD(e->ph[1].vaddr = USER_VA_MAX);
	BAD(e->ph[1].memsz = USER_VA_MAX);
	BAD(e->ph[1].vaddr = 0xffffffc000000000ull);          /* the kernel's half */
	BAD(e->ph[0].vaddr = USER_VA_MAX - 0x100; e->eh->entry = USER_VA_MAX - 0x100);
}

static void vaddr_wraps(void **state)
{
	BAD(e->ph[1].vaddr = UINT64_MAX - 0xfff);
	BAD(e->ph[1].vaddr = UINT64_MAX - 0xfff; e->ph[1].memsz = 0x2000);
	BAD(e->ph[1].memsz = UINT64_MAX);
	BAD(e->ph[1].memsz = UINT64_MAX - DATA_VA + 1);        /* vaddr + memsz == 0 */
	BAD(e->ph[1].memsz = UINT64_MAX - DATA_VA + 1 + USER_VA_MIN);
}

static void entry_outside_code(void **state)
{
	BAD(e->eh->entry = 0);
	BAD(e->eh->entry = TEXT_VA - 2);
	BAD(e->eh->entry = TEXT_VA + TEXT_SZ);
	BAD(e->eh->entry = DATA_VA);                          /* not executable */
	BAD(e->eh->entry = DATA_VA + DATA_FILESZ);            /* in the .bss */
	BAD(e->eh->entry = UINT64_MAX);
	BAD(e->ph[0].memsz = TEXT_SZ + 0x100; e->eh->entry = TEXT_VA + TEXT_SZ);   /* past the file bytes */
	BAD(e->ph[0].flags = PF_R);                           /* no executable segment at all */
	BAD(e->ph[2].flags = PF_R | PF_X; e->eh->entry = DATA_VA);   /* executable, but PT_TLS */
}

static void no_loadable_segment(void **state)
{
	BAD(e->eh->phnum = 0);
	BAD(e->ph[0].type = 0; e->ph[1].type = 0);            /* PT_NULL */
	BAD(e->ph[0].type = PT_TLS; e->ph[1].type = 4);       /* PT_TLS, PT_NOTE */
	BAD(e->ph[0].memsz = 0; e->ph[0].filesz = 0; e->ph[1].memsz = 0; e->ph[1].filesz = 0);
}

/* the text segment would load, but the data segment is bad: nothing is mapped */
static void bad_second_segment_maps_nothing(void **state)
{
	BAD(e->ph[1].vaddr = 0);
	BAD(e->ph[1].filesz = FILE_SIZE);
	BAD(e->ph[2].type = PT_LOAD; e->ph[2].vaddr = USER_VA_MAX);
}

/* ---- cpio_find ---- */

static struct cpio ar;

/* member 0 sbin/init, 1 empty, 2 test/hello, 3 the trailer, 4 a member after it */
static struct cpio *good_cpio(void)
{
	memset(&ar, 0, sizeof(ar));
	cpio_add(&ar, "sbin/init", "INIT!", 5);
	cpio_add(&ar, "empty", "", 0);
	cpio_add(&ar, "test/hello", "hello, world", 12);
	cpio_add(&ar, "TRAILER!!!", "", 0);
	cpio_add(&ar, "after", "late", 4);
	return &ar;
}

/* set an 8-digit field (54: file size, 94: name size) of member i */
static void set_field(struct cpio *c, int i, int field, const char *digits)
{
	memcpy(c->u.b + c->at[i] + field, digits, 8);
}

/*
 * cpio_find over the first len bytes of c, in a heap buffer of exactly len;
 * the found data's offset in the archive (checked to lie inside it) or -1.
 */
static long find(const struct cpio *c, uint64_t len, const char *name, uint64_t *size)
{
	char *buf = malloc(len);
	const char *p;
	long off = -1;
	assert_non_null(buf);
	memcpy(buf, c->u.b, len);
	*size = 0xdead;
	p = cpio_find(buf, len, name, size);
	if (p) {
		assert_true(p >= buf && (uint64_t)(p - buf) <= len && *size <= len - (uint64_t)(p - buf));
		off = p - buf;
	}
	free(buf);
	return off;
}

static void cpio_found(void **state)
{
	struct cpio *c = good_cpio();
	uint64_t size;
	long off;

	off = find(c, c->len, "sbin/init", &size);
	assert_int_equal(size, 5);
	assert_int_equal(off, 120);                 /* 110 + "sbin/init\0", padded to 4 */
	assert_memory_equal(c->u.b + off, "INIT!", 5);
	off = find(c, c->len, "empty", &size);
	assert_true(off > 0);
	assert_int_equal(size, 0);
	off = find(c, c->len, "test/hello", &size);
	assert_int_equal(size, 12);
	assert_int_equal(off % 4, 0);
	assert_memory_equal(c->u.b + off, "hello, world", 12);
}

static void cpio_not_found(void **state)
{
	struct cpio *c = good_cpio();
	uint64_t size;
	assert_int_equal(find(c, c->len, "nope", &size), -1);
	assert_int_equal(find(c, c->len, "sbin", &size), -1);
	assert_int_equal(find(c, c->len, "sbin/init2", &size), -1);
	assert_int_equal(find(c, c->len, "", &size), -1);
	assert_int_equal(find(c, c->len, "after", &size), -1);          /* past the trailer */
	assert_int_equal(find(c, c->len, "TRAILER!!!", &size), -1);
	assert_int_equal(size, 0xdead);
	assert_int_equal(find(c, 0, "sbin/init", &size), -1);
}

/* cpio_next lists the members in order, up to the trailer */
static void cpio_next_lists(void **state)
{
	struct cpio *c = good_cpio();
	static const char *const names[] = { "sbin/init", "empty", "test/hello" };
	static const uint64_t sizes[] = { 5, 0, 12 };
	uint64_t off = 0, size;
	const char *name;
	const char *data;

	for (int i = 0; i < 3; i++) {
		data = cpio_next(c->u.b, c->len, &off, &name, &size);
		assert_non_null(data);
		assert_string_equal(name, names[i]);
		assert_int_equal(size, sizes[i]);
		assert_int_equal(off, c->at[i + 1]);
		assert_memory_equal(data, i == 0 ? "INIT!" : i == 2 ? "hello, world" : "", size);
	}
	assert_null(cpio_next(c->u.b, c->len, &off, &name, &size));     /* the trailer */
	off = 0;
	assert_null(cpio_next(c->u.b, 109, &off, &name, &size));        /* a header cut short */
	off = c->len;
	assert_null(cpio_next(c->u.b, c->len, &off, &name, &size));     /* the end */
}

/* no trailer: the members there are found, and a search for another stops at the end */
static void cpio_no_trailer(void **state)
{
	struct cpio *c = good_cpio();
	uint64_t size;
	assert_true(find(c, c->at[3], "test/hello", &size) > 0);
	assert_int_equal(find(c, c->at[3], "nope", &size), -1);
}

/* cut anywhere: a member is found only when all of it is there */
static void cpio_truncated(void **state)
{
	struct cpio *c = good_cpio();
	uint64_t size, hello_end = c->at[2] + 124 + 12;   /* header, name to 124, data */
	assert_int_equal(hello_end, c->at[3]);
	for (uint64_t len = 0; len < c->len; len++) {
		long off = find(c, len, "test/hello", &size);
		assert_int_equal(off >= 0, len >= hello_end);
		assert_int_equal(find(c, len, "nope", &size), -1);
	}
}

static void cpio_bad_name_size(void **state)
{
	struct cpio *c;
	uint64_t size;
	char digits[9];

	c = good_cpio();                            /* past the end of the archive */
	snprintf(digits, sizeof(digits), "%08x", (unsigned)(c->len - 110 + 1));
	set_field(c, 0, 94, digits);
	assert_int_equal(find(c, c->len, "sbin/init", &size), -1);
	c = good_cpio();
	set_field(c, 0, 94, "ffffffff");
	assert_int_equal(find(c, c->len, "sbin/init", &size), -1);
	c = good_cpio();
	set_field(c, 0, 94, "00000000");
	assert_int_equal(find(c, c->len, "sbin/init", &size), -1);
	/* a name without its NUL, running up to the end of a truncated archive */
	c = good_cpio();
	set_field(c, 0, 94, "00000009");
	assert_int_equal(find(c, 110 + 9, "sbin/init", &size), -1);
	assert_int_equal(find(c, c->len, "sbin/init", &size), -1);
	assert_int_equal(find(c, c->len, "sbin/initX", &size), -1);
	/* the same where the header and name end on a 4-byte boundary, with the data empty */
	c = good_cpio();
	set_field(c, 0, 54, "00000000");
	c->u.b[110 + 9] = 'X';                      /* "sbin/initX", namesize 10, no NUL */
	assert_int_equal(find(c, 120, "sbin/initX", &size), -1);
	assert_int_equal(find(c, 120, "sbin/init", &size), -1);
}

static void cpio_bad_file_size(void **state)
{
	struct cpio *c;
	uint64_t size;

	c = good_cpio();
	set_field(c, 2, 54, "ffffffff");
	assert_int_equal(find(c, c->len, "test/hello", &size), -1);
	c = good_cpio();                            /* one byte more than an archive without trailer holds */
	set_field(c, 2, 54, "0000000d");
	assert_int_equal(find(c, c->at[3], "test/hello", &size), -1);
	assert_int_equal(find(c, c->at[3], "sbin/init", &size) > 0, 1);
	c = good_cpio();
	set_field(c, 2, 54, "0000000g");            /* not hex */
	assert_int_equal(find(c, c->len, "test/hello", &size), -1);
	c = good_cpio();
	set_field(c, 2, 54, "0000000C");            /* hex in upper case is hex */
	assert_int_equal(find(c, c->len, "test/hello", &size) > 0, 1);
	assert_int_equal(size, 12);
}

static void cpio_bad_magic(void **state)
{
	struct cpio *c = good_cpio();
	uint64_t size;
	memcpy(c->u.b, "070702", 6);                /* newc with checksums: not ours */
	assert_int_equal(find(c, c->len, "sbin/init", &size), -1);
	c = good_cpio();
	memcpy(c->u.b + c->at[1], "07070", 5);
	c->u.b[c->at[1] + 5] = '\0';
	assert_int_equal(find(c, c->len, "test/hello", &size), -1);
	assert_true(find(c, c->len, "sbin/init", &size) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_two_segments),
		cmocka_unit_test(loads_one_segment),
		cmocka_unit_test(loads_unaligned_image),
		cmocka_unit_test(skips_empty_load),
		cmocka_unit_test(accepts_edges),
		cmocka_unit_test(returns_ops_errors),
		cmocka_unit_test(truncated_header),
		cmocka_unit_test(truncated_anywhere),
		cmocka_unit_test(bad_magic),
		cmocka_unit_test(not_elf64),
		cmocka_unit_test(big_endian),
		cmocka_unit_test(bad_version),
		cmocka_unit_test(wrong_machine),
		cmocka_unit_test(not_exec),
		cmocka_unit_test(wrong_phentsize),
		cmocka_unit_test(phoff_beyond_file),
		cmocka_unit_test(phdrs_beyond_file),
		cmocka_unit_test(segment_beyond_file),
		cmocka_unit_test(filesz_over_memsz),
		cmocka_unit_test(vaddr_below_user),
		cmocka_unit_test(vaddr_beyond_user),
		cmocka_unit_test(vaddr_wraps),
		cmocka_unit_test(entry_outside_code),
		cmocka_unit_test(no_loadable_segment),
		cmocka_unit_test(bad_second_segment_maps_nothing),
		cmocka_unit_test(cpio_found),
		cmocka_unit_test(cpio_not_found),
		cmocka_unit_test(cpio_next_lists),
		cmocka_unit_test(cpio_no_trailer),
		cmocka_unit_test(cpio_truncated),
		cmocka_unit_test(cpio_bad_name_size),
		cmocka_unit_test(cpio_bad_file_size),
		cmocka_unit_test(cpio_bad_magic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
