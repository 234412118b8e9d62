// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/static/fnmatch.c against the fnmatch(3) it replaces: musl's, in the same static musl
 * build (the Makefile links this with musl-gcc). Every pattern and string is given to both, and
 * both must say match or no match alike:
 *   - hand-written vectors (brackets, ranges, classes, escapes, a '[' without ']');
 *   - deterministic random patterns and strings over the characters that mean something;
 *   - with MODULES.ALIAS, every alias pattern of a real kernel against modaliases of the kinds
 *     the fixtures hold and against itself with its '*' filled in.
 *
 *   test-fnmatch [MODULES.ALIAS]
 *
 * One line per group, "PASS NAME" or "FAIL NAME", and the first disagreements; exit status 1 on
 * any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define fnmatch vb_fnmatch
#include "../../src/static/fnmatch.c"
#undef fnmatch

int fnmatch(const char *pat, const char *str, int flags);

static unsigned long checked, wrong;

static void same(const char *pat, const char *str, int flags)
{
	int ours = vb_fnmatch(pat, str, flags) == 0, libc = fnmatch(pat, str, flags) == 0;

	checked++;
	if (ours == libc)
		return;
	if (wrong++ < 10)
		fprintf(stderr, "  '%s' on '%s' (flags %d): ours %s, musl %s\n", pat, str, flags,
			ours ? "match" : "no match", libc ? "match" : "no match");
}

static int report(const char *name)
{
	printf("%s %s (%lu checked, %lu disagree)\n", wrong ? "FAIL" : "PASS", name, checked, wrong);
	checked = 0;
	if (wrong) {
		wrong = 0;
		return 1;
	}
	return 0;
}

static const char *const vec_pat[] = {
	"", "*", "**", "?", "a", "a*", "*a", "a?c", "a*c", "*a*b*", "[abc]", "[!abc]", "[^abc]",
	"[a-c]", "[!a-c]", "[]a]", "[!]a]", "[a-]", "[-a]", "[a-c-e]", "[", "[a", "a[", "[]",
	"[!]", "\\*", "\\", "a\\", "\\a", "[\\]]", "[\\-a]", "[[:alpha:]]", "[[:digit:]x]",
	"[![:upper:]]", "[[:xdigit:]]*", "[[:nosuch:]]", "[[:alpha:]", "[[.a.]]", "[[=a=]]",
	"[[.-.]a]", "pci:v000010DEd*sv*sd*bc03sc*i*", "usb:v13FDp3940d0[0-2]*dc*",
	"*[0-9A-F]", "a**b", "*?*", "?*?", "[*]", "[?]", "a/b*", "*.ko", ".*",
};
static const char *const vec_str[] = {
	"", "a", "b", "c", "d", "ab", "abc", "acb", "aXc", "a-", "-", "]", "\\", "*", "?", "[",
	"a[", "[a", "!", "^", "x", "X", "1", "F", "g", ":", "a/b", "a/bc", ".ko", "mod.ko",
	"pci:v000010DEd00002204sv00001458sd0000403Bbc03sc00i00", "usb:v13FDp3940d0150dc00",
	"usb:v13FDp3940d0350dc00", "a:b", "aab", "ba",
};

static void vectors(void)
{
	size_t i, j;

	for (i = 0; i < sizeof(vec_pat) / sizeof(vec_pat[0]); i++)
		for (j = 0; j < sizeof(vec_str) / sizeof(vec_str[0]); j++) {
			same(vec_pat[i], vec_str[j], 0);
			same(vec_pat[i], vec_str[j], FNM_NOESCAPE);
		}
}

static unsigned long seed = 18;

static unsigned pick(unsigned n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(seed >> 33) % n;
}

static void random_pairs(void)
{
	static const char pchars[] = "ab*?[]!^-\\:.=";
	static const char *const pieces[] = { "[:alpha:]", "[:digit:]", "[.a.]", "[=b=]", "[:x" };
	static const char schars[] = "ab-]\\[!^:.=A1 ";
	char pat[64], str[16];
	int n, i, k;

	for (n = 0; n < 400000; n++) {
		size_t len = 0;

		k = pick(9);
		for (i = 0; i < k; i++) {
			if (!pick(8)) {
				const char *p = pieces[pick(5)];

				memcpy(pat + len, p, strlen(p));
				len += strlen(p);
			} else {
				pat[len++] = pchars[pick(sizeof(pchars) - 1)];
			}
		}
		pat[len] = 0;
		k = pick(7);
		for (i = 0; i < k; i++)
			str[i] = schars[pick(sizeof(schars) - 1)];
		str[k] = 0;
		same(pat, str, n & 1 ? FNM_NOESCAPE : 0);
	}
}

static void aliases(FILE *f)
{
	static const char *const seen[] = {
		"pci:v000010DEd00002204sv00001458sd0000403Bbc03sc00i00",
		"pci:v00001002d000073BFsv00001002sd00000E3Abc03sc00i00",
		"pci:v00008086d00001521sv00008086sd00000001bc02sc00i00",
		"pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02",
		"usb:v13FDp3940d0150dc00dsc00dp00ic08isc06ip50in00",
		"acpi:PNP0A08:PNP0A03:",
	};
	char line[1024], fill[2048];
	size_t i, j, n;

	while (fgets(line, sizeof(line), f)) {
		char *pat, *save;

		if (strncmp(line, "alias ", 6) || !(pat = strtok_r(line + 6, " \n", &save)))
			continue;
		for (i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
			same(pat, seen[i], 0);
		/* itself, with each '*' empty and with each '*' as "X0" */
		for (i = 0, n = 0, j = 0; pat[i] && n + 2 < sizeof(fill); i++) {
			if (pat[i] == '*') {
				fill[n++] = 'X';
				fill[n++] = '0';
				continue;
			}
			fill[n++] = pat[i];
			if (pat[i] != '?' && pat[i] != '[' && pat[i] != ']')
				line[j++] = pat[i];
		}
		fill[n] = 0;
		line[j] = 0;
		same(pat, fill, 0);
		same(pat, line, 0);
	}
}

int main(int argc, char **argv)
{
	int failed = 0;

	vectors();
	failed |= report("fnmatch:vectors");
	random_pairs();
	failed |= report("fnmatch:random");
	if (argc > 1) {
		FILE *f = fopen(argv[1], "r");

		if (!f) {
			printf("FAIL fnmatch:modules.alias (cannot open %s)\n", argv[1]);
			return 1;
		}
		aliases(f);
		fclose(f);
		failed |= report("fnmatch:modules.alias");
	}
	return failed;
}
