/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_HELP_H
#define VB_HELP_H

extern const char vb_help_text[];

#endif
