/*
 * The tree: nodes, the boot archive turned into nodes, and path lookup.
 *
 *   /          the archive's directories and files, read-only
 *   /tmp       in RAM: files and directories made at run time (n_tmp)
 *   /dev       tty and console, nodes of kind FS_KIND_TTY; null (FS_KIND_NULL: reads
 *              see end-of-file, writes are taken whole and dropped)
 *
 * Archive files are never copied: a node points at its bytes in the archive
 * (cpio "newc", mapped read-only for as long as the server runs).  Archive
 * entries under tmp/ are ignored (/tmp is the RAM file system), as are
 * entries that are neither regular files nor directories, names with a "."
 * or ".." component or a component longer than FS_NAME_MAX, and entries that
 * clash with what is there (a file where a directory is, or the reverse);
 * fs->archive_skipped counts them.  A file named twice: the later entry wins,
 * as cpio -i would have it.
 *
 * A removed node (unlinked file, rmdir'ed directory) has n_parent NULL and
 * lives on until its last reference (an open file, a current directory) goes.
 */
#include <string.h>
#include "fs.h"

#define S_TYPE 0170000u
#define S_REG 0100000u
#define S_DIR 0040000u

bool node_dead(const struct node *n)
{
	return n->n_parent == NULL;
}

/* a new node in dir (NULL: the root) named name; /tmp nodes are charged to the
   metadata budget.  NULL when out of memory or budget. */
struct node *node_new(struct fs *fs, struct node *dir, const char *name, int kind, int mode, bool tmp)
{
	struct node *n;

	if (tmp && !tmp_meta_take(fs, sizeof(*n)))
		return NULL;
	if (!(n = fs_zalloc(sizeof(*n)))) {
		if (tmp)
			tmp_meta_give(fs, sizeof(*n));
		return NULL;
	}
	n->n_ino = fs->next_ino++;
	n->n_kind = (uint8_t)kind;
	n->n_tmp = tmp;
	n->n_mode = (uint16_t)(mode & 0777);
	strncpy(n->n_name, name, FS_NAME_MAX);
	if (!dir) {
		n->n_parent = n;
		return n;
	}
	n->n_parent = dir;
	if (dir->n_last)
		dir->n_last->n_next = n;
	else
		dir->n_child = n;
	dir->n_last = n;
	dir->n_nchild++;
	return n;
}

static void node_free(struct fs *fs, struct node *n)
{
	if (n->n_tmp) {
		tmp_truncate(fs, n, 0);
		tmp_meta_give(fs, sizeof(*n));
	}
	fs_free(n);
}

/* take n out of its directory; it is freed now or at its last node_put() */
void node_unlink(struct fs *fs, struct node *n)
{
	struct node *dir = n->n_parent, **pp, *prev = NULL;

	for (pp = &dir->n_child; *pp != n; pp = &(*pp)->n_next)
		prev = *pp;
	*pp = n->n_next;
	if (dir->n_last == n)
		dir->n_last = prev;
	dir->n_nchild--;
	n->n_parent = NULL;
	n->n_next = NULL;
	if (n->n_refs == 0)
		node_free(fs, n);
}

void node_get(struct node *n)
{
	n->n_refs++;
}

void node_put(struct fs *fs, struct node *n)
{
	if (--n->n_refs == 0 && node_dead(n))
		node_free(fs, n);
}

struct node *node_child(struct node *dir, const char *name)
{
	for (struct node *c = dir->n_child; c; c = c->n_next)
		if (strcmp(c->n_name, name) == 0)
			return c;
	return NULL;
}

/* one step of a walk: ".", "..", or an entry of dir; NULL if there is none */
static struct node *step(struct node *dir, const char *name)
{
	if (strcmp(name, ".") == 0)
		return dir;
	if (strcmp(name, "..") == 0)
		return dir->n_parent;           /* the root's is itself; a removed one's NULL */
	return node_child(dir, name);
}

