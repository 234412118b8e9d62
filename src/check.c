// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-bind check: a preflight on the running system. One verdict per line, with the fix.
 * Exit status 0 only when nothing failed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bind.h"
#include "check.h"
#include "check_next.h"
#include "check_vms.h"
#include "group.h"
#include "initramfs.h"
#include "leftovers.h"
#include "log.h"
#include "plan.h"
#include "sysfs.h"
#include "takeover.h"
#include "verdict.h"

static int count_entries(const char *path, const char *prefix, char *first, size_t size)
{
	struct dirent *de;
	DIR *dir;
	int n = 0;

	dir = opendir(path);
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		if (!n++ && first)
			snprintf(first, size, "%s", de->d_name);
	}
	closedir(dir);
	return n;
}

static bool check_iommu(struct vb_ctx *ctx)
{
	char path[PATH_MAX], msg[256], unit[64] = "";
	int units, groups;

	path_fmt(path, sizeof(path), "%s/class/iommu", ctx->sysfs);
	units = count_entries(path, "", unit, sizeof(unit));
	path_fmt(path, sizeof(path), "%s/kernel/iommu_groups", ctx->sysfs);
	groups = count_entries(path, "", NULL, 0);
	if (units && groups) {
		snprintf(msg, sizeof(msg), "IOMMU enabled (%s%s; %d groups)", unit,
			 units > 1 ? ", ..." : "", groups);
		verdict(V_OK, msg, NULL);
		return true;
	}
	verdict(V_FAIL, "IOMMU is off: no IOMMU groups, vfio-pci cannot bind anything",
		"enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup; on Intel add "
		"intel_iommu=on to the kernel command line");
	return false;
}

static void check_irq_remap(struct vb_ctx *ctx)
{
	char path[PATH_MAX], *buf;
	bool ir;

	path_fmt(path, sizeof(path), "%s/interrupts", ctx->proc);
	buf = malloc(256 * 1024);
	if (!buf)
		return;
	if (read_file(path, buf, 256 * 1024) < 0) {
		verdict(V_SKIP, "interrupt remapping: cannot read /proc/interrupts", NULL);
		free(buf);
		return;
	}
	/* remapped MSI domains are named IR-PCI-MSI, IR-IO-APIC, ... */
	ir = strstr(buf, "IR-") != NULL;
	free(buf);
	if (ir)
		verdict(V_OK, "interrupt remapping enabled", NULL);
	else
		verdict(V_WARN, "interrupt remapping not seen (no IR- interrupt domains)",
			"enable it in the firmware (x2APIC/VT-d); vfio_iommu_type1."
			"allow_unsafe_interrupts=1 works around it at the cost of isolation");
}

static int find_image(struct vb_ctx *ctx, char *img, size_t size)
{
	struct utsname u;

	if (uname(&u) < 0)
		return -errno;
	path_fmt(img, size, "%s/boot/initrd.img-%s", strcmp(ctx->root, "/") ? ctx->root : "",
		 u.release);
	if (path_exists(img))
		return 0;
	path_fmt(img, size, "%s/boot/initramfs-%s.img", strcmp(ctx->root, "/") ? ctx->root : "",
		 u.release);
	return path_exists(img) ? 0 : -ENOENT;
}

struct image_has {
	bool bin, mod;
};

static int image_member(const struct initramfs_file *f, void *data)
{
	struct image_has *h = data;

	if (strstr(f->name, "sbin/vfio-bind"))
		h->bin = true;
	if (strstr(f->name, "/vfio-pci.ko") || strstr(f->name, "/vfio_pci.ko"))
		h->mod = true;
	return 0;
}

