/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_INITRAMFS_H
#define VB_INITRAMFS_H

#include <stdbool.h>
#include <stddef.h>

/* a member's content is handed over up to this size */
#define INITRAMFS_FILE_MAX	(1024 * 1024)

struct initramfs_file {
	const char *name;	/* as in the image, without a leading "./" or "/" */
	unsigned mode;
	size_t size;
	const char *data;	/* the content when @want asked for it, else NULL */
};

/* @want: should @fn get this regular file's content? @fn: non-zero stops the walk */
typedef bool (*initramfs_want_fn)(const char *name, void *data);
typedef int (*initramfs_fn)(const struct initramfs_file *f, void *data);

/*
 * Every member of the image @img as the kernel unpacks it: newc cpio archives one after the
 * other (NUL padding between them), the last one compressed (initramfs-tools' early
 * microcode archive and main archive; dracut's the same). A compressed archive goes through
 * the host's decompressor picked by its magic (gzip, zstd, xz, lzma, lz4, bzip2, lzop), run
 * without a shell. 0, @fn's non-zero value, or -errno: -ENOEXEC not an image this reads
 * (@why says what), -ENOENT the decompressor is missing.
 */
int initramfs_walk(const char *img, initramfs_want_fn want, initramfs_fn fn, void *data,
		   char *why, size_t whysize);

/* the same on an image in memory with no compressed part (the fuzz harness, tests) */
int initramfs_walk_mem(const char *buf, size_t len, initramfs_want_fn want, initramfs_fn fn,
		       void *data, char *why, size_t whysize);

#endif