/*
 * Resolve path (len bytes, not NUL-terminated; a NUL ends it early) from
 * p's current directory, or from the root if it starts with '/'.  Repeated
 * slashes count as one, "." and ".." are components like any other (the
 * root's ".." is the root).  Returns 0 with lk filled, lk->node NULL if only
 * the last component is missing (the caller decides between ENOENT and
 * creating it); or ENAMETOOLONG (path over FS_PATH_MAX, a component over
 * FS_NAME_MAX), ENOENT (empty path, a missing directory on the way), ENOTDIR
 * (a file on the way, or a trailing '/' after a file).
 */
int fs_lookup(struct fs *fs, struct fs_proc *p, const char *path, size_t len, struct lookup *lk)
{
	struct node *cur;
	size_t i = 0;

	if (len > FS_PATH_MAX)
		return ENAMETOOLONG;
	if (!path || (len = strnlen(path, len)) == 0)
		return ENOENT;
	cur = path[0] == '/' ? fs->root : p->p_cwd;
	lk->dir = cur;
	lk->name[0] = '\0';
	for (;;) {
		size_t start, n;
		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			break;
		for (start = i; i < len && path[i] != '/'; i++)
			;
		if ((n = i - start) > FS_NAME_MAX)
			return ENAMETOOLONG;
		if (!cur)
			return ENOENT;
		if (cur->n_kind != FS_KIND_DIR)
			return ENOTDIR;
		lk->dir = cur;
		memcpy(lk->name, path + start, n);
		lk->name[n] = '\0';
		cur = step(cur, lk->name);
	}
	lk->node = cur;
	lk->slash = path[len - 1] == '/';
	if (cur && lk->slash && cur->n_kind != FS_KIND_DIR)
		return ENOTDIR;
	return 0;
}

/* n's absolute path into buf (no NUL), at most max bytes: 0, ENOENT (n was
   removed), ENAMETOOLONG */
int fs_path_of(struct node *n, char *buf, size_t max, size_t *len)
{
	size_t total = 0, at;

	if (node_dead(n))
		return ENOENT;
	if (n->n_parent == n) {
		if (max < 1)
			return ENAMETOOLONG;
		buf[0] = '/';
		*len = 1;
		return 0;
	}
	for (struct node *c = n; c->n_parent != c; c = c->n_parent)
		total += 1 + strlen(c->n_name);
	if (total > max)
		return ENAMETOOLONG;
	at = total;
	for (struct node *c = n; c->n_parent != c; c = c->n_parent) {
		size_t l = strlen(c->n_name);
		at -= l;
		memcpy(buf + at, c->n_name, l);
		buf[--at] = '/';
	}
	*len = total;
	return 0;
}

/* ---- the archive ---- */

/* 8 hex digits; false if one is not */
static bool hex8(const char *p, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return false;
		*v = *v << 4 | (uint32_t)d;
	}
	return true;
}

