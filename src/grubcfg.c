// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GRUB's /etc/default/grub and /etc/default/grub.d/ *.cfg read as grub-mkconfig's `.` would
 * run them, without running them: they are shell, and sourcing a file of a --root tree (or one
 * anybody managed to write) runs its commands with the caller's privileges. Only what needs no
 * process is read: assignments (also after `export`), with sh's quoting (single, double,
 * backslash, line continuation, concatenation) and $NAME / ${NAME} of the variables set so
 * far (unset: empty), as dash does. Anything else is named, FILE:LINE, never guessed at.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grubcfg.h"
#include "sysfs.h"

#define FILE_MAX	(4 * 1024 * 1024)
#define VARS_MAX	4096
#define WORDS_MAX	4096

struct grubcfg_var {
	char *name;
	char *value;
	char *unknown;	/* why the value cannot be known, NULL when it can */
};

struct sbuf {
	char *s;
	size_t len, cap;
	bool over;
};

struct word {
	struct sbuf val;
	size_t eq;		/* an assignment: the length of its name (0: not one) */
	bool literal;		/* unquoted plain characters only */
	char why[GRUBCFG_WHY_MAX];	/* the value is unknown: why ("" when known) */
};

struct parser {
	struct grubcfg *g;
	const char *file;
	const char *t;
	size_t n, pos;
	unsigned line;
	bool stop;		/* a line only a shell can tell: the rest of the file is not read */
};

