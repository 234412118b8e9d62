// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "bootrec.h"
#include "cmdline.h"
#include "group.h"
#include "json.h"
#include "late.h"
#include "vfiodev.h"
#include "log.h"
#include "pci.h"
#include "pciids.h"
#include "plan.h"
#include "report.h"
#include "sriov.h"
#include "sysfs.h"
#include "takeover.h"

static void id_text(const struct pci_dev *d, char *buf, size_t size)
{
	snprintf(buf, size, "%04x:%04x", d->id.vendor, d->id.device);
}

static void subsys_text(const struct pci_dev *d, char *buf, size_t size)
{
	if (d->id.has_subsys)
		snprintf(buf, size, "%04x:%04x", d->id.sub_vendor, d->id.sub_device);
	else
		snprintf(buf, size, "-");
}

/* what a device is beyond its uevent: a VF's PF, a PF's VFs, a late claim */
struct dev_extra {
	char pf[PCI_NAME_MAX];		/* "" unless a VF */
	int numvfs;			/* -1 unless a PF */
	char late[DRIVER_NAME_MAX + 32];	/* "" unless claimed late */
	char cdev[48];			/* "" unless the device has a vfio cdev */
	const char *name;		/* pci.ids' vendor and device name (list), or NULL */
};

/* "/dev/vfio/devices/vfio0" when the kernel gave the device a vfio cdev, else "" */
static void cdev_path(struct vb_ctx *ctx, const struct pci_dev *d, char *buf, size_t size)
{
	char name[16];

	buf[0] = '\0';
	if (vfio_cdev_name(ctx, d, name, sizeof(name)) == 0)
		snprintf(buf, size, "/dev/vfio/devices/%s", name);
}

static void dev_extra(struct vb_ctx *ctx, const struct pci_dev *d, struct dev_extra *x)
{
	struct sriov_info s;
	char path[PATH_MAX], buf[16];

	memset(x, 0, sizeof(*x));
	x->numvfs = -1;
	if (sriov_physfn(ctx, d, x->pf, sizeof(x->pf)) < 0)
		x->pf[0] = '\0';
	if (sriov_read(ctx, d, &s) == 0 &&
	    pci_dev_path(ctx, d, "sriov_numvfs", path, sizeof(path)) >= 0 &&
	    read_attr(path, buf, sizeof(buf)) > 0)
		x->numvfs = atoi(buf);
	/* only a claim that still holds */
	if (late_record_read(ctx, d->name, x->late, sizeof(x->late)) < 0 ||
	    strcmp(d->driver, VFIO_DRIVER))
		x->late[0] = '\0';
	cdev_path(ctx, d, x->cdev, sizeof(x->cdev));
}

static void json_extra(const struct dev_extra *x)
{
	json_field("physfn", x->pf);
	json_int_field("sriov_numvfs", x->numvfs);
	json_field("late", x->late);
	json_field("vfio_cdev", x->cdev);
	json_field("name", x->name);
}

static void json_dev(const struct pci_dev *d, const struct dev_extra *x)
{
	char id[16], sub[16];

	id_text(d, id, sizeof(id));
	subsys_text(d, sub, sizeof(sub));
	printf("{\"address\":\"%s\",\"class\":\"%04x\",\"class_name\":", d->name, d->class >> 8);
	json_str(stdout, pci_class_name(d->class));
	printf(",\"id\":\"%s\",\"subsystem\":\"%s\"", id, sub);
	json_field("driver", d->driver);
	json_int_field("iommu_group", d->group);
	printf(",\"boot_vga\":%s", d->boot_vga == 1 ? "true" : "false");
	json_extra(x);
	printf("}");
}

/* " (VF of 0000:01:00.0)", " (SR-IOV PF, 2 VFs)", " [claimed late (was e1000)]" */
static void text_extra(const struct dev_extra *x)
{
	if (x->pf[0])
		printf(" (VF of %s)", x->pf);
	if (x->numvfs >= 0)
		printf(" (SR-IOV PF, %d VF%s)", x->numvfs, x->numvfs == 1 ? "" : "s");
	if (x->late[0])
		printf(" [%s]", x->late);
	if (x->cdev[0])
		printf("  cdev %s", x->cdev);
}

