// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modfile.c on a real kernel's modules directory (the 6.12 package's .ko.xz, unpacked by
 * tests/qemu-boot/get-kernel.sh --k2): resolves NAME through modload_resolve (libkmod, as
 * the binary does), then for each module says how it would go to the kernel whose sysfs is
 * SYSFS (its module/compression file, or none):
 *   MODULE FORMAT finit          the file as it is
 *   MODULE FORMAT finit-compressed   MODULE_INIT_COMPRESSED_FILE: the kernel decompresses
 *   MODULE FORMAT libkmod        libkmod must decompress it in user space
 *   test-modfile MODDIR SYSFS NAME
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libkmod.h>

#include "ctx.h"
#include "log.h"
#include "modfile.h"
#include "modload.h"

static struct vb_ctx ctx;
static struct kmod_ctx *k;
static int failed, n;

static void show(const char *module, void *data)
{
	struct kmod_module *m;
	enum mod_comp comp;
	unsigned flags;
	const char *path;
	int fd, err;

	n++;
	if (kmod_module_new_from_name(k, module, &m) < 0 || !(path = kmod_module_get_path(m))) {
		printf("%s ? no path\n", module);
		failed = 1;
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("%s ? %s: %s\n", module, path, strerror(errno));
		failed = 1;
		kmod_module_unref(m);
		return;
	}
	err = modfile_plan(&ctx, fd, &comp, &flags);
	close(fd);
	if (err == -EAGAIN)
		printf("%s %s libkmod\n", module, mod_comp_name(comp));
	else if (err < 0)
		printf("%s %s error %s\n", module, mod_comp_name(comp), strerror(-err));
	else
		printf("%s %s %s\n", module, mod_comp_name(comp),
		       flags & MODULE_INIT_COMPRESSED_FILE ? "finit-compressed" : "finit");
	kmod_module_unref(m);
}

int main(int argc, char **argv)
{
	int err;

	if (argc != 4) {
		fprintf(stderr, "usage: test-modfile MODDIR SYSFS NAME\n");
		return 2;
	}
	snprintf(ctx.moddir, sizeof(ctx.moddir), "%s", argv[1]);
	snprintf(ctx.sysfs, sizeof(ctx.sysfs), "%s", argv[2]);
	log_open_stream(stderr);
	k = kmod_new(argv[1], NULL);
	if (!k)
		return 1;
	err = modload_resolve(&ctx, argv[3], show, NULL);
	kmod_unref(k);
	if (err < 0) {
		fprintf(stderr, "resolve %s: %s\n", argv[3], strerror(-err));
		return 1;
	}
	return failed || !n;
}
