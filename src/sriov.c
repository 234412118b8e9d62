// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SR-IOV virtual functions appear when someone writes sriov_numvfs, long after the initramfs.
 * The kernel probes a new VF at once unless its PF's sriov_drivers_autoprobe is 0; so at boot,
 * for each PF whose future VFs a selector could claim, vfio-bind sets it to 0 and the udev
 * rule's `vfio-bind hotplug` decides for each VF when it arrives (late.c).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sriov.h"
#include "sysfs.h"

/* A PCIe routing ID: bus << 8 | slot << 3 | function. */
static unsigned rid_of(const struct pci_addr *a)
{
	return (unsigned)a->bus << 8 | (unsigned)a->slot << 3 | a->func;
}

int sriov_vf_addr(const struct pci_addr *pf, const struct sriov_info *s, unsigned i,
		  struct pci_addr *vf)
{
	/* 64 bits: 0xffff + 0xffff + 0xffff * 0xffff would wrap a 32-bit long */
	uint64_t rid = (uint64_t)rid_of(pf) + s->offset + (uint64_t)i * s->stride;

	if (rid > 0xffff)
		return -ERANGE;
	memset(vf, 0, sizeof(*vf));
	vf->domain = pf->domain;
	vf->bus = rid >> 8;
	vf->slot = (rid >> 3) & 0x1f;
	vf->func = rid & 7;
	return 0;
}

int sriov_parse_uint(const char *text, int base, unsigned *out)
{
	unsigned long v;
	char *end;

	/* as the kernel prints it: digits only (no sign, no blank, nothing after) */
	if (!(base == 16 ? isxdigit((unsigned char)*text) : isdigit((unsigned char)*text)))
		return -EINVAL;
	errno = 0;
	v = strtoul(text, &end, base);
	if (errno || *end || v > 0xffff)
		return -EINVAL;
	*out = v;
	return 0;
}

int sriov_parse(const char *total, const char *offset, const char *stride,
		const char *vf_device, struct sriov_info *s)
{
	unsigned v;

	memset(s, 0, sizeof(*s));
	s->autoprobe = -1;
	if (!total || sriov_parse_uint(total, 10, &s->total) < 0 || !s->total)
		return -ENOENT;
	if (!offset || !stride || !vf_device || sriov_parse_uint(offset, 10, &s->offset) < 0 ||
	    sriov_parse_uint(stride, 10, &s->stride) < 0 ||
	    sriov_parse_uint(vf_device, 16, &v) < 0)
		return -EINVAL;
	s->vf_device = v;
	/* what the kernel's sriov_init() refuses: no VF of this PF will ever appear */
	if (!s->offset || (s->total > 1 && !s->stride))
		return -EINVAL;
	return 0;
}

/* @attr of @d, trailing blanks removed, into @buf; NULL when it cannot be read */
static const char *read_text(struct vb_ctx *ctx, const struct pci_dev *d, const char *attr,
			     char *buf, size_t size)
{
	char path[PATH_MAX];

	if (pci_dev_path(ctx, d, attr, path, sizeof(path)) < 0 || read_attr(path, buf, size) < 0)
		return NULL;
	return buf;
}

/* the capability alone (autoprobe -1): what the hold decides on */
static int read_caps(struct vb_ctx *ctx, const struct pci_dev *pf, struct sriov_info *s)
{
	char t[4][32];
	const char *total, *offset, *stride;

	total = read_text(ctx, pf, "sriov_totalvfs", t[0], sizeof(t[0]));
	if (!total) {
		memset(s, 0, sizeof(*s));
		return -ENOENT;
	}
	/* without offset and stride (kernels before 4.20) the addresses are unknown */
	offset = read_text(ctx, pf, "sriov_offset", t[1], sizeof(t[1]));
	stride = read_text(ctx, pf, "sriov_stride", t[2], sizeof(t[2]));
	return sriov_parse(total, offset, stride,
			   read_text(ctx, pf, "sriov_vf_device", t[3], sizeof(t[3])), s);
}

static void read_autoprobe(struct vb_ctx *ctx, const struct pci_dev *pf, struct sriov_info *s)
{
	char a[32];
	unsigned v;

	if (read_text(ctx, pf, "sriov_drivers_autoprobe", a, sizeof(a)) &&
	    sriov_parse_uint(a, 10, &v) == 0)
		s->autoprobe = v;
}

