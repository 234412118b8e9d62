/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For the harnesses of readers that must never run anything (grubcfg: GRUB's shell files):
 * every way to start a process is defined here and aborts, so that a reader that tried would
 * be a crash libFuzzer reports. The executable's own definitions take the place of libc's.
 */
#ifndef VB_FUZZ_NOEXEC_H
#define VB_FUZZ_NOEXEC_H

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

pid_t fork(void) { abort(); }
pid_t vfork(void) { abort(); }
int execve(const char *p, char *const a[], char *const e[]) { abort(); }
int execv(const char *p, char *const a[]) { abort(); }
int execvp(const char *p, char *const a[]) { abort(); }
int execvpe(const char *p, char *const a[], char *const e[]) { abort(); }
int system(const char *c) { abort(); }
FILE *popen(const char *c, const char *m) { abort(); }
int posix_spawn(pid_t *pid, const char *p, const posix_spawn_file_actions_t *fa,
		const posix_spawnattr_t *at, char *const a[], char *const e[]) { abort(); }
int posix_spawnp(pid_t *pid, const char *p, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *at, char *const a[], char *const e[]) { abort(); }

#endif
