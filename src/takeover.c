// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Taking over vfio-pci's ids=. With "options vfio-pci ids=8086:100e" vfio-pci takes every
 * device with that ID the moment it loads: the twin an exclusion keeps for the host too, and
 * without a log line. vfio-bind reads the same ids= and claims those devices itself (with
 * exclusions, guards, and the hand-back on failure), then loads vfio-pci with "ids=" appended
 * after its configured options: the last value wins, every other option is kept.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "log.h"
#include "modconf.h"
#include "sysfs.h"
#include "takeover.h"

#define ANY_ID	0xffffffffUL

/*
 * The value of the last ids= in a module's option string, its quotes dropped as the kernel's
 * parser drops them. @opts is modified.
 */
static bool options_ids(char *opts, char *out, size_t size)
{
	bool found = false;
	char *s = opts;

	while (*s) {
		char *tok, *val, *end;
		bool quote = false;

		s += strspn(s, " \t");
		if (!*s)
			break;
		tok = s;
		for (; *s && (quote || (*s != ' ' && *s != '\t')); s++)
			if (*s == '"')
				quote = !quote;
		end = s;
		if (*s)
			s++;
		*end = '\0';
		if (*tok == '"') {
			tok++;
			if (end > tok && end[-1] == '"')
				*--end = '\0';
		}
		val = strchr(tok, '=');
		if (!val)
			continue;
		*val++ = '\0';
		if (strcmp(tok, "ids"))
			continue;
		if (*val == '"') {
			val++;
			if (end > val && end[-1] == '"')
				end[-1] = '\0';
		}
		snprintf(out, size, "%s", val);
		found = true;
	}
	return found;
}

int ids_entry_parse(const char *s, struct pci_id *id, const char **why)
{
	unsigned long f[6] = { 0, 0, ANY_ID, ANY_ID, 0, 0 };
	int n = 0;

	memset(id, 0, sizeof(*id));
	*why = "not VVVV:DDDD[:SVVV:SDDD]";
	for (;;) {
		size_t len = strcspn(s, ":");

		if (n == 6 || hex_parse(s, len, &f[n]) < 0)
			return -EINVAL;
		n++;
		if (!s[len])
			break;
		s += len + 1;
	}
	if (n < 2)
		return -EINVAL;
	if (f[0] > 0xffff || f[1] > 0xffff) {
		*why = "it matches any vendor or device";
		return -EINVAL;
	}
	if ((f[2] == ANY_ID) != (f[3] == ANY_ID) || (f[2] != ANY_ID && (f[2] > 0xffff ||
						      f[3] > 0xffff))) {
		*why = "one subsystem field is left open";
		return -EINVAL;
	}
	if (f[5]) {
		*why = "it matches a device class, which vfio.bind= cannot express";
		return -EINVAL;
	}
	id->vendor = f[0];
	id->device = f[1];
	if (f[2] != ANY_ID) {
		id->has_subsys = true;
		id->sub_vendor = f[2];
		id->sub_device = f[3];
	}
	return 0;
}

bool ids_match(const char *ids, const struct pci_id *id)
{
	char buf[IDS_MAX], *e, *next;
	struct pci_id want;
	const char *why;

	snprintf(buf, sizeof(buf), "%s", ids);
	for (e = buf; e; e = next) {
		next = strchr(e, ',');
		if (next)
			*next++ = '\0';
		if (ids_entry_parse(e, &want, &why) == 0 && id_match(&want, id))
			return true;
	}
	return false;
}

struct walk {
	struct takeover *t;
	char opts[IDS_MAX * 2];
};

static void set_ids(struct takeover *t, const char *ids, const char *from)
{
	if (t->ids[0])
		snprintf(t->overridden, sizeof(t->overridden), "%s", t->from);
	snprintf(t->ids, sizeof(t->ids), "%s", ids);
	snprintf(t->from, sizeof(t->from), "%s", from);
}

static int conf_line(const char *file, unsigned line, const char *cmd, const char *mod,
		     char *rest, void *data)
{
	struct walk *w = data;
	char ids[IDS_MAX], from[WHERE_MAX], esc[PATH_MAX];

	if (!mod || !modname_eq(mod, "vfio_pci"))
		return 0;
	/* a file name goes into the kernel log: no control bytes */
	str_escape(esc, sizeof(esc), file, 256);
	if (!strcmp(cmd, "blacklist") && !w->t->blacklist[0]) {
		snprintf(w->t->blacklist, sizeof(w->t->blacklist), "%s:%u", esc, line);
		return 0;
	}
	if (strcmp(cmd, "options"))
		return 0;
	snprintf(w->opts, sizeof(w->opts), "%s", rest);
	if (!options_ids(w->opts, ids, sizeof(ids)))
		return 0;
	snprintf(from, sizeof(from), "'options vfio-pci ids=' in %s:%u", esc, line);
	set_ids(w->t, ids, from);
	return 0;
}

int takeover_read(const struct vb_ctx *ctx, const struct request *req, struct takeover *t)
{
	static struct walk w;
	char from[WHERE_MAX];

	memset(t, 0, sizeof(*t));
	w.t = t;
	modconf_walk(ctx, conf_line, &w);
	/* libkmod appends the command line's options after the files' */
	if (req->pci_ids[0]) {
		snprintf(from, sizeof(from), "%s= on the command line", req->pci_ids_key);
		set_ids(t, req->pci_ids, from);
	}
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

int takeover_apply(struct vb_ctx *ctx, struct request *req, struct takeover *t)
{
	char buf[IDS_MAX], esc[IDS_MAX + 64], *e, *next;
	struct selector sel;
	const char *why;

	t->taken = 0;
	t->first = req->nsel;
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
	snprintf(buf, sizeof(buf), "%s", t->ids);
	for (e = buf; e; e = next) {
		next = strchr(e, ',');
		if (next)
			*next++ = '\0';
		e += strspn(e, " \t");
		if (!*e)
			continue;
		memset(&sel, 0, sizeof(sel));
		sel.kind = SEL_ID;
		str_escape(esc, sizeof(esc), e, 48);
		if (ids_entry_parse(e, &sel.id, &why) < 0) {
			log_err("ids= entry '%s' from %s not taken over: %s; no device is claimed "
				"for it", esc, t->from, why);
			req->nerrors++;
			continue;
		}
		if (sel.id.has_subsys)
			snprintf(sel.text, sizeof(sel.text), "%04x:%04x:%04x:%04x", sel.id.vendor,
				 sel.id.device, sel.id.sub_vendor, sel.id.sub_device);
		else
			snprintf(sel.text, sizeof(sel.text), "%04x:%04x", sel.id.vendor,
				 sel.id.device);
		if (already_selected(req, &sel)) {
			log_info("%s from %s is in vfio.bind= already", sel.text, t->from);
			continue;
		}
		if (request_add(req, &sel) < 0)
			break;
		t->taken++;
		log_notice("%s taken over from %s: vfio-bind claims it (exclusions and guards "
			   "apply); vfio-pci loads with ids= empty", sel.text, t->from);
	}
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
	if (req->pci_ids[0] && ids_match(req->pci_ids, &d.id)) {
		str_escape(esc, sizeof(esc), req->pci_ids, 64);
		snprintf(src, sizeof(src), "%s took it through '%s=%s' on the command line; "
			 "remove that token (vfio.bind= names the devices)",
			 h->builtin ? "vfio-pci is built into the kernel and" : "vfio-pci",
			 req->pci_ids_key, esc);
	} else if (h->t->ids[0] && ids_match(h->t->ids, &d.id)) {
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
