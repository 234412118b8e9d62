// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The persistent configuration file (/etc/vfio-bind.conf, .conf.d/ *.conf): the input is the
 * file's text, parsed by cmdline_parse_file() as cmdline_load_file() hands it over: whole and,
 * when it ends inside a token, also as if the file went on past the read buffer. Only vfio-bind
 * keys may count, the request's own limits hold, and the cut-off parse keeps a prefix of the
 * whole one's selectors.
 */
#include "cmdline.h"
#include "fuzz.h"

#define CONF	"/etc/vfio-bind.conf"

static void parse(struct request *req, const uint8_t *data, size_t size, bool more)
{
	char *text = fuzz_str(data, size);

	request_init(req);
	cmdline_parse_file(req, CONF, text, more, true);
	free(text);
	FUZZ_ASSERT(req->nsel <= 256);
	FUZZ_ASSERT(req->nbadsel <= req->nerrors);
	FUZZ_ASSERT(req->on_fail == ON_FAIL_RELEASE || req->on_fail == ON_FAIL_KEEP);
	/* the kernel's parameters belong on its command line: the file sets none of them */
	FUZZ_ASSERT(!req->fb_tokens && !req->blacklist[0] && !req->blacklist_keys);
	FUZZ_ASSERT(!req->pci_ids[0] && !req->ignore_config);
	FUZZ_ASSERT(!req->origin && !req->in_config);
}

/* the cut makes a difference only when the text ends inside a token */
static bool ends_in_token(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	unsigned char c;

	if (nul)
		size = nul - data;
	if (!size)
		return false;
	c = data[size - 1];
	return !(c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request whole, cut;
	char fmt[160];
	size_t i;

	fuzz_quiet();
	parse(&whole, data, size, false);
	for (i = 0; i < whole.nsel; i++) {
		FUZZ_ASSERT(strlen(whole.sel[i].text) <= SEL_TEXT_MAX);
		selector_format(&whole.sel[i], fmt, sizeof(fmt));
	}
	if (ends_in_token(data, size)) {
		parse(&cut, data, size, true);
		/* a cut only ever drops the last line's last token */
		FUZZ_ASSERT(cut.nsel <= whole.nsel);
		for (i = 0; i < cut.nsel; i++) {
			FUZZ_ASSERT(selector_same(&cut.sel[i], &whole.sel[i]));
			FUZZ_ASSERT(!strcmp(cut.sel[i].text, whole.sel[i].text));
		}
		request_free(&cut);
	}
	request_free(&whole);
	return 0;
}
