/*
 * fdt.h - a small, freestanding flattened-device-tree (DTB) reader.
 *
 * Linked into the S-mode kernel and into user-level servers, so it uses no libc, no
 * allocation and no recursion, and it never reads outside the blob: call fdt_check() once
 * with the size of the buffer the blob sits in; after that every accessor bounds-checks
 * each offset and length against the blocks the header declares (which fdt_check proved lie
 * inside the buffer), and malformed input gives a negative FDT_ERR_* value, never a fault.
 *
 * Node offsets are byte offsets of a node's FDT_BEGIN_NODE token from the start of the
 * structure block; they are >= 0 and stay valid as long as the blob does not change.
 * All multi-byte values are big-endian and read byte by byte, so the blob need not be
 * aligned in memory.
 */
#ifndef FDT_H
#define FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedu

/* Errors are negative. */
#define FDT_ERR_BADMAGIC   (-1) /* not a DTB */
#define FDT_ERR_TRUNCATED  (-2) /* something runs past totalsize, maxlen or a block's end */
#define FDT_ERR_BADSTRUCT  (-3) /* bad token, bad nesting, bad property name offset */
#define FDT_ERR_NOTFOUND   (-4) /* no such node or property */
#define FDT_ERR_BADVALUE   (-5) /* a property or argument has the wrong size or value */
#define FDT_ERR_BADVERSION (-6) /* version < 16 or last_comp_version > 17 */
#define FDT_ERR_BADOFFSET  (-7) /* the offset given is not a node's BEGIN_NODE token */

/* Header is sane and every block (memreserve map, structure, strings) lies inside
 * totalsize <= maxlen; the structure block is well nested, ends in FDT_END, and every
 * property name is a NUL-terminated string inside the strings block.  0 or an error. */
int fdt_check(const void *blob, size_t maxlen);
/* The header's totalsize, or 0 if the magic is wrong. */
uint32_t fdt_totalsize(const void *blob);
/* The header's boot_cpuid_phys, or 0 if the magic is wrong. */
uint32_t fdt_boot_cpuid(const void *blob);

/* Memory reservation block (/memreserve/ entries), excluding the terminating entry. */
int fdt_num_mem_rsv(const void *blob);                       /* count or error */
int fdt_get_mem_rsv(const void *blob, int idx, uint64_t *addr, uint64_t *size);

/* "/", "/cpus", "/soc/serial@10000000".  A component without '@' also matches
 * "name@unit" (the first such child in tree order).  A path that does not start with
 * '/' starts with an alias from /aliases ("serial0", "serial0/child").  Node or error. */
int fdt_path_offset(const void *blob, const char *path);
/* The same for the first len bytes of path (no NUL needed), e.g. a stdout-path
 * without its ":115200n8" options. */
int fdt_path_offset_len(const void *blob, const char *path, size_t len);

int fdt_root(const void *blob);                     /* the root node's offset or error */
int fdt_first_child(const void *blob, int node);    /* node offset or FDT_ERR_NOTFOUND */
int fdt_next_sibling(const void *blob, int node);   /* node offset or FDT_ERR_NOTFOUND */
int fdt_parent(const void *blob, int node);         /* linear rescan; root -> NOTFOUND */
/* Next node in tree (depth-first) order after node, or FDT_ERR_NOTFOUND at the end;
 * node = -1 gives the root.  Walks every node without recursion. */
int fdt_next_node(const void *blob, int node);
/* "uart@10000000" ("" for the root), or NULL for a bad offset. */
const char *fdt_node_name(const void *blob, int node);

/* The property's value (not aligned; use fdt_read_u32) or NULL; *lenp (if lenp) gets
 * the value's length, or the error when NULL is returned. */
const void *fdt_getprop(const void *blob, int node, const char *name, int *lenp);
/* A 4-byte property as a u32: 0 or error (FDT_ERR_BADVALUE if not 4 bytes). */
int fdt_getprop_u32(const void *blob, int node, const char *name, uint32_t *out);
/* 1 if the property is a string equal to str (its first string, for a list), 0 if
 * not or absent, negative for a bad node. */
