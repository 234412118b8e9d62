// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mktree N ROOT: write a synthetic sysfs/procfs tree of N PCI functions under ROOT, laid out
 * as the kernel lays it out (flat under one host bridge, as HACKING.md's simulated kernel does):
 *
 *   ROOT/sys/devices/pci0000:00/ADDR/{uevent,vendor,device,subsystem_vendor,subsystem_device,
 *                                     class,revision,modalias,driver_override,enable,...}
 *   ROOT/sys/devices/pci0000:00/ADDR/iommu_group -> ../../../kernel/iommu_groups/G
 *   ROOT/sys/devices/pci0000:00/ADDR/driver      -> ../../../bus/pci/drivers/NAME  (bound ones)
 *   ROOT/sys/devices/pci0000:00/ADDR/subsystem   -> ../../../bus/pci
 *   ROOT/sys/bus/pci/devices/ADDR                -> ../../../devices/pci0000:00/ADDR
 *   ROOT/sys/bus/pci/drivers/NAME/{bind,unbind,new_id,remove_id,ADDR -> device}
 *   ROOT/sys/kernel/iommu_groups/G/devices/ADDR  -> ../../../../devices/pci0000:00/ADDR
 *   ROOT/sys/bus/platform/devices/NAME           -> ../../../devices/platform/NAME
 *   ROOT/sys/class/vtconsole/vtconN              -> ../../devices/virtual/vtconsole/vtconN
 *   ROOT/proc/{cmdline,iomem,fb}, ROOT/etc/cmdline.d/ (empty), ROOT/tree.info (counts)
 *
 * The mix: a server's chipset functions on bus 00, one add-in card per bus after that (NICs,
 * NVMe, HBAs, USB, GPUs with their audio functions, PCIe switches), and SR-IOV virtual functions
 * filling buses once the tree is too big for plain cards (how real machines reach thousands of
 * functions). The same 11 functions are present at every size, so the selectors on the
 * command line below match the same handful of devices (the plan stays the same size):
 *
 *   vfio.bind=10de:1b06,0000:42:00.1,1002:73bf@0b:00.0,!03:00.0
 *   01:00.0 10de:1b06 (nouveau)  02:00.0 10de:1b06 (unbound)  03:00.0 10de:1b06 (excluded)
 *   0b:00.0 1002:73bf (amdgpu, guarded)  42:00.1 8086:1521 (igb, by address)
 *
 * Deterministic (fixed PRNG seed): the same N always gives the same tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CMDLINE "BOOT_IMAGE=/vmlinuz-6.1.0-21-amd64 root=/dev/sda1 ro quiet " \
	"intel_iommu=on iommu=pt vfio.bind=10de:1b06,0000:42:00.1,1002:73bf@0b:00.0,!03:00.0\n"

struct fn {
	unsigned vendor, device, sub_vendor, sub_device, class, rev;
	const char *driver;	/* NULL: no driver bound */
};

#define Z "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"

static const char *root;
static char buf[8192];

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("mktree: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
	va_end(ap);
	exit(1);
}

static const char *P(const char *fmt, ...)
{
	static char path[4096];
	va_list ap;
	int n = snprintf(path, sizeof(path), "%s/", root);

	va_start(ap, fmt);
	vsnprintf(path + n, sizeof(path) - n, fmt, ap);
	va_end(ap);
	return path;
}

static void mkdirs(const char *path)
{
	char tmp[4096];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			die("mkdir %s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		die("mkdir %s: %s", tmp, strerror(errno));
}

static void put(const char *path, const char *fmt, ...)
{
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, n) != n || close(fd))
		die("write %s: %s", path, strerror(errno));
}

static void link_to(const char *target, const char *path)
{
	if (symlink(target, path) && errno != EEXIST)
		die("symlink %s: %s", path, strerror(errno));
}

/* ---- the device catalogue ------------------------------------------------------------- */

