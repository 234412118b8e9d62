/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CHECK_NEXT_H
#define VB_CHECK_NEXT_H

#include "ctx.h"

/* the persistent file, the configured command line, the initramfs's copy */
void check_persistent(struct vb_ctx *ctx);
/* the vfio.bind= tokens on the configured command line (0: none, or none configured) and
 * where that line comes from */
unsigned check_configured_tokens(struct vb_ctx *ctx, char *source, size_t size);
/* check --next-boot: the plan of the next boot, from what is configured and present */
int check_next_boot(struct vb_ctx *ctx);

#endif
