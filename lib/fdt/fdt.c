/*
 * fdt.c - freestanding flattened-device-tree reader; see fdt.h for the contract.
 *
 * Every public call first builds a struct fdt_ctx from the header (block pointers and
 * lengths, each checked to lie inside totalsize) and then reads only through tag_at(),
 * which checks each token, name and property value against the structure block's end.
 * Walks advance by at least 4 bytes a step, so they end on any input.
 */
#include "fdt.h"

#define FDT_BEGIN_NODE 0x1u
#define FDT_END_NODE   0x2u
#define FDT_PROP       0x3u
#define FDT_NOP        0x4u
#define FDT_END        0x9u

#define HDR_SIZE       40u /* v17 header: ten u32 fields */
#define H_MAGIC        0
#define H_TOTALSIZE    4
#define H_OFF_STRUCT   8
#define H_OFF_STRINGS  12
#define H_OFF_RSVMAP   16
#define H_VERSION      20
#define H_LAST_COMP    24
#define H_BOOT_CPUID   28
#define H_SIZE_STRINGS 32
#define H_SIZE_STRUCT  36

/* PLIC interrupt numbers on a hart's local interrupt controller. */
#define IRQ_S_EXT 9

struct fdt_ctx {
	const uint8_t *base;  /* the blob */
	uint32_t total;       /* totalsize */
	const uint8_t *st;    /* structure block */
	uint32_t st_len;
	const uint8_t *str;   /* strings block */
	uint32_t str_len;
};

/* ---- tiny local helpers (no libc) ---- */

static size_t f_strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