/* card kinds for the buses after 00 */
struct card {
	const char *what;
	unsigned weight;
	unsigned nfn;		/* functions of the physical card */
	struct fn fn[4];	/* per function (the last one repeats) */
	struct fn vf;		/* SR-IOV VF, when vendor != 0 */
};

static const struct card cards[] = {
	{ "I350 2-port", 8, 2, { { 0x8086, 0x1521, 0x8086, 0x00a3, 0x020000, 1, "igb" } },
	  { 0x8086, 0x1520, 0x8086, 0x00a3, 0x020000, 1, "igbvf" } },
	{ "X710 4-port", 6, 4, { { 0x8086, 0x1572, 0x8086, 0x0007, 0x020000, 2, "i40e" } },
	  { 0x8086, 0x154c, 0x8086, 0x0000, 0x020000, 2, "iavf" } },
	{ "ConnectX-5", 6, 2, { { 0x15b3, 0x1017, 0x15b3, 0x0007, 0x020000, 0, "mlx5_core" } },
	  { 0x15b3, 0x1018, 0x15b3, 0x0007, 0x020000, 0, NULL } },
	{ "NVMe", 10, 1, { { 0x144d, 0xa808, 0x144d, 0xa801, 0x010802, 0, "nvme" } } },
	{ "NVMe", 6, 1, { { 0x8086, 0x0a54, 0x8086, 0x4802, 0x010802, 0, "nvme" } } },
	{ "HBA", 3, 1, { { 0x1000, 0x0097, 0x1000, 0x30e0, 0x010700, 2, "mpt3sas" } } },
	{ "USB", 3, 1, { { 0x1912, 0x0014, 0x1912, 0x0014, 0x0c0330, 3, "xhci_hcd" } } },
	{ "SATA", 2, 1, { { 0x1b21, 0x0612, 0x1b21, 0x1060, 0x010601, 2, "ahci" } } },
	{ "T4", 3, 1, { { 0x10de, 0x1eb8, 0x10de, 0x12a2, 0x030200, 0xa1, NULL } } },
	{ "GTX 1080", 2, 2, { { 0x10de, 0x1b80, 0x1458, 0x3702, 0x030000, 0xa1, "nouveau" },
			      { 0x10de, 0x10f0, 0x1458, 0x3702, 0x040300, 0xa1, "snd_hda_intel" } } },
	{ "PLX switch", 2, 1, { { 0x10b5, 0x8747, 0x10b5, 0x8747, 0x060400, 0xca, "pcieport" } } },
	{ "ASPEED BMC", 1, 1, { { 0x1a03, 0x2000, 0x15d9, 0x1b95, 0x030000, 0x41, "ast" } } },
};

/* chipset functions on bus 00, slot = index + 1 */
static const struct fn chipset[] = {
	{ 0x8086, 0x2030, 0x15d9, 0x095d, 0x060400, 4, "pcieport" },
	{ 0x8086, 0x2031, 0x15d9, 0x095d, 0x060400, 4, "pcieport" },
	{ 0x8086, 0x2032, 0x15d9, 0x095d, 0x060400, 4, "pcieport" },
	{ 0x8086, 0x2033, 0x15d9, 0x095d, 0x060400, 4, "pcieport" },
	{ 0x8086, 0x2021, 0x15d9, 0x095d, 0x088000, 4, "ioatdma" },
	{ 0x8086, 0x2024, 0x15d9, 0x095d, 0x088000, 4, NULL },
	{ 0x8086, 0x2025, 0x15d9, 0x095d, 0x088000, 4, NULL },
	{ 0x8086, 0x2034, 0x15d9, 0x095d, 0x080000, 4, NULL },
	{ 0x8086, 0x2035, 0x15d9, 0x095d, 0x080000, 4, NULL },
	{ 0x8086, 0x2036, 0x15d9, 0x095d, 0x080000, 4, NULL },
	{ 0x8086, 0xa1ec, 0x15d9, 0x095d, 0xff0000, 9, NULL },
	{ 0x8086, 0xa1af, 0x15d9, 0x095d, 0x0c0330, 9, "xhci_hcd" },
	{ 0x8086, 0xa1b1, 0x15d9, 0x095d, 0x118000, 9, "intel_pch_thermal" },
	{ 0x8086, 0xa1ba, 0x15d9, 0x095d, 0x078000, 9, "mei_me" },
	{ 0x8086, 0xa1d2, 0x15d9, 0x095d, 0x010601, 9, "ahci" },
	{ 0x8086, 0xa182, 0x15d9, 0x095d, 0x010601, 9, "ahci" },
	{ 0x8086, 0xa190, 0x15d9, 0x095d, 0x060400, 0xf9, "pcieport" },
	{ 0x8086, 0xa194, 0x15d9, 0x095d, 0x060400, 0xf9, "pcieport" },
	{ 0x8086, 0xa1c1, 0x15d9, 0x095d, 0x060100, 9, NULL },
	{ 0x8086, 0xa1a1, 0x15d9, 0x095d, 0x058000, 9, NULL },
	{ 0x8086, 0xa1a3, 0x15d9, 0x095d, 0x0c0500, 9, "i801_smbus" },
	{ 0x8086, 0xa1a4, 0x15d9, 0x095d, 0x0c8000, 9, NULL },
	{ 0x8086, 0x15b7, 0x15d9, 0x15b7, 0x020000, 0, "e1000e" },
};
#define NCHIPSET (sizeof(chipset) / sizeof(chipset[0]))

