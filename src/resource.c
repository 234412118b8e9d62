// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address ranges as the kernel prints them: /proc/iomem lines and the lines of a PCI device's
 * `resource` file. Parsers only (fb.c reads the files); kept apart so tests/fuzz can feed them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "resource.h"

int iomem_line_parse(const char *line, uint64_t *start, uint64_t *end, char *name, size_t size)
{
	const char *sep;
	size_t n;

	if (sscanf(line, " %" SCNx64 "-%" SCNx64, start, end) != 2)
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
	return sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64, start, end, flags) == 3 ? 0 :
										   -EINVAL;
}
