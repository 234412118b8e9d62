// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Boot Loader Specification entries (/boot/loader/entries/ *.conf) and GRUB's environment
 * block, read as their owners read them: the specification's "options" (all of them, in
 * order) and GRUB's grubenv (grub-core/lib/envblk.c), where RHEL 8 keeps $kernelopts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bls.h"

#define ENVBLK_SIGNATURE	"# GRUB Environment Block\n"

int grubenv_get(const char *blk, size_t len, const char *name, char *buf, size_t size)
{
	size_t sig = sizeof(ENVBLK_SIGNATURE) - 1, nlen = strlen(name);
	const char *p, *end = blk + len;
	int found = 0;

	if (len < sig + 1 || memcmp(blk, ENVBLK_SIGNATURE, sig))
		return 0;
	for (p = blk + sig; p < end;) {
		const char *n = p, *v, *q;

		if (*p != '#') {
			while (p < end && *p != '=')
				p++;
			if (p == end)
				break;	/* broken: GRUB stops here */
			v = ++p;
			while (p < end && *p != '\n')
				p += *p == '\\' ? 2 : 1;
			if (p >= end)
				break;
			if ((size_t)(v - 1 - n) == nlen && !memcmp(n, name, nlen)) {
				size_t k = 0;

				for (q = v; *q != '\n'; q++) {
					if (*q == '\\')
						q++;
					if (k + 1 < size)
						buf[k++] = *q;
				}
				if (size)
					buf[k] = '\0';
				found = 1;
			}
		}
		/* the next line, past \-escaped newlines */
		while (p < end && *p != '\n')
			p += *p == '\\' ? 2 : 1;
		p++;
	}
	return found;
}

struct out {
	char *s;
	size_t len, size;
	bool over;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->over || o->len + n >= o->size) {
		o->over = true;
		return;
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* @v (@n bytes) with $NAME and ${NAME} from @env */
static void expand(struct out *o, const char *v, size_t n, const char *env, size_t envlen,
		   char *unset, size_t unsetsize)
{
	char name[128], val[4096];
	size_t i = 0, k;

	while (i < n) {
		bool brace;

		if (v[i] != '$') {
			put(o, v + i++, 1);
			continue;
		}
		brace = i + 1 < n && v[i + 1] == '{';
		for (k = i + 1 + brace; k < n && name_char(v[k]); k++)
			;
		if (k == i + 1 + brace || (brace && (k == n || v[k] != '}')) ||
		    k - i - 1 - brace >= sizeof(name)) {
			put(o, v + i++, 1);
			continue;
		}
		memcpy(name, v + i + 1 + brace, k - i - 1 - brace);
		name[k - i - 1 - brace] = '\0';
		if (env && grubenv_get(env, envlen, name, val, sizeof(val)))
			put(o, val, strlen(val));
		else if (unset[0] == '\0' && unsetsize)
			snprintf(unset, unsetsize, "%s", name);
		i = k + brace;
	}
}

int bls_options(const char *entry, size_t len, const char *env, size_t envlen, char *out,
		size_t size, char *unset, size_t unsetsize)
{
	struct out o = { .s = out, .size = size };
	const char *p = entry, *end = entry + len;
	int lines = 0;

	if (size)
		out[0] = '\0';
	if (unsetsize)
		unset[0] = '\0';
	while (p < end) {
		const char *eol = memchr(p, '\n', end - p), *k, *v, *e;

		if (!eol)
			eol = end;
		for (k = p; k < eol && (*k == ' ' || *k == '\t'); k++)
			;
		for (v = k; v < eol && *v != ' ' && *v != '\t'; v++)
			;
		if (v - k == 7 && !memcmp(k, "options", 7)) {
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			for (e = eol; e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'); e--)
				;
			lines++;
			if (e > v) {
				if (o.len)
					put(&o, " ", 1);
				expand(&o, v, e - v, env, envlen, unset, unsetsize);
			}
		}
		p = eol + 1;
	}
	return o.over ? -E2BIG : lines;
}
