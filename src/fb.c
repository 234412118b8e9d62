// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fb.h"
#include "log.h"
#include "resource.h"
#include "sysfs.h"

#define MAX_RANGES	8
#define IORESOURCE_MEM	0x00000200

struct range {
	uint64_t start;
	uint64_t end;
};

/* platform devices the kernel's sysfb and the firmware drivers register */
static const char *const fb_platform[] = {
	"efi-framebuffer.", "vesa-framebuffer.", "simple-framebuffer.",
};

/* names firmware framebuffers give their memory in /proc/iomem */
static const char *const fb_iomem[] = { "efifb", "vesafb", "simplefb", "BOOTFB" };

static int iomem_fb_ranges(struct vb_ctx *ctx, struct range *r, int max)
{
	static char buf[64 * 1024];
	char path[PATH_MAX], *line, *next;
	int n = 0;
	size_t i;

	if (path_fmt(path, sizeof(path), "%s/iomem", ctx->proc) < 0 ||
	    read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	for (line = buf; line && *line && n < max; line = next) {
		uint64_t s, e;
		char name[64];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (iomem_line_parse(line, &s, &e, name, sizeof(name)) < 0)
			continue;
		/* without CAP_SYS_ADMIN every address reads as zero: useless */
		if (!s && !e)
			continue;
		for (i = 0; i < sizeof(fb_iomem) / sizeof(*fb_iomem); i++) {
			if (!strcmp(name, fb_iomem[i])) {
				r[n].start = s;
				r[n++].end = e;
				break;
			}
		}
	}
	return n;
}

static bool bars_hold(struct vb_ctx *ctx, const struct pci_dev *d, const struct range *r, int n)
{
	char path[PATH_MAX], buf[2048], *line, *next;
	int i;

	if (pci_dev_path(ctx, d, "resource", path, sizeof(path)) < 0 ||
	    read_file(path, buf, sizeof(buf)) < 0)
		return false;
	for (line = buf; line && *line; line = next) {
		uint64_t s, e, flags;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (bar_line_parse(line, &s, &e, &flags) < 0)
			continue;
		if (!(flags & IORESOURCE_MEM) || !e)
			continue;
		for (i = 0; i < n; i++)
			if (r[i].start >= s && r[i].start <= e)
				return true;
	}
	return false;
}

struct fb_find {
	char *dev, *drv;
	size_t dsize, rsize;
};

static int fb_match(int dirfd, const char *name, void *data)
{
	struct fb_find *f = data;
	char link[128];
	size_t i;

	for (i = 0; i < sizeof(fb_platform) / sizeof(*fb_platform); i++) {
		if (strncmp(name, fb_platform[i], strlen(fb_platform[i])))
			continue;
		/* a framebuffer device without a driver holds nothing */
		if (path_fmt(link, sizeof(link), "%s/driver", name) < 0 ||
		    read_link_name_at(dirfd, link, f->drv, f->rsize) < 0 ||
		    !name_is_safe(f->drv))
			return 0;
		snprintf(f->dev, f->dsize, "%s", name);
		return 1;
	}
	return 0;
}

/* the first firmware framebuffer platform device that has a driver bound */
static bool fb_bound(struct vb_ctx *ctx, char *dev, size_t dsize, char *drv, size_t rsize)
{
	struct fb_find f = { dev, drv, dsize, rsize };
	char path[PATH_MAX];

	if (path_fmt(path, sizeof(path), "%s/bus/platform/devices", ctx->sysfs) < 0)
		return false;
	return dir_for_each(path, fb_match, &f) == 1;
}

/* with the framebuffer's address known, its BAR decides; without, the boot-VGA flag */
static bool holds_fb(struct vb_ctx *ctx, struct pci_dev *d, const struct range *r, int n)
{
	if (n > 0)
		return bars_hold(ctx, d, r, n);
	pci_read_boot_vga(ctx, d);
	return d->boot_vga == 1;
}

/* fbcon sits on the framebuffer; take the console off it first */
static void unbind_fbcon(struct vb_ctx *ctx)
{
	char path[PATH_MAX], buf[128];
	struct dirent *de;
	DIR *dir;

	if (path_fmt(path, sizeof(path), "%s/class/vtconsole", ctx->sysfs) < 0)
		return;
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "vtcon", 5))
			continue;
		if (path_fmt(path, sizeof(path), "%s/class/vtconsole/%s/name", ctx->sysfs,
			     de->d_name) < 0 || read_attr(path, buf, sizeof(buf)) < 0 ||
		    !strstr(buf, "frame buffer"))
			continue;
		if (path_fmt(path, sizeof(path), "%s/class/vtconsole/%s/bind", ctx->sysfs,
			     de->d_name) < 0 || read_attr(path, buf, sizeof(buf)) < 0 ||
		    strcmp(buf, "1"))
			continue;
		write_attr(ctx, path, "0");
	}
	closedir(dir);
}

int fb_release(struct vb_ctx *ctx, const struct request *req, struct pci_list *list)
{
	char fbdev[64], drv[DRIVER_NAME_MAX], path[PATH_MAX];
	struct range r[MAX_RANGES];
	size_t i;
	int err, tries, n;

	/* the common case, no firmware framebuffer at all, costs one directory read */
	if (!fb_bound(ctx, fbdev, sizeof(fbdev), drv, sizeof(drv)))
		return 0;
	n = iomem_fb_ranges(ctx, r, MAX_RANGES);
	for (i = 0; i < list->n; i++) {
		struct pci_dev *d = &list->dev[i];

		if (d->outcome != OUT_PLANNED || !holds_fb(ctx, d, r, n))
			continue;
		if (req->keep_fb) {
			log_notice("%s keeps the boot framebuffer %s (vfio_bind.keep_fb=1); "
				   "vfio-pci may fail to reserve its BAR", d->name, fbdev);
			return 0;
		}
		if (ctx->dry_run) {
			log_notice("dry run: would release the boot framebuffer %s from %s",
				   fbdev, d->name);
			return 0;
		}
		unbind_fbcon(ctx);
		/* a second framebuffer device (rare) goes on the next round */
		for (tries = 0; tries < 4 && fb_bound(ctx, fbdev, sizeof(fbdev), drv,
							sizeof(drv)); tries++) {
			err = path_fmt(path, sizeof(path), "%s/bus/platform/drivers/%s/unbind",
				       ctx->sysfs, drv);
			if (err >= 0)
				err = write_attr(ctx, path, fbdev);
			if (err < 0) {
				log_err("cannot release the boot framebuffer %s (%s) from %s: %s",
					fbdev, drv, d->name, strerror(-err));
				return err;
			}
			log_notice("released the boot framebuffer %s (%s) from %s", fbdev, drv,
				   d->name);
		}
		return 0;
	}
	return 0;
}
