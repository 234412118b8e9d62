/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_PLAN_H
#define VB_PLAN_H

#include "cmdline.h"
#include "pci.h"
#include "sriov.h"

/*
 * Resolve the selectors against the scanned devices: every matched function becomes
 * OUT_PLANNED or OUT_REFUSED (with the reason), exclusions drop what they name. Refusals are logged
 * here. Returns the number of planned devices.
 */
int plan_build(struct vb_ctx *ctx, struct request *req, struct pci_list *list);
/*
 * At boot, after the plan: log each selector that matched nothing, but at info level one
 * that names a VF still to come (@expected, sriov_expected()). Returns how many matched
 * nothing and are not expected.
 */
unsigned plan_unmatched(const struct request *req, const struct sriov_pfs *expected);

#endif
