// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The initramfs image as the kernel unpacks it (init/initramfs.c): newc cpio archives in a
 * row, NUL bytes between them, the main one compressed. Read here directly, so that check
 * needs neither lsinitramfs (initramfs-tools) nor lsinitrd (dracut) and works on a --root
 * tree; only the decompressor of the compressed archive is the host's, run without a shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "initramfs.h"

#define NAME_MAX_	4096
#define RD_BUF		(64 * 1024)

struct rd {
	int fd;				/* -1: @mem */
	const unsigned char *mem;
	size_t memlen;
	unsigned char *buf;		/* RD_BUF bytes when reading @fd */
	size_t pos, len;
	uint64_t off;			/* bytes consumed: the offset in the stream */
	int err;
};

static int rd_fill(struct rd *r, size_t want)
{
	ssize_t n;

	if (r->len - r->pos >= want)
		return 0;
	if (r->fd < 0)
		return -ENODATA;
	memmove(r->buf, r->buf + r->pos, r->len - r->pos);
	r->len -= r->pos;
	r->pos = 0;
	while (r->len < want) {
		n = read(r->fd, r->buf + r->len, RD_BUF - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return r->err = -errno;
		if (n == 0)
			return -ENODATA;
		r->len += n;
	}
	return 0;
}

/* @n bytes at the read position, or NULL at the end of the stream */
static const unsigned char *rd_peek(struct rd *r, size_t n)
{
	if (r->fd < 0)
		return r->off + n <= r->memlen ? r->mem + r->off : NULL;
	return rd_fill(r, n) ? NULL : r->buf + r->pos;
}

static void rd_take(struct rd *r, size_t n)
{
	if (r->fd >= 0)
		r->pos += n;
	r->off += n;
}

static int rd_read(struct rd *r, void *dst, size_t n)
{
	while (n) {
		size_t k = r->fd < 0 || n < RD_BUF ? n : RD_BUF;
		const unsigned char *p = rd_peek(r, k);

		if (!p)
			return r->err ? r->err : -ENODATA;
		if (dst) {
			memcpy(dst, p, k);
			dst = (char *)dst + k;
		}
		rd_take(r, k);
		n -= k;
	}
	return 0;
}

static int rd_skip(struct rd *r, uint64_t n)
{
	while (n) {
		size_t k = n > RD_BUF ? RD_BUF : n;
		int err = rd_read(r, NULL, k);

		if (err)
			return err;
		n -= k;
	}
	return 0;
}

static int hex8(const unsigned char *p, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 8; i++) {
		unsigned char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return -EINVAL;
	}
	return 0;
}

static bool is_cpio(const unsigned char *p)
{
	return !memcmp(p, "07070", 5) && (p[5] == '1' || p[5] == '2');
}

/* one newc archive up to its TRAILER!!! (or the end of the stream) */
static int walk_archive(struct rd *r, initramfs_want_fn want, initramfs_fn fn, void *data,
			char *why, size_t whysize)
{
	static char name[NAME_MAX_ + 1];
	unsigned char h[110];
	uint32_t mode, size, namesize;
	int err;

	for (;;) {
		struct initramfs_file f = { 0 };
		char *content = NULL, *n;
		int ret = 0;

		if (!rd_peek(r, 1))
			return 0;
		err = rd_read(r, h, sizeof(h));
		if (err || !is_cpio(h) || hex8(h + 14, &mode) || hex8(h + 54, &size) ||
		    hex8(h + 94, &namesize)) {
			snprintf(why, whysize, "a broken cpio header at offset %llu",
				 (unsigned long long)r->off);
			return -ENOEXEC;
		}
		if (!namesize || namesize > NAME_MAX_ || rd_read(r, name, namesize) ||
		    name[namesize - 1] || rd_skip(r, (4 - r->off % 4) % 4)) {
			snprintf(why, whysize, "a broken cpio name at offset %llu",
				 (unsigned long long)r->off);
			return -ENOEXEC;
		}
		if (!strcmp(name, "TRAILER!!!")) {
			rd_skip(r, size);
			return 0;
		}
		for (n = name; *n == '/' || (n[0] == '.' && n[1] == '/');)
			n += *n == '/' ? 1 : 2;
		f.name = n;
		f.mode = mode;
		f.size = size;
		if ((mode & 0170000) == 0100000 && size <= INITRAMFS_FILE_MAX && want &&
		    want(n, data)) {
			content = malloc(size + 1);
			if (!content)
				return -ENOMEM;
			err = rd_read(r, content, size);
			content[size] = '\0';
			f.data = content;
		} else {
			err = rd_skip(r, size);
		}
		if (err) {
			free(content);
			snprintf(why, whysize, "the archive ends inside %s", n);
			return -ENOEXEC;
		}
		if (fn)
			ret = fn(&f, data);
		free(content);
		if (ret)
			return ret;
		if (rd_skip(r, (4 - r->off % 4) % 4))
			return 0;
	}
}

