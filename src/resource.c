// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address ranges as the kernel prints them: /proc/iomem lines and the lines of a PCI device's
 * `resource` file. Parsers only (fb.c reads the files); kept apart so tests/fuzz can feed them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"

/* one hexadecimal number after optional blanks, as sscanf's %x takes it */
static int hex_u64(const char **p, uint64_t *v)
{
	const char *s = *p + strspn(*p, " \t");
	char *end;

	if (!*s || strchr("+-", *s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 16);
	if (end == s || errno)
		return -EINVAL;
	*p = end;
	return 0;
}

int iomem_line_parse(const char *line, uint64_t *start, uint64_t *end, char *name, size_t size)
{
	const char *sep;
	size_t n;

	if (hex_u64(&line, start) < 0 || *line++ != '-' || hex_u64(&line, end) < 0)
		return -EINVAL;
	sep = strstr(line, " : ");
	if (!sep || !size)
		return -EINVAL;
	sep += 3;
	n = strcspn(sep, "\n");
	if (!n)
		return -EINVAL;
	if (n >= size)
		n = size - 1;
	memcpy(name, sep, n);
	name[n] = '\0';
	return 0;
}

int bar_line_parse(const char *line, uint64_t *start, uint64_t *end, uint64_t *flags)
{
	if (hex_u64(&line, start) < 0 || hex_u64(&line, end) < 0 || hex_u64(&line, flags) < 0)
		return -EINVAL;
	return 0;
}
