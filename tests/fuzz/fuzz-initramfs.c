// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The initramfs image's cpio archives (initramfs.c) as check reads them: the input is the
 * uncompressed part of an image (archives one after the other, NUL padding between them).
 * No crash, no read past the input; every member's name without a leading "./" or "/"; a
 * content handed over has the member's size and its terminating NUL; the walk is the same
 * when stopped early (a prefix of the members).
 */
#include <errno.h>

#include "fuzz.h"
#include "initramfs.h"
#include "noexec.h"

struct seen {
	unsigned n, stop_at;
	unsigned long sum;
};

static bool want(const char *name, void *data)
{
	return strlen(name) % 2 == 0;
}

static int member(const struct initramfs_file *f, void *data)
{
	struct seen *s = data;
	size_t i;

	FUZZ_ASSERT(f->name[0] != '/' && !(f->name[0] == '.' && f->name[1] == '/'));
	if (f->data) {
		FUZZ_ASSERT(f->size <= INITRAMFS_FILE_MAX && f->data[f->size] == '\0');
		for (i = 0; i < f->size; i++)
			s->sum += (unsigned char)f->data[i];
	}
	s->sum += strlen(f->name) + f->size;
	return ++s->n == s->stop_at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen all = { 0 }, part = { 0 };
	char why[256];
	int r;

	r = initramfs_walk_mem((const char *)data, size, want, member, &all, why, sizeof(why));
	FUZZ_ASSERT(r == 0 || r == -ENOEXEC || r == -ENOMEM);
	if (r == -ENOEXEC)
		FUZZ_ASSERT(why[0]);
	if (all.n > 1) {
		part.stop_at = all.n / 2;
		FUZZ_ASSERT(initramfs_walk_mem((const char *)data, size, want, member, &part, why,
					       sizeof(why)) == 1);
		FUZZ_ASSERT(part.n == all.n / 2);
	}
	return 0;
}
