// SPDX-License-Identifier: GPL-2.0-or-later
/* check's output lines, for check.c and check_next.c alike */
#include <stdio.h>

#include "verdict.h"

static unsigned failures;

void verdict(enum verdict v, const char *what, const char *fix)
{
	static const char *const tag[] = { "[ OK ]", "[WARN]", "[FAIL]", "[SKIP]" };

	printf("%s %s\n", tag[v], what);
	if (fix && *fix && v != V_OK)
		printf("       fix: %s\n", fix);
	if (v == V_FAIL)
		failures++;
}

unsigned verdict_failures(void)
{
	unsigned n = failures;

	failures = 0;
	return n;
}
