// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A simulated kernel for the unit tests. The fake tree is plain files and symlinks; this file
 * gives writes the effect the driver core would give them:
 *   devices/ADDR/driver_override   stored, "(null)" when cleared
 *   drivers/DRV/unbind             drops the driver link (ENODEV when DRV does not hold it)
 *   drivers_probe                  binds the override driver, or with no override the host
 *                                  driver named in ADDR/.sim_host, if that driver is loaded;
 *                                  vfio-pci needs an IOMMU group, no .sim_probe_fail, and no
 *                                  bound firmware framebuffer on a .sim_fb_holds device;
 *                                  a VF whose PF has sriov_drivers_autoprobe=0 binds only
 *                                  to its driver_override
 *   platform drivers/DRV/unbind    releases a firmware framebuffer (/proc/iomem, /proc/fb)
 *   module load                    from ROOT/lib/modules/sim/modules.dep (text); creates the
 *                                  PCI driver directory; names in .../sim-blacklist and
 *                                  libkmod's blacklist of ROOT's modprobe.d refuse (as
 *                                  KMOD_PROBE_APPLY_BLACKLIST); vfio-pci then binds every
 *                                  driverless device its ids= names (libkmod's options from
 *                                  ROOT's modprobe.d, then vfio-pci.ids= in ROOT/proc/cmdline,
 *                                  then the options the caller appends, parsed by the kernel
 *                                  model kernel-model.h: the last ids= wins, one the kernel
 *                                  refuses fails the load)
 * Every write goes to ROOT/sim-writes.log, every probe to ROOT/sim-probes.log.
 *
 * Fault injection, for the tests that walk a failure point over a run: VB_SIM_FAIL=OP:N:WHAT
 * makes the N-th (from 1) operation OP of the program fail or misbehave.
 *   OP    write (a sysfs write), load (a module load), read (an openat() for reading or a
 *         readlinkat() by the program itself, through the link-time wraps below)
 *   WHAT  EIO, EBUSY, ENODEV, ENOENT: the operation fails with that error and changes nothing;
 *         unlink (write only): the driver link of the device the write is about disappears
 *         first, then the write goes ahead, as if its driver let go at that moment;
 *         gone (write only): the device vanishes from sysfs and the write fails with ENODEV.
 * Several faults: VB_SIM_FAIL=OP:N:WHAT,OP:N:WHAT...
 * A device node NODE with a file NODE.sim_busy next to it is held: an exclusive open
 * (O_EXCL, as mkfs and wipefs ask) fails with EBUSY, as the block layer answers for a device
 * mounted, in swap or a member of md, dm, btrfs or a zpool.
 * VB_SIM_OPS_LOG=FILE appends "OP N PATH" for every counted operation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libkmod.h>

#include "kernel-model.h"
#include "modconf.h"
#include "sim-kernel.h"
#include "sysfs.h"
#include "takeover.h"

/* --- fault injection ---------------------------------------------------------------------- */
enum { OP_WRITE, OP_LOAD, OP_READ, OP_N };
static const char *const op_names[OP_N] = { "write", "load", "read" };
static unsigned op_count[OP_N];
static bool in_sim;	/* the simulator's own file accesses are not the program's */

/* the fault planned for this operation, or NULL: "EIO", "unlink", ... */
static const char *fault_for(int op, const char *path)
{
	const char *spec = getenv("VB_SIM_FAIL"), *log = getenv("VB_SIM_OPS_LOG");
	static char what[16];
	unsigned n = ++op_count[op], want;
	char name[8];

	if (log && *log) {
		FILE *f = fopen(log, "a");

		if (f) {
			fprintf(f, "%s %u %s\n", op_names[op], n, path);
			fclose(f);
		}
	}
	for (; spec && *spec; spec = strchr(spec, ',') ? strchr(spec, ',') + 1 : NULL) {
		if (sscanf(spec, "%7[a-z]:%u:%15[^,]", name, &want, what) != 3)
			return NULL;
		if (!strcmp(name, op_names[op]) && n == want)
			return what;
	}
	return NULL;
}

