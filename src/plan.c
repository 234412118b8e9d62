// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "plan.h"

static void match_device(struct request *req, struct pci_dev *d)
{
	const struct selector *guard_fail = NULL;
	size_t i;

	for (i = 0; i < req->nsel; i++) {
		struct selector *s = &req->sel[i];

		if (!sel_matches(s, d))
			continue;
		if (s->kind == SEL_GUARD && !id_match(&s->id, &d->id)) {
			s->refused++;
			guard_fail = s;
			continue;
		}
		s->matched++;
		if (!d->sel)
			d->sel = s;
	}
	if (d->sel) {
		d->outcome = OUT_PLANNED;
		return;
	}
	if (guard_fail) {
		const struct pci_id *w = &guard_fail->id;

		d->outcome = OUT_REFUSED;
		d->sel = guard_fail;
		if (w->has_subsys)
			snprintf(d->why, sizeof(d->why),
				 "'%s' expects %04x:%04x (subsystem %04x:%04x), found %04x:%04x "
				 "(subsystem %04x:%04x)", guard_fail->text, w->vendor, w->device,
				 w->sub_vendor, w->sub_device, d->id.vendor, d->id.device,
				 d->id.sub_vendor, d->id.sub_device);
		else
			snprintf(d->why, sizeof(d->why), "'%s' expects %04x:%04x, found %04x:%04x",
				 guard_fail->text, w->vendor, w->device, d->id.vendor,
				 d->id.device);
	}
}

static void apply_exclusions(struct request *req, struct pci_dev *d)
{
	size_t i;

	for (i = 0; i < req->nsel; i++) {
		struct selector *s = &req->sel[i];

		if (s->kind != SEL_EXCLUDE || !addr_match(&s->addr, &d->addr))
			continue;
		if (d->outcome == OUT_NONE)
			continue;
		s->matched++;
		log_info("%s %04x:%04x excluded by '%s'", d->name, d->id.vendor, d->id.device,
			 s->text);
		d->outcome = OUT_NONE;
		d->sel = NULL;
		d->why[0] = '\0';
	}
}

int plan_build(struct vb_ctx *ctx, struct request *req, struct pci_list *list)
{
	size_t i;
	int planned = 0;

	for (i = 0; i < list->n; i++) {
		struct pci_dev *d = &list->dev[i];

		match_device(req, d);
		apply_exclusions(req, d);
		if (d->outcome == OUT_PLANNED && pci_is_bridge(d)) {
			d->outcome = OUT_REFUSED;
			snprintf(d->why, sizeof(d->why), "is a bridge (class %04x)", d->class >> 8);
		}
		if (d->outcome == OUT_PLANNED && d->driver_bad) {
			d->outcome = OUT_REFUSED;
			snprintf(d->why, sizeof(d->why), "its driver's name '%s' is not a safe name",
				 d->driver);
		}
		if (d->outcome == OUT_REFUSED)
			log_err("%s %04x:%04x refused: %s", d->name, d->id.vendor, d->id.device,
				d->why);
		if (d->outcome == OUT_PLANNED)
			planned++;
	}
	return planned;
}

unsigned plan_unmatched(const struct request *req, const struct sriov_pfs *expected)
{
	unsigned n = 0;
	char a[PCI_NAME_MAX];
	size_t i;

	for (i = 0; i < req->nsel; i++) {
		const struct selector *s = &req->sel[i];

		if (s->matched || s->refused || s->kind == SEL_EXCLUDE)
			continue;
		if (i < SRIOV_PFS_MAX && expected->pf[i][0]) {
			log_info("selector '%s' matched nothing yet: it names a VF of %s, expected "
				 "after its VFs are created", s->text, expected->pf[i]);
			continue;
		}
		n++;
		if (s->kind == SEL_ID) {
			log_warn("selector '%s' matched nothing: no device %04x:%04x", s->text,
				 s->id.vendor, s->id.device);
			continue;
		}
		addr_format(&s->addr, a, sizeof(a));
		log_warn("selector '%s' matched nothing: no device at %s", s->text, a);
	}
	return n;
}
