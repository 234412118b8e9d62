// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-bind suggest: the token to write, guarded by default so that a renumbered bus never
 * hands another device to vfio-pci, with the rest of the slot and a word on the IOMMU group.
 * It prints; it never edits boot configuration.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "group.h"
#include "inuse.h"
#include "leftovers.h"
#include "log.h"
#include "plan.h"
#include "suggest.h"
#include "sysfs.h"
#include "takeover.h"
#include "vmdevs.h"

#define MAX_CHOSEN	64

/* functions by name: those left out for being in use, those named by an argument */
struct held {
	char name[MAX_CHOSEN][PCI_NAME_MAX];
	size_t n;
};

static bool held_has(const struct held *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (!strcmp(h->name[i], name))
			return true;
	return false;
}

static bool chosen_has(const struct pci_list *c, const struct pci_dev *d)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->dev[i].name, d->name))
			return true;
	return false;
}

static void choose(struct pci_list *c, struct pci_dev *d)
{
	if (c->n < c->cap && !chosen_has(c, d)) {
		c->dev[c->n] = *d;
		c->dev[c->n++].outcome = OUT_PLANNED;
	}
}

/* every function of the device's slot goes with it: GPU, HDMI audio, USB-C */
static void choose_slot(struct pci_list *all, struct pci_list *c, const struct pci_dev *d)
{
	struct pci_addr slot = d->addr;
	size_t i;

	slot.any_func = true;
	for (i = 0; i < all->n; i++) {
		struct pci_dev *o = &all->dev[i];

		if (!addr_match(&slot, &o->addr) || chosen_has(c, o))
			continue;
		if (pci_is_bridge(o))
			printf("# %s is a bridge (class %04x): it stays with the host\n", o->name,
			       o->class >> 8);
		else
			choose(c, o);
	}
}

/* An argument is an address or an ID: anything else is a usage error, said here. */
static int parse_arg(const char *arg, struct selector *sel)
{
	const char *why;
	char esc[80];

	if (selector_parse(arg, sel, &why) == 0 && (sel->kind == SEL_ID || sel->kind == SEL_ADDR))
		return 0;
	str_escape(esc, sizeof(esc), arg, 40);
	fprintf(stderr, "vfio-bind: '%s' is neither a PCI address (BB:SS.F) nor an ID "
		"(VVVV:DDDD)\nTry 'vfio-bind --help'.\n", esc);
	return -EUSAGE;
}

static void names_add(struct held *h, const char *name)
{
	if (h->n < MAX_CHOSEN)
		snprintf(h->name[h->n++], sizeof(h->name[0]), "%s", name);
}

static int resolve_arg(struct pci_list *all, struct pci_list *c, const struct selector *sel,
		       struct held *named)
{
	char esc[80];
	size_t i, before = c->n;

	str_escape(esc, sizeof(esc), sel->text, 40);
	for (i = 0; i < all->n; i++) {
		struct pci_dev *d = &all->dev[i];

		if (!sel_matches(sel, d))
			continue;
		if (pci_is_bridge(d)) {
			printf("# %s is a bridge (class %04x): it cannot be passed to a VM\n",
			       d->name, d->class >> 8);
			continue;
		}
		names_add(named, d->name);
		choose_slot(all, c, d);
	}
	if (c->n == before) {
		fprintf(stderr, "vfio-bind: '%s' matches no device that can be claimed\n", esc);
		return -ENODEV;
	}
	/* two identical cards: the ID alone would take both */
	if (sel->kind == SEL_ID && c->n - before > 1) {
		size_t slots = 0;

		for (i = before; i < c->n; i++)
			slots += i == before || c->dev[i].addr.bus != c->dev[i - 1].addr.bus ||
				 c->dev[i].addr.slot != c->dev[i - 1].addr.slot;
		if (slots > 1)
			printf("# note: %zu cards have %s; to pass only one, run "
			       "'vfio-bind suggest BB:SS.F' with its address\n", slots, esc);
	}
	return 0;
}

/* `vfio-bind add` with the token's selectors: "1002:73bf@0b:00.0 '!0b:00.2'" */
static void print_add(const char *token)
{
	const char *p = strchr(token, '=') + 1, *end;

	printf("\nClaim them at every boot, no boot loader edit (writes /etc/vfio-bind.conf and "
	       "rebuilds\nthe initramfs; --dry-run shows the change first):\n  vfio-bind add");
	for (; *p; p = *end ? end + 1 : end) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		printf(*p == '!' ? " '%.*s'" : " %.*s", (int)(end - p), p);
	}
	printf("\n");
}