static int fault_errno(const char *what)
{
	static const struct { const char *name; int err; } e[] = {
		{ "EIO", EIO }, { "EBUSY", EBUSY }, { "ENODEV", ENODEV }, { "ENOENT", ENOENT },
	};
	size_t i;

	for (i = 0; i < sizeof(e) / sizeof(*e); i++)
		if (!strcmp(what, e[i].name))
			return e[i].err;
	return 0;
}

/* the program's reads, wrapped at link time (-Wl,--wrap=openat,--wrap=readlinkat) */
int __real_openat(int dirfd, const char *path, int flags, ...);
ssize_t __real_readlinkat(int dirfd, const char *path, char *buf, size_t size);

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	const char *what;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (!in_sim && !(flags & (O_WRONLY | O_RDWR)) && (what = fault_for(OP_READ, path)) &&
	    fault_errno(what)) {
		errno = fault_errno(what);
		return -1;
	}
	if (!in_sim && (flags & O_EXCL) && !(flags & O_CREAT) && dirfd == AT_FDCWD) {
		char busy[PATH_MAX];

		if (snprintf(busy, sizeof(busy), "%s.sim_busy", path) < (int)sizeof(busy) &&
		    faccessat(AT_FDCWD, busy, F_OK, 0) == 0) {
			errno = EBUSY;
			return -1;
		}
	}
	return __real_openat(dirfd, path, flags, mode);
}

ssize_t __wrap_readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	const char *what;

	if (!in_sim && (what = fault_for(OP_READ, path)) && fault_errno(what)) {
		errno = fault_errno(what);
		return -1;
	}
	return __real_readlinkat(dirfd, path, buf, size);
}

static void append(struct vb_ctx *ctx, const char *file, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", ctx->root, file);
	f = fopen(path, "a");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static int put_file(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(val, f);
	return fclose(f) ? -errno : 0;
}

static void chomp(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

static const char *rel(struct vb_ctx *ctx, const char *path)
{
	return path + strlen(ctx->sysfs);
}

/* rewrite the DRIVER= line of uevent */
static void set_uevent_driver(struct vb_ctx *ctx, const char *dev, const char *drv)
{
	char path[PATH_MAX], buf[1024], out[1024], *line, *next;
	size_t off = 0;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/uevent", ctx->sysfs, dev);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return;
	if (drv)
		off += snprintf(out, sizeof(out), "DRIVER=%s\n", drv);
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "DRIVER=", 7))
			off += snprintf(out + off, sizeof(out) - off, "%s\n", line);
	}
	put_file(path, out);
}

static bool driver_loaded(struct vb_ctx *ctx, const char *drv)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/bus/pci/drivers/%s", ctx->sysfs, drv);
	return path_exists(path);
}

static bool dev_file(struct vb_ctx *ctx, const char *dev, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/%s", ctx->sysfs, dev, name);
	return path_exists(path);
}

static bool fb_still_bound(struct vb_ctx *ctx)
{
	static const char *const fbs[] = {
		"efi-framebuffer.0", "vesa-framebuffer.0", "simple-framebuffer.0",
	};
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/bus/platform/devices/%s/driver", ctx->sysfs,
			 fbs[i]);
		if (access(path, F_OK) == 0)
			return true;
	}
	return false;
}

static int do_bind(struct vb_ctx *ctx, const char *dev, const char *drv)
{
	char link[PATH_MAX], target[PATH_MAX];

	append(ctx, "sim-probes.log", "%s %s\n", drv, dev);
	if (!strcmp(drv, "vfio-pci")) {
		if (!dev_file(ctx, dev, "iommu_group"))
			return -EINVAL;	/* vfio_pci_core_register_device: no group */
		if (dev_file(ctx, dev, ".sim_probe_fail"))
			return -EIO;
		if (dev_file(ctx, dev, ".sim_fb_holds") && fb_still_bound(ctx))
			return -EBUSY;	/* "BAR 0: can't reserve" */
	}
	snprintf(link, sizeof(link), "%s/bus/pci/devices/%s/driver", ctx->sysfs, dev);
	snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", drv);
	if (symlink(target, link) < 0)
		return -errno;
	snprintf(link, sizeof(link), "%s/bus/pci/drivers/%s/%s", ctx->sysfs, drv, dev);
	snprintf(target, sizeof(target), "../../../../devices/pci0000:00/%s", dev);
	symlink(target, link);
	set_uevent_driver(ctx, dev, drv);
	return 0;
}