static int f_memeq(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

/* Length of the string at p, looking at no more than max bytes; max if unterminated. */
static size_t f_strnlen(const char *p, size_t max)
{
	size_t n = 0;

	while (n < max && p[n] != '\0')
		n++;
	return n;
}

static void f_zero(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/* Copy the (possibly unterminated) string src of at most srclen bytes into dst[dstsz],
 * truncating, always NUL-terminating. */
static void f_strlcpy(char *dst, size_t dstsz, const char *src, size_t srclen)
{
	size_t n = f_strnlen(src, srclen);

	if (dstsz == 0)
		return;
	if (n > dstsz - 1)
		n = dstsz - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
	dst[n] = '\0';
}

uint32_t fdt_read_u32(const void *p)
{
	const uint8_t *b = p;

	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
	       ((uint32_t)b[2] << 8) | (uint32_t)b[3];
}

uint64_t fdt_read_cells(const void *p, int ncells)
{
	const uint8_t *b = p;

	if (ncells == 1)
		return fdt_read_u32(b);
	if (ncells == 2)
		return ((uint64_t)fdt_read_u32(b) << 32) | fdt_read_u32(b + 4);
	return 0;
}

static uint64_t read_u64(const uint8_t *b)
{
	return fdt_read_cells(b, 2);
}

static uint32_t hdr(const void *blob, unsigned field)
{
	return fdt_read_u32((const uint8_t *)blob + field);
}

/* ---- header and blocks ---- */

/*
 * Fill c from the header: magic and version right, every block inside totalsize.
 * Does not know the buffer size: that is fdt_check's job, done once.
 */
static int ctx_init(const void *blob, struct fdt_ctx *c)
{
	uint32_t total, version, off_st, off_str, st_len, str_len;

	if (blob == NULL)
		return FDT_ERR_BADVALUE;
	if (hdr(blob, H_MAGIC) != FDT_MAGIC)
		return FDT_ERR_BADMAGIC;
	total = hdr(blob, H_TOTALSIZE);
	if (total < HDR_SIZE)
		return FDT_ERR_TRUNCATED;
	if (total > 0x7fffffffu) /* offsets are ints */
		return FDT_ERR_BADVALUE;
	version = hdr(blob, H_VERSION);
	if (version < 16 || hdr(blob, H_LAST_COMP) > 17)
		return FDT_ERR_BADVERSION;
	off_st = hdr(blob, H_OFF_STRUCT);
	off_str = hdr(blob, H_OFF_STRINGS);
	str_len = hdr(blob, H_SIZE_STRINGS);
	if (off_st < HDR_SIZE || off_st > total || (off_st & 3) != 0)
		return FDT_ERR_TRUNCATED;
	/* v16 has no size_dt_struct: the structure block may run to the end. */
	st_len = version >= 17 ? hdr(blob, H_SIZE_STRUCT) : total - off_st;
	if ((uint64_t)off_st + st_len > total)
		return FDT_ERR_TRUNCATED;
	if (off_str < HDR_SIZE || (uint64_t)off_str + str_len > total)
		return FDT_ERR_TRUNCATED;

	c->base = blob;
	c->total = total;
	c->st = c->base + off_st;
	c->st_len = st_len;
	c->str = c->base + off_str;
	c->str_len = str_len;
	return 0;
}

/*
 * The token at structure offset off: *tagp gets it and *nextp the offset of the next
 * token.  Checks everything the token covers: a node name is NUL-terminated inside the
 * block, a property's header and value fit, its name offset is inside the strings block.
 */
static int tag_at(const struct fdt_ctx *c, int off, uint32_t *tagp, int *nextp)
{
	uint64_t o, end;
	uint32_t tag;

	if (off < 0 || (off & 3) != 0)
		return FDT_ERR_BADOFFSET;
	o = (uint64_t)off;
	if (o + 4 > c->st_len)
		return FDT_ERR_TRUNCATED;
	tag = fdt_read_u32(c->st + o);
	switch (tag) {
	case FDT_BEGIN_NODE: {
		size_t max = c->st_len - (o + 4);
		size_t n = f_strnlen((const char *)c->st + o + 4, max);

		if (n == max) /* unterminated name */
			return FDT_ERR_TRUNCATED;
		end = o + 4 + n + 1;
		break;
	}
	case FDT_PROP:
		if (o + 12 > c->st_len)
			return FDT_ERR_TRUNCATED;
		end = o + 12 + fdt_read_u32(c->st + o + 4);
		if (end > c->st_len)
			return FDT_ERR_TRUNCATED;
		if (fdt_read_u32(c->st + o + 8) >= c->str_len)
			return FDT_ERR_BADSTRUCT;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		end = o + 4;
		break;
	default:
		return FDT_ERR_BADSTRUCT;
	}
	/* end <= st_len here, so the aligned end fits an int (st_len < totalsize <=
	 * INT32_MAX); if it passes st_len the next tag_at says so. */
	end = (end + 3) & ~(uint64_t)3;
	*tagp = tag;
	*nextp = (int)end;
	return 0;
}

/* Is the string at strings-block offset nameoff exactly name[0..len)? */
static int str_eq(const struct fdt_ctx *c, uint32_t nameoff, const char *name, size_t len)
{
	if (nameoff >= c->str_len || c->str_len - nameoff < len + 1)
		return 0;
	return f_memeq(c->str + nameoff, name, len) && c->str[nameoff + len] == '\0';
}

static int root_of(const struct fdt_ctx *c)
{
	uint32_t tag;
	int off = 0, next, r;

	for (;;) {
		r = tag_at(c, off, &tag, &next);
		if (r < 0)
			return r;
		if (tag == FDT_BEGIN_NODE)
			return off;
		if (tag != FDT_NOP)
			return FDT_ERR_BADSTRUCT;
		off = next;
	}
}

/* Check that off is a BEGIN_NODE; *nextp gets the offset just past its name. */
static int node_at(const struct fdt_ctx *c, int off, int *nextp)
{
	uint32_t tag;
	int r = tag_at(c, off, &tag, nextp);

	if (r < 0)
		return r;
	return tag == FDT_BEGIN_NODE ? 0 : FDT_ERR_BADOFFSET;
}

/*
 * The next node after node in tree order.  *depth is node's depth on entry (any base)
 * and the returned node's depth on return: +1 for a first child, the same for a
 * sibling, less after climbing out.  FDT_ERR_NOTFOUND at FDT_END.
 */
static int next_node(const struct fdt_ctx *c, int node, int *depth)
{
	uint32_t tag;
	int off, next, r, open;

	r = node_at(c, node, &off);
	if (r < 0)
		return r;
	open = *depth + 1;
	for (;; off = next) {
		r = tag_at(c, off, &tag, &next);
		if (r < 0)
			return r;
		switch (tag) {
		case FDT_BEGIN_NODE:
			*depth = open;
			return off;
		case FDT_END_NODE:
			open--;
			break;
		case FDT_END:
			*depth = open;
			return FDT_ERR_NOTFOUND;
		default: /* FDT_PROP, FDT_NOP */
			break;
		}
	}
}

static int first_child(const struct fdt_ctx *c, int node)
{
	int depth = 0;
	int r = next_node(c, node, &depth);

	if (r < 0)
		return r;
	return depth == 1 ? r : FDT_ERR_NOTFOUND;
}

static int next_sibling(const struct fdt_ctx *c, int node)
{
	int depth = 0;
	int r = node;

	do {
		r = next_node(c, r, &depth);
		if (r < 0)
			return r;
	} while (depth > 0);
	return depth == 0 ? r : FDT_ERR_NOTFOUND;
}

/* The property named name[0..namelen) of node; *lenp gets its length. */
static const uint8_t *getprop(const struct fdt_ctx *c, int node, const char *name,
			      size_t namelen, int *lenp)
{
	uint32_t tag;
	int off, next, r;

	r = node_at(c, node, &off);
	for (; r >= 0; off = next) {
		r = tag_at(c, off, &tag, &next);
		if (r < 0)
			break;
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP) {
			r = FDT_ERR_NOTFOUND;
			break;
		}
		if (str_eq(c, fdt_read_u32(c->st + off + 8), name, namelen)) {
			if (lenp)
				*lenp = (int)fdt_read_u32(c->st + off + 4);
			return c->st + off + 12;
		}
	}
	if (lenp)
		*lenp = r;
	return NULL;
}

static const uint8_t *prop(const struct fdt_ctx *c, int node, const char *name, int *lenp)
{
	return getprop(c, node, name, f_strlen(name), lenp);
}

static int prop_u32(const struct fdt_ctx *c, int node, const char *name, uint32_t *out)
{
	int len;
	const uint8_t *v = prop(c, node, name, &len);

	if (v == NULL)
		return len;
	if (len != 4)
		return FDT_ERR_BADVALUE;
	*out = fdt_read_u32(v);
	return 0;
}

/* A 1- or 2-cell number property (clock-frequency, linux,initrd-start). */
static int prop_num(const struct fdt_ctx *c, int node, const char *name, uint64_t *out)
{
	int len;
	const uint8_t *v = prop(c, node, name, &len);

	if (v == NULL)
		return len;
	if (len != 4 && len != 8)
		return FDT_ERR_BADVALUE;
	*out = fdt_read_cells(v, len / 4);
	return 0;
}

/* Does the first string of value v[0..len) equal s? */
static int val_is(const uint8_t *v, int len, const char *s)
{
	size_t n = f_strlen(s);

	if (v == NULL || len < 0 || (size_t)len < n)
		return 0;
	return f_memeq(v, s, n) && ((size_t)len == n || v[n] == '\0');
}

/* Is s[0..n) one of the strings of the string list v[0..len)? */
static int list_has(const uint8_t *v, int len, const char *s, size_t n)
{
	size_t pos = 0, l;

	if (v == NULL || len <= 0)
		return 0;
	while (pos < (size_t)len) {
		l = f_strnlen((const char *)v + pos, (size_t)len - pos);
		if (l == n && f_memeq(v + pos, s, n))
			return 1;
		pos += l + 1;
	}
	return 0;
}

static int is_compatible(const struct fdt_ctx *c, int node, const char *compat)
{
	int len;
	const uint8_t *v = prop(c, node, "compatible", &len);

	if (v == NULL)
		return len == FDT_ERR_NOTFOUND ? 0 : len;
	return list_has(v, len, compat, f_strlen(compat));
}

static const char *node_name(const struct fdt_ctx *c, int node)
{
	int next;

	if (node_at(c, node, &next) < 0)
		return NULL;
	return (const char *)c->st + node + 4; /* NUL-terminated: tag_at checked */
}

/* The child of parent named name[0..len); without '@' in name, "name@unit" matches too. */
static int subnode(const struct fdt_ctx *c, int parent, const char *name, size_t len)
{
	int has_at = 0, child;
	const char *n;

	for (size_t i = 0; i < len; i++)
		if (name[i] == '@')
			has_at = 1;
	for (child = first_child(c, parent); child >= 0; child = next_sibling(c, child)) {
		n = node_name(c, child);
		if (n == NULL)
			return FDT_ERR_BADSTRUCT;
		if (f_strnlen(n, len + 1) < len || !f_memeq(n, name, len))
			continue;
		if (n[len] == '\0' || (!has_at && n[len] == '@'))
			return child;
	}
	return child;
}

/* Resolve path[0..len) from root; no alias handling. */
static int walk_path(const struct fdt_ctx *c, int node, const char *p, const char *end)
{
	const char *q;

	while (p < end && node >= 0) {
		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		for (q = p; q < end && *q != '/'; q++)
			;
		node = subnode(c, node, p, (size_t)(q - p));
		p = q;
	}
	return node;
}

static int path_offset(const struct fdt_ctx *c, const char *path, size_t len)
{
	const char *end = path + len, *q;
	const uint8_t *v;
	int root, aliases, vlen, node;

	if (len == 0)
		return FDT_ERR_BADVALUE;
	root = root_of(c);
	if (root < 0)
		return root;
	if (path[0] == '/')
		return walk_path(c, root, path, end);

	/* "alias/rest": the alias's value must itself be an absolute path. */
	for (q = path; q < end && *q != '/'; q++)
		;
	aliases = subnode(c, root, "aliases", 7);
	if (aliases < 0)
		return aliases;
	v = getprop(c, aliases, path, (size_t)(q - path), &vlen);
	if (v == NULL)
		return vlen;
	if (vlen < 1 || v[0] != '/')
		return FDT_ERR_BADVALUE;
	node = walk_path(c, root, (const char *)v,
			 (const char *)v + f_strnlen((const char *)v, (size_t)vlen));
	return node < 0 ? node : walk_path(c, node, q, end);
}

/* Parent by two linear scans: find node's depth, then the last node one level up. */
static int parent_of(const struct fdt_ctx *c, int node)
{
	int root, off, depth, target = -1, parent = FDT_ERR_NOTFOUND;

	root = root_of(c);
	if (root < 0)
		return root;
	if (node == root)
		return FDT_ERR_NOTFOUND;
	depth = 0;
	for (off = root; off >= 0 && off != node; off = next_node(c, off, &depth))
		;
	if (off < 0)
		return off == FDT_ERR_NOTFOUND ? FDT_ERR_BADOFFSET : off;
	target = depth;
	depth = 0;
	for (off = root; off >= 0 && off != node; off = next_node(c, off, &depth))
		if (depth == target - 1)
			parent = off;
	return parent;
}

static int cells(const struct fdt_ctx *c, int node, const char *name, uint32_t dflt)
{
	uint32_t v;
	int r = prop_u32(c, node, name, &v);

	if (r == FDT_ERR_NOTFOUND)
		return (int)dflt;
	if (r < 0)
		return r;
	return v <= 4 ? (int)v : FDT_ERR_BADVALUE;
}

static int reg_of(const struct fdt_ctx *c, int node, int idx, uint64_t *base, uint64_t *size)
{
	int parent, ac = 2, sc = 1, len, stride;
	const uint8_t *v;

	if (idx < 0)
		return FDT_ERR_BADVALUE;
	v = prop(c, node, "reg", &len);
	if (v == NULL)
		return len;
	parent = parent_of(c, node);
	if (parent >= 0) {
		ac = cells(c, parent, "#address-cells", 2);
		sc = cells(c, parent, "#size-cells", 1);
		if (ac < 0)
			return ac;
		if (sc < 0)
			return sc;
	} else if (parent != FDT_ERR_NOTFOUND) {
		return parent;
	}
	if (ac < 1 || ac > 2 || sc > 2)
		return FDT_ERR_BADVALUE;
	stride = (ac + sc) * 4;
	if (len % stride != 0)
		return FDT_ERR_BADVALUE;
	if (idx >= len / stride)
		return FDT_ERR_NOTFOUND;
	v += (size_t)idx * (size_t)stride;
	if (base)
		*base = fdt_read_cells(v, ac);
	if (size)
		*size = sc ? fdt_read_cells(v + ac * 4, sc) : 0;
	return 0;
}

static int node_by_phandle(const struct fdt_ctx *c, uint32_t ph)
{
	uint32_t v;
	int off, depth = 0;

	if (ph == 0 || ph == 0xffffffffu)
		return FDT_ERR_NOTFOUND;
	for (off = root_of(c); off >= 0; off = next_node(c, off, &depth))
		if ((prop_u32(c, off, "phandle", &v) == 0 && v == ph) ||
		    (prop_u32(c, off, "linux,phandle", &v) == 0 && v == ph))
			return off;
	return off;
}

/* ---- public API ---- */

int fdt_check(const void *blob, size_t maxlen)
{
	struct fdt_ctx c;
	uint32_t rsv, tag, nameoff;
	uint64_t o;
	int r, off, next, depth, closed;

	if (blob == NULL)
		return FDT_ERR_BADVALUE;
	if (maxlen < 4)
		return FDT_ERR_TRUNCATED;
	if (hdr(blob, H_MAGIC) != FDT_MAGIC)
		return FDT_ERR_BADMAGIC;
	if (maxlen < HDR_SIZE || hdr(blob, H_TOTALSIZE) > maxlen)
		return FDT_ERR_TRUNCATED;
	r = ctx_init(blob, &c);
	if (r < 0)
		return r;

	/* The memory reservation map: 16-byte entries up to an all-zero one. */
	rsv = hdr(blob, H_OFF_RSVMAP);
	if (rsv < HDR_SIZE || (rsv & 7) != 0)
		return FDT_ERR_BADVALUE;
	for (o = rsv;; o += 16) {
		if (o + 16 > c.total)
			return FDT_ERR_TRUNCATED;
		if (read_u64(c.base + o) == 0 && read_u64(c.base + o + 8) == 0)
			break;
	}

	/* The structure block: NOPs, one root node, well nested, then FDT_END. */
	off = root_of(&c);
	if (off < 0)
		return off;
	depth = 0;
	closed = 0;
	for (;; off = next) {
		r = tag_at(&c, off, &tag, &next);
		if (r < 0)
			return r;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (closed) /* a second root */
				return FDT_ERR_BADSTRUCT;
			depth++;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return FDT_ERR_BADSTRUCT;
			if (--depth == 0)
				closed = 1;
			break;
		case FDT_PROP:
			if (depth == 0)
				return FDT_ERR_BADSTRUCT;
			nameoff = fdt_read_u32(c.st + off + 8);
			if (f_strnlen((const char *)c.str + nameoff, c.str_len - nameoff) ==
			    c.str_len - nameoff)
				return FDT_ERR_BADSTRUCT; /* name runs off the strings block */
			break;
		case FDT_END:
			return closed ? 0 : FDT_ERR_BADSTRUCT;
		default: /* FDT_NOP */
			break;
		}
	}
}

