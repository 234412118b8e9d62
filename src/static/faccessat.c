// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * faccessat(2) for the static musl binary: the system call. musl's emulates AT_EACCESS on kernels
 * without faccessat2 by checking in a child made with clone (with pipe2 and the get*id calls:
 * 0.7 KiB); vfio-bind asks only whether a file exists (inuse.c, flags 0). With flags, this
 * asks the kernel's faccessat2 (Linux 5.8), which answers ENOSYS before.
 */
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif

int faccessat(int fd, const char *path, int mode, int flags)
{
	if (flags)
		return syscall(SYS_faccessat2, fd, path, mode, flags);
	return syscall(SYS_faccessat, fd, path, mode);
}
