// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Taking over vfio-pci's ids=. With "options vfio-pci ids=8086:100e" vfio-pci takes every
 * device with that ID the moment it loads: the twin an exclusion keeps for the host too, and
 * without a log line. vfio-bind reads the same ids= and claims those devices itself (with
 * exclusions, guards, and the hand-back on failure), then loads vfio-pci with "ids=" appended
 * after its configured options: the last value wins, every other option is kept.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "log.h"
#include "modconf.h"
#include "modload.h"
#include "sysfs.h"
#include "takeover.h"

#define ANY_ID	0xffffffffU	/* PCI_ANY_ID */

/* the kernel's isspace() and isxdigit() (lib/ctype.c): 0xa0 is a space too */
static bool kspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

unsigned ids_entry_scan(const char *s, uint32_t f[6])
{
	unsigned n;

	for (n = 0; n < 6; n++) {
		uint32_t v = 0;

		if (n && *s++ != ':')
			break;
		while (kspace(*s))
			s++;
		if (hex_digit(*s) < 0)
			break;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			s += 2;
		for (; hex_digit(*s) >= 0; s++)
			v = v * 16 + hex_digit(*s);
		f[n] = v;
	}
	return n;
}

/* the entry's six values with vfio_pci_fill_ids()'s defaults; false: vfio-pci ignores it */
static bool ids_entry(const char *s, uint32_t f[6])
{
	unsigned n = ids_entry_scan(s, f), i;

	for (i = n; i < 6; i++)
		f[i] = i < 4 ? ANY_ID : 0;
	return n >= 2;
}

/* pci_match_one_device() */
static bool entry_match(const uint32_t f[6], const struct pci_id *id, uint32_t class)
{
	return (f[0] == ANY_ID || f[0] == id->vendor) && (f[1] == ANY_ID || f[1] == id->device) &&
	       (f[2] == ANY_ID || f[2] == id->sub_vendor) &&
	       (f[3] == ANY_ID || f[3] == id->sub_device) && !((f[4] ^ class) & f[5]);
}

bool ids_match(const char *ids, const struct pci_id *id, uint32_t class)
{
	char buf[IDS_MAX], *e, *next;
	uint32_t f[6];

	snprintf(buf, sizeof(buf), "%s", ids);
	for (e = buf; e; e = next) {
		next = strchr(e, ',');
		if (next)
			*next++ = '\0';
		if (*e && ids_entry(e, f) && entry_match(f, id, class))
			return true;
	}
	return false;
}

/*
 * What an entry means for the takeover: 0 with the selector, 1 when it can match no device
 * (vfio-pci ignores it, or a value no device has), -EINVAL with *why when vfio.bind= cannot
 * say the same.
 */
static int entry_selector(const char *e, struct selector *sel, const char **why)
{
	uint32_t f[6];
	int i;

	memset(sel, 0, sizeof(*sel));
	sel->kind = SEL_ID;
	if (!ids_entry(e, f)) {
		*why = "is ignored by vfio-pci too (not VENDOR:DEVICE)";
		return 1;
	}
	/* device IDs are 16 bits, the class 24: a wider value matches nothing */
	for (i = 0; i < 4; i++)
		if (f[i] != ANY_ID && f[i] > 0xffff)
			break;
	if (i < 4 || (f[4] & f[5] & 0xff000000)) {
		*why = "matches no device";
		return 1;
	}
	if (f[0] == ANY_ID || f[1] == ANY_ID) {
		*why = "matches any vendor or device";
		return -EINVAL;
	}
	if ((f[2] == ANY_ID) != (f[3] == ANY_ID)) {
		*why = "leaves one subsystem field open";
		return -EINVAL;
	}
	/* the class is 24 bits: mask bits above them ask nothing of a device */
	if (f[5] & 0xffffff) {
		*why = "matches a device class";
		return -EINVAL;
	}
	sel->id.vendor = f[0];
	sel->id.device = f[1];
	if (f[2] != ANY_ID) {
		sel->id.has_subsys = true;
		sel->id.sub_vendor = f[2];
		sel->id.sub_device = f[3];
		snprintf(sel->text, sizeof(sel->text), "%04x:%04x:%04x:%04x", f[0], f[1], f[2],
			 f[3]);
	} else {
		snprintf(sel->text, sizeof(sel->text), "%04x:%04x", f[0], f[1]);
	}
	return 0;
}

