/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_BLS_H
#define VB_BLS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The value of @name in a GRUB environment block (grubenv: the "# GRUB Environment Block"
 * header, name=value lines with \-escapes, '#' padding), unescaped into @buf, as
 * grub_envblk_iterate() reads it; the last one wins. 1: found; 0: not there (or not a block).
 */
int grubenv_get(const char *blk, size_t len, const char *name, char *buf, size_t size);

/*
 * A Boot Loader Specification entry's kernel options: every "options" line, in order, joined
 * by one space (the specification); each $NAME or ${NAME} in them replaced by its value in
 * the environment block @env (RHEL 8's "options $kernelopts"), @env NULL: none. Returns the
 * number of "options" lines, or -E2BIG when @out is too small; @unset names (the first) a
 * variable the block does not have (GRUB's own grub.cfg may set it: uncertain), "" if none.
 */
int bls_options(const char *entry, size_t len, const char *env, size_t envlen, char *out,
		size_t size, char *unset, size_t unsetsize);

#endif
