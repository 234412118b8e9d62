// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VMs' configurations (vmconf.c): the input up to a line "%%" is /etc/pve/mapping/pci.cfg,
 * the rest is read both as a Proxmox VE VM configuration and as a libvirt domain's XML, on
 * node pve2. Whatever they hold, each use and map names a PCI address in range, and the names
 * and places kept for messages hold no control byte.
 */
#include "fuzz.h"
#include "vmconf.h"

static void plain(const char *s)
{
	for (; *s; s++)
		FUZZ_ASSERT((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f);
}

static void addr_ok(const struct pci_addr *a)
{
	FUZZ_ASSERT(a->slot <= 0x1f && a->func <= 7 && a->domain <= 0xffffffffu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct vm_uses v;
	char *text, *rest;
	size_t i, mlen;

	if (size > 256 * 1024)
		return 0;
	if (!null) {
		null = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = fuzz_discard });
		FUZZ_ASSERT(null);
	}
	fuzz_quiet();
	text = fuzz_str(data, size);
	rest = memmem(text, size, "\n%%\n", 4);
	mlen = rest ? (size_t)(rest - text) : 0;
	rest = rest ? rest + 4 : text;
	memset(&v, 0, sizeof(v));
	v.msgs = null;
	snprintf(v.node, sizeof(v.node), "pve2");
	FUZZ_ASSERT(vmconf_parse_mapping(&v, "pci.cfg", text, mlen) == 0);
	FUZZ_ASSERT(vmconf_parse_pve(&v, "100.conf", "100", rest, size - (rest - text)) == 0);
	FUZZ_ASSERT(vmconf_parse_libvirt(&v, "vm.xml", rest, size - (rest - text)) == 0);
	for (i = 0; i < v.nm; i++) {
		addr_ok(&v.m[i].addr);
		plain(v.m[i].name);
	}
	for (i = 0; i < v.n; i++) {
		addr_ok(&v.u[i].addr);
		plain(v.u[i].vm);
		plain(v.u[i].name);
		plain(v.u[i].what);
		FUZZ_ASSERT(!v.u[i].has_id || v.nm);
	}
	vmconf_free(&v);
	free(text);
	return 0;
}
