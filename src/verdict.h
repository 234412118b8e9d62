/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_VERDICT_H
#define VB_VERDICT_H

enum verdict { V_OK, V_WARN, V_FAIL, V_SKIP };

/* one "[ OK ] what" line (with "fix: ..." unless OK); a FAIL makes check exit 1 */
void verdict(enum verdict v, const char *what, const char *fix);
/* the FAILs since the last call, and start counting again */
unsigned verdict_failures(void);

#endif
