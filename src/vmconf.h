/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_VMCONF_H
#define VB_VMCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cmdline.h"
#include "ctx.h"

#define VM_NAME_MAX	64
#define VM_WHERE_MAX	(PATH_MAX + 16)

/*
 * One PCI address a VM on this node is given: a hostpciN entry of a Proxmox VE VM (each
 * address of its ';' list, or each path of its mapping's entry for this node) or a libvirt
 * domain's <hostdev type='pci'>. A slot (any_func) is every function of it.
 */
struct vm_use {
	char vm[VM_NAME_MAX];		/* the VMID, or the libvirt domain's name (escaped) */
	char name[VM_NAME_MAX];		/* Proxmox VE's name: line, "" when none */
	char where[VM_WHERE_MAX];	/* FILE:LINE */
	char what[VM_NAME_MAX + 16];	/* "hostpci0", "hostpci1 mapping=gpu", "hostdev" */
	struct pci_addr addr;
	struct pci_id id;		/* the mapping's id and subsystem-id ... */
	bool has_id;			/* ... when it came through a mapping */
	bool mdev;			/* a mediated device: its parent stays with the host */
};

/* One map entry of /etc/pve/mapping/pci.cfg for this node, one path of it. */
struct vm_map {
	char name[VM_NAME_MAX];
	char where[VM_WHERE_MAX];
	struct pci_addr addr;
	struct pci_id id;
	bool has_subsys;
};

struct vm_uses {
	struct vm_use *u;
	size_t n, cap;
	struct vm_map *m;
	size_t nm, capm;
	char node[VM_NAME_MAX];		/* this node's name (Proxmox VE), "" when unknown */
	unsigned files;			/* VM configuration files read */
	unsigned refused;		/* lines or files refused (each said on msgs) */
	FILE *msgs;			/* where they are said: stderr when NULL */
};

/*
 * Read this node's VM configurations under ctx->root: /etc/pve/nodes/NODE/qemu-server/
 * VMID.conf (the current configuration, before any [snapshot] section), their mapping=
 * entries through /etc/pve/mapping/pci.cfg, and /etc/libvirt/qemu/NAME.xml. Whatever cannot
 * be read or trusted is named on stderr with its FILE:LINE and left out (v->refused counts
 * them). Returns 0 or -ENOMEM.
 */
int vmconf_read(struct vb_ctx *ctx, struct vm_uses *v);
void vmconf_free(struct vm_uses *v);

/* Does the argument @arg (a VMID or a name) name the VM of @u? */
bool vmconf_names(const struct vm_use *u, const char *arg);
/* "100 (win11)" or "win10": for messages */
void vmconf_label(const struct vm_use *u, char *buf, size_t size);

/* Parsers, pure (exposed for tests and fuzzing): one file's text, @len bytes. */
int vmconf_parse_pve(struct vm_uses *v, const char *path, const char *vmid, const char *text,
		     size_t len);
int vmconf_parse_mapping(struct vm_uses *v, const char *path, const char *text, size_t len);
int vmconf_parse_libvirt(struct vm_uses *v, const char *path, const char *text, size_t len);

#endif
