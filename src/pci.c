// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCI functions as sysfs shows them. One read of `uevent` gives IDs, class, subsystem IDs and
 * driver; the IOMMU group and boot-VGA flag are read only for devices that matter.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "pci.h"
#include "sysfs.h"

static const struct {
	uint32_t class;		/* base class << 8 | subclass */
	const char *name;
} class_names[] = {
	{ 0x0100, "SCSI controller" },
	{ 0x0104, "RAID controller" },
	{ 0x0106, "SATA controller" },
	{ 0x0107, "SAS controller" },
	{ 0x0108, "NVMe controller" },
	{ 0x0200, "Ethernet controller" },
	{ 0x0280, "Network controller" },
	{ 0x0300, "VGA controller" },
	{ 0x0302, "3D controller" },
	{ 0x0380, "Display controller" },
	{ 0x0401, "Audio device" },
	{ 0x0403, "Audio device" },
	{ 0x0600, "Host bridge" },
	{ 0x0601, "ISA bridge" },
	{ 0x0604, "PCI bridge" },
	{ 0x0c03, "USB controller" },
	{ 0x0c05, "SMBus" },
	{ 0x0c80, "Serial bus controller" },
};

const char *pci_class_name(uint32_t class)
{
	size_t i;

	for (i = 0; i < sizeof(class_names) / sizeof(*class_names); i++)
		if (class_names[i].class == class >> 8)
			return class_names[i].name;
	return "Device";
}

bool pci_is_bridge(const struct pci_dev *d)
{
	/* vfio-pci takes only normal headers; every bridge (class 06xx) is off limits */
	return d->class >> 16 == 0x06;
}

bool addr_match(const struct pci_addr *s, const struct pci_addr *d)
{
	return s->domain == d->domain && s->bus == d->bus && s->slot == d->slot &&
	       (s->any_func || s->func == d->func);
}

bool id_match(const struct pci_id *s, const struct pci_id *d)
{
	if (s->vendor != d->vendor || s->device != d->device)
		return false;
	return !s->has_subsys ||
	       (s->sub_vendor == d->sub_vendor && s->sub_device == d->sub_device);
}

/* Does @s name @d? A guard matches by address; the plan checks its ID. */
bool sel_matches(const struct selector *s, const struct pci_dev *d)
{
	switch (s->kind) {
	case SEL_ID:
		return id_match(&s->id, &d->id);
	case SEL_ADDR:
	case SEL_GUARD:
		return addr_match(&s->addr, &d->addr);
	case SEL_EXCLUDE:
		return false;
	}
	return false;
}

bool sel_names(const struct selector *s, const struct pci_dev *d)
{
	return s->kind == SEL_EXCLUDE ? addr_match(&s->addr, &d->addr) : sel_matches(s, d);
}

int pci_dev_path(struct vb_ctx *ctx, const struct pci_dev *d, const char *attr,
		 char *buf, size_t size)
{
	return path_fmt(buf, size, "%s/bus/pci/devices/%s/%s", ctx->sysfs, d->name, attr);
}

/* "VVVV:DDDD", exactly as the kernel writes PCI_ID= and PCI_SUBSYS_ID= (%04X:%04X) */
int pci_parse_id_pair(const char *s, uint16_t *a, uint16_t *b)
{
	unsigned long va, vb;

	if (strlen(s) != 9 || s[4] != ':' || hex_parse(s, 4, &va) < 0 ||
	    hex_parse(s + 5, 4, &vb) < 0)
		return -EINVAL;
	*a = va;
	*b = vb;
	return 0;
}

int pci_parse_uevent(struct pci_dev *d, char *buf)
{
	char *line, *next;
	unsigned long v;
	int have = 0;

	/* DRIVER= is not read: the driver's name comes from the `driver` link alone */
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* DRIVER=, MODALIAS=, ...: skipped at the first byte (once per function) */
		if (line[0] != 'P')
			continue;
		if (!strncmp(line, "PCI_CLASS=", 10)) {
			v = strtoul(line + 10, NULL, 16);
			d->class = v;
			have |= 1;
		} else if (!strncmp(line, "PCI_ID=", 7)) {
			if (pci_parse_id_pair(line + 7, &d->id.vendor, &d->id.device) == 0)
				have |= 2;
		} else if (!strncmp(line, "PCI_SUBSYS_ID=", 14)) {
			d->id.has_subsys = pci_parse_id_pair(line + 14, &d->id.sub_vendor,
							 &d->id.sub_device) == 0;
		}
	}
	return have == 3 ? 0 : -EINVAL;
}

