/*
 * Static ELF64 RISC-V executables into an address space, and files out of
 * the boot archive (cpio "newc"): see elfload.h.  Used by the root task and
 * the proc server; host-tested in test/host/test_elf.c.
 *
 * Both read untrusted bytes: every offset and size is checked against the
 * buffer before use, by subtraction so that nothing wraps, and headers are
 * copied out with memcpy (an archive member is only 4-byte aligned).
 */
#include <stdbool.h>
#include <string.h>
#include "uapi/abi.h"
#include "uapi/elf.h"
#include "elfload.h"

#ifndef HOST_TEST
/* the kernel calls themselves; the host tests bring their own elf_ops */
#include "sys.h"
static long d_map(handle_t as, uint64_t va, uint64_t len, int prot) { return as_map(as, va, len, prot); }
static long d_copy(handle_t as, uint64_t d, const void *s, uint64_t len) { return as_copy_all(as, d, s, len); }
static long d_protect(handle_t as, uint64_t va, uint64_t len, int prot) { return as_protect(as, va, len, prot); }
const struct elf_ops elf_ops_direct = { d_map, d_copy, d_protect };
#endif

/* a little-endian ELF64 RISC-V executable whose program headers lie inside the file */
static bool ehdr_ok(const struct elf64_ehdr *eh, uint64_t size)
{
	return memcmp(eh->ident, ELFMAG, SELFMAG) == 0 && eh->ident[EI_CLASS] == ELFCLASS64 &&
	       eh->ident[EI_DATA] == ELFDATA2LSB && eh->ident[EI_VERSION] == EV_CURRENT &&
	       eh->version == EV_CURRENT && eh->type == ET_EXEC && eh->machine == EM_RISCV &&
	       eh->phentsize == sizeof(struct elf64_phdr) && eh->phoff <= size &&
	       (uint64_t)eh->phnum * sizeof(struct elf64_phdr) <= size - eh->phoff;
}

/* a PT_LOAD segment's bytes lie inside the file and its pages inside user space */
static bool seg_ok(const struct elf64_phdr *ph, uint64_t size)
{
	return ph->offset <= size && ph->filesz <= size - ph->offset && ph->filesz <= ph->memsz &&
	       ph->vaddr >= USER_VA_MIN && ph->memsz <= USER_VA_MAX && ph->vaddr <= USER_VA_MAX - ph->memsz;
}

/* program header i, which ehdr_ok has put inside the file; false unless a non-empty PT_LOAD */
static bool load_seg(const void *img, const struct elf64_ehdr *eh, int i, struct elf64_phdr *ph)
{
	memcpy(ph, (const char *)img + eh->phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
	return ph->type == PT_LOAD && ph->memsz != 0;
}

long elf_load(const struct elf_ops *ops, handle_t as, const void *img, uint64_t size, uint64_t *entry)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	bool entry_ok = false;
	long err;

	if (size < sizeof(eh))
		return -E_INVAL;
	memcpy(&eh, img, sizeof(eh));
	if (!ehdr_ok(&eh, size))
		return -E_INVAL;
	/* every segment, and the entry point in the file part of an executable one */
	for (int i = 0; i < eh.phnum; i++) {
		if (!load_seg(img, &eh, i, &ph))
			continue;
		if (!seg_ok(&ph, size))
			return -E_INVAL;
		if ((ph.flags & PF_X) && eh.entry >= ph.vaddr && eh.entry - ph.vaddr < ph.filesz)
			entry_ok = true;
	}
	if (!entry_ok)                 /* also when there is no loadable segment */
		return -E_INVAL;

	/* the image is sane: from here on only ops calls fail */
	for (int i = 0; i < eh.phnum; i++) {
		uint64_t start, end;
		int prot = PROT_R;
		if (!load_seg(img, &eh, i, &ph))
			continue;
		start = ph.vaddr & ~0xffful;
		end = (ph.vaddr + ph.memsz + 0xfff) & ~0xffful;
		if ((err = ops->map(as, start, end - start, PROT_R | PROT_W)) ||
		    (err = ops->copy(as, ph.vaddr, (const char *)img + ph.offset, ph.filesz)))
			return err;
		prot |= (ph.flags & PF_W) ? PROT_W : 0;
		prot |= (ph.flags & PF_X) ? PROT_X : 0;
		/* a read-write segment (data, bss) already is what it was mapped as */
		if (prot != (PROT_R | PROT_W) && (err = ops->protect(as, start, end - start, prot)))
			return err;
	}
	*entry = eh.entry;
	return 0;
}

/* an 8-digit hex field of a newc header; ~0 (larger than any archive) if it is not one */
static uint64_t hex8(const char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = p[i], l = (char)(c | 0x20);
		if (c >= '0' && c <= '9')
			v = (v << 4) | (uint64_t)(c - '0');
		else if (l >= 'a' && l <= 'f')
			v = (v << 4) | (uint64_t)(l - 'a' + 10);
		else
			return ~0ull;
	}
	return v;
}

/*
 * A newc member: a 110-byte header ("070701", then 13 8-digit hex fields, the
 * file size at 54 and the name size at 94), the name with its NUL, padding to
 * 4 bytes, the data, padding to 4 bytes.  A member called TRAILER!!! ends it.
 */
const void *cpio_next(const void *archive, uint64_t len, uint64_t *off, const char **name, uint64_t *size)
{
	const char *a = archive;
	uint64_t o = *off;

	if (o <= len && len - o >= 110 && memcmp(a + o, "070701", 6) == 0) {
		const char *fname = a + o + 110;
		uint64_t filesize = hex8(a + o + 54), namesize = hex8(a + o + 94);
		uint64_t data;
		/* the name, NUL-terminated, and the data inside the archive */
		if (namesize == 0 || namesize > len - o - 110 || fname[namesize - 1] != '\0')
			return NULL;
		data = (o + 110 + namesize + 3) & ~3ull;
		if (data > len || filesize > len - data)
			return NULL;
		if (strcmp(fname, "TRAILER!!!") == 0)
			return NULL;
		*off = (data + filesize + 3) & ~3ull;
		*name = fname;
		*size = filesize;
		return a + data;
	}
	return NULL;
}

const void *cpio_find(const void *archive, uint64_t len, const char *name, uint64_t *size)
{
	uint64_t off = 0, sz;
	const char *n;
	const void *data;

	while ((data = cpio_next(archive, len, &off, &n, &sz)))
		if (strcmp(n, name) == 0) {
			*size = sz;
			return data;
		}
	return NULL;
}
