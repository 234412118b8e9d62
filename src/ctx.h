/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CTX_H
#define VB_CTX_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* internal: a usage error (exit status 2); all other errors are negative errno */
#define EUSAGE	4095

struct vb_ctx;
struct pci_seen_list;
struct kmod_ctx;

/*
 * One libkmod context for the whole run (modload_kmod()), as modprobe keeps one: modprobe.d
 * and the command line are parsed once, the module indexes loaded once when a load needs them.
 */
struct vb_kmod {
	struct kmod_ctx *k;
	bool resources;		/* kmod_load_resources() done */
};

/*
 * Everything that changes the kernel's state goes through these two calls, so the unit tests
 * can put a simulated kernel behind them (tests/unit/sim-kernel.c).
 */
struct kernel_ops {
	int (*write_attr)(struct vb_ctx *ctx, const char *path, const char *val);
	int (*load_module)(struct vb_ctx *ctx, const char *name);
};

extern const struct kernel_ops kernel_real;

struct vb_ctx {
	char root[PATH_MAX];
	char sysfs[PATH_MAX];
	char proc[PATH_MAX];
	char cmdline[PATH_MAX];
	char cmdline_dir[PATH_MAX];
	char config[PATH_MAX];		/* the persistent claims, /etc/vfio-bind.conf */
	char config_dir[PATH_MAX];	/* CONFIG.d: more of them, *.conf */
	char kmsg[PATH_MAX];
	char moddir[PATH_MAX];
	bool dry_run;
	bool json;
	bool force;
	bool no_rebuild;		/* add, remove: print the initramfs command, do not run it */
	bool next_boot;			/* check: the plan of the next boot */
	bool vms;			/* suggest, add: the devices this node's VMs use */
	bool now;			/* add: claim now too */
	bool late;		/* one device that arrived after the boot pass (hotplug) */
	const char *load_opts;	/* appended to vfio-pci's configured options when it is loaded */
	/* boot: every function its scan read (pci.h), so that no step reads a uevent again */
	const struct pci_seen_list *seen;
	/* the run's libkmod context (modload.c); NULL: each use makes and drops its own */
	struct vb_kmod *kmod;
	const struct kernel_ops *ops;
};

int vfio_bind_main(int argc, char **argv, const struct kernel_ops *ops);

#endif
