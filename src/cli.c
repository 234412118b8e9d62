// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Options, paths, command dispatch, and the one place where errors become exit codes.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
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

/* the path options first, in the order of union paths */
enum {
	OPT_ROOT = 256, OPT_SYSFS, OPT_PROC, OPT_CMDLINE, OPT_CMDLINE_DIR, OPT_KMSG, OPT_MODDIR,
	OPT_CONFIG, OPT_DRY_RUN, OPT_JSON, OPT_FORCE, OPT_NO_REBUILD, OPT_NEXT_BOOT,
	OPT_VMS, OPT_NOW,
};
#define NPATHS	(OPT_CONFIG - OPT_ROOT + 1)

static const struct option options[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "sysfs", required_argument, NULL, OPT_SYSFS },
	{ "proc", required_argument, NULL, OPT_PROC },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "cmdline-dir", required_argument, NULL, OPT_CMDLINE_DIR },
	{ "kmsg", required_argument, NULL, OPT_KMSG },
	{ "moddir", required_argument, NULL, OPT_MODDIR },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "no-rebuild", no_argument, NULL, OPT_NO_REBUILD },
	{ "next-boot", no_argument, NULL, OPT_NEXT_BOOT },
	{ "vms", no_argument, NULL, OPT_VMS },
	{ "now", no_argument, NULL, OPT_NOW },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

/* each path: its option, else VFIO_BIND_ and the option's name in capitals, else the default */
static int setup_paths(struct vb_ctx *ctx, const char *const opt[NPATHS])
{
	/* the defaults under ROOT ("" for /), but PROC/cmdline; the modules' under the release */
	static const char def[NPATHS][20] = {
		"", "/sys", "/proc", "/cmdline", "/etc/cmdline.d", "/dev/kmsg", "/lib/modules/",
		"/etc/vfio-bind.conf",
	};
	static const unsigned short off[NPATHS] = {
		offsetof(struct vb_ctx, root), offsetof(struct vb_ctx, sysfs),
		offsetof(struct vb_ctx, proc), offsetof(struct vb_ctx, cmdline),
		offsetof(struct vb_ctx, cmdline_dir), offsetof(struct vb_ctx, kmsg),
		offsetof(struct vb_ctx, moddir), offsetof(struct vb_ctx, config),
	};
	const char *root = "", *v;
	char env[32], *c;
	struct utsname u;
	int err = 0, i;

	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	for (i = 0; i < NPATHS; i++) {
		snprintf(env, sizeof(env), "VFIO_BIND_%s", options[i].name);
		/* option names are lower-case letters and '-' */
		for (c = env; *c; c++)
			*c = *c == '-' ? '_' : *c & ~0x20;
		/* an empty variable is no variable; an empty option is an empty path */
		v = opt[i];
		if (!v && (v = getenv(env)) && !*v)
			v = NULL;
		if (i == 0) {
			/* "/" + "/sys" would give "//sys": keep paths tidy for messages */
			if (v && strcmp(v, "/"))
				root = v;
			v = *root ? root : "/";
		}
		err |= v ? path_fmt((char *)ctx + off[i], PATH_MAX, "%s", v) :
		       path_fmt((char *)ctx + off[i], PATH_MAX, "%s%s%s",
				i == OPT_CMDLINE - OPT_ROOT ? ctx->proc : root, def[i],
				i == OPT_MODDIR - OPT_ROOT ? u.release : "");
	}
	err |= path_fmt(ctx->config_dir, PATH_MAX, "%s.d", ctx->config);
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
	static struct vb_kmod kmod_storage;
	struct vb_ctx *ctx = &ctx_storage;
	const char *p[NPATHS] = { 0 };
	const char *cmd, *bad = NULL;
	bool help = false;
	int c, err;

	ctx->ops = ops;
	ctx->kmod = &kmod_storage;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hV", options, NULL)) != -1) {
		if (c >= OPT_ROOT && c <= OPT_CONFIG) {
			p[c - OPT_ROOT] = optarg;
			continue;
		}
		switch (c) {
		case OPT_DRY_RUN: ctx->dry_run = true; break;
		case OPT_JSON: ctx->json = true; break;
		case OPT_FORCE: ctx->force = true; break;
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
	err = setup_paths(ctx, p);
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
