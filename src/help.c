// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The --help text is generated from man/vfio-bind.8 by man/gen-help.awk (Makefile rule for
 * build/gen/help-text.h), so --help and the man page cannot say different things: edit the
 * man page, not this file.
 */
#include "help.h"
#include "help-text.h"

const char vb_help_text[] = VB_HELP_TEXT;
