/*
 * elf_build.h - the host tests' ELF (test_elf.c, test_spawn.c): a good static
 * RV64 executable, one text PT_LOAD (read, execute), one data+bss PT_LOAD
 * (read, write; its .bss runs into a second page) and a PT_TLS that loaders
 * ignore, every file byte file_byte(offset).  A bad case changes one field of
 * the good one.
 */
#ifndef TEST_ELF_BUILD_H
#define TEST_ELF_BUILD_H
#include <stdint.h>
#include "uapi/elf.h"

/* file: ehdr, 3 phdrs, text at TEXT_OFF, data at DATA_OFF up to the end of the file */
#define TEXT_OFF    0x100ull
#define TEXT_VA     0x400100ull
#define TEXT_SZ     0x200ull
#define DATA_OFF    0x300ull
#define DATA_VA     0x401300ull
#define DATA_FILESZ 0x80ull
#define DATA_MEMSZ  0x1800ull     /* .bss to 0x402b00: two pages */
#define FILE_SIZE   (DATA_OFF + DATA_FILESZ)
#define ENTRY       0x400180ull
#define PT_TLS      7

static struct elf {
	union {
		uint8_t b[FILE_SIZE];
		uint64_t align;
	} u;
	uint64_t size;
	struct elf64_ehdr *eh;
	struct elf64_phdr *ph;        /* [0] text, [1] data, [2] TLS */
} elf;

static uint8_t file_byte(uint64_t off) { return (uint8_t)(off * 13 + 7); }

/* the good image, in elf */
static struct elf *good_elf(void)
{
	struct elf *e = &elf;
	for (uint64_t i = 0; i < FILE_SIZE; i++)
		e->u.b[i] = file_byte(i);
	e->size = FILE_SIZE;
	e->eh = (struct elf64_ehdr *)e->u.b;
	e->ph = (struct elf64_phdr *)(e->u.b + sizeof(*e->eh));
	*e->eh = (struct elf64_ehdr){
		.ident = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
		.type = ET_EXEC, .machine = EM_RISCV, .version = EV_CURRENT, .entry = ENTRY,
		.phoff = sizeof(*e->eh), .ehsize = sizeof(*e->eh),
		.phentsize = sizeof(struct elf64_phdr), .phnum = 3,
	};
	e->ph[0] = (struct elf64_phdr){ .type = PT_LOAD, .flags = PF_R | PF_X, .offset = TEXT_OFF,
		.vaddr = TEXT_VA, .paddr = TEXT_VA, .filesz = TEXT_SZ, .memsz = TEXT_SZ, .align = 4096 };
	e->ph[1] = (struct elf64_phdr){ .type = PT_LOAD, .flags = PF_R | PF_W, .offset = DATA_OFF,
		.vaddr = DATA_VA, .paddr = DATA_VA, .filesz = DATA_FILESZ, .memsz = DATA_MEMSZ, .align = 4096 };
	e->ph[2] = (struct elf64_phdr){ .type = PT_TLS, .flags = PF_R, .offset = DATA_OFF,
		.vaddr = DATA_VA, .filesz = 0x10, .memsz = 0x20, .align = 8 };
	return e;
}
#endif
