// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Does the running system stand on a PCI function? One verdict for suggest, add, claim and
 * check --next-boot, from the kernel's own answers:
 *   block    every block device under the function (partitions; an NVMe multipath head
 *            through its subsystem's controller links): an exclusive open that fails with
 *            EBUSY (as mkfs and wipefs ask: mounted, swap, md/dm/bcache/btrfs member, zpool
 *            vdev), holders/ (walked with a visited set), mountinfo, swaps, SYSFS/fs/btrfs;
 *   network  an interface under the function, or one above it (bridge, bond, VLAN, macvlan:
 *            upper_* and master links), that is up with an address that is not link-local,
 *            carries a route, or reaches the server of an NFS mount or an iSCSI session;
 *   SR-IOV   a PF one of whose VFs is in use;
 *   display  the framebuffer the console (fbcon) is on, or the boot VGA with a DRM driver
 *            under fbcon.
 * Everything is read under ctx->sysfs, ctx->proc and ctx->root; every name read there is
 * checked before it becomes part of a path.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inuse.h"
#include "sysfs.h"

#define NODES_MAX	256	/* block devices and holders; interfaces and uppers */
#define MOUNTS_MAX	1024	/* those that can be on a device: not proc, tmpfs, cgroup... */
#define ROUTES_MAX	512
#define ADDRS_MAX	256
#define MEMBERS_MAX	16
#define IFC_MAX		16	/* IFNAMSIZ */
#define INUSE_BUF	(256 * 1024)
#define RTF_GATEWAY	0x0002
#define RTF_LOCAL6	0x80000000u

struct node {
	char name[NAME_MAX + 1];
	char devno[16];		/* block: "MAJ:MIN" */
	int root;		/* the function's own device it was reached from */
	int parent;		/* whose holders/ (upper_*, master) named it; -1: its own */
	int disk;		/* a partition's disk among the own devices, else -1 */
	int err;		/* exclusive open: 0, -EBUSY, another -errno; 1 not tried */
	int mount;		/* mounted: index in mounts, else -1 */
	int btrfs;		/* member of a mounted btrfs: its mount, -2 not found, -1 none */
	bool swap;
	bool has_parts;
};

struct mnt {
	char devno[16];
	char point[128];
	char fstype[24];
	char source[160];
	char addr[48];		/* nfs: the server's address (addr= of the super options) */
};

struct route {
	char ifc[IFC_MAX];
	int family;
	uint8_t dest[16];
	unsigned plen;
	unsigned long flags;
};

struct addr {
	char ifc[IFC_MAX];
	int family;
	uint8_t a[16];
	unsigned plen;
};

struct verdict {
	struct vb_ctx *ctx;
	char *buf;
	char *why;
	size_t size;
	const char *prefix;	/* "its VF 0000:3b:02.0: " */
	unsigned items;
	bool loaded;
	struct mnt mnt[MOUNTS_MAX];
	size_t nmnt;
	struct route rt[ROUTES_MAX];
	size_t nrt;
	struct addr ad[ADDRS_MAX];
	size_t nad;
	char pools[4][64];	/* imported zfs pools */
	size_t npools;
	struct node n[NODES_MAX];
	size_t nn;
	bool cut;		/* the walk stopped at NODES_MAX */
	const char *pci;
};

static void add_item(struct verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_item(struct verdict *v, const char *fmt, ...)
{
	size_t n = strlen(v->why);
	va_list ap;

	if (n + 1 >= v->size)
		return;
	snprintf(v->why + n, v->size - n, "%s%s", n ? "; " : "", v->prefix);
	n = strlen(v->why);
	va_start(ap, fmt);
	vsnprintf(v->why + n, v->size - n, fmt, ap);
	va_end(ap);
	v->items++;
}

/* does the link target @t (relative, as sysfs writes them) go through the function @pci? */
static bool through(const char *t, const char *pci)
{
	size_t cl = strlen(pci);

	for (const char *p = strstr(t, pci); p; p = strstr(p + 1, pci))
		if (p > t && p[-1] == '/' && (p[cl] == '/' || !p[cl]))
			return true;
	return false;
}

static int target(const char *path, char *buf, size_t size)
{
	ssize_t n = readlinkat(AT_FDCWD, path, buf, size - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* the component of @t after @comp/, into @out */
static bool comp_after(const char *t, const char *comp, char *out, size_t size)
{
	const char *p = strstr(t, comp);
	size_t len;

	if (!p)
		return false;
	p += strlen(comp);
	len = strcspn(p, "/");
	if (!len || len >= size)
		return false;
	memcpy(out, p, len);
	out[len] = '\0';
	return name_is_safe(out);
}

static int find_node(struct verdict *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nn; i++)
		if (!strcmp(v->n[i].name, name))
			return (int)i;
	return -1;
}

static int add_node(struct verdict *v, const char *name, int root, int parent)
{
	struct node *n;
	int i = find_node(v, name);

	if (i >= 0)
		return i;
	if (v->nn == NODES_MAX) {
		v->cut = true;
		return -1;
	}
	n = &v->n[v->nn];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->root = root < 0 ? (int)v->nn : root;
	n->parent = parent;
	n->disk = -1;
	n->err = 1;
	n->mount = -1;
	n->btrfs = -1;
	return (int)v->nn++;
}

/* --- what the running system has: mounts, swaps, routes, addresses, zfs pools ------------ */

static char *next_line(char **p)
{
	char *line = *p, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = NULL;
	}
	return line;
}

static int read_proc(struct verdict *v, const char *file)
{
	char path[PATH_MAX];

	if (path_fmt(path, sizeof(path), "%s/%s", v->ctx->proc, file) < 0)
		return -ENAMETOOLONG;
	return read_file(path, v->buf, INUSE_BUF);
}

static void pool_add(struct verdict *v, const char *name, size_t len)
{
	size_t i;

	if (!len || len >= sizeof(v->pools[0]))
		return;
	for (i = 0; i < v->npools; i++)
		if (strlen(v->pools[i]) == len && !strncmp(v->pools[i], name, len))
			return;
	if (v->npools < 4) {
		memcpy(v->pools[v->npools], name, len);
		v->pools[v->npools++][len] = '\0';
	}
}

/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS */
static void load_mounts(struct verdict *v)
{
	char *p = v->buf, *line;

	if (read_proc(v, "self/mountinfo") < 0)
		return;
	while ((line = next_line(&p)) && v->nmnt < MOUNTS_MAX) {
		struct mnt *m = &v->mnt[v->nmnt];
		char *w[6], *t[3] = { NULL, NULL, NULL }, *sep = strstr(line, " - "), *a;

		if (!sep)
			continue;
		*sep = '\0';
		if (split_words(line, w, 6) < 5 || split_words(sep + 3, t, 3) < 2)
			continue;
		/* proc, tmpfs, cgroup...: no device (btrfs has 0:N too, and names one) */
		if (!strncmp(w[2], "0:", 2) && strncmp(t[1], "/dev/", 5) && strcmp(t[0], "zfs") &&
		    strncmp(t[0], "nfs", 3))
			continue;
		memset(m, 0, sizeof(*m));
		snprintf(m->devno, sizeof(m->devno), "%s", w[2]);
		snprintf(m->point, sizeof(m->point), "%s", w[4]);
		snprintf(m->fstype, sizeof(m->fstype), "%s", t[0]);
		snprintf(m->source, sizeof(m->source), "%s", t[1]);
		if (!strcmp(t[0], "zfs"))
			pool_add(v, t[1], strcspn(t[1], "/@"));
		if (!strncmp(t[0], "nfs", 3) && t[2] && (a = strstr(t[2], "addr="))) {
			/* "...,addr=10.0.0.1,..." (clientaddr= is ours, mountaddr= the mountd) */
			for (; a; a = strstr(a + 1, "addr="))
				if (a == t[2] || a[-1] == ',')
					break;
			if (a)
				snprintf(m->addr, sizeof(m->addr), "%.*s", (int)strcspn(a + 5, ","),
					 a + 5);
		}
		if (!strncmp(t[0], "nfs", 3) && !m->addr[0] && t[1][0] != '[')
			snprintf(m->addr, sizeof(m->addr), "%.*s", (int)strcspn(t[1], ":"), t[1]);
		v->nmnt++;
	}
}

/* @n bytes from 2n hex digits, in the order written */
static bool hex_bytes(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	if (strlen(s) != 2 * n)
		return false;
	for (i = 0; i < n; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static bool hex_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	*out = strtoul(s, &end, 16);
	return *s && !*end;
}

/* a 32-bit value /proc printed with %08X from memory: its bytes as they are in memory */
static bool hex_be32(const char *s, uint8_t *out)
{
	unsigned long x;
	uint32_t u;

	if (strlen(s) != 8 || !hex_ulong(s, &x))
		return false;
	u = (uint32_t)x;
	memcpy(out, &u, 4);
	return true;
}

static unsigned mask_len(const uint8_t *m)
{
	unsigned n = 0, i;

	for (i = 0; i < 4; i++)
		for (int b = 7; b >= 0 && (m[i] >> b & 1); b--)
			n++;
	return n;
}

static bool ifc_ok(const char *s)
{
	return strlen(s) < IFC_MAX && name_is_safe(s);
}

static void load_routes(struct verdict *v)
{
	char *p = v->buf, *line;

	/* Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT (hex) */
	if (read_proc(v, "net/route") >= 0) {
		while ((line = next_line(&p)) && v->nrt < ROUTES_MAX) {
			struct route *r = &v->rt[v->nrt];
			uint8_t mask[4];
			char *w[8];

			if (split_words(line, w, 8) < 8 || !ifc_ok(w[0]) ||
			    !hex_be32(w[1], r->dest) || !hex_be32(w[7], mask) ||
			    !hex_ulong(w[3], &r->flags))
				continue;
			snprintf(r->ifc, sizeof(r->ifc), "%s", w[0]);
			r->family = 4;
			r->plen = mask_len(mask);
			v->nrt++;
		}
	}
	/* DEST PLEN SRC SLEN NEXTHOP METRIC REFCNT USE FLAGS IFACE */
	p = v->buf;
	if (read_proc(v, "net/ipv6_route") >= 0) {
		while ((line = next_line(&p)) && v->nrt < ROUTES_MAX) {
			struct route *r = &v->rt[v->nrt];
			unsigned long plen;
			char *w[10];

			if (split_words(line, w, 10) < 10 || !ifc_ok(w[9]) ||
			    !hex_bytes(w[0], r->dest, 16) || !hex_ulong(w[1], &plen) ||
			    plen > 128 || !hex_ulong(w[8], &r->flags))
				continue;
			/* link-local and multicast routes come with every interface up */
			if ((r->dest[0] == 0xfe && (r->dest[1] & 0xc0) == 0x80) ||
			    r->dest[0] == 0xff || (r->flags & RTF_LOCAL6) || !strcmp(w[9], "lo"))
				continue;
			snprintf(r->ifc, sizeof(r->ifc), "%s", w[9]);
			r->family = 6;
			r->plen = (unsigned)plen;
			v->nrt++;
		}
	}
}

static bool in_prefix(const uint8_t *a, const uint8_t *net, unsigned plen)
{
	unsigned i;

	for (i = 0; i < plen / 8; i++)
		if (a[i] != net[i])
			return false;
	return plen % 8 == 0 || !((a[i] ^ net[i]) & (0xff << (8 - plen % 8)));
}

/* the route the kernel would pick for @a: the longest prefix (metrics aside) */
static const struct route *route_to(struct verdict *v, int family, const uint8_t *a,
				    bool connected)
{
	const struct route *best = NULL;
	size_t i;

	for (i = 0; i < v->nrt; i++) {
		const struct route *r = &v->rt[i];

		if (r->family != family || (connected && (r->flags & RTF_GATEWAY)) ||
		    !in_prefix(a, r->dest, r->plen))
			continue;
		if (!best || r->plen > best->plen)
			best = r;
	}
	return best;
}

static bool parse_ip4(const char *s, uint8_t *a)
{
	unsigned long x;
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9')
			return false;
		x = strtoul(s, &end, 10);
		if (x > 255 || (i < 3 && *end != '.') || (i == 3 && *end))
			return false;
		a[i] = (uint8_t)x;
		s = end + 1;
	}
	return true;
}

/*
 * IPv4 addresses: the LOCAL leaves of /proc/net/fib_trie ("|-- 10.0.0.5" then "/32 host
 * LOCAL"), each on the interface of the connected route that holds it. IPv6: if_inet6.
 */
static void load_addrs(struct verdict *v)
{
	char *p = v->buf, *line, leaf[20] = "";

	if (read_proc(v, "net/fib_trie") >= 0) {
		while ((line = next_line(&p)) && v->nad < ADDRS_MAX) {
			char *s = line + strspn(line, " |+-`");
			const struct route *r;
			struct addr *ad = &v->ad[v->nad];
			size_t i;

			if (!strncmp(line + strspn(line, " "), "|--", 3) ||
			    !strncmp(line + strspn(line, " "), "+--", 3)) {
				snprintf(leaf, sizeof(leaf), "%.*s", (int)strcspn(s, " "), s);
				continue;
			}
			if (*s != '/' || !strstr(s, " LOCAL") || !strstr(s, "/32 host") ||
			    !parse_ip4(leaf, ad->a) || ad->a[0] == 127)
				continue;
			for (i = 0; i < v->nad; i++)
				if (v->ad[i].family == 4 && !memcmp(v->ad[i].a, ad->a, 4))
					break;
			r = route_to(v, 4, ad->a, true);
			if (i < v->nad || !r)
				continue;
			snprintf(ad->ifc, sizeof(ad->ifc), "%s", r->ifc);
			ad->family = 4;
			ad->plen = r->plen;
			v->nad++;
		}
	}
	/* ADDR IFINDEX PLEN SCOPE FLAGS NAME */
	p = v->buf;
	if (read_proc(v, "net/if_inet6") >= 0) {
		while ((line = next_line(&p)) && v->nad < ADDRS_MAX) {
			struct addr *ad = &v->ad[v->nad];
			unsigned long plen;
			char *w[6];

			if (split_words(line, w, 6) < 6 || !ifc_ok(w[5]) ||
			    !hex_bytes(w[0], ad->a, 16) || !hex_ulong(w[2], &plen) || plen > 128)
				continue;
			if ((ad->a[0] == 0xfe && (ad->a[1] & 0xc0) == 0x80) || !strcmp(w[5], "lo"))
				continue;
			snprintf(ad->ifc, sizeof(ad->ifc), "%s", w[5]);
			ad->family = 6;
			ad->plen = (unsigned)plen;
			v->nad++;
		}
	}
}

static int pool_fn(int dirfd, const char *name, void *data)
{
	struct verdict *v = data;
	char path[NAME_MAX + 8];

	/* a pool's directory has its "state" (txgs on older releases); arcstats etc. are files */
	if (!name_is_safe(name) || path_fmt(path, sizeof(path), "%s/state", name) < 0)
		return 0;
	if (!faccessat(dirfd, path, F_OK, 0) ||
	    (path_fmt(path, sizeof(path), "%s/txgs", name) >= 0 &&
	     !faccessat(dirfd, path, F_OK, 0)))
		pool_add(v, name, strlen(name));
	return 0;
}

static void load(struct verdict *v)
{
	char path[PATH_MAX];

	if (v->loaded)
		return;
	v->loaded = true;
	load_mounts(v);
	load_routes(v);
	load_addrs(v);
	if (path_fmt(path, sizeof(path), "%s/spl/kstat/zfs", v->ctx->proc) >= 0)
		dir_for_each(path, pool_fn, v);
}

/* --- block devices ------------------------------------------------------------------------ */

static bool ctrl_name(const char *s)
{
	return !strncmp(s, "nvme", 4) && s[4] && strspn(s + 4, "0123456789") == strlen(s + 4);
}

struct subsys {
	const char *pci;
	bool hit;
};

static int subsys_fn(int dirfd, const char *name, void *data)
{
	struct subsys *s = data;
	char t[PATH_MAX];
	ssize_t n;

	if (!ctrl_name(name))
		return 0;
	n = readlinkat(dirfd, name, t, sizeof(t) - 1);
	if (n <= 0)
		return 0;
	t[n] = '\0';
	if (!through(t, s->pci))
		return 0;
	s->hit = true;
	return 1;
}

/* an NVMe subsystem one of whose controllers (its nvmeN links) is under the function */
static bool subsys_through(struct verdict *v, const char *sub)
{
	struct subsys s = { v->pci, false };
	char path[PATH_MAX];

	if (path_fmt(path, sizeof(path), "%s/devices/virtual/nvme-subsystem/%s", v->ctx->sysfs,
		     sub) < 0)
		return false;
	dir_for_each(path, subsys_fn, &s);
	return s.hit;
}

static int own_block_fn(int dirfd, const char *name, void *data)
{
	struct verdict *v = data;
	char t[PATH_MAX], sub[NAME_MAX + 1];
	ssize_t n;

	if (!name_is_safe(name))
		return 0;
	n = readlinkat(dirfd, name, t, sizeof(t) - 1);
	if (n <= 0)
		return 0;
	t[n] = '\0';
	/* native multipath: the head (and its partitions) lives under its subsystem */
	if (through(t, v->pci) ||
	    (comp_after(t, "/nvme-subsystem/", sub, sizeof(sub)) && subsys_through(v, sub)))
		add_node(v, name, -1, -1);
	return 0;
}

struct holders {
	struct verdict *v;
	int from;
};

static int holder_fn(int dirfd, const char *name, void *data)
{
	struct holders *h = data;

	if (name_is_safe(name) && strlen(name) <= NAME_MAX)
		add_node(h->v, name, h->v->n[h->from].root, h->from);
	return h->v->cut;
}

static int block_attr(struct verdict *v, const char *name, const char *attr, char *buf,
		      size_t size)
{
	char path[PATH_MAX];

	if (path_fmt(path, sizeof(path), "%s/class/block/%s/%s", v->ctx->sysfs, name, attr) < 0)
		return -ENAMETOOLONG;
	return read_attr(path, buf, size);
}

static bool devno_ok(const char *s)
{
	size_t a = strspn(s, "0123456789");

	return a && s[a] == ':' && s[a + 1] && strspn(s + a + 1, "0123456789") == strlen(s + a + 1);
}

/* DEVNAME= of the uevent: a relative path of safe names ("sda1", "cciss/c0d0") */
static bool devname(struct verdict *v, const char *name, char *out, size_t size)
{
	char buf[1024], *p = buf, *line, *s;

	if (block_attr(v, name, "uevent", buf, sizeof(buf)) < 0)
		return false;
	while ((line = next_line(&p))) {
		if (strncmp(line, "DEVNAME=", 8))
			continue;
		snprintf(out, size, "%s", line + 8);
		for (s = strtok(line + 8, "/"); s; s = strtok(NULL, "/"))
			if (!name_is_safe(s))
				return false;
		return out[0] && out[0] != '/';
	}
	return false;
}

/* open the device node exclusively, as mkfs and wipefs do: EBUSY means someone holds it */
static int excl_open(struct verdict *v, struct node *n)
{
	char path[PATH_MAX], dn[NAME_MAX + 1];
	int fd = -1, err = -ENOENT;

	if (devno_ok(n->devno) &&
	    path_fmt(path, sizeof(path), "%s/dev/block/%s", v->ctx->root, n->devno) >= 0) {
		fd = openat(AT_FDCWD, path, O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK);
		err = fd < 0 ? -errno : 0;
	}
	/* /dev/block/ is udev's; devtmpfs names the node after the kernel's DEVNAME */
	if (err == -ENOENT && devname(v, n->name, dn, sizeof(dn)) &&
	    path_fmt(path, sizeof(path), "%s/dev/%s", v->ctx->root, dn) >= 0) {
		fd = openat(AT_FDCWD, path, O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK);
		err = fd < 0 ? -errno : 0;
	}
	if (fd >= 0)
		close(fd);
	return err;
}

/* the node a mount's or swap's source names: by number, /dev/NAME or /dev/mapper/NAME */
static int node_of(struct verdict *v, const char *devno, const char *source)
{
	char dm[160];
	size_t i;

	for (i = 0; devno && strncmp(devno, "0:", 2) && i < v->nn; i++)
		if (v->n[i].devno[0] && !strcmp(v->n[i].devno, devno))
			return (int)i;
	if (!source || strncmp(source, "/dev/", 5))
		return -1;
	if (strncmp(source, "/dev/mapper/", 12))
		return name_is_safe(source + 5) ? find_node(v, source + 5) : -1;
	for (i = 0; i < v->nn; i++)
		if (!strncmp(v->n[i].name, "dm-", 3) &&
		    block_attr(v, v->n[i].name, "dm/name", dm, sizeof(dm)) >= 0 &&
		    !strcmp(dm, source + 12))
			return (int)i;
	return -1;
}

static void match_swaps(struct verdict *v)
{
	char *p = v->buf, *line;

	/* "Filename Type Size Used Priority"; a swap file lives on a mount, seen there */
	if (read_proc(v, "swaps") < 0)
		return;
	while ((line = next_line(&p))) {
		char *w[1];
		int i;

		if (split_words(line, w, 1) == 1 && (i = node_of(v, NULL, w[0])) >= 0)
			v->n[i].swap = true;
	}
}

struct btrfs {
	struct verdict *v;
	char members[MEMBERS_MAX][NAME_MAX + 1];
	size_t n;
};

static int member_fn(int dirfd, const char *name, void *data)
{
	struct btrfs *b = data;

	if (b->n < MEMBERS_MAX && name_is_safe(name) && strlen(name) <= NAME_MAX)
		snprintf(b->members[b->n++], sizeof(b->members[0]), "%s", name);
	return 0;
}

/* SYSFS/fs/btrfs/FSID/devices/: the members of a mounted btrfs, as the kernel lists them */
static int btrfs_fn(int dirfd, const char *name, void *data)
{
	struct verdict *v = data;
	struct btrfs *b;
	char path[PATH_MAX];
	int mount = -2;
	size_t i, j;

	if (!name_is_safe(name) || !strcmp(name, "features") ||
	    path_fmt(path, sizeof(path), "%s/fs/btrfs/%s/devices", v->ctx->sysfs, name) < 0 ||
	    !(b = calloc(1, sizeof(*b))))
		return 0;
	b->v = v;
	dir_for_each(path, member_fn, b);
	/* the mount names one member (its device number is an anonymous 0:N) */
	for (i = 0; i < v->nmnt && mount == -2; i++) {
		const char *src = v->mnt[i].source;

		if (strcmp(v->mnt[i].fstype, "btrfs") || strncmp(src, "/dev/", 5))
			continue;
		for (j = 0; j < b->n; j++)
			if (!strcmp(src + 5, b->members[j]))
				mount = (int)i;
	}
	for (j = 0; j < b->n; j++) {
		int k = find_node(v, b->members[j]);

		if (k >= 0)
			v->n[k].btrfs = mount;
	}
	free(b);
	return 0;
}

static void describe(struct verdict *v, const struct node *h, char *out, size_t size)
{
	char val[160], esc[96], uuid[160];
	size_t n;

	out[0] = '\0';
	if (block_attr(v, h->name, "dm/name", val, sizeof(val)) >= 0) {
		const char *what = "device-mapper";

		str_escape(esc, sizeof(esc), val, 60);
		if (block_attr(v, h->name, "dm/uuid", uuid, sizeof(uuid)) < 0)
			uuid[0] = '\0';
		n = strlen(uuid);
		if (!strncmp(uuid, "LVM-", 4)) {
			if (n > 6 && !strcmp(uuid + n - 6, "-tpool"))
				what = "LVM thin pool";
			else if (n > 6 && (!strcmp(uuid + n - 6, "-tdata") ||
					   !strcmp(uuid + n - 6, "-tmeta")))
				what = "LVM thin pool's own volume";
			else
				what = "LVM";
		} else if (!strncmp(uuid, "CRYPT-", 6)) {
			what = "dm-crypt";
		} else if (!strncmp(uuid, "mpath-", 6)) {
			what = "multipath";
		}
		snprintf(out, size, "%s, %s", esc, what);
	} else if (block_attr(v, h->name, "md/level", val, sizeof(val)) >= 0) {
		str_escape(out, size, val, 20);
	} else if (!strncmp(h->name, "bcache", 6)) {
		snprintf(out, size, "bcache");
	}
	if (h->mount >= 0) {
		n = strlen(out);
		snprintf(out + n, size - n, "%smounted on %s", n ? ", " : "",
			 v->mnt[h->mount].point);
	} else if (h->swap) {
		n = strlen(out);
		snprintf(out + n, size - n, "%sswap", n ? ", " : "");
	}
}

/* the holder that says most about why @r is held: mounted, swap, a thin pool, the first */
static int best_holder(struct verdict *v, int r)
{
	int best = -1, rank = 0;
	size_t i;

	for (i = 0; i < v->nn; i++) {
		const struct node *h = &v->n[i];
		char uuid[160];
		int k = 1;

		if (h->root != r || h->parent < 0)
			continue;
		if (h->mount >= 0)
			k = 4;
		else if (h->swap)
			k = 3;
		else if (block_attr(v, h->name, "dm/uuid", uuid, sizeof(uuid)) >= 0 &&
			 strlen(uuid) > 6 && !strcmp(uuid + strlen(uuid) - 6, "-tpool"))
			k = 2;
		if (k > rank) {
			rank = k;
			best = (int)i;
		}
	}
	return best;
}

static bool pool_label(struct verdict *v, const struct node *n, char *out, size_t size)
{
	char path[PATH_MAX], buf[4096], *p = buf, *line;
	bool zfs = false;

	/* udev's database, where blkid left what it read of the label */
	if (!devno_ok(n->devno) ||
	    path_fmt(path, sizeof(path), "%s/run/udev/data/b%s", v->ctx->root, n->devno) < 0 ||
	    read_file(path, buf, sizeof(buf)) < 0)
		return false;
	out[0] = '\0';
	while ((line = next_line(&p))) {
		if (!strcmp(line, "E:ID_FS_TYPE=zfs_member"))
			zfs = true;
		else if (!strncmp(line, "E:ID_FS_LABEL=", 14))
			str_escape(out, size, line + 14, 60);
	}
	return zfs && out[0];
}

/* one item for an own block device, or none */
static bool block_item(struct verdict *v, int i, bool busy_too)
{
	const struct node *n = &v->n[i];
	char desc[256], label[96];
	int h;

	if (n->mount >= 0) {
		add_item(v, "%s mounted on %s (%s)", n->name, v->mnt[n->mount].point,
			 v->mnt[n->mount].fstype);
		return true;
	}
	if (n->swap) {
		add_item(v, "%s swap", n->name);
		return true;
	}
	h = best_holder(v, i);
	if (h >= 0) {
		describe(v, &v->n[h], desc, sizeof(desc));
		add_item(v, "%s held by %s%s%s%s", n->name, v->n[h].name, desc[0] ? " (" : "",
			 desc, desc[0] ? ")" : "");
		return true;
	}
	if (n->btrfs >= 0) {
		add_item(v, "%s btrfs member, mounted on %s (btrfs)", n->name,
			 v->mnt[n->btrfs].point);
		return true;
	}
	if (n->btrfs == -2) {
		add_item(v, "%s member of a mounted btrfs", n->name);
		return true;
	}
	if (n->err != -EBUSY || !busy_too)
		return false;
	if (pool_label(v, n, label, sizeof(label)))
		add_item(v, "%s zfs pool %s", n->name, label);
	else if (v->npools == 1)
		add_item(v, "%s busy (exclusive open: %s): zfs pool %s is the only pool imported",
			 n->name, strerror(EBUSY), v->pools[0]);
	else
		add_item(v, "%s busy (exclusive open: %s)", n->name, strerror(EBUSY));
	return true;
}

static void check_block(struct verdict *v)
{
	char path[PATH_MAX], t[PATH_MAX], parent[NAME_MAX + 1];
	size_t own, i;

	if (path_fmt(path, sizeof(path), "%s/class/block", v->ctx->sysfs) < 0)
		return;
	v->nn = 0;
	v->cut = false;
	dir_for_each(path, own_block_fn, v);
	own = v->nn;
	if (!own)
		return;
	/* a partition's disk: the directory its link points into */
	for (i = 0; i < own; i++) {
		int d;

		if (path_fmt(path, sizeof(path), "%s/class/block/%s", v->ctx->sysfs,
			     v->n[i].name) < 0 || target(path, t, sizeof(t)) < 0)
			continue;
		if (!strrchr(t, '/'))
			continue;
		*strrchr(t, '/') = '\0';
		if (!strrchr(t, '/'))
			continue;
		snprintf(parent, sizeof(parent), "%s", strrchr(t, '/') + 1);
		d = find_node(v, parent);
		if (d >= 0 && (size_t)d < own) {
			v->n[i].disk = d;
			v->n[d].has_parts = true;
		}
	}
	/* up the holders, each device once, at most NODES_MAX: a cycle ends here */
	for (i = 0; i < v->nn && !v->cut; i++) {
		struct holders h = { v, (int)i };

		if (path_fmt(path, sizeof(path), "%s/class/block/%s/holders", v->ctx->sysfs,
			     v->n[i].name) >= 0)
			dir_for_each(path, holder_fn, &h);
	}
	for (i = 0; i < v->nn; i++)
		if (block_attr(v, v->n[i].name, "dev", v->n[i].devno, sizeof(v->n[i].devno)) < 0)
			v->n[i].devno[0] = '\0';
	for (i = 0; i < own; i++)
		v->n[i].err = excl_open(v, &v->n[i]);
	load(v);
	for (i = 0; i < v->nmnt; i++) {
		int k = node_of(v, v->mnt[i].devno, v->mnt[i].source);

		if (k >= 0 && v->n[k].mount < 0)
			v->n[k].mount = (int)i;
	}
	match_swaps(v);
	if (path_fmt(path, sizeof(path), "%s/fs/btrfs", v->ctx->sysfs) >= 0)
		dir_for_each(path, btrfs_fn, v);
	if (v->cut)
		add_item(v, "its block devices have more than %d holders (not walked further)",
			 NODES_MAX);
	/* partitions and lone disks first; a disk that is only busy for a partition is not news */
	for (i = 0; i < own; i++)
		if (!v->n[i].has_parts)
			block_item(v, (int)i, true);
	for (i = 0; i < own; i++) {
		size_t j;
		bool part_said = false;

		if (!v->n[i].has_parts)
			continue;
		for (j = 0; j < own; j++)
			part_said |= v->n[j].disk == (int)i && (v->n[j].mount >= 0 ||
				     v->n[j].swap || v->n[j].btrfs != -1 || v->n[j].err == -EBUSY ||
				     best_holder(v, (int)j) >= 0);
		block_item(v, (int)i, !part_said);
	}
}

/* --- network interfaces ------------------------------------------------------------------- */

static int own_net_fn(int dirfd, const char *name, void *data)
{
	struct verdict *v = data;
	char t[PATH_MAX];
	ssize_t n;

	if (!ifc_ok(name))
		return 0;
	n = readlinkat(dirfd, name, t, sizeof(t) - 1);
	if (n <= 0)
		return 0;
	t[n] = '\0';
	if (through(t, v->pci))
		add_node(v, name, -1, -1);
	return 0;
}

/* upper_NAME links (bridge, bond, VLAN, macvlan, team) and the master link */
static int upper_fn(int dirfd, const char *name, void *data)
{
	struct holders *h = data;
	char m[NAME_MAX + 1];

	if (!strncmp(name, "upper_", 6) && ifc_ok(name + 6))
		add_node(h->v, name + 6, h->v->n[h->from].root, h->from);
	else if (!strcmp(name, "master") && read_link_name_at(dirfd, name, m, sizeof(m)) >= 0 &&
		 ifc_ok(m))
		add_node(h->v, m, h->v->n[h->from].root, h->from);
	return h->v->cut;
}

static bool ifc_up(struct verdict *v, const char *name)
{
	char path[PATH_MAX], val[32];
	unsigned long flags;

	if (path_fmt(path, sizeof(path), "%s/class/net/%s/flags", v->ctx->sysfs, name) >= 0 &&
	    read_attr(path, val, sizeof(val)) >= 0 && hex_ulong(val, &flags))
		return flags & 1;	/* IFF_UP */
	if (path_fmt(path, sizeof(path), "%s/class/net/%s/operstate", v->ctx->sysfs, name) >= 0 &&
	    read_attr(path, val, sizeof(val)) >= 0)
		return strcmp(val, "down") != 0;
	return false;
}

/* 10.0.0.5/24; 2001:db8::10/64 (the longest run of zero groups folded, as RFC 5952) */
static void fmt_addr(int family, const uint8_t *a, unsigned plen, char *out, size_t size)
{
	int i, run = 0, at = -1, n = 0;
	size_t o = 0;

	if (family == 4) {
		snprintf(out, size, "%u.%u.%u.%u/%u", a[0], a[1], a[2], a[3], plen);
		return;
	}
	for (i = 0; i < 8; i++) {
		n = a[2 * i] || a[2 * i + 1] ? 0 : n + 1;
		if (n > run) {
			run = n;
			at = i - n + 1;
		}
	}
	for (i = 0; i < 8 && o < size; i++) {
		if (run > 1 && i == at) {
			o += snprintf(out + o, size - o, "::");
			i += run - 1;
			continue;
		}
		o += snprintf(out + o, size - o, "%s%x", o && out[o - 1] != ':' ? ":" : "",
			      a[2 * i] << 8 | a[2 * i + 1]);
	}
	if (o < size)
		snprintf(out + o, size - o, "/%u", plen);
}

static int node_ifc(struct verdict *v, size_t from, const char *ifc)
{
	size_t i;

	for (i = from; i < v->nn; i++)
		if (!strcmp(v->n[i].name, ifc))
			return (int)i;
	return -1;
}

/* the server of an NFS mount or an iSCSI session, reached through an interface of ours */
static bool reach_item(struct verdict *v, const char *what, const char *server, const char *of)
{
	const struct route *r;
	uint8_t a[16];
	char tmp[64];
	int k;

	snprintf(tmp, sizeof(tmp), "%s", server + (server[0] == '['));
	tmp[strcspn(tmp, "]")] = '\0';
	/* IPv4 only: an IPv6 server's interface has an address, which says it anyway */
	if (!parse_ip4(tmp, a))
		return false;
	r = route_to(v, 4, a, false);
	if (!r || (k = node_ifc(v, 0, r->ifc)) < 0)
		return false;
	if (k == v->n[k].root)
		add_item(v, "%s reaches %s %s%s", r->ifc, what, tmp, of);
	else
		add_item(v, "%s reaches %s %s%s (%s)", v->n[v->n[k].root].name, what, tmp, of,
			 r->ifc);
	return true;
}

struct iscsi {
	struct verdict *v;
	bool hit;
};

static int iscsi_fn(int dirfd, const char *name, void *data)
{
	struct iscsi *s = data;
	char path[NAME_MAX + 32], val[64];
	int fd;
	ssize_t n;

	if (!name_is_safe(name) ||
	    path_fmt(path, sizeof(path), "%s/persistent_address", name) < 0 ||
	    (fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, val, sizeof(val) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	val[n] = '\0';
	val[strcspn(val, "\n")] = '\0';
	s->hit |= reach_item(s->v, "the iSCSI target", val, "");
	return 0;
}

static void check_net(struct verdict *v)
{
	char path[PATH_MAX], a[64], of[160];
	size_t own, i, j;

	if (path_fmt(path, sizeof(path), "%s/class/net", v->ctx->sysfs) < 0)
		return;
	v->nn = 0;
	v->cut = false;
	dir_for_each(path, own_net_fn, v);
	own = v->nn;
	if (!own)
		return;
	for (i = 0; i < v->nn && !v->cut; i++) {
		struct holders h = { v, (int)i };

		if (path_fmt(path, sizeof(path), "%s/class/net/%s", v->ctx->sysfs,
			     v->n[i].name) >= 0)
			dir_for_each(path, upper_fn, &h);
	}
	load(v);
	for (i = 0; i < v->nmnt; i++) {
		if (!v->mnt[i].addr[0])
			continue;
		snprintf(of, sizeof(of), " of the NFS mount on %s", v->mnt[i].point);
		if (reach_item(v, "the server", v->mnt[i].addr, of))
			return;
	}
	if (path_fmt(path, sizeof(path), "%s/class/iscsi_connection", v->ctx->sysfs) >= 0) {
		struct iscsi s = { v, false };

		dir_for_each(path, iscsi_fn, &s);
		if (s.hit)
			return;
	}
	for (i = 0; i < own; i++) {
		const char *said = NULL;

		/* an address on it or on a device above it */
		for (j = 0; j < v->nn && !said; j++) {
			const struct node *u = &v->n[j];

			if (u->root != (int)i || !ifc_up(v, u->name))
				continue;
			for (size_t k = 0; k < v->nad; k++) {
				if (strcmp(v->ad[k].ifc, u->name))
					continue;
				fmt_addr(v->ad[k].family, v->ad[k].a, v->ad[k].plen, a, sizeof(a));
				if (j == i)
					add_item(v, "%s %s", u->name, a);
				else
					add_item(v, "%s %s (%s)", v->n[i].name, a, u->name);
				said = u->name;
				break;
			}
		}
		/* a route through it: the default route is one case of many */
		for (j = 0; j < v->nn && !said; j++) {
			const struct node *u = &v->n[j];
			const struct route *r = NULL;

			if (u->root != (int)i)
				continue;
			for (size_t k = 0; k < v->nrt; k++)
				if (!strcmp(v->rt[k].ifc, u->name) &&
				    (!r || v->rt[k].plen < r->plen))
					r = &v->rt[k];
			if (!r)
				continue;
			if (!r->plen)
				snprintf(a, sizeof(a), "the default route%s", r->family == 6 ?
					 " (IPv6)" : "");
			else
				fmt_addr(r->family, r->dest, r->plen, a, sizeof(a));
			add_item(v, "%s carries %s%s%s%s%s", v->n[i].name,
				 r->plen ? "a route to " : "", a, j == i ? "" : " (",
				 j == i ? "" : u->name, j == i ? "" : ")");
			said = u->name;
		}
	}
}

/* --- SR-IOV, the console ------------------------------------------------------------------ */

static void check_function(struct verdict *v, const char *pci);

static int vf_fn(int dirfd, const char *name, void *data)
{
	struct verdict *v = data;
	char vf[64], prefix[96];
	const char *saved = v->prefix, *pci = v->pci;

	/* a VF has no VFs of its own: one level only, whatever the tree says */
	if (saved[0] || strncmp(name, "virtfn", 6) ||
	    read_link_name_at(dirfd, name, vf, sizeof(vf)) < 0 || !name_is_safe(vf) ||
	    strlen(vf) >= PCI_NAME_MAX)
		return 0;
	snprintf(prefix, sizeof(prefix), "%sits VF %s: ", saved, vf);
	v->prefix = prefix;
	check_function(v, vf);
	v->prefix = saved;
	v->pci = pci;
	return 0;
}

struct console {
	struct verdict *v;
	bool fbcon;
	unsigned nfb;
	char fb[NAME_MAX + 1];
};

static int vtcon_fn(int dirfd, const char *name, void *data)
{
	struct console *c = data;
	char path[NAME_MAX + 8], val[64];
	int fd;
	ssize_t n;

	if (!name_is_safe(name) || path_fmt(path, sizeof(path), "%s/name", name) < 0 ||
	    (fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, val, sizeof(val) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	val[n] = '\0';
	if (!strstr(val, "frame buffer device") ||
	    path_fmt(path, sizeof(path), "%s/bind", name) < 0 ||
	    (fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, val, 1);
	close(fd);
	c->fbcon |= n == 1 && val[0] == '1';
	return c->fbcon;
}

static int graphics_fn(int dirfd, const char *name, void *data)
{
	struct console *c = data;
	char t[PATH_MAX];
	ssize_t n;

	if (strncmp(name, "fb", 2) || !name_is_safe(name))
		return 0;
	c->nfb++;
	n = readlinkat(dirfd, name, t, sizeof(t) - 1);
	if (n <= 0)
		return 0;
	t[n] = '\0';
	if (!through(t, c->v->pci))
		return 0;
	snprintf(c->fb, sizeof(c->fb), "%s", name);
	return 1;
}

static void check_console(struct verdict *v)
{
	struct console c = { v, false, 0, "" };
	char path[PATH_MAX], val[64], esc[80], drv[DRIVER_NAME_MAX];

	if (path_fmt(path, sizeof(path), "%s/class/vtconsole", v->ctx->sysfs) < 0)
		return;
	dir_for_each(path, vtcon_fn, &c);
	if (!c.fbcon)
		return;
	if (path_fmt(path, sizeof(path), "%s/class/graphics", v->ctx->sysfs) >= 0 &&
	    dir_for_each(path, graphics_fn, &c) > 0) {
		if (path_fmt(path, sizeof(path), "%s/class/graphics/%s/name", v->ctx->sysfs,
			     c.fb) < 0 || read_attr(path, val, sizeof(val)) < 0)
			val[0] = '\0';
		str_escape(esc, sizeof(esc), val, 40);
		add_item(v, "the console is on its display (%s%s%s)", c.fb, esc[0] ? " " : "", esc);
		return;
	}
	/*
	 * No framebuffer device to tell where fbcon is: the boot VGA with a DRM driver bound. A
	 * framebuffer elsewhere means the console is there.
	 */
	if (c.nfb || path_fmt(path, sizeof(path), "%s/bus/pci/devices/%s/boot_vga", v->ctx->sysfs,
		     v->pci) < 0 || read_attr(path, val, sizeof(val)) < 0 || strcmp(val, "1") ||
	    path_fmt(path, sizeof(path), "%s/bus/pci/devices/%s/driver", v->ctx->sysfs,
		     v->pci) < 0 || read_link_name(path, drv, sizeof(drv)) < 0 ||
	    !name_is_safe(drv) ||
	    path_fmt(path, sizeof(path), "%s/bus/pci/devices/%s/drm", v->ctx->sysfs, v->pci) < 0 ||
	    !path_exists(path))
		return;
	add_item(v, "the console is on its display (boot VGA on %s)", drv);
}

static void check_function(struct verdict *v, const char *pci)
{
	char path[PATH_MAX];

	v->pci = pci;
	check_block(v);
	v->pci = pci;
	check_net(v);
	v->pci = pci;
	if (path_fmt(path, sizeof(path), "%s/bus/pci/devices/%s", v->ctx->sysfs, pci) >= 0)
		dir_for_each(path, vf_fn, v);
}

int inuse_check(struct vb_ctx *ctx, const char *pci, char *why, size_t size)
{
	struct verdict *v;

	why[0] = '\0';
	if (!name_is_safe(pci))
		return 0;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->buf = malloc(INUSE_BUF);
	if (!v->buf) {
		free(v);
		return -ENOMEM;
	}
	v->ctx = ctx;
	v->why = why;
	v->size = size;
	v->prefix = "";
	check_function(v, pci);
	v->pci = pci;
	check_console(v);
	free(v->buf);
	free(v);
	return why[0] ? 1 : 0;
}