/* --- where the options come from ------------------------------------------------------- */

struct segment {
	size_t start, end;		/* in the joined options */
	char where[WHERE_MAX];
};

struct walk {
	char *joined;			/* modprobe.d's vfio_pci options, joined as libkmod joins */
	size_t len;
	struct segment *seg;
	size_t nseg;
	char bl_where[WHERE_MAX];	/* the first 'blacklist vfio_pci' line */
	bool failed;
};

static int conf_line(const char *file, unsigned line, const char *cmd, const char *mod,
		     char *rest, void *data)
{
	struct walk *w = data;
	char esc[PATH_MAX];
	size_t n = strlen(rest);
	struct segment *sg;
	char *j;

	if (!modname_eq(mod, "vfio_pci"))
		return 0;
	/* a file name goes into the kernel log: no control bytes */
	str_escape(esc, sizeof(esc), file, 256);
	if (!strcmp(cmd, "blacklist") && !w->bl_where[0]) {
		snprintf(w->bl_where, sizeof(w->bl_where), "%s:%u", esc, line);
		return 0;
	}
	/* kmod_module_get_options(): the lines' options joined by a space, empty ones left out */
	if (strcmp(cmd, "options") || !n)
		return 0;
	j = realloc(w->joined, w->len + n + 2);
	sg = realloc(w->seg, (w->nseg + 1) * sizeof(*sg));
	if (j)
		w->joined = j;
	if (sg)
		w->seg = sg;
	if (!j || !sg) {
		w->failed = true;
		return -ENOMEM;
	}
	if (w->len)
		w->joined[w->len++] = ' ';
	sg = &w->seg[w->nseg++];
	sg->start = w->len;
	memcpy(w->joined + w->len, rest, n + 1);
	w->len += n;
	sg->end = w->len;
	snprintf(sg->where, sizeof(sg->where), "'options vfio-pci ids=' in %s:%u", esc, line);
	return 0;
}

static void set_ids(struct takeover *t, const char *ids, const char *from)
{
	if (t->from[0])
		snprintf(t->overridden, sizeof(t->overridden), "%s", t->from);
	snprintf(t->ids, sizeof(t->ids), "%s", ids);
	snprintf(t->from, sizeof(t->from), "%s", from);
}

/* one ids= of the options vfio-pci is loaded with (@val NULL: "ids" alone) */
static void ids_param(struct takeover *t, const char *val, size_t len, const char *from)
{
	if (val && len < IDS_MAX)
		set_ids(t, val, from);
	else if (!t->refused[0])
		snprintf(t->refused, sizeof(t->refused), "ids= from %s %s: the kernel refuses to "
			 "load vfio-pci (%s)", from, val ? "is longer than 1023 characters" :
			 "has no value", val ? "ENOSPC" : "EINVAL");
}

