/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_VERDICT_H
#define VB_VERDICT_H

#include <stdbool.h>

enum verdict { V_OK, V_WARN, V_FAIL, V_SKIP };

/* check begins: text lines, or {"checks":[{"level","what","fix"}...],"ok":...} */
void verdict_start(bool json);
/* one "[ OK ] what" line (with "fix: ..." unless OK); a FAIL makes check exit 1 */
void verdict(enum verdict v, const char *what, const char *fix);
/* the closing line (or the JSON's end); the FAILs since verdict_start() */
unsigned verdict_end(void);

#endif
