// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modload.c against a real kernel's modules directory (Debian's, unpacked by
 * tests/qemu-boot/get-kernel.sh): resolves vfio-pci through libkmod without inserting
 * anything and prints each module that would be loaded, in order, one a line.
 *   test-modload MODDIR NAME
 */
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "log.h"
#include "modload.h"

static void print(const char *module, void *data)
{
	(*(int *)data)++;
	printf("%s\n", module);
}

int main(int argc, char **argv)
{
	static struct vb_ctx ctx;
	int n = 0, err;

	if (argc != 3) {
		fprintf(stderr, "usage: test-modload MODDIR NAME\n");
		return 2;
	}
	snprintf(ctx.moddir, sizeof(ctx.moddir), "%s", argv[1]);
	log_open_stream(stderr);
	err = modload_resolve(&ctx, argv[2], print, &n);
	if (err < 0) {
		fprintf(stderr, "resolve %s: %s\n", argv[2], strerror(-err));
		return 1;
	}
	return n ? 0 : 1;
}