/* the functions every size has: the ones vfio.bind= above is about, and their neighbours */
struct fixed {
	unsigned bus, slot, func;
	struct fn fn;
};
static const struct fixed fixed[] = {
	{ 0x00, 0, 0, { 0x8086, 0x2020, 0x15d9, 0x095d, 0x060000, 4, NULL } },
	{ 0x01, 0, 0, { 0x10de, 0x1b06, 0x1458, 0x3752, 0x030000, 0xa1, "nouveau" } },
	{ 0x01, 0, 1, { 0x10de, 0x10ef, 0x1458, 0x3752, 0x040300, 0xa1, "snd_hda_intel" } },
	{ 0x02, 0, 0, { 0x10de, 0x1b06, 0x10de, 0x120f, 0x030000, 0xa1, NULL } },
	{ 0x02, 0, 1, { 0x10de, 0x10ef, 0x10de, 0x120f, 0x040300, 0xa1, NULL } },
	{ 0x03, 0, 0, { 0x10de, 0x1b06, 0x1458, 0x3752, 0x030000, 0xa1, "nouveau" } },
	{ 0x03, 0, 1, { 0x10de, 0x10ef, 0x1458, 0x3752, 0x040300, 0xa1, "snd_hda_intel" } },
	{ 0x0b, 0, 0, { 0x1002, 0x73bf, 0x1002, 0x0e3a, 0x030000, 0xc1, "amdgpu" } },
	{ 0x0b, 0, 1, { 0x1002, 0xab28, 0x1002, 0xab28, 0x040300, 0, "snd_hda_intel" } },
	{ 0x42, 0, 0, { 0x8086, 0x1521, 0x8086, 0x00a3, 0x020000, 1, "igb" } },
	{ 0x42, 0, 1, { 0x8086, 0x1521, 0x8086, 0x00a3, 0x020000, 1, "igb" } },
};
#define NFIXED (sizeof(fixed) / sizeof(fixed[0]))

/* ---- writing one function ---------------------------------------------------------------- */

static unsigned ngroups;
static unsigned count;
static const char *driver_names[64];
static unsigned ndrivers;

static void driver_dir(const char *name)
{
	unsigned i;

	for (i = 0; i < ndrivers; i++)
		if (!strcmp(driver_names[i], name))
			return;
	if (ndrivers == 64)
		die("too many drivers");
	driver_names[ndrivers] = name;
	ndrivers++;
	mkdirs(P("sys/bus/pci/drivers/%s", name));
	put(P("sys/bus/pci/drivers/%s/bind", name), "");
	put(P("sys/bus/pci/drivers/%s/unbind", name), "");
	put(P("sys/bus/pci/drivers/%s/new_id", name), "");
	put(P("sys/bus/pci/drivers/%s/remove_id", name), "");
	put(P("sys/bus/pci/drivers/%s/uevent", name), "");
	mkdirs(P("sys/module/%s", name));
	put(P("sys/module/%s/initstate", name), "live\n");
	snprintf(buf, sizeof(buf), "../../../../module/%s", name);
	link_to(buf, P("sys/bus/pci/drivers/%s/module", name));
}