static void dev_init(struct pci_dev *d, const char *name)
{
	/* per function of the scan: no printf machinery (the name is cut as snprintf would) */
	memset(d, 0, sizeof(*d));
	memcpy(d->name, name, strnlen(name, sizeof(d->name) - 1));
	d->group = -2;
	d->boot_vga = -1;
}

/*
 * One openat() + read() + close(): sysfs hands a whole attribute over in one read, and
 * openat() relative to the devices directory spares the path walk (and musl's extra fcntl
 * that open(O_CLOEXEC) costs).
 */
static int uevent_read(int dirfd, const char *dir, struct pci_dev *d)
{
	char buf[512], rel[PATH_MAX];
	size_t len = strlen(dir);
	ssize_t n;
	int fd;

	if (addr_parse(d->name, &d->addr, false) < 0)
		return -EINVAL;
	/* "DIR/uevent", once per function: no printf machinery */
	if (len + sizeof("/uevent") > sizeof(rel))
		return -ENAMETOOLONG;
	memcpy(rel, dir, len);
	memcpy(rel + len, "/uevent", sizeof("/uevent"));
	fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (pci_parse_uevent(d, buf) < 0) {
		log_debug("%s: unreadable uevent", d->name);
		return -EINVAL;
	}
	return 0;
}

/*
 * The driver's name is the last component of the `driver` link, and only a name that is safe
 * in a path and a log line is kept as it is; any other is kept escaped, with driver_bad set,
 * and nothing is ever unbound from it.
 */
int pci_driver_name(struct pci_dev *d, int err, const char *name)
{
	d->driver[0] = '\0';
	d->driver_bad = false;
	if (err == -ENOENT)
		return 0;
	if (err == -ENAMETOOLONG) {
		snprintf(d->driver, sizeof(d->driver), "(a name too long)");
		d->driver_bad = true;
		return 0;
	}
	if (err < 0)
		return err;
	if (!name_is_safe(name)) {
		str_escape(d->driver, sizeof(d->driver), name, 12);
		d->driver_bad = true;
		return 0;
	}
	if (strlen(name) >= sizeof(d->driver)) {
		snprintf(d->driver, sizeof(d->driver), "(a name too long)");
		d->driver_bad = true;
		return 0;
	}
	memcpy(d->driver, name, strlen(name) + 1);
	return 0;
}

/*
 * The driver's name is the last component of the `driver` link, and only a name that is safe
 * in a path and a log line is kept as it is; any other is kept escaped, with driver_bad set,
 * and nothing is ever unbound from it.
 */
static int driver_read_at(int dirfd, const char *link, struct pci_dev *d)
{
	char name[DRIVER_NAME_MAX];
	int err;

	err = read_link_name_at(dirfd, link, name, sizeof(name));
	return pci_driver_name(d, err, name);
}

static int dev_driver_at(int dirfd, const char *dir, struct pci_dev *d)
{
	char link[PATH_MAX];

	if (path_fmt(link, sizeof(link), "%s/driver", dir) < 0)
		return -ENAMETOOLONG;
	return driver_read_at(dirfd, link, d);
}

static int dev_read(struct vb_ctx *ctx, struct pci_dev *d, const char *name)
{
	char path[PATH_MAX];
	int err;

	dev_init(d, name);
	err = path_fmt(path, sizeof(path), "%s/bus/pci/devices/%s", ctx->sysfs, d->name);
	if (err < 0)
		return err;
	err = uevent_read(AT_FDCWD, path, d);
	if (err < 0)
		return err;
	dev_driver_at(AT_FDCWD, path, d);
	return 0;
}

int pci_read_dev(struct vb_ctx *ctx, const char *name, struct pci_dev *d)
{
	return dev_read(ctx, d, name);
}

int pci_read_dev_at(int dirfd, const char *name, struct pci_dev *d)
{
	int err;

	dev_init(d, name);
	err = uevent_read(dirfd, name, d);
	if (err < 0)
		return err;
	dev_driver_at(dirfd, name, d);
	return 0;
}

