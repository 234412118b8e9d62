// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One line per event, prefixed "vfio-bind: ". In the initramfs that goes to /dev/kmsg with the
 * syslog priority in front, so `dmesg | grep vfio-bind` shows it; elsewhere to a stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static int kmsg_fd = -1;
static char kmsg_path[4096];
static unsigned kmsg_lines;
static FILE *stream;
static int max_prio = VB_INFO;
/* the cap: a flood of bad tokens must not push earlier boot messages out of the kernel log */
static unsigned lines, suppressed, uncapped, cap = LOG_MAX_LINES;
/* log_capture(): a copy of every line written */
static struct log_copy *copy;

void log_open_kmsg(const char *kmsg)
{
	log_close();
	snprintf(kmsg_path, sizeof(kmsg_path), "%s", kmsg);
	kmsg_fd = openat(AT_FDCWD, kmsg, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
	if (kmsg_fd < 0)
		stream = stderr;
	kmsg_lines = 0;
	lines = suppressed = uncapped = 0;
	cap = LOG_MAX_LINES;
}

void log_open_stream(FILE *f)
{
	log_close();
	stream = f;
}

void log_close(void)
{
	if (kmsg_fd >= 0)
		close(kmsg_fd);
	kmsg_fd = -1;
	stream = NULL;
}

void log_set_max_prio(int prio)
{
	max_prio = prio;
}

int log_get_max_prio(void)
{
	return max_prio;
}

void log_set_cap(unsigned max)
{
	cap = max < LOG_MAX_LINES ? max : LOG_MAX_LINES;
}

void log_end_suppressed(void)
{
	unsigned n = suppressed, was = cap;

	cap = LOG_MAX_LINES;
	if (!n)
		return;
	suppressed = 0;
	uncapped = 4;
	vb_log(VB_WARN, "%u more log lines suppressed (at most %u here)", n, was);
}

void log_capture(struct log_copy *c)
{
	copy = c;
	if (c)
		c->len = c->dropped = 0;
}

/* @line without its "<N>", with its newline */
static void capture(const char *line, size_t n)
{
	if (!copy)
		return;
	if (copy->len + n > sizeof(copy->buf)) {
		copy->dropped++;
		return;
	}
	memcpy(copy->buf + copy->len, line, n);
	copy->len += n;
}

void vb_log(int prio, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n, off;

	if (prio > max_prio)
		return;
	if (uncapped) {
		uncapped--;
	} else if (lines >= cap) {
		suppressed++;
		return;
	}
	lines++;

	off = kmsg_fd >= 0 ? snprintf(line, sizeof(line), "<%d>", prio) : 0;
	off += snprintf(line + off, sizeof(line) - off, "vfio-bind: ");
	va_start(ap, fmt);
	n = vsnprintf(line + off, sizeof(line) - off - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	off += n;
	if (off > (int)sizeof(line) - 2)
		off = sizeof(line) - 2;
	line[off++] = '\n';
	n = kmsg_fd >= 0 ? 3 : 0;
	capture(line + n, off - n);

	/*
	 * Without printk.devkmsg=on the kernel lets each open /dev/kmsg write 10 lines per 5 s
	 * and drops the rest; a fresh open gets a fresh allowance, and every line here counts.
	 */
	if (kmsg_fd >= 0 && ++kmsg_lines % 8 == 0) {
		int fd = openat(AT_FDCWD, kmsg_path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);

		if (fd >= 0) {
			close(kmsg_fd);
			kmsg_fd = fd;
		}
	}
	/* kmsg takes one record per write(); a short write loses the line, nothing more */
	if (kmsg_fd >= 0) {
		if (write(kmsg_fd, line, off) < 0 && errno == EINVAL)
			fprintf(stderr, "%.*s", off - 3, line + 3);
		return;
	}
	if (stream) {
		fwrite(line, 1, off, stream);
		fflush(stream);
	}
}
