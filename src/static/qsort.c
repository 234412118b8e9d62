// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qsort(3) for the static musl binary: a heapsort, byte-wise swaps, O(n log n) with no
 * recursion and no memory of its own. musl's is smoothsort (about 2 KiB with its bit-twiddling
 * helpers), adaptive to sorted input, which vfio-bind's and libkmod's few dozen or hundred
 * elements do not need. Not stable, like musl's. tests/unit/test-libc.c checks its orders.
 */
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);

static void swap(char *a, char *b, size_t w)
{
	while (w--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* move element root down the heap of the first n elements until its children are not larger */
static void sift(char *base, size_t root, size_t n, size_t w, cmp_fn cmp)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + child * w, base + (child + 1) * w) < 0)
			child++;
		if (cmp(base + root * w, base + child * w) >= 0)
			return;
		swap(base + root * w, base + child * w, w);
		root = child;
	}
}

void qsort(void *base, size_t n, size_t w, cmp_fn cmp)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift(base, i, n, w, cmp);
	while (n-- > 1) {
		swap(base, (char *)base + n * w, w);
		sift(base, 0, n, w, cmp);
	}
}