static struct pci_dev *list_add(struct pci_list *list)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		struct pci_dev *n = realloc(list->dev, cap * sizeof(*n));

		if (!n)
			return NULL;
		list->dev = n;
		list->cap = cap;
	}
	return &list->dev[list->n++];
}

static int dev_cmp(const void *a, const void *b)
{
	const struct pci_dev *x = a, *y = b;

	if (x->addr.domain != y->addr.domain)
		return x->addr.domain < y->addr.domain ? -1 : 1;
	if (x->addr.bus != y->addr.bus)
		return x->addr.bus - y->addr.bus;
	if (x->addr.slot != y->addr.slot)
		return x->addr.slot - y->addr.slot;
	return x->addr.func - y->addr.func;
}

/* before reading: may this name matter? after reading: does this device matter? */
struct scan_filter {
	bool (*name)(const struct request *req, const char *name);
	bool (*dev)(const struct request *req, const struct pci_dev *d);
};

struct scan_state {
	const struct request *req;
	const struct scan_filter *f;
	struct pci_list *list;
	struct pci_seen_list *seen;
};

/* is @name what the kernel calls the function at @a ("%04x:%02x:%02x.%d")? */
static bool name_canonical(const char *name, const struct pci_addr *a)
{
	char buf[PCI_NAME_MAX];
	const char *c;

	/* 12 characters that parse: a 4-digit domain; canonical unless a digit is upper case */
	if (strlen(name) == 12) {
		for (c = name; *c; c++)
			if (*c >= 'A' && *c <= 'F')
				break;
		if (!*c)
			return true;
	}
	addr_format(a, buf, sizeof(buf));
	return !strcmp(buf, name);
}

/* note a function in @seen: @d when its uevent was read, else only its name */
static void seen_add(struct pci_seen_list *seen, const char *name, const struct pci_dev *d)
{
	struct pci_seen *r;
	struct pci_addr a;

	if (!seen || !seen->valid)
		return;
	if (d)
		a = d->addr;
	else if (addr_parse(name, &a, false) < 0)
		return;		/* no function: nothing later looks at it either */
	if (!name_canonical(name, &a)) {
		seen->valid = false;
		return;
	}
	if (seen->n == seen->cap) {
		/* few, large steps: each copy touches fresh pages, and capacity not used is free */
		size_t cap = seen->cap ? seen->cap * 8 : 128;
		struct pci_seen *n = realloc(seen->f, cap * sizeof(*n));

		if (!n) {
			seen->valid = false;
			return;
		}
		seen->f = n;
		seen->cap = cap;
	}
	r = &seen->f[seen->n++];
	memset(r, 0, sizeof(*r));
	r->addr = a;
	if (d) {
		r->id = d->id;
		r->class = d->class;
		r->read = true;
	}
}

static int scan_one(int dirfd, const char *name, void *data)
{
	struct scan_state *st = data;
	const struct scan_filter *f = st->f;
	struct pci_dev tmp, *d;

	if (strlen(name) >= PCI_NAME_MAX)
		return 0;
	if (f && f->name && !f->name(st->req, name)) {
		seen_add(st->seen, name, NULL);
		return 0;
	}
	dev_init(&tmp, name);
	if (uevent_read(dirfd, name, &tmp) < 0) {
		seen_add(st->seen, name, NULL);
		return 0;
	}
	seen_add(st->seen, name, &tmp);
	if (f && f->dev && !f->dev(st->req, &tmp))
		return 0;
	/* only for the devices that matter: one readlink */
	dev_driver_at(dirfd, name, &tmp);
	d = list_add(st->list);
	if (!d)
		return -ENOMEM;
	*d = tmp;
	return 0;
}

static int scan(struct vb_ctx *ctx, const struct request *req, const struct scan_filter *f,
		struct pci_list *list, struct pci_seen_list *seen)
{
	struct scan_state st = { req, f, list, seen };
	char path[PATH_MAX];
	int err;

	err = path_fmt(path, sizeof(path), "%s/bus/pci/devices", ctx->sysfs);
	if (err < 0)
		return err;
	err = dir_for_each(path, scan_one, &st);
	if (err < 0 && err != -ENOMEM) {
		log_err("cannot read %s: %s", path, strerror(-err));
		return err;
	}
	if (err < 0)
		return err;
	if (list->n > 1)
		qsort(list->dev, list->n, sizeof(*list->dev), dev_cmp);
	return 0;
}

