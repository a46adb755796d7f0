/*
 * Loading a static ELF64 RISC-V executable into an address space and finding
 * files in the boot archive (elf.c).  Apart from sys.h so that elf.c builds on
 * the host without the kernel call stubs (test/host/test_elf.c).  Not named
 * elf.h: picolibc has an <elf.h> that -Ilib/libsys would hide.
 */
#ifndef LIBSYS_ELFLOAD_H
#define LIBSYS_ELFLOAD_H
#include <stdint.h>
#include "uapi/msg.h"            /* handle_t */

/* how elf_load reaches the new address space: map (zeroed), copy, protect */
struct elf_ops {
	long (*map)(handle_t as, uint64_t va, uint64_t len, int prot);
	long (*copy)(handle_t as, uint64_t dst, const void *src, uint64_t len);
	long (*protect)(handle_t as, uint64_t va, uint64_t len, int prot);
};
extern const struct elf_ops elf_ops_direct;   /* as_map, as_copy, as_protect */

/*
 * Load img (size bytes) into as through ops and set *entry.  Returns 0, -E_INVAL
 * before any ops call when img is not a sane static little-endian RISC-V ELF64
 * executable (ET_EXEC) with its PT_LOAD segments inside the file and inside
 * [USER_VA_MIN, USER_VA_MAX) and its entry point in the file part of an
 * executable one, or the first error of an ops call (the address space then
 * holds part of the image).  img needs no alignment.
 */
long elf_load(const struct elf_ops *ops, handle_t as, const void *img, uint64_t size, uint64_t *entry);

/*
 * The file called name in a cpio "newc" archive (len bytes): its data, its size in
 * *size; NULL when it is not there before the trailer or the archive is broken.
 */
const void *cpio_find(const void *archive, uint64_t len, const char *name, uint64_t *size);
/*
 * The member at *off (0: the first) of the same archive: its data, its name in
 * *name, its size in *size, *off moved to the next member; NULL at the
 * trailer, the end, or a broken header.
 */
const void *cpio_next(const void *archive, uint64_t len, uint64_t *off, const char **name, uint64_t *size);
#endif
