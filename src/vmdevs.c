// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From what the VMs' configurations say (vmconf.c) to the present PCI functions they use,
 * for suggest --vms, add --vms and check.
 */
#include <errno.h>
#include <string.h>

#include "sysfs.h"
#include "vmdevs.h"

bool vm_wanted(const struct vm_use *u, int argc, char **argv)
{
	int i;

	if (!argc)
		return true;
	for (i = 0; i < argc; i++)
		if (vmconf_names(u, argv[i]))
			return true;
	return false;
}

int vm_args_check(const struct vm_uses *v, int argc, char **argv)
{
	char esc[80];
	size_t j;
	int i;

	for (i = 0; i < argc; i++) {
		for (j = 0; j < v->n && !vmconf_names(&v->u[j], argv[i]); j++)
			;
		if (j < v->n)
			continue;
		str_escape(esc, sizeof(esc), argv[i], 40);
		fprintf(stderr, "vfio-bind: no VM '%s' with a PCI device on this node (%u VM "
			"configuration file(s) read)\n", esc, v->files);
		return -ENODEV;
	}
	return 0;
}

static const struct pci_dev *find(const struct pci_list *all, const struct pci_addr *a)
{
	size_t i;

	for (i = 0; i < all->n; i++)
		if (addr_match(a, &all->dev[i].addr))
			return &all->dev[i];
	return NULL;
}

int vm_map_stale(const struct pci_list *all, const struct vm_map *m, char *why, size_t size)
{
	struct pci_addr first = m->addr;
	const struct pci_dev *d;
	char name[PCI_NAME_MAX];

	/* a whole device is described by its function 0 (PVE::Mapping::PCI::assert_valid) */
	first.any_func = false;
	addr_format(&first, name, sizeof(name));
	d = find(all, &first);
	if (!d) {
		snprintf(why, size, "no device at %s", name);
		return 1;
	}
	if (d->id.vendor != m->id.vendor || d->id.device != m->id.device) {
		snprintf(why, size, "id %04x:%04x expected at %s, %04x:%04x found", m->id.vendor,
			 m->id.device, name, d->id.vendor, d->id.device);
		return 1;
	}
	if (m->has_subsys && (!d->id.has_subsys || d->id.sub_vendor != m->id.sub_vendor ||
			      d->id.sub_device != m->id.sub_device)) {
		snprintf(why, size, "subsystem-id %04x:%04x expected at %s, %04x:%04x found",
			 m->id.sub_vendor, m->id.sub_device, name, d->id.sub_vendor,
			 d->id.sub_device);
		return 1;
	}
	return 0;
}

static void add_pick(struct vm_picks *out, const struct pci_list *all, size_t dev,
		     const struct vm_use *u, bool subsys)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->p[i].dev == dev) {
			out->p[i].subsys |= subsys;
			return;
		}
	if (out->n < VM_PICKS_MAX)
		out->p[out->n++] = (struct vm_pick){ dev, u, subsys };
}

static void pick_use(const struct vm_use *u, const struct pci_list *all, struct vm_picks *out,
		     FILE *notes)
{
	char label[2 * VM_NAME_MAX + 8], a[PCI_NAME_MAX], why[160];
	size_t i, before = out->n;

	vmconf_label(u, label, sizeof(label));
	addr_format(&u->addr, a, sizeof(a));
	if (u->mdev) {
		if (notes)
			fprintf(notes, "# VM %s: %s (%s) is a mediated device: %s stays on its host "
			"driver\n", label, u->what, u->where, a);
		out->left_out++;
		return;
	}
	if (u->has_id) {
		struct vm_map m = { .addr = u->addr, .id = u->id, .has_subsys = u->id.has_subsys };

		if (vm_map_stale(all, &m, why, sizeof(why))) {
			if (notes)
				fprintf(notes, "# VM %s: %s (%s) left out: the mapping does not match this "
				"node's hardware: %s\n", label, u->what, u->where, why);
			out->left_out++;
			return;
		}
	}
	for (i = 0; i < all->n; i++) {
		const struct pci_dev *d = &all->dev[i];

		if (!addr_match(&u->addr, &d->addr))
			continue;
		if (pci_is_bridge(d)) {
			if (notes)
				fprintf(notes, "# VM %s: %s is a bridge (class %04x): it stays with the "
				"host\n", label, d->name, d->class >> 8);
			continue;
		}
		/* the mapping's IDs describe function 0 of a whole device, or the function */
		add_pick(out, all, i, u, u->has_id && u->id.has_subsys &&
			 (!u->addr.any_func || d->addr.func == 0));
	}
	if (out->n == before && !find(all, &u->addr)) {
		if (notes)
			fprintf(notes, "# VM %s: %s (%s) names %s, where there is no device\n", label,
			u->what, u->where, a);
		out->left_out++;
	}
}

void vm_pick(const struct vm_uses *v, int argc, char **argv, const struct pci_list *all,
	     struct vm_picks *out, FILE *notes)
{
	size_t i;

	out->n = 0;
	out->left_out = 0;
	for (i = 0; i < v->n; i++)
		if (vm_wanted(&v->u[i], argc, argv))
			pick_use(&v->u[i], all, out, notes);
}

void vm_pick_selector(const struct vm_pick *p, const struct pci_dev *d, char *buf, size_t size)
{
	char a[32];

	addr_short(&d->addr, a, sizeof(a));
	if (p->subsys)
		snprintf(buf, size, "%04x:%04x:%04x:%04x@%s", d->id.vendor, d->id.device,
			 d->id.sub_vendor, d->id.sub_device, a);
	else
		snprintf(buf, size, "%04x:%04x@%s", d->id.vendor, d->id.device, a);
}
