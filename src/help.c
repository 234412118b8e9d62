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

#include "help.h"

#ifdef VB_HELP_GZ
#include <zlib.h>

#include "help-text-gz.h"

int help_print(FILE *f)
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
	return fwrite(text, 1, sizeof(text), f) == sizeof(text) ? 0 : -EIO;
}
#else
#include "help-text.h"

int help_print(FILE *f)
{
	return fputs(VB_HELP_TEXT, f) < 0 ? -EIO : 0;
}
#endif
