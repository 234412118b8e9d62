/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CHECK_VMS_H
#define VB_CHECK_VMS_H

#include "ctx.h"
#include "pci.h"

/* check_vms.c: this node's VMs' devices against the plan in @list, its PCI mappings */
void check_vms(struct vb_ctx *ctx, const struct pci_list *list);

#endif
