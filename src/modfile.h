/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_MODFILE_H
#define VB_MODFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"

/* finit_module(2): the file is compressed, the kernel decompresses it (Linux 6.4) */
#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4
#endif

enum mod_comp { MOD_PLAIN, MOD_GZIP, MOD_XZ, MOD_ZSTD };

/* A module file's compression, from its first bytes (the name may lie: dracut keeps .ko.xz). */
enum mod_comp mod_comp_of(const unsigned char *head, size_t n);
/* The name /sys/module/compression uses: "gzip", "xz", "zstd"; "none" for MOD_PLAIN. */
const char *mod_comp_name(enum mod_comp c);

/*
 * Whether the running kernel decompresses @c itself (CONFIG_MODULE_DECOMPRESS): it names its
 * one format in SYSFS/module/compression.
 */
bool kernel_decompresses(struct vb_ctx *ctx, enum mod_comp c);

/*
 * How to hand the module file @fd to the kernel: 0 with *flags for finit_module() when the
 * kernel takes the file as it is (plain, or compressed in the format it decompresses);
 * -EAGAIN when it is compressed and the kernel cannot take it: libkmod must decompress it
 * in user space (it can when built with that format's library). *comp is set.
 */
int modfile_plan(struct vb_ctx *ctx, int fd, enum mod_comp *comp, unsigned *flags);

#endif
