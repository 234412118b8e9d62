/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_PCI_H
#define VB_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "cmdline.h"
#include "ctx.h"

#define PCI_NAME_MAX	24	/* "0000:00:00.0", domains up to 8 digits */
#define DRIVER_NAME_MAX	64

enum outcome {
	OUT_NONE,		/* not asked for */
	OUT_PLANNED,		/* to be claimed */
	OUT_REFUSED,		/* asked for, but must not be claimed */
	OUT_CLAIMED,		/* on vfio-pci now */
	OUT_RELEASED,		/* could not be claimed; handed back to the host */
	OUT_KEPT,		/* could not be claimed; left without a driver */
};

struct pci_dev {
	char name[PCI_NAME_MAX];
	struct pci_addr addr;
	struct pci_id id;
	uint32_t class;
	char driver[DRIVER_NAME_MAX];	/* "" when none; escaped when driver_bad */
	bool driver_bad;		/* the driver link's name is not safe in a path */
	char was[DRIVER_NAME_MAX];	/* driver before we touched it */
	int group;			/* -1: none (no IOMMU), -2: not read yet */
	int boot_vga;			/* -1: not read yet */
	enum outcome outcome;
	const struct selector *sel;	/* what asked for it */
	char why[160];			/* refusal or failure reason */
};

struct pci_list {
	struct pci_dev *dev;
	size_t n;
	size_t cap;
};

/*
 * What the boot pass's scan learnt of every function, selected or not, so that no later step
 * reads a uevent again: its address and, when the uevent was read, IDs and class. 24 bytes a
 * function. Names are the canonical form of addr (a tree with another spelling gets no list).
 */
struct pci_seen {
	struct pci_addr addr;
	struct pci_id id;
	uint32_t class;
	bool read;			/* id and class are known */
};

struct pci_seen_list {
	struct pci_seen *f;
	size_t n;
	size_t cap;
	bool valid;			/* every function of the directory is in f */
};

/* Every function under /sys/bus/pci/devices (one uevent read each), sorted by address. */
int pci_scan(struct vb_ctx *ctx, struct pci_list *list);
/*
 * Only the functions some selector matches (exclusions aside): with address selectors alone,
 * no other function's uevent is read at all. Every function met goes to @seen (may be NULL).
 */
int pci_scan_selected(struct vb_ctx *ctx, const struct request *req, struct pci_list *list,
		      struct pci_seen_list *seen);
void pci_list_free(struct pci_list *list);
void pci_seen_free(struct pci_seen_list *seen);
/* The function called @name in @seen, when its uevent was read; NULL otherwise. */
const struct pci_seen *pci_seen_find(const struct pci_seen_list *seen, const char *name);
/*
 * pci_read_dev_at(), with IDs and class from @seen when the scan read them: only the driver
 * link is read then.
 */
int pci_read_dev_seen(const struct pci_seen_list *seen, int dirfd, const char *name,
		      struct pci_dev *d);
/* Read one function by its sysfs name (uevent only). */
int pci_read_dev(struct vb_ctx *ctx, const char *name, struct pci_dev *d);
/* The same, relative to a directory that holds the device (as a link or a directory). */
int pci_read_dev_at(int dirfd, const char *name, struct pci_dev *d);

/*
 * Parse the text of a uevent file (modified in place): PCI_CLASS=, PCI_ID=, PCI_SUBSYS_ID=.
 * 0, or -EINVAL without a class and an ID. (Exposed for tests/fuzz.)
 */
int pci_parse_uevent(struct pci_dev *d, char *buf);

/*
 * Set d->driver from what reading the `driver` link gave: @err (0, -ENOENT for no driver,
 * -ENAMETOOLONG, another error) and the link's last component @name. A name not safe in a path
 * and a log line is kept escaped, with driver_bad set. (Pure: exposed for tests/fuzz.)
 */
int pci_driver_name(struct pci_dev *d, int err, const char *name);
/* "VVVV:DDDD" (4 + 4 hex digits) into @a and @b: 0, or -EINVAL */
int pci_parse_id_pair(const char *s, uint16_t *a, uint16_t *b);
/* Refresh a device's driver (the `driver` link). */
int pci_read_driver(struct vb_ctx *ctx, struct pci_dev *d);
int pci_read_group(struct vb_ctx *ctx, struct pci_dev *d);
int pci_read_boot_vga(struct vb_ctx *ctx, struct pci_dev *d);
int pci_dev_path(struct vb_ctx *ctx, const struct pci_dev *d, const char *attr,
		 char *buf, size_t size);

bool pci_is_bridge(const struct pci_dev *d);
const char *pci_class_name(uint32_t class);
bool addr_match(const struct pci_addr *sel, const struct pci_addr *dev);
bool id_match(const struct pci_id *sel, const struct pci_id *dev);
/* Does @s name @d? (exclusions name nothing here; a guard's ID is the plan's business) */
bool sel_matches(const struct selector *s, const struct pci_dev *d);
/* the same, and an exclusion names the functions it excludes (status, the boot's record) */
bool sel_names(const struct selector *s, const struct pci_dev *d);

#endif
