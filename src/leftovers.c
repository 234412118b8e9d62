// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The classic recipe's leftovers: the ones that hurt (a driver blacklist that leaves a host
 * device without its driver, ids= that takes a twin) and the ones that are only no longer
 * needed (vfio modules in /etc/modules, framebuffer switches that cost the host its console).
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "leftovers.h"
#include "modconf.h"
#include "sysfs.h"

#define BL_MAX		64
#define ALIAS_FILE_MAX	(8 * 1024 * 1024)
#define DEVS_TEXT	256

struct blacklist {
	char mod[64];			/* '-' as '_' */
	char where[WHERE_MAX];
};

struct bl_list {
	struct blacklist b[BL_MAX];
	int n;
};

static void bl_add(struct bl_list *l, const char *mod, const char *where)
{
	if (l->n == BL_MAX || !*mod)
		return;
	snprintf(l->b[l->n].mod, sizeof(l->b[0].mod), "%s", mod);
	for (char *p = l->b[l->n].mod; *p; p++)
		if (*p == '-')
			*p = '_';
	snprintf(l->b[l->n++].where, sizeof(l->b[0].where), "%s", where);
}

static int bl_line(const char *file, unsigned line, const char *cmd, const char *mod,
		   char *rest, void *data)
{
	char where[WHERE_MAX], esc[PATH_MAX], emod[96];

	if (strcmp(cmd, "blacklist") || !mod)
		return 0;
	str_escape(esc, sizeof(esc), file, 256);
	str_escape(emod, sizeof(emod), mod, 48);
	snprintf(where, sizeof(where), "'blacklist %s' in %s:%u", emod, esc, line);
	bl_add(data, mod, where);
	return 0;
}

/* modules.alias, "alias pci:v...d...* MODULE" lines only */
struct aliases {
	char *buf;
	char **pat;
	char **mod;
	size_t n;
};

static void aliases_load(struct vb_ctx *ctx, struct aliases *a)
{
	char path[PATH_MAX], *line, *next;
	size_t cap = 0;

	memset(a, 0, sizeof(*a));
	if (path_fmt(path, sizeof(path), "%s/modules.alias", ctx->moddir) < 0)
		return;
	a->buf = malloc(ALIAS_FILE_MAX);
	if (!a->buf || read_file(path, a->buf, ALIAS_FILE_MAX) < 0)
		return;
	for (line = a->buf; line && *line; line = next) {
		char *pat, *mod;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "alias pci:", 10))
			continue;
		pat = line + 6;
		mod = strchr(pat, ' ');
		if (!mod)
			continue;
		*mod++ = '\0';
		if (a->n == cap) {
			size_t c = cap ? cap * 2 : 1024;
			char **p = realloc(a->pat, c * sizeof(*p)), **m;

			if (!p)
				return;
			a->pat = p;
			m = realloc(a->mod, c * sizeof(*m));
			if (!m)
				return;
			a->mod = m;
			cap = c;
		}
		a->pat[a->n] = pat;
		a->mod[a->n++] = mod;
	}
}

static void aliases_free(struct aliases *a)
{
	free(a->buf);
	free(a->pat);
	free(a->mod);
}

static void dev_modalias(struct vb_ctx *ctx, const struct pci_dev *d, char *out, size_t size)
{
	char path[PATH_MAX], buf[1024], *p;

	out[0] = '\0';
	if (pci_dev_path(ctx, d, "uevent", path, sizeof(path)) < 0 ||
	    read_file(path, buf, sizeof(buf)) < 0)
		return;
	p = strstr(buf, "MODALIAS=");
	if (p)
		snprintf(out, size, "%.*s", (int)strcspn(p + 9, "\n"), p + 9);
}

