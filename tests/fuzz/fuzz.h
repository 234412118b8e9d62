/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the libFuzzer harnesses: the input as a NUL-terminated heap copy of its exact size. */
#ifndef VB_FUZZ_H
#define VB_FUZZ_H

#include <stdint.h>
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

/* the program's log goes nowhere: no stream, no kmsg */
static inline void fuzz_quiet(void)
{
	log_open_stream(NULL);
}

#endif
