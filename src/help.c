// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The --help text is generated from man/vfio-bind.8 by man/gen-help.awk (Makefile rules for
 * build/gen/help-text*.h), so --help and the man page cannot say different things: edit the
 * man page, not this file.
 *
 * The static binary carries it gzip-compressed (VB_HELP_GZ) and inflates it with the zlib it
 * links for .ko.gz modules anyway: 7.5 KiB of text is 2.5 KiB compressed, and the binary is
 * held to 224 KiB (tests/unit/cases/static-binary.sh).
 */
#include <errno.h>
#include <string.h>

#include "help.h"

/* the column where a command's description starts (man/gen-help.awk's COL) */
#define HELP_COL	24

/*
 * @cmd's part of the help: its entry under "Commands:" (the tag as the usage line, then its
 * paragraph) and the closing lines. -ENOENT when there is no such command.
 */
static int print_part(FILE *f, const char *text, size_t len, const char *cmd)
{
	const char *end = text + len, *p, *nl, *usage = NULL, *see = NULL;
	size_t n = strlen(cmd);

	for (p = text; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		if (!see && nl - p > 4 && !memcmp(p, "See ", 4))
			see = p;
		if (!usage && nl - p > (long)n + 2 && !memcmp(p, "  ", 2) &&
		    !memcmp(p + 2, cmd, n) && (p[n + 2] == ' ' || p + n + 2 == nl))
			usage = p;
	}
	if (!usage)
		return -ENOENT;
	for (p = usage; p < end; p = nl + 1) {
		const char *desc = p;

		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		/* the entry ends at the next tag or a blank line */
		if (p != usage && (nl == p || p[2] != ' '))
			break;
		if (p == usage) {
			const char *tag_end = p + 2;

			while (tag_end < nl && !(tag_end[0] == ' ' && tag_end[1] == ' '))
				tag_end++;
			fprintf(f, "Usage: vfio-bind [OPTIONS] %.*s\n", (int)(tag_end - p - 2), p + 2);
			/* a long tag has a line of its own */
			if (tag_end == nl)
				continue;
			desc = p + HELP_COL;
		} else {
			desc = p + HELP_COL < nl ? p + HELP_COL : nl;
		}
		fprintf(f, "  %.*s\n", (int)(nl - desc), desc);
	}
	fprintf(f, "\nThe options are in 'vfio-bind --help'.\n%.*s", see ? (int)(end - see) : 0, see);
	return ferror(f) ? -EIO : 0;
}

#ifdef VB_HELP_GZ
#include <zlib.h>

#include "help-text-gz.h"

int help_print(FILE *f, const char *cmd)
{
	static unsigned char text[VB_HELP_LEN];
	z_stream z = {
		.next_in = (unsigned char *)vb_help_gz,
		.avail_in = sizeof(vb_help_gz),
		.next_out = text,
		.avail_out = sizeof(text),
	};
	int err;

	/* 16 + MAX_WBITS: a gzip stream */
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	err = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	if (err != Z_STREAM_END || z.total_out != sizeof(text))
		return -EIO;
	if (cmd)
		return print_part(f, (const char *)text, sizeof(text), cmd);
	return fwrite(text, 1, sizeof(text), f) == sizeof(text) ? 0 : -EIO;
}
#else
#include "help-text.h"

int help_print(FILE *f, const char *cmd)
{
	if (cmd)
		return print_part(f, VB_HELP_TEXT, sizeof(VB_HELP_TEXT) - 1, cmd);
	return fputs(VB_HELP_TEXT, f) < 0 ? -EIO : 0;
}
#endif