int cmd_list(struct vb_ctx *ctx)
{
	char (*names)[PCIIDS_NAME_MAX];
	struct pci_list list = { 0 };
	size_t i;
	int err;

	err = pci_scan(ctx, &list);
	if (err < 0)
		return err;
	/* without a database the class names alone */
	names = calloc(list.n + 1, sizeof(*names));
	if (names)
		pciids_names(ctx, &list, names);
	if (ctx->json)
		printf("[");
	else
		printf("%-14s %-5s %-9s %-9s %-16s %-5s %-4s %s\n", "ADDRESS", "CLASS", "ID",
		       "SUBSYS", "DRIVER", "GROUP", "BOOT", "DESCRIPTION");
	for (i = 0; i < list.n; i++) {
		struct pci_dev *d = &list.dev[i];
		char id[16], sub[16], grp[12];
		struct dev_extra x;

		pci_read_group(ctx, d);
		pci_read_boot_vga(ctx, d);
		dev_extra(ctx, d, &x);
		x.name = names ? names[i] : NULL;
		if (ctx->json) {
			printf(i ? "," : "");
			json_dev(d, &x);
			continue;
		}
		id_text(d, id, sizeof(id));
		subsys_text(d, sub, sizeof(sub));
		if (d->group >= 0)
			snprintf(grp, sizeof(grp), "%d", d->group);
		else
			snprintf(grp, sizeof(grp), "-");
		printf("%-14s %04x  %-9s %-9s %-16s %-5s %-4s %s", d->name, d->class >> 8, id,
		       sub, d->driver[0] ? d->driver : "-", grp, d->boot_vga == 1 ? "vga" : "-",
		       pci_class_name(d->class));
		if (x.name && x.name[0])
			printf(": %s", x.name);
		text_extra(&x);
		printf("\n");
	}
	if (ctx->json)
		printf("]\n");
	free(names);
	pci_list_free(&list);
	return 0;
}

/* a planned device counts as fine only when it is on vfio-pci now */
static bool dev_ok(const struct pci_dev *d)
{
	return d->outcome != OUT_PLANNED || !strcmp(d->driver, VFIO_DRIVER);
}

static void text_group(void *data, const struct pci_dev *d, const struct group_info *g,
		       const char *who)
{
	size_t k;

	printf("IOMMU group %d:", g->group);
	for (k = 0; k < g->n; k++)
		printf(" %s (%s)", g->m[k].name, g->m[k].driver[0] ? g->m[k].driver : "none");
	printf("  %s%s\n", who ? "NOT VIABLE: " : "viable", who ? who : "");
}

/* the bad selectors, named: the first BAD_KEPT of them */
static void text_bad(const struct request *req)
{
	size_t i;

	for (i = 0; i < req->nbadsel && i < BAD_KEPT; i++)
		printf("bad selector '%s' (%s): %s\n", req->bad[i].text,
		       req->bad[i].origin[0] ? req->bad[i].origin : "kernel command line",
		       req->bad[i].why);
}

static void status_text(struct vb_ctx *ctx, struct request *req, struct pci_list *list)
{
	char grp[12];
	size_t i, j;

	for (i = 0; i < req->nsel; i++) {
		const struct selector *s = &req->sel[i];
		bool any = false;

		printf("%s (%s%s%s)\n", s->text, sel_kind_name(s->kind), s->origin[0] ? ", " : "",
		       s->origin);
		for (j = 0; j < list->n; j++) {
			struct pci_dev *d = &list->dev[j];
			struct dev_extra x;
			const char *state;

			if (!sel_names(s, d))
				continue;
			any = true;
			if (d->group >= 0)
				snprintf(grp, sizeof(grp), "%d", d->group);
			else
				snprintf(grp, sizeof(grp), "-");
			if (s->kind == SEL_EXCLUDE)
				state = "excluded";
			else if (d->outcome == OUT_REFUSED)
				state = "REFUSED";
			else if (d->outcome == OUT_NONE)
				state = "excluded";
			else
				state = dev_ok(d) ? "ok" : "NOT ON VFIO-PCI";
			dev_extra(ctx, d, &x);
			printf("  %s %04x:%04x %-16s group %-4s%s  %s%s%s", d->name, d->id.vendor,
			       d->id.device, d->driver[0] ? d->driver : "(none)", grp,
			       d->boot_vga == 1 ? "  boot-vga" : "", state,
			       d->outcome == OUT_REFUSED ? ": " : "",
			       d->outcome == OUT_REFUSED ? d->why : "");
			text_extra(&x);
			printf("\n");
		}
		if (!any)
			printf("  matched nothing\n");
	}
	group_each(ctx, list, text_group, NULL);
	/* PFs whose new VFs wait for vfio-bind (sriov.c) */
	for (i = 0; i < list->n; i++)
		if (sriov_held(ctx, req, list->dev[i].name))
			printf("SR-IOV PF %s: new VFs wait for vfio-bind (sriov_drivers_autoprobe=0; "
			       "vfio_bind.sriov=0 leaves it alone)\n", list->dev[i].name);
}

static void json_group(void *data, const struct pci_dev *d, const struct group_info *g,
		       const char *who)
{
	bool *first = data;

	printf("%s{\"group\":%d,\"viable\":%s,\"blockers\":", *first ? "" : ",", g->group,
	       who ? "false" : "true");
	json_str_or_null(stdout, who ? who : "");
	putchar('}');
	*first = false;
}

/* ROOT/run/vfio-bind/boot.txt or boot.json, as the boot wrote it; NULL when there is none */
static char *boot_record(struct vb_ctx *ctx, const char *name)
{
	static char buf[96 * 1024];

	return bootrec_read(ctx, name, buf, sizeof(buf)) > 0 ? buf : NULL;
}

