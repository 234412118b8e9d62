// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The printf(3) family for the static musl binary, integers and strings only: musl's
 * vfprintf.c carries floating point (fmt_fp, with frexpl and the long double big-number
 * arithmetic) and wide characters (%lc, %ls through wcrtomb), about 11 KiB, which neither
 * vfio-bind nor libkmod nor the decompressors print. Conversions: d i u o x X c s p m n %,
 * flags - 0 + space #, width and precision (also *), lengths hh h l ll j z t; output as
 * musl's (tests/unit/test-libc.c compares them on generated formats). A floating-point
 * conversion (e f g a, upper case too) takes its argument and prints nothing: none is used.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* where the text goes: a stream, or a buffer of cap bytes (the rest is counted, not kept) */
struct out {
	FILE *f;
	char *buf;
	size_t cap, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->f) {
		fwrite(s, 1, n, o->f);
	} else if (o->len + 1 < o->cap) {
		size_t room = o->cap - 1 - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void pad(struct out *o, char c, long n)
{
	while (n-- > 0)
		put(o, &c, 1);
}

static int format(struct out *o, const char *fmt, va_list ap)
{
	int err = errno;

	for (;;) {
		const char *s = strchrnul(fmt, '%');
		char num[24], *d = num + sizeof(num), *prefix = "";
		int left = 0, zero = 0, alt = 0, lng = 0, base = 10, neg = 0;
		char sign = 0, c;
		long width = 0, prec = -1, len;
		uintmax_t v = 0;

		put(o, fmt, s - fmt);
		if (!*s)
			break;
		fmt = s + 1;
		for (;; fmt++) {
			if (*fmt == '-')
				left = 1;
			else if (*fmt == '0')
				zero = 1;
			else if (*fmt == '#')
				alt = 1;
			else if (*fmt == '+' || *fmt == ' ')
				sign = sign == '+' ? '+' : *fmt;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
			if (width < 0)
				left = 1, width = -width;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + *fmt - '0';
		if (*fmt == '.') {
			prec = 0;
			if (*++fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				prec = prec * 10 + *fmt - '0';
		}
		/* lng: -2 hh, -1 h, 0 int, 1 long and the other 64-bit lengths */
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt && strchr("lLjzt", *fmt))
				lng = 1;
			else
				break;
		}
		c = *fmt++;
		switch (c) {
		case 'd':
		case 'i':
			v = lng > 0 ? va_arg(ap, long) : lng == -1 ? (short)va_arg(ap, int) :
			    lng < -1 ? (signed char)va_arg(ap, int) : va_arg(ap, int);
			if ((intmax_t)v < 0) {
				v = -v;
				neg = 1;
			}
			goto number;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			alt = 1;
			c = 'x';
			base = 16;
			goto number;
		case 'o':
			base = 8;
			goto unsigned_number;
		case 'x':
		case 'X':
			base = 16;
			/* fall through */
		case 'u':
unsigned_number:
			v = lng > 0 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng < -1)
				v = (unsigned char)v;
			sign = 0;
number:
			while (v) {
				*--d = "0123456789abcdef"[v % base] - (c == 'X' && v % base > 9 ? 32 : 0);
				v /= base;
			}
			len = num + sizeof(num) - d;
			if (prec < 0)
				prec = 1;
			else
				zero = 0;
			if (alt && base == 8 && prec <= len)
				prec = len + 1;
			if (alt && base == 16 && len)
				prefix = c == 'X' ? "0X" : "0x";
			if (neg)
				sign = '-';
			if (sign)
				*--d = sign, len++;
			/* the sign stays in front of the zeros: it goes out as part of the prefix */
			{
				long pl = strlen(prefix) + (sign != 0), digits = len - (sign != 0);
				long body = pl + (prec > digits ? prec : digits);

				if (!left && !zero)
					pad(o, ' ', width - body);
				if (sign)
					put(o, d++, 1);
				put(o, prefix, pl - (sign != 0));
				if (!left && zero)
					pad(o, '0', width - body);
				pad(o, '0', prec - digits);
				put(o, d, digits);
				if (left)
					pad(o, ' ', width - body);
			}
			continue;
		case 'c':
			num[0] = (char)va_arg(ap, int);
			s = num;
			len = 1;
			goto text;
		case 'm':
			s = strerror(err);
			goto string;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
string:
			len = strnlen(s, prec < 0 ? LONG_MAX : (size_t)prec);
text:
			if (!left)
				pad(o, ' ', width - len);
			put(o, s, len);
			if (left)
				pad(o, ' ', width - len);
			continue;
		case 'n':
			*va_arg(ap, int *) = (int)o->len;
			continue;
		case '%':
			put(o, "%", 1);
			continue;
		case 'e': case 'f': case 'g': case 'a':
		case 'E': case 'F': case 'G': case 'A':
			if (lng > 0)
				(void)va_arg(ap, long double);
			else
				(void)va_arg(ap, double);
			continue;
		default:
			errno = EINVAL;
			return -1;
		}
	}
	if (o->len > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	if (o->f && ferror(o->f))
		return -1;
	return (int)o->len;
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	struct out o = { .f = f };

	return format(&o, fmt, ap);
}

int vsnprintf(char *restrict s, size_t n, const char *restrict fmt, va_list ap)
{
	struct out o = { .buf = s, .cap = n };
	int r = format(&o, fmt, ap);

	if (n)
		s[o.len < n ? o.len : n - 1] = '\0';
	return r;
}

int vsprintf(char *restrict s, const char *restrict fmt, va_list ap)
{
	return vsnprintf(s, INT_MAX, fmt, ap);
}

int vasprintf(char **s, const char *fmt, va_list ap)
{
	va_list ap2;
	int l;

	va_copy(ap2, ap);
	l = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (l < 0 || !(*s = malloc(l + 1U)))
		return -1;
	return vsnprintf(*s, l + 1U, fmt, ap);
}

int vprintf(const char *restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
	char *s;
	int l = vasprintf(&s, fmt, ap);

	if (l >= 0) {
		if (write(fd, s, l) != l)
			l = -1;
		free(s);
	}
	return l;
}

#define VARIADIC(call) \
	va_list ap; \
	int r; \
	va_start(ap, fmt); \
	r = call; \
	va_end(ap); \
	return r

int printf(const char *restrict fmt, ...)
{
	VARIADIC(vfprintf(stdout, fmt, ap));
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	VARIADIC(vfprintf(f, fmt, ap));
}

int dprintf(int fd, const char *restrict fmt, ...)
{
	VARIADIC(vdprintf(fd, fmt, ap));
}

int sprintf(char *restrict s, const char *restrict fmt, ...)
{
	VARIADIC(vsprintf(s, fmt, ap));
}

int snprintf(char *restrict s, size_t n, const char *restrict fmt, ...)
{
	VARIADIC(vsnprintf(s, n, fmt, ap));
}

int asprintf(char **s, const char *fmt, ...)
{
	VARIADIC(vasprintf(s, fmt, ap));
}
