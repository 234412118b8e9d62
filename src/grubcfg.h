/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_GRUBCFG_H
#define VB_GRUBCFG_H

#include <stdbool.h>
#include <stddef.h>

/* a value longer than this is not followed (the kernel's command line is far shorter) */
#define GRUBCFG_VALUE_MAX	(64 * 1024)
#define GRUBCFG_WHY_MAX		512

struct grubcfg_var;

/*
 * GRUB's settings as grub-mkconfig would source them, read without running anything: the
 * variables the files set. A line that only a shell can tell (a command, a redirection,
 * $((...)), ${X:-...}, a syntax error) makes the whole result uncertain (@problem, the first,
 * "FILE:LINE: why"); a value built from a command substitution, ~ or a parameter of
 * grub-mkconfig's own is unknown, and so is every value built from it.
 */
struct grubcfg {
	struct grubcfg_var *var;
	size_t nvar, cap;
	unsigned nproblems;
	char problem[GRUBCFG_WHY_MAX];
};

void grubcfg_init(struct grubcfg *g);
void grubcfg_free(struct grubcfg *g);
/* one file's text (@len bytes, NULs ignored as dash does), as `. FILE` would run it */
void grubcfg_parse(struct grubcfg *g, const char *file, const char *text, size_t len);
/* /etc/default/grub, then each /etc/default/grub.d/ *.cfg in C-locale order (grub-mkconfig's
 * order); -ENOENT when neither is there */
int grubcfg_load(struct grubcfg *g, const char *def, const char *dir);
/* the value of @name (NULL: unset); *@unknown is set to why when it cannot be known */
const char *grubcfg_get(const struct grubcfg *g, const char *name, const char **unknown);
/*
 * The normal entry's command line as 10_linux writes it: GRUB_CMDLINE_LINUX, a space,
 * GRUB_CMDLINE_LINUX_DEFAULT. False (and why) when it is uncertain.
 */
bool grubcfg_cmdline(const struct grubcfg *g, char *buf, size_t size, char *why,
		     size_t whysize);

#endif
