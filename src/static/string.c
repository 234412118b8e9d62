// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * String functions for the static musl binary, a byte at a time: musl's strlen, strchrnul,
 * stpcpy (strcpy) and memchr read a word at a time (with alignment prologues) and its strspn and
 * strcspn build a 256-bit set first, about 1.2 KiB together, which pays off on long strings;
 * vfio-bind's are sysfs values, configuration lines and paths. atoi and strtok as the POSIX
 * text defines them, through src/static/strtol.c and musl's strtok_r; fgets a character at a
 * time through getc_unlocked (musl's copies from the stream's buffer with memchr and memcpy,
 * 0.5 KiB). tests/unit/test-libc.c compares every one with musl's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

char *strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}

#ifndef VB_LIBC_TEST	/* tests/unit/test-libc.c renames the functions */
char *__strchrnul(const char *s, int c) __attribute__((alias("strchrnul")));
#endif

char *stpcpy(char *restrict d, const char *restrict s)
{
	while ((*d = *s++))
		d++;
	return d;
}

char *strcpy(char *restrict d, const char *restrict s)
{
	stpcpy(d, s);
	return d;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

static size_t span(const char *s, const char *set, int in)
{
	const char *p = s;

	while (*p && !strchr(set, *p) == !in)
		p++;
	return p - s;
}

size_t strspn(const char *s, const char *accept)
{
	return span(s, accept, 1);
}

size_t strcspn(const char *s, const char *reject)
{
	return span(s, reject, 0);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

char *strtok(char *restrict s, const char *restrict sep)
{
	static char *save;

	return strtok_r(s, sep, &save);
}

char *fgets(char *restrict s, int n, FILE *restrict f)
{
	int c, i = 0;

	if (n <= 0)
		return NULL;
	while (i < n - 1 && (c = getc_unlocked(f)) != EOF) {
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (!i && n > 1)
		return NULL;
	s[i] = '\0';
	return s;
}