int pci_scan(struct vb_ctx *ctx, struct pci_list *list)
{
	return scan(ctx, NULL, NULL, list, NULL);
}

static bool named_by_selector(const struct request *req, const char *name)
{
	struct pci_addr a;
	size_t i;

	if (addr_parse(name, &a, false) < 0)
		return false;
	for (i = 0; i < req->nsel; i++)
		if (req->sel[i].kind != SEL_EXCLUDE && req->sel[i].kind != SEL_ID &&
		    addr_match(&req->sel[i].addr, &a))
			return true;
	return false;
}

static bool selected(const struct request *req, const struct pci_dev *d)
{
	size_t i;

	for (i = 0; i < req->nsel; i++) {
		if (sel_matches(&req->sel[i], d))
			return true;
	}
	return false;
}

int pci_scan_selected(struct vb_ctx *ctx, const struct request *req, struct pci_list *list,
		      struct pci_seen_list *seen)
{
	static const struct scan_filter by_name = { named_by_selector, NULL };
	static const struct scan_filter by_dev = { NULL, selected };
	size_t i;

	if (seen) {
		seen->n = 0;
		seen->valid = true;
	}
	/* with no ID selector, only the named functions are read at all */
	for (i = 0; i < req->nsel; i++)
		if (req->sel[i].kind == SEL_ID)
			return scan(ctx, req, &by_dev, list, seen);
	return scan(ctx, req, &by_name, list, seen);
}

void pci_list_free(struct pci_list *list)
{
	free(list->dev);
	memset(list, 0, sizeof(*list));
}

void pci_seen_free(struct pci_seen_list *seen)
{
	free(seen->f);
	memset(seen, 0, sizeof(*seen));
}

const struct pci_seen *pci_seen_find(const struct pci_seen_list *seen, const char *name)
{
	struct pci_addr a;
	size_t i;

	if (!seen || !seen->n || addr_parse(name, &a, false) < 0)
		return NULL;
	for (i = 0; i < seen->n; i++) {
		const struct pci_seen *r = &seen->f[i];

		if (r->read && r->addr.domain == a.domain && r->addr.bus == a.bus &&
		    r->addr.slot == a.slot && r->addr.func == a.func)
			return r;
	}
	return NULL;
}

int pci_read_dev_seen(const struct pci_seen_list *seen, int dirfd, const char *name,
		      struct pci_dev *d)
{
	const struct pci_seen *r = pci_seen_find(seen, name);

	if (!r || strlen(name) >= PCI_NAME_MAX)
		return pci_read_dev_at(dirfd, name, d);
	dev_init(d, name);
	d->addr = r->addr;
	d->id = r->id;
	d->class = r->class;
	dev_driver_at(dirfd, name, d);
	return 0;
}

int pci_read_driver(struct vb_ctx *ctx, struct pci_dev *d)
{
	char path[PATH_MAX];
	int err;

	err = pci_dev_path(ctx, d, "driver", path, sizeof(path));
	if (err < 0)
		return err;
	return driver_read_at(AT_FDCWD, path, d);
}

int pci_read_group(struct vb_ctx *ctx, struct pci_dev *d)
{
	char path[PATH_MAX], name[32];
	int err;

	if (d->group != -2)
		return 0;
	d->group = -1;
	err = pci_dev_path(ctx, d, "iommu_group", path, sizeof(path));
	if (err < 0)
		return err;
	if (read_link_name(path, name, sizeof(name)) == 0)
		d->group = atoi(name);
	return 0;
}

int pci_read_boot_vga(struct vb_ctx *ctx, struct pci_dev *d)
{
	char path[PATH_MAX], buf[8];
	int err;

	if (d->boot_vga != -1)
		return 0;
	d->boot_vga = 0;
	/* only display devices have the attribute */
	if (d->class >> 16 != 0x03)
		return 0;
	err = pci_dev_path(ctx, d, "boot_vga", path, sizeof(path));
	if (err < 0)
		return err;
	if (read_attr(path, buf, sizeof(buf)) > 0)
		d->boot_vga = buf[0] == '1';
	return 0;
}
