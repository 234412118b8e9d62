// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A BLS entry's options and GRUB's grubenv (bls.c). The input is the entry, a NUL, the
 * environment block (no NUL: no block). bls.c's reading must agree with the reference model
 * here, written apart from it: the specification's lines (every "options" line, its value
 * without the blanks around it, joined by one space), $NAME and ${NAME} from the block as
 * grub_envblk_iterate() reads it (the header, name=value lines with \-escapes, '#' lines,
 * the last one wins), an unset name expanding to nothing and reported. No process runs.
 */
#include <errno.h>

#include "bls.h"
#include "fuzz.h"
#include "noexec.h"

#define OUT	4096
#define SIG	"# GRUB Environment Block\n"

struct env {
	size_t n, cap;
	char **name, **value;
};

/* the block as a table of every entry GRUB reads (no limit: it reads them all), last one wins
 * on lookup */
static void env_model(struct env *e, const char *b, size_t len)
{
	size_t i = sizeof(SIG) - 1;

	e->n = 0;
	if (len <= sizeof(SIG) - 1 || memcmp(b, SIG, sizeof(SIG) - 1))
		return;
	while (i < len) {
		size_t eq, j, k;
		char *v;

		if (b[i] != '#') {
			for (eq = i; eq < len && b[eq] != '='; eq++)
				;
			if (eq == len)
				return;
			for (j = eq + 1; j < len && b[j] != '\n'; j += b[j] == '\\' ? 2 : 1)
				;
			if (j >= len)
				return;
			if (e->n == e->cap) {
				e->cap = e->cap ? e->cap * 2 : 16;
				e->name = realloc(e->name, e->cap * sizeof(*e->name));
				e->value = realloc(e->value, e->cap * sizeof(*e->value));
			}
			v = malloc(j - eq + 1);
			if (!v || !e->name || !e->value)
				abort();
			for (k = 0, eq++; eq < j; eq++) {
				if (b[eq] == '\\')
					eq++;
				v[k++] = b[eq];
			}
			v[k] = '\0';
			e->value[e->n] = v;
			e->name[e->n] = strndup(b + i, strchr(b + i, '=') - (b + i));
			e->n++;
			i = j;
		}
		while (i < len && b[i] != '\n')
			i += b[i] == '\\' ? 2 : 1;
		i++;
	}
}

static const char *env_lookup(const struct env *e, const char *name)
{
	size_t i;

	for (i = e->n; i-- > 0;)
		if (!strcmp(e->name[i], name))
			return e->value[i];
	return NULL;
}

static bool namec(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char got[OUT], want[OUT * 4], unset[128];
	const char *in = (const char *)data, *nul = memchr(in, '\0', size), *env = NULL;
	char *entry, *line, *s, first_unset[128] = "";
	size_t elen = nul ? (size_t)(nul - in) : size, envlen = 0, w = 0;
	struct env e = { 0 };
	int r, lines = 0;
	size_t i;

	if (nul) {
		env = nul + 1;
		envlen = size - elen - 1;
		/* a name with a NUL in it cannot be looked up: keep the model simple */
		if (memchr(env, '\0', envlen))
			return 0;
	}
	r = bls_options(in, elen, env, envlen, got, sizeof(got), unset, sizeof(unset));
	env_model(&e, env, envlen);
	entry = s = fuzz_str(data, elen);
	want[0] = '\0';
	while ((line = strsep(&s, "\n"))) {
		char *v, *end;

		line += strspn(line, " \t");
		if (strncmp(line, "options", 7) || (line[7] != ' ' && line[7] != '\t' && line[7]))
			continue;
		lines++;
		v = line + 7 + strspn(line + 7, " \t");
		for (end = v + strlen(v); end > v && strchr(" \t\r", end[-1]); end--)
			;
		*end = '\0';
		if (!*v)
			continue;
		if (w)
			want[w++] = ' ';
		while (*v && w < sizeof(want) - 4096 - 1) {
			char name[128];
			const char *val;
			size_t k = 0, skip;
			bool brace = v[0] == '$' && v[1] == '{';

			if (*v != '$') {
				want[w++] = *v++;
				continue;
			}
			for (skip = 1 + brace; namec(v[skip]) && k < sizeof(name) - 1; skip++)
				name[k++] = v[skip];
			name[k] = '\0';
			if (!k || namec(v[skip]) || (brace && v[skip] != '}')) {
				want[w++] = *v++;
				continue;
			}
			v += skip + brace;
			val = env_lookup(&e, name);
			if (val) {
				size_t n = strlen(val) > 4095 ? 4095 : strlen(val);

				memcpy(want + w, val, n);
				w += n;
			} else if (!first_unset[0]) {
				snprintf(first_unset, sizeof(first_unset), "%s", name);
			}
		}
	}
	want[w] = '\0';
	if (r == -E2BIG) {
		FUZZ_ASSERT(w >= sizeof(got) - 1);
	} else {
		FUZZ_ASSERT(r == lines);
		FUZZ_ASSERT(!strcmp(got, want));
		FUZZ_ASSERT(!strcmp(unset, first_unset));
	}
	free(entry);
	for (i = 0; i < e.n; i++) {
		free(e.name[i]);
		free(e.value[i]);
	}
	free(e.name);
	free(e.value);
	return 0;
}
