// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * system(3) for the static musl binary, which runs it only for libkmod's "install" commands
 * from modprobe.d: fork, /bin/sh -c, wait. musl's goes through posix_spawn (with its attribute
 * and file-action machinery, about 2 KiB), to also suit multi-threaded and vfork-sensitive
 * programs; vfio-bind forks elsewhere already. Like musl's, it returns the wait status, -1
 * when the child could not be made, and 127 as the exit status when the shell could not run;
 * it does not ignore SIGINT and SIGQUIT meanwhile (nothing at boot sends them).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int system(const char *cmd)
{
	pid_t pid;
	int status;

	if (!cmd)
		return 1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		char *argv[] = { "sh", "-c", "--", (char *)cmd, NULL };

		execve("/bin/sh", argv, environ);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}
