/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_HELP_H
#define VB_HELP_H

#include <stdio.h>

/*
 * Write the --help text (man/vfio-bind.8's, see help.c) to f, or with @cmd only that
 * command's part: 0 or a negative errno (-ENOENT: no such command).
 */
int help_print(FILE *f, const char *cmd);

#endif
