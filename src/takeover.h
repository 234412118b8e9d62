/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_TAKEOVER_H
#define VB_TAKEOVER_H

#include "cmdline.h"
#include "ctx.h"
#include "pci.h"

#define IDS_MAX		512
#define WHERE_MAX	(PATH_MAX + 64)

/*
 * vfio-pci's own ids= (the classic recipe): from "options vfio-pci ids=..." in modprobe.d and
 * vfio-pci.ids= on the command line. As for libkmod and the kernel, the last one counts:
 * modprobe.d files in name order, then the command line.
 */
struct takeover {
	char ids[IDS_MAX];		/* the value that counts; "" when there is none */
	char from[WHERE_MAX];		/* where it is, for messages */
	char overridden[WHERE_MAX];	/* an earlier ids= it overrides ("" when none) */
	char blacklist[WHERE_MAX];	/* where modprobe.d blacklists vfio_pci ("" when nowhere) */
	unsigned taken;			/* IDs turned into selectors */
	size_t first;			/* the index of the first of them in the request */
};

/* Read modprobe.d under ctx->root and the request's vfio-pci.ids=. */
int takeover_read(const struct vb_ctx *ctx, const struct request *req, struct takeover *t);

/*
 * Unless vfio_bind.takeover_ids=0: every ID of ids= becomes a selector of @req (one log line
 * each, naming the source), and vfio-pci is to be loaded with an empty ids= after its
 * configured options (ctx->load_opts). Returns the number of IDs taken over.
 */
int takeover_apply(struct vb_ctx *ctx, struct request *req, struct takeover *t);

/*
 * One vfio-pci ids= entry, "VVVV:DDDD[:SVVV:SDDD[:CLASS:MASK]]" (hexadecimal, as the kernel's
 * sscanf("%x:%x...") reads it): 0 and the ID, or -EINVAL with *why (an entry vfio.bind=
 * cannot express: any vendor, one subsystem field left open, a class match).
 */
int ids_entry_parse(const char *s, struct pci_id *id, const char **why);
/* Does the ids= list @ids name @id? */
bool ids_match(const char *ids, const struct pci_id *id);

/*
 * After the boot pass: every device vfio-pci holds that vfio-bind did not claim (not asked
 * for, or excluded) is reported, with the ids= that put it there (vfio-pci built in applies
 * vfio-pci.ids= from the command line before the initramfs runs).
 */
void takeover_report_held(struct vb_ctx *ctx, const struct request *req,
			  const struct pci_list *list, const struct takeover *t);

#endif
