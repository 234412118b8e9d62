// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GRUB's /etc/default/grub read without running it (grubcfg.c). Nothing may run: every way to
 * start a process aborts (noexec.h), and a canary file that the seeds' commands would create
 * (touch, redirections) must never exist. The first byte picks the mode:
 *   even  the rest is a file, as it is: no crash, values within their limit, the same reading
 *         with NUL bytes dropped (dash drops them), a certain command line fits its buffer
 *   odd   the rest describes a value as pieces (a style byte, a length byte, the bytes); the
 *         harness quotes each piece its way (single quotes, double quotes with \-escapes,
 *         a backslash per byte, plain characters, a variable set on an earlier line, a line
 *         continuation) into GRUB_CMDLINE_LINUX=... and GRUB_CMDLINE_LINUX_DEFAULT="$X": the
 *         reader must be certain and give back exactly the value (the reference reading).
 * tests/unit/once/grubcfg.sh compares the reader with dash itself on generated files.
 */
#include <unistd.h>

#include "fuzz.h"
#include "grubcfg.h"
#include "noexec.h"

#define CANARY	"/tmp/vfio-bind-fuzz-grubcfg-canary"
#define FILE_	"/etc/default/grub"

struct text {
	char *s;
	size_t len, cap;
};

static void add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		if (!t->s)
			abort();
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void addc(struct text *t, char c)
{
	add(t, &c, 1);
}

static bool plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("_./,:@%+-=", c));
}

static void raw(const uint8_t *data, size_t size)
{
	static char buf[GRUBCFG_VALUE_MAX * 2 + 2];
	struct grubcfg g, h;
	char *nonul = malloc(size + 1), why[600];
	const char *u1 = NULL, *u2 = NULL, *v1, *v2;
	size_t i, n = 0;
	bool ok;

	if (!nonul)
		abort();
	grubcfg_init(&g);
	grubcfg_parse(&g, FILE_, (const char *)data, size);
	ok = grubcfg_cmdline(&g, buf, sizeof(buf), why, sizeof(why));
	if (ok)
		FUZZ_ASSERT(!g.nproblems && strlen(buf) < sizeof(buf));
	else
		FUZZ_ASSERT(why[0]);
	v1 = grubcfg_get(&g, "GRUB_CMDLINE_LINUX", &u1);
	if (v1)
		FUZZ_ASSERT(strlen(v1) <= GRUBCFG_VALUE_MAX);
	grubcfg_init(&h);
	/* dash drops NUL bytes: the same reading without them */
	if (memchr(data, '\0', size)) {
		for (i = 0; i < size; i++)
			if (data[i])
				nonul[n++] = data[i];
		grubcfg_parse(&h, FILE_, nonul, n);
		FUZZ_ASSERT(g.nproblems == h.nproblems && !strcmp(g.problem, h.problem));
		v2 = grubcfg_get(&h, "GRUB_CMDLINE_LINUX", &u2);
		FUZZ_ASSERT(!v1 == !v2 && (!v1 || !strcmp(v1, v2)) && !u1 == !u2);
	}
	grubcfg_free(&g);
	grubcfg_free(&h);
	free(nonul);
}

static void model(const uint8_t *data, size_t size)
{
	struct text pre = { 0 }, val = { 0 }, want = { 0 };
	char name[32], why[600], *got;
	const char *unknown = NULL, *v;
	struct grubcfg g;
	size_t i = 0, k;
	unsigned nvar = 0;

	add(&want, "", 0);
	add(&val, "", 0);
	add(&pre, "", 0);
	while (i + 2 <= size) {
		unsigned style = data[i] % 6, len = data[i + 1] % 16;
		const uint8_t *b = data + i + 2;

		i += 2;
		if (len > size - i)
			len = size - i;
		i += len;
		switch (style) {
		case 0:	/* 'single quoted' */
			addc(&val, '\'');
			for (k = 0; k < len; k++)
				if (b[k] && b[k] != '\'') {
					addc(&val, b[k]);
					addc(&want, b[k]);
				}
			addc(&val, '\'');
			break;
		case 1:	/* "double quoted" */
			addc(&val, '"');
			for (k = 0; k < len; k++) {
				if (!b[k])
					continue;
				if (strchr("$`\"\\", b[k]))
					addc(&val, '\\');
				addc(&val, b[k]);
				addc(&want, b[k]);
			}
			addc(&val, '"');
			break;
		case 2:	/* \b\y\t\e\s */
			for (k = 0; k < len; k++)
				if (b[k] && b[k] != '\n') {
					addc(&val, '\\');
					addc(&val, b[k]);
					addc(&want, b[k]);
				}
			break;
		case 3:	/* plain characters (no ~: tilde expansion) */
			for (k = 0; k < len; k++)
				if (plain(b[k]) && !(b[k] == '=' && !val.len)) {
					addc(&val, b[k]);
					addc(&want, b[k]);
				}
			break;
		case 4:	/* a variable set on a line before, single-quoted there */
			snprintf(name, sizeof(name), "V%u", nvar++);
			add(&pre, name, strlen(name));
			add(&pre, "='", 2);
			for (k = 0; k < len; k++)
				if (b[k] && b[k] != '\'') {
					addc(&pre, b[k]);
					addc(&want, b[k]);
				}
			add(&pre, "'\n", 2);
			add(&val, len % 2 ? "${" : "$", len % 2 ? 2 : 1);
			add(&val, name, strlen(name));
			if (len % 2)
				addc(&val, '}');
			else
				add(&val, "''", 2);	/* the name ends here */
			break;
		default:	/* a line continuation */
			add(&val, "\\\n", 2);
			break;
		}
	}
	add(&pre, "GRUB_CMDLINE_LINUX=", 19);
	add(&pre, val.s, val.len);
	add(&pre, "\nX=", 3);
	add(&pre, val.s, val.len);
	add(&pre, "\nexport GRUB_CMDLINE_LINUX_DEFAULT=\"$X\" # done\n", 47);
	grubcfg_init(&g);
	grubcfg_parse(&g, FILE_, pre.s, pre.len);
	FUZZ_ASSERT(!g.nproblems);
	v = grubcfg_get(&g, "GRUB_CMDLINE_LINUX", &unknown);
	FUZZ_ASSERT(v && !unknown && !strcmp(v, want.s));
	v = grubcfg_get(&g, "GRUB_CMDLINE_LINUX_DEFAULT", &unknown);
	FUZZ_ASSERT(v && !unknown && !strcmp(v, want.s));
	got = malloc(want.len * 2 + 2);
	if (!got)
		abort();
	FUZZ_ASSERT(grubcfg_cmdline(&g, got, want.len * 2 + 2, why, sizeof(why)));
	FUZZ_ASSERT(!strncmp(got, want.s, want.len) && got[want.len] == ' ' &&
		    !strcmp(got + want.len + 1, want.s));
	free(got);
	grubcfg_free(&g);
	free(pre.s);
	free(val.s);
	free(want.s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] % 2)
		model(data + 1, size - 1);
	else
		raw(data + 1, size - 1);
	FUZZ_ASSERT(access(CANARY, F_OK) < 0);
	return 0;
}
