/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_MODLOAD_H
#define VB_MODLOAD_H

#include <stdbool.h>

#include "ctx.h"

struct kmod_ctx;
/*
 * A libkmod context on ctx->moddir with the system's modprobe.d (under ctx->root), its
 * messages in our log; @resources: load the module indexes too. NULL when out of memory.
 * The caller drops it with kmod_unref(); with ctx->kmod set it is a reference to the run's
 * one context, made at the first call and kept to the end of the run.
 */
struct kmod_ctx *modload_kmod(const struct vb_ctx *ctx, bool resources);
/* Does libkmod's configuration blacklist @module? 1 yes, 0 no, negative errno: no answer. */
int modload_blacklisted(const struct vb_ctx *ctx, const char *module);

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
