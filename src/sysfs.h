/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_SYSFS_H
#define VB_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"

/* snprintf that reports truncation as -ENAMETOOLONG */
int path_fmt(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Read up to size-1 bytes, NUL-terminate; returns the length or -errno. */
int read_file(const char *path, char *buf, size_t size);
/* read_file, with trailing white space removed */
int read_attr(const char *path, char *buf, size_t size);
/* The last path component of a symlink's target; -ENOENT when there is no link. */
int read_link_name(const char *path, char *buf, size_t size);
int read_link_name_at(int dirfd, const char *path, char *buf, size_t size);
/* The last component of a link's @target into @buf; -ENAMETOOLONG when it does not fit. */
int link_name(const char *target, char *buf, size_t size);
int path_exists(const char *path);

/*
 * Call @fn for each entry of the directory @path but "." and "..", with the directory's fd
 * for openat(). A non-zero return from @fn stops the walk and is returned. One open, a few
 * getdents64 calls into a stack buffer, one close: opendir()'s heap buffer costs musl an
 * mmap and a munmap per directory.
 */
typedef int (*dir_fn)(int dirfd, const char *name, void *data);
int dir_for_each(const char *path, dir_fn fn, void *data);

/* Write through ctx->ops (the kernel, or the simulator); logs the failure. */
int write_attr(struct vb_ctx *ctx, const char *path, const char *val);

/*
 * Can a name read from sysfs (a link's last component) stand in a path and a log line as it
 * is? Not empty, not "." or "..", and nothing str_escape() would change.
 */
bool name_is_safe(const char *name);
/* @name is @prefix and one or more digits, at most @max bytes in all ("vfio12", "hostpci3") */
bool name_prefix_digits(const char *name, const char *prefix, size_t max);
/* read_file that also says whether the file had more than @size - 1 bytes */
int read_file_more(const char *path, char *buf, size_t size, bool *more);

/*
 * Split @line in place at blanks into at most @max words; returns how many (words after the
 * @max-th are not looked at). No sscanf: it would pull musl's float scanner into the binary.
 */
int split_words(char *line, char **w, int max);

/* Copy @in into @out with control and non-ASCII bytes as \xNN, cut at @max chars with "...". */
void str_escape(char *out, size_t size, const char *in, size_t max);

#endif
