// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libkmod.h>

#include "log.h"
#include "modconf.h"
#include "modload.h"

static void kmod_log(void *data, int prio, const char *file, int line, const char *fn,
		     const char *fmt, va_list args)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, args);
	msg[strcspn(msg, "\n")] = '\0';
	/* libkmod's errors are ours to explain; keep its words for debugging */
	vb_log(prio <= VB_ERR ? VB_WARN : VB_DEBUG, "libkmod: %s", msg);
}

static struct kmod_ctx *kmod_open(struct vb_ctx *ctx)
{
	char dirs[MODCONF_NDIRS][PATH_MAX];
	struct kmod_ctx *k;

	/* the system's modprobe.d (under --root for a test tree), whatever libkmod was built with */
	k = kmod_new(ctx->moddir, modconf_paths(ctx, dirs));
	if (!k)
		return NULL;
	kmod_set_log_fn(k, kmod_log, NULL);
	/* without indexes libkmod falls back to slower lookups; that is not an error */
	kmod_load_resources(k);
	return k;
}

struct resolve_cb {
	void (*cb)(const char *module, void *data);
	void *data;
};

static int probe(struct vb_ctx *ctx, const char *name, unsigned flags,
		 void (*print)(struct kmod_module *, bool, const char *))
{
	const char *extra = modname_eq(name, "vfio_pci") ? ctx->load_opts : NULL;
	struct kmod_list *list = NULL, *l;
	struct kmod_ctx *k;
	int err;

	k = kmod_open(ctx);
	if (!k)
		return -ENOMEM;
	err = kmod_module_new_from_lookup(k, name, &list);
	if (err >= 0 && !list)
		err = -ENOENT;
	kmod_list_foreach(l, list) {
		struct kmod_module *mod = kmod_module_get_module(l);

		if (!(flags & KMOD_PROBE_DRY_RUN)) {
			int state = kmod_module_get_initstate(mod);

			if (state == KMOD_MODULE_BUILTIN || state == KMOD_MODULE_LIVE) {
				kmod_module_unref(mod);
				err = 0;
				break;
			}
		}
		/* load_opts go last: for vfio-pci an empty ids= that wins over the configured one */
		err = kmod_module_probe_insert_module(mod, flags, extra, NULL, NULL, print);
		kmod_module_unref(mod);
		/* a positive answer is libkmod's blacklist verdict */
		if (err > 0)
			err = -EPERM;
		if (err == 0)
			break;
	}
	kmod_module_unref_list(list);
	kmod_unref(k);
	return err;
}

int modload_real(struct vb_ctx *ctx, const char *name)
{
	/* a test tree (--root, --sysfs) must never load modules into the running kernel */
	if (strcmp(ctx->sysfs, "/sys"))
		return -EXDEV;
	return probe(ctx, name, KMOD_PROBE_APPLY_BLACKLIST, NULL);
}

static struct resolve_cb *resolve_target;

static void resolve_print(struct kmod_module *m, bool install, const char *options)
{
	if (resolve_target && !install)
		resolve_target->cb(kmod_module_get_name(m), resolve_target->data);
}

int modload_resolve(struct vb_ctx *ctx, const char *name,
		    void (*cb)(const char *module, void *data), void *data)
{
	struct resolve_cb rc = { cb, data };
	int err;

	/* libkmod's print callback has no user data: keep the target for the call's span */
	resolve_target = &rc;
	err = probe(ctx, name, KMOD_PROBE_DRY_RUN | KMOD_PROBE_IGNORE_LOADED |
		    KMOD_PROBE_APPLY_BLACKLIST, resolve_print);
	resolve_target = NULL;
	return err;
}
