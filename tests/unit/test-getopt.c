// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/static/getopt.c against musl's getopt_long and getopt, which it replaces in the static
 * binary (the Makefile links this with musl-gcc). Generated command lines, made of the kinds of
 * words vfio-bind's users type (cli.c's long options, exact, abbreviated, ambiguous, with "=",
 * short options, "--", "-", commands and addresses), are parsed by both with the same
 * optstring and long options; every return value, optind, optarg and optopt and the argument
 * order left behind (getopt_long permutes) must be the same.
 *
 *   test-getopt
 *
 * "PASS getopt:generated" or "FAIL getopt:generated" and the first disagreements; exit status 1
 * on failure. Messages (opterr) go to /dev/null: both print them through stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define getopt vb_getopt
#define getopt_long vb_getopt_long
#define optarg vb_optarg
#define optind vb_optind
#define opterr vb_opterr
#define optopt vb_optopt
#include "../../src/static/getopt.c"
#undef getopt
#undef getopt_long
#undef optarg
#undef optind
#undef opterr
#undef optopt

extern char *optarg;
extern int optind, opterr, optopt;
int getopt_long(int argc, char *const *argv, const char *optstring,
		const struct option *longopts, int *idx);

static int flag;
static const struct option longopts[] = {
	{ "root", required_argument, NULL, 256 },
	{ "cmdline", required_argument, NULL, 257 },
	{ "cmdline-dir", required_argument, NULL, 258 },
	{ "config", required_argument, NULL, 259 },
	{ "dry-run", no_argument, NULL, 260 },
	{ "json", no_argument, NULL, 261 },
	{ "level", optional_argument, NULL, 262 },
	{ "set", no_argument, &flag, 7 },
	{ NULL, 0, NULL, 0 },
};
static const char *const words[] = {
	"--root", "--root=/r", "--ro", "--r", "--c", "--cmd", "--cmdline", "--cmdline=x",
	"--cmdline-dir", "--con", "--dry-run", "--dry", "--dry-run=1", "--json", "--level",
	"--level=3", "--set", "--nope", "--", "-", "-h", "-V", "-hV", "-x", "-a", "-avalue", "-b",
	"-bopt", "-:", "-h:", "boot", "status", "01:00.0", "/tmp/x", "",
};
static const char *const optstrings[] = { "hV", ":hV", "+hV", "-hV", "a:b::hV", ":a:b::" };

struct trace {
	char text[4096];
	size_t len;
};

static void put(struct trace *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n + 1 < sizeof(t->text)) {
		memcpy(t->text + t->len, s, n + 1);
		t->len += n;
	}
}

/* Parse argv (a copy) with ours or musl's; what happened, as text. */
static void run(int ours, int argc, const char *const *args, const char *os, int err,
		struct trace *t)
{
	char *argv[16], step[256];
	int i, c, n, idx;

	for (i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	argv[argc] = NULL;
	t->len = 0;
	t->text[0] = 0;
	flag = 0;
	if (ours) {
		vb_optind = 0;
		vb_opterr = err;
	} else {
		optind = 0;
		opterr = err;
	}
	for (n = 0; n < 40; n++) {
		idx = -1;
		c = ours ? vb_getopt_long(argc, argv, os, longopts, &idx) :
			   getopt_long(argc, argv, os, longopts, &idx);
		snprintf(step, sizeof(step), "[%d ind=%d arg=%s opt=%d idx=%d flag=%d]", c,
			 ours ? vb_optind : optind,
			 (ours ? vb_optarg : optarg) ? (ours ? vb_optarg : optarg) : "(null)",
			 ours ? vb_optopt : optopt, idx, flag);
		put(t, step);
		if (c == -1)
			break;
	}
	put(t, " argv:");
	for (i = 0; i < argc; i++) {
		put(t, " ");
		put(t, argv[i] ? argv[i] : "(null)");
	}
}

static unsigned long seed = 18;

static unsigned pick(unsigned n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(seed >> 33) % n;
}

int main(void)
{
	static struct trace a, b;
	const char *args[16];
	unsigned long checked = 0, wrong = 0;
	int n, i, argc;

	if (!freopen("/dev/null", "w", stderr))
		return 1;
	for (n = 0; n < 100000; n++) {
		const char *os = optstrings[pick(sizeof(optstrings) / sizeof(optstrings[0]))];
		int err = pick(2);

		argc = 1 + pick(7);
		args[0] = "vfio-bind";
		for (i = 1; i < argc; i++)
			args[i] = words[pick(sizeof(words) / sizeof(words[0]))];
		run(1, argc, args, os, err, &a);
		run(0, argc, args, os, err, &b);
		checked++;
		if (!strcmp(a.text, b.text))
			continue;
		if (wrong++ < 5) {
			printf("  optstring '%s', opterr %d:", os, err);
			for (i = 1; i < argc; i++)
				printf(" '%s'", args[i]);
			printf("\n    ours: %s\n    musl: %s\n", a.text, b.text);
		}
	}
	printf("%s getopt:generated (%lu command lines, %lu disagree)\n", wrong ? "FAIL" : "PASS",
	       checked, wrong);
	return wrong != 0;
}
