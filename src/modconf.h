/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_MODCONF_H
#define VB_MODCONF_H

#include <stdbool.h>

#include "ctx.h"

/*
 * The modprobe.d configuration, read the way libkmod reads it: *.conf files from the
 * directories below (under ctx->root), sorted by file name across all of them; of two files
 * with the same name only the one in the earlier directory counts. Lines ending in '\' go on.
 */
#define MODCONF_NDIRS	5
extern const char *const modconf_dirs[MODCONF_NDIRS];

/* The directories under ctx->root, NULL-terminated, for kmod_new(); @buf holds the strings. */
const char *const *modconf_paths(const struct vb_ctx *ctx, char buf[][PATH_MAX]);

/*
 * One configuration line: @cmd ("options", "blacklist", ...), @mod with '-' turned into
 * '_' (NULL when the line has none), @rest what follows it. @file and @line say where.
 * A non-zero return stops the walk.
 */
typedef int (*modconf_fn)(const char *file, unsigned line, const char *cmd, const char *mod,
			  char *rest, void *data);
int modconf_walk(const struct vb_ctx *ctx, modconf_fn fn, void *data);

/* Module names compare with '-' and '_' alike, as kmod compares them. */
bool modname_eq(const char *a, const char *b);

#endif
