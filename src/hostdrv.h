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

/*
 * One line of modules.alias, split in place: 0 with its pattern and module when it is a PCI
 * alias ("alias pci:... MODULE") whose module name is a plain name, safe in a path; -EINVAL
 * for any other line. (Pure: exposed for tests/fuzz.)
 */
int hostdrv_alias_parse(char *line, char **pat, char **mod);
/*
 * An entry of /sys/module/MODULE/drivers: "pci:NAME" gives the PCI driver NAME in @drv when
 * NAME is safe in a path and a log line; -EINVAL otherwise. (Pure: exposed for tests/fuzz.)
 */
int hostdrv_driver_entry(const char *entry, char *drv, size_t size);

#endif
