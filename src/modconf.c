// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modprobe.d. What a module's options are is libkmod's answer (modconf_options()), and a load
 * applies libkmod's blacklist; vfio-bind reads the files itself only to say where a setting
 * comes from (file and line), exactly as libkmod-config.c (kmod 30) reads them, so that each
 * of libkmod's answers can be put back to its line (fuzz-modconf holds the two readings to
 * each other).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libkmod.h>

#include "modconf.h"
#include "modload.h"
#include "sysfs.h"

/* kmod's defaults, and /usr/lib/modprobe.d where /lib is not merged into /usr */
const char *const modconf_dirs[MODCONF_NDIRS] = {
	"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d",
	"/usr/lib/modprobe.d",
};

const char *const *modconf_paths(const struct vb_ctx *ctx, char buf[][PATH_MAX])
{
	static const char *paths[MODCONF_NDIRS + 1];
	const char *root = strcmp(ctx->root, "/") ? ctx->root : "";
	int i, n = 0;

	for (i = 0; i < MODCONF_NDIRS; i++)
		if (path_fmt(buf[i], PATH_MAX, "%s%s", root, modconf_dirs[i]) >= 0)
			paths[n++] = buf[i];
	paths[n] = NULL;
	return paths;
}

bool modname_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if ((*a == '-' ? '_' : *a) != (*b == '-' ? '_' : *b))
			return false;
	return *a == *b;
}

/* --- libkmod's answers ------------------------------------------------------------------- */

char *modconf_options(const struct vb_ctx *ctx, const char *module)
{
	struct kmod_ctx *k = modload_kmod(ctx, false);
	struct kmod_module *m = NULL;
	const char *opts;
	char *ret = NULL;

	if (!k)
		return NULL;
	if (kmod_module_new_from_name(k, module, &m) == 0) {
		opts = kmod_module_get_options(m);
		ret = strdup(opts ? opts : "");
		kmod_module_unref(m);
	}
	kmod_unref(k);
	return ret;
}

/* --- the files, line by line ------------------------------------------------------------- */

struct conf_file {
	char *path;
	const char *name;	/* what the files are sorted by */
	size_t order;		/* of two files with the same name, the first found counts */
};

struct conf_list {
	struct conf_file *f;
	size_t n, cap;
	const char *dir;
};

static int conf_push(struct conf_list *l, const char *dir, const char *name)
{
	struct conf_file *f;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;

		f = realloc(l->f, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		l->f = f;
		l->cap = cap;
	}
	f = &l->f[l->n];
	f->path = malloc(strlen(dir) + (name ? strlen(name) : 0) + 2);
	if (!f->path)
		return -ENOMEM;
	strcpy(stpcpy(stpcpy(f->path, dir), name ? "/" : ""), name ? name : "");
	/* a single file (a path that is not a directory) goes by its base name */
	f->name = strrchr(f->path, '/') ? strrchr(f->path, '/') + 1 : f->path;
	f->order = l->n++;
	return 0;
}

