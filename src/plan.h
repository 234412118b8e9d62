/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_PLAN_H
#define VB_PLAN_H

#include "cmdline.h"
#include "pci.h"

/*
 * Resolve the selectors against the scanned devices: every matched function becomes
 * OUT_PLANNED or OUT_REFUSED (with the reason), exclusions drop what they name. Refusals and
 * selectors that matched nothing are logged here. Returns the number of planned devices.
 */
int plan_build(struct vb_ctx *ctx, struct request *req, struct pci_list *list);

#endif
