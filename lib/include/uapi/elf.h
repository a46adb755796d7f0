/* The parts of ELF64 the loaders read (the kernel's root-task loader, libsys's elf_load). */
#ifndef UAPI_ELF_H
#define UAPI_ELF_H
#include <stdint.h>

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* ident[]: the magic, then class, byte order and version */
#define ELFMAG "\177ELF"
#define SELFMAG 4
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1             /* also the header's version */
#define ET_EXEC 2

#define PT_LOAD 1
#define EM_RISCV 243
#define PF_X 1
#define PF_W 2
#define PF_R 4
#endif