static void status_json(struct vb_ctx *ctx, struct request *req, struct pci_list *list,
			bool ok)
{
	const char *rec = boot_record(ctx, "boot.json");
	bool first = true;
	size_t i, j;

	printf("{\"ok\":%s,\"bad_tokens\":%u,\"selectors\":[", ok ? "true" : "false",
	       req->nerrors);
	for (i = 0; i < req->nsel; i++) {
		const struct selector *s = &req->sel[i];

		printf("%s{\"selector\":", i ? "," : "");
		json_str(stdout, s->text);
		json_sel_origin(stdout, s);
		printf(",\"devices\":[");
		for (j = 0, first = true; j < list->n; j++) {
			struct pci_dev *d = &list->dev[j];
			struct dev_extra x;

			if (!sel_names(s, d))
				continue;
			printf(first ? "" : ",");
			first = false;
			printf("{\"device\":");
			dev_extra(ctx, d, &x);
			json_dev(d, &x);
			printf(",\"state\":\"%s\"",
			       s->kind == SEL_EXCLUDE || d->outcome == OUT_NONE ? "excluded" :
			       d->outcome == OUT_REFUSED ? "refused" :
			       dev_ok(d) ? "on-vfio-pci" : "not-on-vfio-pci");
			if (d->outcome == OUT_REFUSED) {
				printf(",\"why\":");
				json_str(stdout, d->why);
			}
			printf("}");
		}
		printf("]}");
	}
	printf("]");
	json_bad_selectors(stdout, req);
	printf(",\"groups\":[");
	first = true;
	group_each(ctx, list, json_group, &first);
	printf("],\"held_pfs\":[");
	for (i = 0, first = true; i < list->n; i++) {
		if (!sriov_held(ctx, req, list->dev[i].name))
			continue;
		printf("%s\"%s\"", first ? "" : ",", list->dev[i].name);
		first = false;
	}
	/* the boot's own record (bootrec.c), if it is whole */
	printf("],\"boot\":%s}\n", rec && json_object_sane(rec) ? rec : "null\n");
}

int cmd_status(struct vb_ctx *ctx)
{
	struct pci_list list = { 0 };
	struct request req;
	bool ok = true;
	size_t i;
	int err;

	request_init(&req);
	/* parse errors and plan refusals would go to the log; here the output says it all */
	log_open_stream(NULL);
	err = cmdline_load(ctx, &req);
	if (err >= 0) {
		struct takeover t;

		/* what the boot claimed for vfio-pci's own ids= is asked for too */
		takeover_read(ctx, &req, &t);
		takeover_apply(ctx, &req, &t);
	}
	log_open_stream(stderr);
	if (err < 0) {
		fprintf(stderr, "vfio-bind: cannot read %s: %s\n", ctx->cmdline, strerror(-err));
		goto out;
	}
	/* says itself what it cannot read */
	err = pci_scan(ctx, &list);
	if (err < 0)
		goto out;
	log_open_stream(NULL);
	plan_build(ctx, &req, &list);
	log_open_stream(stderr);
	for (i = 0; i < list.n; i++) {
		pci_read_group(ctx, &list.dev[i]);
		pci_read_boot_vga(ctx, &list.dev[i]);
		if (!dev_ok(&list.dev[i]) || list.dev[i].outcome == OUT_REFUSED)
			ok = false;
	}
	for (i = 0; i < req.nsel; i++)
		if (req.sel[i].kind != SEL_EXCLUDE && !req.sel[i].matched)
			ok = false;
	/* a bad selector is something asked for and not claimed; a bad setting is not */
	if (req.nbadsel)
		ok = false;
	if (ctx->json) {
		status_json(ctx, &req, &list, ok);
	} else if (!req.nsel && !req.nbadsel) {
		printf("no vfio.bind= selectors on the kernel command line (%s)\n", ctx->cmdline);
	} else {
		const char *rec = boot_record(ctx, "boot.txt");

		status_text(ctx, &req, &list);
		text_bad(&req);
		if (req.nbadsel > BAD_KEPT)
			printf("%u bad token(s) in all: see 'dmesg | grep vfio-bind'\n",
			       req.nbadsel);
		if (req.nerrors > req.nbadsel)
			printf("%u bad setting(s) on the command line: see 'dmesg | grep "
			       "vfio-bind'\n", req.nerrors - req.nbadsel);
		/* what the boot did, whatever happened to the kernel's ring buffer since */
		if (rec)
			printf("At boot (/" BOOTREC_DIR "/boot.txt):\n%s", rec);
		printf("%s\n", ok ? "everything asked for is on vfio-pci" :
				    "NOT everything asked for is on vfio-pci");
	}
	err = ok ? 0 : -EAGAIN;
out:
	pci_list_free(&list);
	request_free(&req);
	return err;
}
