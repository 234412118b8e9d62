/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_LOG_H
#define VB_LOG_H

#include <stdio.h>

/* syslog priorities, as /dev/kmsg takes them */
enum {
	LOG_ERR_ = 3,
	LOG_WARN_ = 4,
	LOG_NOTICE_ = 5,
	LOG_INFO_ = 6,
	LOG_DEBUG_ = 7,
};

#define VB_ERR		LOG_ERR_
#define VB_WARN		LOG_WARN_
#define VB_NOTICE	LOG_NOTICE_
#define VB_INFO		LOG_INFO_
#define VB_DEBUG	LOG_DEBUG_

/* Log to the kernel log at @kmsg; when it cannot be opened, to stderr. */
void log_open_kmsg(const char *kmsg);
/* Log to a stdio stream (commands for the running system, tests). */
void log_open_stream(FILE *f);
void log_close(void);
void log_set_max_prio(int prio);
int log_get_max_prio(void);

/* At most this many lines a run; the rest are counted, not written. */
#define LOG_MAX_LINES	512
/* Lower the cap for a while (the command line's bad tokens are the one unbounded source). */
void log_set_cap(unsigned max);
/*
 * If lines were held back, write one line that says how many, then let the next few lines
 * (the summary) through whatever the cap; the cap goes back to LOG_MAX_LINES.
 */
void log_end_suppressed(void);

/* a copy of a run's log lines ("vfio-bind: ...\n" each), for the boot's record (bootrec.c) */
struct log_copy {
	char buf[32 * 1024];
	size_t len;
	unsigned dropped;	/* lines that did not fit */
};
/* Copy every line written from now on into @c (NULL: stop). */
void log_capture(struct log_copy *c);

void vb_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)	vb_log(VB_ERR, __VA_ARGS__)
#define log_warn(...)	vb_log(VB_WARN, __VA_ARGS__)
#define log_notice(...)	vb_log(VB_NOTICE, __VA_ARGS__)
#define log_info(...)	vb_log(VB_INFO, __VA_ARGS__)
#define log_debug(...)	vb_log(VB_DEBUG, __VA_ARGS__)

#endif