static int sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->over || b->len + n > GRUBCFG_VALUE_MAX) {
		b->over = true;
		return -E2BIG;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p) {
			b->over = true;
			return -ENOMEM;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static void sbuf_ch(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

static bool name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(int c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

static void problem(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct parser *p, const char *fmt, ...)
{
	struct grubcfg *g = p->g;
	va_list ap;
	int n;

	if (!g->nproblems++) {
		n = snprintf(g->problem, sizeof(g->problem), "%s:%u: ", p->file, p->line);
		va_start(ap, fmt);
		if (n > 0 && (size_t)n < sizeof(g->problem))
			vsnprintf(g->problem + n, sizeof(g->problem) - n, fmt, ap);
		va_end(ap);
	}
	p->stop = true;
}

static void taint(struct parser *p, struct word *w, const char *what)
{
	if (!w->why[0])
		snprintf(w->why, sizeof(w->why), "%s:%u: %s", p->file, p->line, what);
}

/* the character at the read position (-1 at the end), after any backslash-newline */
static int cur(struct parser *p)
{
	while (p->pos + 1 < p->n && p->t[p->pos] == '\\' && p->t[p->pos + 1] == '\n') {
		p->pos += 2;
		p->line++;
	}
	return p->pos < p->n ? (unsigned char)p->t[p->pos] : -1;
}

static int at(struct parser *p, size_t k)
{
	return p->pos + k < p->n ? (unsigned char)p->t[p->pos + k] : -1;
}

static struct grubcfg_var *find(const struct grubcfg *g, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < g->nvar; i++)
		if (!strncmp(g->var[i].name, name, len) && !g->var[i].name[len])
			return &g->var[i];
	return NULL;
}

static void assign(struct parser *p, struct word *w)
{
	struct grubcfg *g = p->g;
	struct grubcfg_var *v = find(g, w->val.s, w->eq);
	const char *value = w->val.s + w->eq + 1;

	if (w->val.over)
		taint(p, w, "the value is longer than 64 KiB");
	if (!v) {
		if (g->nvar == VARS_MAX) {
			problem(p, "more than %d variables", VARS_MAX);
			return;
		}
		if (g->nvar == g->cap) {
			size_t cap = g->cap ? g->cap * 2 : 32;
			struct grubcfg_var *nv = realloc(g->var, cap * sizeof(*nv));

			if (!nv) {
				problem(p, "out of memory");
				return;
			}
			g->var = nv;
			g->cap = cap;
		}
		v = &g->var[g->nvar++];
		v->name = strndup(w->val.s, w->eq);
		v->value = v->unknown = NULL;
	}
	free(v->value);
	free(v->unknown);
	v->value = strdup(w->val.over ? "" : value);
	v->unknown = w->why[0] ? strdup(w->why) : NULL;
	if (!v->name || !v->value || (w->why[0] && !v->unknown))
		problem(p, "out of memory");
}

/* `...` or $(...): nothing is run; the value is unknown. Skips to its end. */
static bool skip_substitution(struct parser *p, bool backquote)
{
	int depth = 1;

	while (p->pos < p->n) {
		char c = p->t[p->pos++];

		if (c == '\n')
			p->line++;
		if (c == '\\') {
			if (p->pos < p->n && p->t[p->pos] == '\n')
				p->line++;
			p->pos++;
		} else if (backquote) {
			if (c == '`')
				return true;
		} else if (c == '\'') {
			while (p->pos < p->n && p->t[p->pos] != '\'')
				p->line += p->t[p->pos++] == '\n';
			p->pos++;
		} else if (c == '"') {
			while (p->pos < p->n && p->t[p->pos] != '"') {
				p->line += p->t[p->pos] == '\n';
				p->pos += p->t[p->pos] == '\\' ? 2 : 1;
			}
			p->pos++;
		} else if (c == '(') {
			depth++;
		} else if (c == ')' && !--depth) {
			return true;
		} else if (c == 'c' && p->pos + 3 <= p->n && !memcmp(p->t + p->pos, "ase", 3)) {
			/* case ... pat) unbalances the parentheses: not followed */
			problem(p, "'case' inside $(...): not read");
			return false;
		}
	}
	problem(p, "syntax error: unterminated %s", backquote ? "`" : "$(");
	return false;
}

/* $NAME, ${NAME}, $(...) and the rest, at '$' */
static void expand(struct parser *p, struct word *w)
{
	struct grubcfg_var *v;
	size_t start;
	int c;

	p->pos++;
	c = cur(p);
	if (c == '(') {
		if (at(p, 1) == '(') {
			problem(p, "$((...)): arithmetic expansion may assign, not read");
			return;
		}
		taint(p, w, "command substitution $(...) (not run)");
		p->pos++;
		skip_substitution(p, false);
		return;
	}
	if (c == '{') {
		p->pos++;
		start = p->pos;
		while (name_char(cur(p)))
			p->pos++;
		if (p->pos == start || !name_start((unsigned char)p->t[start]) || cur(p) != '}') {
			problem(p, "a parameter expansion other than ${NAME}: not read");
			return;
		}
		p->pos++;
	} else if (name_start(c)) {
		start = p->pos;
		while (name_char(cur(p)))
			p->pos++;
	} else if ((c >= '0' && c <= '9') || (c != -1 && strchr("@*#?$!-", c))) {
		char what[96];

		snprintf(what, sizeof(what), "$%c, a parameter of grub-mkconfig's own", c);
		taint(p, w, what);
		p->pos++;
		return;
	} else {
		sbuf_ch(&w->val, '$');
		return;
	}
	/* a backslash-newline inside the name was skipped: copy the name without it */
	{
		char name[256];
		size_t i, k = 0;

		for (i = start; i < p->pos && k < sizeof(name) - 1; i++)
			if (name_char((unsigned char)p->t[i]))
				name[k++] = p->t[i];
		name[k] = '\0';
		v = find(p->g, name, k);
	}
	if (!v)
		return;
	if (v->unknown && !w->why[0])
		snprintf(w->why, sizeof(w->why), "%s", v->unknown);
	sbuf_add(&w->val, v->value, strlen(v->value));
}

static void double_quoted(struct parser *p, struct word *w)
{
	unsigned line = p->line;
	int c;

	p->pos++;
	for (;;) {
		c = cur(p);
		if (c == -1) {
			p->line = line;
			problem(p, "syntax error: unterminated \"");
			return;
		}
		if (c == '"') {
			p->pos++;
			return;
		}
		if (c == '\\') {
			c = at(p, 1);
			if (c == '$' || c == '`' || c == '"' || c == '\\') {
				sbuf_ch(&w->val, c);
				p->pos += 2;
			} else {
				sbuf_ch(&w->val, '\\');
				p->pos++;
			}
			continue;
		}
		if (c == '$') {
			expand(p, w);
		} else if (c == '`') {
			taint(p, w, "command substitution `...` (not run)");
			p->pos++;
			skip_substitution(p, true);
		} else {
			p->line += c == '\n';
			sbuf_ch(&w->val, c);
			p->pos++;
		}
		if (p->stop)
			return;
	}
}

static bool word_end(int c)
{
	return c == -1 || c == ' ' || c == '\t' || c == '\n' || strchr(";&|<>()", c);
}

/* one word of a command, expanded as the value of an assignment is (no field splitting) */
static void parse_word(struct parser *p, struct word *w)
{
	bool name = true, colon = false;
	int c;

	w->literal = true;
	while (!p->stop && !word_end(c = cur(p))) {
		bool was_colon = colon;

		colon = false;
		if (c == '\\') {
			if (at(p, 1) == -1) {
				sbuf_ch(&w->val, '\\');
				p->pos++;
			} else {
				sbuf_ch(&w->val, p->t[p->pos + 1]);
				p->pos += 2;
			}
			name = w->literal = false;
		} else if (c == '\'') {
			unsigned line = p->line;

			p->pos++;
			while (p->pos < p->n && p->t[p->pos] != '\'') {
				p->line += p->t[p->pos] == '\n';
				sbuf_ch(&w->val, p->t[p->pos++]);
			}
			if (p->pos == p->n) {
				p->line = line;
				problem(p, "syntax error: unterminated '");
			}
			p->pos++;
			name = w->literal = false;
		} else if (c == '"') {
			double_quoted(p, w);
			name = w->literal = false;
		} else if (c == '$') {
			expand(p, w);
			name = w->literal = false;
		} else if (c == '`') {
			taint(p, w, "command substitution `...` (not run)");
			p->pos++;
			skip_substitution(p, true);
			name = w->literal = false;
		} else {
			if (c == '=' && name && w->val.len && !w->eq)
				w->eq = w->val.len;
			else if (!name_char(c) || (!w->val.len && !name_start(c)))
				name = false;
			/* tilde expansion in an assignment: after '=' and after each ':' */
			if (c == '~' && w->eq && (w->val.len == w->eq + 1 || was_colon))
				taint(p, w, "~ (a home directory, grub-mkconfig's user's)");
			colon = c == ':' && w->eq;
			sbuf_ch(&w->val, c);
			p->pos++;
		}
	}
	if (!w->val.s)
		sbuf_add(&w->val, "", 0);
}

static void word_free(struct word *w)
{
	free(w->val.s);
	memset(w, 0, sizeof(*w));
}

/* "NAME+=...": bash's append, which dash runs as a command that is not found */
static bool is_append(const struct word *w)
{
	const char *s = w->val.s, *e = strstr(s, "+=");

	if (!e || e == s || !name_start((unsigned char)*s))
		return false;
	for (; s < e; s++)
		if (!name_char((unsigned char)*s))
			return false;
	return true;
}

static bool is_keyword(const char *s)
{
	char w[8];

	return strlen(s) < 6 && snprintf(w, sizeof(w), " %s ", s) > 0 &&
	       strstr(" if then else elif fi for while until do done case esac { } ! in ", w);
}

/* one simple command up to a newline, ';' or the end; what it does to the variables */
static void parse_command(struct parser *p)
{
	struct word *w = NULL;
	size_t nw = 0, i;
	bool command = false, is_export = false;
	int c;

	for (;;) {
		c = cur(p);
		if (c == ' ' || c == '\t') {
			p->pos++;
			continue;
		}
		if (c == -1)
			break;
		if (c == '\n') {
			p->pos++;
			p->line++;
			break;
		}
		if (c == '#') {
			while (p->pos < p->n && p->t[p->pos] != '\n')
				p->pos++;
			continue;
		}
		if (c == ';') {
			if (!nw || at(p, 1) == ';') {
				problem(p, "syntax error: unexpected ';'");
				break;
			}
			p->pos++;
			break;
		}
		if (strchr("&|<>()", c)) {
			problem(p, "'%c': a redirection, pipe, list or subshell is not read", c);
			break;
		}
		if (nw == WORDS_MAX) {
			problem(p, "more than %d words", WORDS_MAX);
			break;
		}
		if (!(nw % 16)) {
			struct word *nwp = realloc(w, (nw + 16) * sizeof(*w));

			if (!nwp) {
				problem(p, "out of memory");
				break;
			}
			w = nwp;
		}
		memset(&w[nw], 0, sizeof(w[nw]));
		parse_word(p, &w[nw]);
		if (p->stop) {
			nw++;
			break;
		}
		if (!command && w[nw].eq) {
			/* an assignment before any command word takes effect at once */
			assign(p, &w[nw]);
		} else if (!command) {
			command = true;
			is_export = !nw && w[nw].literal && !strcmp(w[nw].val.s, "export");
			if (!is_export) {
				if (is_append(&w[nw]))
					problem(p, "'%.*s+=': not sh (dash runs it as a command, which is "
						"not found, and grub-mkconfig stops)",
						(int)(strstr(w[nw].val.s, "+=") - w[nw].val.s),
						w[nw].val.s);
				else if (w[nw].literal && is_keyword(w[nw].val.s))
					problem(p, "'%s': shell control flow is not read", w[nw].val.s);
				else
					problem(p, "'%.64s' is a command: not run, only a shell can tell "
						"what it does", w[nw].val.s);
			}
		} else if (!w[nw].eq && !(w[nw].literal && name_start((unsigned char)w[nw].val.s[0]) &&
					     !w[nw].val.s[strspn(w[nw].val.s,
						"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
						"0123456789_")])) {
			problem(p, "export '%.64s': not a variable name", w[nw].val.s);
		}
		nw++;
		if (p->stop)
			break;
	}
	if (is_export && !p->stop) {
		if (nw == 1)
			problem(p, "'export' alone prints the environment: not run");
		/* export expands all its arguments first, then assigns them */
		for (i = 1; i < nw && !p->stop; i++)
			if (w[i].eq)
				assign(p, &w[i]);
	}
	for (i = 0; i < nw; i++)
		word_free(&w[i]);
	free(w);
}

void grubcfg_init(struct grubcfg *g)
{
	memset(g, 0, sizeof(*g));
}

void grubcfg_free(struct grubcfg *g)
{
	size_t i;

	for (i = 0; i < g->nvar; i++) {
		free(g->var[i].name);
		free(g->var[i].value);
		free(g->var[i].unknown);
	}
	free(g->var);
	memset(g, 0, sizeof(*g));
}

void grubcfg_parse(struct grubcfg *g, const char *file, const char *text, size_t len)
{
	struct parser p = { .g = g, .file = file, .line = 1 };
	char *t = malloc(len + 1);
	size_t i, n = 0;

	if (!t) {
		problem(&p, "out of memory");
		return;
	}
	/* dash drops NUL bytes from its input */
	for (i = 0; i < len; i++)
		if (text[i])
			t[n++] = text[i];
	t[n] = '\0';
	p.t = t;
	p.n = n;
	while (!p.stop && p.pos < p.n)
		parse_command(&p);
	free(t);
}

static void load_file(struct grubcfg *g, const char *path)
{
	struct parser p = { .g = g, .file = path, .line = 1 };
	char *buf;
	int n;

	buf = malloc(FILE_MAX + 1);
	if (!buf) {
		problem(&p, "out of memory");
		return;
	}
	n = read_file(path, buf, FILE_MAX + 1);
	if (n < 0)
		problem(&p, "cannot read it: %s (grub-mkconfig fails)", strerror(-n));
	else if (n == FILE_MAX)
		problem(&p, "larger than %d MiB: not read", FILE_MAX >> 20);
	else
		grubcfg_parse(g, path, buf, n);
	free(buf);
}

struct names {
	char **v;
	size_t n, cap;
};

static int collect_cfg(int dirfd, const char *name, void *data)
{
	struct names *l = data;
	size_t len = strlen(name);

	/* the glob *.cfg: no leading dot */
	if (name[0] == '.' || len < 4 || strcmp(name + len - 4, ".cfg"))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = strdup(name);
	return l->v[l->n++] ? 0 : -ENOMEM;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int grubcfg_load(struct grubcfg *g, const char *def, const char *dir)
{
	struct names l = { 0 };
	char path[PATH_MAX];
	struct stat st;
	bool any = false;
	size_t i;

	/* grub-mkconfig: `if test -f default/grub; then . default/grub; fi` */
	if (stat(def, &st) == 0 && S_ISREG(st.st_mode)) {
		load_file(g, def);
		any = true;
	}
	/* `for x in default/grub.d/ *.cfg; do if [ -e "$x" ]; then . "$x"; fi; done` */
	if (dir_for_each(dir, collect_cfg, &l) == -ENOMEM) {
		struct parser p = { .g = g, .file = dir };

		problem(&p, "out of memory");
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), by_name);
	for (i = 0; i < l.n; i++) {
		any = true;
		if (path_fmt(path, sizeof(path), "%s/%s", dir, l.v[i]) < 0) {
			struct parser p = { .g = g, .file = l.v[i] };

			problem(&p, "path too long");
		} else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			struct parser p = { .g = g, .file = path };

			problem(&p, "not a file: `.` fails on it (grub-mkconfig stops)");
		} else {
			load_file(g, path);
		}
		free(l.v[i]);
	}
	free(l.v);
	return any ? 0 : -ENOENT;
}

const char *grubcfg_get(const struct grubcfg *g, const char *name, const char **unknown)
{
	struct grubcfg_var *v = find(g, name, strlen(name));

	if (!v)
		return NULL;
	if (v->unknown && unknown)
		*unknown = v->unknown;
	return v->value;
}

bool grubcfg_cmdline(const struct grubcfg *g, char *buf, size_t size, char *why,
		     size_t whysize)
{
	const char *unknown = NULL, *l, *d;

	buf[0] = '\0';
	if (g->nproblems) {
		if (g->nproblems > 1)
			snprintf(why, whysize, "%s (and %u more)", g->problem, g->nproblems - 1);
		else
			snprintf(why, whysize, "%s", g->problem);
		return false;
	}
	l = grubcfg_get(g, "GRUB_CMDLINE_LINUX", &unknown);
	d = grubcfg_get(g, "GRUB_CMDLINE_LINUX_DEFAULT", &unknown);
	if (unknown) {
		snprintf(why, whysize, "%s", unknown);
		return false;
	}
	if ((size_t)snprintf(buf, size, "%s %s", l ? l : "", d ? d : "") >= size) {
		snprintf(why, whysize, "the command line is longer than %zu bytes", size - 1);
		return false;
	}
	return true;
}
