// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Devices that appear after the initramfs: hot-plugged cards and SR-IOV VFs. The udev rule
 * (udev/70-vfio-bind.rules) runs `vfio-bind hotplug ADDR` for each real "add" of a PCI
 * function; coldplug's synthetic events are left out there, since the boot pass handled
 * those devices. One device goes through the boot pass's own plan and claim.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bind.h"
#include "boot.h"
#include "cmdline.h"
#include "hostdrv.h"
#include "late.h"
#include "log.h"
#include "plan.h"
#include "sriov.h"
#include "sysfs.h"
#include "takeover.h"

#define LATE_DIR	"run/vfio-bind/late"

/* ROOT/REL; ctx->root is "/" or a test root */
static int state_path(struct vb_ctx *ctx, const char *rel, const char *name, char *buf,
		      size_t size)
{
	const char *root = strcmp(ctx->root, "/") ? ctx->root : "";

	return path_fmt(buf, size, "%s/%s%s%s", root, rel, *name ? "/" : "", name);
}

/* the name is a formatted PCI address: safe in a path */
static int record_path(struct vb_ctx *ctx, const char *name, char *buf, size_t size)
{
	return state_path(ctx, LATE_DIR, name, buf, size);
}

static void record_forget(struct vb_ctx *ctx, const char *name)
{
	char path[PATH_MAX];

	if (!ctx->dry_run && record_path(ctx, name, path, sizeof(path)) >= 0)
		unlink(path);
}

int late_record_text(const char *was, char *buf, size_t size)
{
	int n;

	if (was[0] && strcmp(was, VFIO_DRIVER))
		n = snprintf(buf, size, "claimed late (was %s)\n", was);
	else
		n = snprintf(buf, size, "claimed late\n");
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
}

/* run/vfio-bind/late/ADDR: "claimed late (was e1000)"; state, not a kernel write */
static void record_claim(struct vb_ctx *ctx, const struct pci_dev *d)
{
	char path[PATH_MAX], text[DRIVER_NAME_MAX + 32];
	static const char *const dirs[] = { "run", "run/vfio-bind", LATE_DIR };
	size_t i;
	int fd, n;

	if (ctx->dry_run)
		return;
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (state_path(ctx, dirs[i], "", path, sizeof(path)) >= 0)
			mkdir(path, 0755);
	if (record_path(ctx, d->name, path, sizeof(path)) < 0)
		return;
	n = late_record_text(d->was, text, sizeof(text));
	if (n < 0)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_debug("cannot record the late claim in %s: %s", path, strerror(errno));
		return;
	}
	if (write(fd, text, n) != n)
		log_debug("cannot record the late claim in %s", path);
	close(fd);
}

int late_record_parse(const char *text)
{
	static const char head[] = "claimed late";
	size_t n = sizeof(head) - 1, len;
	char name[DRIVER_NAME_MAX];

	if (strncmp(text, head, n))
		return -EINVAL;
	if (!text[n])
		return 0;
	/* " (was NAME)": what record_claim() writes, a driver's safe name */
	if (strncmp(text + n, " (was ", 6))
		return -EINVAL;
	text += n + 6;
	len = strlen(text);
	if (len < 2 || len - 1 >= sizeof(name) || text[len - 1] != ')')
		return -EINVAL;
	memcpy(name, text, len - 1);
	name[len - 1] = '\0';
	return name_is_safe(name) ? 0 : -EINVAL;
}

int late_record_read(struct vb_ctx *ctx, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX];
	int err;

	err = record_path(ctx, name, path, sizeof(path));
	if (err < 0)
		return err;
	err = read_attr(path, buf, size);
	if (err <= 0)
		return -ENOENT;
	/* status prints it: only what vfio-bind itself writes there */
	return late_record_parse(buf);
}

static bool wanted(const struct request *req, const struct pci_dev *d)
{
	size_t i;

	for (i = 0; i < req->nsel; i++)
		if (sel_matches(&req->sel[i], d))
			return true;
	return false;
}

/*
 * A held VF goes to its own driver: driver_override names it (drivers_probe alone is refused
 * for a held VF), probe, then clear the override so that nothing stays pinned. Each write is
 * tried twice. 0 when the probe was written (d->driver says whether the driver bound, @why
 * what else went wrong); otherwise a negative errno, and @why says why the VF has no driver.
 */
static int own_driver(struct vb_ctx *ctx, struct pci_dev *d, char *drv, size_t size, char *why,
		      size_t wsize)
{
	char path[PATH_MAX], probe[PATH_MAX];
	int err;

	*why = '\0';
	err = hostdrv_find(ctx, d, drv, size);
	if (err < 0) {
		snprintf(why, wsize, "no driver for it (%s)", strerror(-err));
		return err;
	}
	err = pci_dev_path(ctx, d, "driver_override", path, sizeof(path));
	if (err >= 0)
		err = path_fmt(probe, sizeof(probe), "%s/bus/pci/drivers_probe", ctx->sysfs);
	if (err >= 0 && (err = write_attr(ctx, path, drv)) < 0)
		err = write_attr(ctx, path, drv);
	if (err < 0) {
		snprintf(why, wsize, "cannot set driver_override to %s: %s; it stays without a "
			 "driver", drv, strerror(-err));
		return err;
	}
	write_attr(ctx, probe, d->name);
	pci_read_driver(ctx, d);
	if (write_attr(ctx, path, "\n") < 0 && (err = write_attr(ctx, path, "\n")) < 0)
		snprintf(why, wsize, "; cannot clear driver_override (%s stays in it): %s", drv,
			 strerror(-err));
	return 0;
}

