// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compressed modules (.ko.xz, .ko.zst, .ko.gz). A kernel built with CONFIG_MODULE_DECOMPRESS
 * (Debian's 6.12, Fedora, Ubuntu) takes the compressed file itself through finit_module()
 * with MODULE_INIT_COMPRESSED_FILE: no decompressor in this binary. Otherwise libkmod
 * decompresses, if it was built with the library for that format.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "modfile.h"
#include "sysfs.h"

static const struct {
	enum mod_comp comp;
	const char *name;
	unsigned char magic[6];
	size_t len;
} formats[] = {
	{ MOD_GZIP, "gzip", { 0x1f, 0x8b }, 2 },
	{ MOD_XZ, "xz", { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6 },
	{ MOD_ZSTD, "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4 },
};

enum mod_comp mod_comp_of(const unsigned char *head, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (n >= formats[i].len && !memcmp(head, formats[i].magic, formats[i].len))
			return formats[i].comp;
	return MOD_PLAIN;
}

const char *mod_comp_name(enum mod_comp c)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (formats[i].comp == c)
			return formats[i].name;
	return "none";
}

bool kernel_decompresses(struct vb_ctx *ctx, enum mod_comp c)
{
	char path[PATH_MAX], buf[32];

	if (c == MOD_PLAIN)
		return true;
	if (path_fmt(path, sizeof(path), "%s/module/compression", ctx->sysfs) < 0 ||
	    read_attr(path, buf, sizeof(buf)) < 0)
		return false;
	return !strcmp(buf, mod_comp_name(c));
}

int modfile_plan(struct vb_ctx *ctx, int fd, enum mod_comp *comp, unsigned *flags)
{
	unsigned char head[6];
	ssize_t n;

	*comp = MOD_PLAIN;
	*flags = 0;
	n = pread(fd, head, sizeof(head), 0);
	if (n < 0)
		return -errno;
	*comp = mod_comp_of(head, n);
	if (*comp == MOD_PLAIN)
		return 0;
	if (kernel_decompresses(ctx, *comp)) {
		*flags = MODULE_INIT_COMPRESSED_FILE;
		return 0;
	}
	return -EAGAIN;
}