/* a new IOMMU group; returns its number */
static unsigned new_group(void)
{
	mkdirs(P("sys/kernel/iommu_groups/%u/devices", ngroups));
	put(P("sys/kernel/iommu_groups/%u/type", ngroups), "DMA\n");
	put(P("sys/kernel/iommu_groups/%u/reserved_regions", ngroups),
	    "0x00000000fee00000 0x00000000feefffff msi\n");
	return ngroups++;
}

static void add_fn(unsigned bus, unsigned slot, unsigned func, const struct fn *f, unsigned group,
		   const char *physfn)
{
	char addr[16], dev[64];
	unsigned cls = f->class;

	snprintf(addr, sizeof(addr), "0000:%02x:%02x.%x", bus, slot, func);
	snprintf(dev, sizeof(dev), "sys/devices/pci0000:00/%s", addr);
	mkdirs(P("%s", dev));
	mkdirs(P("%s/power", dev));
	put(P("%s/uevent", dev), "%s%s%sPCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\n"
	    "PCI_SLOT_NAME=%s\nMODALIAS=pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
	    f->driver ? "DRIVER=" : "", f->driver ? f->driver : "", f->driver ? "\n" : "",
	    cls, f->vendor, f->device, f->sub_vendor, f->sub_device, addr,
	    f->vendor, f->device, f->sub_vendor, f->sub_device,
	    cls >> 16, (cls >> 8) & 0xff, cls & 0xff);
	put(P("%s/modalias", dev), "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
	    f->vendor, f->device, f->sub_vendor, f->sub_device,
	    cls >> 16, (cls >> 8) & 0xff, cls & 0xff);
	put(P("%s/vendor", dev), "0x%04x\n", f->vendor);
	put(P("%s/device", dev), "0x%04x\n", f->device);
	put(P("%s/subsystem_vendor", dev), "0x%04x\n", f->sub_vendor);
	put(P("%s/subsystem_device", dev), "0x%04x\n", f->sub_device);
	put(P("%s/class", dev), "0x%06x\n", cls);
	put(P("%s/revision", dev), "0x%02x\n", f->rev);
	put(P("%s/driver_override", dev), "(null)\n");
	put(P("%s/enable", dev), f->driver ? "1\n" : "0\n");
	put(P("%s/irq", dev), "%u\n", f->driver ? 24 + count % 200 : 0);
	put(P("%s/numa_node", dev), "%d\n", bus < 0x80 ? 0 : 1);
	put(P("%s/local_cpus", dev), "ff\n");
	put(P("%s/d3cold_allowed", dev), "1\n");
	put(P("%s/msi_bus", dev), "1\n");
	put(P("%s/dma_mask_bits", dev), "64\n");
	put(P("%s/consistent_dma_mask_bits", dev), "64\n");
	put(P("%s/broken_parity_status", dev), "0\n");
	/* BAR0, BAR2 and the ROM used, the rest empty: 13 lines as the kernel prints them */
	put(P("%s/resource", dev), "0x000000%04x000000 0x000000%04xffffff 0x0000000000040200\n"
	    "%s0x000000%04x100000 0x000000%04x103fff 0x000000000014220c\n%s"
	    "0x00000000fb000000 0x00000000fb07ffff 0x0000000000046200\n%s",
	    0x8000 + count, 0x8000 + count, Z, 0xa000 + count, 0xa000 + count, Z Z Z, Z Z Z Z Z Z);
	put(P("%s/power/control", dev), "on\n");
	put(P("%s/remove", dev), "");
	put(P("%s/rescan", dev), "");
	put(P("%s/reset", dev), "");
	if ((cls >> 8) == 0x0300)
		put(P("%s/boot_vga", dev), f->vendor == 0x1a03 && bus != 0 ? "1\n" : "0\n");
	link_to("../../../bus/pci", P("%s/subsystem", dev));
	if (physfn)
		link_to(physfn, P("%s/physfn", dev));

	snprintf(buf, sizeof(buf), "../../../kernel/iommu_groups/%u", group);
	link_to(buf, P("%s/iommu_group", dev));
	snprintf(buf, sizeof(buf), "../../../../devices/pci0000:00/%s", addr);
	link_to(buf, P("sys/kernel/iommu_groups/%u/devices/%s", group, addr));

	snprintf(buf, sizeof(buf), "../../../devices/pci0000:00/%s", addr);
	link_to(buf, P("sys/bus/pci/devices/%s", addr));

	if (f->driver) {
		driver_dir(f->driver);
		snprintf(buf, sizeof(buf), "../../../bus/pci/drivers/%s", f->driver);
		link_to(buf, P("%s/driver", dev));
		snprintf(buf, sizeof(buf), "../../../../devices/pci0000:00/%s", addr);
		link_to(buf, P("sys/bus/pci/drivers/%s/%s", f->driver, addr));
	}
	count++;
}

