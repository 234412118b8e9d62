// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `vfio-bind remove` on a configuration file (confedit_remove()): the input's first line holds
 * the selectors to remove (comma separated, up to 4), the rest is the file. The oracle is the
 * boot's own parse (cmdline_parse_file()) before and after: the selectors after are those
 * before less the ones the arguments name, in order and as written, the settings are the
 * same, and a second remove finds nothing. A refusal leaves no text and has a reason the
 * boot gives it: a NUL byte, more than it reads, the selector limit, or quotes (without a
 * double quote in the file, every removal must succeed).
 */
#include <errno.h>
#include <limits.h>

#include "confedit.h"
#include "fuzz.h"

#define CONF	"/etc/vfio-bind.conf"
#define NARGS	4

static void parse(struct request *req, const char *text, size_t len)
{
	char *copy = fuzz_str((const uint8_t *)text, len);

	fuzz_quiet();
	request_init(req);
	cmdline_parse_file(req, CONF, copy, false, true);
	free(copy);
}

static bool covered(const struct selector *args, int nargs, const struct selector *s)
{
	int k;

	for (k = 0; k < nargs; k++)
		if (confedit_covers(&args[k], s))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	struct selector args[NARGS];
	struct request before, after;
	unsigned hits[NARGS] = { 0 }, again[NARGS] = { 0 };
	char *first, *tok, *next, *out = NULL, *out2 = NULL, why[PATH_MAX + 256];
	const char *text, *w;
	size_t len, out_len, out2_len, i, j;
	int nargs = 0, n, k;

	fuzz_quiet();
	if (!nl)
		return 0;
	first = fuzz_str(data, nl - data);
	for (tok = first; tok && nargs < NARGS; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		if (selector_parse(tok, &args[nargs], &w) == 0)
			nargs++;
	}
	free(first);
	if (!nargs)
		return 0;
	text = (const char *)nl + 1;
	len = size - (nl - data) - 1;

	n = confedit_remove(CONF, text, len, args, nargs, hits, &out, &out_len, why, sizeof(why));
	if (n < 0) {
		FUZZ_ASSERT(!out && why[0]);
		FUZZ_ASSERT(n == -EINVAL || n == -EFBIG || n == -E2BIG);
		if (n == -EINVAL && !memchr(text, '\0', len))
			FUZZ_ASSERT(memchr(text, '"', len));
		if (n == -EFBIG)
			FUZZ_ASSERT(len > CMDLINE_MAX - 1);
		return 0;
	}
	parse(&before, text, len);
	if (n == 0) {
		/* nothing named: no selector the boot reads is covered */
		FUZZ_ASSERT(!out);
		for (i = 0; i < before.nsel; i++)
			FUZZ_ASSERT(!covered(args, nargs, &before.sel[i]));
		request_free(&before);
		return 0;
	}
	FUZZ_ASSERT(out && !memchr(out, '\0', out_len));
	for (k = 0, i = 0; k < nargs; k++)
		i += hits[k];
	FUZZ_ASSERT(i >= (size_t)n);
	parse(&after, out, out_len);
	/* the boot's set after is the set before, less what the arguments name */
	for (i = j = 0; i < before.nsel; i++) {
		if (covered(args, nargs, &before.sel[i]))
			continue;
		FUZZ_ASSERT(j < after.nsel);
		FUZZ_ASSERT(selector_same(&before.sel[i], &after.sel[j]));
		FUZZ_ASSERT(!strcmp(before.sel[i].text, after.sel[j].text));
		j++;
	}
	FUZZ_ASSERT(j == after.nsel);
	/* the settings, and their errors, are the same; bad selectors only go when empty */
	FUZZ_ASSERT(before.dry_run == after.dry_run && before.keep_fb == after.keep_fb);
	FUZZ_ASSERT(before.debug == after.debug && before.sriov == after.sriov);
	FUZZ_ASSERT(before.on_fail == after.on_fail && before.takeover_ids == after.takeover_ids);
	FUZZ_ASSERT(before.nerrors - before.nbadsel == after.nerrors - after.nbadsel);
	FUZZ_ASSERT(after.nbadsel <= before.nbadsel);
	/* nothing is left to remove */
	k = confedit_remove(CONF, out, out_len, args, nargs, again, &out2, &out2_len, why,
			    sizeof(why));
	FUZZ_ASSERT(k == 0 && !out2);
	request_free(&before);
	request_free(&after);
	free(out);
	return 0;
}
