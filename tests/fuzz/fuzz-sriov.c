// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What sriov.c reads from a PF: the texts of sriov_totalvfs, sriov_offset, sriov_stride and
 * sriov_vf_device (sriov_parse), then the VF address arithmetic (sriov_vf_addr) and the hold
 * decision (sriov_vf_wanted) for selectors parsed from the same input. Input: newline-separated
 * fields TOTAL, OFFSET, STRIDE, VF_DEVICE, PF address, command line (the last, cut at 200 bytes).
 * VF addresses are checked against the PCIe rule computed here in 64 bits, and a VF the hold
 * wants must be one the PF can create, matched by a selector that is no exclusion.
 */
#include <errno.h>

#include "cmdline.h"
#include "fuzz.h"
#include "pci.h"
#include "sriov.h"

#define NFIELDS	6

static uint64_t rid(const struct pci_addr *a)
{
	return (uint64_t)a->bus << 8 | a->slot << 3 | a->func;
}

/* is @vf the address of a VF of @pf, and which one? */
static bool vf_index(const struct pci_addr *pf, const struct sriov_info *s,
		     const struct pci_addr *vf, uint64_t *i)
{
	uint64_t d;

	if (vf->domain != pf->domain || rid(vf) < rid(pf) + s->offset)
		return false;
	d = rid(vf) - rid(pf) - s->offset;
	if (!s->stride) {
		*i = 0;
		return d == 0;
	}
	*i = d / s->stride;
	return d % s->stride == 0 && *i < s->total;
}

static void check_one(const struct pci_addr *pf, const struct sriov_info *s, unsigned i)
{
	uint64_t want = rid(pf) + s->offset + (uint64_t)i * s->stride;
	struct pci_addr vf;
	int err;

	err = sriov_vf_addr(pf, s, i, &vf);
	if (want > 0xffff) {
		FUZZ_ASSERT(err == -ERANGE);
		return;
	}
	FUZZ_ASSERT(err == 0);
	FUZZ_ASSERT(vf.domain == pf->domain && vf.slot <= 0x1f && vf.func <= 7 && !vf.any_func);
	FUZZ_ASSERT(rid(&vf) == want);
}

/*
 * VF i against the PCIe rule: the first and the last CHECK_N VFs, and the two around the last
 * routing ID (0xffff), whatever the total (up to 65535: every VF of every input would slow
 * the campaign a hundredfold without reaching other code).
 */
#define CHECK_N	256
static void check_arith(const struct pci_addr *pf, const struct sriov_info *s)
{
	uint64_t edge;
	unsigned i;

	for (i = 0; i < s->total && i < CHECK_N; i++)
		check_one(pf, s, i);
	for (i = s->total > CHECK_N ? s->total - CHECK_N : CHECK_N; i < s->total; i++)
		check_one(pf, s, i);
	if (!s->stride || rid(pf) + s->offset > 0xffff)
		return;
	edge = (0xffff - rid(pf) - s->offset) / s->stride;
	for (i = 0; i < 2; i++)
		if (edge + i < s->total)
			check_one(pf, s, edge + i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *f[NFIELDS] = { 0 }, *p = text, line[208];
	const struct selector *by = NULL;
	struct pci_dev pf, vf;
	struct sriov_info s;
	struct request req;
	uint64_t idx;
	unsigned v;
	size_t i;
	int err;

	fuzz_quiet();
	for (i = 0; i < NFIELDS && p; i++) {
		f[i] = p;
		p = i + 1 < NFIELDS ? strchr(p, '\n') : NULL;
		if (p)
			*p++ = '\0';
	}
	for (i = 0; i < 4; i++)
		if (f[i] && sriov_parse_uint(f[i], i == 3 ? 16 : 10, &v) == 0)
			FUZZ_ASSERT(v <= 0xffff && f[i][0] != '-' && f[i][0] != ' ');
	err = sriov_parse(f[0], f[1], f[2], f[3], &s);
	FUZZ_ASSERT(err == 0 || err == -ENOENT || err == -EINVAL);
	if (err < 0)
		goto out;
	FUZZ_ASSERT(s.total >= 1 && s.total <= 0xffff && s.offset >= 1 && s.offset <= 0xffff &&
		    s.stride <= 0xffff && (s.total == 1 || s.stride) && s.autoprobe == -1);
	memset(&pf, 0, sizeof(pf));
	if (!f[4] || addr_parse(f[4], &pf.addr, false) < 0)
		addr_parse("0000:3b:00.0", &pf.addr, false);
	addr_format(&pf.addr, pf.name, sizeof(pf.name));
	pf.id.vendor = 0x8086;
	pf.id.device = 0x1572;
	check_arith(&pf.addr, &s);

	/*
	 * the hold decision walks every VF for every selector: with more than 256 VFs, on the
	 * first 256 (the loop and its end at the last routing ID are the same code)
	 */
	if (s.total > 256)
		s.total = 256;
	snprintf(line, 201, "%s", f[5] ? f[5] : "");
	request_init(&req);
	cmdline_parse(&req, line);
	memset(&vf, 0, sizeof(vf));
	if (sriov_vf_wanted(&req, &pf, &s, &vf, &by)) {
		struct pci_addr a;
		char name[PCI_NAME_MAX];

		FUZZ_ASSERT(by && by->kind != SEL_EXCLUDE);
		FUZZ_ASSERT(vf.id.vendor == pf.id.vendor && vf.id.device == s.vf_device);
		FUZZ_ASSERT(vf_index(&pf.addr, &s, &vf.addr, &idx));
		addr_format(&vf.addr, name, sizeof(name));
		FUZZ_ASSERT(!strcmp(name, vf.name));
		FUZZ_ASSERT(addr_parse(vf.name, &a, false) == 0 && rid(&a) == rid(&vf.addr));
		for (i = 0; i < req.nsel; i++)
			FUZZ_ASSERT(req.sel[i].kind != SEL_EXCLUDE ||
				    !addr_match(&req.sel[i].addr, &vf.addr));
	}
	/* the same answer without the out-parameters */
	FUZZ_ASSERT(sriov_vf_wanted(&req, &pf, &s, NULL, NULL) == (by != NULL));
	request_free(&req);
out:
	free(text);
	return 0;
}
