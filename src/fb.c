// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The firmware framebuffer. The kernel registers it as a platform device (sysfb:
 * efi-framebuffer.0, vesa-framebuffer.0, or simple-framebuffer.0 with CONFIG_SYSFB_SIMPLEFB),
 * a driver takes it (efifb, vesafb, simplefb, simpledrm, efidrm, vesadrm...) and requests its
 * memory, which lies in a BAR of the boot GPU: vfio-pci then fails with "BAR 0: can't reserve".
 *
 * Which PCI device holds it, in this order:
 *   a) its parent in sysfs, on kernels that place it under the PCI device (sysfb, 6.9 on);
 *   b) else its memory range in /proc/iomem, under any name it can have there, inside one of
 *      the device's memory BARs;
 *   c) else (no address readable: /proc/iomem shows zeros without CAP_SYS_ADMIN) boot_vga.
 * Only a framebuffer held by a device being claimed is released; the host keeps its console on
 * its other GPU. The driver is whatever the device's `driver` link names: no list of drivers.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fb.h"
#include "log.h"
#include "resource.h"
#include "sysfs.h"

#define MAX_FB		4
#define MAX_RANGES	8
#define IORESOURCE_MEM	0x00000200

struct range {
	uint64_t start;
	uint64_t end;
};

/* the platform devices sysfb and the firmware set up (device names, not drivers) */
static const char *const fb_platform[] = {
	"efi-framebuffer.", "vesa-framebuffer.", "simple-framebuffer.",
	"platform-framebuffer.", "vga-framebuffer.", "ega-framebuffer.",
};

/* names the framebuffer's memory has in /proc/iomem, besides the platform device's own */
static const char *const fb_iomem[] = {
	"BOOTFB", "efifb", "vesafb", "simplefb", "simpledrm", "efidrm", "vesadrm",
};

struct fb {
	char dev[64];			/* simple-framebuffer.0 */
	char drv[DRIVER_NAME_MAX];	/* the driver bound to it */
	char parent[64];		/* the sysfs parent's name, "" when none */
};

struct fb_scan {
	struct fb *fb;
	int n;
};

static bool fb_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(fb_platform) / sizeof(*fb_platform); i++)
		if (!strncmp(name, fb_platform[i], strlen(fb_platform[i])))
			return true;
	return false;
}

/* the component before the last one of a link target: the device's parent */
static void link_parent(int dirfd, const char *name, char *out, size_t size)
{
	char target[PATH_MAX], *last, *prev;
	ssize_t n;

	out[0] = '\0';
	n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	last = strrchr(target, '/');
	if (!last)
		return;
	*last = '\0';
	prev = strrchr(target, '/');
	snprintf(out, size, "%s", prev ? prev + 1 : target);
}

static int fb_collect(int dirfd, const char *name, void *data)
{
	struct fb_scan *s = data;
	struct fb *f = &s->fb[s->n];
	char link[128];

	if (s->n == MAX_FB || !fb_name(name))
		return 0;
	/* a framebuffer device without a driver holds nothing */
	if (path_fmt(link, sizeof(link), "%s/driver", name) < 0 ||
	    read_link_name_at(dirfd, link, f->drv, sizeof(f->drv)) < 0 ||
	    !name_is_safe(f->drv))
		return 0;
	snprintf(f->dev, sizeof(f->dev), "%s", name);
	link_parent(dirfd, name, f->parent, sizeof(f->parent));
	s->n++;
	return 0;
}

/* the firmware framebuffer platform devices that have a driver bound */
static int fb_scan(struct vb_ctx *ctx, struct fb *fb)
{
	struct fb_scan s = { fb, 0 };
	char path[PATH_MAX];

	if (path_fmt(path, sizeof(path), "%s/bus/platform/devices", ctx->sysfs) < 0)
		return 0;
	dir_for_each(path, fb_collect, &s);
	return s.n;
}

