// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A PCI device's uevent file: pci_parse_uevent() on what one read() of it gives (at most 511
 * bytes, NUL-terminated), in a buffer of exactly that size so any overread is reported.
 */
#include "fuzz.h"
#include "pci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pci_dev d;
	char *buf;

	if (size > 511)
		return 0;
	fuzz_quiet();
	buf = fuzz_str(data, size);
	memset(&d, 0, sizeof(d));
	pci_parse_uevent(&d, buf);
	/* the driver's name never comes from the uevent */
	FUZZ_ASSERT(d.driver[0] == '\0');
	free(buf);
	return 0;
}
