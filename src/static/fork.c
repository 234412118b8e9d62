// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fork(2) for the static musl binary: musl's _Fork, without what fork adds for multi-threaded
 * programs (running pthread_atfork handlers and taking every internal lock around the fork, with
 * pthread read-write locks and futex waits behind them, about 1.5 KiB). vfio-bind has one
 * thread and registers no handlers, and its children only exec (initramfs.c, persist.c and
 * libkmod's install commands through src/static/system.c).
 */
#include <unistd.h>

pid_t fork(void)
{
	return _Fork();
}
