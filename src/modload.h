/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_MODLOAD_H
#define VB_MODLOAD_H

#include "ctx.h"

/*
 * Load @name through libkmod, as modprobe would: dependencies, softdeps (vfio's
 * "post: vfio_iommu_type1"), modprobe.d options and blacklists, modprobe.blacklist=.
 * Returns 0 when the module is loaded or built in; -ENOENT when no such module exists;
 * -EPERM when it is blacklisted; -EXDEV when sysfs is not /sys (a test tree: nothing is
 * loaded into the running kernel); another negative errno when insertion failed.
 */
int modload_real(struct vb_ctx *ctx, const char *name);

/*
 * Resolve @name without inserting anything; @cb is called for every module that would be
 * inserted, in order (the simulator and the unit tests use this).
 */
int modload_resolve(struct vb_ctx *ctx, const char *name,
		    void (*cb)(const char *module, void *data), void *data);

#endif
