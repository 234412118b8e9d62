// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio gives a VM whole IOMMU groups. A group is viable only when every member is on a vfio
 * driver, pci-stub, a bridge driver, or has no driver; one member left to a host driver and
 * the VM cannot start. Before udev runs most members have no driver yet: they will.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "group.h"
#include "log.h"
#include "sysfs.h"

/* the claimed (or, before binding, planned) device of @l called @name */
static const struct pci_dev *in_list(const struct pci_list *l, const char *name)
{
	size_t i;

	for (i = 0; l && i < l->n; i++)
		if ((l->dev[i].outcome == OUT_CLAIMED || l->dev[i].outcome == OUT_PLANNED) &&
		    !strcmp(l->dev[i].name, name))
			return &l->dev[i];
	return NULL;
}

struct group_walk {
	const struct pci_list *claimed;
	struct group_info *g;
	const struct pci_seen_list *seen;
};

static int group_member(int dirfd, const char *name, void *data)
{
	struct group_walk *w = data;
	struct group_member *m;
	const struct pci_dev *c;
	struct pci_dev d;

	if (w->g->n == GROUP_MAX_MEMBERS)
		return 1;
	m = &w->g->m[w->g->n];
	/*
	 * the claimed members are known already and never block; read only the others (at boot
	 * their IDs are known from the scan: only the driver link then)
	 */
	c = in_list(w->claimed, name);
	if (c) {
		m->blocks = false;
	} else {
		if (pci_read_dev_seen(w->seen, dirfd, name, &d) < 0)
			return 0;
		c = &d;
		m->blocks = !pci_is_bridge(&d) && strcmp(d.driver, VFIO_DRIVER) &&
			    strcmp(d.driver, "pci-stub");
	}
	snprintf(m->name, sizeof(m->name), "%s", c->name);
	m->id = c->id;
	m->class = c->class;
	snprintf(m->driver, sizeof(m->driver), "%s", c->driver);
	w->g->n++;
	return 0;
}

int group_read(struct vb_ctx *ctx, int group, const struct pci_list *claimed,
	       struct group_info *g)
{
	struct group_walk w = { claimed, g, ctx->seen };
	char path[PATH_MAX];
	int err;

	g->group = group;
	g->n = 0;
	err = path_fmt(path, sizeof(path), "%s/kernel/iommu_groups/%d/devices", ctx->sysfs, group);
	if (err < 0)
		return err;
	err = dir_for_each(path, group_member, &w);
	return err < 0 ? err : 0;
}

int group_blockers(const struct group_info *g, char *buf, size_t size)
{
	size_t i, off = 0;
	int n = 0;

	buf[0] = '\0';
	for (i = 0; i < g->n; i++) {
		const struct group_member *m = &g->m[i];
		int w;

		if (!m->blocks)
			continue;
		w = snprintf(buf + off, size - off, "%s%s %04x:%04x (%s)", n ? ", " : "",
			     m->name, m->id.vendor, m->id.device,
			     m->driver[0] ? m->driver : "no driver yet");
		n++;
		if (w < 0 || (size_t)w >= size - off)
			break;
		off += w;
	}
	return n;
}

bool group_set_add(struct group_set *s, int group)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->group[i] == group)
			return false;
	if (s->n == sizeof(s->group) / sizeof(*s->group))
		return false;
	s->group[s->n++] = group;
	return true;
}

int group_check(struct vb_ctx *ctx, struct pci_dev *d, const struct pci_list *claimed,
		struct group_set *done, char *who, size_t size)
{
	struct group_info g;

	pci_read_group(ctx, d);
	if (d->group < 0 || !group_set_add(done, d->group) ||
	    group_read(ctx, d->group, claimed, &g) < 0)
		return -1;
	return group_blockers(&g, who, size);
}

void group_each(struct vb_ctx *ctx, const struct pci_list *list, group_fn fn, void *data)
{
	struct group_set done = { .n = 0 };
	size_t i;

	for (i = 0; i < list->n; i++) {
		struct pci_dev *d = &list->dev[i];
		struct group_info g;
		char who[512];

		if (d->outcome != OUT_CLAIMED && d->outcome != OUT_PLANNED)
			continue;
		pci_read_group(ctx, d);
		if (d->group < 0 || !group_set_add(&done, d->group) ||
		    group_read(ctx, d->group, list, &g) < 0)
			continue;
		fn(data, d, &g, group_blockers(&g, who, sizeof(who)) ? who : NULL);
	}
}

static void warn_one(void *data, const struct pci_dev *d, const struct group_info *g,
		     const char *who)
{
	if (who)
		log_warn("warning: IOMMU group %d of %s is not viable for a VM: %s; claim them "
			 "too or the VM cannot start", g->group, d->name, who);
}

void group_warn(struct vb_ctx *ctx, struct pci_list *list)
{
	group_each(ctx, list, warn_one, NULL);
}