uint32_t fdt_totalsize(const void *blob)
{
	if (blob == NULL || hdr(blob, H_MAGIC) != FDT_MAGIC)
		return 0;
	return hdr(blob, H_TOTALSIZE);
}

uint32_t fdt_boot_cpuid(const void *blob)
{
	if (blob == NULL || hdr(blob, H_MAGIC) != FDT_MAGIC)
		return 0;
	return hdr(blob, H_BOOT_CPUID);
}

int fdt_get_mem_rsv(const void *blob, int idx, uint64_t *addr, uint64_t *size)
{
	struct fdt_ctx c;
	uint64_t o, a, s;
	int r = ctx_init(blob, &c), i;

	if (r < 0)
		return r;
	if (idx < 0)
		return FDT_ERR_BADVALUE;
	o = hdr(blob, H_OFF_RSVMAP);
	for (i = 0;; i++, o += 16) {
		if (o < HDR_SIZE || o + 16 > c.total)
			return FDT_ERR_TRUNCATED;
		a = read_u64(c.base + o);
		s = read_u64(c.base + o + 8);
		if (a == 0 && s == 0)
			return FDT_ERR_NOTFOUND;
		if (i == idx) {
			if (addr)
				*addr = a;
			if (size)
				*size = s;
			return 0;
		}
	}
}