int sriov_read(struct vb_ctx *ctx, const struct pci_dev *pf, struct sriov_info *s)
{
	int err = read_caps(ctx, pf, s);

	if (err < 0)
		return err;
	read_autoprobe(ctx, pf, s);
	return 0;
}

/* does @s name the future VF @vf? its subsystem ID is not known yet */
static bool could_match(const struct selector *s, const struct pci_dev *vf)
{
	switch (s->kind) {
	case SEL_ID:
		return s->id.vendor == vf->id.vendor && s->id.device == vf->id.device;
	case SEL_ADDR:
		return addr_match(&s->addr, &vf->addr);
	case SEL_GUARD:
		/* a guard holding another ID would refuse it: nothing to hold back for */
		return addr_match(&s->addr, &vf->addr) && s->id.vendor == vf->id.vendor &&
		       s->id.device == vf->id.device;
	case SEL_EXCLUDE:
		return false;
	}
	return false;
}

static bool excluded(const struct request *req, const struct pci_dev *vf)
{
	size_t i;

	for (i = 0; i < req->nsel; i++)
		if (req->sel[i].kind == SEL_EXCLUDE && addr_match(&req->sel[i].addr, &vf->addr))
			return true;
	return false;
}

/* sriov_vf_wanted(), by the selectors @counts says (all when NULL) */
static bool vf_wanted(const struct request *req, const bool *counts, const struct pci_dev *pf,
		      const struct sriov_info *s, struct pci_dev *vf, const struct selector **by)
{
	struct pci_dev tmp;
	unsigned i;
	size_t k;

	for (i = 0; i < s->total; i++) {
		memset(&tmp, 0, sizeof(tmp));
		if (sriov_vf_addr(&pf->addr, s, i, &tmp.addr) < 0)
			break;
		tmp.id.vendor = pf->id.vendor;
		tmp.id.device = s->vf_device;
		tmp.class = pf->class;
		if (excluded(req, &tmp))
			continue;
		for (k = 0; k < req->nsel; k++) {
			if ((counts && !counts[k]) || !could_match(&req->sel[k], &tmp))
				continue;
			if (vf) {
				*vf = tmp;
				addr_format(&tmp.addr, vf->name, sizeof(vf->name));
			}
			if (by)
				*by = &req->sel[k];
			return true;
		}
	}
	return false;
}

bool sriov_vf_wanted(const struct request *req, const struct pci_dev *pf,
		     const struct sriov_info *s, struct pci_dev *vf, const struct selector **by)
{
	return vf_wanted(req, NULL, pf, s, vf, by);
}

/*
 * Could @s name some VF of the function at @pf, whose vendor is @vendor (-1: not read yet)?
 * A VF has its PF's vendor, its PF's domain and a routing ID above its PF's (offset >= 1,
 * sriov_parse). No read: it decides which functions are looked at at all.
 */
static bool may_name_vf(const struct selector *s, const struct pci_addr *pf, int vendor)
{
	unsigned top = rid_of(&s->addr) | (s->addr.any_func ? 7 : 0);
	bool addr = s->addr.domain == pf->domain && top > rid_of(pf);

	switch (s->kind) {
	case SEL_ID:
		return vendor < 0 || s->id.vendor == vendor;
	case SEL_ADDR:
		return addr;
	case SEL_GUARD:
		return addr && (vendor < 0 || s->id.vendor == vendor);
	case SEL_EXCLUDE:
		return false;
	}
	return false;
}

struct hold_walk {
	struct vb_ctx *ctx;
	const struct request *req;
	const bool *counts;	/* the selectors that can name a VF still to come */
	int held;
	struct sriov_pfs *pfs;	/* the PFs held, or (expect) each selector's PF */
	bool expect;		/* sriov_expected(): name the PFs, hold nothing */
};

static bool may_hold(const struct hold_walk *w, const struct pci_addr *pf, int vendor)
{
	size_t k;

	for (k = 0; k < w->req->nsel; k++)
		if (w->counts[k] && may_name_vf(&w->req->sel[k], pf, vendor))
			return true;
	return false;
}

