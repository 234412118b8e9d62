// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * grubcfg.c alone, for the differential test against dash (tests/unit/once/grubcfg.sh):
 *   test-grubcfg NAME FILE...   the files parsed in order; NAME's value on stdout, as
 *                               `printf %s "$NAME"` prints it; exit 3 when it is uncertain
 *                               (the reason on stderr)
 */
#include <stdio.h>
#include <stdlib.h>

#include "grubcfg.h"
#include "sysfs.h"

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	const char *unknown = NULL, *v;
	struct grubcfg g;
	int i, n;

	if (argc < 3) {
		fprintf(stderr, "usage: test-grubcfg NAME FILE...\n");
		return 2;
	}
	grubcfg_init(&g);
	for (i = 2; i < argc; i++) {
		n = read_file(argv[i], buf, sizeof(buf));
		if (n < 0) {
			perror(argv[i]);
			return 2;
		}
		grubcfg_parse(&g, argv[i], buf, n);
	}
	v = grubcfg_get(&g, argv[1], &unknown);
	if (g.nproblems || unknown) {
		fprintf(stderr, "uncertain: %s\n", g.nproblems ? g.problem : unknown);
		grubcfg_free(&g);
		return 3;
	}
	fputs(v ? v : "", stdout);
	grubcfg_free(&g);
	return 0;
}
