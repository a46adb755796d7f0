/*
 * test_fdt.c - host tests of lib/fdt against the device trees QEMU really generates
 * (dumped by scripts/dump-dtbs.sh into $FDT_DIR, default build/dtb), against our own tree
 * for the HiFive Unmatched (compiled there with dtc), against small trees
 * built here for what QEMU's don't contain (/memreserve/, /reserved-memory, aliases,
 * initrd), and against malformed and randomly corrupted blobs, which must give a negative
 * error and never a bad read (run under -fsanitize=address,undefined and valgrind).
 *
 *   scripts/dump-dtbs.sh build/dtb
 *   gcc -std=c11 -Ilib/fdt test/host/test_fdt.c lib/fdt/fdt.c -lcmocka -o /tmp/t
 *   FDT_DIR=build/dtb /tmp/t
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"

/* ---- loading the dumped blobs ---- */

struct blob {
	const char *file;
	uint8_t *data;   /* the whole file */
	size_t size;     /* file size (QEMU may pad past totalsize) */
	uint32_t total;  /* header totalsize */
};

static struct blob virt1 = { "virt-smp1.dtb", NULL, 0, 0 };
static struct blob virt4 = { "virt-smp4.dtb", NULL, 0, 0 };
static struct blob sifu = { "sifive_u.dtb", NULL, 0, 0 };
static struct blob unm = { "unmatched.dtb", NULL, 0, 0 };  /* platform/sifive-fu740 */

