/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CONFEDIT_H
#define VB_CONFEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cmdline.h"

/* does the argument @arg of `remove` name the selector @s of a file? */
bool confedit_covers(const struct selector *arg, const struct selector *s);

/*
 * @text (@len bytes, the file @path) without the selectors @args name, read as the boot reads
 * it (cmdline_parse_file()): afterwards the file parses to the same settings and the same
 * selectors, good and bad, less those removed. hits[i] counts the selectors args[i] took.
 * Returns how many went, with the new text in *out (malloc'd, *out_len bytes; NULL when none
 * went); or a refusal, -EINVAL (a NUL byte, a token that cannot be rewritten), -EFBIG (more
 * than the boot reads) or -E2BIG (past the selector limit), with @why naming the line.
 */
int confedit_remove(const char *path, const char *text, size_t len, const struct selector *args,
		    int nargs, unsigned *hits, char **out, size_t *out_len, char *why, size_t wsize);

/*
 * @text with @line ("vfio.bind=...") as its last line, checked the same way: the boot reads
 * what it read before, and then the selectors of @line. 0, or a refusal as above.
 */
int confedit_append(const char *path, const char *text, size_t len, const char *line,
		    char **out, size_t *out_len, char *why, size_t wsize);

/* What the boot would not read of @text: a NUL byte, or more than it reads. 0 or as above. */
int confedit_readable(const char *path, const char *text, size_t len, char *why, size_t wsize);

/* The change from @a to @b as a unified diff (diff -u, 3 lines of context) on @f. */
void confedit_diff(FILE *f, const char *old_name, const char *new_name, const char *a,
		   size_t alen, const char *b, size_t blen);

#endif
