/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_LEFTOVERS_H
#define VB_LEFTOVERS_H

#include "cmdline.h"
#include "ctx.h"
#include "pci.h"
#include "takeover.h"

/*
 * What the classic recipe leaves behind (ids=, driver blacklists, vfio modules in
 * /etc/modules, framebuffer switches), for check and suggest. Each finding names the file and
 * line (or the token) and the fix.
 */
enum finding { FINDING_WARN, FINDING_FAIL };
typedef void (*finding_fn)(enum finding level, const char *what, const char *fix, void *data);

/*
 * @list holds every device; those going to vfio-pci are OUT_PLANNED or OUT_CLAIMED, the rest
 * stay with the host. @t is what takeover_read() (and takeover_apply()) made of ids=.
 */
void leftovers_scan(struct vb_ctx *ctx, const struct request *req, const struct takeover *t,
		    const struct pci_list *list, finding_fn fn, void *data);

#endif