int fdt_num_mem_rsv(const void *blob)
{
	int i, r;

	for (i = 0; (r = fdt_get_mem_rsv(blob, i, NULL, NULL)) == 0; i++)
		;
	return r == FDT_ERR_NOTFOUND ? i : r;
}

int fdt_path_offset(const void *blob, const char *path)
{
	if (path == NULL)
		return FDT_ERR_BADVALUE;
	return fdt_path_offset_len(blob, path, f_strlen(path));
}

int fdt_path_offset_len(const void *blob, const char *path, size_t len)
{
	struct fdt_ctx c;
	int r = ctx_init(blob, &c);

	if (r < 0)
		return r;
	if (path == NULL)
		return FDT_ERR_BADVALUE;
	return path_offset(&c, path, len);
}

int fdt_root(const void *blob)
{
	struct fdt_ctx c;
	int r = ctx_init(blob, &c);

	return r < 0 ? r : root_of(&c);
}

int fdt_first_child(const void *blob, int node)
{
	struct fdt_ctx c;
	int r = ctx_init(blob, &c);

	return r < 0 ? r : first_child(&c, node);
}

int fdt_next_sibling(const void *blob, int node)
{
	struct fdt_ctx c;
	int r = ctx_init(blob, &c);

	return r < 0 ? r : next_sibling(&c, node);
}

