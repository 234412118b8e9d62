/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_MODCONF_H
#define VB_MODCONF_H

#include <stdbool.h>

#include "ctx.h"

/*
 * The modprobe.d configuration, read the way libkmod (kmod 30, libkmod-config.c) reads it:
 * *.conf and *.alias files from the directories below (under ctx->root) and depmod's
 * modules.softdep, sorted by file name across all of them; of two files with the same name
 * only the one in the earlier directory counts. Files and lines of any length; '\' before a
 * newline joins two lines, before any other byte it stands for that byte.
 */
#define MODCONF_NDIRS	5
extern const char *const modconf_dirs[MODCONF_NDIRS];

/* The directories under ctx->root, NULL-terminated, for kmod_new(); @buf holds the strings. */
const char *const *modconf_paths(const struct vb_ctx *ctx, char buf[][PATH_MAX]);

/*
 * libkmod's answer, on a context made as modload makes it: the options libkmod passes to
 * @module (modprobe.d's "options" lines in order, then what libkmod reads from /proc/cmdline,
 * joined by spaces); malloc'd, "" when none, NULL when libkmod fails. That is what a load
 * acts on; modconf_walk() only says where it comes from.
 */
char *modconf_options(const struct vb_ctx *ctx, const char *module);

/*
 * One configuration line libkmod keeps (a line it ignores as bad is not seen): @cmd
 * ("options", "blacklist", "alias", "install", "remove", "softdep"), @mod as libkmod stores
 * it ('-' turned into '_' outside [...]), @rest what follows it (options: as libkmod keeps
 * them, tabs turned into spaces; alias: the module; blacklist: what follows the name).
 * @file and @line (where the logical line starts) say where. A non-zero return stops the walk.
 */
typedef int (*modconf_fn)(const char *file, unsigned line, const char *cmd, const char *mod,
			  char *rest, void *data);
int modconf_walk(const struct vb_ctx *ctx, modconf_fn fn, void *data);

/* Module names compare with '-' and '_' alike, as kmod compares them. */
bool modname_eq(const char *a, const char *b);

#endif
