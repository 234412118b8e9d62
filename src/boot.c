// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What runs in the initramfs. Nothing here may stop the boot: every failure is logged and the
 * device concerned goes back to its host driver (unless vfio_bind.on_fail=keep).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bind.h"
#include "boot.h"
#include "bootrec.h"
#include "cmdline.h"
#include "fb.h"
#include "group.h"
#include "log.h"
#include "modconf.h"
#include "pci.h"
#include "plan.h"
#include "sriov.h"
#include "sysfs.h"
#include "takeover.h"

static long elapsed_us(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000000L + (t.tv_nsec - t0->tv_nsec) / 1000;
}

static void report_tokens(const struct request *req)
{
	char esc[256];
	size_t i;

	for (i = 0; i < FB_TOK_COUNT; i++)
		if (req->fb_tokens & 1u << i)
			log_info("%s on the command line: the firmware framebuffer is off; "
				 "vfio-bind releases it itself, this is not needed", fb_token_text[i]);
	if (!req->blacklist[0])
		return;
	str_escape(esc, sizeof(esc), req->blacklist, 120);
	if (req->blacklist_cut && strlen(esc) + 4 < sizeof(esc) &&
	    (strlen(esc) < 3 || strcmp(esc + strlen(esc) - 3, "...")))
		strcat(esc, "...");
	if (req->blacklist_vfio)
		log_err("%s%s blacklists vfio modules: devices cannot be claimed",
			request_blacklist_keys(req), esc);
	else
		log_info("%s%s on the command line; vfio-bind needs no driver blacklist",
			 request_blacklist_keys(req), esc);
}

/*
 * libkmod honours modprobe.blacklist= (and dracut turns its two spellings into modprobe.d
 * lines); vfio-bind honours all three itself, so that every initramfs behaves alike.
 */
static bool cmdline_blacklists_vfio_pci(const struct request *req)
{
	char list[sizeof(req->blacklist)], *m, *next;

	snprintf(list, sizeof(list), "%s", req->blacklist);
	for (m = list; m; m = next) {
		next = strchr(m, ',');
		if (next)
			*next++ = '\0';
		if (modname_eq(m, "vfio_pci"))
			return true;
	}
	return false;
}

/* built in, or loaded before vfio-bind ran: no blacklist applies any more */
static bool vfio_pci_present(struct vb_ctx *ctx)
{
	char path[PATH_MAX];

	return path_fmt(path, sizeof(path), "%s/bus/pci/drivers/" VFIO_DRIVER, ctx->sysfs) >= 0 &&
	       path_exists(path);
}

static void refuse_load(struct pci_list *list)
{
	size_t i;

	/* report_tokens said so already */
	for (i = 0; i < list->n; i++)
		if (list->dev[i].outcome == OUT_PLANNED)
			snprintf(list->dev[i].why, sizeof(list->dev[i].why),
				 "vfio-pci is blacklisted on the command line");
}

static void report_device(struct vb_ctx *ctx, const struct request *req,
			  const struct pci_dev *d)
{
	char now[DRIVER_NAME_MAX + 16] = "";
	/* a device that arrived after the boot pass (late.c) says so */
	const char *late = ctx->late ? " late" : "";

	switch (d->outcome) {
	case OUT_PLANNED:
		if (ctx->dry_run)
			log_notice("%s %04x:%04x would be claimed%s (dry run%s%s)", d->name,
				   d->id.vendor, d->id.device, late, d->was[0] ? "; now on " : "",
				   d->was);
		break;
	case OUT_CLAIMED:
		if (!strcmp(d->was, "vfio-pci"))
			log_notice("%s %04x:%04x claimed%s (already on vfio-pci)", d->name,
				   d->id.vendor, d->id.device, late);
		else if (d->was[0])
			log_notice("%s %04x:%04x claimed%s (was %s)", d->name, d->id.vendor,
				   d->id.device, late, d->was);
		else
			log_notice("%s %04x:%04x claimed%s", d->name, d->id.vendor, d->id.device,
				   late);
		break;
	case OUT_RELEASED:
		if (d->driver[0])
			snprintf(now, sizeof(now), "; now on %s", d->driver);
		log_warn("%s %04x:%04x released to host: %s%s", d->name, d->id.vendor,
			 d->id.device, d->why, now);
		break;
	case OUT_KEPT:
		/* also when its override could not be cleared, whatever on_fail says */
		log_warn("%s %04x:%04x kept without a driver%s: %s", d->name, d->id.vendor,
			 d->id.device, req->on_fail == ON_FAIL_KEEP ? " (vfio_bind.on_fail=keep)" : "",
			 d->why);
		break;
	case OUT_NONE:
	case OUT_REFUSED:
		break;
	}
}

