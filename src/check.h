/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CHECK_H
#define VB_CHECK_H

#include "ctx.h"

/* vfio-bind check: the running system (check.c); --next-boot goes to check_next.c */
int cmd_check(struct vb_ctx *ctx);

#endif