/* the image's own archives, read directly: no lsinitramfs or lsinitrd needed */
static void check_initramfs(struct vb_ctx *ctx)
{
	char img[PATH_MAX], msg[PATH_MAX + 640], why[512];
	struct image_has h = { 0 };
	int r;

	if (find_image(ctx, img, sizeof(img)) < 0) {
		verdict(V_WARN, "no initramfs image found for the running kernel in /boot",
			"update-initramfs -u (Debian, Proxmox) or dracut -f (RHEL, Fedora)");
		return;
	}
	r = initramfs_walk(img, NULL, image_member, &h, why, sizeof(why));
	if (r < 0) {
		snprintf(msg, sizeof(msg), "initramfs: cannot read %s: %s", img, why[0] ? why :
			 strerror(-r));
		verdict(V_SKIP, msg, NULL);
		return;
	}
	snprintf(msg, sizeof(msg), "initramfs %s: vfio-bind %s, vfio-pci module %s", img,
		 h.bin ? "present" : "MISSING", h.mod ? "present" : "missing (fine if built in)");
	verdict(h.bin ? V_OK : V_FAIL, msg,
		"rebuild it: update-initramfs -u (Debian, Proxmox) or dracut -f (RHEL, Fedora)");
}

/* what to do about a selector that matches nothing, by where it lies */
static void unmatched(const struct selector *sel, bool in_file, const char *config)
{
	char msg[512], fix[768];

	snprintf(msg, sizeof(msg), "selector '%s' matches no device", sel->text);
	if (in_file)
		snprintf(fix, sizeof(fix), "'vfio-bind list' shows the devices; 'vfio-bind remove "
			 "%s' takes it out of %s", sel->text, config);
	else
		snprintf(fix, sizeof(fix), "'vfio-bind list' shows the devices; take '%s' out of "
			 "vfio.bind= in the boot loader's configuration", sel->text);
	verdict(V_FAIL, msg, fix);
}

static void check_devices(struct vb_ctx *ctx, struct request *req, struct pci_list *list,
			  size_t kernel_nsel, bool iommu)
{
	struct group_set done = { .n = 0 };
	char msg[512], who[512], fix[640], a[32];
	size_t i;
	int r;

	for (i = 0; i < req->nsel; i++)
		if (req->sel[i].kind != SEL_EXCLUDE && !req->sel[i].matched &&
		    !req->sel[i].refused)
			unmatched(&req->sel[i], i >= kernel_nsel, ctx->config);
	for (i = 0; i < list->n; i++) {
		struct pci_dev *d = &list->dev[i];

		addr_short(&d->addr, a, sizeof(a));
		if (d->outcome == OUT_REFUSED) {
			snprintf(msg, sizeof(msg), "%s refused: %s", d->name, d->why);
			snprintf(fix, sizeof(fix), "'vfio-bind suggest %s' prints the selector for "
				 "what is there now", a);
			verdict(V_FAIL, msg, fix);
			continue;
		}
		if (d->outcome != OUT_PLANNED)
			continue;
		snprintf(msg, sizeof(msg), "%s %04x:%04x %s%s", d->name, d->id.vendor,
			 d->id.device, d->driver[0] ? "on " : "without a driver", d->driver);
		if (!iommu)
			snprintf(fix, sizeof(fix), "enable the IOMMU first (above): without it "
				 "vfio-pci cannot take %s", a);
		else
			snprintf(fix, sizeof(fix), "'vfio-bind claim %s' claims it now; if this boot "
				 "asked for it, 'dmesg | grep vfio-bind' says why it is not claimed",
				 a);
		verdict(!strcmp(d->driver, VFIO_DRIVER) ? V_OK : V_FAIL, msg, fix);
		r = group_check(ctx, d, list, &done, who, sizeof(who));
		if (r > 0) {
			snprintf(msg, sizeof(msg), "IOMMU group %d is not viable: %s", d->group, who);
			verdict(V_FAIL, msg, "add those devices to vfio.bind= too, or move the card");
		} else if (!r) {
			snprintf(msg, sizeof(msg), "IOMMU group %d is viable", d->group);
			verdict(V_OK, msg, NULL);
		}
	}
}

