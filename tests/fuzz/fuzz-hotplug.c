// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What `vfio-bind hotplug ADDR` takes from outside, field by field (NUL-separated): the
 * argument (addr_canon), the device's uevent (pci_parse_uevent, at most 511 bytes), its driver
 * link's target (link_name, pci_driver_name), a VF's physfn link's target (addr_canon), a
 * modules.alias line (hostdrv_alias_parse), an entry of /sys/module/M/drivers
 * (hostdrv_driver_entry) and a late record (late_record_parse). Whatever reaches a path or a
 * log line must be a plain name or a canonical PCI address; what the record writer writes,
 * the reader accepts.
 */
#include <errno.h>

#include "fuzz.h"
#include "hostdrv.h"
#include "late.h"
#include "pci.h"
#include "sriov.h"
#include "sysfs.h"

#define NFIELDS	7

static void check_addr_name(const char *name)
{
	char again[PCI_NAME_MAX];

	FUZZ_ASSERT(strlen(name) < PCI_NAME_MAX && name_is_safe(name) && !strchr(name, '/'));
	/* canonical: a fixed point */
	FUZZ_ASSERT(addr_canon(name, again, sizeof(again)) == 0 && !strcmp(name, again));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *nul;
	char *f[NFIELDS] = { 0 }, name[PCI_NAME_MAX], drv[DRIVER_NAME_MAX], link[DRIVER_NAME_MAX];
	char big[PATH_MAX], line[512], rec[DRIVER_NAME_MAX + 32], *pat, *mod;
	struct pci_dev d;
	size_t i, n;
	int err;

	fuzz_quiet();
	for (i = 0; i < NFIELDS; i++) {
		nul = p < end ? memchr(p, '\0', end - p) : NULL;
		n = nul ? (size_t)(nul - p) : (size_t)(end - p);
		f[i] = fuzz_str(p, n);
		p += n + (nul != NULL);
	}
	/* the argument */
	if (addr_canon(f[0], name, sizeof(name)) == 0)
		check_addr_name(name);
	/* the uevent, as one read() of it gives it */
	memset(&d, 0, sizeof(d));
	if (strlen(f[1]) <= 511)
		pci_parse_uevent(&d, f[1]);
	FUZZ_ASSERT(!d.driver[0]);
	/* the driver link */
	err = link_name(f[2], link, sizeof(link));
	FUZZ_ASSERT(err == 0 || err == -ENAMETOOLONG);
	FUZZ_ASSERT(pci_driver_name(&d, err, link) == 0);
	FUZZ_ASSERT(strlen(d.driver) < sizeof(d.driver));
	if (d.driver[0] && !d.driver_bad)
		FUZZ_ASSERT(name_is_safe(d.driver) && !strcmp(d.driver, link));
	if (!err && link[0] && !name_is_safe(link))
		FUZZ_ASSERT(d.driver_bad);
	/* the record of a claim from that driver reads back */
	if (!d.driver_bad && late_record_text(d.driver, rec, sizeof(rec)) > 0) {
		rec[strcspn(rec, "\n")] = '\0';
		FUZZ_ASSERT(late_record_parse(rec) == 0);
	}
	/* a VF's physfn link */
	if (link_name(f[3], big, sizeof(big)) == 0 && addr_canon(big, name, sizeof(name)) == 0)
		check_addr_name(name);
	/* a modules.alias line, as fgets() gives it */
	snprintf(line, sizeof(line), "%s", f[4]);
	if (hostdrv_alias_parse(line, &pat, &mod) == 0) {
		FUZZ_ASSERT(!strncmp(pat, "pci:", 4) && strlen(pat) <= 383);
		FUZZ_ASSERT(name_is_safe(mod) && !strchr(mod, '/') && strlen(mod) <= 63);
	}
	/* /sys/module/M/drivers/pci:NAME */
	if (hostdrv_driver_entry(f[5], drv, sizeof(drv)) == 0)
		FUZZ_ASSERT(name_is_safe(drv) && !strcmp(drv, f[5] + 4));
	/* a late record as status reads it */
	if (late_record_parse(f[6]) == 0)
		FUZZ_ASSERT(!strncmp(f[6], "claimed late", 12) && !strchr(f[6], '\n') &&
			    !strchr(f[6], '\\'));
	for (i = 0; i < NFIELDS; i++)
		free(f[i]);
	return 0;
}
