/* Find a file in a cpio "newc" archive (what the boot image carries). */
#include <string.h>
#include <stdlib.h>
#include "root.h"

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
		if (data + filesize > end || fname + namesize > end)
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
