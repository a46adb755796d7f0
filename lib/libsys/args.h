/*
 * main()'s arguments on a new image's stack (exec and spawn in the proc
 * server; host-tested in test/host/test_args.c).
 *
 * The request: argc + envc NUL-terminated strings one after another, argv's
 * first, in strs[0..len).  The image, which ends at `top` (a user address):
 *     sp -> argv[0] .. argv[argc-1], NULL, envp[0] .. envp[envc-1], NULL,
 *           the strings, padding to 16 bytes    <- top
 * with every pointer a user address inside it.
 */
#ifndef LIBSYS_ARGS_H
#define LIBSYS_ARGS_H
#include <stddef.h>
#include <stdint.h>

#define ARGS_MAX 16384           /* bytes of strings and pointers together */

struct args_image {
	uint64_t sp;                 /* where the image starts: the initial stack pointer */
	uint64_t argv, envp;         /* user addresses of the two arrays */
	uint64_t argc, envc;
	size_t size;                 /* bytes, a multiple of 16 */
};

/*
 * Lay the strings out in img (imgmax bytes) as they will sit below top.
 * Returns 0, -E2BIG (does not fit in imgmax or ARGS_MAX) or -EINVAL (the
 * strings are not argc + envc NUL-terminated ones filling strs exactly).
 */
int args_layout(const char *strs, size_t len, uint64_t argc, uint64_t envc, uint64_t top,
		void *img, size_t imgmax, struct args_image *out);

/*
 * An absolute path as the archive names it: no leading '/', "." and empty
 * components dropped, ".." taking the one before it away (never above the
 * root).  "/bin/./x", "//bin//x" and "/test/../bin/x" are all "bin/x".
 * Returns the length, or -1 if path is not absolute or dst (max bytes with
 * the NUL) is too small.
 */
long path_clean(const char *path, char *dst, size_t max);
#endif
