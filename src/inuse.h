/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_INUSE_H
#define VB_INUSE_H

#include <stddef.h>

#include "ctx.h"
#include "pci.h"

/*
 * Does the running system stand on the PCI function @pci ("0000:01:00.0")? Returns 1 and says
 * what in @why ("it holds the root filesystem: nvme0n1p2 is mounted on /", "it holds the
 * active swap /dev/sda3", "it carries the default route's interface eno1"), 0 when not.
 */
int inuse_check(struct vb_ctx *ctx, const char *pci, char *why, size_t size);

#endif
