/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CHECK_H
#define VB_CHECK_H

#include "ctx.h"

enum verdict { V_OK, V_WARN, V_FAIL, V_SKIP };

/* one "[ OK ] what" line (with "fix: ..." unless OK); a FAIL makes check exit 1 */
void verdict(enum verdict v, const char *what, const char *fix);

/* check_next.c: the persistent file, the configured command line, the initramfs's copy */
void check_persistent(struct vb_ctx *ctx);
/* check --next-boot: the plan of the next boot, from what is configured and present */
int check_next_boot(struct vb_ctx *ctx);

#endif
