/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_SUGGEST_H
#define VB_SUGGEST_H

#include "ctx.h"

/* vfio-bind suggest [ADDR...]: the token to claim devices, and what else to change */
int cmd_suggest(struct vb_ctx *ctx, int argc, char **argv);

#endif