/* one archive entry: path as written in the archive (NUL-terminated) */
static void archive_add(struct fs *fs, const char *path, uint32_t mode, const char *data, uint32_t size)
{
	uint32_t type = mode & S_TYPE;
	int kind = type == S_REG ? FS_KIND_FILE : FS_KIND_DIR;
	struct node *dir = fs->root, *n;
	char name[FS_NAME_MAX + 1];

	while (path[0] == '/' || (path[0] == '.' && path[1] == '/'))
		path++;
	if (path[0] == '\0' || strcmp(path, ".") == 0)
		return;                         /* the root itself */
	if (type != S_REG && type != S_DIR)
		goto skip;
	/* every component checked before anything is made */
	for (const char *c = path; *c;) {
		size_t l = strcspn(c, "/");
		if (l > FS_NAME_MAX || (c[0] == '.' && (l == 1 || (l == 2 && c[1] == '.'))))
			goto skip;
		for (c += l; *c == '/'; c++)
			;
	}
	for (;;) {
		size_t l = strcspn(path, "/");
		const char *rest = path + l;
		memcpy(name, path, l);
		name[l] = '\0';
		while (*rest == '/')
			rest++;
		n = node_child(dir, name);
		if (n == fs->tmp)
			goto skip;              /* /tmp is ours */
		if (*rest == '\0')
			break;
		/* a directory on the way, made if the archive names none */
		if (!n && !(n = node_new(fs, dir, name, FS_KIND_DIR, 0755, false)))
			goto skip;
		if (n->n_kind != FS_KIND_DIR)
			goto skip;
		dir = n;
		path = rest;
	}
	if (n && (n->n_kind != kind))
		goto skip;
	if (!n) {
		if (!(n = node_new(fs, dir, name, kind, (int)mode, false)))
			goto skip;
		if (kind == FS_KIND_FILE)
			fs->archive_files++;
	}
	n->n_mode = (uint16_t)(mode & 0777);
	if (kind == FS_KIND_FILE) {
		n->n_data = data;
		n->n_size = size;
	}
	return;
skip:
	fs->archive_skipped++;
}

/* walk the newc headers; a malformed one ends the archive */
static void archive_load(struct fs *fs, const char *a, size_t len)
{
	size_t off = 0;

	while (a && len - off >= 110) {
		const char *h = a + off, *name = h + 110;
		uint32_t mode, size, namesize;
		size_t data;

		if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2') ||
		    !hex8(h + 14, &mode) || !hex8(h + 54, &size) || !hex8(h + 94, &namesize))
			break;
		if (namesize == 0 || namesize > len - off - 110 || name[namesize - 1] != '\0')
			break;
		data = (off + 110 + namesize + 3) & ~(size_t)3;
		if (data > len || size > len - data)
			break;
		if (strcmp(name, "TRAILER!!!") == 0)
			break;
		archive_add(fs, name, mode, a + data, size);
		off = (data + size + 3) & ~(size_t)3;
		if (off > len)
			break;
	}
}

/*
 * Build the tree: the root, /tmp, /dev with its two ttys, then the archive
 * (len bytes at archive, which must stay mapped).  0, or ENOMEM if even the
 * fixed part cannot be made; archive entries that do not fit are skipped.
 */
int fs_init(struct fs *fs, const void *archive, size_t len)
{
	memset(fs, 0, sizeof(*fs));
	fs->next_ino = 1;
	fs->tmp_data_max = FS_TMP_DATA_MAX;
	fs->tmp_meta_max = FS_TMP_META_MAX;
	fs->npipes_max = FS_PIPES_MAX;
	fs->nwait_max = FS_WAIT_MAX;
	fs->held_max = FS_HELD_MAX;
	if (!(fs->root = node_new(fs, NULL, "", FS_KIND_DIR, 0755, false)) ||
	    !(fs->tmp = node_new(fs, fs->root, "tmp", FS_KIND_DIR, 0777, true)) ||
	    !(fs->dev = node_new(fs, fs->root, "dev", FS_KIND_DIR, 0755, false)) ||
	    !(fs->console = node_new(fs, fs->dev, "console", FS_KIND_TTY, 0620, false)) ||
	    !node_new(fs, fs->dev, "tty", FS_KIND_TTY, 0620, false) ||
	    !node_new(fs, fs->dev, "null", FS_KIND_NULL, 0666, false)) {
		tree_fini(fs);
		return ENOMEM;
	}
	archive_load(fs, archive, len);
	return 0;
}

static void tree_free(struct fs *fs, struct node *n)
{
	struct node *c = n->n_child, *next;

	for (; c; c = next) {
		next = c->n_next;
		tree_free(fs, c);
	}
	node_free(fs, n);
}

/* free every node still in the tree (fs_fini, after the processes) */
void tree_fini(struct fs *fs)
{
	if (fs->root)
		tree_free(fs, fs->root);
	fs->root = fs->tmp = fs->dev = fs->console = NULL;
}
