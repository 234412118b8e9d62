// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Selectors and PCI addresses: selector_parse() and addr_parse() on any string. An address that
 * parses must come back unchanged through its canonical form (addr_format, then addr_parse).
 */
#include "cmdline.h"
#include "fuzz.h"

static void round_trip(const struct pci_addr *a)
{
	struct pci_addr b;
	char buf[32];

	addr_format(a, buf, sizeof(buf));
	FUZZ_ASSERT(addr_parse(buf, &b, true) == 0);
	FUZZ_ASSERT(a->domain == b.domain && a->bus == b.bus && a->slot == b.slot &&
		    a->any_func == b.any_func && (a->any_func || a->func == b.func));
	FUZZ_ASSERT(a->slot <= 0x1f && a->func <= 7);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), fmt[160];
	struct selector sel;
	struct pci_addr a;
	const char *why = NULL;

	fuzz_quiet();
	if (selector_parse(s, &sel, &why) == 0) {
		FUZZ_ASSERT(strlen(sel.text) <= SEL_TEXT_MAX);
		selector_format(&sel, fmt, sizeof(fmt));
		if (sel.kind != SEL_ID)
			round_trip(&sel.addr);
	} else {
		FUZZ_ASSERT(why != NULL);
	}
	if (addr_parse(s, &a, false) == 0) {
		FUZZ_ASSERT(!a.any_func);
		round_trip(&a);
	}
	if (addr_parse(s, &a, true) == 0)
		round_trip(&a);
	free(s);
	return 0;
}
