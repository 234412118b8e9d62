// SPDX-License-Identifier: GPL-2.0-or-later
/* check's output lines, for check.c and check_next.c alike: text, or with --json an array */
#include <stdio.h>

#include "json.h"
#include "verdict.h"

static unsigned failures, count;
static bool json;

void verdict_start(bool as_json)
{
	json = as_json;
	failures = count = 0;
	if (json)
		printf("{\"checks\":[");
}

void verdict(enum verdict v, const char *what, const char *fix)
{
	static const char *const tag[] = { "[ OK ]", "[WARN]", "[FAIL]", "[SKIP]" };
	static const char *const level[] = { "ok", "warn", "fail", "skip" };

	if (v == V_FAIL)
		failures++;
	if (json) {
		printf("%s{\"level\":\"%s\"", count++ ? "," : "", level[v]);
		json_field("what", what);
		json_field("fix", v != V_OK ? fix : NULL);
		printf("}");
		return;
	}
	printf("%s %s\n", tag[v], what);
	if (fix && *fix && v != V_OK)
		printf("       fix: %s\n", fix);
}

unsigned verdict_end(void)
{
	unsigned n = failures;

	if (json)
		printf("],\"ok\":%s}\n", n ? "false" : "true");
	else
		printf("%s\n", n ? "some checks failed" : "all is well");
	json = false;
	failures = 0;
	return n;
}
