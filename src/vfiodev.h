/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_VFIODEV_H
#define VB_VFIODEV_H

#include <stdbool.h>
#include <stddef.h>

#include "pci.h"

/*
 * A device on vfio-pci can be opened two ways: through its IOMMU group, /dev/vfio/GROUP
 * (CONFIG_VFIO_GROUP, which may be off), and from Linux 6.6 through its own cdev,
 * /dev/vfio/devices/vfioN (iommufd, CONFIG_VFIO_DEVICE_CDEV), named by the device's
 * vfio-dev/vfioN directory in sysfs.
 */

/* "vfio0" from SYSFS/bus/pci/devices/ADDR/vfio-dev/, checked; -ENOENT when there is none. */
int vfio_cdev_name(struct vb_ctx *ctx, const struct pci_dev *d, char *buf, size_t size);

/*
 * Is @d open through /dev/vfio/GROUP or /dev/vfio/devices/vfioN by any process (the links in
 * PROC/PID/fd)? @who gets "/dev/vfio/devices/vfio0 open by process 4242".
 */
bool vfio_dev_in_use(struct vb_ctx *ctx, const struct pci_dev *d, char *who, size_t size);

#endif
