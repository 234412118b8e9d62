/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_VMDEVS_H
#define VB_VMDEVS_H

#include <stdio.h>

#include "pci.h"
#include "vmconf.h"

#define VM_PICKS_MAX	256

/* A present function a VM uses: all->dev[dev], through @use. */
struct vm_pick {
	size_t dev;
	const struct vm_use *use;
	bool subsys;		/* guarded with the subsystem ID too: the mapping's own function */
};

struct vm_picks {
	struct vm_pick p[VM_PICKS_MAX];
	size_t n;
	unsigned left_out;	/* uses not taken: nothing there, a stale mapping, mdev */
};

/*
 * Every argument (a VMID or a VM name) names a VM of @v: otherwise said on stderr, -ENODEV.
 * No argument: every VM.
 */
int vm_args_check(const struct vm_uses *v, int argc, char **argv);
bool vm_wanted(const struct vm_use *u, int argc, char **argv);

/*
 * Does the device of mapping @m still hold what the mapping says (this node's hardware):
 * 0, or 1 with the difference in @why ("id 10de:2204 expected, 10de:2d04 found", "no
 * device at 0000:01:00.0").
 */
int vm_map_stale(const struct pci_list *all, const struct vm_map *m, char *why, size_t size);

/*
 * The functions the uses of the VMs @argv name hold among @all (whole slots for a slot,
 * bridges never), each once. A use whose address holds nothing, whose mapping no longer
 * matches the hardware, or which is a mediated device is left out with a line on @notes.
 */
void vm_pick(const struct vm_uses *v, int argc, char **argv, const struct pci_list *all,
	     struct vm_picks *out, FILE *notes);

/* The guarded selector for a pick: "10de:2d04:10b0:205e@01:00.0", "10de:22eb@01:00.1" */
void vm_pick_selector(const struct vm_pick *p, const struct pci_dev *d, char *buf, size_t size);

#endif
