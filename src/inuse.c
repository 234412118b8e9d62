// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Is a PCI function something the running system stands on? A disk under a mounted filesystem
 * or an active swap (through partitions, device-mapper and md slaves), or the network
 * interface of the default route (through bridges, bonds and VLANs). `add` and `claim` refuse
 * such a device unless --force is given. Everything is read under ctx->sysfs and ctx->proc,
 * and every name read from them is checked before it becomes part of a path.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inuse.h"
#include "sysfs.h"

#define DEPTH_MAX	8
#define INUSE_BUF	(256 * 1024)

/* a single path component, as block and interface names are: no '/', not "." or ".." */
static bool safe_name(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > NAME_MAX || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || (unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* does the real path of @path go through the PCI function @pci? */
static bool path_through(const char *path, const char *pci)
{
	char real[PATH_MAX], comp[PCI_NAME_MAX + 2];
	size_t n, cl;

	if (!realpath(path, real))
		return false;
	snprintf(comp, sizeof(comp), "/%s", pci);
	cl = strlen(comp);
	n = strlen(real);
	for (const char *p = strstr(real, comp); p; p = strstr(p + 1, comp))
		if (p[cl] == '/' || p + cl == real + n)
			return true;
	return false;
}

/*
 * What a device stands on, in sysfs: a block device (a partition, dm-N, mdN) on the devices in
 * its slaves/; a network interface (a bridge, bond or VLAN) on its lower_* links.
 */
struct stack {
	const char *class;	/* SYSFS/class/CLASS/NAME */
	const char *below;	/* the directory under it that names the devices below */
	const char *prefix;	/* ... in the entries that start with this */
};

static const struct stack block_stack = { "block", "/slaves", "" };
static const struct stack net_stack = { "net", "", "lower_" };

struct walk {
	struct vb_ctx *ctx;
	const struct stack *k;
	const char *pci;
	int depth;
	bool hit;
};

static bool sits_on(struct vb_ctx *ctx, const struct stack *k, const char *name, const char *pci,
		    int depth);

static int below_fn(int dirfd, const char *name, void *data)
{
	struct walk *w = data;
	size_t n = strlen(w->k->prefix);

	if (strncmp(name, w->k->prefix, n) ||
	    !sits_on(w->ctx, w->k, name + n, w->pci, w->depth + 1))
		return 0;
	w->hit = true;
	return 1;
}

/* device @name of @k's class is on the PCI function @pci, itself or through the devices below */
static bool sits_on(struct vb_ctx *ctx, const struct stack *k, const char *name, const char *pci,
		    int depth)
{
	struct walk w = { ctx, k, pci, depth, false };
	char path[PATH_MAX];

	if (depth > DEPTH_MAX || !safe_name(name) ||
	    path_fmt(path, sizeof(path), "%s/class/%s/%s", ctx->sysfs, k->class, name) < 0)
		return false;
	if (path_through(path, pci))
		return true;
	if (path_fmt(path, sizeof(path), "%s/class/%s/%s%s", ctx->sysfs, k->class, name,
		     k->below) < 0)
		return false;
	dir_for_each(path, below_fn, &w);
	return w.hit;
}

struct find_dev {
	struct vb_ctx *ctx;
	const char *want;	/* "MAJ:MIN", or a device-mapper name */
	bool by_dm_name;
	char found[NAME_MAX + 1];
};

static int find_fn(int dirfd, const char *name, void *data)
{
	struct find_dev *f = data;
	char path[PATH_MAX], val[256];

	if (!safe_name(name) ||
	    path_fmt(path, sizeof(path), "%s/class/block/%s/%s", f->ctx->sysfs, name,
		     f->by_dm_name ? "dm/name" : "dev") < 0 ||
	    read_attr(path, val, sizeof(val)) < 0 || strcmp(val, f->want))
		return 0;
	snprintf(f->found, sizeof(f->found), "%s", name);
	return 1;
}

/* the block device a mount or swap names: by number, or by /dev/NAME, /dev/mapper/NAME */
static bool block_name(struct vb_ctx *ctx, const char *devno, const char *source, char *out,
		       size_t size)
{
	struct find_dev f = { ctx, devno, false, "" };
	char path[PATH_MAX];

	path_fmt(path, sizeof(path), "%s/class/block", ctx->sysfs);
	if (devno && strncmp(devno, "0:", 2) && dir_for_each(path, find_fn, &f) > 0) {
		snprintf(out, size, "%s", f.found);
		return true;
	}
	if (!source || strncmp(source, "/dev/", 5))
		return false;
	if (!strncmp(source, "/dev/mapper/", 12)) {
		f.want = source + 12;
		f.by_dm_name = true;
		if (safe_name(f.want) && dir_for_each(path, find_fn, &f) > 0) {
			snprintf(out, size, "%s", f.found);
			return true;
		}
		return false;
	}
	if (!safe_name(source + 5))
		return false;
	snprintf(out, size, "%s", source + 5);
	return true;
}

/* append "; TEXT" to @why */
static void add_why(char *why, size_t size, const char *text)
{
	size_t n = strlen(why);

	snprintf(why + n, size - n, "%s%s", n ? "; " : "", text);
}

static void check_mounts(struct vb_ctx *ctx, const char *pci, char *buf, char *why, size_t size)
{
	char path[PATH_MAX], blk[NAME_MAX + 1], text[PATH_MAX + 64];
	char *line, *next;
	unsigned shown = 0;

	if (path_fmt(path, sizeof(path), "%s/self/mountinfo", ctx->proc) < 0 ||
	    read_file(path, buf, INUSE_BUF) < 0)
		return;
	for (line = buf; line && shown < 3; line = next) {
		char *f[6], *sep, *source = NULL, *save = NULL;
		int i;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE ... */
		sep = strstr(line, " - ");
		if (sep) {
			char *s2 = NULL, *fstype;

			*sep = '\0';
			fstype = strtok_r(sep + 3, " ", &s2);
			source = fstype ? strtok_r(NULL, " ", &s2) : NULL;
		}
		for (i = 0; i < 6; i++)
			if (!(f[i] = strtok_r(i ? NULL : line, " ", &save)))
				break;
		if (i < 6)
			continue;
		if (!block_name(ctx, f[2], source, blk, sizeof(blk)) ||
		    !sits_on(ctx, &block_stack, blk, pci, 0))
			continue;
		snprintf(text, sizeof(text), "%s %s is mounted on %s",
			 !strcmp(f[4], "/") ? "it holds the root filesystem:" : "it holds a mounted "
			 "filesystem:", blk, f[4]);
		add_why(why, size, text);
		shown++;
	}
}

static void check_swaps(struct vb_ctx *ctx, const char *pci, char *buf, char *why, size_t size)
{
	char path[PATH_MAX], blk[NAME_MAX + 1], text[PATH_MAX + 64];
	char *line, *next;

	if (path_fmt(path, sizeof(path), "%s/swaps", ctx->proc) < 0 ||
	    read_file(path, buf, INUSE_BUF) < 0)
		return;
	/* "Filename Type Size Used Priority"; a swap file lives on a mount, seen above */
	for (line = buf; line; line = next) {
		char *save = NULL, *file;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		file = strtok_r(line, " \t", &save);
		if (!file || strncmp(file, "/dev/", 5))
			continue;
		if (!block_name(ctx, NULL, file, blk, sizeof(blk)) ||
		    !sits_on(ctx, &block_stack, blk, pci, 0))
			continue;
		snprintf(text, sizeof(text), "it holds the active swap %s", file);
		add_why(why, size, text);
	}
}

static void route_hit(struct vb_ctx *ctx, const char *pci, const char *ifc, char *why,
		      size_t size)
{
	char text[NAME_MAX + 64];

	if (!sits_on(ctx, &net_stack, ifc, pci, 0))
		return;
	snprintf(text, sizeof(text), "it carries the default route's interface %s", ifc);
	if (!strstr(why, text))
		add_why(why, size, text);
}

static void check_routes(struct vb_ctx *ctx, const char *pci, char *buf, char *why, size_t size)
{
	char path[PATH_MAX], *line, *next;

	/* Iface Destination Gateway Flags RefCnt Use Metric Mask ... (hex) */
	if (path_fmt(path, sizeof(path), "%s/net/route", ctx->proc) >= 0 &&
	    read_file(path, buf, INUSE_BUF) >= 0) {
		for (line = buf; line; line = next) {
			char *w[9];

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			/* w[0] Iface, w[1] Destination, w[7] Mask */
			if (split_words(line, w, 9) >= 8 && strlen(w[0]) <= NAME_MAX &&
			    !strcmp(w[1], "00000000") && !strcmp(w[7], "00000000"))
				route_hit(ctx, pci, w[0], why, size);
		}
	}
	/* DEST PLEN SRC SLEN NEXTHOP METRIC REFCNT USE FLAGS IFACE */
	if (path_fmt(path, sizeof(path), "%s/net/ipv6_route", ctx->proc) >= 0 &&
	    read_file(path, buf, INUSE_BUF) >= 0) {
		for (line = buf; line; line = next) {
			char *w[11];

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			/* w[0] DEST, w[1] PLEN, w[9] IFACE */
			if (split_words(line, w, 11) >= 10 && strlen(w[9]) <= NAME_MAX &&
			    !strcmp(w[1], "00") && strlen(w[0]) == 32 && strspn(w[0], "0") == 32 &&
			    strcmp(w[9], "lo"))
				route_hit(ctx, pci, w[9], why, size);
		}
	}
}

int inuse_check(struct vb_ctx *ctx, const char *pci, char *why, size_t size)
{
	char *buf = malloc(INUSE_BUF);

	why[0] = '\0';
	if (!buf)
		return -ENOMEM;
	check_mounts(ctx, pci, buf, why, size);
	check_swaps(ctx, pci, buf, why, size);
	check_routes(ctx, pci, buf, why, size);
	free(buf);
	return why[0] ? 1 : 0;
}