/* each counted selector that could claim a VF of @pf, and has no PF yet, gets its name */
static void expect_one(struct hold_walk *w, const struct pci_dev *pf, const struct sriov_info *s)
{
	const struct request *req = w->req;
	bool *one = calloc(req->nsel, sizeof(*one));
	size_t k;

	if (!one)
		return;
	for (k = 0; k < req->nsel && k < SRIOV_PFS_MAX; k++) {
		if (!w->counts[k] || w->pfs->pf[k][0])
			continue;
		one[k] = true;
		if (vf_wanted(req, one, pf, s, NULL, NULL)) {
			snprintf(w->pfs->pf[k], PCI_NAME_MAX, "%s", pf->name);
			w->held++;
		}
		one[k] = false;
	}
	free(one);
}

static void hold_one(struct hold_walk *w, const struct pci_dev *pf)
{
	struct vb_ctx *ctx = w->ctx;
	const struct selector *by;
	struct sriov_info s;
	struct pci_dev vf;
	char path[PATH_MAX];
	int err;

	err = read_caps(ctx, pf, &s);
	/* kernels before 4.20 do not show where VFs will be */
	if (err == -EINVAL)
		log_debug("%s %04x:%04x: SR-IOV PF without usable sriov_offset/sriov_stride/"
			  "sriov_vf_device; its VFs are not held back", pf->name, pf->id.vendor,
			  pf->id.device);
	if (err < 0 || !vf_wanted(w->req, w->counts, pf, &s, &vf, &by))
		return;
	if (w->expect) {
		expect_one(w, pf, &s);
		return;
	}
	w->held++;
	if (w->pfs && w->pfs->n < SRIOV_PFS_MAX)
		snprintf(w->pfs->pf[w->pfs->n++], PCI_NAME_MAX, "%s", pf->name);
	read_autoprobe(ctx, pf, &s);
	if (s.autoprobe == 0) {
		log_info("%s %04x:%04x: sriov_drivers_autoprobe is 0 already; each new VF waits "
			 "for vfio-bind", pf->name, pf->id.vendor, pf->id.device);
		return;
	}
	if (pci_dev_path(ctx, pf, "sriov_drivers_autoprobe", path, sizeof(path)) < 0 ||
	    write_attr(ctx, path, "0") < 0) {
		log_err("%s %04x:%04x: cannot set sriov_drivers_autoprobe=0: VF drivers may take "
			"new VFs before vfio-bind", pf->name, pf->id.vendor, pf->id.device);
		return;
	}
	log_notice("%s %04x:%04x: %ssriov_drivers_autoprobe=0: '%s' may claim its VF %s "
		   "(%04x:%04x, %u VFs possible); each new VF waits for vfio-bind "
		   "(vfio_bind.sriov=0 turns this off)", pf->name, pf->id.vendor, pf->id.device,
		   ctx->dry_run ? "dry run: would set " : "", by->text, vf.name, vf.id.vendor,
		   vf.id.device, s.total);
}

/*
 * One function of the devices directory @dirfd, with what the scan read of it (@r, NULL when
 * unknown). The checks without a read first; then one faccessat (only PFs have the
 * attribute), the uevent when the scan did not read it, and the SR-IOV values.
 */
static void hold_try(struct hold_walk *w, int dirfd, const char *name, const struct pci_seen *r)
{
	char rel[PCI_NAME_MAX + 24];
	struct pci_addr a;
	struct pci_dev pf;

	if (strlen(name) >= PCI_NAME_MAX)
		return;
	if (r)
		a = r->addr;
	else if (addr_parse(name, &a, false) < 0)
		return;
	if (!may_hold(w, &a, r && r->read ? r->id.vendor : -1))
		return;
	if (path_fmt(rel, sizeof(rel), "%s/sriov_totalvfs", name) < 0 ||
	    faccessat(dirfd, rel, F_OK, 0) < 0)
		return;
	if (r && r->read) {
		memset(&pf, 0, sizeof(pf));
		snprintf(pf.name, sizeof(pf.name), "%s", name);
		pf.addr = r->addr;
		pf.id = r->id;
		pf.class = r->class;
	} else if (pci_read_dev_at(dirfd, name, &pf) < 0 || !may_hold(w, &pf.addr, pf.id.vendor)) {
		return;
	}
	hold_one(w, &pf);
}

static int hold_walk_one(int dirfd, const char *name, void *data)
{
	hold_try(data, dirfd, name, NULL);
	return 0;
}

/*
 * Can @s name a VF still to come? An ID or a slot always can, a function address where no
 * function is now too. Where a function is now, a VF can appear only when that function is
 * a VF itself (its PF may remove it and create it again): any other keeps its address.
 */
