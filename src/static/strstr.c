// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * strstr(3) for the static musl binary: the plain search, O(length of haystack x length of
 * needle). musl's is the two-way algorithm (linear time, 1.3 KiB); vfio-bind and libkmod look
 * for short needles in short strings (command lines, configuration lines, install commands).
 * tests/unit/test-libc.c compares it with musl's.
 */
#include <string.h>

char *strstr(const char *h, const char *n)
{
	size_t l = strlen(n);

	for (; *h || !l; h++)
		if (!strncmp(h, n, l))
			return (char *)h;
	return NULL;
}