/* Does @d need module @mod: is its driver from it, or would udev load it for the device? */
static bool dev_needs(struct vb_ctx *ctx, const struct aliases *a, const struct pci_dev *d,
		      const char *mod)
{
	char path[PATH_MAX], owner[DRIVER_NAME_MAX], alias[256];
	size_t i;

	if (d->driver[0] && strcmp(d->driver, VFIO_DRIVER) && strcmp(d->driver, ".") &&
	    strcmp(d->driver, "..")) {
		if (path_fmt(path, sizeof(path), "%s/bus/pci/drivers/%s/module", ctx->sysfs,
			     d->driver) < 0 || read_link_name(path, owner, sizeof(owner)) < 0)
			snprintf(owner, sizeof(owner), "%s", d->driver);
		if (modname_eq(owner, mod))
			return true;
	}
	dev_modalias(ctx, d, alias, sizeof(alias));
	if (!alias[0])
		return false;
	for (i = 0; i < a->n; i++)
		if (modname_eq(a->mod[i], mod) && fnmatch(a->pat[i], alias, 0) == 0)
			return true;
	return false;
}

static bool to_vm(const struct pci_dev *d)
{
	return d->outcome == OUT_PLANNED || d->outcome == OUT_CLAIMED;
}

/* vfio.bind='s own selectors come before the ones taken over from ids= */
static bool token_names(const struct request *req, const struct takeover *t,
			const struct pci_dev *d)
{
	size_t j;

	for (j = 0; j < t->first && j < req->nsel; j++)
		if (req->sel[j].kind != SEL_EXCLUDE && (!d || sel_matches(&req->sel[j], d)))
			return true;
	return false;
}

/*
 * Going to a VM as the user means it: when vfio.bind= names devices, those it names (ids=
 * taken over beside it is a finding of its own); otherwise what the plan claims.
 */
static bool meant_for_vm(const struct request *req, const struct takeover *t,
			 const struct pci_dev *d)
{
	return to_vm(d) && (!token_names(req, t, NULL) || token_names(req, t, d));
}

static void devs_add(char *buf, size_t size, const struct pci_dev *d)
{
	size_t n = strlen(buf);

	if (n + 40 >= size) {
		if (!strstr(buf, ", ..."))
			snprintf(buf + n, size - n, ", ...");
		return;
	}
	snprintf(buf + n, size - n, "%s%s %04x:%04x", n ? ", " : "", d->name, d->id.vendor,
		 d->id.device);
}

