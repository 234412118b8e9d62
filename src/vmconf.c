// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VMs' own word on which PCI devices they use: Proxmox VE's hostpciN entries (qemu-server's
 * PVE/QemuServer/PCI.pm format) with the cluster's resource mappings (pve-guest-common's
 * PVE/Mapping/PCI.pm: /etc/pve/mapping/pci.cfg, a section config), and libvirt's domain XML
 * (<hostdev mode='subsystem' type='pci'><source><address .../>). Only what this node's VMs
 * use, read as those tools read it; nothing read here becomes part of a path.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "pci.h"
#include "sysfs.h"
#include "vmconf.h"

#define VMCONF_FILE_MAX	(1024 * 1024)	/* pmxcfs keeps no larger file */
#define VMCONF_LINE_MAX	4096		/* for the lines read here: hostpci, map, name */
#define VMCONF_FILES	1024
#define XML_DEPTH	32

static void refuse(struct vm_uses *v, const char *path, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void refuse(struct vm_uses *v, const char *path, unsigned line, const char *fmt, ...)
{
	FILE *f = v->msgs ? v->msgs : stderr;
	va_list ap;

	fprintf(f, "vfio-bind: %s:%u: ", path, line);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fprintf(f, "; not used\n");
	v->refused++;
}

/* one more zeroed element of @size bytes at the end of *arr (n used, cap allocated) */
static void *grow(void **arr, size_t *n, size_t *cap, size_t size)
{
	char *e;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		void *a = realloc(*arr, c * size);

		if (!a)
			return NULL;
		*arr = a;
		*cap = c;
	}
	e = (char *)*arr + (*n)++ * size;
	memset(e, 0, size);
	return e;
}

static struct vm_use *use_new(struct vm_uses *v)
{
	return grow((void **)&v->u, &v->n, &v->cap, sizeof(*v->u));
}

static struct vm_map *map_new(struct vm_uses *v)
{
	return grow((void **)&v->m, &v->nm, &v->capm, sizeof(*v->m));
}

void vmconf_free(struct vm_uses *v)
{
	free(v->u);
	free(v->m);
	v->u = NULL;
	v->m = NULL;
	v->n = v->cap = v->nm = v->capm = 0;
}

bool vmconf_names(const struct vm_use *u, const char *arg)
{
	return !strcmp(u->vm, arg) || (u->name[0] && !strcmp(u->name, arg));
}

void vmconf_label(const struct vm_use *u, char *buf, size_t size)
{
	if (u->name[0])
		snprintf(buf, size, "%s (%s)", u->vm, u->name);
	else
		snprintf(buf, size, "%s", u->vm);
}

/* ---- text helpers ------------------------------------------------------------------------ */

/* A copy of @text to cut into lines; -EINVAL (said) for a NUL byte, which no tool writes. */
static char *text_copy(struct vm_uses *v, const char *path, const char *text, size_t len)
{
	const char *nul = memchr(text, '\0', len);
	char *buf;

	if (nul) {
		unsigned line = 1;
		const char *p;

		for (p = text; p < nul; p++)
			line += *p == '\n';
		refuse(v, path, line, "a NUL byte: the file is not text, none of it is read");
		return NULL;
	}
	buf = malloc(len + 1);
	if (!buf)
		return NULL;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return buf;
}

struct lines {
	char *buf, *cur;
	unsigned n;		/* the line number of the last line given */
};

/* the text of @path as lines: 0, 1 when it is not text (said), -ENOMEM */
static int lines_open(struct vm_uses *v, const char *path, const char *text, size_t len,
		      struct lines *l)
{
	l->buf = l->cur = text_copy(v, path, text, len);
	l->n = 0;
	if (!l->buf)
		return memchr(text, '\0', len) ? 1 : -ENOMEM;
	return 0;
}

static char *lines_next(struct lines *l)
{
	char *line = l->cur, *nl;

	if (!line)
		return NULL;
	l->n++;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		l->cur = nl + 1;
	} else {
		l->cur = NULL;
	}
	if (nl && nl > line && nl[-1] == '\r')
		nl[-1] = '\0';
	return line;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* pve-configid: a letter, then letters, digits, '-' and '_' */
