/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_PERSIST_H
#define VB_PERSIST_H

#include "ctx.h"

/* vfio-bind add SEL..., remove SEL..., config: the persistent claims in ctx->config */
int cmd_add(struct vb_ctx *ctx, int argc, char **argv);
int cmd_remove(struct vb_ctx *ctx, int argc, char **argv);
int cmd_config(struct vb_ctx *ctx, int argc, char **argv);
/* update-initramfs -u or dracut -f, or the command printed (--no-rebuild, --root) */
int persist_rebuild(struct vb_ctx *ctx);

#endif