int fdt_parent(const void *blob, int node)
{
	struct fdt_ctx c;
	int r = ctx_init(blob, &c);

	return r < 0 ? r : parent_of(&c, node);
}

int fdt_next_node(const void *blob, int node)
{
	struct fdt_ctx c;
	int depth = 0, r = ctx_init(blob, &c);

	if (r < 0)
		return r;
	return node == -1 ? root_of(&c) : next_node(&c, node, &depth);
}

const char *fdt_node_name(const void *blob, int node)
{
	struct fdt_ctx c;

	if (ctx_init(blob, &c) < 0)
		return NULL;
	return node_name(&c, node);
}

const void *fdt_getprop(const void *blob, int node, const char *name, int *lenp)
{
	struct fdt_ctx c;
	int r = ctx_init(blob, &c);

	if (r == 0 && name == NULL)
		r = FDT_ERR_BADVALUE;
	if (r < 0) {
		if (lenp)
			*lenp = r;
		return NULL;
	}
	return prop(&c, node, name, lenp);
}

int fdt_getprop_u32(const void *blob, int node, const char *name, uint32_t *out)
{
	struct fdt_ctx c;
	int r = ctx_init(blob, &c);

	if (r < 0)
		return r;
	if (name == NULL || out == NULL)
		return FDT_ERR_BADVALUE;
	return prop_u32(&c, node, name, out);
}

