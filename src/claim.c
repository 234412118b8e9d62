// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Claiming now, until the next boot: `claim ADDR|SLOT` and `add --now`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "claim.h"
#include "fb.h"
#include "inuse.h"

int claim_now(struct vb_ctx *ctx, struct pci_dev *d)
{
	struct request defaults;
	struct pci_list one;
	char why[1024];
	int err;

	if (pci_is_bridge(d)) {
		fprintf(stderr, "vfio-bind: %s is a bridge (class %04x): not claimed\n", d->name,
			d->class >> 8);
		return -EPERM;
	}
	if (inuse_check(ctx, d->name, why, sizeof(why)) > 0) {
		if (!ctx->force) {
			fprintf(stderr, "vfio-bind: %s %04x:%04x refused: in use: %s. Claiming it "
				"would take it from the running system; --force does it anyway\n",
				d->name, d->id.vendor, d->id.device, why);
			return -EBUSY;
		}
		printf("warning: %s %04x:%04x is in use (%s); claimed anyway (--force)\n", d->name,
		       d->id.vendor, d->id.device, why);
	}
	/* a boot GPU gives up its firmware framebuffer first, as at boot */
	d->outcome = OUT_PLANNED;
	one = (struct pci_list){ d, 1, 1 };
	request_init(&defaults);
	fb_release(ctx, &defaults, &one);
	err = bind_claim_one(ctx, d);
	if (ctx->dry_run) {
		printf("%s %04x:%04x would be claimed (now %s)\n", d->name, d->id.vendor,
		       d->id.device, d->was[0] ? d->was : "without driver");
		return 0;
	}
	if (err < 0) {
		printf("%s %04x:%04x not claimed: %s%s%s\n", d->name, d->id.vendor, d->id.device,
		       d->why, d->driver[0] ? "; now on " : "", d->driver);
		return err;
	}
	if (!strcmp(d->was, VFIO_DRIVER))
		printf("%s %04x:%04x is on vfio-pci already\n", d->name, d->id.vendor,
		       d->id.device);
	else
		printf("%s %04x:%04x claimed%s%s%s (until reboot)\n", d->name, d->id.vendor,
		       d->id.device, d->was[0] ? " (was " : "", d->was, d->was[0] ? ")" : "");
	return 0;
}

int claim_addr(struct vb_ctx *ctx, struct pci_list *all, const struct pci_addr *a)
{
	size_t i, n = 0;
	int err = 0, e;

	for (i = 0; i < all->n; i++) {
		struct pci_dev d = all->dev[i];

		if (!addr_match(a, &d.addr) || (a->any_func && pci_is_bridge(&d)))
			continue;
		n++;
		pci_read_driver(ctx, &d);
		pci_read_group(ctx, &d);
		e = claim_now(ctx, &d);
		if (e < 0 && err >= 0)
			err = e;
	}
	if (!n) {
		char name[PCI_NAME_MAX];

		addr_format(a, name, sizeof(name));
		fprintf(stderr, "vfio-bind: no PCI device at %s\n", name);
		return -ENODEV;
	}
	return err;
}
