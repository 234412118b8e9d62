// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel command line and the vfio_bind.* settings: cmdline_parse() on any bytes (up to the
 * first NUL, as the kernel would), with the request's own limits checked afterwards.
 */
#include "cmdline.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request req;
	char *line = fuzz_str(data, size), fmt[160];
	size_t i;

	fuzz_quiet();
	request_init(&req);
	cmdline_parse(&req, line);
	FUZZ_ASSERT(req.nsel <= 256);
	FUZZ_ASSERT(req.nbadsel <= req.nerrors);
	FUZZ_ASSERT(req.on_fail == ON_FAIL_RELEASE || req.on_fail == ON_FAIL_KEEP);
	FUZZ_ASSERT(strlen(req.blacklist) < sizeof(req.blacklist));
	for (i = 0; i < req.nsel; i++) {
		FUZZ_ASSERT(strlen(req.sel[i].text) <= SEL_TEXT_MAX);
		selector_format(&req.sel[i], fmt, sizeof(fmt));
	}
	request_free(&req);
	free(line);
	return 0;
}
