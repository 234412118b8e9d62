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
/*
 * At boot: for every PF whose future VFs a selector could claim, set sriov_drivers_autoprobe
 * to 0, so that new VFs wait for `vfio-bind hotplug` (the udev rule). vfio_bind.sriov=0 turns
 * this off. Call it after plan_build(): selectors naming functions that exist need no walk.
 * Returns the number of PFs held.
 */
int sriov_hold(struct vb_ctx *ctx, const struct request *req);
/* Is @pf held by vfio-bind: autoprobe 0 and a selector that wants its VFs? */
bool sriov_held(struct vb_ctx *ctx, const struct request *req, const char *pf);
/* The PF of a VF (its physfn link) into @pf; -ENOENT when @d is no VF. */
int sriov_physfn(struct vb_ctx *ctx, const struct pci_dev *d, char *pf, size_t size);

#endif
