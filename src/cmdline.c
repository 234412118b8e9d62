// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel command line: tokenized exactly as the kernel's lib/cmdline.c next_arg() does
 * (quotes, first '=' splits, '-' and '_' alike in keys, "--" ends the kernel's part), then
 * vfio.bind= selectors and the vfio_bind.* settings. A bad token is reported by name and
 * skipped; everything valid still counts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "ctx.h"
#include "log.h"
#include "sysfs.h"


void request_init(struct request *req)
{
	memset(req, 0, sizeof(*req));
	req->on_fail = ON_FAIL_RELEASE;
	req->takeover_ids = true;
	req->sriov = true;
}

void request_free(struct request *req)
{
	free(req->sel);
	req->sel = NULL;
	req->nsel = req->cap = 0;
}

/* the kernel's isspace(): also 0xa0 (Latin-1 no-break space) */
const char *const fb_token_text[FB_TOK_COUNT] = {
	"initcall_blacklist=sysfb_init", "video=efifb:off", "video=vesafb:off", "nofb",
};

static bool kspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static char *skip_spaces(char *s)
{
	while (kspace(*s))
		s++;
	return s;
}

/* @end (may be NULL) gets the end of the token as written, before any byte of it is changed */
char *next_arg(char *args, char **param, char **val, char **end)
{
	unsigned i, equals = 0;
	int in_quote = 0, quoted = 0;

	if (*args == '"') {
		args++;
		in_quote = 1;
		quoted = 1;
	}
	for (i = 0; args[i]; i++) {
		if (kspace(args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	if (end)
		*end = args + i;
	*param = args;
	if (!equals) {
		*val = NULL;
	} else {
		args[equals] = '\0';
		*val = args + equals + 1;
		/* the kernel drops quotes around the value */
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i]) {
		args[i] = '\0';
		args += i + 1;
	} else {
		args += i;
	}
	return skip_spaces(args);
}

static char dash2underscore(char c)
{
	return c == '-' ? '_' : c;
}

bool parameq(const char *a, const char *b)
{
	for (; *a || *b; a++, b++)
		if (dash2underscore(*a) != dash2underscore(*b))
			return false;
	return true;
}

/* @param starts with @prefix ('-' and '_' alike); returns the rest or NULL */
static const char *param_prefix(const char *param, const char *prefix)
{
	for (; *prefix; param++, prefix++)
		if (dash2underscore(*param) != dash2underscore(*prefix))
			return NULL;
	return param;
}

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_parse(const char *s, size_t len, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 8)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* split @s at ':' into at most @max fields; returns the count or -EINVAL for too many */
static int split_colon(const char *s, const char **f, size_t *len, int max)
{
	int n = 0;

	for (;;) {
		const char *c = strchr(s, ':');
		size_t l = c ? (size_t)(c - s) : strlen(s);

		if (n == max)
			return -EINVAL;
		f[n] = s;
		len[n++] = l;
		if (!c)
			return n;
		s = c + 1;
	}
}

int addr_parse(const char *s, struct pci_addr *a, bool allow_slot)
{
	const char *f[3], *dot;
	size_t len[3], slen;
	unsigned long v;
	int n, i = 0;

	memset(a, 0, sizeof(*a));
	n = split_colon(s, f, len, 3);
	if (n < 2)
		return -EINVAL;
	if (n == 3) {
		if (len[0] < 4 || len[0] > 8 || hex_parse(f[0], len[0], &v) < 0)
			return -EINVAL;
		a->domain = v;
		i = 1;
	}
	if (len[i] != 2 || hex_parse(f[i], 2, &v) < 0)
		return -EINVAL;
	a->bus = v;
	i++;
	dot = memchr(f[i], '.', len[i]);
	slen = dot ? (size_t)(dot - f[i]) : len[i];
	if (slen != 2 || hex_parse(f[i], 2, &v) < 0)
		return -EINVAL;
	if (v > 0x1f)
		return -ERANGE;
	a->slot = v;
	if (!dot) {
		if (!allow_slot)
			return -EDOM;
		a->any_func = true;
		return 0;
	}
	if (len[i] - slen != 2)
		return -EINVAL;
	if (dot[1] == '*') {
		if (!allow_slot)
			return -EDOM;
		a->any_func = true;
		return 0;
	}
	if (dot[1] < '0' || dot[1] > '7')
		return dot[1] >= '8' && dot[1] <= '9' ? -ERANGE : -EINVAL;
	a->func = dot[1] - '0';
	return 0;
}

static int id_parse(const char *s, size_t slen, struct pci_id *id)
{
	const char *f[4];
	size_t len[4];
	unsigned long v[4];
	char buf[SEL_TEXT_MAX + 1];
	int n, i;

	if (slen > SEL_TEXT_MAX)
		return -EINVAL;
	memcpy(buf, s, slen);
	buf[slen] = '\0';
	n = split_colon(buf, f, len, 4);
	if (n != 2 && n != 4)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (len[i] != 4 || hex_parse(f[i], 4, &v[i]) < 0)
			return -EINVAL;
	memset(id, 0, sizeof(*id));
	id->vendor = v[0];
	id->device = v[1];
	if (n == 4) {
		id->has_subsys = true;
		id->sub_vendor = v[2];
		id->sub_device = v[3];
	}
	return 0;
}

static const char *addr_why(int err, bool allow_slot)
{
	switch (err) {
	case -ERANGE:
		return "slot or function out of range (slot 00-1f, function 0-7)";
	case -EDOM:
		return "a guard names one function (VVVV:DDDD@BB:SS.F)";
	default:
		return allow_slot ? "not a PCI address ([DDDD:]BB:SS.F, BB:SS.* or BB:SS)" :
				    "not a PCI address ([DDDD:]BB:SS.F)";
	}
}

int selector_parse(const char *text, struct selector *sel, const char **why)
{
	const char *at;
	int err;

	memset(sel, 0, sizeof(*sel));
	if (strlen(text) > SEL_TEXT_MAX) {
		*why = "too long";
		return -E2BIG;
	}
	strcpy(sel->text, text);

	if (text[0] == '!') {
		sel->kind = SEL_EXCLUDE;
		err = addr_parse(text + 1, &sel->addr, true);
		if (err < 0)
			*why = addr_why(err, true);
		return err;
	}
	at = strchr(text, '@');
	if (at) {
		sel->kind = SEL_GUARD;
		if (id_parse(text, at - text, &sel->id) < 0) {
			*why = "a guard starts with a PCI ID (VVVV:DDDD@BB:SS.F)";
			return -EINVAL;
		}
		err = addr_parse(at + 1, &sel->addr, false);
		if (err < 0)
			*why = addr_why(err, false);
		return err;
	}
	/* a '.' or a two-digit first field makes it an address; four hex digits, an ID */
	if (!strchr(text, '.') && id_parse(text, strlen(text), &sel->id) == 0) {
		sel->kind = SEL_ID;
		return 0;
	}
	sel->kind = SEL_ADDR;
	err = addr_parse(text, &sel->addr, true);
	if (err == -EINVAL)
		*why = "not a PCI ID (VVVV:DDDD[:SVVV:SDDD]) or address ([DDDD:]BB:SS.F)";
	else if (err < 0)
		*why = addr_why(err, true);
	return err;
}

void addr_format(const struct pci_addr *a, char *buf, size_t size)
{
	if (a->any_func)
		snprintf(buf, size, "%04x:%02x:%02x.*", a->domain, a->bus, a->slot);
	else
		snprintf(buf, size, "%04x:%02x:%02x.%u", a->domain, a->bus, a->slot, a->func);
}

void addr_short(const struct pci_addr *a, char *buf, size_t size)
{
	if (a->domain)
		snprintf(buf, size, "%04x:%02x:%02x.%u", a->domain, a->bus, a->slot, a->func);
	else
		snprintf(buf, size, "%02x:%02x.%u", a->bus, a->slot, a->func);
}

int addr_canon(const char *s, char *name, size_t size)
{
	struct pci_addr a;

	/* the name becomes part of paths: only a function address, in canonical form */
	if (addr_parse(s, &a, false) < 0)
		return -EINVAL;
	addr_format(&a, name, size);
	return 0;
}

static void id_format(const struct pci_id *id, char *buf, size_t size)
{
	if (id->has_subsys)
		snprintf(buf, size, "%04x:%04x:%04x:%04x", id->vendor, id->device,
			 id->sub_vendor, id->sub_device);
	else
		snprintf(buf, size, "%04x:%04x", id->vendor, id->device);
}

void selector_format(const struct selector *s, char *buf, size_t size)
{
	char a[32], i[32];

	addr_format(&s->addr, a, sizeof(a));
	id_format(&s->id, i, sizeof(i));
	switch (s->kind) {
	case SEL_ID:
		snprintf(buf, size, "id %s", i);
		break;
	case SEL_ADDR:
		snprintf(buf, size, "addr %s", a);
		break;
	case SEL_GUARD:
		snprintf(buf, size, "guard %s@%s", i, a);
		break;
	case SEL_EXCLUDE:
		snprintf(buf, size, "exclude %s", a);
		break;
	}
}

static bool addr_equal(const struct pci_addr *a, const struct pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus && a->slot == b->slot &&
	       a->any_func == b->any_func && (a->any_func || a->func == b->func);
}

static bool id_equal(const struct pci_id *a, const struct pci_id *b)
{
	return a->vendor == b->vendor && a->device == b->device &&
	       a->has_subsys == b->has_subsys &&
	       (!a->has_subsys || (a->sub_vendor == b->sub_vendor &&
				   a->sub_device == b->sub_device));
}

/* the parsed fields selector_format() shows: equal exactly when the canonical forms are */
bool selector_same(const struct selector *a, const struct selector *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind != SEL_ADDR && a->kind != SEL_EXCLUDE && !id_equal(&a->id, &b->id))
		return false;
	return a->kind == SEL_ID || addr_equal(&a->addr, &b->addr);
}

/* " (/etc/vfio-bind.conf:3)" when the token comes from a file, "" from the kernel */
static const char *origin(const struct request *req)
{
	static char buf[PATH_MAX + 32];

	if (!req->origin)
		return "";
	snprintf(buf, sizeof(buf), " (%s)", req->origin);
	return buf;
}

const char *sel_kind_name(enum sel_kind k)
{
	static const char *const names[] = {
		[SEL_ID] = "id", [SEL_ADDR] = "address", [SEL_GUARD] = "guarded",
		[SEL_EXCLUDE] = "exclude",
	};
	return names[k];
}

void origin_copy(char *buf, size_t size, const char *origin)
{
	size_t n = origin ? strlen(origin) : 0;

	if (n < size)
		snprintf(buf, size, "%s", origin ? origin : "");
	else
		snprintf(buf, size, "...%s", origin + n - (size - 4));
}

/* one more bad selector: counted, and the first BAD_KEPT kept for status and the record */
static void keep_bad(struct request *req, const char *esc, const char *why)
{
	struct bad_sel *b;

	req->nerrors++;
	if (req->nbadsel++ >= BAD_KEPT)
		return;
	b = &req->bad[req->nbadsel - 1];
	snprintf(b->text, sizeof(b->text), "%s", esc);
	origin_copy(b->origin, sizeof(b->origin), req->origin);
	b->why = why;
}

static void report_bad(struct request *req, const char *key, const char *tok, const char *why)
{
	char esc[96];

	str_escape(esc, sizeof(esc), tok, 48);
	log_err("bad selector '%s' in %s=%s: %s; ignored", esc, key, origin(req), why);
	keep_bad(req, esc, why);
}

int request_add(struct request *req, const struct selector *sel)
{
	size_t i;

	for (i = 0; i < req->nsel; i++) {
		const struct selector *o = &req->sel[i];

		if (selector_same(sel, o)) {
			log_warn("duplicate selector '%s' (same as '%s') ignored", sel->text, o->text);
			return 0;
		}
		if ((sel->kind == SEL_EXCLUDE) != (o->kind == SEL_EXCLUDE) &&
		    o->kind != SEL_ID && sel->kind != SEL_ID && addr_equal(&sel->addr, &o->addr))
			log_warn("selectors '%s' and '%s' conflict: the exclusion wins",
				 o->text, sel->text);
		if (sel->kind == SEL_GUARD && o->kind == SEL_GUARD &&
		    addr_equal(&sel->addr, &o->addr))
			log_warn("guards '%s' and '%s' name the same address with different IDs",
				 o->text, sel->text);
	}
	if (req->nsel == MAX_SELECTORS) {
		log_err("too many selectors (more than %d); '%s' and later ones ignored",
			MAX_SELECTORS, sel->text);
		keep_bad(req, sel->text, "too many selectors");
		return -E2BIG;
	}
	if (req->nsel == req->cap) {
		size_t cap = req->cap ? req->cap * 2 : 8;
		struct selector *n = realloc(req->sel, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		req->sel = n;
		req->cap = cap;
	}
	req->sel[req->nsel] = *sel;
	origin_copy(req->sel[req->nsel++].origin, sizeof(sel->origin), req->origin);
	return 0;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* tell req->piece_fn (when set) about one selector of a vfio.bind= value */
static void piece_seen(struct request *req, struct bind_piece *p, const char *raw,
		       const char *raw_end, const char *text, const struct selector *sel,
		       bool over_limit)
{
	if (!req->piece_fn)
		return;
	p->raw = raw;
	p->raw_end = raw_end;
	p->text = text;
	p->sel = sel;
	p->over_limit = over_limit;
	p->origin = req->origin;
	p->config = req->in_config;
	req->piece_fn(req->piece_data, p);
}

static void parse_bind(struct request *req, const char *key, char *val, char *tok_start,
		       char *tok_end)
{
	char *tok, *end, *next;
	const char *raw_end;
	struct bind_piece p = { .tok = tok_start, .tok_end = tok_end, .val = val };
	struct selector sel;
	const char *why;
	int err;

	req->ntokens++;
	if (!val) {
		log_err("%s needs a value (%s=SEL[,SEL...])%s; ignored", key, key, origin(req));
		keep_bad(req, key, "needs a value");
		return;
	}
	if (!*val) {
		log_warn("%s= is empty%s; nothing to claim from it", key, origin(req));
		return;
	}
	p.val_end = val + strlen(val);
	for (tok = val; tok; tok = next) {
		char *raw = tok;

		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		raw_end = next ? next - 1 : p.val_end;
		/* quoted values may carry spaces around the commas */
		while (*tok == ' ' || *tok == '\t')
			tok++;
		end = tok + strlen(tok);
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*tok) {
			report_bad(req, key, "", "empty selector");
			piece_seen(req, &p, raw, raw_end, tok, NULL, false);
			continue;
		}
		if (has_control(tok)) {
			report_bad(req, key, tok, "contains control characters");
			piece_seen(req, &p, raw, raw_end, tok, NULL, false);
			continue;
		}
		if (selector_parse(tok, &sel, &why) < 0) {
			report_bad(req, key, tok, why);
			piece_seen(req, &p, raw, raw_end, tok, NULL, false);
			continue;
		}
		err = request_add(req, &sel);
		piece_seen(req, &p, raw, raw_end, tok, &sel, err == -E2BIG);
		if (err == -ENOMEM)
			return;
	}
}

static int parse_bool(const char *val, bool *out)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	size_t i;

	if (!val) {
		*out = true;
		return 0;
	}
	for (i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
		if (!strcasecmp(val, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(val, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

static void parse_setting(struct request *req, const char *param, const char *name,
			  const char *val)
{
	char esc[96];
	bool *flag = NULL;

	if (parameq(name, "dry_run"))
		flag = &req->dry_run;
	else if (parameq(name, "keep_fb"))
		flag = &req->keep_fb;
	else if (parameq(name, "debug"))
		flag = &req->debug;
	else if (parameq(name, "ignore_config") && !req->in_config)
		flag = &req->ignore_config;
	else if (parameq(name, "takeover_ids"))
		flag = &req->takeover_ids;
	else if (parameq(name, "sriov"))
		flag = &req->sriov;

	if (flag) {
		if (parse_bool(val, flag) == 0)
			return;
		str_escape(esc, sizeof(esc), val, 32);
		log_err("bad value '%s' for %s%s (use 1 or 0); ignored", esc, param, origin(req));
		req->nerrors++;
		return;
	}
	if (parameq(name, "on_fail")) {
		if (val && !strcmp(val, "release")) {
			req->on_fail = ON_FAIL_RELEASE;
			return;
		}
		if (val && !strcmp(val, "keep")) {
			req->on_fail = ON_FAIL_KEEP;
			return;
		}
		str_escape(esc, sizeof(esc), val ? val : "", 32);
		log_err("bad value '%s' for %s%s (use release or keep); ignored", esc, param,
			origin(req));
		req->nerrors++;
		return;
	}
	str_escape(esc, sizeof(esc), param, 48);
	if (req->in_config && parameq(name, "ignore_config"))
		log_err("'%s'%s works only on the kernel command line; ignored", esc, origin(req));
	else
		log_err("unknown setting '%s'%s (known: vfio_bind.dry_run, vfio_bind.on_fail, "
			"vfio_bind.keep_fb, vfio_bind.debug, vfio_bind.takeover_ids, "
			"vfio_bind.ignore_config, vfio_bind.sriov); ignored", esc, origin(req));
	req->nerrors++;
}

static bool list_has(const char *list, const char *item)
{
	size_t n = strlen(item);

	while (list && *list) {
		const char *c = strchr(list, ',');
		size_t l = c ? (size_t)(c - list) : strlen(list);

		if (l == n && !strncmp(list, item, n))
			return true;
		list = c ? c + 1 : NULL;
	}
	return false;
}

static unsigned blacklist_key(const char *param)
{
	if (parameq(param, "modprobe.blacklist"))
		return BL_KEY_MODPROBE;
	if (!strcmp(param, "rd.driver.blacklist"))
		return BL_KEY_RD_DRIVER;
	if (!strcmp(param, "rdblacklist"))
		return BL_KEY_RDBLACKLIST;
	return 0;
}

static void parse_param(struct request *req, char *param, char *val, char *tok, char *tok_end)
{
	const char *rest;
	unsigned bl;

	/*
	 * dracut's and systemd's convention: rd.KEY is KEY for the initramfs only. vfio-bind
	 * only runs there, and rd.vfio.bind= also keeps the vfio module from seeing "bind".
	 */
	if (!strncmp(param, "rd.", 3) &&
	    (parameq(param + 3, "vfio.bind") || param_prefix(param + 3, "vfio_bind.")))
		param += 3;
	if (parameq(param, "vfio.bind")) {
		parse_bind(req, "vfio.bind", val, tok, tok_end);
		return;
	}
	rest = param_prefix(param, "vfio_bind.");
	if (rest) {
		parse_setting(req, param, rest, val);
		return;
	}
	if (req->in_config) {
		char esc[96];

		str_escape(esc, sizeof(esc), param, 48);
		log_err("'%s'%s is not a vfio-bind key (the file takes vfio.bind= and vfio_bind.* "
			"only; other parameters belong on the kernel command line); ignored", esc,
			origin(req));
		req->nerrors++;
		return;
	}
	/* fb_token_text[]'s order */
	if (parameq(param, "initcall_blacklist") && list_has(val, "sysfb_init"))
		req->fb_tokens |= FB_TOK_SYSFB_OFF;
	else if (parameq(param, "video") && val && !strcmp(val, "efifb:off"))
		req->fb_tokens |= FB_TOK_EFIFB_OFF;
	else if (parameq(param, "video") && val && !strcmp(val, "vesafb:off"))
		req->fb_tokens |= FB_TOK_VESAFB_OFF;
	else if (parameq(param, "nofb"))
		req->fb_tokens |= FB_TOK_NOFB;
	else if ((bl = blacklist_key(param)) && val) {
		size_t used = strlen(req->blacklist);
		int n;

		req->blacklist_keys |= bl;
		/* judged on the whole value: the copy is only for the log, and may be cut */
		if (strstr(val, "vfio"))
			req->blacklist_vfio = true;
		n = snprintf(req->blacklist + used, sizeof(req->blacklist) - used, "%s%s",
			     used ? "," : "", val);
		if (n < 0 || (size_t)n >= sizeof(req->blacklist) - used)
			req->blacklist_cut = true;
	} else if (parameq(param, "vfio_pci.ids") && val) {
		/* as for the kernel and libkmod, the last one counts; the kernel refuses a value
		 * that does not fit vfio-pci's buffer (takeover.h) */
		req->pci_ids_long = strlen(val) >= sizeof(req->pci_ids);
		snprintf(req->pci_ids, sizeof(req->pci_ids), "%s", val);
		snprintf(req->pci_ids_key, sizeof(req->pci_ids_key), "%s", param);
	}
}

/* "modprobe.blacklist=", or the keys that gave the list ("rd.driver.blacklist=, ...: ") */
const char *request_blacklist_keys(const struct request *req)
{
	static char buf[96];

	switch (req->blacklist_keys) {
	case BL_KEY_MODPROBE:
		return "modprobe.blacklist=";
	case BL_KEY_RD_DRIVER:
		return "rd.driver.blacklist=";
	case BL_KEY_RDBLACKLIST:
		return "rdblacklist=";
	}
	snprintf(buf, sizeof(buf), "%s%s%s: ",
		 req->blacklist_keys & BL_KEY_MODPROBE ? "modprobe.blacklist= " : "",
		 req->blacklist_keys & BL_KEY_RD_DRIVER ? "rd.driver.blacklist= " : "",
		 req->blacklist_keys & BL_KEY_RDBLACKLIST ? "rdblacklist= " : "");
	return buf;
}

/*
 * @cut names the source when @line was cut off at the read buffer's end: then the last token,
 * if it runs up to the cut, is dropped (its shortened form could claim more than was asked,
 * "0000:01:00.1" cut to "0000:01:00" is the whole slot) and that is logged.
 */
static void parse_line(struct request *req, char *line, const char *cut)
{
	size_t len = strlen(line);
	char *end = line + len, *args = skip_spaces(line), *param, *val, *start, *tok_end;
	bool open_end = cut && len && !kspace(line[len - 1]);

	while (*args) {
		start = args;
		args = next_arg(args, &param, &val, &tok_end);
		if (open_end && args == end) {
			char tok[96], esc[160];

			snprintf(tok, sizeof(tok), "%s%s%s", param, val ? "=" : "", val ? val : "");
			str_escape(esc, sizeof(esc), tok, 64);
			log_err("%s is longer than %d bytes: its cut-off last token '%s' was dropped",
				cut, CMDLINE_MAX - 1, esc);
			req->nerrors++;
			break;
		}
		/* like the kernel: what follows "--" is for init */
		if (!val && !strcmp(param, "--"))
			break;
		parse_param(req, param, val, start, tok_end);
	}
}

int cmdline_parse(struct request *req, char *line)
{
	parse_line(req, line, NULL);
	return 0;
}

#define CONF_MAX	64

struct conf_names {
	char name[CONF_MAX][NAME_MAX + 1];
	int n;
	unsigned ignored;
	char first_ignored[NAME_MAX + 1];	/* the first in name order of those */
};

static void conf_ignore(struct conf_names *c, const char *name)
{
	if (!c->ignored++ || strcmp(name, c->first_ignored) < 0)
		snprintf(c->first_ignored, sizeof(c->first_ignored), "%s", name);
}

/* keep the CONF_MAX first names in name order, whatever order the directory gives */
static int conf_add(int dirfd, const char *name, void *data)
{
	struct conf_names *c = data;
	size_t n = strlen(name);
	int i, last = 0;

	if (n <= 5 || strcmp(name + n - 5, ".conf"))
		return 0;
	if (c->n < CONF_MAX) {
		snprintf(c->name[c->n++], sizeof(c->name[0]), "%s", name);
		return 0;
	}
	for (i = 1; i < c->n; i++)
		if (strcmp(c->name[i], c->name[last]) > 0)
			last = i;
	if (strcmp(name, c->name[last]) > 0) {
		conf_ignore(c, name);
		return 0;
	}
	conf_ignore(c, c->name[last]);
	snprintf(c->name[last], sizeof(c->name[0]), "%s", name);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* the configuration file's comments: '#' at the start of a line or after white space */
static void strip_comment(char *line)
{
	char *p;

	for (p = line; *p; p++) {
		if (*p == '#' && (p == line || kspace(p[-1]))) {
			*p = '\0';
			return;
		}
	}
}

/* static: a heap buffer this size would cost an mmap and a munmap on every boot */
static char file_buf[CMDLINE_MAX];

void cmdline_parse_file(struct request *req, const char *path, char *text, bool more,
			bool config)
{
	char where[PATH_MAX + 16];
	char *line, *next;
	unsigned lineno = 0;

	req->in_config = config;
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		/* dracut's getcmdline skips lines that start with '#' */
		if (*line == '#')
			continue;
		if (config)
			strip_comment(line);
		snprintf(where, sizeof(where), "%s:%u", path, lineno);
		req->origin = where;
		parse_line(req, line, more && !next ? path : NULL);
	}
	req->origin = NULL;
	req->in_config = false;
}

int cmdline_load_file(struct request *req, const char *path, bool config)
{
	bool more;
	int n;

	n = read_file_more(path, file_buf, CMDLINE_MAX, &more);
	if (n < 0)
		return n;
	cmdline_parse_file(req, path, file_buf, more, config);
	return 0;
}

int cmdline_conf_list(const char *dir, int (*fn)(const char *path, void *data), void *data)
{
	static struct conf_names c;
	char path[PATH_MAX];
	int i, n = 0;

	c.n = 0;
	c.ignored = 0;
	if (dir_for_each(dir, conf_add, &c) < 0 || !c.n)
		return 0;
	qsort(c.name, c.n, sizeof(c.name[0]), name_cmp);
	if (c.ignored) {
		char esc[96];

		str_escape(esc, sizeof(esc), c.first_ignored, 48);
		log_warn("more than %d files in %s: '%s' and the %u after it ignored", CONF_MAX,
			 dir, esc, c.ignored - 1);
	}
	for (i = 0; i < c.n; i++)
		if (path_fmt(path, sizeof(path), "%s/%s", dir, c.name[i]) >= 0 && fn(path, data) == 0)
			n++;
	return n;
}

struct load_one {
	struct request *req;
	bool config;
};

static int load_one(const char *path, void *data)
{
	struct load_one *l = data;
	int err = cmdline_load_file(l->req, path, l->config);

	if (err < 0 && l->config)
		log_err("cannot read %s: %s; its claims do not apply", path, strerror(-err));
	return err;
}

/* every DIR/ *.conf in name order (dracut's order for cmdline.d); returns the count read */
static int load_dir(struct request *req, const char *dir, bool config)
{
	struct load_one l = { req, config };

	return cmdline_conf_list(dir, load_one, &l);
}

int cmdline_load_config(struct vb_ctx *ctx, struct request *req)
{
	int n = 0, err;

	err = cmdline_load_file(req, ctx->config, true);
	if (err == 0)
		n++;
	else if (err != -ENOENT)
		log_err("cannot read %s: %s; its claims do not apply", ctx->config,
			strerror(-err));
	return n + load_dir(req, ctx->config_dir, true);
}

/* is vfio_bind.ignore_config (or rd.vfio_bind.ignore_config) on, in this copy of the line? */
static bool wants_ignore_config(char *line)
{
	char *args = skip_spaces(line), *param, *val;
	bool on = false, b;

	while (*args) {
		args = next_arg(args, &param, &val, NULL);
		if (!val && !strcmp(param, "--"))
			break;
		if (!strncmp(param, "rd.", 3))
			param += 3;
		if (parameq(param, "vfio_bind.ignore_config") && parse_bool(val, &b) == 0)
			on = b;
	}
	return on;
}

static char cmdline_buf[CMDLINE_MAX];
static bool cmdline_more;	/* /proc/cmdline was longer than cmdline_buf */

static int read_cmdline(struct vb_ctx *ctx)
{
	int n = read_file_more(ctx->cmdline, cmdline_buf, CMDLINE_MAX, &cmdline_more);

	if (n < 0) {
		log_err("cannot read %s: %s", ctx->cmdline, strerror(-n));
		return n;
	}
	/*
	 * /proc/cmdline ends in a newline the kernel's own parser never saw: left in, an
	 * unclosed quote at the end would take it into the last value
	 */
	if (!cmdline_more && n > 0 && cmdline_buf[n - 1] == '\n')
		cmdline_buf[--n] = '\0';
	return n;
}

static void parse_cmdline(struct vb_ctx *ctx, struct request *req)
{
	/* a NUL inside ends the line, as it would for the kernel */
	parse_line(req, cmdline_buf, cmdline_more ? ctx->cmdline : NULL);
}

int cmdline_load_kernel(struct vb_ctx *ctx, struct request *req)
{
	int n;

	/* dracut's getcmdline: every cmdline.d/ *.conf, in name order, first */
	load_dir(req, ctx->cmdline_dir, false);
	n = read_cmdline(ctx);
	if (n < 0)
		return n;
	parse_cmdline(ctx, req);
	return 0;
}

int cmdline_load(struct vb_ctx *ctx, struct request *req)
{
	int n;

	n = read_cmdline(ctx);
	if (n < 0)
		return n;
	/* the rescue switch is read first: it decides whether the file counts at all */
	memcpy(file_buf, cmdline_buf, n + 1);
	if (wants_ignore_config(file_buf)) {
		if (path_exists(ctx->config) || path_exists(ctx->config_dir))
			log_notice("vfio_bind.ignore_config: %s and %s/ not read", ctx->config,
				   ctx->config_dir);
	} else {
		cmdline_load_config(ctx, req);
	}
	load_dir(req, ctx->cmdline_dir, false);
	parse_cmdline(ctx, req);
	return 0;
}
