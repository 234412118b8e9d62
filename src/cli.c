// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Options, paths, command dispatch, and the one place where errors become exit codes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "boot.h"
#include "commands.h"
#include "ctx.h"
#include "help.h"
#include "late.h"
#include "log.h"
#include "report.h"
#include "sysfs.h"

enum {
	OPT_ROOT = 256, OPT_SYSFS, OPT_PROC, OPT_CMDLINE, OPT_CMDLINE_DIR, OPT_KMSG, OPT_MODDIR,
	OPT_DRY_RUN, OPT_JSON, OPT_FORCE, OPT_CONFIG, OPT_NO_REBUILD, OPT_NEXT_BOOT,
	OPT_VMS, OPT_NOW,
};

static const struct option options[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "sysfs", required_argument, NULL, OPT_SYSFS },
	{ "proc", required_argument, NULL, OPT_PROC },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "cmdline-dir", required_argument, NULL, OPT_CMDLINE_DIR },
	{ "kmsg", required_argument, NULL, OPT_KMSG },
	{ "moddir", required_argument, NULL, OPT_MODDIR },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "no-rebuild", no_argument, NULL, OPT_NO_REBUILD },
	{ "next-boot", no_argument, NULL, OPT_NEXT_BOOT },
	{ "vms", no_argument, NULL, OPT_VMS },
	{ "now", no_argument, NULL, OPT_NOW },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

struct paths {
	const char *root, *sysfs, *proc, *cmdline, *cmdline_dir, *kmsg, *moddir, *config;
};

static const char *pick(const char *opt, const char *env)
{
	const char *v;

	if (opt)
		return opt;
	v = getenv(env);
	return v && *v ? v : NULL;
}

static int set_path(char *dst, const char *given, const char *fmt, const char *a,
		    const char *b)
{
	if (given)
		return path_fmt(dst, PATH_MAX, "%s", given);
	return path_fmt(dst, PATH_MAX, fmt, a, b);
}

static int setup_paths(struct vb_ctx *ctx, const struct paths *p)
{
	const char *root = pick(p->root, "VFIO_BIND_ROOT");
	struct utsname u;
	int err = 0;

	/* "/" + "/sys" would give "//sys": keep paths tidy for messages */
	if (!root || !strcmp(root, "/"))
		root = "";
	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	err |= path_fmt(ctx->root, PATH_MAX, "%s", *root ? root : "/");
	err |= set_path(ctx->sysfs, pick(p->sysfs, "VFIO_BIND_SYSFS"), "%s/sys", root, "");
	err |= set_path(ctx->proc, pick(p->proc, "VFIO_BIND_PROC"), "%s/proc", root, "");
	err |= set_path(ctx->cmdline, pick(p->cmdline, "VFIO_BIND_CMDLINE"), "%s/cmdline",
			ctx->proc, "");
	err |= set_path(ctx->cmdline_dir, pick(p->cmdline_dir, "VFIO_BIND_CMDLINE_DIR"),
			"%s/etc/cmdline.d", root, "");
	err |= set_path(ctx->config, pick(p->config, "VFIO_BIND_CONFIG"), "%s/etc/vfio-bind.conf",
			root, "");
	err |= path_fmt(ctx->config_dir, PATH_MAX, "%s.d", ctx->config);
	err |= set_path(ctx->kmsg, pick(p->kmsg, "VFIO_BIND_KMSG"), "%s/dev/kmsg", root, "");
	err |= set_path(ctx->moddir, pick(p->moddir, "VFIO_BIND_MODDIR"), "%s/lib/modules/%s",
			root, u.release);
	return err < 0 ? -ENAMETOOLONG : 0;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vfio-bind: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'vfio-bind --help'.\n");
	return -EUSAGE;
}

int vfio_bind_main(int argc, char **argv, const struct kernel_ops *ops)
{
	static struct vb_ctx ctx_storage;
	struct vb_ctx *ctx = &ctx_storage;
	struct paths p = { 0 };
	const char *cmd, *bad = NULL;
	bool help = false;
	int c, err;

	ctx->ops = ops;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hV", options, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: p.root = optarg; break;
		case OPT_SYSFS: p.sysfs = optarg; break;
		case OPT_PROC: p.proc = optarg; break;
		case OPT_CMDLINE: p.cmdline = optarg; break;
		case OPT_CMDLINE_DIR: p.cmdline_dir = optarg; break;
		case OPT_KMSG: p.kmsg = optarg; break;
		case OPT_MODDIR: p.moddir = optarg; break;
		case OPT_DRY_RUN: ctx->dry_run = true; break;
		case OPT_JSON: ctx->json = true; break;
		case OPT_FORCE: ctx->force = true; break;
		case OPT_CONFIG: p.config = optarg; break;
		case OPT_NO_REBUILD: ctx->no_rebuild = true; break;
		case OPT_NEXT_BOOT: ctx->next_boot = true; break;
		case OPT_VMS: ctx->vms = true; break;
		case OPT_NOW: ctx->now = true; break;
		case 'h':
			help = true;
			break;
		case 'V':
			printf("vfio-bind %s\n", VFIO_BIND_VERSION);
			err = 0;
			goto out;
		default:
			/* boot's is only logged: see below */
			if (!bad)
				bad = argv[optind - 1];
			break;
		}
	}
	if (help) {
		/* COMMAND --help: that command's part */
		err = help_print(stdout, optind < argc ? argv[optind] : NULL);
		if (err == -ENOENT)
			err = usage_error("no command '%s'", argv[optind]);
		else if (err < 0)
			fprintf(stderr, "vfio-bind: cannot print the help: %s\n", strerror(-err));
		goto out;
	}
	if (bad && (optind >= argc || strcmp(argv[optind], "boot"))) {
		err = usage_error("unknown or incomplete option '%s'", bad);
		goto out;
	}
	err = setup_paths(ctx, &p);
	if (err < 0) {
		fprintf(stderr, "vfio-bind: a path is too long\n");
		goto out;
	}
	if (optind >= argc) {
		err = usage_error("%s", "no command given");
		goto out;
	}
	cmd = argv[optind++];
	if (!strcmp(cmd, "boot")) {
		log_open_kmsg(ctx->kmsg);
		/*
		 * boot never fails, not even on a stray argument or option (an initramfs script
		 * that stops on an error would stop the boot): say so and do the work
		 */
		if (optind < argc || bad) {
			char esc[96];

			str_escape(esc, sizeof(esc), bad ? bad : argv[optind], 40);
			log_warn("boot takes no %s ('%s'); ignored", bad ? "such option" : "argument",
				 esc);
		}
		err = cmd_boot(ctx);
	} else if (!strcmp(cmd, "hotplug")) {
		/* the udev rule's command: the kernel log, like boot */
		log_open_kmsg(ctx->kmsg);
		err = cmd_hotplug(ctx, argc - optind, argv + optind);
	} else {
		log_open_stream(stderr);
		err = commands_run(ctx, cmd, argc - optind, argv + optind);
	}
out:
	log_close();
	if (err == -EUSAGE)
		return 2;
	return err >= 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
