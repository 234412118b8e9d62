/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_RESOURCE_H
#define VB_RESOURCE_H

#include <stddef.h>
#include <stdint.h>

/*
 * One line of /proc/iomem: "  e0000000-efffffff : efifb" (any indentation). @name gets the
 * text after " : ", cut to @size - 1 bytes. Returns 0, or -EINVAL for any other line.
 */
int iomem_line_parse(const char *line, uint64_t *start, uint64_t *end, char *name, size_t size);
/* One line of a PCI device's `resource` file: "0x... 0x... 0x..." (start, end, flags). */
int bar_line_parse(const char *line, uint64_t *start, uint64_t *end, uint64_t *flags);

#endif