static bool names_future_vf(struct vb_ctx *ctx, const struct selector *s)
{
	char name[PCI_NAME_MAX], path[PATH_MAX], link[PATH_MAX];

	if (s->kind == SEL_EXCLUDE)
		return false;
	if (s->kind == SEL_ID || s->addr.any_func || (!s->matched && !s->refused))
		return true;
	addr_format(&s->addr, name, sizeof(name));
	/* one readlink per such selector; a link that cannot be read counts as a VF */
	return path_fmt(path, sizeof(path), "%s/bus/pci/devices/%s/physfn", ctx->sysfs, name) < 0 ||
	       read_link_name(path, link, sizeof(link)) != -ENOENT;
}

/*
 * Could a selector still name a device that does not exist yet? An ID or a slot always can;
 * a function address only while nothing is there (the plan, run first, counted it).
 */
static bool open_selectors(const struct request *req)
{
	size_t i;

	for (i = 0; i < req->nsel; i++) {
		const struct selector *s = &req->sel[i];

		if (s->kind == SEL_ID || (s->kind != SEL_EXCLUDE &&
		    (s->addr.any_func || (!s->matched && !s->refused))))
			return true;
	}
	return false;
}

static int hold_walk(struct hold_walk *w, const struct pci_seen_list *seen)
{
	struct vb_ctx *ctx = w->ctx;
	const struct request *req = w->req;
	char path[PATH_MAX], name[PCI_NAME_MAX];
	int dirfd = -2;
	bool *counts;
	size_t i;

	/* no walk at all when no selector could name a VF still to come */
	if (!open_selectors(req) ||
	    path_fmt(path, sizeof(path), "%s/bus/pci/devices", ctx->sysfs) < 0)
		return 0;
	counts = calloc(req->nsel, sizeof(*counts));
	if (!counts)
		return 0;
	/* expect: only the selectors that matched nothing (each names a future VF) */
	for (i = 0; i < req->nsel; i++)
		counts[i] = w->expect ? req->sel[i].kind != SEL_EXCLUDE && !req->sel[i].matched &&
					!req->sel[i].refused :
					names_future_vf(ctx, &req->sel[i]);
	w->counts = counts;
	if (!seen || !seen->valid) {
		dir_for_each(path, hold_walk_one, w);
		free(counts);
		return w->held;
	}
	/* the functions the scan met: no second listing, no second uevent */
	for (i = 0; i < seen->n; i++) {
		const struct pci_seen *r = &seen->f[i];

		if (!may_hold(w, &r->addr, r->read ? r->id.vendor : -1))
			continue;
		if (dirfd == -2)
			dirfd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0)
			break;
		addr_format(&r->addr, name, sizeof(name));
		hold_try(w, dirfd, name, r);
	}
	if (dirfd >= 0)
		close(dirfd);
	free(counts);
	return w->held;
}

int sriov_hold(struct vb_ctx *ctx, const struct request *req, const struct pci_seen_list *seen,
	       struct sriov_pfs *held)
{
	struct hold_walk w = { ctx, req, NULL, 0, held, false };

	if (held)
		held->n = 0;
	return req->sriov ? hold_walk(&w, seen) : 0;
}

int sriov_expected(struct vb_ctx *ctx, const struct request *req,
		   const struct pci_seen_list *seen, struct sriov_pfs *pfs)
{
	struct hold_walk w = { ctx, req, NULL, 0, pfs, true };

	memset(pfs, 0, sizeof(*pfs));
	return hold_walk(&w, seen);
}

bool sriov_held(struct vb_ctx *ctx, const struct request *req, const char *pf_name)
{
	struct sriov_info s;
	struct pci_dev pf;

	if (!req->sriov || pci_read_dev(ctx, pf_name, &pf) < 0 || sriov_read(ctx, &pf, &s) < 0)
		return false;
	return s.autoprobe == 0 && sriov_vf_wanted(req, &pf, &s, NULL, NULL);
}

int sriov_physfn(struct vb_ctx *ctx, const struct pci_dev *d, char *pf, size_t size)
{
	char path[PATH_MAX], link[PATH_MAX];
	int err;

	err = pci_dev_path(ctx, d, "physfn", path, sizeof(path));
	if (err < 0)
		return err;
	err = read_link_name(path, link, sizeof(link));
	if (err < 0)
		return err;
	return addr_canon(link, pf, size);
}