/* a held VF that no selector wants, or that was excluded or refused */
static void probe_own_driver(struct vb_ctx *ctx, struct pci_dev *d, const char *pf)
{
	char drv[DRIVER_NAME_MAX], why[160];

	if (own_driver(ctx, d, drv, sizeof(drv), why, sizeof(why)) < 0)
		log_warn("%s %04x:%04x: VF of %s not selected; %s", d->name, d->id.vendor,
			 d->id.device, pf, why);
	else if (ctx->dry_run)
		log_info("%s %04x:%04x: VF of %s not selected; would be probed for %s (dry run)",
			 d->name, d->id.vendor, d->id.device, pf, drv);
	else
		log_info("%s %04x:%04x: VF of %s not selected; probed for its own driver %s: %s%s%s",
			 d->name, d->id.vendor, d->id.device, pf, drv,
			 d->driver[0] ? "now on " : "it did not bind", d->driver, why);
}

/*
 * A held VF that was asked for but could not be claimed: released, its own driver gets it,
 * as any released device gets its host driver (the hand-back's plain drivers_probe is refused
 * for a held VF). The outcome line then says where it is, or why it has no driver.
 */
static void hand_back_vf(struct vb_ctx *ctx, struct pci_dev *d)
{
	char drv[DRIVER_NAME_MAX], why[160];
	size_t n = strlen(d->why);

	own_driver(ctx, d, drv, sizeof(drv), why, sizeof(why));
	if (why[0])
		snprintf(d->why + n, sizeof(d->why) - n, "%s%s", why[0] == ';' ? "" : "; ", why);
}

/*
 * Does the PF keep new VFs from their drivers (sriov_drivers_autoprobe 0)? Whether or not a
 * selector still wants its VFs: one removed since the boot leaves the hold in place, and a VF
 * nobody probes stays without a driver.
 */
static bool pf_holds(struct vb_ctx *ctx, const char *pf)
{
	struct sriov_info s;
	struct pci_dev d;

	return pci_read_dev(ctx, pf, &d) == 0 && sriov_read(ctx, &d, &s) == 0 && s.autoprobe == 0;
}

int cmd_hotplug(struct vb_ctx *ctx, int argc, char **argv)
{
	unsigned n[OUT_KEPT + 1] = { 0 };
	char name[PCI_NAME_MAX], pf[PCI_NAME_MAX] = "", esc[80];
	struct takeover t = { .blacklist = "" };
	struct pci_list list;
	struct request req;
	struct pci_dev d;
	bool vf, want;

	if (argc != 1 || addr_canon(argv[0], name, sizeof(name)) < 0) {
		str_escape(esc, sizeof(esc), argc ? argv[0] : "", 40);
		fprintf(stderr, "vfio-bind: hotplug takes one PCI function address "
			"([DDDD:]BB:SS.F), not '%s'\nTry 'vfio-bind --help'.\n", esc);
		return -EUSAGE;
	}
	request_init(&req);
	/* bad tokens were reported by the boot pass; every new device would repeat them */
	log_open_stream(NULL);
	if (cmdline_load(ctx, &req) >= 0) {
		/* the IDs of vfio-pci's own ids= count as selectors here too, as at boot */
		takeover_read(ctx, &req, &t);
		takeover_apply(ctx, &req, &t);
	}
	log_open_kmsg(ctx->kmsg);
	if (req.debug)
		log_set_max_prio(VB_DEBUG);
	if (req.dry_run)
		ctx->dry_run = true;
	if (pci_read_dev(ctx, name, &d) < 0) {
		log_debug("hotplug %s: no such device", name);
		goto out;
	}
	vf = sriov_physfn(ctx, &d, pf, sizeof(pf)) == 0;
	if (!req.nsel && !vf) {
		log_debug("hotplug %s: no selectors", name);
		goto out;
	}
	pci_read_driver(ctx, &d);
	record_forget(ctx, d.name);
	want = wanted(&req, &d);
	ctx->late = true;
	if (want)
		log_notice("%s %04x:%04x arrived late (%s%s%s)", d.name, d.id.vendor,
			   d.id.device, vf ? "SR-IOV VF of " : "hot-plugged", pf,
			   d.driver[0] ? "; its driver is bound already" : "");
	list = (struct pci_list){ &d, 1, 1 };
	if (want && plan_build(ctx, &req, &list) > 0)
		boot_claim(ctx, &req, &list, t.blacklist);
	if (vf && d.outcome == OUT_RELEASED && !d.driver[0] && !ctx->dry_run && pf_holds(ctx, pf))
		hand_back_vf(ctx, &d);
	if (want)
		boot_report(ctx, &req, &list, n);
	if (d.outcome == OUT_CLAIMED)
		record_claim(ctx, &d);
	/* refused, excluded or never asked for: a held VF still gets its own driver */
	if (vf && !d.driver[0] && (d.outcome == OUT_NONE || d.outcome == OUT_REFUSED) &&
	    pf_holds(ctx, pf))
		probe_own_driver(ctx, &d, pf);
out:
	request_free(&req);
	return 0;
}
