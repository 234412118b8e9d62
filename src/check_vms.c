// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check's VM section: what this node's VMs use (vmconf.c, vmdevs.c) against what the boot
 * claims, and the cluster's PCI mappings for this node against its hardware.
 */
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "check_vms.h"
#include "verdict.h"
#include "vmdevs.h"

static void check_maps(const struct vm_uses *v, const struct pci_list *list)
{
	char msg[VM_WHERE_MAX + 320], why[160], fix[160];
	size_t i;

	for (i = 0; i < v->nm; i++) {
		const struct vm_map *m = &v->m[i];
		char a[PCI_NAME_MAX];

		addr_format(&m->addr, a, sizeof(a));
		if (!vm_map_stale(list, m, why, sizeof(why))) {
			snprintf(msg, sizeof(msg), "mapping '%s' matches %s on this node (%s)",
				 m->name, a, v->node);
			verdict(V_OK, msg, NULL);
			continue;
		}
		snprintf(msg, sizeof(msg), "mapping '%s' (%s) no longer matches this node's "
			 "hardware: %s", m->name, m->where, why);
		snprintf(fix, sizeof(fix), "correct the map for node %s in Datacenter > Resource "
			 "Mappings ('%s'); its VMs do not start meanwhile", v->node, m->name);
		verdict(V_FAIL, msg, fix);
	}
}

static void check_uses(const struct vm_picks *picks, const struct pci_list *list)
{
	char msg[VM_WHERE_MAX + 320], fix[160], label[2 * VM_NAME_MAX + 8];
	size_t i;

	for (i = 0; i < picks->n; i++) {
		const struct vm_pick *p = &picks->p[i];
		const struct pci_dev *d = &list->dev[p->dev];

		vmconf_label(p->use, label, sizeof(label));
		if (d->outcome == OUT_PLANNED) {
			snprintf(msg, sizeof(msg), "VM %s uses %s %04x:%04x: claimed at boot", label,
				 d->name, d->id.vendor, d->id.device);
			verdict(V_OK, msg, NULL);
			continue;
		}
		snprintf(msg, sizeof(msg), "VM %s uses %s %04x:%04x (%s), which is not claimed at "
			 "boot: %s%s", label, d->name, d->id.vendor, d->id.device, p->use->what,
			 d->driver[0] ? d->driver : "no driver has it now; its host driver may take "
			 "it at boot", d->driver[0] ? (strcmp(d->driver, VFIO_DRIVER) ?
			 " takes it" : " has it until the next boot") : "");
		snprintf(fix, sizeof(fix), "'vfio-bind add --vms %s' claims what the VM uses at "
			 "every boot (with --now, also now)", p->use->vm);
		verdict(V_FAIL, msg, fix);
	}
}

static bool picked(const struct vm_picks *picks, size_t dev)
{
	size_t i;

	for (i = 0; i < picks->n; i++)
		if (picks->p[i].dev == dev)
			return true;
	return false;
}

void check_vms(struct vb_ctx *ctx, const struct pci_list *list)
{
	static struct vm_picks picks;
	char msg[256], fix[128], a[32];
	struct vm_uses v;
	size_t i;

	if (vmconf_read(ctx, &v) < 0 || (!v.files && !v.nm && !v.refused)) {
		vmconf_free(&v);
		return;
	}
	if (v.refused) {
		snprintf(msg, sizeof(msg), "%u part(s) of the VM configuration cannot be read "
			 "(named above): the devices they name are not known", v.refused);
		verdict(V_FAIL, msg, "correct the lines named above");
	}
	check_maps(&v, list);
	vm_pick(&v, 0, NULL, list, &picks, NULL);
	check_uses(&picks, list);
	for (i = 0; v.files && i < list->n; i++) {
		const struct pci_dev *d = &list->dev[i];

		if (d->outcome != OUT_PLANNED || picked(&picks, i))
			continue;
		addr_short(&d->addr, a, sizeof(a));
		snprintf(msg, sizeof(msg), "%s %04x:%04x is claimed at boot, but no VM on this "
			 "node uses it", d->name, d->id.vendor, d->id.device);
		snprintf(fix, sizeof(fix), "give it to a VM, or 'vfio-bind remove %s' if it "
			 "should stay with the host", a);
		verdict(V_WARN, msg, fix);
	}
	vmconf_free(&v);
}
