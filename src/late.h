/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_LATE_H
#define VB_LATE_H

#include "ctx.h"
#include "pci.h"

/*
 * vfio-bind hotplug ADDR: what the udev rule runs when a PCI function is added after the
 * boot pass (a hot-plugged card, an SR-IOV VF). The same selectors (cmdline_load), the same
 * plan and claim (boot_claim), the same log lines, with "claimed late". A VF no selector
 * wants, whose PF vfio-bind held back at boot, is given to its own driver. Always 0 but for
 * a usage error: udev must not be told that a device failed.
 */
int cmd_hotplug(struct vb_ctx *ctx, int argc, char **argv);

/*
 * What `vfio-bind hotplug` did to a device still there, for status and list: "claimed late"
 * or "claimed late (was e1000)" in @buf, from ROOT/run/vfio-bind/late/ADDR. -ENOENT when it
 * was not a late claim.
 */
int late_record_read(struct vb_ctx *ctx, const char *name, char *buf, size_t size);

/*
 * The text of a late record, trailing newline removed: 0 for "claimed late" and "claimed late
 * (was NAME)" with a safe NAME, -EINVAL for anything else. (Pure: exposed for tests/fuzz.)
 */
int late_record_parse(const char *text);
/* The record's text for a device that was on @was ("" for none), with its newline; its length. */
int late_record_text(const char *was, char *buf, size_t size);

#endif
