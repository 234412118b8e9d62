/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_BOOT_H
#define VB_BOOT_H

#include "cmdline.h"
#include "ctx.h"
#include "pci.h"

/* vfio-bind boot: command line -> selectors -> devices -> plan -> actions -> report */
int cmd_boot(struct vb_ctx *ctx);
/*
 * Claim every planned device of @list: override and unbind, release the boot framebuffer,
 * load vfio-pci, probe; what does not end on vfio-pci goes through the fail-safe (on_fail).
 * The boot pass and a late device (late.c) take this one path. @blacklist names a modprobe.d
 * file that blacklists vfio_pci (takeover.c), or is NULL.
 */
void boot_claim(struct vb_ctx *ctx, struct request *req, struct pci_list *list,
		const char *blacklist);
/* One log line per outcome ("claimed late" when ctx->late), group warnings; counts into @n. */
void boot_report(struct vb_ctx *ctx, const struct request *req, struct pci_list *list,
		 unsigned n[OUT_KEPT + 1]);

#endif
