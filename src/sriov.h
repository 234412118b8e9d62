/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_SRIOV_H
#define VB_SRIOV_H

#include "cmdline.h"
#include "pci.h"

/* What a physical function's SR-IOV capability says about the VFs it can create. */
struct sriov_info {
	unsigned total;			/* sriov_totalvfs */
	unsigned offset;		/* sriov_offset: routing-ID distance of the first VF */
	unsigned stride;		/* sriov_stride: distance between VFs */
	uint16_t vf_device;		/* sriov_vf_device */
	int autoprobe;			/* sriov_drivers_autoprobe, -1 when unreadable */
};

/*
 * One SR-IOV attribute's text (trailing blanks removed): a number 0..0xffff in @base, digits
 * only (no sign, no blank). -EINVAL otherwise. (Pure: exposed for tests/fuzz.)
 */
int sriov_parse_uint(const char *text, int base, unsigned *out);
/*
 * The capability from the texts of sriov_totalvfs, sriov_offset, sriov_stride (decimal) and
 * sriov_vf_device (hex); NULL for an attribute that cannot be read. -ENOENT when there is no
 * PF (no total, or 0); -EINVAL when a value is no number, or when the kernel would refuse the
 * capability (offset 0, or stride 0 with more than one VF): no VF can appear. autoprobe is -1.
 */
int sriov_parse(const char *total, const char *offset, const char *stride,
		const char *vf_device, struct sriov_info *s);
/* The PF's capability; -ENOENT when @pf is no PF (no sriov_totalvfs, or 0). */
int sriov_read(struct vb_ctx *ctx, const struct pci_dev *pf, struct sriov_info *s);
/*
 * Address of VF @i (0-based) of the PF at @pf: routing ID = PF's + offset + i * stride, the
 * PCIe rule. -ERANGE when it would lie beyond bus ff.
 */
int sriov_vf_addr(const struct pci_addr *pf, const struct sriov_info *s, unsigned i,
		  struct pci_addr *vf);
/*
 * Could a selector of @req claim one of the VFs @pf can create? The first such VF goes to
 * @vf and its selector to @by (either may be NULL). Subsystem IDs of future VFs are unknown:
 * a subsystem selector counts by its vendor:device alone (holding back too much only means
 * vfio-bind decides; too little would let the VF driver win).
 */
bool sriov_vf_wanted(const struct request *req, const struct pci_dev *pf,
		     const struct sriov_info *s, struct pci_dev *vf, const struct selector **by);
/* PF names: those held at boot, or a selector's PF (sriov_expected) */
#define SRIOV_PFS_MAX	64
struct sriov_pfs {
	size_t n;
	char pf[SRIOV_PFS_MAX][PCI_NAME_MAX];
};

/*
 * At boot: for every PF whose future VFs a selector could claim, set sriov_drivers_autoprobe
 * to 0, so that new VFs wait for `vfio-bind hotplug` (the udev rule). vfio_bind.sriov=0 turns
 * this off; the PFs held go to @held (may be NULL). Call it after plan_build(): selectors
 * naming functions that exist need no walk, and such a selector counts only when its
 * function is a VF (only a VF's address can be taken by a new VF). The functions come from @seen (pci_scan_selected(); the directory when NULL
 * or not valid); a function's SR-IOV attributes are read only when a selector could name one
 * of its VFs by vendor, domain and routing ID. Returns the number of PFs held.
 */
int sriov_hold(struct vb_ctx *ctx, const struct request *req, const struct pci_seen_list *seen,
	       struct sriov_pfs *held);
/*
 * Which selectors that matched nothing could claim a VF still to come, of a PF there now
 * (sriov_totalvfs > 0)? pfs->pf[K] names the PF for selector K (the first SRIOV_PFS_MAX
 * selectors), "" for the others; nothing is written. Whatever vfio_bind.sriov says: with
 * the hold off, the udev rule still claims such VFs. Returns how many selectors have a PF.
 */
int sriov_expected(struct vb_ctx *ctx, const struct request *req,
		   const struct pci_seen_list *seen, struct sriov_pfs *pfs);
/* Is @pf held by vfio-bind: autoprobe 0 and a selector that wants its VFs? */
bool sriov_held(struct vb_ctx *ctx, const struct request *req, const char *pf);
/* The PF of a VF (its physfn link) into @pf; -ENOENT when @d is no VF. */
int sriov_physfn(struct vb_ctx *ctx, const struct pci_dev *d, char *pf, size_t size);

#endif
