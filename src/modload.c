// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libkmod.h>

#include "log.h"
#include "modconf.h"
#include "modfile.h"
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

struct kmod_ctx *modload_kmod(const struct vb_ctx *ctx, bool resources)
{
	struct vb_kmod *run = ctx->kmod;
	char dirs[MODCONF_NDIRS][PATH_MAX];
	struct kmod_ctx *k = run ? run->k : NULL;

	if (!k) {
		/* the system's modprobe.d (under --root for a test tree), whatever libkmod was
		 * built with */
		k = kmod_new(ctx->moddir, modconf_paths(ctx, dirs));
		if (!k)
			return NULL;
		kmod_set_log_fn(k, kmod_log, NULL);
		if (run)
			run->k = k;
	}
	/* vfio_bind.debug=1: libkmod's own info and debug messages too */
	if (log_get_max_prio() >= VB_DEBUG)
		kmod_set_log_priority(k, VB_DEBUG);
	/* without indexes libkmod falls back to slower lookups; that is not an error */
	if (resources && !(run && run->resources)) {
		kmod_load_resources(k);
		if (run)
			run->resources = true;
	}
	/* the run's context lives to the end of the run (exit frees it) */
	return run ? kmod_ref(k) : k;
}

int modload_blacklisted(const struct vb_ctx *ctx, const char *module)
{
	struct kmod_ctx *k = modload_kmod(ctx, false);
	struct kmod_config_iter *it = kmod_config_get_blacklists(k);
	int ret = it ? 0 : -ENOMEM;

	while (!ret && it && kmod_config_iter_next(it))
		ret = modname_eq(kmod_config_iter_get_key(it), module);
	/* it takes no NULL */
	if (it)
		kmod_config_iter_free_iter(it);
	kmod_unref(k);
	return ret;
}

struct resolve_cb {
	void (*cb)(const char *module, void *data);
	void *data;
};

/*
 * libkmod decides what to load (dependencies, softdeps, options, blacklists) in a dry run;
 * this file inserts, so that a compressed module can go to the kernel as it is.
 */
#define MAX_STEPS	32

struct step {
	struct kmod_module *mod;
	bool install;		/* an "install" command from modprobe.d runs instead */
	char *options;
};

static struct {
	struct step s[MAX_STEPS];
	int n;
	bool overflow;
} steps;

static void collect(struct kmod_module *m, bool install, const char *options)
{
	if (steps.n == MAX_STEPS) {
		steps.overflow = true;
		return;
	}
	steps.s[steps.n].mod = kmod_module_ref(m);
	steps.s[steps.n].install = install;
	steps.s[steps.n++].options = strdup(options ? options : "");
}

static void steps_clear(void)
{
	int i;

	for (i = 0; i < steps.n; i++) {
		kmod_module_unref(steps.s[i].mod);
		free(steps.s[i].options);
	}
	steps.n = 0;
	steps.overflow = false;
}

static int insert_file(struct vb_ctx *ctx, struct kmod_module *m, const char *options)
{
	const char *path = kmod_module_get_path(m);
	enum mod_comp comp;
	unsigned flags;
	int fd, err;

	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = modfile_plan(ctx, fd, &comp, &flags);
	if (!err) {
		err = syscall(SYS_finit_module, fd, options, flags) ? -errno : 0;
		close(fd);
		/* a kernel without finit_module(2) or without the flag: libkmod's way */
		if (err != -ENOSYS && !(err == -EINVAL && flags))
			return err;
	} else {
		close(fd);
		if (err != -EAGAIN)
			return err;
	}
	err = kmod_module_insert_module(m, 0, options);
	if (err == -ENOEXEC && comp != MOD_PLAIN)
		log_err("%s is %s-compressed: the kernel does not decompress %s modules "
			"(%s/module/compression) and libkmod could not", path,
			mod_comp_name(comp), mod_comp_name(comp), ctx->sysfs);
	return err;
}

static bool required(struct kmod_module *target, struct kmod_list *deps, struct kmod_module *m)
{
	struct kmod_list *l;

	if (m == target)
		return true;
	kmod_list_foreach(l, deps) {
		struct kmod_module *d = kmod_module_get_module(l);
		bool same = d == m;

		kmod_module_unref(d);
		if (same)
			return true;
	}
	return false;
}

static int load(struct vb_ctx *ctx, struct kmod_module *mod, unsigned flags,
		const char *extra)
{
	struct kmod_list *deps;
	int i, err;

	steps_clear();
	err = kmod_module_probe_insert_module(mod, flags | KMOD_PROBE_DRY_RUN, extra, NULL, NULL,
					      collect);
	if (err || steps.overflow) {
		steps_clear();
		return err ? err : -E2BIG;
	}
	deps = kmod_module_get_dependencies(mod);
	for (i = 0; i < steps.n; i++) {
		struct step *st = &steps.s[i];

		if (st->install)
			err = kmod_module_probe_insert_module(st->mod, flags,
							      st->mod == mod ? extra : NULL,
							      NULL, NULL, NULL);
		else
			err = insert_file(ctx, st->mod, st->options);
		if (err == -EEXIST)
			err = 0;
		if (!err)
			continue;
		/* as modprobe: a softdep that fails to load is not the module's failure */
		if (!required(mod, deps, st->mod)) {
			log_warn("loading %s (a softdep of %s) failed: %s",
				 kmod_module_get_name(st->mod), kmod_module_get_name(mod),
				 strerror(err < 0 ? -err : EPERM));
			err = 0;
			continue;
		}
		break;
	}
	kmod_module_unref_list(deps);
	steps_clear();
	return err;
}

static int probe(struct vb_ctx *ctx, const char *name, unsigned flags,
		 void (*print)(struct kmod_module *, bool, const char *))
{
	const char *extra = modname_eq(name, "vfio_pci") ? ctx->load_opts : NULL;
	struct kmod_list *list = NULL, *l;
	struct kmod_ctx *k;
	int err;

	k = modload_kmod(ctx, true);
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
		if (flags & KMOD_PROBE_DRY_RUN)
			err = kmod_module_probe_insert_module(mod, flags, extra, NULL, NULL,
							      print);
		else
			err = load(ctx, mod, flags, extra);
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
