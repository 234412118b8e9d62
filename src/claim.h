/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CLAIM_H
#define VB_CLAIM_H

#include "ctx.h"
#include "pci.h"

/*
 * Claim one present function now, as at boot (a boot GPU gives up its firmware framebuffer
 * first), with the safety checks first: never a bridge, never what the running system uses
 * unless ctx->force. One line on stdout (or stderr for a refusal) says what happened.
 * 0, or a negative errno.
 */
int claim_now(struct vb_ctx *ctx, struct pci_dev *d);

/*
 * Every function of @all that @a names (a function, or a slot: each function of it but
 * bridges), claimed now; the in-use verdict for each. 0 when all were claimed.
 */
int claim_addr(struct vb_ctx *ctx, struct pci_list *all, const struct pci_addr *a);

#endif