int takeover_read(const struct vb_ctx *ctx, const struct request *req, struct takeover *t)
{
	bool ours = !strcmp(ctx->cmdline, "/proc/cmdline"), prefix;
	char *opts = modconf_options(ctx, "vfio_pci"), *args, *param, *val, cmd[WHERE_MAX];
	struct walk w = { 0 };
	size_t i, flen;

	memset(t, 0, sizeof(*t));
	/*
	 * The walk only names the lines libkmod's answers come from: an ids= to take over (any
	 * option with "ids" in it may be one), a blacklist of vfio_pci. Without either (most
	 * boots) modprobe.d is not read a second time.
	 */
	if (!opts || strstr(opts, "ids") || modload_blacklisted(ctx, "vfio_pci") != 0)
		modconf_walk(ctx, conf_line, &w);
	flen = w.len;
	/* the load applies libkmod's blacklist; the walk names the line */
	snprintf(t->blacklist, sizeof(t->blacklist), "%s", w.bl_where);
	/* libkmod fails only when out of memory */
	if (!opts)
		goto out;
	/*
	 * libkmod puts what it reads from /proc/cmdline after the files' options, with a blank
	 * between them; with no options in the files, all of it is the command line's
	 */
	prefix = !strncmp(opts, w.joined ? w.joined : "", flen) &&
		 (!flen || !opts[flen] || opts[flen] == ' ');
	/* not so (the readings differ, which fuzz-modconf looks for): libkmod's count, unnamed */
	if (prefix && !ours)
		opts[flen] = '\0';	/* this machine's /proc/cmdline is not the root's */
	snprintf(cmd, sizeof(cmd), "%s= on the command line",
		 req->pci_ids_key[0] ? req->pci_ids_key : "vfio_pci.ids");
	/* parse_args(): blanks first, then parameter by parameter up to "--" */
	for (args = opts; kspace(*args); args++)
		;
	while (*args) {
		size_t at = args - opts;
		const char *from = cmd;

		args = next_arg(args, &param, &val, NULL);
		if (!val && !strcmp(param, "--"))
			break;
		if (!parameq(param, "ids"))
			continue;
		if (!prefix)
			from = "modprobe.d (libkmod's reading, not vfio-bind's)";
		for (i = 0; prefix && i < w.nseg; i++)
			if (at >= w.seg[i].start && at < w.seg[i].end)
				from = w.seg[i].where;
		ids_param(t, val, val ? strlen(val) : 0, from);
	}
	/* a test tree's command line, which libkmod does not read */
	if (!ours && req->pci_ids[0])
		ids_param(t, req->pci_ids, req->pci_ids_long ? IDS_MAX : strlen(req->pci_ids), cmd);
out:
	free(opts);
	free(w.joined);
	free(w.seg);
	return 0;
}

static bool already_selected(const struct request *req, const struct selector *sel)
{
	size_t i;

	for (i = 0; i < req->nsel; i++)
		if (selector_same(sel, &req->sel[i]))
			return true;
	return false;
}

static void not_taken(const struct takeover *t, const char *entry, const char *why)
{
	char esc[IDS_MAX + 64], eesc[96];

	str_escape(esc, sizeof(esc), t->ids, 96);
	str_escape(eesc, sizeof(eesc), entry, 48);
	log_err("ids=%s from %s is not taken over: '%s' %s; vfio-pci keeps it (vfio.bind= "
		"exclusions do not apply)", esc, t->from, eesc, why);
}

/* every entry understood exactly? Logs the first that is not. */
static bool ids_understood(const struct takeover *t)
{
	char buf[IDS_MAX], *e, *next;
	struct selector sel;
	const char *why;

	snprintf(buf, sizeof(buf), "%s", t->ids);
	for (e = buf; e; e = next) {
		next = strchr(e, ',');
		if (next)
			*next++ = '\0';
		if (!*e || entry_selector(e, &sel, &why) >= 0)
			continue;
		not_taken(t, e, why);
		return false;
	}
	return true;
}

