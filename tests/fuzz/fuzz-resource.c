// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/iomem and BAR `resource` lines: each line of the input through iomem_line_parse() and
 * bar_line_parse(); a parsed name is NUL-terminated inside its buffer, without the newline.
 */
#include "fuzz.h"
#include "resource.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *line, *next, name[64];
	uint64_t s, e, f;

	fuzz_quiet();
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		memset(name, 'x', sizeof(name));
		if (iomem_line_parse(line, &s, &e, name, sizeof(name)) == 0) {
			FUZZ_ASSERT(memchr(name, '\0', sizeof(name)) != NULL);
			FUZZ_ASSERT(!strchr(name, '\n'));
		}
		bar_line_parse(line, &s, &e, &f);
	}
	free(text);
	return 0;
}
