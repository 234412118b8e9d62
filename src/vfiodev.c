// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sysfs.h"
#include "vfiodev.h"

struct cdev_find {
	char *buf;
	size_t size;
};

/* only "vfio" and digits: the name becomes part of a /dev path */
static bool cdev_valid(const char *name)
{
	return name_prefix_digits(name, "vfio", 12);
}

/*
 * vfio-dev/vfioN exists from 6.1 on, but only a device with a character device (6.6+,
 * CONFIG_VFIO_DEVICE_CDEV) has a devt, and so a `dev` attribute: without it there is no
 * /dev/vfio/devices/vfioN.
 */
static int cdev_match(int dirfd, const char *name, void *data)
{
	struct cdev_find *f = data;
	char dev[32];

	if (!cdev_valid(name))
		return 0;
	snprintf(dev, sizeof(dev), "%s/dev", name);
	if (faccessat(dirfd, dev, F_OK, 0) < 0)
		return 0;
	snprintf(f->buf, f->size, "%s", name);
	return 1;
}

int vfio_cdev_name(struct vb_ctx *ctx, const struct pci_dev *d, char *buf, size_t size)
{
	struct cdev_find f = { buf, size };
	char path[PATH_MAX];

	buf[0] = '\0';
	if (pci_dev_path(ctx, d, "vfio-dev", path, sizeof(path)) < 0)
		return -ENOENT;
	return dir_for_each(path, cdev_match, &f) == 1 ? 0 : -ENOENT;
}

struct open_find {
	struct vb_ctx *ctx;
	const char *want[2];
	const char *pid;
	char *who;
	size_t size;
};

static int fd_match(int dirfd, const char *name, void *data)
{
	struct open_find *o = data;
	char target[PATH_MAX];
	ssize_t n;
	int i;

	n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	for (i = 0; i < 2; i++) {
		if (o->want[i] && !strcmp(target, o->want[i])) {
			snprintf(o->who, o->size, "%s open by process %s", target, o->pid);
			return 1;
		}
	}
	return 0;
}

static int pid_match(int dirfd, const char *name, void *data)
{
	struct open_find *o = data;
	char path[PATH_MAX];

	if (name[0] < '0' || name[0] > '9')
		return 0;
	if (path_fmt(path, sizeof(path), "%s/%s/fd", o->ctx->proc, name) < 0)
		return 0;
	o->pid = name;
	return dir_for_each(path, fd_match, o) == 1;
}

bool vfio_dev_in_use(struct vb_ctx *ctx, const struct pci_dev *d, char *who, size_t size)
{
	char group[32], cdev[16], cpath[48];
	struct open_find o = { ctx, { NULL, NULL }, NULL, who, size };

	/* nothing here assumes either node exists: the fd links name what was opened */
	if (d->group >= 0) {
		snprintf(group, sizeof(group), "/dev/vfio/%d", d->group);
		o.want[0] = group;
	}
	if (vfio_cdev_name(ctx, d, cdev, sizeof(cdev)) == 0) {
		snprintf(cpath, sizeof(cpath), "/dev/vfio/devices/%s", cdev);
		o.want[1] = cpath;
	}
	if (!o.want[0] && !o.want[1])
		return false;
	return dir_for_each(ctx->proc, pid_match, &o) == 1;
}
