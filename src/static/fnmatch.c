// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fnmatch(3) for the static musl binary, byte by byte. musl's own works on wide characters and
 * so pulls in mbtowc, iswctype, wctype and the Unicode class and case tables: 16 KiB of a
 * binary held to 224 KiB, for patterns that are ASCII (modules.alias, modprobe.d aliases, the
 * kernel's modaliases). vfio-bind never calls setlocale(): in musl's C locale every byte is one
 * character and no byte above 0x7f is in a class, so matching bytes gives musl's answers.
 *
 * This follows musl 1.2's fnmatch.c rule for rule, quirks included (what ends a bracket
 * expression, a '[' without one is an ordinary character, no backslash escapes inside brackets,
 * [.x.] and [=x=] match nothing, a range starts at the character before the '-'), with one
 * backtracking star instead of musl's head/tail/"sea of stars" split, which decides the same.
 * The flags this binary passes are 0 (libkmod's alias lookups, hostdrv.c, leftovers.c) and
 * FNM_NOESCAPE is honoured; any other flag fails the call (nonzero) instead of matching wrongly.
 * Linked into the binary, it replaces libc's for libkmod too: an archive member is only pulled
 * in for a symbol nothing else defines. tests/unit/test-fnmatch.c holds it against musl's.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <string.h>

#define END		0
#define BRACKET		-3
#define QUESTION	-4
#define STAR		-5

/* The pattern element at pat: a byte (1..255), or one of the codes above; *step is its length. */
static int pat_next(const char *pat, size_t *step, int flags)
{
	size_t k = 1;

	*step = 1;
	if (!*pat) {
		*step = 0;
		return END;
	}
	if (pat[0] == '\\' && pat[1] && !(flags & FNM_NOESCAPE)) {
		*step = 2;
		return (unsigned char)pat[1];
	}
	if (pat[0] == '*')
		return STAR;
	if (pat[0] == '?')
		return QUESTION;
	if (pat[0] != '[')
		return (unsigned char)pat[0];
	if (pat[k] == '^' || pat[k] == '!')
		k++;
	if (pat[k] == ']')
		k++;
	for (; pat[k] && pat[k] != ']'; k++) {
		if (pat[k] == '[' && (pat[k + 1] == ':' || pat[k + 1] == '.' || pat[k + 1] == '=')) {
			int z = pat[k + 1];

			k += 2;
			if (pat[k])
				k++;
			while (pat[k] && (pat[k - 1] != z || pat[k] != ']'))
				k++;
			if (!pat[k])
				break;
		}
	}
	if (!pat[k])
		return '[';
	*step = k + 1;
	return BRACKET;
}

static int in_class(const char *name, size_t len, int k)
{
	static const char names[] = "alnum\0alpha\0blank\0cntrl\0digit\0graph\0"
				    "lower\0print\0punct\0space\0upper\0xdigit";
	static int (*const is[])(int) = {
		isalnum, isalpha, isblank, iscntrl, isdigit, isgraph,
		islower, isprint, ispunct, isspace, isupper, isxdigit,
	};
	const char *n = names;
	size_t i;

	for (i = 0; i < sizeof(is) / sizeof(is[0]); i++, n += strlen(n) + 1)
		if (strlen(n) == len && !memcmp(n, name, len))
			return is[i](k) != 0;
	return 0;
}

/* The bracket expression at p (its '[', known to be closed) against the byte k. */
static int match_bracket(const char *p, int k)
{
	int inv = 0, wc;

	p++;
	if (*p == '^' || *p == '!') {
		inv = 1;
		p++;
	}
	if (*p == ']') {
		if (k == ']')
			return !inv;
		p++;
	} else if (*p == '-') {
		if (k == '-')
			return !inv;
		p++;
	}
	wc = (unsigned char)p[-1];
	for (; *p != ']'; p++) {
		if (p[0] == '-' && p[1] != ']') {
			int wc2 = (unsigned char)p[1];

			/* the range's end is looked at again as a character of its own */
			if (wc <= wc2 && k >= wc && k <= wc2)
				return !inv;
			continue;
		}
		if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			const char *p0 = p + 2;
			int z = p[1];

			p += 3;
			while (p[-1] != z || p[0] != ']')
				p++;
			if (z == ':' && p - 1 - p0 < 16 && in_class(p0, p - 1 - p0, k))
				return !inv;
			continue;
		}
		wc = (unsigned char)*p;
		if (wc == k)
			return !inv;
	}
	return inv;
}

int fnmatch(const char *pat, const char *str, int flags)
{
	const char *p = pat, *s = str, *star_p = NULL, *star_s = NULL;
	size_t step;
	int c, k;

	if (flags & ~FNM_NOESCAPE)
		return -1;
	for (;;) {
		c = pat_next(p, &step, flags);
		if (c == STAR) {
			p += step;
			star_p = p;
			star_s = s;
			continue;
		}
		k = (unsigned char)*s;
		if (!k)
			return c == END ? 0 : FNM_NOMATCH;
		if (c == QUESTION || (c == BRACKET && match_bracket(p, k)) || c == k) {
			p += step;
			s++;
			continue;
		}
		/* the last star takes one more byte, and what follows it is tried again */
		if (!star_p)
			return FNM_NOMATCH;
		p = star_p;
		s = ++star_s;
	}
}