/* libkmod's filter: no hidden files, *.conf and *.alias only, no directories */
static int conf_add(int dirfd, const char *name, void *data)
{
	struct conf_list *l = data;
	size_t n = strlen(name);
	struct stat st;

	if (name[0] == '.' || n < 6 ||
	    (strcmp(name + n - 5, ".conf") && strcmp(name + n - 6, ".alias")))
		return 0;
	if (fstatat(dirfd, name, &st, 0) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return conf_push(l, l->dir, name);
}

static int conf_cmp(const void *a, const void *b)
{
	const struct conf_file *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->order < y->order ? -1 : 1;
}

/* strtok_r() as libkmod calls it: @delim " \t", or "" for the rest of the line */
static char *tok(char **save, const char *delim)
{
	char *s = *save + strspn(*save, delim), *end;

	if (!*s) {
		*save = s;
		return NULL;
	}
	end = s + strcspn(s, delim);
	if (*end)
		*end++ = '\0';
	*save = end;
	return s;
}

/* libkmod's underscores(): '-' is '_' but inside [...]; a stray ']' or an open '[' is bad */
static int underscores(char *s)
{
	size_t i;

	if (!s)
		return -EINVAL;
	for (i = 0; s[i]; i++) {
		if (s[i] == '-') {
			s[i] = '_';
		} else if (s[i] == ']') {
			return -EINVAL;
		} else if (s[i] == '[') {
			i += strcspn(s + i, "]");
			if (!s[i])
				return -EINVAL;
		}
	}
	return 0;
}

/* one line as kmod_config_parse() takes it; @fn only sees the lines libkmod keeps */
static int parse_line(const char *file, unsigned line, char *s, modconf_fn fn, void *data)
{
	char *save = s, *cmd, *mod, *rest, *p;

	if (!*s || *s == '#')
		return 0;
	cmd = tok(&save, "\t ");
	if (!cmd)
		return 0;
	if (!strcmp(cmd, "alias")) {
		mod = tok(&save, "\t ");
		rest = tok(&save, "\t ");
		if (underscores(mod) < 0 || underscores(rest) < 0)
			return 0;
		return fn(file, line, cmd, mod, rest, data);
	}
	if (!strcmp(cmd, "blacklist")) {
		mod = tok(&save, "\t ");
		if (underscores(mod) < 0)
			return 0;
		return fn(file, line, cmd, mod, save, data);
	}
	if (strcmp(cmd, "options") && strcmp(cmd, "install") && strcmp(cmd, "remove") &&
	    strcmp(cmd, "softdep"))
		return 0;
	mod = tok(&save, "\t ");
	rest = tok(&save, "");
	if (underscores(mod) < 0 || !rest)
		return 0;
	/* libkmod keeps an options line with its tabs turned into spaces */
	if (!strcmp(cmd, "options"))
		for (p = rest; *p; p++)
			if (*p == '\t')
				*p = ' ';
	return fn(file, line, cmd, mod, rest, data);
}

/* the whole file, whatever its size; NULL when it cannot be read */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *b;
	ssize_t r;
	int fd;

	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			b = realloc(buf, cap *= 2);
			if (!b)
				break;
			buf = b;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			*len = n;
			return buf;
		}
		n += r;
	}
	close(fd);
	free(buf);
	return NULL;
}

/*
 * freadline_wrapped() (kmod's shared/util.c): a backslash before a newline joins the lines, a
 * backslash before any other byte stands for that byte, a backslash at the very end is byte
 * 0xff (getc()'s EOF stored in a char); a NUL byte ends what the line says. @name (the path
 * without the root) goes into messages, with the line where a logical line starts.
 */
static int parse_file(const char *path, const char *name, modconf_fn fn, void *data)
{
	size_t len, i = 0, n;
	unsigned line = 0, start;
	char *text = slurp(path, &len), *buf;
	int err = 0;

	if (!text)
		return 0;
	buf = malloc(len + 1);
	while (buf && !err && i < len) {
		start = line + 1;
		for (n = 0;;) {
			char c;

			if (i == len) {
				line++;
				break;
			}
			c = text[i++];
			if (c == '\n') {
				line++;
				break;
			}
			if (c == '\\') {
				if (i == len) {
					c = (char)0xff;
				} else if (text[i] == '\n') {
					i++;
					line++;
					continue;
				} else {
					c = text[i++];
				}
			}
			buf[n++] = c;
		}
		buf[n] = '\0';
		err = parse_line(name, start, buf, fn, data);
	}
	free(buf);
	free(text);
	return err;
}

int modconf_walk(const struct vb_ctx *ctx, modconf_fn fn, void *data)
{
	char dirs[MODCONF_NDIRS][PATH_MAX];
	const char *const *paths = modconf_paths(ctx, dirs);
	size_t rootlen = strcmp(ctx->root, "/") ? strlen(ctx->root) : 0, i;
	struct conf_list l = { 0 };
	struct stat st;
	int err = 0;

	/* depmod's softdeps are read as one more file, named modules.softdep */
	conf_push(&l, ctx->moddir, "modules.softdep");
	for (i = 0; paths[i]; i++) {
		if (stat(paths[i], &st) < 0)
			continue;
		l.dir = paths[i];
		if (S_ISDIR(st.st_mode))
			dir_for_each(paths[i], conf_add, &l);
		else
			conf_push(&l, paths[i], NULL);
	}
	if (l.n)
		qsort(l.f, l.n, sizeof(l.f[0]), conf_cmp);
	for (i = 0; i < l.n; i++) {
		const char *path = l.f[i].path;

		if (err || (i && !strcmp(l.f[i].name, l.f[i - 1].name)))
			continue;
		err = parse_file(path, strlen(path) > rootlen ? path + rootlen : path, fn, data);
	}
	for (i = 0; i < l.n; i++)
		free(l.f[i].path);
	free(l.f);
	return err;
}
