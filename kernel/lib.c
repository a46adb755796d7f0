/* The few string functions the kernel needs (no libc in S-mode). */
#include "kernel.h"

/* word access that may alias anything (the callers' buffers are bytes) */
typedef uint64_t __attribute__((may_alias)) word_t;

/*
 * memset and memcpy move 8 bytes at a time, 64 per loop turn, once the
 * destination is aligned: page zeroing and the copies of exec and
 * copy-on-write are most of what a fork+exec costs.
 */
void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;
	uint64_t v = (uint8_t)c * 0x0101010101010101ull;
	while (n && ((uintptr_t)p & 7)) {
		*p++ = (uint8_t)c;
		n--;
	}
	word_t *w = (word_t *)p;
	for (; n >= 64; n -= 64, w += 8) {
		w[0] = v; w[1] = v; w[2] = v; w[3] = v;
		w[4] = v; w[5] = v; w[6] = v; w[7] = v;
	}
	for (; n >= 8; n -= 8)
		*w++ = v;
	p = (uint8_t *)w;
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;
	if (n >= 16) {
		while ((uintptr_t)dp & 7) {
			*dp++ = *sp++;
			n--;
		}
		unsigned off = (uintptr_t)sp & 7;
		word_t *dw = (word_t *)dp;
		size_t words = n / 8;
		if (off == 0) {
			const word_t *sw = (const word_t *)sp;
			size_t i = 0;
			for (; i + 8 <= words; i += 8) {
				dw[i] = sw[i]; dw[i + 1] = sw[i + 1]; dw[i + 2] = sw[i + 2]; dw[i + 3] = sw[i + 3];
				dw[i + 4] = sw[i + 4]; dw[i + 5] = sw[i + 5]; dw[i + 6] = sw[i + 6]; dw[i + 7] = sw[i + 7];
			}
			for (; i < words; i++)
				dw[i] = sw[i];
		} else {
			/*
			 * The source is off bytes past a word boundary: read aligned
			 * words and shift neighbours together (little-endian).  The
			 * last read may take bytes past the source's end, but only
			 * within its aligned word, so never from another page.
			 */
			const word_t *sw = (const word_t *)(sp - off);
			unsigned rs = off * 8, ls = 64 - rs;
			uint64_t cur = sw[0];
			size_t i = 0;
			/* four at a time (an archive member is only 4-byte aligned: exec copies its text this way) */
			for (; i + 4 <= words; i += 4) {
				uint64_t n0 = sw[i + 1], n1 = sw[i + 2], n2 = sw[i + 3], n3 = sw[i + 4];
				dw[i] = (cur >> rs) | (n0 << ls);
				dw[i + 1] = (n0 >> rs) | (n1 << ls);
				dw[i + 2] = (n1 >> rs) | (n2 << ls);
				dw[i + 3] = (n2 >> rs) | (n3 << ls);
				cur = n3;
			}
			for (; i < words; i++) {
				uint64_t next = sw[i + 1];
				dw[i] = (cur >> rs) | (next << ls);
				cur = next;
			}
		}
		dp += words * 8;
		sp += words * 8;
		n -= words * 8;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;
	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (uint8_t)*a - (uint8_t)*b;
}