static bool is_configid(const char *s)
{
	size_t i;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) || strlen(s) >= VM_NAME_MAX)
		return false;
	for (i = 1; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return false;
	return i > 1;
}

/* pve-node: letters, digits and inner '-' (a host name's first label) */
static bool is_node(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n >= VM_NAME_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* PVE's PCI address: [DDDD:]BB:SS[.F], F 0-7; a slot when the function is left out */
static int parse_pve_addr(const char *s, struct pci_addr *a)
{
	if (strchr(s, '*'))
		return -EINVAL;
	return addr_parse(s, a, true);
}

/*
 * One item of a property string ("key=value,key2=value2", the first item's key may be left
 * out): the next item of *cur in @key and @val, NUL-terminated in place. A value may be
 * quoted ("..." with \" inside), as parse_property_string() allows.
 */
static bool next_prop(char **cur, char **key, char **val)
{
	char *p = *cur, *eq, *w;

	if (!p || !*p)
		return false;
	eq = NULL;
	for (w = p; *w && *w != ','; w++) {
		if (*w == '=' && !eq) {
			eq = w;
			if (w[1] == '"') {
				char *r = w + 2, *o = w + 1;

				/* unquote in place up to the closing quote */
				while (*r && *r != '"') {
					if (*r == '\\' && r[1])
						r++;
					*o++ = *r++;
				}
				*o = '\0';
				w = *r ? r + 1 : r;
				*key = p;
				*eq = '\0';
				*val = eq + 1;
				*cur = *w == ',' ? w + 1 : w;
				return true;
			}
		}
	}
	*cur = *w ? w + 1 : w;
	*w = '\0';
	if (eq) {
		*eq = '\0';
		*key = p;
		*val = eq + 1;
	} else {
		*key = w;		/* "": the default key */
		*val = p;
	}
	return true;
}

static void set_where(char *buf, const char *path, unsigned line)
{
	snprintf(buf, VM_WHERE_MAX, "%s:%u", path, line);
}

/* ---- /etc/pve/mapping/pci.cfg ------------------------------------------------------------ */

static int map_entry(struct vm_uses *v, const char *path, unsigned line, const char *section,
		     char *value)
{
	char *key, *val, *node = NULL, *paths = NULL, *id = NULL, *sub = NULL, *cur = value;
	struct pci_id pid = { 0 };
	char esc[64], *a, *next;

	while (next_prop(&cur, &key, &val)) {
		if (!strcmp(key, "node"))
			node = val;
		else if (!strcmp(key, "path"))
			paths = val;
		else if (!strcmp(key, "id"))
			id = val;
		else if (!strcmp(key, "subsystem-id"))
			sub = val;
	}
	if (!node || !v->node[0] || strcmp(node, v->node))
		return 0;	/* another node's device */
	if (!paths || !id) {
		refuse(v, path, line, "mapping '%s': a map without %s", section,
		       paths ? "id=" : "path=");
		return 0;
	}
	if (pci_parse_id_pair(id, &pid.vendor, &pid.device) < 0) {
		str_escape(esc, sizeof(esc), id, 20);
		refuse(v, path, line, "mapping '%s': id '%s' is not VVVV:DDDD", section, esc);
		return 0;
	}
	if (sub) {
		if (pci_parse_id_pair(sub, &pid.sub_vendor, &pid.sub_device) < 0) {
			str_escape(esc, sizeof(esc), sub, 20);
			refuse(v, path, line, "mapping '%s': subsystem-id '%s' is not VVVV:DDDD",
			       section, esc);
			return 0;
		}
		pid.has_subsys = true;
	}
	for (a = paths; a; a = next) {
		struct pci_addr addr;
		struct vm_map *m;

		next = strchr(a, ';');
		if (next)
			*next++ = '\0';
		if (parse_pve_addr(a, &addr) < 0) {
			str_escape(esc, sizeof(esc), a, 24);
			refuse(v, path, line, "mapping '%s': path '%s' is not a PCI address",
			       section, esc);
			continue;
		}
		m = map_new(v);
		if (!m)
			return -ENOMEM;
		snprintf(m->name, sizeof(m->name), "%s", section);
		set_where(m->where, path, line);
		m->addr = addr;
		m->id = pid;
		m->has_subsys = pid.has_subsys;
	}
	return 0;
}

int vmconf_parse_mapping(struct vm_uses *v, const char *path, const char *text, size_t len)
{
	char *line, section[VM_NAME_MAX] = "";
	struct lines l;
	int err = lines_open(v, path, text, len, &l);

	if (err)
		return err < 0 ? err : 0;
	while (err >= 0 && (line = lines_next(&l))) {
		char *s, *key;

		if (line[0] == '#')
			continue;
		if (line[0] != ' ' && line[0] != '\t') {
			s = trim(line);
			if (!*s) {
				section[0] = '\0';
				continue;
			}
			section[0] = '\0';
			if (strlen(s) > VMCONF_LINE_MAX || !is_configid(s)) {
				char esc[64];

				str_escape(esc, sizeof(esc), s, 40);
				refuse(v, path, l.n, "'%s' is not a mapping name", esc);
				continue;
			}
			snprintf(section, sizeof(section), "%s", s);
			continue;
		}
		s = trim(line);
		if (!*s) {
			section[0] = '\0';
			continue;
		}
		key = s;
		s += strcspn(s, " \t");
		if (*s)
			*s++ = '\0';
		if (strcmp(key, "map") || !section[0])
			continue;
		if (strlen(s) > VMCONF_LINE_MAX) {
			refuse(v, path, l.n, "a map line of %zu bytes", strlen(s));
			continue;
		}
		err = map_entry(v, path, l.n, section, trim(s));
	}
	free(l.buf);
	return err;
}

/* ---- /etc/pve/nodes/NODE/qemu-server/VMID.conf ------------------------------------------ */

static struct vm_use *pve_use(struct vm_uses *v, const char *path, unsigned line,
			      const char *vmid, const char *key)
{
	struct vm_use *u = use_new(v);

	if (!u)
		return NULL;
	snprintf(u->vm, sizeof(u->vm), "%s", vmid);
	set_where(u->where, path, line);
	snprintf(u->what, sizeof(u->what), "%s", key);
	return u;
}

static int pve_mapping(struct vm_uses *v, const char *path, unsigned line, const char *vmid,
		       const char *key, const char *name, bool mdev)
{
	size_t i, found = 0;
	char esc[64];

	if (!is_configid(name)) {
		str_escape(esc, sizeof(esc), name, 40);
		refuse(v, path, line, "%s: '%s' is not a mapping name", key, esc);
		return 0;
	}
	for (i = 0; i < v->nm; i++) {
		struct vm_use *u;

		if (strcmp(v->m[i].name, name))
			continue;
		u = pve_use(v, path, line, vmid, key);
		if (!u)
			return -ENOMEM;
		snprintf(u->what, sizeof(u->what), "%s mapping=%s", key, name);
		u->addr = v->m[i].addr;
		u->id = v->m[i].id;
		u->has_id = true;
		u->mdev = mdev;
		found++;
	}
	if (!found)
		refuse(v, path, line, "%s: mapping '%s' has no usable entry for this node (%s) in "
		       "mapping/pci.cfg", key, name, v->node[0] ? v->node : "unknown");
	return 0;
}

static int pve_hostpci(struct vm_uses *v, const char *path, unsigned line, const char *vmid,
		       const char *key, char *value)
{
	char *k, *val, *host = NULL, *mapping = NULL, *cur = value, *a, *next, esc[64];
	bool mdev = false;

	while (next_prop(&cur, &k, &val)) {
		if (!*k || !strcmp(k, "host"))
			host = val;
		else if (!strcmp(k, "mapping"))
			mapping = val;
		else if (!strcmp(k, "mdev"))
			mdev = true;
	}
	if (!host == !mapping) {
		refuse(v, path, line, "%s: %s", key, host ? "both a host address and a mapping" :
		       "neither a host address nor a mapping");
		return 0;
	}
	if (mapping)
		return pve_mapping(v, path, line, vmid, key, mapping, mdev);
	for (a = host; a; a = next) {
		struct pci_addr addr;
		struct vm_use *u;

		next = strchr(a, ';');
		if (next)
			*next++ = '\0';
		if (parse_pve_addr(a, &addr) < 0) {
			str_escape(esc, sizeof(esc), a, 24);
			refuse(v, path, line, "%s: '%s' is not a PCI address", key, esc);
			continue;
		}
		u = pve_use(v, path, line, vmid, key);
		if (!u)
			return -ENOMEM;
		u->addr = addr;
		u->mdev = mdev;
	}
	return 0;
}

int vmconf_parse_pve(struct vm_uses *v, const char *path, const char *vmid, const char *text,
		     size_t len)
{
	char *line, name[VM_NAME_MAX] = "";
	size_t first = v->n, i;
	struct lines l;
	int err = lines_open(v, path, text, len, &l);

	if (err)
		return err < 0 ? err : 0;
	while (err >= 0 && (line = lines_next(&l))) {
		char *colon, *value;

		/* [snapshot], [PENDING], [special:cloudinit]: not what the VM runs with now */
		if (line[0] == '[')
			break;
		if (line[0] == '#')
			continue;
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		value = trim(colon + 1);
		if (!strcmp(line, "name")) {
			str_escape(name, sizeof(name), value, 40);
			continue;
		}
		if (!name_prefix_digits(line, "hostpci", 9))
			continue;
		if (strlen(value) > VMCONF_LINE_MAX) {
			refuse(v, path, l.n, "%s: a value of %zu bytes", line, strlen(value));
			continue;
		}
		err = pve_hostpci(v, path, l.n, vmid, line, value);
	}
	for (i = first; i < v->n; i++)
		snprintf(v->u[i].name, sizeof(v->u[i].name), "%s", name);
	free(l.buf);
	return err;
}

/* ---- /etc/libvirt/qemu/NAME.xml --------------------------------------------------------- */

struct xml {
	struct vm_uses *v;
	const char *path;
	const char *text, *p, *end;
	char stack[XML_DEPTH][16];	/* element names, cut: only short ones are looked at */
	size_t len[XML_DEPTH];		/* their whole lengths */
	int depth;
	bool pci_hostdev;
	size_t first;
	char name[VM_NAME_MAX];
	const char *lpos;		/* xml_line()'s count: lline lines before lpos */
	unsigned lline;
};

/* the line of @at; positions only move forward, so the count goes on from the last one */
static unsigned xml_line(struct xml *x, const char *at)
{
	if (at < x->lpos) {
		x->lpos = x->text;
		x->lline = 1;
	}
	for (; x->lpos < at; x->lpos++)
		x->lline += *x->lpos == '\n';
	return x->lline;
}

static bool xml_in(const struct xml *x, const char *const *path, int n)
{
	int i;

	if (x->depth != n)
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(x->stack[i], path[i]))
			return false;
	return true;
}

