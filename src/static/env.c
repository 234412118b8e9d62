// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * setenv(3) and unsetenv(3) for the static musl binary, where only libkmod calls them: it sets
 * MODPROBE_MODULE around an install command from modprobe.d and unsets it after. musl's keep
 * a list of the strings they allocated to free them on replacement (putenv, __env_rm_add:
 * 1 KiB); these leak the few bytes of a replaced "NAME=value" instead. Same answers: EINVAL for
 * an empty name or one with '=', ENOMEM when memory runs out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int unsetenv(const char *name)
{
	size_t l = strlen(name), i, j;

	if (!l || strchr(name, '=')) {
		errno = EINVAL;
		return -1;
	}
	for (i = j = 0; environ[i]; i++)
		if (strncmp(environ[i], name, l) || environ[i][l] != '=')
			environ[j++] = environ[i];
	environ[j] = NULL;
	return 0;
}

int setenv(const char *name, const char *value, int overwrite)
{
	size_t l = strlen(name), v = strlen(value), n;
	char *s, **e;

	if (!l || strchr(name, '=')) {
		errno = EINVAL;
		return -1;
	}
	if (getenv(name) && !overwrite)
		return 0;
	for (n = 0; environ[n]; n++)
		;
	s = malloc(l + v + 2);
	e = malloc((n + 2) * sizeof(*e));
	if (!s || !e) {
		free(s);
		free(e);
		errno = ENOMEM;
		return -1;
	}
	memcpy(s, name, l);
	s[l] = '=';
	memcpy(s + l + 1, value, v + 1);
	unsetenv(name);
	for (n = 0; environ[n]; n++)
		e[n] = environ[n];
	e[n] = s;
	e[n + 1] = NULL;
	environ = e;
	return 0;
}
