// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's driver-core interface, in driverctl's order but before any host driver could
 * touch the device: driver_override first, so that neither a later module load nor udev's
 * coldplug binds anything else; unbind what already holds it; load vfio-pci; drivers_probe.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "log.h"
#include "sysfs.h"

static int set_override(struct vb_ctx *ctx, struct pci_dev *d, const char *drv)
{
	char path[PATH_MAX];
	int err;

	err = pci_dev_path(ctx, d, "driver_override", path, sizeof(path));
	if (err < 0)
		return err;
	/* a lone newline clears it */
	return write_attr(ctx, path, drv ? drv : "\n");
}

static int unbind(struct vb_ctx *ctx, struct pci_dev *d)
{
	char path[PATH_MAX];
	int err;

	/* a name read from sysfs goes into the path only when it is a plain name */
	if (d->driver_bad || !name_is_safe(d->driver))
		return -EINVAL;
	err = path_fmt(path, sizeof(path), "%s/bus/pci/drivers/%s/unbind", ctx->sysfs, d->driver);
	if (err < 0)
		return err;
	return write_attr(ctx, path, d->name);
}

static int probe(struct vb_ctx *ctx, struct pci_dev *d)
{
	char path[PATH_MAX];
	int err;

	err = path_fmt(path, sizeof(path), "%s/bus/pci/drivers_probe", ctx->sysfs);
	if (err < 0)
		return err;
	/* probe errors come back here, but the driver link is the only truth */
	write_attr(ctx, path, d->name);
	return pci_read_driver(ctx, d);
}

void bind_prepare(struct vb_ctx *ctx, struct pci_dev *d)
{
	char why[96];
	int err;

	snprintf(d->was, sizeof(d->was), "%s", d->driver);
	if (!strcmp(d->driver, VFIO_DRIVER)) {
		d->outcome = OUT_CLAIMED;
		return;
	}
	err = set_override(ctx, d, VFIO_DRIVER);
	if (err < 0) {
		snprintf(why, sizeof(why), "cannot set driver_override: %s", strerror(-err));
		bind_fail(ctx, d, ON_FAIL_RELEASE, why);
		return;
	}
	if (!d->driver[0] || ctx->dry_run)
		return;
	err = unbind(ctx, d);
	if (err >= 0)
		err = pci_read_driver(ctx, d);
	if (err >= 0 && d->driver[0])
		err = -EBUSY;
	if (err < 0) {
		snprintf(why, sizeof(why), "cannot unbind it from %s: %s", d->was, strerror(-err));
		bind_fail(ctx, d, ON_FAIL_RELEASE, why);
	}
}

static bool driver_present(struct vb_ctx *ctx)
{
	char path[PATH_MAX];

	return path_fmt(path, sizeof(path), "%s/bus/pci/drivers/" VFIO_DRIVER, ctx->sysfs) >= 0 &&
	       path_exists(path);
}

int bind_load_driver(struct vb_ctx *ctx, struct pci_list *list)
{
	const char *why;
	char msg[128];
	size_t i;
	int err;

	if (ctx->dry_run || driver_present(ctx))
		return 0;
	err = ctx->ops->load_module(ctx, VFIO_DRIVER);
	if (err >= 0 && driver_present(ctx))
		return 0;
	switch (err) {
	case 0:
		why = "vfio-pci loaded but registered no driver";
		break;
	case -ENOENT:
		why = "the vfio-pci module is not in this initramfs";
		break;
	case -EPERM:
		why = "vfio-pci is blacklisted (modprobe.d or modprobe.blacklist=)";
		break;
	case -EXDEV:
		why = "vfio-pci not loaded: sysfs is a test tree, not /sys";
		break;
	default:
		snprintf(msg, sizeof(msg), "loading vfio-pci failed: %s", strerror(-err));
		why = msg;
	}
	log_err("%s", why);
	for (i = 0; i < list->n; i++)
		if (list->dev[i].outcome == OUT_PLANNED)
			snprintf(list->dev[i].why, sizeof(list->dev[i].why), "%s", why);
	return err < 0 ? err : -ENODEV;
}

void bind_probe(struct vb_ctx *ctx, struct pci_dev *d)
{
	if (ctx->dry_run)
		return;
	if (probe(ctx, d) == 0 && !strcmp(d->driver, VFIO_DRIVER)) {
		d->outcome = OUT_CLAIMED;
		return;
	}
	if (d->why[0])
		return;
	pci_read_group(ctx, d);
	if (d->group < 0)
		snprintf(d->why, sizeof(d->why),
			 "IOMMU is off (no IOMMU group; enable VT-d/AMD-Vi and intel_iommu=on)");
	else if (d->driver[0])
		snprintf(d->why, sizeof(d->why), "%s took it first", d->driver);
	else
		snprintf(d->why, sizeof(d->why),
			 "vfio-pci did not bind (its probe error is in the kernel log)");
}

void bind_fail(struct vb_ctx *ctx, struct pci_dev *d, enum on_fail policy, const char *why)
{
	int err;

	if (why && why != d->why)
		snprintf(d->why, sizeof(d->why), "%s", why);
	if (policy == ON_FAIL_KEEP) {
		d->outcome = OUT_KEPT;
		return;
	}
	d->outcome = OUT_RELEASED;
	if (ctx->dry_run)
		return;
	/*
	 * fail safe: let the host driver have it back, now or when udev loads it. An override
	 * that stays would keep every host driver away: try twice, and if it still stays, say
	 * that the device is kept without a driver
	 */
	err = set_override(ctx, d, NULL);
	if (err < 0)
		err = set_override(ctx, d, NULL);
	if (err < 0) {
		size_t n = strlen(d->why);

		snprintf(d->why + n, sizeof(d->why) - n, "; cannot clear driver_override: %s",
			 strerror(-err));
		d->outcome = OUT_KEPT;
		return;
	}
	/* what holds it now: a failed unbind, or a driver that let go, leaves d->driver stale */
	pci_read_driver(ctx, d);
	if (!strcmp(d->driver, VFIO_DRIVER))
		unbind(ctx, d);
	if (!d->driver[0] || !strcmp(d->driver, VFIO_DRIVER))
		probe(ctx, d);
}

int bind_claim_one(struct vb_ctx *ctx, struct pci_dev *d)
{
	struct pci_list one = { d, 1, 1 };
	int err;

	d->outcome = OUT_PLANNED;
	bind_prepare(ctx, d);
	if (d->outcome != OUT_PLANNED)
		return d->outcome == OUT_CLAIMED ? 0 : -EIO;
	err = bind_load_driver(ctx, &one);
	if (err < 0) {
		bind_fail(ctx, d, ON_FAIL_RELEASE, NULL);
		return err;
	}
	bind_probe(ctx, d);
	if (d->outcome == OUT_CLAIMED || ctx->dry_run)
		return 0;
	bind_fail(ctx, d, ON_FAIL_RELEASE, NULL);
	return -EIO;
}

int bind_release_one(struct vb_ctx *ctx, struct pci_dev *d)
{
	int err;

	snprintf(d->was, sizeof(d->was), "%s", d->driver);
	err = set_override(ctx, d, NULL);
	if (err < 0)
		return err;
	if (ctx->dry_run)
		return 0;
	if (!strcmp(d->driver, VFIO_DRIVER)) {
		err = unbind(ctx, d);
		if (err < 0)
			return err;
	}
	return probe(ctx, d);
}
