// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * strtol(3), strtoul(3), strtoll(3) and strtoull(3) for the static musl binary, straight from
 * the string: musl's read through its scanf machinery (__intscan over a FILE made for the
 * string, with shgetc), about 2.7 KiB. The same answers: leading white space, a sign, "0x"
 * only when a hexadecimal digit follows, base 0's octal and hexadecimal, ERANGE with the
 * limit on overflow, EINVAL without a digit, unsigned results of negative numbers wrapped; tests/unit/test-libc.c
 * compares them with musl's.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

static unsigned long long scan(const char *s, char **end, int base, unsigned long long max,
			       int is_signed)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long long v = 0, lim;
	int neg = 0, any = 0, over = 0, d;

	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return 0;
	}
	while (isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' && isxdigit(p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	lim = is_signed ? max + neg : max;
	for (;; p++) {
		d = isdigit(*p) ? *p - '0' : isalpha(*p) ? (*p | 32) - 'a' + 10 : 36;
		if (d >= base)
			break;
		any = 1;
		if (v > (lim - d) / base)
			over = 1;
		else
			v = v * base + d;
	}
	if (end)
		*end = (char *)(any ? (const char *)p : s);
	if (!any)
		errno = EINVAL;
	if (over) {
		errno = ERANGE;
		return is_signed && neg ? -lim : lim;
	}
	return neg ? -v : v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return scan(s, end, base, LONG_MAX, 1);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return scan(s, end, base, ULONG_MAX, 0);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	return scan(s, end, base, LLONG_MAX, 1);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	return scan(s, end, base, ULLONG_MAX, 0);
}
