// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * clock_gettime(2) for the static musl binary: the system call itself. musl's looks up the vDSO's
 * __vdso_clock_gettime first (its ELF symbol-table walk is 1 KiB); vfio-bind reads the clock
 * twice a boot (boot.c's elapsed time), where the system call's cost is nothing. musl's
 * own callers (mkostemp's random names) call it as __clock_gettime: the same function.
 */
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	return syscall(SYS_clock_gettime, clk, ts);
}

#ifndef VB_LIBC_TEST	/* tests/unit/test-libc.c renames the functions */
int __clock_gettime(clockid_t clk, struct timespec *ts) __attribute__((alias("clock_gettime")));
#endif
