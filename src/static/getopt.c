// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * getopt(3) and getopt_long(3) for the static musl binary, byte by byte: musl's decode each
 * option character with mbtowc() (and getopt_long_only with mblen()), which costs the UTF-8
 * decoder and its table; cli.c's options are ASCII. This follows musl 1.2's getopt.c and
 * getopt_long.c step for step (argument permutation, unambiguous prefixes of long options,
 * "--", opterr and a leading ':' in optstring) without getopt_long_only, which vfio-bind does
 * not use. Under musl's C locale, where each byte is one character, it answers as musl does;
 * tests/unit/test-getopt.c holds it against musl's on generated command lines.
 * Defined here, optind, optarg, opterr and optopt keep libc's getopt.o out of the link.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;
static int optpos;

static void msg(const char *prog, const char *what, const char *opt, size_t len)
{
	fputs(prog, stderr);
	fputs(what, stderr);
	fwrite(opt, 1, len, stderr);
	fputc('\n', stderr);
}

int getopt(int argc, char *const argv[], const char *optstring)
{
	const char *optchar, *o;
	int c;

	if (!optind) {
		optpos = 0;
		optind = 1;
	}
	if (optind >= argc || !argv[optind])
		return -1;
	if (argv[optind][0] != '-') {
		if (optstring[0] == '-') {
			optarg = argv[optind++];
			return 1;
		}
		return -1;
	}
	if (!argv[optind][1])
		return -1;
	if (argv[optind][1] == '-' && !argv[optind][2])
		return optind++, -1;
	if (!optpos)
		optpos++;
	optchar = argv[optind] + optpos;
	c = (unsigned char)*optchar;
	optpos++;
	if (!argv[optind][optpos]) {
		optind++;
		optpos = 0;
	}
	if (optstring[0] == '-' || optstring[0] == '+')
		optstring++;
	o = strchr(optstring, c);
	if (!o || c == ':') {
		optopt = c;
		if (optstring[0] != ':' && opterr)
			msg(argv[0], ": unrecognized option: ", optchar, 1);
		return '?';
	}
	if (o[1] == ':') {
		optarg = NULL;
		if (o[2] != ':' || optpos) {
			optarg = argv[optind++] + optpos;
			optpos = 0;
		}
		if (optind > argc) {
			optopt = c;
			if (optstring[0] == ':')
				return ':';
			if (opterr)
				msg(argv[0], ": option requires an argument: ", optchar, 1);
			return '?';
		}
	}
	return c;
}

static int long_core(int argc, char *const *argv, const char *optstring,
		     const struct option *longopts, int *idx)
{
	optarg = NULL;
	if (longopts && argv[optind][0] == '-' && argv[optind][1] == '-' && argv[optind][2]) {
		int colon = optstring[optstring[0] == '+' || optstring[0] == '-'] == ':';
		int i, cnt, match = 0;
		char *arg = NULL, *opt, *start = argv[optind] + 1;

		for (cnt = i = 0; longopts[i].name; i++) {
			const char *name = longopts[i].name;

			opt = start;
			if (*opt == '-')
				opt++;
			while (*opt && *opt != '=' && *opt == *name)
				name++, opt++;
			if (*opt && *opt != '=')
				continue;
			arg = opt;
			match = i;
			if (!*name) {
				cnt = 1;
				break;
			}
			cnt++;
		}
		if (cnt == 1) {
			i = match;
			opt = arg;
			optind++;
			if (*opt == '=') {
				if (!longopts[i].has_arg) {
					optopt = longopts[i].val;
					if (colon || !opterr)
						return '?';
					msg(argv[0], ": option does not take an argument: ",
					    longopts[i].name, strlen(longopts[i].name));
					return '?';
				}
				optarg = opt + 1;
			} else if (longopts[i].has_arg == required_argument) {
				if (!(optarg = argv[optind])) {
					optopt = longopts[i].val;
					if (colon)
						return ':';
					if (!opterr)
						return '?';
					msg(argv[0], ": option requires an argument: ",
					    longopts[i].name, strlen(longopts[i].name));
					return '?';
				}
				optind++;
			}
			if (idx)
				*idx = i;
			if (longopts[i].flag) {
				*longopts[i].flag = longopts[i].val;
				return 0;
			}
			return longopts[i].val;
		}
		optopt = 0;
		if (!colon && opterr)
			msg(argv[0], cnt ? ": option is ambiguous: " : ": unrecognized option: ",
			    argv[optind] + 2, strlen(argv[optind] + 2));
		optind++;
		return '?';
	}
	return getopt(argc, argv, optstring);
}

int getopt_long(int argc, char *const *argv, const char *optstring,
		const struct option *longopts, int *idx)
{
	int ret, skipped, resumed;

	if (!optind) {
		optpos = 0;
		optind = 1;
	}
	if (optind >= argc || !argv[optind])
		return -1;
	skipped = optind;
	if (optstring[0] != '+' && optstring[0] != '-') {
		int i;

		for (i = optind;; i++) {
			if (i >= argc || !argv[i])
				return -1;
			if (argv[i][0] == '-' && argv[i][1])
				break;
		}
		optind = i;
	}
	resumed = optind;
	ret = long_core(argc, argv, optstring, longopts, idx);
	if (resumed > skipped) {
		/* move the options just taken in front of the operands skipped over */
		char **av = (char **)argv;
		int i, j, cnt = optind - resumed;

		for (i = 0; i < cnt; i++) {
			char *tmp = av[optind - 1];

			for (j = optind - 1; j > skipped; j--)
				av[j] = av[j - 1];
			av[skipped] = tmp;
		}
		optind = skipped + cnt;
	}
	return ret;
}