static void print_apply(const char *token)
{
	print_add(token);
	printf("\nOr put the token on the kernel command line (vfio-bind prints this; it edits "
	       "nothing):\n"
	       "  GRUB (Debian, Ubuntu, Proxmox VE on GRUB):\n"
	       "    mkdir -p /etc/default/grub.d\n"
	       "    echo 'GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT %s\"' \\\n"
	       "      > /etc/default/grub.d/vfio-bind.cfg\n"
	       "    update-grub\n"
	       "  Proxmox VE with systemd-boot (proxmox-boot-tool):\n"
	       "    append ' %s' to the single line of /etc/kernel/cmdline, then\n"
	       "    proxmox-boot-tool refresh\n"
	       "  RHEL, CentOS, Fedora:\n"
	       "    grubby --update-kernel=ALL --args='%s'\n"
	       "A command-line change needs no initramfs rebuild once the image holds vfio-bind:\n"
	       "the .deb's trigger built it on installation; the RPM has no scriptlet, so after\n"
	       "installing the RPM run 'dracut -f --regenerate-all' once ('vfio-bind check' says\n"
	       "whether the image holds it). Then reboot and run 'vfio-bind status'.\n",
	       token, token, token);
}

/*
 * What the running system stands on stays out of the token (the same verdict as add and
 * claim): the SATA controller of the root disk in the onboard audio's slot, say.
 */
static void leave_out_in_use(struct vb_ctx *ctx, struct pci_list *c, struct held *h)
{
	char why[1024];
	size_t i, k = 0;

	for (i = 0; i < c->n; i++) {
		struct pci_dev *d = &c->dev[i];

		if (inuse_check(ctx, d->name, why, sizeof(why)) <= 0) {
			if (k != i)
				c->dev[k] = *d;
			k++;
			continue;
		}
		printf("# %s %04x:%04x (%s) stays with the host, it is in use: %s\n", d->name,
		       d->id.vendor, d->id.device, pci_class_name(d->class), why);
		names_add(h, d->name);
	}
	c->n = k;
}

static void print_groups(struct vb_ctx *ctx, struct pci_list *c, const struct held *h)
{
	struct group_set done = { .n = 0 };
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		struct pci_dev *d = &c->dev[i];
		struct group_info g;

		pci_read_group(ctx, d);
		if (d->group < 0) {
			printf("# warning: %s has no IOMMU group: the IOMMU is off. Enable VT-d or "
			       "AMD-Vi in the firmware (and intel_iommu=on on Intel).\n", d->name);
			continue;
		}
		if (!group_set_add(&done, d->group) || group_read(ctx, d->group, c, &g) < 0)
			continue;
		for (j = 0; j < g.n; j++) {
			const struct group_member *m = &g.m[j];
			struct pci_addr a;
			char s[32];

			if (!m->blocks || addr_parse(m->name, &a, false) < 0)
				continue;
			addr_short(&a, s, sizeof(s));
			if (held_has(h, m->name)) {
				printf("# warning: IOMMU group %d also holds %s %04x:%04x (%s, %s), "
				       "which the running system uses: a VM gets whole groups, so "
				       "this one cannot go to a VM as it is; move the card to a "
				       "slot with its own group.\n", d->group, m->name,
				       m->id.vendor, m->id.device,
				       m->driver[0] ? m->driver : "no driver",
				       pci_class_name(m->class));
				continue;
			}
			printf("# warning: IOMMU group %d also holds %s %04x:%04x (%s, %s). A VM "
			       "gets whole groups: add %04x:%04x@%s to the token too, or move the "
			       "card to a slot with its own group.\n", d->group, m->name,
			       m->id.vendor, m->id.device, m->driver[0] ? m->driver : "no driver",
			       pci_class_name(m->class), m->id.vendor, m->id.device, s);
		}
	}
}

static void leftover(enum finding level, const char *what, const char *fix, void *data)
{
	printf("# %s: %s\n#   fix: %s\n", level == FINDING_FAIL ? "problem" : "leftover", what,
	       fix);
}

/*
 * The classic recipe's leftovers as they will be with the suggested token: the running
 * command line's settings, blacklists and vfio-pci.ids=, with the token instead of its
 * vfio.bind=, and modprobe.d's ids= taken over.
 */
static void print_leftovers(struct vb_ctx *ctx, struct pci_list *all,
			    const struct pci_list *c)
{
	struct takeover t;
	struct request req;
	struct selector sel;
	size_t i;

	request_init(&req);
	log_open_stream(NULL);
	cmdline_load(ctx, &req);
	req.nsel = 0;
	for (i = 0; i < c->n; i++) {
		memset(&sel, 0, sizeof(sel));
		sel.kind = SEL_GUARD;
		sel.id = c->dev[i].id;
		sel.id.has_subsys = false;
		sel.addr = c->dev[i].addr;
		snprintf(sel.text, sizeof(sel.text), "%04x:%04x@%s", sel.id.vendor, sel.id.device,
			 c->dev[i].name);
		request_add(&req, &sel);
	}
	takeover_read(ctx, &req, &t);
	takeover_apply(ctx, &req, &t);
	for (i = 0; i < all->n; i++) {
		all->dev[i].outcome = OUT_NONE;
		all->dev[i].sel = NULL;
		all->dev[i].why[0] = '\0';
	}
	plan_build(ctx, &req, all);
	log_open_stream(stderr);
	leftovers_scan(ctx, &req, &t, all, leftover, NULL);
	request_free(&req);
}

