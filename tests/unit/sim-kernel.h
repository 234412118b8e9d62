/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_SIM_KERNEL_H
#define VB_SIM_KERNEL_H

#include "ctx.h"

/* The kernel's side of sysfs and module loading, played on a fake tree (see HACKING.md). */
extern const struct kernel_ops kernel_sim;

#endif
