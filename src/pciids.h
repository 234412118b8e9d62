/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_PCIIDS_H
#define VB_PCIIDS_H

#include "pci.h"

#define PCIIDS_NAME_MAX	160

/*
 * The vendor and device name of each device of @list from the PCI ID database (pci.ids:
 * $VFIO_BIND_PCI_IDS, else ROOT/usr/share/misc/pci.ids or ROOT/usr/share/hwdata/pci.ids)
 * into @names[i] ("" when it has none). 0, or -ENOENT when there is no database.
 */
int pciids_names(const struct vb_ctx *ctx, const struct pci_list *list,
		 char (*names)[PCIIDS_NAME_MAX]);

#endif