int fdt_prop_is(const void *blob, int node, const char *name, const char *str)
{
	struct fdt_ctx c;
	const uint8_t *v;
	int len, r = ctx_init(blob, &c);

	if (r < 0)
		return r;
	if (name == NULL || str == NULL)
		return FDT_ERR_BADVALUE;
	v = prop(&c, node, name, &len);
	if (v == NULL)
		return len == FDT_ERR_NOTFOUND ? 0 : len;
	return val_is(v, len, str);
}

int fdt_is_compatible(const void *blob, int node, const char *compat)
{
	struct fdt_ctx c;
	int r = ctx_init(blob, &c);

	if (r < 0)
		return r;
	if (compat == NULL)
		return FDT_ERR_BADVALUE;
	return is_compatible(&c, node, compat);
}

int fdt_next_compatible(const void *blob, int after, const char *compat)
{
	struct fdt_ctx c;
	int off, depth = 0, r = ctx_init(blob, &c);

	if (r < 0)
		return r;
	if (compat == NULL || after < -1)
		return FDT_ERR_BADVALUE;
	off = after == -1 ? root_of(&c) : next_node(&c, after, &depth);
	for (; off >= 0; off = next_node(&c, off, &depth)) {
		r = is_compatible(&c, off, compat);
		if (r != 0)
			return r > 0 ? off : r;
	}
	return off;
}

int fdt_node_by_phandle(const void *blob, uint32_t phandle)
{
	struct fdt_ctx c;
	int r = ctx_init(blob, &c);

	return r < 0 ? r : node_by_phandle(&c, phandle);
}

int fdt_address_cells(const void *blob, int node)
{
	struct fdt_ctx c;
	int next, r = ctx_init(blob, &c);

	if (r == 0)
		r = node_at(&c, node, &next);
	return r < 0 ? r : cells(&c, node, "#address-cells", 2);
}

int fdt_size_cells(const void *blob, int node)
{
	struct fdt_ctx c;
	int next, r = ctx_init(blob, &c);

	if (r == 0)
		r = node_at(&c, node, &next);
	return r < 0 ? r : cells(&c, node, "#size-cells", 1);
}

int fdt_reg(const void *blob, int node, int idx, uint64_t *base, uint64_t *size)
{
	struct fdt_ctx c;
	int r = ctx_init(blob, &c);

	return r < 0 ? r : reg_of(&c, node, idx, base, size);
}

/* ---- fdt_platform_parse ---- */

static void add_range(struct fdt_range *arr, int *n, int max, uint64_t base, uint64_t size)
{
	if (size == 0 || *n >= max)
		return;
	arr[*n].base = base;
	arr[*n].size = size;
	(*n)++;
}

static void add_regs(const struct fdt_ctx *c, int node, struct fdt_range *arr, int *n, int max)
{
	uint64_t base, size;

	for (int i = 0; reg_of(c, node, i, &base, &size) == 0; i++)
		add_range(arr, n, max, base, size);
}

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* does the NUL-free piece [v, v+n) spell ext (lower case), whatever its case? */
static int ext_is(const uint8_t *v, size_t n, const char *ext)
{
	size_t i;
	for (i = 0; i < n && ext[i]; i++)
		if (lower(v[i]) != ext[i])
			return 0;
	return i == n && !ext[i];
}

/*
 * Does a cpu node name the multi-letter extension ext?  "riscv,isa-extensions"
 * lists one per string; the older "riscv,isa" runs them on after the base
 * letters, each behind an underscore ("rv64imafdc_zicsr_sstc").
 */
