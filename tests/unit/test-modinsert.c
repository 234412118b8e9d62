// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The user-space decompression path, with the product's own libkmod (musl, static, with the
 * decompressors of scripts/build-decompressors.sh) and the kernel's module calls intercepted at
 * link time (-Wl,--wrap=init_module -Wl,--wrap=syscall): nothing reaches the running kernel.
 *
 *   test-modinsert SYSFS FILE OUT
 *
 * As modload.c's insert_file(): modfile_plan() decides for the kernel whose sysfs is SYSFS
 * (its module/compression file, or none); when it says the kernel cannot take FILE as it is
 * (-EAGAIN), libkmod inserts it: kmod_module_insert_module() must decompress it and hand the
 * kernel the image through init_module(2). That image is written to OUT (the caller compares it
 * with the decompressed file) and one line is printed:
 *   FILE FORMAT user-space init_module SIZE
 * Exit status 0 only if the image reached init_module, starts with the ELF magic and carries
 * the options; finit_module(2) with a compressed file, or a file the kernel would take as it
 * is, is a failure (1).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libkmod.h>

#include "ctx.h"
#include "log.h"
#include "modfile.h"

#define OPTIONS "vfio_bind_test=1"

static const char *out;
static long image_size = -1;
static int finit_calls;

long __real_syscall(long n, ...);
long __wrap_syscall(long n, ...);
long __wrap_init_module(const void *mem, unsigned long len, const char *args);

/* libkmod's finit_module() is syscall(__NR_finit_module, ...): the kernel takes a file */
long __wrap_syscall(long n, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (n == SYS_finit_module) {
		finit_calls++;
		fprintf(stderr, "finit_module(fd %ld, '%s', flags %ld): the file, not an image\n",
			a[0], (const char *)a[1], a[2]);
		errno = EPERM;
		return -1;
	}
	return __real_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

long __wrap_init_module(const void *mem, unsigned long len, const char *args)
{
	FILE *f;

	if (strcmp(args, OPTIONS)) {
		fprintf(stderr, "init_module: options '%s', expected '%s'\n", args, OPTIONS);
		errno = EINVAL;
		return -1;
	}
	if (len < 4 || memcmp(mem, "\177ELF", 4)) {
		fprintf(stderr, "init_module: %lu bytes that are not an ELF image\n", len);
		errno = ENOEXEC;
		return -1;
	}
	f = fopen(out, "wb");
	if (!f || fwrite(mem, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "cannot write %s: %s\n", out, strerror(errno));
		errno = EIO;
		return -1;
	}
	image_size = len;
	return 0;
}

int main(int argc, char **argv)
{
	static struct vb_ctx ctx;
	struct kmod_module *m;
	struct kmod_ctx *k;
	enum mod_comp comp;
	unsigned flags;
	int fd, err;

	if (argc != 4) {
		fprintf(stderr, "usage: test-modinsert SYSFS FILE OUT\n");
		return 2;
	}
	snprintf(ctx.sysfs, sizeof(ctx.sysfs), "%s", argv[1]);
	out = argv[3];
	log_open_stream(stderr);

	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	err = modfile_plan(&ctx, fd, &comp, &flags);
	close(fd);
	if (err != -EAGAIN) {
		fprintf(stderr, "%s (%s): modfile_plan says %s, not user space\n", argv[2],
			mod_comp_name(comp), err ? strerror(-err) :
			flags ? "the kernel decompresses" : "the kernel takes it as it is");
		return 1;
	}

	k = kmod_new(NULL, NULL);
	if (!k)
		return 1;
	err = kmod_module_new_from_path(k, argv[2], &m);
	if (err < 0) {
		fprintf(stderr, "%s: %s\n", argv[2], strerror(-err));
		kmod_unref(k);
		return 1;
	}
	err = kmod_module_insert_module(m, 0, OPTIONS);
	kmod_module_unref(m);
	kmod_unref(k);
	if (err < 0 || finit_calls || image_size < 0) {
		fprintf(stderr, "%s (%s): libkmod did not decompress it: %s\n", argv[2],
			mod_comp_name(comp), err < 0 ? strerror(-err) : "no image");
		return 1;
	}
	printf("%s %s user-space init_module %ld\n", argv[2], mod_comp_name(comp), image_size);
	return 0;
}
