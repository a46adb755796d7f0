/*
 * Static ELF64 RISC-V executables into an address space, and files out of
 * the boot archive (cpio "newc").  Used by the root task and the proc server.
 */
#include "uapi/elf.h"
#include <string.h>
#include "sys.h"


static long d_map(handle_t as, uint64_t va, uint64_t len, int prot) { return as_map(as, va, len, prot); }
static long d_copy(handle_t as, uint64_t d, const void *s, uint64_t len) { return as_copy(as, d, s, len); }
static long d_protect(handle_t as, uint64_t va, uint64_t len, int prot) { return as_protect(as, va, len, prot); }
const struct elf_ops elf_ops_direct = { d_map, d_copy, d_protect };

/* -E_INVAL for anything that is not a sane static RISC-V ELF64 executable */
long elf_load(const struct elf_ops *ops, handle_t as, const void *img, uint64_t size, uint64_t *entry)
{
	const struct elf64_ehdr *eh = img;
	long err;

	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) || eh->ident[4] != 2 || eh->machine != EM_RISCV ||
	    eh->phentsize != sizeof(struct elf64_phdr) || eh->phoff > size ||
	    (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff)
		return -E_INVAL;
	for (int i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph = (const void *)((const char *)img + eh->phoff + i * sizeof(*ph));
		uint64_t start, end;
		int prot = PROT_R;
		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		if (ph->offset > size || ph->filesz > size - ph->offset || ph->filesz > ph->memsz ||
		    ph->vaddr < USER_VA_MIN || ph->memsz > USER_VA_MAX || ph->vaddr > USER_VA_MAX - ph->memsz)
			return -E_INVAL;
		start = ph->vaddr & ~0xffful;
		end = (ph->vaddr + ph->memsz + 0xfff) & ~0xffful;
		if ((err = ops->map(as, start, end - start, PROT_R | PROT_W)) ||
		    (err = ops->copy(as, ph->vaddr, (const char *)img + ph->offset, ph->filesz)))
			return err;
		prot |= (ph->flags & PF_W) ? PROT_W : 0;
		prot |= (ph->flags & PF_X) ? PROT_X : 0;
		if ((err = ops->protect(as, start, end - start, prot)))
			return err;
	}
	*entry = eh->entry;
	return 0;
}

static uint64_t hex8(const char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = p[i];
		v = (v << 4) | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

const void *cpio_find(const void *archive, uint64_t len, const char *name, uint64_t *size)
{
	const char *p = archive, *end = p + len;
	while (p + 110 <= end && memcmp(p, "070701", 6) == 0) {
		uint64_t namesize = hex8(p + 94), filesize = hex8(p + 54);
		const char *fname = p + 110;
		const char *data = p + ((110 + namesize + 3) & ~3ul);
		if (data > end || filesize > (uint64_t)(end - data) || namesize > (uint64_t)(end - fname))
			return NULL;
		if (strcmp(fname, "TRAILER!!!") == 0)
			return NULL;
		if (strcmp(fname, name) == 0) {
			*size = filesize;
			return data;
		}
		p = data + ((filesize + 3) & ~3ul);
	}
	return NULL;
}
