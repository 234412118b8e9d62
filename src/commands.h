/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_COMMANDS_H
#define VB_COMMANDS_H

#include "cmdline.h"
#include "ctx.h"
#include "pci.h"

/* Every command but boot; returns 0, a negative errno, or -EUSAGE. */
int commands_run(struct vb_ctx *ctx, const char *cmd, int argc, char **argv);

/* The device named by @cmd's single argument, a one-function address; usage errors are
 * printed here. */
int arg_device(struct vb_ctx *ctx, const char *cmd, int argc, char **argv, struct pci_dev *d);

#endif
