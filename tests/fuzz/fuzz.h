/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the libFuzzer harnesses: the input as a NUL-terminated heap copy of its exact size. */
#ifndef VB_FUZZ_H
#define VB_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Abort (a crash libFuzzer reports) when a property does not hold. */
#define FUZZ_ASSERT(c)	do { if (!(c)) abort(); } while (0)

static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static ssize_t fuzz_discard(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	(void)buf;
	return size;
}

/*
 * The program's log is formatted and written, line by line, to a stream that discards it.
 * Opening the kernel log first (a path that does not exist: no file is touched) starts the
 * per-run line cap from zero for each input; a stream left open would suppress, unformatted,
 * every line after the campaign's first 512.
 */
static inline void fuzz_quiet(void)
{
	static FILE *null;

	if (!null) {
		null = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = fuzz_discard });
		if (!null)
			abort();
	}
	log_open_kmsg("/nonexistent/vfio-bind-fuzz-kmsg");
	log_open_stream(null);
}

#endif