static void leftover(enum finding level, const char *what, const char *fix, void *data)
{
	verdict(level == FINDING_FAIL ? V_FAIL : V_WARN, what, fix);
}

int cmd_check(struct vb_ctx *ctx)
{
	struct pci_list list = { 0 };
	struct takeover t;
	struct request req;
	unsigned kernel_tokens, kernel_errors;
	char msg[WHERE_MAX + PATH_MAX + 128], src[PATH_MAX + 32];
	unsigned failures;
	size_t kernel_nsel;
	bool iommu;
	int err, n;

	if (ctx->next_boot && ctx->json) {
		fprintf(stderr, "vfio-bind: check --next-boot prints a table, not JSON\n"
			"Try 'vfio-bind check --help'.\n");
		return -EUSAGE;
	}
	if (ctx->next_boot)
		return check_next_boot(ctx);
	verdict_start(ctx->json);
	iommu = check_iommu(ctx);
	check_irq_remap(ctx);

	request_init(&req);
	/* the running command line first, its bad tokens named here (beside JSON: on stderr) */
	log_open_stream(ctx->json ? stderr : stdout);
	err = cmdline_load_kernel(ctx, &req);
	log_open_stream(NULL);
	kernel_tokens = req.ntokens;
	kernel_errors = req.nerrors;
	kernel_nsel = req.nsel;
	if (!req.ignore_config)
		cmdline_load_config(ctx, &req);
	takeover_read(ctx, &req, &t);
	takeover_apply(ctx, &req, &t);
	log_open_stream(stderr);
	if (err < 0) {
		verdict(V_FAIL, "cannot read the kernel command line", NULL);
	} else if (!req.ntokens && t.taken) {
		snprintf(msg, sizeof(msg), "no vfio.bind=, but vfio-bind takes over %u ID(s) of "
			 "ids= from %s", t.taken, t.from);
		verdict(V_OK, msg, NULL);
	} else if (!req.ntokens && check_configured_tokens(ctx, src, sizeof(src))) {
		snprintf(msg, sizeof(msg), "no vfio.bind= on the running kernel command line, but "
			 "the configured one (%s) has it: it applies from the next boot", src);
		verdict(V_WARN, msg, "reboot; 'vfio-bind check --next-boot' shows what that boot "
			"will claim");
	} else if (!req.ntokens) {
		verdict(V_FAIL, "no vfio.bind= on the running kernel command line nor in the "
			"persistent file", "'vfio-bind list' shows the devices; 'vfio-bind add "
			"ADDR' claims one at every boot");
	} else if (!kernel_tokens) {
		verdict(V_OK, "no vfio.bind= on the running kernel command line; the persistent "
			"file has the claims", NULL);
	} else if (kernel_errors) {
		snprintf(msg, sizeof(msg), "the running kernel command line has %u bad token(s) "
			 "(named above); the valid ones apply", kernel_errors);
		verdict(V_FAIL, msg, "correct them in the boot loader's configuration");
	} else {
		n = snprintf(msg, sizeof(msg), "vfio.bind= parses: %zu selector(s)", t.first);
		if (t.taken)
			snprintf(msg + n, sizeof(msg) - n, ", and %u ID(s) taken over from ids=",
				 t.taken);
		verdict(V_OK, msg, NULL);
	}
	check_initramfs(ctx);
	check_persistent(ctx);
	if (pci_scan(ctx, &list) >= 0) {
		if (req.nsel) {
			log_open_stream(NULL);
			plan_build(ctx, &req, &list);
			log_open_stream(stderr);
			check_devices(ctx, &req, &list, kernel_nsel, iommu);
		}
		/* the classic recipe's leftovers, with the plan known */
		leftovers_scan(ctx, &req, &t, &list, leftover, NULL);
		check_vms(ctx, &list);
	}
	pci_list_free(&list);
	request_free(&req);
	failures = verdict_end();
	return failures ? -EAGAIN : 0;
}