void boot_claim(struct vb_ctx *ctx, struct request *req, struct pci_list *list,
		const char *blacklist)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (list->dev[i].outcome == OUT_PLANNED)
			bind_prepare(ctx, &list->dev[i]);
	fb_release(ctx, req, list);
	if (vfio_pci_present(ctx)) {
		bind_load_driver(ctx, list);
	} else if (cmdline_blacklists_vfio_pci(req)) {
		refuse_load(list);
	} else {
		/* libkmod applies it (and fails the load); say where it is */
		if (blacklist && blacklist[0])
			log_err("%s: 'blacklist vfio_pci': vfio-pci will not be loaded, no "
				"device can be claimed; delete that line (vfio-bind needs no "
				"blacklist)", blacklist);
		bind_load_driver(ctx, list);
	}
	for (i = 0; i < list->n; i++) {
		struct pci_dev *d = &list->dev[i];

		if (d->outcome != OUT_PLANNED)
			continue;
		if (!d->why[0])
			bind_probe(ctx, d);
		if (d->outcome == OUT_PLANNED && !ctx->dry_run)
			bind_fail(ctx, d, req->on_fail, NULL);
	}
}

void boot_report(struct vb_ctx *ctx, const struct request *req, struct pci_list *list,
		 unsigned n[OUT_KEPT + 1])
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		report_device(ctx, req, &list->dev[i]);
		n[list->dev[i].outcome]++;
	}
	group_warn(ctx, list);
}

static void print_plan(const struct pci_list *list)
{
	static const char *const what[] = {
		[OUT_PLANNED] = "claim", [OUT_REFUSED] = "refuse",
	};
	size_t i;

	printf("%-14s %-9s %-6s %-16s %-8s %s\n", "ADDRESS", "ID", "CLASS", "DRIVER", "ACTION",
	       "WHY");
	for (i = 0; i < list->n; i++) {
		const struct pci_dev *d = &list->dev[i];

		if (d->outcome != OUT_PLANNED && d->outcome != OUT_REFUSED)
			continue;
		printf("%-14s %04x:%04x %04x   %-16s %-8s %s\n", d->name, d->id.vendor,
		       d->id.device, d->class >> 8, d->was[0] ? d->was : "-", what[d->outcome],
		       d->outcome == OUT_REFUSED ? d->why : d->sel->text);
	}
}

/* does a selector other than an exclusion match nothing (the plan counted)? */
static bool any_unmatched(const struct request *req)
{
	size_t i;

	for (i = 0; i < req->nsel; i++)
		if (req->sel[i].kind != SEL_EXCLUDE && !req->sel[i].matched && !req->sel[i].refused)
			return true;
	return false;
}

int cmd_boot(struct vb_ctx *ctx)
{
	unsigned n[OUT_KEPT + 1] = { 0 };
	static struct log_copy copy;
	struct pci_seen_list seen = { 0 };
	struct sriov_pfs held = { 0 }, expected = { 0 };
	struct pci_list list = { 0 };
	struct bootrec r = { .n = n, .held = &held, .expected = &expected, .log = &copy };
	struct takeover t;
	struct request req;
	struct timespec t0;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	log_capture(&copy);
	request_init(&req);
	/* a flood of bad tokens gets 128 lines; the devices' own lines come after */
	log_set_cap(128);
	err = cmdline_load(ctx, &req);
	log_end_suppressed();
	if (err < 0)
		goto out;
	if (req.debug)
		log_set_max_prio(VB_DEBUG);
	if (req.dry_run)
		ctx->dry_run = true;
	takeover_read(ctx, &req, &t);
	takeover_apply(ctx, &req, &t);
	/*
	 * without vfio.bind= (or IDs taken over from vfio-pci.ids=) the boot is none of our
	 * business: not a line about other tokens
	 */
	if (!req.ntokens && !req.nsel) {
		log_debug("no vfio.bind= on the command line");
		goto out;
	}
	report_tokens(&req);
	/* only bad tokens: nothing to scan, but the summary and the record say so */
	if (req.nsel) {
		err = pci_scan_selected(ctx, &req, &list, &seen);
		if (err < 0)
			goto out;
	}
	/* what the scan read is not read again (the hold, the groups' members) */
	ctx->seen = &seen;
	if (plan_build(ctx, &req, &list) > 0)
		boot_claim(ctx, &req, &list, t.blacklist);
	/* VFs that do not exist yet: hold them back for the udev rule (sriov.c) */
	sriov_hold(ctx, &req, &seen, &held);
	boot_report(ctx, &req, &list, n);
	takeover_report_held(ctx, &req, &list, &t);
	/* a selector for VFs still to come is not unmatched */
	if (any_unmatched(&req))
		sriov_expected(ctx, &req, &seen, &expected);
	r.unmatched = plan_unmatched(&req, &expected);
	log_end_suppressed();
	r.us = elapsed_us(&t0);
	if (ctx->dry_run) {
		log_notice("dry run: %u would be claimed, %u refused, %u unmatched, %u bad "
			   "tokens in %ld us", n[OUT_PLANNED], n[OUT_REFUSED], r.unmatched,
			   req.nerrors, r.us);
		print_plan(&list);
	} else {
		log_notice("%u claimed, %u refused, %u released to host, %u kept without driver, "
			   "%u unmatched, %u bad tokens in %ld us", n[OUT_CLAIMED], n[OUT_REFUSED],
			   n[OUT_RELEASED], n[OUT_KEPT], r.unmatched, req.nerrors, r.us);
	}
	r.req = &req;
	r.list = &list;
	bootrec_write(ctx, &r);
out:
	log_capture(NULL);
	log_end_suppressed();
	ctx->seen = NULL;
	pci_seen_free(&seen);
	pci_list_free(&list);
	request_free(&req);
	/* the boot goes on whatever happened; the log says what */
	return 0;
}