static int do_unbind(struct vb_ctx *ctx, const char *drv, const char *dev)
{
	char link[PATH_MAX], cur[64];

	snprintf(link, sizeof(link), "%s/bus/pci/devices/%s/driver", ctx->sysfs, dev);
	if (read_link_name(link, cur, sizeof(cur)) < 0 || strcmp(cur, drv))
		return -ENODEV;
	unlink(link);
	snprintf(link, sizeof(link), "%s/bus/pci/drivers/%s/%s", ctx->sysfs, drv, dev);
	unlink(link);
	set_uevent_driver(ctx, dev, NULL);
	return 0;
}

static bool vf_held(struct vb_ctx *ctx, const char *dev)
{
	char path[PATH_MAX], pf[64], val[8];

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/physfn", ctx->sysfs, dev);
	if (read_link_name(path, pf, sizeof(pf)) < 0)
		return false;
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/sriov_drivers_autoprobe", ctx->sysfs,
		 pf);
	return read_attr(path, val, sizeof(val)) > 0 && !strcmp(val, "0");
}

static int do_probe(struct vb_ctx *ctx, const char *dev)
{
	char path[PATH_MAX], drv[64];

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", ctx->sysfs, dev);
	if (access(path, F_OK) == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver_override", ctx->sysfs, dev);
	if (read_attr(path, drv, sizeof(drv)) < 0)
		return -ENODEV;
	if (!strcmp(drv, "(null)")) {
		/* pci_device_can_probe(): a VF of a PF with sriov_drivers_autoprobe=0 binds
		 * only to a driver_override */
		if (vf_held(ctx, dev))
			return 0;
		snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/.sim_host", ctx->sysfs, dev);
		if (read_attr(path, drv, sizeof(drv)) <= 0)
			return 0;
	}
	if (!driver_loaded(ctx, drv))
		return 0;
	/* like the driver core: a failed probe leaves the device unbound, drivers_probe is 0 */
	do_bind(ctx, dev, drv);
	return 0;
}

/* drop firmware-framebuffer lines from a /proc file */
static void drop_lines(struct vb_ctx *ctx, const char *file, const char *const *words)
{
	char path[PATH_MAX], buf[8192], out[8192], *line, *next;
	size_t off = 0, i;

	snprintf(path, sizeof(path), "%s/%s", ctx->proc, file);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return;
	for (line = buf; line && *line; line = next) {
		bool drop = false;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		for (i = 0; words[i]; i++)
			drop |= strstr(line, words[i]) != NULL;
		if (!drop)
			off += snprintf(out + off, sizeof(out) - off, "%s\n", line);
	}
	out[off] = '\0';
	put_file(path, out);
}

static int platform_unbind(struct vb_ctx *ctx, const char *drv, const char *dev)
{
	static const char *const iomem[] = { "efifb", "vesafb", "simplefb", "BOOTFB", NULL };
	static const char *const fb[] = { "EFI VGA", "VESA VGA", "simple", NULL };
	const char *own[2] = { NULL, NULL };
	char link[PATH_MAX], cur[64], path[PATH_MAX], name[128];

	snprintf(link, sizeof(link), "%s/bus/platform/devices/%s/driver", ctx->sysfs, dev);
	if (read_link_name(link, cur, sizeof(cur)) < 0 || strcmp(cur, drv))
		return -ENODEV;
	/* the names the fixture gave this framebuffer (mkfixture.sh fb ... iomem= fbname=) */
	snprintf(path, sizeof(path), "%s/bus/platform/devices/%s/.sim_iomem", ctx->sysfs, dev);
	own[0] = name;
	if (read_attr(path, name, sizeof(name)) > 0)
		drop_lines(ctx, "iomem", own);
	snprintf(path, sizeof(path), "%s/bus/platform/devices/%s/.sim_fbname", ctx->sysfs, dev);
	if (read_attr(path, name, sizeof(name)) > 0)
		drop_lines(ctx, "fb", own);
	unlink(link);
	drop_lines(ctx, "iomem", iomem);
	drop_lines(ctx, "fb", fb);
	return 0;
}

/* the PCI device a write is about: its value, or the devices/ADDR/ part of its path */
static bool write_dev(struct vb_ctx *ctx, const char *path, const char *v, char *dev, size_t size)
{
	const char *r = rel(ctx, path);
	unsigned a, b, c, d;
	char tail;

	if (sscanf(v, "%x:%x:%x.%x%c", &a, &b, &c, &d, &tail) == 4) {
		snprintf(dev, size, "%s", v);
		return true;
	}
	if (sscanf(r, "/bus/pci/devices/%63[^/]/", dev) == 1)
		return true;
	return false;
}

static void drop_driver_link(struct vb_ctx *ctx, const char *dev)
{
	char link[PATH_MAX], cur[64];

	snprintf(link, sizeof(link), "%s/bus/pci/devices/%s/driver", ctx->sysfs, dev);
	if (read_link_name(link, cur, sizeof(cur)) < 0)
		return;
	unlink(link);
	snprintf(link, sizeof(link), "%s/bus/pci/drivers/%s/%s", ctx->sysfs, cur, dev);
	unlink(link);
	set_uevent_driver(ctx, dev, NULL);
}

/* hot removal: the bus link goes, and the device directory with it (its group link dangles) */
static void remove_dev(struct vb_ctx *ctx, const char *dev)
{
	char path[PATH_MAX], gone[PATH_MAX + 8];

	drop_driver_link(ctx, dev);
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", ctx->sysfs, dev);
	unlink(path);
	snprintf(path, sizeof(path), "%s/devices/pci0000:00/%s", ctx->sysfs, dev);
	snprintf(gone, sizeof(gone), "%s.gone", path);
	rename(path, gone);
}

static int sim_write_attr_inner(struct vb_ctx *ctx, const char *path, const char *val);

static int sim_write_attr(struct vb_ctx *ctx, const char *path, const char *val)
{
	char v[256], dev[64];
	const char *what;
	int err;

	in_sim = true;
	snprintf(v, sizeof(v), "%s", val);
	chomp(v);
	what = fault_for(OP_WRITE, path);
	if (what) {
		append(ctx, "sim-faults.log", "write %u %s %s\t%s\n", op_count[OP_WRITE], what,
		       path + strlen(ctx->root), v);
		if (fault_errno(what)) {
			/* it was tried: the log of writes shows it */
			append(ctx, "sim-writes.log", "%s\t%s\n", path + strlen(ctx->root), v);
			in_sim = false;
			return -fault_errno(what);
		}
		if (write_dev(ctx, path, v, dev, sizeof(dev))) {
			if (!strcmp(what, "unlink")) {
				drop_driver_link(ctx, dev);
			} else if (!strcmp(what, "gone")) {
				remove_dev(ctx, dev);
				append(ctx, "sim-writes.log", "%s\t%s\n",
				       path + strlen(ctx->root), v);
				in_sim = false;
				return -ENODEV;
			}
		}
	}
	err = sim_write_attr_inner(ctx, path, val);
	in_sim = false;
	return err;
}

static int sim_write_attr_inner(struct vb_ctx *ctx, const char *path, const char *val)
{
	char v[256], dev[64], drv[64];
	const char *r = rel(ctx, path);
	int err = 0;

	snprintf(v, sizeof(v), "%s", val);
	chomp(v);
	append(ctx, "sim-writes.log", "%s\t%s\n", path + strlen(ctx->root), v);
	if (strncmp(path, ctx->sysfs, strlen(ctx->sysfs)))
		return -EACCES;

	if (sscanf(r, "/bus/pci/devices/%63[^/]/driver_override", dev) == 1 &&
	    strstr(r, "/driver_override")) {
		char stored[300];

		snprintf(stored, sizeof(stored), "%s\n", v[0] ? v : "(null)");
		return put_file(path, stored);
	}
	if (sscanf(r, "/bus/pci/drivers/%63[^/]/unbind", drv) == 1 && strstr(r, "/unbind"))
		return do_unbind(ctx, drv, v);
	if (sscanf(r, "/bus/pci/drivers/%63[^/]/bind", drv) == 1 && strstr(r, "/bind")) {
		err = driver_loaded(ctx, drv) ? do_bind(ctx, v, drv) : -ENODEV;
		return err;
	}
	if (!strcmp(r, "/bus/pci/drivers_probe"))
		return do_probe(ctx, v);
	if (sscanf(r, "/bus/platform/drivers/%63[^/]/unbind", drv) == 1 && strstr(r, "/unbind"))
		return platform_unbind(ctx, drv, v);
	return put_file(path, val);
}

static bool listed(const char *file, const char *name)
{
	char buf[4096], *tok;

	if (read_file(file, buf, sizeof(buf)) < 0)
		return false;
	for (tok = strtok(buf, " \n"); tok; tok = strtok(NULL, " \n"))
		if (!strcmp(tok, name))
			return true;
	return false;
}

static void make_loaded(struct vb_ctx *ctx, const char *ko)
{
	char name[128], path[PATH_MAX];
	const char *base = strrchr(ko, '/');
	size_t i;

	snprintf(name, sizeof(name), "%s", base ? base + 1 : ko);
	name[strcspn(name, ".")] = '\0';
	append(ctx, "sim-writes.log", "insmod\t%s\n", name);
	for (i = 0; name[i]; i++)
		if (name[i] == '-')
			name[i] = '_';
	snprintf(path, sizeof(path), "%s/module/%s", ctx->sysfs, name);
	mkdir(path, 0755);
	if (!strcmp(name, "vfio_pci")) {
		snprintf(path, sizeof(path), "%s/bus/pci/drivers/vfio-pci", ctx->sysfs);
		mkdir(path, 0755);
	}
}

/*
 * What the loaded module's parameters hold: libkmod's options for it (as modprobe passes them;
 * libkmod's own reading of this machine's /proc/cmdline included), then ROOT's command line's
 * vfio-pci.ids= (which libkmod cannot be pointed at), then the options the caller appends,
 * parsed by the kernel (kernel-model.h). A parameter the kernel refuses fails the load.
 */
static int sim_module_ids(struct vb_ctx *ctx, const char *name, struct km_ids *k)
{
	char dirs[MODCONF_NDIRS][PATH_MAX], cmdline[4096], *args, *param, *val;
	struct kmod_module *m = NULL;
	struct kmod_config_iter *it;
	struct kmod_ctx *kc;
	bool blacklisted = false;

	kc = kmod_new(ctx->moddir, modconf_paths(ctx, dirs));
	if (!kc)
		return -ENOMEM;
	it = kmod_config_get_blacklists(kc);
	while (it && kmod_config_iter_next(it))
		if (modname_eq(kmod_config_iter_get_key(it), name))
			blacklisted = true;
	kmod_config_iter_free_iter(it);
	if (!blacklisted && kmod_module_new_from_name(kc, name, &m) == 0) {
		const char *opts = kmod_module_get_options(m);

		if (opts)
			km_module_args(k, opts);
		kmod_module_unref(m);
	}
	kmod_unref(kc);
	if (blacklisted)
		return -EPERM;
	if (read_file(ctx->cmdline, cmdline, sizeof(cmdline)) >= 0)
		for (args = km_skip_spaces(cmdline); *args;) {
			args = km_next_arg(args, &param, &val);
			if (!val && !strcmp(param, "--"))
				break;
			if (km_parameq(param, "vfio_pci.ids") && !strcmp(name, "vfio_pci"))
				km_set_ids(k, val);
		}
	if (ctx->load_opts) {
		append(ctx, "sim-writes.log", "load-options\t%s %s\n", name, ctx->load_opts);
		km_module_args(k, ctx->load_opts);
	}
	return k->err;
}

struct sim_ids {
	struct vb_ctx *ctx;
	const char *ids;
};

static int sim_ids_one(int dirfd, const char *name, void *data)
{
	struct sim_ids *si = data;
	char path[PATH_MAX], ovr[64];
	struct km_entry e[KM_IDS_SIZE];
	size_t i, n = km_fill_ids(si->ids, e, KM_IDS_SIZE);
	struct pci_dev d;

	if (n > KM_IDS_SIZE)
		n = KM_IDS_SIZE;
	if (pci_read_dev(si->ctx, name, &d) < 0 || d.driver[0])
		return 0;
	for (i = 0; i < n; i++)
		if (km_match(&e[i], d.id.vendor, d.id.device, d.id.sub_vendor, d.id.sub_device,
			     d.class))
			break;
	if (i == n)
		return 0;
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver_override", si->ctx->sysfs,
		 name);
	if (read_attr(path, ovr, sizeof(ovr)) >= 0 && strcmp(ovr, "(null)") &&
	    strcmp(ovr, "vfio-pci"))
		return 0;
	do_bind(si->ctx, name, "vfio-pci");
	return 0;
}