static void check_blacklists(struct vb_ctx *ctx, const struct request *req,
			     const struct takeover *t, const struct pci_list *list, finding_fn fn,
			     void *data)
{
	static struct bl_list bl;
	char what[2 * WHERE_MAX + 2 * DEVS_TEXT], fix[512], host[DEVS_TEXT], vm[DEVS_TEXT];
	char keys[96], where[WHERE_MAX], copy[sizeof(req->blacklist)], emod[96], *m, *next;
	struct aliases a;
	size_t i;
	int b;

	bl.n = 0;
	modconf_walk(ctx, bl_line, &bl);
	snprintf(keys, sizeof(keys), "%s%s%s",
		 req->blacklist_keys & BL_KEY_MODPROBE ? "modprobe.blacklist=" : "",
		 req->blacklist_keys & BL_KEY_RD_DRIVER ? (req->blacklist_keys & BL_KEY_MODPROBE ?
			" or rd.driver.blacklist=" : "rd.driver.blacklist=") : "",
		 req->blacklist_keys & BL_KEY_RDBLACKLIST ? (req->blacklist_keys & ~BL_KEY_RDBLACKLIST ?
			" or rdblacklist=" : "rdblacklist=") : "");
	snprintf(copy, sizeof(copy), "%s", req->blacklist);
	for (m = copy; *copy && m; m = next) {
		next = strchr(m, ',');
		if (next)
			*next++ = '\0';
		str_escape(emod, sizeof(emod), m, 48);
		snprintf(where, sizeof(where), "'%s' in %s on the kernel command line", emod, keys);
		bl_add(&bl, m, where);
	}
	if (!bl.n)
		return;
	aliases_load(ctx, &a);
	for (b = 0; b < bl.n; b++) {
		const char *mod = bl.b[b].mod;

		if (!strncmp(mod, "vfio", 4)) {
			if (strcmp(mod, "vfio_pci") && strcmp(mod, "vfio") &&
			    strcmp(mod, "vfio_pci_core") && strcmp(mod, "vfio_iommu_type1"))
				continue;
			snprintf(what, sizeof(what), "%s blacklists a vfio module: vfio-bind cannot "
				 "claim any device", bl.b[b].where);
			fn(FINDING_FAIL, what, "delete it", data);
			continue;
		}
		host[0] = vm[0] = '\0';
		for (i = 0; i < list->n; i++) {
			const struct pci_dev *d = &list->dev[i];

			if (pci_is_bridge(d) || !dev_needs(ctx, &a, d, mod))
				continue;
			devs_add(meant_for_vm(req, t, d) ? vm : host, DEVS_TEXT, d);
		}
		if (host[0]) {
			snprintf(what, sizeof(what), "%s leaves %s without its driver: %s stays with "
				 "the host and needs %s", bl.b[b].where, host,
				 strchr(host, ',') ? "each" : "it", mod);
			snprintf(fix, sizeof(fix), "delete it: vfio-bind claims its devices before "
				 "%s loads, so no blacklist is needed (with two identical cards, "
				 "a guard ID@ADDR or !ADDR keeps the host's card)", mod);
			fn(FINDING_FAIL, what, fix, data);
		} else if (vm[0]) {
			snprintf(what, sizeof(what), "%s is no longer needed: vfio-bind claims %s "
				 "before %s loads", bl.b[b].where, vm, mod);
			fn(FINDING_WARN, what, "delete it", data);
		}
	}
	aliases_free(&a);
}

/* "1002:73bf 1002:ab28": the vendor and device of each ids= entry, for suggest */
static void ids_words(const char *ids, char *buf, size_t size)
{
	size_t off = 0;
	int colons = 0;

	for (; *ids && off + 2 < size; ids++) {
		if (*ids == ',') {
			colons = 0;
			if (off && buf[off - 1] != ' ')
				buf[off++] = ' ';
			continue;
		}
		if (*ids == ':' && ++colons > 1)
			continue;
		if (colons < 2 && (isxdigit((unsigned char)*ids) || *ids == ':'))
			buf[off++] = *ids;
	}
	buf[off] = '\0';
}

