/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_GROUP_H
#define VB_GROUP_H

#include "pci.h"

#define GROUP_MAX_MEMBERS	64

struct group_member {
	char name[PCI_NAME_MAX];
	struct pci_id id;
	uint32_t class;
	char driver[DRIVER_NAME_MAX];
	bool blocks;		/* keeps the group from being viable for a VM */
};

struct group_info {
	int group;
	size_t n;
	struct group_member m[GROUP_MAX_MEMBERS];
};

/*
 * Read IOMMU group @group. A member blocks viability when it is not a bridge, not on
 * vfio-pci or pci-stub, and not one of @claimed (devices about to be on vfio-pci).
 */
int group_read(struct vb_ctx *ctx, int group, const struct pci_list *claimed,
	       struct group_info *g);
/* "0000:01:00.2 10de:1ad8 (xhci_hcd), ..." for the blocking members; 0 when none block */
int group_blockers(const struct group_info *g, char *buf, size_t size);
/* The groups already reported on, so each is reported once. */
struct group_set {
	int group[64];
	size_t n;
};

/* Add @group; false when it is in the set already or the set is full. */
bool group_set_add(struct group_set *s, int group);

/*
 * Call @fn once for each group holding a claimed or planned device of @list (@d the first of
 * them), with the blocking members as group_blockers() words them (NULL: viable).
 */
typedef void (*group_fn)(void *data, const struct pci_dev *d, const struct group_info *g,
			 const char *who);
void group_each(struct vb_ctx *ctx, const struct pci_list *list, group_fn fn, void *data);

/*
 * @d's group once (@done): the number of its members that keep it from being viable with
 * @claimed's claimed and planned devices on vfio-pci, named in @who; 0 when it is viable,
 * -1 when @d has no group or its group was looked at already.
 */
int group_check(struct vb_ctx *ctx, struct pci_dev *d, const struct pci_list *claimed,
		struct group_set *done, char *who, size_t size);

/* Log a viability warning for every group holding a claimed (or, dry run, planned) device. */
void group_warn(struct vb_ctx *ctx, struct pci_list *list);

#endif