int fdt_prop_is(const void *blob, int node, const char *name, const char *str);

/* 1 if compat is any string in "compatible", 0 if not (or no such property), negative
 * for a bad node. */
int fdt_is_compatible(const void *blob, int node, const char *compat);
/* First node in tree order after offset `after` (-1 = from the root, inclusive) that is
 * compatible with compat; FDT_ERR_NOTFOUND when there are no more. */
int fdt_next_compatible(const void *blob, int after, const char *compat);
/* The node whose "phandle" (or "linux,phandle") is phandle; 0 and ~0 are never found. */
int fdt_node_by_phandle(const void *blob, uint32_t phandle);

uint32_t fdt_read_u32(const void *p);               /* big-endian, any alignment */
uint64_t fdt_read_cells(const void *p, int ncells); /* 1 or 2 cells; 0 for any other count */

/* #address-cells / #size-cells a node declares for its children (defaults 2 / 1);
 * the count (0..4) or an error. */
int fdt_address_cells(const void *blob, int node);
int fdt_size_cells(const void *blob, int node);
/* The idx'th (base, size) of node's "reg", decoded with its parent's #address-cells
 * (1 or 2) and #size-cells (0, 1 or 2); size is 0 when #size-cells is 0.  No "ranges"
 * translation is done (QEMU's buses all have empty "ranges").  0, FDT_ERR_NOTFOUND when
 * idx is past the end or there is no reg, FDT_ERR_BADVALUE for unsupported cell counts. */
int fdt_reg(const void *blob, int node, int idx, uint64_t *base, uint64_t *size);

/* ---- One pass over the tree for what the kernel needs at boot ---- */

struct fdt_range { uint64_t base, size; };

#define FDT_MAX_MEM   8
#define FDT_MAX_RESV  16
#define FDT_MAX_HARTS 8

struct fdt_hart {
	uint32_t hartid;
	int smode;      /* 1 if this hart can run S-mode: has "mmu-type" = "riscv,sv*" and
	                   status is absent or "okay" */
	int plic_sctx;  /* PLIC context of this hart's S-mode external interrupt, -1 if none */
	int sstc;       /* 1 if it has Sstc (S-mode's own timer compare, stimecmp): named in
	                   "riscv,isa-extensions" or as an "_sstc" extension of "riscv,isa" */
};

struct fdt_uart {
	char compat[32];     /* "ns16550a" or "sifive,uart0" if listed, else the first string */
	uint64_t base, size;
	uint32_t irq;        /* first cell of "interrupts" (the PLIC source), 0 if none */
	uint32_t clock_hz;   /* "clock-frequency", or a fixed-clock's via "clocks"; 0 if unknown */
	int present;
};

struct fdt_platform {
	char model[64];                                 /* /model, truncated, NUL-terminated */
	struct fdt_range mem[FDT_MAX_MEM]; int nmem;    /* reg ranges of device_type "memory" */
	struct fdt_range resv[FDT_MAX_RESV]; int nresv; /* /memreserve/ + /reserved-memory/ children */
	uint32_t timebase_hz;                           /* /cpus timebase-frequency (or a cpu's) */
	struct fdt_hart harts[FDT_MAX_HARTS]; int nharts; /* "cpu" nodes with a reg, tree order */
	int ncpus;                                      /* cpu nodes seen (may exceed FDT_MAX_HARTS) */
	uint64_t plic_base, plic_size; uint32_t plic_ndev; int plic_present;
	struct fdt_uart uart;  /* /chosen stdout-path (options stripped, aliases resolved) if it
	                          resolves to a node with reg, else the first ns16550a/sifive,uart0 */
	uint64_t initrd_start, initrd_end;              /* /chosen linux,initrd-*, else 0 */
};

/* fdt_check(blob, maxlen), then fill *out with everything found (what is missing stays
 * zero, plic_sctx -1).  Ranges beyond the array sizes are dropped.  0 or a negative error
 * from fdt_check; a tree that passes fdt_check is never an error here. */
int fdt_platform_parse(const void *blob, size_t maxlen, struct fdt_platform *out);

#endif /* FDT_H */
