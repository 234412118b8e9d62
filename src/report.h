/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_REPORT_H
#define VB_REPORT_H

#include "ctx.h"

/* vfio-bind list: every PCI function, what a user needs to write a selector */
int cmd_list(struct vb_ctx *ctx);
/* vfio-bind status: the running command line's selectors and where their devices are now */
int cmd_status(struct vb_ctx *ctx);

#endif
