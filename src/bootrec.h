/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_BOOTREC_H
#define VB_BOOTREC_H

#include "cmdline.h"
#include "ctx.h"
#include "log.h"
#include "pci.h"
#include "sriov.h"

/*
 * The boot's own report, kept where the kernel's ring buffer cannot lose it:
 * ROOT/run/vfio-bind/boot.json and its text twin boot.txt. /run is a tmpfs the initramfs
 * hands over to the real root (initramfs-tools and dracut both move it), so `status` reads
 * them for as long as the system runs. Each file is written once per boot pass, whole, to
 * a temporary name and renamed. `hotplug` keeps its own record per device
 * (run/vfio-bind/late/ADDR, late.c): the boot's record stays what the boot decided.
 */
#define BOOTREC_DIR	"run/vfio-bind"

struct bootrec {
	const struct request *req;
	const struct pci_list *list;
	const unsigned *n;		/* per outcome */
	unsigned unmatched;
	const struct sriov_pfs *held;	/* PFs whose new VFs wait for vfio-bind */
	const struct sriov_pfs *expected;	/* each selector's PF of VFs still to come */
	long us;
	const struct log_copy *log;	/* the run's log lines */
};

/* Write both files (not in a dry run); a failure is logged at debug level, nothing more. */
void bootrec_write(struct vb_ctx *ctx, const struct bootrec *r);
/*
 * ROOT/run/vfio-bind/@name into @buf (at most @size - 1 bytes, NUL-terminated): its length,
 * or a negative errno (-EFBIG: longer than that).
 */
int bootrec_read(struct vb_ctx *ctx, const char *name, char *buf, size_t size);

#endif
