/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CHECK_H
#define VB_CHECK_H

#include "ctx.h"
#include "pci.h"

enum verdict { V_OK, V_WARN, V_FAIL, V_SKIP };

/* one "[ OK ] what" line (with "fix: ..." unless OK); a FAIL makes check exit 1 */
void verdict(enum verdict v, const char *what, const char *fix);

/* check_next.c: the persistent file, the configured command line, the initramfs's copy */
void check_persistent(struct vb_ctx *ctx);
/* check_vms.c: this node's VMs' devices against the plan in @list, its PCI mappings */
void check_vms(struct vb_ctx *ctx, const struct pci_list *list);
/* check --next-boot: the plan of the next boot, from what is configured and present */
int check_next_boot(struct vb_ctx *ctx);

#endif