/* The functions the VMs on this node use (suggest --vms [VMID|NAME...]), guarded. */
static int resolve_vms(struct vb_ctx *ctx, int argc, char **argv, struct pci_list *all,
		       struct pci_list *c, struct held *named, unsigned *refused)
{
	static struct vm_picks picks;
	struct vm_uses v;
	size_t i;
	int err;

	err = vmconf_read(ctx, &v);
	*refused = v.refused;
	if (err >= 0)
		err = vm_args_check(&v, argc, argv);
	if (err >= 0)
		err = pci_scan(ctx, all);
	if (err < 0)
		goto out;
	vm_pick(&v, argc, argv, all, &picks, stdout);
	for (i = 0; i < picks.n; i++) {
		const struct vm_pick *p = &picks.p[i];
		struct pci_dev *d = &all->dev[p->dev];
		char label[2 * VM_NAME_MAX + 8];

		vmconf_label(p->use, label, sizeof(label));
		printf("# VM %s: %s (%s): %s\n", label, p->use->what, p->use->where, d->name);
		names_add(named, d->name);
		choose(c, d);
		if (c->n)
			c->dev[c->n - 1].id.has_subsys = p->subsys;
	}
	if (!picks.n) {
		fprintf(stderr, "vfio-bind: the VMs on this node use no PCI device that can be "
			"claimed (%u VM configuration file(s) read)\n", v.files);
		err = -ENODEV;
	}
out:
	vmconf_free(&v);
	return err;
}

int cmd_suggest(struct vb_ctx *ctx, int argc, char **argv)
{
	struct pci_dev chosen[MAX_CHOSEN];
	struct pci_list all = { 0 }, c = { chosen, 0, MAX_CHOSEN };
	struct selector sel[MAX_CHOSEN];
	struct held held = { .n = 0 }, named = { .n = 0 };
	char token[2048], s[80];
	unsigned refused = 0;
	size_t i, off;
	int err, i_arg;

	if (argc < 1 && !ctx->vms) {
		fprintf(stderr, "vfio-bind: suggest needs a device (ADDR or VVVV:DDDD)\n"
			"Try 'vfio-bind --help'.\n");
		return -EUSAGE;
	}
	if (argc > MAX_CHOSEN) {
		fprintf(stderr, "vfio-bind: suggest takes at most %d devices\n"
			"Try 'vfio-bind --help'.\n", MAX_CHOSEN);
		return -EUSAGE;
	}
	/* check every argument's form before looking at anything */
	for (i_arg = 0; !ctx->vms && i_arg < argc; i_arg++) {
		err = parse_arg(argv[i_arg], &sel[i_arg]);
		if (err < 0)
			return err;
	}
	if (ctx->vms) {
		err = resolve_vms(ctx, argc, argv, &all, &c, &named, &refused);
	} else {
		err = pci_scan(ctx, &all);
		for (i_arg = 0; err >= 0 && i_arg < argc; i_arg++)
			err = resolve_arg(&all, &c, &sel[i_arg], &named);
	}
	if (err < 0)
		goto out;
	leave_out_in_use(ctx, &c, &held);
	for (i = 0; i < named.n && held_has(&held, named.name[i]); i++)
		;
	if (i == named.n) {
		fprintf(stderr, "vfio-bind: nothing to suggest: the running system uses what was "
			"asked for\n");
		err = -EBUSY;
		goto out;
	}

	off = path_fmt(token, sizeof(token), "vfio.bind=");
	for (i = 0; i < c.n; i++) {
		struct pci_dev *d = &c.dev[i];
		struct vm_pick p = { .subsys = ctx->vms && d->id.has_subsys };

		vm_pick_selector(&p, d, s, sizeof(s));
		off += snprintf(token + off, sizeof(token) - off, "%s%s", i ? "," : "", s);
		if (off >= sizeof(token)) {
			err = -E2BIG;
			goto out;
		}
	}
	for (i = 0; i < c.n; i++) {
		struct pci_dev *d = &c.dev[i];
		size_t j, same = 0;

		printf("# %s %04x:%04x %s, now %s%s\n", d->name, d->id.vendor, d->id.device,
		       pci_class_name(d->class), d->driver[0] ? "on " : "without a driver",
		       d->driver);
		for (j = 0; j < all.n; j++)
			same += id_match(&d->id, &all.dev[j].id) && !chosen_has(&c, &all.dev[j]);
		if (same)
			printf("#   %zu other device(s) share %04x:%04x; the guard (@address) keeps "
			       "them on their host driver\n", same, d->id.vendor, d->id.device);
	}
	print_groups(ctx, &c, &held);
	print_leftovers(ctx, &all, &c);
	printf("%s\n", token);
	print_apply(token);
	if (refused) {
		fprintf(stderr, "vfio-bind: %u part(s) of the VM configuration could not be read "
			"(named above); the token leaves them out\n", refused);
		err = -EINVAL;
	}
out:
	pci_list_free(&all);
	return err;
}
