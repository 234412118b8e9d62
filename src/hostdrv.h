/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_HOSTDRV_H
#define VB_HOSTDRV_H

#include "pci.h"

/*
 * The PCI driver the kernel would give @d, found as udev finds it: the device's modalias
 * against modules.alias and modules.builtin.alias in ctx->moddir, the module loaded
 * (ctx->ops), then its driver's name from /sys/module/MODULE/drivers/pci:NAME. vfio-pci is
 * never the answer. Returns 0 with the name in @drv, or a negative errno.
 */
int hostdrv_find(struct vb_ctx *ctx, const struct pci_dev *d, char *drv, size_t size);

#endif