/* archives one after the other, NULs between them; @tail: where a compressed one starts */
static int walk_stream(struct rd *r, initramfs_want_fn want, initramfs_fn fn, void *data,
		       char *why, size_t whysize, bool *compressed)
{
	const unsigned char *p;
	int err;

	for (;;) {
		while ((p = rd_peek(r, 1)) && !*p)
			rd_take(r, 1);
		if (!p)
			return r->err;
		p = rd_peek(r, 6);
		if (p && is_cpio(p)) {
			err = walk_archive(r, want, fn, data, why, whysize);
			if (err)
				return err;
			continue;
		}
		if (compressed) {
			*compressed = true;
			return 0;
		}
		snprintf(why, whysize, "neither a cpio archive nor NUL padding at offset %llu",
			 (unsigned long long)r->off);
		return -ENOEXEC;
	}
}

int initramfs_walk_mem(const char *buf, size_t len, initramfs_want_fn want, initramfs_fn fn,
		       void *data, char *why, size_t whysize)
{
	struct rd *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	r->fd = -1;
	r->mem = (const unsigned char *)buf;
	r->memlen = len;
	err = walk_stream(r, want, fn, data, why, whysize, NULL);
	free(r);
	return err;
}

/* the decompressor for the magic at @p (at least 6 bytes readable, else NULL) */
static const char *decompressor(const unsigned char *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *tool;
	} m[] = {
		{ "\x1f\x8b", 2, "gzip" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd" },
		{ "\xfd" "7zXZ\0", 6, "xz" },
		{ "\x5d\0\0", 3, "xz" },		/* lzma: xz reads it */
		{ "\x02\x21\x4c\x18", 4, "lz4" },	/* the kernel's legacy lz4 */
		{ "\x04\x22\x4d\x18", 4, "lz4" },
		{ "BZh", 3, "bzip2" },
		{ "\x89LZO", 4, "lzop" },
	};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (n >= m[i].len && !memcmp(p, m[i].magic, m[i].len))
			return m[i].tool;
	return NULL;
}

int initramfs_walk(const char *img, initramfs_want_fn want, initramfs_fn fn, void *data,
		   char *why, size_t whysize)
{
	struct rd *r = calloc(1, sizeof(*r) + RD_BUF), *z = NULL;
	int fd, fds[2], err, status;
	bool compressed = false;
	const unsigned char *p;
	const char *tool;
	pid_t pid;

	why[0] = '\0';
	if (!r)
		return -ENOMEM;
	fd = openat(AT_FDCWD, img, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, whysize, "%s", strerror(-err));
		free(r);
		return err;
	}
	r->fd = fd;
	r->buf = (unsigned char *)(r + 1);
	err = walk_stream(r, want, fn, data, why, whysize, &compressed);
	if (err || !compressed)
		goto out;
	p = rd_peek(r, 6);
	tool = p ? decompressor(p, 6) : NULL;
	if (!tool) {
		snprintf(why, whysize, "an unknown format at offset %llu",
			 (unsigned long long)r->off);
		err = -ENOEXEC;
		goto out;
	}
	/* the decompressor reads the image from here on */
	if (lseek(fd, (off_t)r->off, SEEK_SET) < 0 || pipe2(fds, O_CLOEXEC) < 0) {
		err = -errno;
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		goto out;
	}
	if (pid == 0) {
		char *argv[] = { (char *)tool, "-dc", NULL };
		int null = open("/dev/null", O_WRONLY);

		signal(SIGPIPE, SIG_DFL);
		if (dup2(fd, 0) < 0 || dup2(fds[1], 1) < 0 || (null >= 0 && dup2(null, 2) < 0))
			_exit(126);
		execvp(tool, argv);
		_exit(127);
	}
	close(fds[1]);
	z = calloc(1, sizeof(*z) + RD_BUF);
	if (!z) {
		err = -ENOMEM;
	} else {
		z->fd = fds[0];
		z->buf = (unsigned char *)(z + 1);
		err = walk_stream(z, want, fn, data, why, whysize, NULL);
	}
	/* stopping early: the decompressor gets SIGPIPE */
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	if (!err && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(why, whysize, "its main archive is %s-compressed, and there is no %s",
			 tool, tool);
		err = -ENOENT;
	} else if (!err && !(WIFEXITED(status) && (WEXITSTATUS(status) == 0 ||
		   /* gzip: "trailing garbage ignored" */
		   (WEXITSTATUS(status) == 2 && !strcmp(tool, "gzip"))))) {
		snprintf(why, whysize, "%s -dc failed on its main archive", tool);
		err = -ENOEXEC;
	}
out:
	close(fd);
	free(r);
	free(z);
	return err;
}