static void check_ids(const struct request *req, const struct takeover *t,
		      const struct pci_list *list, finding_fn fn, void *data)
{
	char what[2 * WHERE_MAX + 2 * DEVS_TEXT + 512], fix[WHERE_MAX + 256];
	char taken[DEVS_TEXT] = "", twins[DEVS_TEXT] = "", extra[DEVS_TEXT] = "", esc[128];
	char words[128];
	size_t i;

	if (t->refused[0]) {
		snprintf(what, sizeof(what), "%s", t->refused);
		fn(FINDING_FAIL, what, "shorten or delete that ids=", data);
		return;
	}
	if (!t->ids[0])
		return;
	str_escape(esc, sizeof(esc), t->ids, 96);
	for (i = 0; i < list->n; i++) {
		const struct pci_dev *d = &list->dev[i];

		if (!ids_match(t->ids, &d->id, d->class))
			continue;
		devs_add(to_vm(d) ? taken : twins, DEVS_TEXT, d);
		if (req->takeover_ids && to_vm(d) && !meant_for_vm(req, t, d))
			devs_add(extra, DEVS_TEXT, d);
	}
	ids_words(t->ids, words, sizeof(words));
	if (strstr(t->from, "command line"))
		snprintf(fix, sizeof(fix), "name the devices in vfio.bind= ('vfio-bind suggest "
			 "%s' writes it) and remove %s=%s from the kernel command line", words,
			 req->pci_ids_key, esc);
	else
		snprintf(fix, sizeof(fix), "name the devices in vfio.bind= ('vfio-bind suggest "
			 "%s' writes it) and delete ids=%s from %s; its other options may stay",
			 words, esc, strstr(t->from, " in ") ? strstr(t->from, " in ") + 4 : t->from);
	if (extra[0]) {
		snprintf(what, sizeof(what), "ids=%s from %s also claims %s, which vfio.bind= does "
			 "not name (vfio-bind takes ids= over as selectors)", esc, t->from, extra);
		fn(FINDING_FAIL, what, fix, data);
		return;
	}
	if (req->takeover_ids && !t->kept) {
		snprintf(what, sizeof(what), "ids=%s from %s: vfio-bind takes it over at boot and "
			 "claims %s itself, before udev, exclusions applied%s%s; vfio-pci is "
			 "loaded with ids= empty", esc, t->from, taken[0] ? taken : "no device",
			 twins[0] ? "; stays with the host: " : "", twins);
		fn(FINDING_WARN, what, fix, data);
		return;
	}
	snprintf(what, sizeof(what), "ids=%s from %s is left to vfio-pci (%s): it takes every "
		 "device with these IDs when it loads%s%s", esc, t->from, t->kept ?
		 "vfio.bind= cannot say the same, see the log" : "vfio_bind.takeover_ids=0",
		 twins[0] ? ", also " : "", twins);
	fn(twins[0] ? FINDING_FAIL : FINDING_WARN, what, fix, data);
}

/* /etc/modules, /etc/initramfs-tools/modules: one module a line, '#' comments */
static void check_modules_file(struct vb_ctx *ctx, const char *file, finding_fn fn,
			       void *data)
{
	char path[PATH_MAX], buf[16384], what[PATH_MAX + 256], emod[96], *line, *next;
	const char *root = strcmp(ctx->root, "/") ? ctx->root : "";
	unsigned n = 0;

	if (path_fmt(path, sizeof(path), "%s%s", root, file) < 0 ||
	    read_file(path, buf, sizeof(buf)) < 0)
		return;
	for (line = buf; line; line = next) {
		char *mod;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		n++;
		line[strcspn(line, "#")] = '\0';
		mod = line + strspn(line, " \t");
		mod[strcspn(mod, " \t")] = '\0';
		if (strncmp(mod, "vfio", 4) || (mod[4] && mod[4] != '_' && mod[4] != '-'))
			continue;
		str_escape(emod, sizeof(emod), mod, 48);
		snprintf(what, sizeof(what), "%s:%u: %s: harmless, but no longer needed (vfio-bind "
			 "loads vfio-pci in the initramfs, before udev)", file, n, emod);
		fn(FINDING_WARN, what, "delete the line", data);
	}
}

static void check_fb_tokens(const struct request *req, finding_fn fn, void *data)
{
	char what[256], fix[128];
	size_t i;

	for (i = 0; i < FB_TOK_COUNT; i++) {
		if (!(req->fb_tokens & 1u << i))
			continue;
		snprintf(what, sizeof(what), "%s on the kernel command line: no longer needed "
			 "(vfio-bind releases the firmware framebuffer from the claimed GPU only), "
			 "and it costs the host its boot console", fb_token_text[i]);
		snprintf(fix, sizeof(fix), "remove %s from the kernel command line", fb_token_text[i]);
		fn(FINDING_WARN, what, fix, data);
	}
}

void leftovers_scan(struct vb_ctx *ctx, const struct request *req, const struct takeover *t,
		    const struct pci_list *list, finding_fn fn, void *data)
{
	check_ids(req, t, list, fn, data);
	check_blacklists(ctx, req, t, list, fn, data);
	check_modules_file(ctx, "/etc/modules", fn, data);
	check_modules_file(ctx, "/etc/initramfs-tools/modules", fn, data);
	check_fb_tokens(req, fn, data);
}
