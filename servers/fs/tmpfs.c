/*
 * /tmp file data: a table of FS_BLOCK-byte blocks per file, a NULL entry
 * being a hole that reads as zeros.  Blocks keep the heap from fragmenting
 * the way one growing buffer per file would.
 *
 * Budgets (struct fs): tmp_data counts data blocks against tmp_data_max,
 * tmp_meta counts nodes and block tables against tmp_meta_max.  Running out
 * of either, or of heap, is ENOSPC.
 *
 * Invariant: bytes of a block past n_size are zero, so growing a file (a
 * write past the end, ftruncate up) exposes zeros without touching them.
 */
#include <string.h>
#include "fs.h"

#define MAX_BLOCKS (FS_FILE_MAX / FS_BLOCK)

bool tmp_meta_take(struct fs *fs, size_t n)
{
	if (n > fs->tmp_meta_max - fs->tmp_meta)
		return false;
	fs->tmp_meta += n;
	return true;
}

void tmp_meta_give(struct fs *fs, size_t n)
{
	fs->tmp_meta -= n;
}

size_t tmp_read(const struct node *n, uint64_t off, char *buf, size_t max)
{
	size_t got = 0;

	if (off >= n->n_size)
		return 0;
	if (max > n->n_size - off)
		max = (size_t)(n->n_size - off);
	while (got < max) {
		uint64_t b = off / FS_BLOCK, o = off % FS_BLOCK;
		size_t chunk = FS_BLOCK - o < max - got ? FS_BLOCK - o : max - got;
		if (b < n->n_nblk && n->n_blk[b])
			memcpy(buf + got, n->n_blk[b] + o, chunk);
		else
			memset(buf + got, 0, chunk);
		got += chunk;
		off += chunk;
	}
	return got;
}

/* make n's block table hold at least need entries: 0 or ENOSPC */
static int table_grow(struct fs *fs, struct node *n, uint32_t need)
{
	uint32_t cap = n->n_nblk ? n->n_nblk : 4;
	char **t;

	while (cap < need)
		cap *= 2;
	if (cap > MAX_BLOCKS)
		cap = MAX_BLOCKS;
	if (!tmp_meta_take(fs, (cap - n->n_nblk) * sizeof(char *)))
		return ENOSPC;
	if (!(t = fs_zalloc(cap * sizeof(char *)))) {
		tmp_meta_give(fs, (cap - n->n_nblk) * sizeof(char *));
		return ENOSPC;
	}
	if (n->n_nblk)
		memcpy(t, n->n_blk, n->n_nblk * sizeof(char *));
	fs_free(n->n_blk);
	n->n_blk = t;
	n->n_nblk = cap;
	return 0;
}

/*
 * Write len bytes at off.  *done is how many went in: all of them, or fewer
 * when the budget ran out (return 0 if any went in, as a short write, else
 * ENOSPC) or the file would pass FS_FILE_MAX (EFBIG if off is there already).
 */
int tmp_write(struct fs *fs, struct node *n, uint64_t off, const char *buf, size_t len, size_t *done)
{
	uint32_t need;
	int err = 0;

	*done = 0;
	if (len == 0)
		return 0;
	if (off >= FS_FILE_MAX)
		return EFBIG;
	if (len > FS_FILE_MAX - off)
		len = (size_t)(FS_FILE_MAX - off);
	need = (uint32_t)((off + len + FS_BLOCK - 1) / FS_BLOCK);
	if (need > n->n_nblk && (err = table_grow(fs, n, need)))
		return err;
	while (*done < len) {
		uint64_t b = off / FS_BLOCK, o = off % FS_BLOCK;
		size_t chunk = FS_BLOCK - o < len - *done ? FS_BLOCK - o : len - *done;
		if (!n->n_blk[b]) {
			if (FS_BLOCK > fs->tmp_data_max - fs->tmp_data || !(n->n_blk[b] = fs_zalloc(FS_BLOCK))) {
				err = ENOSPC;
				break;
			}
			fs->tmp_data += FS_BLOCK;
		}
		memcpy(n->n_blk[b] + o, buf + *done, chunk);
		*done += chunk;
		off += chunk;
	}
	if (off > n->n_size)
		n->n_size = off;
	return *done ? 0 : err;
}

/* set n's size: blocks past it are freed, the rest of the last one zeroed; a
   file emptied loses its table.  0, or EFBIG past FS_FILE_MAX. */
int tmp_truncate(struct fs *fs, struct node *n, uint64_t len)
{
	uint32_t keep = (uint32_t)((len + FS_BLOCK - 1) / FS_BLOCK);

	if (len > FS_FILE_MAX)
		return EFBIG;
	for (uint32_t b = keep; b < n->n_nblk; b++) {
		if (n->n_blk[b]) {
			fs_free(n->n_blk[b]);
			n->n_blk[b] = NULL;
			fs->tmp_data -= FS_BLOCK;
		}
	}
	if (len % FS_BLOCK && keep <= n->n_nblk && n->n_blk[keep - 1])
		memset(n->n_blk[keep - 1] + len % FS_BLOCK, 0, FS_BLOCK - len % FS_BLOCK);
	if (len == 0 && n->n_blk) {
		fs_free(n->n_blk);
		tmp_meta_give(fs, n->n_nblk * sizeof(char *));
		n->n_blk = NULL;
		n->n_nblk = 0;
	}
	n->n_size = len;
	return 0;
}