static int hart_has_ext(const struct fdt_ctx *c, int cpu, const char *ext)
{
	const uint8_t *v;
	int len;
	size_t i, start;

	v = prop(c, cpu, "riscv,isa-extensions", &len);
	if (v != NULL) {
		for (i = start = 0; i < (size_t)len; i++) {
			if (v[i] != 0)
				continue;
			if (ext_is(v + start, i - start, ext))
				return 1;
			start = i + 1;
		}
		return 0;
	}
	v = prop(c, cpu, "riscv,isa", &len);
	if (v == NULL)
		return 0;
	for (i = 0; i < (size_t)len && v[i] && v[i] != '_'; i++)
		;
	while (i < (size_t)len && v[i] == '_') {
		start = ++i;
		while (i < (size_t)len && v[i] && v[i] != '_')
			i++;
		if (ext_is(v + start, i - start, ext))
			return 1;
	}
	return 0;
}

/* A cpu node's local interrupt controller: its phandle and #interrupt-cells. */
struct intc {
	uint32_t phandle;
	int ncells;
};

static void parse_hart(const struct fdt_ctx *c, int cpu, struct fdt_platform *out,
		       struct intc *intc)
{
	struct fdt_hart *h;
	struct intc *ic;
	const uint8_t *v;
	uint64_t id;
	int len, child;
	uint32_t ph, hz;

	out->ncpus++;
	if (out->nharts >= FDT_MAX_HARTS || reg_of(c, cpu, 0, &id, NULL) < 0)
		return;
	h = &out->harts[out->nharts];
	ic = &intc[out->nharts];
	out->nharts++;
	h->hartid = (uint32_t)id;
	h->plic_sctx = -1;
	v = prop(c, cpu, "mmu-type", &len);
	h->smode = v != NULL && len >= 8 && f_memeq(v, "riscv,sv", 8);
	v = prop(c, cpu, "status", &len);
	if (v != NULL && !val_is(v, len, "okay") && !val_is(v, len, "ok"))
		h->smode = 0;
	h->sstc = hart_has_ext(c, cpu, "sstc");
	if (out->timebase_hz == 0 && prop_u32(c, cpu, "timebase-frequency", &hz) == 0)
		out->timebase_hz = hz;

	for (child = first_child(c, cpu); child >= 0; child = next_sibling(c, child)) {
		if (prop(c, child, "interrupt-controller", NULL) == NULL ||
		    prop_u32(c, child, "phandle", &ph) < 0)
			continue;
		ic->phandle = ph;
		ic->ncells = cells(c, child, "#interrupt-cells", 1);
		break;
	}
}

/* Map each PLIC context (one interrupts-extended entry each) to its hart's S-mode slot. */
static void parse_plic_contexts(const struct fdt_ctx *c, int plic, struct fdt_platform *out,
				const struct intc *intc)
{
	const uint8_t *v;
	int len, ctx, ncells, h, node;
	size_t pos;
	uint32_t ph;

	v = prop(c, plic, "interrupts-extended", &len);
	if (v == NULL)
		return;
	for (pos = 0, ctx = 0; pos + 4 <= (size_t)len; pos += 4 + 4 * (size_t)ncells, ctx++) {
		ph = fdt_read_u32(v + pos);
		for (h = 0; h < out->nharts && (ph == 0 || intc[h].phandle != ph); h++)
			;
		if (h < out->nharts) {
			ncells = intc[h].ncells;
		} else {
			/* Not a hart we keep (or a dangling phandle): just step over it. */
			node = node_by_phandle(c, ph);
			ncells = node >= 0 ? cells(c, node, "#interrupt-cells", 1) : 1;
		}
		if (ncells < 1 || pos + 4 + 4 * (size_t)ncells > (size_t)len)
			return;
		if (h < out->nharts && fdt_read_u32(v + pos + 4) == IRQ_S_EXT &&
		    out->harts[h].plic_sctx < 0)
			out->harts[h].plic_sctx = ctx;
	}
}

static int is_uart(const struct fdt_ctx *c, int node)
{
	return is_compatible(c, node, "ns16550a") > 0 || is_compatible(c, node, "sifive,uart0") > 0;
}