/* ---- layout -------------------------------------------------------------------------------- */

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

static const struct card *pick_card(void)
{
	unsigned total = 0, i, r;

	for (i = 0; i < sizeof(cards) / sizeof(cards[0]); i++)
		total += cards[i].weight;
	r = rnd(total);
	for (i = 0;; i++) {
		if (r < cards[i].weight)
			return &cards[i];
		r -= cards[i].weight;
	}
}

static int bus_is_fixed(unsigned bus)
{
	unsigned i;

	for (i = 0; i < NFIXED; i++)
		if (fixed[i].bus == bus)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned n, i, bus, left, free_buses, per_bus;
	FILE *f;

	if (argc != 3 || (n = strtoul(argv[1], NULL, 10)) < NFIXED || n > 60000)
		die("usage: mktree N ROOT   (N from %zu to 60000)", NFIXED);
	root = argv[2];
	mkdirs(P("sys/devices/pci0000:00"));
	mkdirs(P("sys/bus/pci/devices"));
	mkdirs(P("sys/bus/pci/drivers"));
	mkdirs(P("sys/kernel/iommu_groups"));
	mkdirs(P("sys/module"));
	mkdirs(P("proc"));
	mkdirs(P("dev"));
	mkdirs(P("etc/cmdline.d"));
	put(P("sys/bus/pci/drivers_probe"), "");
	put(P("sys/bus/pci/drivers_autoprobe"), "1\n");
	put(P("sys/bus/pci/rescan"), "");
	put(P("sys/devices/pci0000:00/uevent"), "");
	put(P("proc/cmdline"), CMDLINE);
	/* what fb.c and the console code look at: platform devices (no firmware framebuffer left:
	 * ast took over from efifb), the virtual consoles */
	{
		static const char *const plat[] = { "serial8250", "pcspkr", "reg-dummy",
			"alarmtimer.0.auto", "intel_rapl_msr.0", "PNP0C14:00", "ACPI0003:00" };
		for (i = 0; i < sizeof(plat) / sizeof(plat[0]); i++) {
			mkdirs(P("sys/devices/platform/%s", plat[i]));
			put(P("sys/devices/platform/%s/uevent", plat[i]), "MODALIAS=platform:%s\n",
			    plat[i]);
			put(P("sys/devices/platform/%s/driver_override", plat[i]), "(null)\n");
			mkdirs(P("sys/bus/platform/devices"));
			snprintf(buf, sizeof(buf), "../../../devices/platform/%s", plat[i]);
			link_to(buf, P("sys/bus/platform/devices/%s", plat[i]));
		}
		mkdirs(P("sys/bus/platform/drivers"));
		mkdirs(P("sys/class/vtconsole"));
		for (i = 0; i < 2; i++) {
			mkdirs(P("sys/devices/virtual/vtconsole/vtcon%u", i));
			put(P("sys/devices/virtual/vtconsole/vtcon%u/name", i), "%s\n",
			    i ? "(M) frame buffer device" : "(S) dummy device");
			put(P("sys/devices/virtual/vtconsole/vtcon%u/bind", i), "%u\n", i ? 1 : 0);
			snprintf(buf, sizeof(buf), "../../devices/virtual/vtconsole/vtcon%u", i);
			link_to(buf, P("sys/class/vtconsole/vtcon%u", i));
		}
	}
	put(P("proc/fb"), "0 astdrmfb\n");
	put(P("proc/iomem"),
	    "00000000-00000fff : Reserved\n00001000-0009ffff : System RAM\n"
	    "000a0000-000bffff : PCI Bus 0000:00\n00100000-7fffffff : System RAM\n"
	    "80000000-8fffffff : PCI MMIO 0000:00\n  80000000-80ffffff : PCI Bus 0000:04\n"
	    "fec00000-fec003ff : IOAPIC 0\nfee00000-fee00fff : Local APIC\n"
	    "100000000-47fffffff : System RAM\n");

	/* the fixed functions; one IOMMU group per slot */
	for (i = 0; i < NFIXED; i++) {
		static unsigned g, last_bus = ~0u;

		if (fixed[i].bus != last_bus)
			g = new_group();
		last_bus = fixed[i].bus;
		add_fn(fixed[i].bus, fixed[i].slot, fixed[i].func, &fixed[i].fn, g, NULL);
	}

	/* the chipset on bus 00, each function its own group */
	for (i = 0; i < NCHIPSET && count < n; i++)
		add_fn(0, i + 1, 0, &chipset[i], new_group(), NULL);

	/* one card per bus; SR-IOV VFs fill the bus up to the density the size needs */
	free_buses = 0;
	for (bus = 1; bus < 256; bus++)
		free_buses += !bus_is_fixed(bus);
	for (bus = 1; bus < 256 && count < n; bus++) {
		const struct card *c;
		unsigned fnum, g, vfs, slot, func;
		char pf[64];

		if (bus_is_fixed(bus))
			continue;
		left = n - count;
		per_bus = (left + free_buses - 1) / free_buses;
		free_buses--;
		c = pick_card();
		if (per_bus > c->nfn)	/* more than a plain card holds: a NIC with VFs */
			while (!c->vf.vendor)
				c = pick_card();
		g = new_group();
		for (fnum = 0; fnum < c->nfn && count < n; fnum++) {
			const struct fn *fn = &c->fn[fnum < 4 && c->fn[fnum].vendor ? fnum : 0];

			add_fn(bus, 0, fnum, fn, g, NULL);
		}
		if (per_bus <= c->nfn || !c->vf.vendor)
			continue;
		/* VFs from slot 0 function nfn on, each in its own group (ACS) */
		vfs = per_bus - c->nfn;
		if (vfs > 256 - c->nfn)
			vfs = 256 - c->nfn;
		snprintf(pf, sizeof(pf), "../0000:%02x:00.0", bus);
		for (i = 0; i < vfs && count < n; i++) {
			slot = (c->nfn + i) / 8;
			func = (c->nfn + i) % 8;
			add_fn(bus, slot, func, &c->vf, new_group(), pf);
		}
		put(P("sys/devices/pci0000:00/0000:%02x:00.0/sriov_numvfs", bus), "%u\n", vfs);
		put(P("sys/devices/pci0000:00/0000:%02x:00.0/sriov_totalvfs", bus), "%u\n", 256 - c->nfn);
	}
	if (count != n)
		die("made %u functions, not %u (too many for 256 buses?)", count, n);
	f = fopen(P("tree.info"), "w");
	if (f) {
		fprintf(f, "functions %u\niommu_groups %u\ndrivers %u\n", count, ngroups, ndrivers);
		fclose(f);
	}
	return 0;
}