static void load(struct blob *b)
{
	const char *dir = getenv("FDT_DIR");
	char path[512];
	FILE *f;
	long n;

	if (b->data != NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/dtb", b->file);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s: run scripts/dump-dtbs.sh DIR and set FDT_DIR=DIR", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_true(n >= 40);
	b->data = malloc((size_t)n);
	assert_non_null(b->data);
	assert_int_equal(fread(b->data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	b->size = (size_t)n;
	b->total = fdt_totalsize(b->data);
	assert_true(b->total >= 40 && b->total <= b->size);
}

/* A private copy of exactly totalsize bytes, so that ASan/valgrind see any overrun. */
static uint8_t *exact_copy(struct blob *b)
{
	uint8_t *p;

	load(b);
	p = malloc(b->total);
	assert_non_null(p);
	memcpy(p, b->data, b->total);
	return p;
}

static int teardown_group(void **state)
{
	(void)state;
	free(virt1.data);
	free(virt4.data);
	free(sifu.data);
	free(unm.data);
	return 0;
}

static uint32_t be32(const uint8_t *p)
{
	return fdt_read_u32(p);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- a tiny DTB writer for synthetic trees ---- */

struct builder {
	uint8_t st[16384];
	size_t stlen;
	char str[4096];
	size_t strlen;
	uint64_t rsv[16][2];
	int nrsv;
};

static void b_u32(struct builder *b, uint32_t v)
{
	assert_true(b->stlen + 4 <= sizeof(b->st));
	put32(b->st + b->stlen, v);
	b->stlen += 4;
}

static void b_bytes(struct builder *b, const void *p, size_t n)
{
	assert_true(b->stlen + n + 3 <= sizeof(b->st));
	if (n != 0)
		memcpy(b->st + b->stlen, p, n);
	b->stlen += n;
	while (b->stlen % 4)
		b->st[b->stlen++] = 0;
}

static void b_begin(struct builder *b, const char *name)
{
	b_u32(b, 1);
	b_bytes(b, name, strlen(name) + 1);
}

static void b_end(struct builder *b)
{
	b_u32(b, 2);
}

static void b_nop(struct builder *b)
{
	b_u32(b, 4);
}

static uint32_t b_string(struct builder *b, const char *s)
{
	size_t off = 0, n = strlen(s) + 1;

	while (off < b->strlen) {
		if (strcmp(b->str + off, s) == 0)
			return (uint32_t)off;
		off += strlen(b->str + off) + 1;
	}
	assert_true(b->strlen + n <= sizeof(b->str));
	memcpy(b->str + b->strlen, s, n);
	b->strlen += n;
	return (uint32_t)off;
}

static void b_prop(struct builder *b, const char *name, const void *val, size_t len)
{
	b_u32(b, 3);
	b_u32(b, (uint32_t)len);
	b_u32(b, b_string(b, name));
	b_bytes(b, val, len);
}

static void b_str(struct builder *b, const char *name, const char *s)
{
	b_prop(b, name, s, strlen(s) + 1);
}

/* b_cells(b, name, n, c0, c1, ...): a property of n u32 cells. */
static void b_cells(struct builder *b, const char *name, int n, ...)
{
	uint8_t buf[256];
	va_list ap;

	assert_true(n * 4 <= (int)sizeof(buf));
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		put32(buf + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	b_prop(b, name, buf, (size_t)n * 4);
}

/* Lay out header | rsvmap | struct | strings into a malloc'ed buffer of exactly totalsize. */
static uint8_t *b_finish(struct builder *b, uint32_t *totalp)
{
	uint32_t off_rsv = 40, off_st, off_str, total;
	uint8_t *p;

	b_u32(b, 9); /* FDT_END */
	off_st = off_rsv + 16u * (uint32_t)(b->nrsv + 1);
	off_str = off_st + (uint32_t)b->stlen;
	total = off_str + (uint32_t)b->strlen;
	p = calloc(1, total);
	assert_non_null(p);
	put32(p + 0, FDT_MAGIC);
	put32(p + 4, total);
	put32(p + 8, off_st);
	put32(p + 12, off_str);
	put32(p + 16, off_rsv);
	put32(p + 20, 17);
	put32(p + 24, 16);
	put32(p + 28, 0);
	put32(p + 32, (uint32_t)b->strlen);
	put32(p + 36, (uint32_t)b->stlen);
	for (int i = 0; i < b->nrsv; i++) {
		put32(p + off_rsv + 16 * i, (uint32_t)(b->rsv[i][0] >> 32));
		put32(p + off_rsv + 16 * i + 4, (uint32_t)b->rsv[i][0]);
		put32(p + off_rsv + 16 * i + 8, (uint32_t)(b->rsv[i][1] >> 32));
		put32(p + off_rsv + 16 * i + 12, (uint32_t)b->rsv[i][1]);
	}
	memcpy(p + off_st, b->st, b->stlen);
	memcpy(p + off_str, b->str, b->strlen);
	*totalp = total;
	return p;
}

#define LONG_MODEL "An extremely long model string that keeps going well past sixty-three characters"

/*
 * A board with what QEMU's trees lack.  stdout selects /chosen: 0 none, 1 an alias with
 * options, 2 an absolute path.  uart@1000 (ns16550a) comes first in tree order; the
 * console via stdout-path is uart@2000 (sifive,uart0, fixed clock, interrupts-extended).
 */
static uint8_t *build_board(int stdout_kind, uint32_t *totalp)
{
	static struct builder bb;
	struct builder *b = &bb;
	uint8_t initrd_end[8] = { 0, 0, 0, 0, 0x84, 0x10, 0, 0 };

	memset(b, 0, sizeof(*b));
	b->rsv[0][0] = 0x80000000u;
	b->rsv[0][1] = 0x20000;
	b->rsv[1][0] = 0x87000000u;
	b->rsv[1][1] = 0x1000;
	b->nrsv = 2;

	b_nop(b);
	b_begin(b, "");
	b_cells(b, "#address-cells", 1, 1);
	b_cells(b, "#size-cells", 1, 1);
	b_nop(b);
	b_str(b, "model", LONG_MODEL);

	b_begin(b, "aliases");
	b_str(b, "serial0", "/soc/uart@2000");
	b_str(b, "serial1", "/soc/uart");
	b_end(b);

	if (stdout_kind) {
		b_begin(b, "chosen");
		b_str(b, "stdout-path", stdout_kind == 1 ? "serial0:115200n8" : "/soc/uart@2000");
		b_cells(b, "linux,initrd-start", 1, 0x84000000u);
		b_prop(b, "linux,initrd-end", initrd_end, 8);
		b_end(b);
	}

	b_begin(b, "memory@80000000");
	b_str(b, "device_type", "memory");
	b_cells(b, "reg", 4, 0x80000000u, 0x1000000u, 0x90000000u, 0x2000000u);
	b_end(b);

	b_begin(b, "reserved-memory");
	b_cells(b, "#address-cells", 1, 1);
	b_cells(b, "#size-cells", 1, 1);
	b_prop(b, "ranges", NULL, 0);
	b_begin(b, "mmode_resv0@80000000");
	b_cells(b, "reg", 2, 0x80000000u, 0x40000u);
	b_prop(b, "no-map", NULL, 0);
	b_end(b);
	b_begin(b, "dynamic");      /* size only: no fixed place, not reported */
	b_cells(b, "size", 1, 0x1000u);
	b_end(b);
	b_end(b);

	b_begin(b, "cpus");
	b_cells(b, "#address-cells", 1, 1);
	b_cells(b, "#size-cells", 1, 0);
	for (uint32_t i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%u", i);
		b_begin(b, name);
		b_str(b, "device_type", "cpu");
		b_cells(b, "reg", 1, i);
		b_str(b, "mmu-type", i == 2 ? "riscv,none" : "riscv,sv39");
		if (i == 1)
			b_str(b, "status", "disabled");
		if (i == 0)
			b_cells(b, "timebase-frequency", 1, 12345u);
		/* Sstc, named three ways: in any case; not as a prefix of another name; in the list */
		if (i == 0)
			b_str(b, "riscv,isa", "rv64imafdc_zicsr_SSTC");
		if (i == 1)
			b_str(b, "riscv,isa", "rv64imafdcsstc_sstcx_zicsr");
		if (i == 2) {
			static const char exts[] = "i\0m\0zicsr\0sstc";
			b_str(b, "riscv,isa", "rv64im");   /* the list wins */
			b_prop(b, "riscv,isa-extensions", exts, sizeof(exts));
		}
		b_begin(b, "interrupt-controller");
		b_prop(b, "interrupt-controller", NULL, 0);
		b_cells(b, "#interrupt-cells", 1, 1);
		b_cells(b, "phandle", 1, i + 1);
		b_end(b);
		b_end(b);
	}
	b_end(b);

	b_begin(b, "clk");
	b_cells(b, "#clock-cells", 1, 0);
	b_str(b, "compatible", "fixed-clock");
	b_cells(b, "clock-frequency", 1, 50000000u);
	b_cells(b, "phandle", 1, 10);
	b_end(b);

	b_begin(b, "soc");
	b_cells(b, "#address-cells", 1, 1);
	b_cells(b, "#size-cells", 1, 1);
	b_begin(b, "uart@1000");
	b_str(b, "compatible", "ns16550a");
	b_cells(b, "reg", 2, 0x1000u, 0x100u);
	b_cells(b, "interrupts", 1, 3);
	b_cells(b, "clock-frequency", 1, 1843200u);
	b_end(b);
	b_begin(b, "uart@2000");
	b_prop(b, "compatible", "vendor,foo-uart\0sifive,uart0", 29);
	b_cells(b, "reg", 2, 0x2000u, 0x100u);
	b_cells(b, "interrupts-extended", 2, 20u, 7u);
	b_cells(b, "clocks", 1, 10u);
	b_end(b);
	b_begin(b, "plic@c000000");
	b_str(b, "compatible", "riscv,plic0");
	b_cells(b, "reg", 2, 0xc000000u, 0x4000000u);
	b_cells(b, "riscv,ndev", 1, 31u);
	b_cells(b, "phandle", 1, 20u);
	/* hart0 M,S; hart1 "no context" (-1) then S; hart2 S only. */
	b_cells(b, "interrupts-extended", 10, 1u, 11u, 1u, 9u, 2u, 0xffffffffu, 2u, 9u, 3u, 9u);
	b_end(b);
	b_end(b);

	b_end(b); /* root */
	return b_finish(b, totalp);
}

/* ---- helpers over the public API, independent of fdt_platform_parse ---- */

/* For each PLIC context (interrupts-extended entry): owning hart id and irq. */
static int plic_contexts(const void *blob, uint32_t *hart, uint32_t *irq, int max)
{
	int plic, len, n = 0, intc, cpu;
	const uint8_t *v;
	uint64_t id;

	plic = fdt_next_compatible(blob, -1, "riscv,plic0");
	if (plic < 0)
		plic = fdt_next_compatible(blob, -1, "sifive,plic-1.0.0");
	assert_true(plic >= 0);
	v = fdt_getprop(blob, plic, "interrupts-extended", &len);
	assert_non_null(v);
	assert_int_equal(len % 8, 0);
	for (int i = 0; i * 8 < len && n < max; i++, n++) {
		intc = fdt_node_by_phandle(blob, be32(v + 8 * i));
		assert_true(intc >= 0);
		assert_int_equal(fdt_is_compatible(blob, intc, "riscv,cpu-intc"), 1);
		cpu = fdt_parent(blob, intc);
		assert_true(cpu >= 0);
		assert_int_equal(fdt_prop_is(blob, cpu, "device_type", "cpu"), 1);
		assert_int_equal(fdt_reg(blob, cpu, 0, &id, NULL), 0);
		hart[n] = (uint32_t)id;
		irq[n] = be32(v + 8 * i + 4);
	}
	return n;
}

/* ---- the real blobs ---- */

static void test_check_real(void **state)
{
	struct blob *all[] = { &virt1, &virt4, &sifu };

	(void)state;
	for (int i = 0; i < 3; i++) {
		load(all[i]);
		assert_int_equal(fdt_check(all[i]->data, all[i]->size), 0);
		assert_int_equal(fdt_check(all[i]->data, all[i]->total), 0);
		assert_int_equal(fdt_num_mem_rsv(all[i]->data), 0);
		assert_int_equal(fdt_root(all[i]->data), 0);
		assert_string_equal(fdt_node_name(all[i]->data, 0), "");
	}
}

static void test_virt_smp1(void **state)
{
	struct fdt_platform p;
	uint32_t hart[16], irq[16];
	uint8_t *b = exact_copy(&virt1);

	(void)state;
	assert_int_equal(fdt_platform_parse(b, virt1.total, &p), 0);
	assert_string_equal(p.model, "riscv-virtio,qemu");
	assert_int_equal(p.nmem, 1);
	assert_int_equal(p.mem[0].base, 0x80000000u);
	assert_int_equal(p.mem[0].size, 128u << 20);
	assert_int_equal(p.nresv, 0); /* QEMU virt has neither /memreserve/ nor reserved-memory */
	assert_int_equal(p.timebase_hz, 10000000);
	assert_int_equal(p.nharts, 1);
	assert_int_equal(p.ncpus, 1);
	assert_int_equal(p.harts[0].hartid, 0);
	assert_int_equal(p.harts[0].smode, 1);
	assert_int_equal(p.harts[0].plic_sctx, 1);
	assert_int_equal(p.harts[0].sstc, 1); /* "..._zbs_sstc" */
	assert_int_equal(p.plic_present, 1);
	assert_int_equal(p.plic_base, 0xc000000);
	assert_int_equal(p.plic_size, 0x600000);
	assert_int_equal(p.plic_ndev, 96);
	assert_int_equal(p.uart.present, 1);
	assert_string_equal(p.uart.compat, "ns16550a");
	assert_int_equal(p.uart.base, 0x10000000);
	assert_int_equal(p.uart.size, 0x100);
	assert_int_equal(p.uart.irq, 10);
	assert_int_equal(p.uart.clock_hz, 3686400); /* stored as a u32 that dtc shows as "\08@" */
	assert_int_equal(p.initrd_start, 0);
	assert_int_equal(p.initrd_end, 0);

	assert_int_equal(plic_contexts(b, hart, irq, 16), 2);
	assert_int_equal(hart[0], 0);
	assert_int_equal(irq[0], 11);
	assert_int_equal(hart[1], 0);
	assert_int_equal(irq[1], 9);
	free(b);
}

static void test_virt_smp4(void **state)
{
	struct fdt_platform p;
	uint32_t hart[16], irq[16];
	uint8_t *b = exact_copy(&virt4);

	(void)state;
	assert_int_equal(fdt_platform_parse(b, virt4.total, &p), 0);
	assert_int_equal(p.nmem, 1);
	assert_int_equal(p.mem[0].base, 0x80000000u);
	assert_int_equal(p.mem[0].size, 128u << 20);
	assert_int_equal(p.timebase_hz, 10000000);
	assert_int_equal(p.nharts, 4);
	assert_int_equal(plic_contexts(b, hart, irq, 16), 8);
	for (int n = 0; n < 4; n++) {
		assert_int_equal(p.harts[n].hartid, n);
		assert_int_equal(p.harts[n].smode, 1);
		/* hart N: context 2N is M-mode (irq 11), 2N+1 S-mode (irq 9) */
		assert_int_equal(hart[2 * n], n);
		assert_int_equal(irq[2 * n], 11);
		assert_int_equal(hart[2 * n + 1], n);
		assert_int_equal(irq[2 * n + 1], 9);
		assert_int_equal(p.harts[n].plic_sctx, 2 * n + 1);
	}
	assert_int_equal(p.plic_base, 0xc000000);
	assert_string_equal(p.uart.compat, "ns16550a");
	assert_int_equal(p.uart.base, 0x10000000);
	assert_int_equal(p.uart.irq, 10);
	free(b);
}

static void test_sifive_u(void **state)
{
	struct fdt_platform p;
	uint32_t hart[16], irq[16];
	uint8_t *b = exact_copy(&sifu);

	(void)state;
	assert_int_equal(fdt_platform_parse(b, sifu.total, &p), 0);
	assert_string_equal(p.model, "SiFive HiFive Unleashed A00");
	assert_int_equal(p.nmem, 1);
	assert_int_equal(p.mem[0].base, 0x80000000u);
	assert_int_equal(p.mem[0].size, 256u << 20);
	assert_int_equal(p.nresv, 0);
	assert_int_equal(p.timebase_hz, 1000000);
	assert_int_equal(p.nharts, 5);
	assert_int_equal(p.harts[0].hartid, 0);
	assert_int_equal(p.harts[0].smode, 0); /* the E51 monitor core: no mmu-type */
	for (int n = 0; n < 5; n++)
		assert_int_equal(p.harts[n].sstc, 0); /* the FU540's harts predate Sstc */
	assert_int_equal(p.harts[0].plic_sctx, -1);
	assert_int_equal(plic_contexts(b, hart, irq, 16), 9);
	assert_int_equal(hart[0], 0); /* hart 0: one M-mode context */
	assert_int_equal(irq[0], 11);
	for (int n = 1; n < 5; n++) {
		assert_int_equal(p.harts[n].hartid, n);
		assert_int_equal(p.harts[n].smode, 1);
		assert_int_equal(hart[2 * n - 1], n);
		assert_int_equal(irq[2 * n - 1], 11);
		assert_int_equal(hart[2 * n], n);
		assert_int_equal(irq[2 * n], 9);
		assert_int_equal(p.harts[n].plic_sctx, 2 * n);
	}
	assert_int_equal(p.plic_present, 1);
	assert_int_equal(p.plic_base, 0xc000000);
	assert_int_equal(p.plic_size, 0x4000000);
	assert_int_equal(p.plic_ndev, 53);
	assert_int_equal(p.uart.present, 1);
	assert_string_equal(p.uart.compat, "sifive,uart0");
	assert_int_equal(p.uart.base, 0x10010000);
	assert_int_equal(p.uart.size, 0x1000);
	assert_int_equal(p.uart.irq, 4);
	assert_int_equal(p.uart.clock_hz, 0); /* clocked by the PRCI, not a fixed clock */
	free(b);
}

/* Our tree for the HiFive Unmatched (FU740): what the kernel would read from it. */
static void test_unmatched(void **state)
{
	struct fdt_platform p;
	uint32_t hart[16], irq[16];
	uint8_t *b = exact_copy(&unm);

	(void)state;
	assert_int_equal(fdt_check(b, unm.total), 0);
	assert_int_equal(fdt_platform_parse(b, unm.total, &p), 0);
	assert_string_equal(p.model, "SiFive HiFive Unmatched A00");
	assert_int_equal(p.nmem, 1);
	assert_int_equal(p.mem[0].base, 0x80000000u);
	assert_int_equal(p.mem[0].size, 16ull << 30);
	assert_int_equal(p.nresv, 0);
	assert_int_equal(p.timebase_hz, 1000000);
	assert_int_equal(p.nharts, 5);
	assert_int_equal(p.ncpus, 5);
	assert_int_equal(p.harts[0].hartid, 0);
	assert_int_equal(p.harts[0].smode, 0); /* the S7 monitor core: no S-mode, no MMU */
	assert_int_equal(p.harts[0].plic_sctx, -1);
	assert_int_equal(plic_contexts(b, hart, irq, 16), 9);
	assert_int_equal(hart[0], 0); /* hart 0: one M-mode context */
	assert_int_equal(irq[0], 11);
	for (int n = 1; n < 5; n++) {
		assert_int_equal(p.harts[n].hartid, n);
		assert_int_equal(p.harts[n].smode, 1);
		assert_int_equal(hart[2 * n - 1], n);
		assert_int_equal(irq[2 * n - 1], 11);
		assert_int_equal(hart[2 * n], n);
		assert_int_equal(irq[2 * n], 9);
		assert_int_equal(p.harts[n].plic_sctx, 2 * n);
	}
	assert_int_equal(p.plic_present, 1);
	assert_int_equal(p.plic_base, 0xc000000);
	assert_int_equal(p.plic_size, 0x4000000);
	assert_int_equal(p.plic_ndev, 69);
	/* the console comes from /chosen stdout-path "serial0:115200n8" through /aliases */
	assert_int_equal(fdt_path_offset(b, "serial0"), fdt_next_compatible(b, -1, "sifive,uart0"));
	assert_int_equal(p.uart.present, 1);
	assert_string_equal(p.uart.compat, "sifive,uart0");
	assert_int_equal(p.uart.base, 0x10010000);
	assert_int_equal(p.uart.size, 0x1000);
	assert_int_equal(p.uart.irq, 39);
	assert_int_equal(p.uart.clock_hz, 0); /* no clock described: the firmware's divisor stays */
	assert_int_equal(p.initrd_start, 0);
	assert_int_equal(p.initrd_end, 0);
	free(b);
}

static void test_navigation(void **state)
{
	uint8_t *b = exact_copy(&virt1);
	int soc, node, n, len, cpus, cpu, intc;
	uint64_t base, size;
	uint32_t ph;
	const char *name;

	(void)state;
	assert_int_equal(fdt_path_offset(b, "/"), 0);
	assert_int_equal(fdt_path_offset(b, "//"), 0);
	soc = fdt_path_offset(b, "/soc");
	assert_true(soc > 0);
	assert_string_equal(fdt_node_name(b, soc), "soc");
	assert_int_equal(fdt_parent(b, soc), 0);
	assert_int_equal(fdt_parent(b, 0), FDT_ERR_NOTFOUND);

	node = fdt_path_offset(b, "/soc/serial");
	assert_true(node > 0);
	assert_string_equal(fdt_node_name(b, node), "serial@10000000");
	assert_int_equal(fdt_path_offset(b, "/soc/serial@10000000/"), node);
	assert_int_equal(fdt_path_offset_len(b, "/soc/serial@10000000:115200", 20), node);
	assert_int_equal(fdt_parent(b, node), soc);
	assert_int_equal(fdt_path_offset(b, "/soc/serial@1"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(b, "/soc/seria"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(b, "/nope"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(b, "serial0"), FDT_ERR_NOTFOUND); /* virt: no /aliases */
	assert_int_equal(fdt_path_offset(b, ""), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_reg(b, node, 0, &base, &size), 0);
	assert_int_equal(base, 0x10000000);
	assert_int_equal(size, 0x100);
	assert_int_equal(fdt_reg(b, node, 1, &base, &size), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_getprop_u32(b, node, "interrupts", &ph), 0);
	assert_int_equal(ph, 10);

	/* /soc: rtc, serial, test, pci, 8 virtio_mmio, plic, clint */
	n = 0;
	for (node = fdt_first_child(b, soc); node >= 0; node = fdt_next_sibling(b, node)) {
		assert_int_equal(fdt_parent(b, node), soc);
		n++;
	}
	assert_int_equal(node, FDT_ERR_NOTFOUND);
	assert_int_equal(n, 14);
	n = 0;
	for (node = fdt_next_compatible(b, -1, "virtio,mmio"); node >= 0;
	     node = fdt_next_compatible(b, node, "virtio,mmio"))
		n++;
	assert_int_equal(n, 8);
	assert_int_equal(fdt_next_compatible(b, -1, "no,such"), FDT_ERR_NOTFOUND);

	/* A string list: the second string matches too. */
	node = fdt_next_compatible(b, -1, "riscv,plic0");
	assert_true(node > 0);
	assert_int_equal(fdt_is_compatible(b, node, "sifive,plic-1.0.0"), 1);
	assert_int_equal(fdt_is_compatible(b, node, "riscv,plic"), 0);
	assert_int_equal(fdt_getprop_u32(b, node, "phandle", &ph), 0);
	assert_int_equal(fdt_node_by_phandle(b, ph), node);
	assert_int_equal(fdt_node_by_phandle(b, 0), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_node_by_phandle(b, 0x7777), FDT_ERR_NOTFOUND);
	assert_non_null(fdt_getprop(b, node, "interrupt-controller", &len));
	assert_int_equal(len, 0);
	assert_null(fdt_getprop(b, node, "interrupt", &len));
	assert_int_equal(len, FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_getprop_u32(b, node, "compatible", &ph), FDT_ERR_BADVALUE);

	/* flash has two reg entries under 2/2 cells */
	node = fdt_path_offset(b, "/flash");
	assert_int_equal(fdt_reg(b, node, 1, &base, &size), 0);
	assert_int_equal(base, 0x22000000);
	assert_int_equal(size, 0x2000000);
	assert_int_equal(fdt_reg(b, node, 2, &base, &size), FDT_ERR_NOTFOUND);

	/* cpus: #size-cells 0 */
	cpus = fdt_path_offset(b, "/cpus");
	assert_int_equal(fdt_address_cells(b, cpus), 1);
	assert_int_equal(fdt_size_cells(b, cpus), 0);
	assert_int_equal(fdt_address_cells(b, 0), 2);
	assert_int_equal(fdt_size_cells(b, 0), 2);
	cpu = fdt_path_offset(b, "/cpus/cpu");
	assert_int_equal(cpu, fdt_first_child(b, cpus));
	assert_int_equal(fdt_reg(b, cpu, 0, &base, &size), 0);
	assert_int_equal(base, 0);
	assert_int_equal(size, 0);
	intc = fdt_path_offset(b, "/cpus/cpu@0/interrupt-controller");
	assert_int_equal(fdt_first_child(b, cpu), intc);
	assert_int_equal(fdt_first_child(b, intc), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_next_sibling(b, intc), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_parent(b, intc), cpu);
	name = fdt_node_name(b, fdt_next_sibling(b, cpu));
	assert_non_null(name);
	assert_string_equal(name, "cpu-map");
	assert_int_equal(fdt_prop_is(b, cpu, "status", "okay"), 1);
	assert_int_equal(fdt_prop_is(b, cpu, "status", "ok"), 0);
	assert_int_equal(fdt_prop_is(b, cpu, "nope", "ok"), 0);

	/* Every node once, in order, and each one's parent walk ends at the root. */
	n = 0;
	for (node = fdt_next_node(b, -1); node >= 0; node = fdt_next_node(b, node)) {
		int up = node, hops = 0;

		while (up > 0 && hops < 100) {
			up = fdt_parent(b, up);
			hops++;
		}
		assert_int_equal(up, 0);
		n++;
	}
	assert_int_equal(node, FDT_ERR_NOTFOUND);
	assert_true(n > 25);
	free(b);
}

static void test_aliases_sifive_u(void **state)
{
	uint8_t *b = exact_copy(&sifu);
	int s0, s1;

	(void)state;
	s0 = fdt_path_offset(b, "serial0");
	s1 = fdt_path_offset(b, "serial1");
	assert_true(s0 > 0 && s1 > 0 && s0 != s1);
	assert_string_equal(fdt_node_name(b, s0), "serial@10010000");
	assert_string_equal(fdt_node_name(b, s1), "serial@10011000");
	assert_int_equal(fdt_path_offset_len(b, "serial1:115200", 7), s1);
	assert_int_equal(fdt_path_offset(b, "serial9"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(b, "ethernet0/ethernet-phy"),
			 fdt_path_offset(b, "/soc/ethernet@10090000/ethernet-phy@0"));
	free(b);
}

/* ---- synthetic trees: what QEMU's blobs lack ---- */

static void test_synthetic_board(void **state)
{
	struct fdt_platform p;
	uint32_t total;
	uint8_t *b = build_board(1, &total);
	char want[64];

	(void)state;
	assert_int_equal(fdt_check(b, total), 0);
	assert_int_equal(fdt_platform_parse(b, total, &p), 0);
	memcpy(want, LONG_MODEL, 63);
	want[63] = '\0';
	assert_string_equal(p.model, want);

	assert_int_equal(p.nmem, 2);
	assert_int_equal(p.mem[0].base, 0x80000000u);
	assert_int_equal(p.mem[0].size, 0x1000000u);
	assert_int_equal(p.mem[1].base, 0x90000000u);
	assert_int_equal(p.mem[1].size, 0x2000000u);

	assert_int_equal(fdt_num_mem_rsv(b), 2);
	assert_int_equal(p.nresv, 3);
	assert_int_equal(p.resv[0].base, 0x80000000u);
	assert_int_equal(p.resv[0].size, 0x20000);
	assert_int_equal(p.resv[1].base, 0x87000000u);
	assert_int_equal(p.resv[1].size, 0x1000);
	assert_int_equal(p.resv[2].base, 0x80000000u);
	assert_int_equal(p.resv[2].size, 0x40000);

	assert_int_equal(p.timebase_hz, 12345); /* from cpu@0: /cpus has none */
	assert_int_equal(p.nharts, 3);
	assert_int_equal(p.harts[0].smode, 1);
	assert_int_equal(p.harts[0].plic_sctx, 1);
	assert_int_equal(p.harts[1].smode, 0); /* status "disabled" */
	assert_int_equal(p.harts[1].plic_sctx, 3);
	assert_int_equal(p.harts[2].smode, 0); /* mmu-type riscv,none */
	assert_int_equal(p.harts[2].plic_sctx, 4);
	assert_int_equal(p.harts[0].sstc, 1);
	assert_int_equal(p.harts[1].sstc, 0);
	assert_int_equal(p.harts[2].sstc, 1);
	assert_int_equal(p.plic_base, 0xc000000);
	assert_int_equal(p.plic_ndev, 31);

	/* stdout-path "serial0:115200n8" -> alias -> /soc/uart@2000, not the first ns16550a */
	assert_int_equal(p.uart.present, 1);
	assert_string_equal(p.uart.compat, "sifive,uart0");
	assert_int_equal(p.uart.base, 0x2000);
	assert_int_equal(p.uart.size, 0x100);
	assert_int_equal(p.uart.irq, 7);
	assert_int_equal(p.uart.clock_hz, 50000000);

	assert_int_equal(p.initrd_start, 0x84000000u);
	assert_int_equal(p.initrd_end, 0x84100000u);

	/* serial1 = "/soc/uart": an alias whose value uses the unit-less match */
	assert_string_equal(fdt_node_name(b, fdt_path_offset(b, "serial1")), "uart@1000");
	free(b);
}

static void test_synthetic_stdout_variants(void **state)
{
	struct fdt_platform p;
	uint32_t total;
	uint8_t *b;

	(void)state;
	b = build_board(2, &total); /* absolute stdout-path */
	assert_int_equal(fdt_platform_parse(b, total, &p), 0);
	assert_int_equal(p.uart.base, 0x2000);
	free(b);

	b = build_board(0, &total); /* no /chosen: first ns16550a/sifive,uart0 in tree order */
	assert_int_equal(fdt_platform_parse(b, total, &p), 0);
	assert_int_equal(p.uart.present, 1);
	assert_string_equal(p.uart.compat, "ns16550a");
	assert_int_equal(p.uart.base, 0x1000);
	assert_int_equal(p.uart.irq, 3);
	assert_int_equal(p.uart.clock_hz, 1843200);
	assert_int_equal(p.initrd_start, 0);
	free(b);
}

/* ---- malformed input ---- */

static void test_bad_magic(void **state)
{
	struct fdt_platform p;
	uint8_t *b = exact_copy(&virt1);

	(void)state;
	b[0] ^= 0x01;
	assert_int_equal(fdt_check(b, virt1.total), FDT_ERR_BADMAGIC);
	assert_int_equal(fdt_platform_parse(b, virt1.total, &p), FDT_ERR_BADMAGIC);
	assert_int_equal(fdt_totalsize(b), 0);
	assert_int_equal(fdt_path_offset(b, "/"), FDT_ERR_BADMAGIC);
	assert_null(fdt_node_name(b, 0));
	assert_int_equal(fdt_check(NULL, 100), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_platform_parse(b, virt1.total, NULL), FDT_ERR_BADVALUE);
	free(b);
}

static void test_bad_sizes(void **state)
{
	struct fdt_platform p;
	uint8_t *b = exact_copy(&virt1);
	uint32_t total = virt1.total;

	(void)state;
	assert_int_equal(fdt_check(b, total - 1), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_platform_parse(b, total - 1, &p), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_check(b, 39), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_check(b, 3), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_check(b, 0), FDT_ERR_TRUNCATED);

	put32(b + 4, total + 1); /* totalsize larger than the buffer */
	assert_int_equal(fdt_check(b, total), FDT_ERR_TRUNCATED);
	put32(b + 4, 0xffffffffu);
	assert_int_equal(fdt_check(b, total), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_check(b, SIZE_MAX), FDT_ERR_BADVALUE);
	put32(b + 4, 20); /* smaller than the header */
	assert_int_equal(fdt_check(b, total), FDT_ERR_TRUNCATED);
	put32(b + 4, total);

	put32(b + 20, 15); /* version */
	assert_int_equal(fdt_check(b, total), FDT_ERR_BADVERSION);
	put32(b + 20, 17);
	put32(b + 24, 18); /* last_comp_version */
	assert_int_equal(fdt_check(b, total), FDT_ERR_BADVERSION);
	put32(b + 24, 16);

	put32(b + 16, (total - 8) & ~7u); /* memreserve map runs off the end */
	assert_int_equal(fdt_check(b, total), FDT_ERR_TRUNCATED);
	put32(b + 16, 44); /* misaligned */
	assert_int_equal(fdt_check(b, total), FDT_ERR_BADVALUE);
	put32(b + 16, 40);

	put32(b + 12, total); /* strings block starts at the end but has size */
	assert_true(fdt_check(b, total) < 0);
	assert_int_equal(fdt_check(b, total), FDT_ERR_TRUNCATED);
	free(b);
}

static void test_truncated_struct(void **state)
{
	struct fdt_platform p;
	uint8_t *b = exact_copy(&virt1), *half;
	uint32_t total = virt1.total, off_st = be32(b + 8), st_len = be32(b + 36);

	(void)state;
	assert_int_equal(fdt_check(b, total), 0);

	/* The blob cut in half, header unchanged: totalsize > maxlen. */
	half = malloc(total / 2);
	memcpy(half, b, total / 2);
	assert_int_equal(fdt_check(half, total / 2), FDT_ERR_TRUNCATED);
	/* Header rewritten to claim the cut size: the structure block now ends mid-tree. */
	put32(half + 4, total / 2);
	put32(half + 12, off_st);           /* strings: move into range (garbage names) */
	put32(half + 32, 0x10);
	put32(half + 36, (total / 2 - off_st) & ~3u);
	assert_true(fdt_check(half, total / 2) < 0);
	assert_true(fdt_platform_parse(half, total / 2, &p) < 0);
	free(half);

	/* size_dt_struct shrunk: every shorter length must be refused. */
	for (uint32_t len = 0; len < st_len; len += 4) {
		put32(b + 36, len);
		assert_true(fdt_check(b, total) < 0);
		assert_true(fdt_platform_parse(b, total, &p) < 0);
		/* Accessors skipping fdt_check still stay inside the (shrunk) block. */
		(void)fdt_path_offset(b, "/soc/serial");
		(void)fdt_next_compatible(b, -1, "ns16550a");
	}
	put32(b + 36, st_len);

	/* FDT_END replaced by a bad token, then the root's END_NODE by a NOP. */
	put32(b + off_st + st_len - 4, 0x7);
	assert_int_equal(fdt_check(b, total), FDT_ERR_BADSTRUCT);
	put32(b + off_st + st_len - 4, 0x9);
	put32(b + off_st + st_len - 8, 0x4);
	assert_int_equal(fdt_check(b, total), FDT_ERR_BADSTRUCT);
	put32(b + off_st + st_len - 8, 0x2);
	/* An extra END_NODE (unbalanced) in place of the first property of the root. */
	put32(b + off_st + 8, 0x2);
	assert_int_equal(fdt_check(b, total), FDT_ERR_BADSTRUCT);
	/* Nothing but FDT_END: no root node. */
	put32(b + off_st, 0x9);
	assert_int_equal(fdt_check(b, total), FDT_ERR_BADSTRUCT);
	free(b);
}

static void test_prop_runs_off(void **state)
{
	struct fdt_platform p;
	uint8_t *b = exact_copy(&virt1);
	uint32_t total = virt1.total, off_st = be32(b + 8), st_len = be32(b + 36);
	uint8_t *prop0 = b + off_st + 8; /* root: "\0\0\0\0" name, then its first FDT_PROP */
	uint32_t lens[] = { 0xfffffff0u, 0x80000000u, 0xffffffffu, 0 };
	int len;

	(void)state;
	assert_int_equal(be32(prop0), 3);
	lens[3] = st_len; /* just past the block */
	for (int i = 0; i < 4; i++) {
		put32(prop0 + 4, lens[i]);
		assert_int_equal(fdt_check(b, total), FDT_ERR_TRUNCATED);
		assert_int_equal(fdt_platform_parse(b, total, &p), FDT_ERR_TRUNCATED);
		assert_null(fdt_getprop(b, 0, "model", &len));
		assert_int_equal(len, FDT_ERR_TRUNCATED);
		assert_int_equal(fdt_first_child(b, 0), FDT_ERR_TRUNCATED);
	}
	put32(prop0 + 4, 4);

	/* A name offset outside the strings block. */
	put32(prop0 + 8, be32(b + 32));
	assert_int_equal(fdt_check(b, total), FDT_ERR_BADSTRUCT);
	put32(prop0 + 8, 0xffffffffu);
	assert_int_equal(fdt_check(b, total), FDT_ERR_BADSTRUCT);
	assert_null(fdt_getprop(b, 0, "model", &len));
	assert_true(len < 0);
	free(b);

	/* The strings block cut so its last name loses its NUL. */
	b = exact_copy(&virt1);
	put32(b + 32, be32(b + 32) - 1);
	assert_int_equal(fdt_check(b, total), FDT_ERR_BADSTRUCT);
	free(b);
}

static void test_unterminated_name(void **state)
{
	/* header | empty rsvmap | BEGIN_NODE "abcdefg" with no NUL up to the block's end */
	uint8_t b[40 + 16 + 12 + 4];
	struct fdt_platform p;
	int len;

	(void)state;
	memset(b, 0, sizeof(b));
	put32(b + 0, FDT_MAGIC);
	put32(b + 4, sizeof(b));
	put32(b + 8, 56);
	put32(b + 12, 68);
	put32(b + 16, 40);
	put32(b + 20, 17);
	put32(b + 24, 16);
	put32(b + 32, 4);
	put32(b + 36, 12);
	put32(b + 56, 1);
	memcpy(b + 60, "abcdefgh", 8);
	memcpy(b + 68, "xyz", 4);
	assert_int_equal(fdt_check(b, sizeof(b)), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_platform_parse(b, sizeof(b), &p), FDT_ERR_TRUNCATED);
	assert_null(fdt_node_name(b, 0));
	assert_int_equal(fdt_root(b), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_first_child(b, 0), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_path_offset(b, "/x"), FDT_ERR_TRUNCATED);
	assert_null(fdt_getprop(b, 0, "x", &len));
	assert_int_equal(len, FDT_ERR_TRUNCATED);

	/* The same on a real blob: the block ends inside the first child's name. */
	uint8_t *r = exact_copy(&virt1);
	int child = fdt_first_child(r, 0);
	const char *name = fdt_node_name(r, child);

	assert_non_null(name);
	put32(r + 36, (uint32_t)child + 4 + 4); /* 4 bytes of "pmu\0"... minus the NUL */
	memcpy(r + be32(r + 8) + child + 4, "pmuX", 4);
	assert_int_equal(fdt_check(r, virt1.total), FDT_ERR_TRUNCATED);
	assert_null(fdt_node_name(r, child));
	free(r);
}

static void test_bad_offsets(void **state)
{
	uint8_t *b = exact_copy(&sifu);
	int bad[] = { -100, -2, -1, 1, 2, 3, 8, 12, 0x7ffffffc, 0x7fffffff, (int)sifu.total };
	uint64_t base;
	int len;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int o = bad[i];

		assert_true(fdt_first_child(b, o) < 0);
		assert_true(fdt_next_sibling(b, o) < 0);
		assert_true(fdt_parent(b, o) < 0);
		assert_null(fdt_node_name(b, o));
		assert_null(fdt_getprop(b, o, "reg", &len));
		assert_true(len < 0);
		assert_true(fdt_reg(b, o, 0, &base, NULL) < 0);
		assert_true(fdt_is_compatible(b, o, "riscv") < 0);
		if (o != -1)
			assert_true(fdt_next_compatible(b, o, "riscv") < 0);
		assert_true(fdt_address_cells(b, o) < 0);
	}
	assert_int_equal(fdt_first_child(b, 8), FDT_ERR_BADOFFSET); /* a FDT_PROP token */
	assert_int_equal(fdt_reg(b, fdt_path_offset(b, "/soc/serial"), -1, &base, NULL),
			 FDT_ERR_BADVALUE);
	/* pci-style 3 address cells are refused, not misread */
	free(b);
}

static void test_read_cells(void **state)
{
	const uint8_t c[] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };

	(void)state;
	assert_int_equal(fdt_read_u32(c), 0x12345678u);
	assert_int_equal(fdt_read_u32(c + 1), 0x3456789au); /* unaligned */
	assert_int_equal(fdt_read_cells(c, 1), 0x12345678u);
	assert_true(fdt_read_cells(c, 2) == 0x123456789abcdef0ull);
	assert_int_equal(fdt_read_cells(c, 0), 0);
	assert_int_equal(fdt_read_cells(c, 3), 0);
}

/* ---- fuzz: random byte flips of each real blob, exactly-sized buffers ---- */

static uint32_t rng_state = 12345;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void exercise(const uint8_t *b, int deep)
{
	int node, n = 0, len;
	uint64_t base, size;
	const char *name;

	(void)fdt_path_offset(b, "/soc/serial");
	(void)fdt_path_offset(b, "serial0:115200");
	(void)fdt_node_by_phandle(b, 3);
	(void)fdt_num_mem_rsv(b);
	for (node = fdt_next_node(b, -1); node >= 0 && n < 1000; node = fdt_next_node(b, node), n++) {
		name = fdt_node_name(b, node);
		assert_non_null(name);
		(void)fdt_getprop(b, node, "compatible", &len);
		(void)fdt_reg(b, node, 0, &base, &size);
		(void)fdt_is_compatible(b, node, "ns16550a");
		(void)fdt_first_child(b, node);
		(void)fdt_next_sibling(b, node);
		if (deep && n % 8 == 0)
			(void)fdt_parent(b, node);
	}
}

static void fuzz_one(struct blob *src, int iters, int *okp, int *badp)
{
	struct fdt_platform p;
	uint8_t *b;
	uint32_t total, pos;
	int r;

	load(src);
	total = src->total;
	b = malloc(total);
	assert_non_null(b);
	for (int i = 0; i < iters; i++) {
		memcpy(b, src->data, total);
		int flips = 1 + (int)(rnd() % 3);

		for (int f = 0; f < flips; f++) {
			/* One flip in eight hits the header, the rest anywhere. */
			pos = (rnd() % 8 == 0) ? rnd() % 40 : rnd() % total;
			b[pos] ^= (uint8_t)(1 + rnd() % 255);
		}
		r = fdt_platform_parse(b, total, &p);
		if (r == 0) {
			(*okp)++;
			assert_true(p.nmem >= 0 && p.nmem <= FDT_MAX_MEM);
			assert_true(p.nresv >= 0 && p.nresv <= FDT_MAX_RESV);
			assert_true(p.nharts >= 0 && p.nharts <= FDT_MAX_HARTS);
			assert_int_equal(p.model[63], '\0');
			assert_int_equal(p.uart.compat[31], '\0');
			exercise(b, i % 4 == 0);
		} else {
			(*badp)++;
			assert_int_equal(fdt_check(b, total), r);
		}
	}
	free(b);
}

static void test_fuzz(void **state)
{
	struct blob synth = { "synthetic", NULL, 0, 0 };

	int ok = 0, bad = 0;

	(void)state;
	fuzz_one(&virt1, 700, &ok, &bad);
	fuzz_one(&virt4, 650, &ok, &bad);
	fuzz_one(&sifu, 650, &ok, &bad);
	/* The synthetic board reaches /memreserve/, reserved-memory, aliases, initrd. */
	synth.data = build_board(1, &synth.total);
	synth.size = synth.total;
	fuzz_one(&synth, 400, &ok, &bad);
	free(synth.data);
	synth.data = NULL;
	print_message("fuzz: %d accepted, %d refused\n", ok, bad);
	/* Most flips land in values or names and still parse; some break the structure. */
	assert_true(ok > 100);
	assert_true(bad > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_real),
		cmocka_unit_test(test_virt_smp1),
		cmocka_unit_test(test_virt_smp4),
		cmocka_unit_test(test_sifive_u),
		cmocka_unit_test(test_unmatched),
		cmocka_unit_test(test_navigation),
		cmocka_unit_test(test_aliases_sifive_u),
		cmocka_unit_test(test_synthetic_board),
		cmocka_unit_test(test_synthetic_stdout_variants),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_sizes),
		cmocka_unit_test(test_truncated_struct),
		cmocka_unit_test(test_prop_runs_off),
		cmocka_unit_test(test_unterminated_name),
		cmocka_unit_test(test_bad_offsets),
		cmocka_unit_test(test_read_cells),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests_name("fdt", tests, NULL, teardown_group);
}
