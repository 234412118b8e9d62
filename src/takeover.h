/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_TAKEOVER_H
#define VB_TAKEOVER_H

#include "cmdline.h"
#include "ctx.h"
#include "pci.h"

/*
 * vfio-pci's ids= is module_param_string(ids, ids, sizeof(ids), 0) on "static char ids[1024]"
 * (drivers/vfio/pci/vfio_pci.c): param_set_copystring() (kernel/params.c) refuses a value of
 * 1024 bytes or more with -ENOSPC. That is the only limit: init_module(2) and
 * finit_module(2) take a module's whole option string with strndup_user(uargs, ~0UL >> 1)
 * (kernel/module/main.c), and parse_args() has no length limit of its own. A refused
 * parameter fails the module's load (parse_args() returns the error, load_module() gives
 * up); on the kernel command line (vfio-pci built in) the value is dropped and boot goes on.
 */
#define IDS_MAX		1024
#define WHERE_MAX	(PATH_MAX + 64)

/*
 * vfio-pci's own ids= (the classic recipe). The options are libkmod's answer: modprobe.d's
 * "options vfio-pci" lines in order, then what libkmod reads from /proc/cmdline (with a
 * --root other than /: this root's vfio-pci.ids= instead), parsed as the kernel parses a
 * module's options: the last ids= counts. modconf_walk() only names the line it came from.
 */
struct takeover {
	char ids[IDS_MAX];		/* the value that counts; "" when there is none */
	char from[WHERE_MAX];		/* where it is, for messages */
	char overridden[WHERE_MAX];	/* an earlier ids= it overrides ("" when none) */
	char blacklist[WHERE_MAX];	/* where modprobe.d blacklists vfio_pci ("" when nowhere) */
	char refused[2 * WHERE_MAX];	/* why the kernel refuses to load vfio-pci with them */
	bool kept;			/* ids= left to vfio-pci: it names what vfio.bind= cannot */
	unsigned taken;			/* IDs turned into selectors */
	size_t first;			/* the index of the first of them in the request */
};

/* Read modprobe.d under ctx->root (through libkmod) and the request's vfio-pci.ids=. */
int takeover_read(const struct vb_ctx *ctx, const struct request *req, struct takeover *t);

/*
 * Unless vfio_bind.takeover_ids=0: every ID of ids= becomes a selector of @req (one log line
 * each, naming the source), and vfio-pci is to be loaded with an empty ids= after its
 * configured options (ctx->load_opts). Only when every entry is understood exactly: an entry
 * vfio.bind= cannot express (any vendor, a class match, one subsystem field left open) keeps
 * ids= as it is, for vfio-pci to apply, and nothing is taken over. Returns the number of IDs
 * taken over.
 */
int takeover_apply(struct vb_ctx *ctx, struct request *req, struct takeover *t);

/*
 * One ids= entry as vfio_pci_fill_ids() reads it: sscanf(id, "%x:%x:%x:%x:%x:%x") with the
 * kernel's vsscanf() (blanks before a number skipped, "0x" allowed, any number of digits
 * kept modulo 2^32, whatever follows the last number ignored). Returns how many fields were
 * read into @f (vendor, device, subvendor, subdevice, class, class_mask); the defaults for
 * the rest are PCI_ANY_ID, PCI_ANY_ID, 0, 0; fewer than 2 and vfio-pci ignores the entry.
 */
unsigned ids_entry_scan(const char *s, uint32_t f[6]);
/* Does the ids= list @ids name a device with @id and @class (pci_match_one_device())? */
bool ids_match(const char *ids, const struct pci_id *id, uint32_t class);

/*
 * After the boot pass: every device vfio-pci holds that vfio-bind did not claim (not asked
 * for, or excluded) is reported, with the ids= that put it there (vfio-pci built in applies
 * vfio-pci.ids= from the command line before the initramfs runs).
 */
void takeover_report_held(struct vb_ctx *ctx, const struct request *req,
			  const struct pci_list *list, const struct takeover *t);

#endif
