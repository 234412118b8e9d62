// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Commands for the running system. None of them changes boot configuration; claim and
 * release act on one device now, like driverctl's --nosave.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bind.h"
#include "check.h"
#include "claim.h"
#include "commands.h"
#include "log.h"
#include "persist.h"
#include "report.h"
#include "suggest.h"
#include "sysfs.h"
#include "vfiodev.h"

int arg_device(struct vb_ctx *ctx, const char *cmd, int argc, char **argv, struct pci_dev *d)
{
	const char *arg = argv[0];
	struct pci_addr a;
	char name[PCI_NAME_MAX], esc[80];
	int err;

	if (argc != 1) {
		fprintf(stderr, "vfio-bind: %s takes one address\nTry 'vfio-bind --help'.\n", cmd);
		return -EUSAGE;
	}
	str_escape(esc, sizeof(esc), arg, 40);
	if (addr_parse(arg, &a, false) < 0) {
		fprintf(stderr, "vfio-bind: '%s' is not a PCI function address ([DDDD:]BB:SS.F)\n"
			"Try 'vfio-bind --help'.\n", esc);
		return -EUSAGE;
	}
	addr_format(&a, name, sizeof(name));
	err = pci_read_dev(ctx, name, d);
	if (err < 0) {
		fprintf(stderr, "vfio-bind: no PCI device at %s\n", name);
		return -ENODEV;
	}
	pci_read_driver(ctx, d);
	pci_read_group(ctx, d);
	return 0;
}

/* claim ADDR, or claim BB:SS: every function of the slot, each with its own verdict */
static int cmd_claim(struct vb_ctx *ctx, int argc, char **argv)
{
	struct pci_list all = { 0 };
	struct pci_addr a;
	char esc[80];
	int err;

	if (argc != 1) {
		fprintf(stderr, "vfio-bind: claim takes one address or slot\n"
			"Try 'vfio-bind --help'.\n");
		return -EUSAGE;
	}
	if (addr_parse(argv[0], &a, true) < 0) {
		str_escape(esc, sizeof(esc), argv[0], 40);
		fprintf(stderr, "vfio-bind: '%s' is not a PCI address ([DDDD:]BB:SS.F) nor a slot "
			"([DDDD:]BB:SS)\nTry 'vfio-bind --help'.\n", esc);
		return -EUSAGE;
	}
	err = pci_scan(ctx, &all);
	if (err >= 0)
		err = claim_addr(ctx, &all, &a);
	pci_list_free(&all);
	return err;
}

static int cmd_release(struct vb_ctx *ctx, int argc, char **argv)
{
	struct pci_dev d;
	char who[96];
	int err;

	err = arg_device(ctx, "release", argc, argv, &d);
	if (err < 0)
		return err;
	/* open through its group or through its own cdev (iommufd): either is a VM's */
	if (!strcmp(d.driver, VFIO_DRIVER) && !ctx->force &&
	    vfio_dev_in_use(ctx, &d, who, sizeof(who))) {
		fprintf(stderr, "vfio-bind: %s is in use by a VM (%s); stop the VM first, or use "
			"--force\n", d.name, who);
		return -EBUSY;
	}
	err = bind_release_one(ctx, &d);
	if (err < 0) {
		fprintf(stderr, "vfio-bind: releasing %s failed: %s\n", d.name, strerror(-err));
		return err;
	}
	if (ctx->dry_run)
		printf("%s %04x:%04x would be released (now %s)\n", d.name, d.id.vendor,
		       d.id.device, d.was[0] ? d.was : "without driver");
	else if (d.driver[0])
		printf("%s %04x:%04x released; now on %s\n", d.name, d.id.vendor, d.id.device,
		       d.driver);
	else
		printf("%s %04x:%04x released; no host driver bound it (is its module "
		       "loaded?)\n", d.name, d.id.vendor, d.id.device);
	return 0;
}

static int no_args(const char *cmd, int argc, char **argv)
{
	if (!argc)
		return 0;
	fprintf(stderr, "vfio-bind: %s takes no argument ('%s')\nTry 'vfio-bind --help'.\n",
		cmd, argv[0]);
	return -EUSAGE;
}

int commands_run(struct vb_ctx *ctx, const char *cmd, int argc, char **argv)
{
	int err;

	if (!strcmp(cmd, "status"))
		return (err = no_args(cmd, argc, argv)) ? err : cmd_status(ctx);
	if (!strcmp(cmd, "list"))
		return (err = no_args(cmd, argc, argv)) ? err : cmd_list(ctx);
	if (!strcmp(cmd, "check"))
		return (err = no_args(cmd, argc, argv)) ? err : cmd_check(ctx);
	if (!strcmp(cmd, "suggest"))
		return cmd_suggest(ctx, argc, argv);
	if (!strcmp(cmd, "claim"))
		return cmd_claim(ctx, argc, argv);
	if (!strcmp(cmd, "release"))
		return cmd_release(ctx, argc, argv);
	if (!strcmp(cmd, "add"))
		return cmd_add(ctx, argc, argv);
	if (!strcmp(cmd, "remove"))
		return cmd_remove(ctx, argc, argv);
	if (!strcmp(cmd, "config"))
		return cmd_config(ctx, argc, argv);
	fprintf(stderr, "vfio-bind: unknown command '%s'\nTry 'vfio-bind --help'.\n", cmd);
	return -EUSAGE;
}
