// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A VF held back by sriov_drivers_autoprobe=0 is probed by no driver, not even through
 * drivers_probe: the kernel lets a held VF bind only when driver_override names a driver
 * (pci_device_can_probe()). To give a VF no selector wants to its own driver, vfio-bind needs
 * that driver's name: this file finds it the way udev's kmod builtin finds the module.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "hostdrv.h"
#include "log.h"
#include "sysfs.h"

struct drv_walk {
	char *drv;
	size_t size;
	int found;
};

int hostdrv_driver_entry(const char *entry, char *drv, size_t size)
{
	/* it is written to driver_override and logged: a plain name only */
	if (strncmp(entry, "pci:", 4) || !name_is_safe(entry + 4) || strlen(entry + 4) >= size)
		return -EINVAL;
	memcpy(drv, entry + 4, strlen(entry + 4) + 1);
	return 0;
}

static int driver_entry(int dirfd, const char *name, void *data)
{
	struct drv_walk *w = data;

	if (hostdrv_driver_entry(name, w->drv, w->size) < 0)
		return 0;
	w->found = 1;
	return 1;
}

int hostdrv_alias_parse(char *line, char **pat, char **mod)
{
	char *w[3];

	if (split_words(line, w, 3) < 3 || strcmp(w[0], "alias"))
		return -EINVAL;
	if (strncmp(w[1], "pci:", 4) || strlen(w[1]) > 383 || strlen(w[2]) > 63)
		return -EINVAL;
	/* the module's name becomes part of a path (/sys/module/NAME) */
	if (!name_is_safe(w[2]) || strchr(w[2], '*'))
		return -EINVAL;
	*pat = w[1];
	*mod = w[2];
	return 0;
}

/* the PCI driver a loaded (or built-in) module registered */
static int module_driver(struct vb_ctx *ctx, const char *module, char *drv, size_t size)
{
	struct drv_walk w = { drv, size, 0 };
	char path[PATH_MAX], mod[64];
	size_t i;

	snprintf(mod, sizeof(mod), "%s", module);
	for (i = 0; mod[i]; i++)
		if (mod[i] == '-')
			mod[i] = '_';
	if (path_fmt(path, sizeof(path), "%s/module/%s/drivers", ctx->sysfs, mod) < 0)
		return -ENAMETOOLONG;
	dir_for_each(path, driver_entry, &w);
	return w.found ? 0 : -ENOENT;
}

/* every module whose alias matches @modalias, tried in file order */
static int try_aliases(struct vb_ctx *ctx, const char *file, const char *modalias, char *drv,
		       size_t size)
{
	char path[PATH_MAX], line[512], *pat, *mod;
	FILE *f;
	int err = -ENOENT;

	if (path_fmt(path, sizeof(path), "%s/%s", ctx->moddir, file) < 0)
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	while (err < 0 && fgets(line, sizeof(line), f)) {
		if (hostdrv_alias_parse(line, &pat, &mod) < 0)
			continue;
		if (fnmatch(pat, modalias, 0) || !strncmp(mod, "vfio", 4))
			continue;
		/* as udev would: load it (nothing happens when it is loaded or built in) */
		ctx->ops->load_module(ctx, mod);
		err = module_driver(ctx, mod, drv, size);
		if (!err)
			log_debug("modalias %s: module %s, driver %s", modalias, mod, drv);
	}
	fclose(f);
	return err;
}

int hostdrv_find(struct vb_ctx *ctx, const struct pci_dev *d, char *drv, size_t size)
{
	char path[PATH_MAX], modalias[128];
	int err;

	err = pci_dev_path(ctx, d, "modalias", path, sizeof(path));
	if (err < 0)
		return err;
	err = read_attr(path, modalias, sizeof(modalias));
	if (err <= 0)
		return err < 0 ? err : -ENOENT;
	err = try_aliases(ctx, "modules.alias", modalias, drv, size);
	if (err < 0)
		err = try_aliases(ctx, "modules.builtin.alias", modalias, drv, size);
	return err;
}