/* Fill u from node; 0, or an error (and u untouched) if node has no reg. */
static int parse_uart(const struct fdt_ctx *c, int node, struct fdt_uart *u)
{
	static const char *const known[] = { "ns16550a", "sifive,uart0" };
	uint64_t base, size, hz;
	const uint8_t *v;
	uint32_t w;
	int len, r, clk;

	r = reg_of(c, node, 0, &base, &size);
	if (r < 0)
		return r;
	f_zero(u, sizeof(*u));
	u->base = base;
	u->size = size;
	u->present = 1;

	v = prop(c, node, "compatible", &len);
	if (v != NULL && len > 0) {
		const char *pick = (const char *)v;
		size_t plen = (size_t)len;

		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
			if (list_has(v, len, known[i], f_strlen(known[i]))) {
				pick = known[i];
				plen = f_strlen(known[i]);
				break;
			}
		}
		f_strlcpy(u->compat, sizeof(u->compat), pick, plen);
	}

	v = prop(c, node, "interrupts", &len);
	if (v != NULL && len >= 4)
		u->irq = fdt_read_u32(v);
	else if ((v = prop(c, node, "interrupts-extended", &len)) != NULL && len >= 8)
		u->irq = fdt_read_u32(v + 4);

	if (prop_num(c, node, "clock-frequency", &hz) == 0) {
		u->clock_hz = (uint32_t)hz;
	} else if ((v = prop(c, node, "clocks", &len)) != NULL && len >= 4) {
		/* A fixed clock (#clock-cells = 0) states its rate; others we can't know. */
		clk = node_by_phandle(c, fdt_read_u32(v));
		if (clk >= 0 && prop_u32(c, clk, "#clock-cells", &w) == 0 && w == 0 &&
		    prop_num(c, clk, "clock-frequency", &hz) == 0)
			u->clock_hz = (uint32_t)hz;
	}
	return 0;
}

static void parse_chosen(const struct fdt_ctx *c, int root, struct fdt_platform *out)
{
	const uint8_t *v;
	size_t n, i;
	int chosen, len, node;

	chosen = subnode(c, root, "chosen", 6);
	if (chosen < 0)
		return;
	v = prop(c, chosen, "stdout-path", &len);
	if (v == NULL)
		v = prop(c, chosen, "linux,stdout-path", &len);
	if (v != NULL && len > 0) {
		n = f_strnlen((const char *)v, (size_t)len);
		for (i = 0; i < n && v[i] != ':'; i++)
			;
		if (i > 0) {
			node = path_offset(c, (const char *)v, i);
			if (node >= 0)
				(void)parse_uart(c, node, &out->uart);
		}
	}
	(void)prop_num(c, chosen, "linux,initrd-start", &out->initrd_start);
	(void)prop_num(c, chosen, "linux,initrd-end", &out->initrd_end);
}

int fdt_platform_parse(const void *blob, size_t maxlen, struct fdt_platform *out)
{
	struct fdt_ctx c;
	struct intc intc[FDT_MAX_HARTS];
	uint64_t a, s;
	const uint8_t *v;
	int r, root, node, depth, len, plic = -1, uart = -1;

	if (out == NULL)
		return FDT_ERR_BADVALUE;
	f_zero(out, sizeof(*out));
	f_zero(intc, sizeof(intc));
	r = fdt_check(blob, maxlen);
	if (r < 0)
		return r;
	r = ctx_init(blob, &c);
	if (r < 0)
		return r;
	root = root_of(&c);
	if (root < 0)
		return root;

	v = prop(&c, root, "model", &len);
	if (v != NULL && len > 0)
		f_strlcpy(out->model, sizeof(out->model), (const char *)v, (size_t)len);

	for (int i = 0; fdt_get_mem_rsv(blob, i, &a, &s) == 0; i++)
		add_range(out->resv, &out->nresv, FDT_MAX_RESV, a, s);
	node = subnode(&c, root, "reserved-memory", 15);
	for (node = node >= 0 ? first_child(&c, node) : node; node >= 0;
	     node = next_sibling(&c, node))
		add_regs(&c, node, out->resv, &out->nresv, FDT_MAX_RESV);

	node = subnode(&c, root, "cpus", 4);
	if (node >= 0)
		(void)prop_u32(&c, node, "timebase-frequency", &out->timebase_hz);

	/* One walk over every node, in tree order. */
	depth = 0;
	for (node = root; node >= 0; node = next_node(&c, node, &depth)) {
		v = prop(&c, node, "device_type", &len);
		if (val_is(v, len, "memory"))
			add_regs(&c, node, out->mem, &out->nmem, FDT_MAX_MEM);
		else if (val_is(v, len, "cpu"))
			parse_hart(&c, node, out, intc);
		if (plic < 0 && (is_compatible(&c, node, "riscv,plic0") > 0 ||
				 is_compatible(&c, node, "sifive,plic-1.0.0") > 0))
			plic = node;
		if (uart < 0 && is_uart(&c, node))
			uart = node;
	}

	if (plic >= 0 && reg_of(&c, plic, 0, &out->plic_base, &out->plic_size) == 0) {
		out->plic_present = 1;
		(void)prop_u32(&c, plic, "riscv,ndev", &out->plic_ndev);
		parse_plic_contexts(&c, plic, out, intc);
	}

	parse_chosen(&c, root, out);
	if (!out->uart.present && uart >= 0)
		(void)parse_uart(&c, uart, &out->uart);
	return 0;
}
