// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * signal(2) for the static musl binary, for the dispositions SIG_DFL and SIG_IGN (initramfs.c's
 * child puts SIGPIPE back to SIG_DFL before it runs the decompressor): the rt_sigaction system
 * call. musl's sigaction (0.8 KiB with its restorer and the bookkeeping for handlers and
 * threads) is needed only to run a handler, which vfio-bind never installs: a function as
 * handler fails with EINVAL here.
 */
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

void (*signal(int sig, void (*handler)(int)))(int)
{
	/* the kernel's struct sigaction: handler, flags, restorer, mask */
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		unsigned long mask;
	} new = { .handler = handler }, old;

	if (handler != SIG_DFL && handler != SIG_IGN) {
		errno = EINVAL;
		return SIG_ERR;
	}
	if (syscall(SYS_rt_sigaction, sig, &new, &old, sizeof(new.mask)) < 0)
		return SIG_ERR;
	return old.handler;
}
