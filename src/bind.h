/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_BIND_H
#define VB_BIND_H

#include "cmdline.h"
#include "pci.h"

#define VFIO_DRIVER	"vfio-pci"

/*
 * Step 1 for each planned device: driver_override = vfio-pci, then unbind the driver that
 * holds it, if any. A device that already is on vfio-pci becomes OUT_CLAIMED.
 */
void bind_prepare(struct vb_ctx *ctx, struct pci_dev *d);
/* Make vfio-pci available (loaded or built in); on failure every planned device fails. */
int bind_load_driver(struct vb_ctx *ctx, struct pci_list *list);
/* drivers_probe, then believe only the `driver` link. */
void bind_probe(struct vb_ctx *ctx, struct pci_dev *d);
/*
 * A planned device that did not end on vfio-pci: with ON_FAIL_RELEASE clear the override
 * and reprobe so the host driver takes it back, with ON_FAIL_KEEP leave it driverless.
 */
void bind_fail(struct vb_ctx *ctx, struct pci_dev *d, enum on_fail policy, const char *why);

/* Run-time claim/release of one device (vfio-bind claim/release). */
int bind_claim_one(struct vb_ctx *ctx, struct pci_dev *d);
int bind_release_one(struct vb_ctx *ctx, struct pci_dev *d);

#endif
