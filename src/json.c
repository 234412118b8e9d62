// SPDX-License-Identifier: GPL-2.0-or-later
/* JSON output: strings (status, list, the boot's record) and the check on a record read back */
#include <stdio.h>
#include <string.h>

#include "cmdline.h"
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

void json_str(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputs("\"", f);
	while (*s) {
		if (*s == '"' || *s == '\\') {
			fprintf(f, "\\%c", *s++);
			continue;
		}
		n = utf8_len(s);
		if (*s < 0x20 || *s == 0x7f || !n) {
			fprintf(f, "\\u%04x", *s++);
			continue;
		}
		fwrite(s, 1, n, f);
		s += n;
	}
	fputs("\"", f);
}

void json_str_or_null(FILE *f, const char *str)
{
	if (str[0])
		json_str(f, str);
	else
		fputs("null", f);
}

void json_field(const char *name, const char *str)
{
	printf(",\"%s\":", name);
	json_str_or_null(stdout, str ? str : "");
}

void json_int_field(const char *name, int v)
{
	printf(",\"%s\":", name);
	if (v >= 0)
		printf("%d", v);
	else
		fputs("null", stdout);
}

void json_sel_origin(FILE *f, const struct selector *s)
{
	fprintf(f, ",\"kind\":\"%s\",\"origin\":", sel_kind_name(s->kind));
	json_str_or_null(f, s->origin);
}

void json_bad_selectors(FILE *f, const struct request *req)
{
	size_t i;

	fputs(",\"bad_selectors\":[", f);
	for (i = 0; i < req->nbadsel && i < BAD_KEPT; i++) {
		fputs(i ? ",{\"selector\":" : "{\"selector\":", f);
		json_str(f, req->bad[i].text);
		fputs(",\"origin\":", f);
		json_str_or_null(f, req->bad[i].origin);
		fputs(",\"why\":", f);
		json_str(f, req->bad[i].why);
		fputs("}", f);
	}
	fputs("]", f);
}

bool json_object_sane(const char *s)
{
	char stack[16];
	size_t depth = 0;

	while (*s == ' ' || *s == '\n')
		s++;
	if (*s != '{')
		return false;
	for (; *s; s++) {
		if (*s == '"') {
			for (s++; *s != '"'; s++) {
				if ((unsigned char)*s < 0x20)
					return false;
				if (*s == '\\' && !*++s)
					return false;
			}
			continue;
		}
		if ((unsigned char)*s < 0x20 && *s != '\n')
			return false;
		if (*s == '{' || *s == '[') {
			if (depth == sizeof(stack))
				return false;
			stack[depth++] = *s == '{' ? '}' : ']';
		} else if (*s == '}' || *s == ']') {
			if (!depth || stack[--depth] != *s)
				return false;
			if (!depth)
				break;
		}
	}
	if (!*s)
		return false;
	for (s++; *s == ' ' || *s == '\n'; s++)
		;
	return !*s;
}