/* libvirt's number: strtoul base 0 (0x hex, leading 0 octal, else decimal), at most @max */
static int xml_number(const char *s, size_t len, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	if (i == len || len > 12)
		return -EINVAL;
	for (; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0 || (unsigned)d >= base)
			return -EINVAL;
		v = v * base + d;
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* An attribute's value: @name="..." or @name='...' in the tag's attributes [p, end) */
static bool xml_attr(const char *p, const char *end, const char *name, const char **val,
		     size_t *len)
{
	size_t nl = strlen(name);

	while (p < end) {
		const char *a, *q, *e;
		char quote;

		while (p < end && is_blank(*p))
			p++;
		a = p;
		while (p < end && *p != '=' && !is_blank(*p) && *p != '/' && *p != '>')
			p++;
		if (p == a)
			return false;
		q = p;
		while (p < end && is_blank(*p))
			p++;
		if (p >= end || *p != '=')
			return false;
		p++;
		while (p < end && is_blank(*p))
			p++;
		if (p >= end || (*p != '\'' && *p != '"'))
			return false;
		quote = *p++;
		e = memchr(p, quote, end - p);
		if (!e)
			return false;
		if ((size_t)(q - a) == nl && !memcmp(a, name, nl)) {
			*val = p;
			*len = e - p;
			return true;
		}
		p = e + 1;
	}
	return false;
}

static bool xml_attr_is(const char *p, const char *end, const char *name, const char *want)
{
	const char *val;
	size_t len;

	return xml_attr(p, end, name, &val, &len) && len == strlen(want) &&
	       !memcmp(val, want, len);
}

static int xml_address(struct xml *x, const char *tag, const char *attrs, const char *end)
{
	static const char *const names[] = { "domain", "bus", "slot", "function" };
	static const unsigned long max[] = { 0xffff, 0xff, 0x1f, 7 };
	unsigned long val[4] = { 0 };
	struct vm_use *u;
	const char *s;
	size_t len;
	int i;

	for (i = 0; i < 4; i++) {
		char esc[48];

		if (!xml_attr(attrs, end, names[i], &s, &len))
			continue;
		if (xml_number(s, len, max[i], &val[i]) < 0) {
			char raw[32];

			snprintf(raw, sizeof(raw), "%.*s", (int)(len < 24 ? len : 24), s);
			str_escape(esc, sizeof(esc), raw, 24);
			refuse(x->v, x->path, xml_line(x, tag), "<hostdev> source address %s='%s' "
			       "is not a number within 0-%#lx", names[i], esc, max[i]);
			return 0;
		}
	}
	u = use_new(x->v);
	if (!u)
		return -ENOMEM;
	set_where(u->where, x->path, xml_line(x, tag));
	snprintf(u->what, sizeof(u->what), "hostdev");
	u->addr.domain = val[0];
	u->addr.bus = val[1];
	u->addr.slot = val[2];
	u->addr.func = val[3];
	return 0;
}

static const char *const at_hostdev[] = { "domain", "devices", "hostdev" };
static const char *const at_address[] = { "domain", "devices", "hostdev", "source", "address" };
static const char *const at_name[] = { "domain", "name" };

/* an element opened at @tag ('<'), its name [n, n + nl), its attributes up to @end ('>') */
static int xml_open(struct xml *x, const char *tag, const char *n, size_t nl, const char *end,
		    bool empty)
{
	const char *val;
	size_t len;
	int err = 0;

	if (x->depth == XML_DEPTH) {
		refuse(x->v, x->path, xml_line(x, tag), "elements nested more than %d deep",
		       XML_DEPTH);
		return -EINVAL;
	}
	x->len[x->depth] = nl;
	snprintf(x->stack[x->depth++], sizeof(x->stack[0]), "%.*s", (int)(nl < 15 ? nl : 15), n);
	if (xml_in(x, at_hostdev, 3))
		/* mode defaults to subsystem; type='pci' is what is passed through whole */
		x->pci_hostdev = xml_attr_is(n + nl, end, "type", "pci") &&
				 (xml_attr_is(n + nl, end, "mode", "subsystem") ||
				  !xml_attr(n + nl, end, "mode", &val, &len));
	else if (x->pci_hostdev && xml_in(x, at_address, 5))
		err = xml_address(x, tag, n + nl, end);
	if (empty)
		x->depth--;
	return err;
}

int vmconf_parse_libvirt(struct vm_uses *v, const char *path, const char *text, size_t len)
{
	struct xml *x;
	size_t i;
	int err = 0;

	if (memchr(text, '\0', len)) {
		free(text_copy(v, path, text, len));
		return 0;
	}
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	*x = (struct xml){ .v = v, .path = path, .text = text, .p = text, .end = text + len,
			   .first = v->n, .lpos = text, .lline = 1 };
	while (err >= 0 && x->p < x->end) {
		const char *lt = memchr(x->p, '<', x->end - x->p), *gt, *n, *close;
		size_t nl;

		if (!lt)
			break;
		if (xml_in(x, at_name, 2)) {
			char raw[VM_NAME_MAX];

			snprintf(raw, sizeof(raw), "%.*s", (int)((size_t)(lt - x->p) < 40 ?
				 lt - x->p : 40), x->p);
			str_escape(x->name, sizeof(x->name), trim(raw), 40);
		}
		if (x->end - lt >= 4 && !memcmp(lt, "<!--", 4))
			close = "-->";
		else if (x->end - lt >= 9 && !memcmp(lt, "<![CDATA[", 9))
			close = "]]>";
		else if (x->end - lt >= 2 && (lt[1] == '?' || lt[1] == '!'))
			close = ">";
		else
			close = NULL;
		if (close) {
			gt = memmem(lt + 2, x->end - lt - 2, close, strlen(close));
			if (!gt) {
				char raw[5], esc[24];

				snprintf(raw, sizeof(raw), "%.4s", lt);
				str_escape(esc, sizeof(esc), raw, 4);
				refuse(v, path, xml_line(x, lt), "'%s' never closed", esc);
				err = -EINVAL;
				break;
			}
			x->p = gt + strlen(close);
			continue;
		}
		gt = memchr(lt, '>', x->end - lt);
		if (!gt) {
			refuse(v, path, xml_line(x, lt), "a tag never closed");
			err = -EINVAL;
			break;
		}
		x->p = gt + 1;
		n = lt + 1 + (lt[1] == '/');
		nl = strcspn(n, " \t\r\n/>");
		if (n + nl > gt)
			nl = gt - n;
		if (lt[1] == '/') {
			if (!x->depth || x->len[x->depth - 1] != nl ||
			    strncmp(x->stack[x->depth - 1], n, nl < 15 ? nl : 15)) {
				refuse(v, path, xml_line(x, lt), "'</%.*s>' closes no open element",
				       (int)(nl < 20 ? nl : 20), n);
				err = -EINVAL;
				break;
			}
			if (xml_in(x, at_hostdev, 3))
				x->pci_hostdev = false;
			x->depth--;
			continue;
		}
		err = xml_open(x, lt, n, nl, gt, gt[-1] == '/');
	}
	if (err >= 0 && x->depth) {
		refuse(v, path, xml_line(x, x->end), "the file ends inside <%s>: none of it",
		       x->stack[x->depth - 1]);
		err = -EINVAL;
	}
	if (err < 0) {
		/* a file that cannot be read whole is not guessed at: none of its devices */
		v->n = x->first;
		err = err == -ENOMEM ? err : 0;
	}
	for (i = x->first; i < v->n; i++) {
		snprintf(v->u[i].vm, sizeof(v->u[i].vm), "%s", x->name[0] ? x->name : "?");
	}
	free(x);
	return err;
}

/* ---- the files --------------------------------------------------------------------------- */

struct names {
	char (*n)[256];
	size_t count;
	const char *suffix;
	bool vmid;
};

static int name_seen(int dirfd, const char *name, void *data)
{
	struct names *l = data;
	size_t nl = strlen(name), sl = strlen(l->suffix);

	(void)dirfd;
	if (nl <= sl || nl >= 256 || strcmp(name + nl - sl, l->suffix) || !name_is_safe(name))
		return 0;
	if (l->vmid && (name[0] == '0' || strspn(name, "0123456789") != nl - sl))
		return 0;
	if (l->count == VMCONF_FILES)
		return 0;
	snprintf(l->n[l->count++], 256, "%s", name);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* a file whole (up to VMCONF_FILE_MAX); NULL, said, when it cannot be read */
static char *slurp(struct vm_uses *v, const char *path, size_t *len)
{
	char *buf = malloc(VMCONF_FILE_MAX + 1);
	bool more = false;
	int n;

	if (!buf)
		return NULL;
	n = read_file_more(path, buf, VMCONF_FILE_MAX + 1, &more);
	if (n < 0 || more) {
		fprintf(stderr, "vfio-bind: cannot read %s: %s; its devices are not known\n", path,
			more ? "larger than 1 MiB" : strerror(-n));
		v->refused++;
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static int read_dir(struct vb_ctx *ctx, struct vm_uses *v, const char *dir, const char *suffix,
		    bool pve)
{
	struct names l = { .suffix = suffix, .vmid = pve };
	char path[PATH_MAX], vmid[256];
	size_t i, len;
	int err = 0;

	(void)ctx;
	l.n = malloc(VMCONF_FILES * sizeof(*l.n));
	if (!l.n)
		return -ENOMEM;
	dir_for_each(dir, name_seen, &l);
	qsort(l.n, l.count, sizeof(*l.n), name_cmp);
	for (i = 0; err >= 0 && i < l.count; i++) {
		char *text;

		if (path_fmt(path, sizeof(path), "%s/%s", dir, l.n[i]) < 0)
			continue;
		text = slurp(v, path, &len);
		if (!text)
			continue;
		v->files++;
		if (pve) {
			snprintf(vmid, sizeof(vmid), "%.*s", (int)(strlen(l.n[i]) - 5), l.n[i]);
			err = vmconf_parse_pve(v, path, vmid, text, len);
		} else {
			err = vmconf_parse_libvirt(v, path, text, len);
		}
		free(text);
	}
	free(l.n);
	return err;
}

/* PVE::INotify::nodename(): the host name's first label; a fake root's etc/hostname */
static void node_name(struct vb_ctx *ctx, struct vm_uses *v)
{
	char path[PATH_MAX], buf[256], orig[256], esc[64];
	struct utsname u;

	buf[0] = '\0';
	if (strcmp(ctx->root, "/")) {
		if (path_fmt(path, sizeof(path), "%s/etc/hostname", ctx->root) < 0 ||
		    read_attr(path, buf, sizeof(buf)) < 0)
			buf[0] = '\0';
	} else if (uname(&u) == 0) {
		snprintf(buf, sizeof(buf), "%s", u.nodename);
	}
	memcpy(orig, buf, sizeof(orig));
	/* a host name's labels: letters, digits, '-'; the node is the first one */
	if (buf[0] == '.' || buf[strspn(buf, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "0123456789-.")])
		buf[0] = buf[0] ? '/' : '\0';
	else
		buf[strcspn(buf, ".")] = '\0';
	if (!is_node(buf)) {
		/* only a Proxmox VE host needs one */
		if (buf[0] && path_fmt(path, sizeof(path), "%s/etc/pve",
				       strcmp(ctx->root, "/") ? ctx->root : "") >= 0 &&
		    path_exists(path) > 0) {
			str_escape(esc, sizeof(esc), orig, 40);
			fprintf(stderr, "vfio-bind: the host name '%s' is not a Proxmox VE node name; "
				"/etc/pve/nodes/ not read\n", esc);
			v->refused++;
		}
		return;
	}
	snprintf(v->node, sizeof(v->node), "%s", buf);
}

int vmconf_read(struct vb_ctx *ctx, struct vm_uses *v)
{
	const char *root = strcmp(ctx->root, "/") ? ctx->root : "";
	char path[PATH_MAX];
	size_t len;
	int err;

	memset(v, 0, sizeof(*v));
	node_name(ctx, v);
	if (v->node[0]) {
		char *text;

		if (path_fmt(path, sizeof(path), "%s/etc/pve/mapping/pci.cfg", root) < 0)
			return -ENAMETOOLONG;
		text = path_exists(path) ? slurp(v, path, &len) : NULL;
		if (text) {
			err = vmconf_parse_mapping(v, path, text, len);
			free(text);
			if (err < 0)
				return err;
		}
		/* /etc/pve/qemu-server is the link local/qemu-server, local -> nodes/NODE */
		if (path_fmt(path, sizeof(path), "%s/etc/pve/nodes/%s/qemu-server", root,
			     v->node) < 0)
			return -ENAMETOOLONG;
		err = read_dir(ctx, v, path, ".conf", true);
		if (err < 0)
			return err;
	}
	if (path_fmt(path, sizeof(path), "%s/etc/libvirt/qemu", root) < 0)
		return -ENAMETOOLONG;
	return read_dir(ctx, v, path, ".xml", false);
}
