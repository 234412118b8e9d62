// SPDX-License-Identifier: GPL-2.0-or-later
/* JSON on stdout for status, list, check and config */
#include <stdio.h>

#include "json.h"

/* the length of the well-formed UTF-8 sequence at @s (RFC 3629), 0 if there is none */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

/* A JSON string; a byte that is not part of UTF-8 becomes the code point of its value. */
void json_str(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	putchar('"');
	while (*s) {
		if (*s == '"' || *s == '\\') {
			printf("\\%c", *s++);
			continue;
		}
		if (*s < 0x20 || *s == 0x7f) {
			printf("\\u%04x", *s++);
			continue;
		}
		n = utf8_len(s);
		if (!n) {
			printf("\\u%04x", *s++);
			continue;
		}
		fwrite(s, 1, n, stdout);
		s += n;
	}
	putchar('"');
}

void json_field(const char *name, const char *str)
{
	printf(",\"%s\":", name);
	if (str && *str)
		json_str(str);
	else
		printf("null");
}

void json_int_field(const char *name, int v)
{
	printf(",\"%s\":", name);
	if (v >= 0)
		printf("%d", v);
	else
		printf("null");
}
