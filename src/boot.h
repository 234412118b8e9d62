/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_BOOT_H
#define VB_BOOT_H

#include "ctx.h"

/* vfio-bind boot: command line -> selectors -> devices -> plan -> actions -> report */
int cmd_boot(struct vb_ctx *ctx);

#endif
