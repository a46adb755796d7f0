/* main()'s arguments on a new image's stack: see args.h. */
#include <errno.h>
#include <string.h>
#include "args.h"

int args_layout(const char *strs, size_t len, uint64_t argc, uint64_t envc, uint64_t top,
		void *img, size_t imgmax, struct args_image *out)
{
	uint64_t nstr = argc + envc, seen = 0;
	size_t ptrs, size;
	uint64_t *vec = img;
	char *strbase;
	uint64_t base;

	if (argc > ARGS_MAX || envc > ARGS_MAX || (top & 15))
		return -EINVAL;
	/* exactly nstr strings, the last one ending at strs[len - 1] */
	for (size_t i = 0; i < len; i++)
		if (strs[i] == '\0')
			seen++;
	if (seen != nstr || (len && strs[len - 1] != '\0'))
		return -EINVAL;
	ptrs = (size_t)(nstr + 2) * sizeof(uint64_t);
	size = (ptrs + len + 15) & ~(size_t)15;
	if (size > ARGS_MAX || size > imgmax || size > top)
		return -E2BIG;
	base = top - size;
	strbase = (char *)img + ptrs;
	memset(img, 0, size);
	memcpy(strbase, strs, len);
	for (uint64_t i = 0, off = 0, slot = 0; i < nstr; i++) {
		if (i == argc)
			vec[slot++] = 0;                 /* argv's NULL */
		vec[slot++] = base + ptrs + off;
		off += strlen(strs + off) + 1;
	}
	if (nstr == argc)
		vec[argc] = 0;
	vec[nstr + 1] = 0;                       /* envp's NULL */
	out->sp = base;
	out->argv = base;
	out->envp = base + (argc + 1) * sizeof(uint64_t);
	out->argc = argc;
	out->envc = envc;
	out->size = size;
	return 0;
}

long path_clean(const char *path, char *dst, size_t max)
{
	size_t len = 0;

	if (!path || path[0] != '/' || max == 0)
		return -1;
	while (*path) {
		const char *c;
		size_t n;
		while (*path == '/')
			path++;
		c = path;
		while (*path && *path != '/')
			path++;
		n = (size_t)(path - c);
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (len > 0 && dst[len - 1] != '/')
				len--;
			if (len > 0)
				len--;              /* the '/' before it */
			continue;
		}
		if (len + (len ? 1 : 0) + n + 1 > max)
			return -1;
		if (len)
			dst[len++] = '/';
		memcpy(dst + len, c, n);
		len += n;
	}
	dst[len] = '\0';
	return (long)len;
}
