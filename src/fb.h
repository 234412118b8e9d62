/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_FB_H
#define VB_FB_H

#include "cmdline.h"
#include "pci.h"

/*
 * A firmware framebuffer (efifb, vesafb, simplefb) keeps a request on the GPU's BAR, and
 * vfio-pci then fails with "BAR 0: can't reserve". Release it from every planned device that
 * carries it: the boot VGA device, or one whose BAR holds the framebuffer's memory.
 */
int fb_release(struct vb_ctx *ctx, const struct request *req, struct pci_list *list);

#endif