/* the ranges /proc/iomem gives @f's memory; -1 when addresses read as zeros (no privilege) */
static int iomem_ranges(struct vb_ctx *ctx, const struct fb *f, struct range *r, int max)
{
	static char buf[64 * 1024];
	char path[PATH_MAX], *line, *next;
	bool zeros = false;
	int n = 0;
	size_t i;

	if (path_fmt(path, sizeof(path), "%s/iomem", ctx->proc) < 0 ||
	    read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	for (line = buf; line && *line && n < max; line = next) {
		uint64_t s, e;
		char name[64];
		bool match;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (iomem_line_parse(line, &s, &e, name, sizeof(name)) < 0)
			continue;
		match = !strcmp(name, f->dev);
		for (i = 0; !match && i < sizeof(fb_iomem) / sizeof(*fb_iomem); i++)
			match = !strcmp(name, fb_iomem[i]);
		if (!match)
			continue;
		if (!s && !e) {
			zeros = true;
			continue;
		}
		r[n].start = s;
		r[n++].end = e;
	}
	return n == 0 && zeros ? -1 : n;
}

/* the memory BAR of @d that holds one of the ranges, or -1 */
static int bar_holding(struct vb_ctx *ctx, const struct pci_dev *d, const struct range *r, int n)
{
	char path[PATH_MAX], buf[2048], *line, *next;
	int i, bar = 0;

	if (pci_dev_path(ctx, d, "resource", path, sizeof(path)) < 0 ||
	    read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	for (line = buf; line && *line; line = next, bar++) {
		uint64_t s, e, flags;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (bar_line_parse(line, &s, &e, &flags) < 0)
			continue;
		if (!(flags & IORESOURCE_MEM) || !e)
			continue;
		for (i = 0; i < n; i++)
			if (r[i].start >= s && r[i].end <= e)
				return bar;
	}
	return -1;
}

/*
 * The planned device that holds @f, or NULL (held by a device not being claimed, or by none
 * we can name). @how says by which rule.
 */
static struct pci_dev *fb_holder(struct vb_ctx *ctx, const struct fb *f, struct pci_list *list,
				 char *how, size_t hsize)
{
	struct range r[MAX_RANGES];
	struct pci_addr a;
	size_t i;
	int n, bar;

	/* a) the sysfs parent, when it is a PCI function */
	if (f->parent[0] && addr_parse(f->parent, &a, false) >= 0) {
		for (i = 0; i < list->n; i++)
			if (!strcmp(list->dev[i].name, f->parent))
				break;
		if (i == list->n || list->dev[i].outcome != OUT_PLANNED)
			return NULL;
		snprintf(how, hsize, "its parent in sysfs");
		return &list->dev[i];
	}
	/* b) the memory range inside a BAR */
	n = iomem_ranges(ctx, f, r, MAX_RANGES);
	if (n > 0) {
		for (i = 0; i < list->n; i++) {
			if (list->dev[i].outcome != OUT_PLANNED)
				continue;
			bar = bar_holding(ctx, &list->dev[i], r, n);
			if (bar < 0)
				continue;
			snprintf(how, hsize, "its memory %" PRIx64 "-%" PRIx64 " lies in BAR %d",
				 r[0].start, r[0].end, bar);
			return &list->dev[i];
		}
		return NULL;
	}
	if (n == 0)
		return NULL;
	/* c) no address to go by: the boot VGA device */
	for (i = 0; i < list->n; i++) {
		struct pci_dev *d = &list->dev[i];

		if (d->outcome != OUT_PLANNED)
			continue;
		pci_read_boot_vga(ctx, d);
		if (d->boot_vga == 1) {
			snprintf(how, hsize, "boot_vga (no address in %s/iomem)", ctx->proc);
			return d;
		}
	}
	return NULL;
}

/* the console sits on the framebuffer: take it off, unless another framebuffer remains */
static void unbind_fbcon(struct vb_ctx *ctx, int releasing)
{
	char path[PATH_MAX], buf[4096], *p;
	int i, fbs = 0;

	if (path_fmt(path, sizeof(path), "%s/fb", ctx->proc) >= 0 &&
	    read_file(path, buf, sizeof(buf)) >= 0)
		for (p = buf; (p = strchr(p, '\n')); p++)
			fbs++;
	if (fbs > releasing)
		return;
	for (i = 0; i < 16; i++) {
		if (path_fmt(path, sizeof(path), "%s/class/vtconsole/vtcon%d/name", ctx->sysfs,
			     i) < 0 || read_attr(path, buf, sizeof(buf)) < 0)
			continue;
		if (!strstr(buf, "frame buffer"))
			continue;
		if (path_fmt(path, sizeof(path), "%s/class/vtconsole/vtcon%d/bind", ctx->sysfs,
			     i) < 0 || read_attr(path, buf, sizeof(buf)) < 0 || strcmp(buf, "1"))
			continue;
		write_attr(ctx, path, "0");
	}
}

/* ", module simpledrm" when the driver names its module (built-in ones do too) */
static void driver_module(struct vb_ctx *ctx, const struct fb *f, char *out, size_t size)
{
	char path[PATH_MAX], mod[64];

	out[0] = '\0';
	if (path_fmt(path, sizeof(path), "%s/bus/platform/devices/%s/driver/module", ctx->sysfs,
		     f->dev) >= 0 && read_link_name(path, mod, sizeof(mod)) >= 0 &&
	    name_is_safe(mod) && strcmp(mod, f->drv))
		snprintf(out, size, ", module %s", mod);
}

int fb_release(struct vb_ctx *ctx, const struct request *req, struct pci_list *list)
{
	struct pci_dev *holder[MAX_FB];
	char how[MAX_FB][96], mod[80], path[PATH_MAX];
	struct fb fb[MAX_FB];
	int i, n, releasing = 0, err, ret = 0;

	/* the common case, no firmware framebuffer at all, costs one directory read */
	n = fb_scan(ctx, fb);
	for (i = 0; i < n; i++) {
		holder[i] = fb_holder(ctx, &fb[i], list, how[i], sizeof(how[i]));
		if (!holder[i])
			continue;
		if (req->keep_fb) {
			log_notice("%s keeps the boot framebuffer %s (vfio_bind.keep_fb=1); "
				   "vfio-pci may fail to reserve its BAR", holder[i]->name, fb[i].dev);
			holder[i] = NULL;
		} else if (ctx->dry_run) {
			log_notice("dry run: would release the boot framebuffer %s from %s",
				   fb[i].dev, holder[i]->name);
			holder[i] = NULL;
		} else {
			releasing++;
		}
	}
	if (!releasing)
		return 0;
	unbind_fbcon(ctx, releasing);
	for (i = 0; i < n; i++) {
		if (!holder[i])
			continue;
		driver_module(ctx, &fb[i], mod, sizeof(mod));
		err = path_fmt(path, sizeof(path), "%s/bus/platform/drivers/%s/unbind", ctx->sysfs,
			       fb[i].drv);
		if (err >= 0)
			err = write_attr(ctx, path, fb[i].dev);
		if (err < 0) {
			log_err("cannot release the boot framebuffer %s (%s%s) from %s: %s",
				fb[i].dev, fb[i].drv, mod, holder[i]->name, strerror(-err));
			ret = err;
			continue;
		}
		log_notice("released the boot framebuffer %s (%s%s) from %s: %s", fb[i].dev,
			   fb[i].drv, mod, holder[i]->name, how[i]);
	}
	return ret;
}