int takeover_apply(struct vb_ctx *ctx, struct request *req, struct takeover *t)
{
	char buf[IDS_MAX], esc[IDS_MAX + 64], *e, *next;
	struct selector sel;
	const char *why;
	int err;

	t->taken = 0;
	t->first = req->nsel;
	if (t->refused[0]) {
		log_err("%s; nothing is taken over", t->refused);
		req->nerrors++;
		return 0;
	}
	if (!t->ids[0])
		return 0;
	str_escape(esc, sizeof(esc), t->ids, 96);
	if (!req->takeover_ids) {
		log_info("ids=%s from %s left to vfio-pci (vfio_bind.takeover_ids=0): it takes "
			 "every device with these IDs, vfio.bind= exclusions do not apply", esc,
			 t->from);
		return 0;
	}
	if (t->overridden[0])
		log_info("ids= from %s does not count: %s overrides it (the last ids= wins)",
			 t->overridden, t->from);
	if (!ids_understood(t)) {
		t->kept = true;
		req->nerrors++;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", t->ids);
	for (e = buf; e; e = next) {
		next = strchr(e, ',');
		if (next)
			*next++ = '\0';
		if (!*e)
			continue;
		if (entry_selector(e, &sel, &why) > 0) {
			str_escape(esc, sizeof(esc), e, 48);
			log_info("ids= entry '%s' from %s %s", esc, t->from, why);
			continue;
		}
		if (already_selected(req, &sel)) {
			log_info("%s from %s is in vfio.bind= already", sel.text, t->from);
			continue;
		}
		/* no room for one of them: vfio-pci must keep them all */
		req->origin = t->from;
		err = request_add(req, &sel);
		req->origin = NULL;
		if (err < 0) {
			req->nsel = t->first;
			t->taken = 0;
			t->kept = true;
			not_taken(t, sel.text, "finds no room among the selectors");
			return 0;
		}
		t->taken++;
	}
	for (size_t i = t->first; i < req->nsel; i++)
		log_notice("%s taken over from %s: vfio-bind claims it (exclusions and guards "
			   "apply); vfio-pci loads with ids= empty", req->sel[i].text, t->from);
	/* even when no entry could be taken over: vfio-pci must not take them unseen */
	ctx->load_opts = "ids=";
	return t->taken;
}

/* vfio-pci built in: /sys/module/vfio_pci has no initstate */
static bool vfio_pci_builtin(struct vb_ctx *ctx)
{
	char path[PATH_MAX];

	if (path_fmt(path, sizeof(path), "%s/module/vfio_pci", ctx->sysfs) < 0 ||
	    !path_exists(path))
		return false;
	return path_fmt(path, sizeof(path), "%s/module/vfio_pci/initstate", ctx->sysfs) >= 0 &&
	       !path_exists(path);
}

struct held {
	struct vb_ctx *ctx;
	const struct request *req;
	const struct pci_list *list;
	const struct takeover *t;
	bool builtin;
};

static bool claimed_by_us(const struct pci_list *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (!strcmp(list->dev[i].name, name))
			return list->dev[i].outcome == OUT_CLAIMED ||
			       list->dev[i].outcome == OUT_PLANNED;
	return false;
}

static int held_one(int dirfd, const char *name, void *data)
{
	struct held *h = data;
	const struct request *req = h->req;
	const struct selector *excl = NULL;
	char src[WHERE_MAX + 160], esc[IDS_MAX + 64], why[96];
	struct pci_addr a;
	struct pci_dev d;
	size_t i;

	/* entries of a driver directory: bind, unbind, module, ... and the devices */
	if (addr_parse(name, &a, false) < 0 || claimed_by_us(h->list, name))
		return 0;
	if (pci_read_dev(h->ctx, name, &d) < 0)
		return 0;
	for (i = 0; i < req->nsel && !excl; i++)
		if (req->sel[i].kind == SEL_EXCLUDE && addr_match(&req->sel[i].addr, &d.addr))
			excl = &req->sel[i];
	if (excl)
		snprintf(why, sizeof(why), "vfio.bind= excludes it ('%s')", excl->text);
	else
		snprintf(why, sizeof(why), "vfio-bind did not ask for it");
	if (req->pci_ids[0] && !req->pci_ids_long && ids_match(req->pci_ids, &d.id, d.class)) {
		str_escape(esc, sizeof(esc), req->pci_ids, 64);
		snprintf(src, sizeof(src), "%s took it through '%s=%s' on the command line; "
			 "remove that token (vfio.bind= names the devices)",
			 h->builtin ? "vfio-pci is built into the kernel and" : "vfio-pci",
			 req->pci_ids_key, esc);
	} else if (h->t->ids[0] && ids_match(h->t->ids, &d.id, d.class)) {
		str_escape(esc, sizeof(esc), h->t->ids, 64);
		snprintf(src, sizeof(src), "vfio-pci took it through ids=%s from %s%s", esc,
			 h->t->from, h->req->takeover_ids ? " (it was loaded before vfio-bind ran)" :
			 " (vfio_bind.takeover_ids=0)");
	} else {
		snprintf(src, sizeof(src), "something else put it there (driver_override, new_id%s)",
			 h->builtin ? ", or vfio-pci.ids= of the kernel vfio-pci is built into" : "");
	}
	log_warn("%s %04x:%04x is on vfio-pci although %s: %s", d.name, d.id.vendor,
		 d.id.device, why, src);
	return 0;
}

void takeover_report_held(struct vb_ctx *ctx, const struct request *req,
			  const struct pci_list *list, const struct takeover *t)
{
	struct held h = { ctx, req, list, t, vfio_pci_builtin(ctx) };
	char path[PATH_MAX];

	if (path_fmt(path, sizeof(path), "%s/bus/pci/drivers/" VFIO_DRIVER, ctx->sysfs) < 0)
		return;
	dir_for_each(path, held_one, &h);
}
