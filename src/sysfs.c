// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "sysfs.h"

int path_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return n;
}

int read_file(const char *path, char *buf, size_t size)
{
	return read_file_more(path, buf, size, NULL);
}

int read_file_more(const char *path, char *buf, size_t size, bool *more)
{
	ssize_t n;
	size_t len = 0;
	int fd, err = 0;

	/* openat(): musl follows open(O_CLOEXEC) with an fcntl for old kernels */
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += n;
	}
	if (more) {
		char c;

		*more = !err && len == size - 1 && read(fd, &c, 1) == 1;
	}
	close(fd);
	buf[len] = '\0';
	return err ? err : (int)len;
}

int read_attr(const char *path, char *buf, size_t size)
{
	int n = read_file(path, buf, size);

	if (n < 0)
		return n;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n;
}

int read_link_name(const char *path, char *buf, size_t size)
{
	return read_link_name_at(AT_FDCWD, path, buf, size);
}

int link_name(const char *target, char *buf, size_t size)
{
	const char *base = strrchr(target, '/');

	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

int read_link_name_at(int dirfd, const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	ssize_t n;

	n = readlinkat(dirfd, path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	return link_name(target, buf, size);
}

struct dirent64_raw {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

int dir_for_each(const char *path, dir_fn fn, void *data)
{
	_Alignas(8) char buf[8192];
	long n, off;
	int fd, ret = 0;

	fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (!ret) {
		n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		for (off = 0; off < n && !ret;) {
			struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);

			off += d->reclen;
			if (d->name[0] == '.' &&
			    (!d->name[1] || (d->name[1] == '.' && !d->name[2])))
				continue;
			ret = fn(fd, d->name, data);
		}
	}
	close(fd);
	return ret;
}

int path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int write_attr(struct vb_ctx *ctx, const char *path, const char *val)
{
	char esc[96];
	int err;

	/* vfio_bind.debug=1 shows every write: its value escaped ("\x0a" clears an override) */
	str_escape(esc, sizeof(esc), val, 64);
	if (ctx->dry_run) {
		log_debug("dry run: would write '%s' to %s", esc, path);
		return 0;
	}
	err = ctx->ops->write_attr(ctx, path, val);
	if (err < 0)
		log_debug("write '%s' to %s: %s", esc, path, strerror(-err));
	else
		log_debug("write '%s' to %s", esc, path);
	return err;
}

static int real_write_attr(struct vb_ctx *ctx, const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	/* sysfs reports some errors only at close */
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

bool name_is_safe(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;

	if (!*s || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (; *s; s++)
		if (*s < 0x20 || *s >= 0x7f || *s == '/' || *s == '\'' || *s == '\\')
			return false;
	return true;
}

void str_escape(char *out, size_t size, const char *in, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	for (i = 0; in[i] && o + 8 < size; i++) {
		unsigned char c = in[i];

		if (i == max) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = c;
		}
	}
	out[o] = '\0';
}

/* module loading lives in modload.c */
int modload_real(struct vb_ctx *ctx, const char *name);

const struct kernel_ops kernel_real = {
	.write_attr = real_write_attr,
	.load_module = modload_real,
};

int split_words(char *line, char **w, int max)
{
	int n = 0;

	while (n < max) {
		line += strspn(line, " \t\n");
		if (!*line)
			break;
		w[n++] = line;
		line += strcspn(line, " \t\n");
		if (!*line)
			break;
		*line++ = '\0';
	}
	return n;
}

bool name_prefix_digits(const char *name, const char *prefix, size_t max)
{
	size_t pl = strlen(prefix), n = strlen(name);

	return n > pl && n <= max && !strncmp(name, prefix, pl) &&
	       strspn(name + pl, "0123456789") == n - pl;
}