/* vfio-pci's probe of every device without a driver, with its ids= as dynamic IDs */
static void sim_vfio_ids(struct vb_ctx *ctx, const char *ids)
{
	struct sim_ids si = { ctx, ids };
	char path[PATH_MAX];

	if (!ids[0])
		return;
	append(ctx, "sim-writes.log", "vfio-pci-ids\t%s\n", ids);
	snprintf(path, sizeof(path), "%s/bus/pci/devices", ctx->sysfs);
	dir_for_each(path, sim_ids_one, &si);
}

static int sim_load_module_inner(struct vb_ctx *ctx, const char *name);

static int sim_load_module(struct vb_ctx *ctx, const char *name)
{
	const char *what;
	int err;

	in_sim = true;
	what = fault_for(OP_LOAD, name);
	if (what && fault_errno(what)) {
		append(ctx, "sim-faults.log", "load %u %s %s\n", op_count[OP_LOAD], what, name);
		in_sim = false;
		return -fault_errno(what);
	}
	err = sim_load_module_inner(ctx, name);
	in_sim = false;
	return err;
}

/* modules.dep lines: "kernel/.../vfio-pci.ko: kernel/.../vfio-pci-core.ko ..." */
static int sim_load_module_inner(struct vb_ctx *ctx, const char *name)
{
	char path[PATH_MAX], buf[8192], want[128], *line, *next, *dep;
	size_t i;

	snprintf(want, sizeof(want), "/%s.ko:", name);
	for (i = 0; want[i]; i++)
		if (want[i] == '_')
			want[i] = '-';
	static struct km_ids k;
	int err;

	snprintf(path, sizeof(path), "%s/sim-blacklist", ctx->moddir);
	if (listed(path, name))
		return -EPERM;
	memset(&k, 0, sizeof(k));
	err = sim_module_ids(ctx, name, &k);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/modules.dep", ctx->moddir);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return -ENOENT;
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strstr(line, want))
			continue;
		/* dependencies load first, in reverse order of the list, then the module */
		dep = strchr(line, ':');
		*dep++ = '\0';
		for (char *d = strtok(dep, " "); d; d = strtok(NULL, " "))
			make_loaded(ctx, d);
		make_loaded(ctx, line);
		if (modname_eq(name, "vfio_pci"))
			sim_vfio_ids(ctx, k.ids);
		return 0;
	}
	return -ENOENT;
}

const struct kernel_ops kernel_sim = {
	.write_attr = sim_write_attr,
	.load_module = sim_load_module,
};
