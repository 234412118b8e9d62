// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modprobe.d, as libkmod reads it (libkmod-config.c): which files, in which order, which lines.
 * vfio-bind reads it itself to say where a setting comes from (file and line) and to take
 * vfio-pci's ids= over; libkmod still applies it when vfio-pci is loaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modconf.h"
#include "sysfs.h"

/* kmod's defaults, and /usr/lib/modprobe.d where /lib is not merged into /usr */
const char *const modconf_dirs[MODCONF_NDIRS] = {
	"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d",
	"/usr/lib/modprobe.d",
};

#define CONF_FILES	128
#define CONF_SIZE	(64 * 1024)

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

struct conf_file {
	char name[NAME_MAX + 1];
	int dir;
};

struct conf_list {
	struct conf_file f[CONF_FILES];
	int n;
	int dir;
};

static int conf_add(int dirfd, const char *name, void *data)
{
	struct conf_list *l = data;
	size_t n = strlen(name);
	int i;

	/* libkmod's filter: no hidden files, *.conf (and *.alias) only */
	if (name[0] == '.' || n < 6 || n > NAME_MAX ||
	    (strcmp(name + n - 5, ".conf") && strcmp(name + n - 6, ".alias")))
		return 0;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->f[i].name, name))
			return 0;	/* an earlier directory has it */
	if (l->n == CONF_FILES)
		return 0;
	memcpy(l->f[l->n].name, name, n + 1);
	l->f[l->n++].dir = l->dir;
	return 0;
}

static int conf_cmp(const void *a, const void *b)
{
	return strcmp(((const struct conf_file *)a)->name, ((const struct conf_file *)b)->name);
}

/* one logical line (continuations joined); @line is where it starts */
static int parse_line(const char *file, unsigned line, char *s, modconf_fn fn, void *data)
{
	char *w[2] = { NULL, NULL }, *end, *p;

	s += strspn(s, " \t");
	if (!*s || *s == '#')
		return 0;
	end = s + strlen(s);
	/* the command, the module, and the rest as it is (options keep their spaces) */
	if (split_words(s, w, 2) == 2) {
		for (p = w[1]; *p; p++)
			if (*p == '-')
				*p = '_';
		s = p < end ? p + 1 : p;
	} else {
		s = end;
	}
	s += strspn(s, " \t");
	return fn(file, line, w[0], w[1], s, data);
}

/* @path is read; @name (the path without the root) goes into messages */
static int parse_file(const char *path, const char *name, char *buf, modconf_fn fn, void *data)
{
	char *s, *nl, *w, *logical;
	unsigned line = 0, start = 0;
	size_t n;
	int err;

	if (read_file(path, buf, CONF_SIZE) < 0)
		return 0;
	/* logical lines are put together in place: they are never longer than the text */
	logical = w = buf;
	for (s = buf; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		if (w == logical)
			start = line + 1;
		line++;
		memmove(w, s, n);
		w += n;
		if (nl && n && w[-1] == '\\') {
			w--;
			continue;
		}
		*w = '\0';
		err = parse_line(name, start, logical, fn, data);
		if (err)
			return err;
		logical = w = w + 1;
		if (!nl)
			return 0;
	}
	if (w == logical)
		return 0;
	*w = '\0';
	return parse_line(name, start, logical, fn, data);
}

int modconf_walk(const struct vb_ctx *ctx, modconf_fn fn, void *data)
{
	static struct conf_list l;
	static char buf[CONF_SIZE];
	char dirs[MODCONF_NDIRS][PATH_MAX], path[PATH_MAX];
	const char *const *paths = modconf_paths(ctx, dirs);
	size_t rootlen = strcmp(ctx->root, "/") ? strlen(ctx->root) : 0;
	int i, err;

	l.n = 0;
	for (i = 0; paths[i]; i++) {
		l.dir = i;
		dir_for_each(paths[i], conf_add, &l);
	}
	qsort(l.f, l.n, sizeof(l.f[0]), conf_cmp);
	for (i = 0; i < l.n; i++) {
		if (path_fmt(path, sizeof(path), "%s/%s", paths[l.f[i].dir], l.f[i].name) < 0)
			continue;
		err = parse_file(path, path + rootlen, buf, fn, data);
		if (err)
			return err;
	}
	return 0;
}
