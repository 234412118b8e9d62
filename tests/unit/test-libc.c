// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/static/{printf,strtol,strstr,string,qsort,malloc,system,env,faccessat,signal,clock}.c
 * against the musl functions they replace in the static binary (the Makefile links this with
 * musl-gcc): both are called on the same generated inputs and must answer the same (printf: text
 * and return value, into buffers of every size that truncates; strtol: value, errno and end;
 * strstr and the string functions: the result; fgets: the lines, read from the same file;
 * setenv and unsetenv: the environment left behind; faccessat, signal and clock_gettime: the
 * answer and errno, or a time between musl's two readings), qsort must
 * leave what musl's leaves for a total order, and malloc/realloc/free must keep every block's
 * contents through a long random sequence of allocations (small, medium and mapped sizes).
 *
 *   test-libc
 *
 * One "PASS libc:NAME" or "FAIL libc:NAME" line per function group with the first
 * disagreements; exit status 1 on failure.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

/* the static files leave out their aliases for musl's internal names */
#define VB_LIBC_TEST
#define vfprintf vb_vfprintf
#define vsnprintf vb_vsnprintf
#define vsprintf vb_vsprintf
#define vasprintf vb_vasprintf
#define vprintf vb_vprintf
#define vdprintf vb_vdprintf
#define printf vb_printf
#define fprintf vb_fprintf
#define dprintf vb_dprintf
#define sprintf vb_sprintf
#define snprintf vb_snprintf
#define asprintf vb_asprintf
#include "../../src/static/printf.c"
#undef vfprintf
#undef vsnprintf
#undef vsprintf
#undef vasprintf
#undef vprintf
#undef vdprintf
#undef printf
#undef fprintf
#undef dprintf
#undef sprintf
#undef snprintf
#undef asprintf

#define strtol vb_strtol
#define strtoul vb_strtoul
#define strtoll vb_strtoll
#define strtoull vb_strtoull
#include "../../src/static/strtol.c"
#undef strtol
#undef strtoul
#undef strtoll
#undef strtoull

#define strstr vb_strstr
#include "../../src/static/strstr.c"
#undef strstr

#define qsort vb_qsort
#include "../../src/static/qsort.c"
#undef qsort

#define malloc vb_malloc
#define calloc vb_calloc
#define realloc vb_realloc
#define free vb_free
#include "../../src/static/malloc.c"
#undef malloc
#undef calloc
#undef realloc
#undef free

#define system vb_system
#include "../../src/static/system.c"
#undef system

#define strlen vb_strlen
#define strchrnul vb_strchrnul
#define stpcpy vb_stpcpy
#define strcpy vb_strcpy
#define memchr vb_memchr
#define strspn vb_strspn
#define strcspn vb_strcspn
#define atoi vb_atoi
#define strtok vb_strtok
#define fgets vb_fgets
#define strtol vb_strtol
#include "../../src/static/string.c"
#undef strlen
#undef strchrnul
#undef stpcpy
#undef strcpy
#undef memchr
#undef strspn
#undef strcspn
#undef atoi
#undef strtok
#undef fgets
#undef strtol

#define setenv vb_setenv
#define unsetenv vb_unsetenv
#include "../../src/static/env.c"
#undef setenv
#undef unsetenv

#define faccessat vb_faccessat
#include "../../src/static/faccessat.c"
#undef faccessat

#define signal vb_signal
#include "../../src/static/signal.c"
#undef signal

#define clock_gettime vb_clock_gettime
#include "../../src/static/clock.c"
#undef clock_gettime

static unsigned long wrong;
static unsigned long long rng = 88172645463325252ULL;

static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void disagree(const char *what, const char *fmt, ...)
{
	va_list ap;

	if (wrong++ >= 10)
		return;
	fprintf(stdout, "    %s: ", what);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static int report(const char *name, unsigned long cases, unsigned long before)
{
	unsigned long bad = wrong - before;

	fprintf(stdout, "%s libc:%s (%lu cases, %lu disagree)\n", bad ? "FAIL" : "PASS", name,
		cases, bad);
	return bad != 0;
}

/* one conversion with one value, through both vsnprintf at several buffer sizes */
static void both(unsigned long *cases, const char *fmt, ...)
{
	static const size_t sizes[] = { 0, 1, 2, 5, 17, 200 };
	char a[200], b[200];
	va_list ap, aq;
	int ra, rb;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(a, 'A', sizeof(a));
		memset(b, 'A', sizeof(b));
		va_start(ap, fmt);
		va_copy(aq, ap);
		errno = ENOENT;
		ra = vsnprintf(a, sizes[i], fmt, ap);
		errno = ENOENT;
		rb = vb_vsnprintf(b, sizes[i], fmt, aq);
		va_end(aq);
		va_end(ap);
		(*cases)++;
		if (ra != rb || memcmp(a, b, sizeof(a)))
			disagree("printf", "\"%s\" size %zu: musl %d \"%.*s\", ours %d \"%.*s\"", fmt,
				 sizes[i], ra, sizes[i] ? (int)strnlen(a, sizes[i]) : 0, a, rb,
				 sizes[i] ? (int)strnlen(b, sizes[i]) : 0, b);
	}
}

static int test_printf(void)
{
	static const char *const flags[] = { "", "-", "0", "+", " ", "#", "-0", "+0", "#0", "- ",
					     "+ ", "-#" };
	static const char *const widths[] = { "", "1", "5", "12", "*" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".12", ".*" };
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "z", "j", "t" };
	static const long long vals[] = { 0, 1, -1, 7, 42, -42, 255, 256, -128, 65535, 65536,
					  INT_MAX, INT_MIN, UINT_MAX, LLONG_MAX, LLONG_MIN,
					  0x1234abcdLL };
	static const char *const strs[] = { "", "a", "abc", "hello, world", NULL };
	static const int stars[] = { -7, 0, 3, 9 };
	unsigned long cases = 0, before = wrong;
	char fmt[64];
	size_t f, w, p, l, v, s;
	const char *conv;

	for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
	for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
	for (p = 0; p < sizeof(precs) / sizeof(precs[0]); p++) {
		int star = stars[(f + w + p) % 4], pstar = stars[(f * 3 + p) % 4];

		for (conv = "diuoxX"; *conv; conv++)
		for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
		for (v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
			long long x = vals[v];
			int ws = widths[w][0] == '*', ps = precs[p][1] == '*';

			snprintf(fmt, sizeof(fmt), "<%%%s%s%s%s%c>", flags[f], widths[w], precs[p],
				 lens[l], *conv);
			/* the argument as the length says it is passed */
			if (l >= 3 && ws && ps)
				both(&cases, fmt, star, pstar, x);
			else if (l >= 3 && ws)
				both(&cases, fmt, star, x);
			else if (l >= 3 && ps)
				both(&cases, fmt, pstar, x);
			else if (l >= 3)
				both(&cases, fmt, x);
			else if (ws && ps)
				both(&cases, fmt, star, pstar, (int)x);
			else if (ws)
				both(&cases, fmt, star, (int)x);
			else if (ps)
				both(&cases, fmt, pstar, (int)x);
			else
				both(&cases, fmt, (int)x);
		}
		if (strchr(flags[f], '#') || strchr(flags[f], '0') || strchr(flags[f], '+') ||
		    strchr(flags[f], ' '))
			continue;	/* undefined for strings, characters and pointers */
		for (s = 0; s < sizeof(strs) / sizeof(strs[0]); s++) {
			snprintf(fmt, sizeof(fmt), "[%%%s%s%ss|%%%s%sc|%%p]", flags[f], widths[w],
				 precs[p], flags[f], widths[w]);
			if (widths[w][0] == '*' && precs[p][1] == '*')
				both(&cases, fmt, star, pstar, strs[s], star, 'q', (void *)strs[s]);
			else if (widths[w][0] == '*')
				both(&cases, fmt, star, strs[s], star, 'q', (void *)strs[s]);
			else if (precs[p][1] == '*')
				both(&cases, fmt, pstar, strs[s], 'q', (void *)strs[s]);
			else
				both(&cases, fmt, strs[s], 'q', (void *)strs[s]);
		}
	}
	both(&cases, "%m|%5m|%-30m|%%|%.3m|%n", (int *)&f);
	both(&cases, "%s: %zu bytes, %04x:%04X %02x %lu %ld %zd %llu %c%c", "vfio-pci",
	     (size_t)123456, 0x10de, 0xab28, 7, ULONG_MAX, LONG_MIN, (ssize_t)-5, ULLONG_MAX,
	     'o', 'k');
	both(&cases, "%p %p", (void *)0, (void *)&cases);
	{
		char *a = NULL, *b = NULL;
		int ra = asprintf(&a, "%s=%d%-4s|", "x", -3, "y");
		int rb = vb_asprintf(&b, "%s=%d%-4s|", "x", -3, "y");

		cases++;
		if (ra != rb || strcmp(a, b))
			disagree("asprintf", "musl %d \"%s\", ours %d \"%s\"", ra, a, rb, b);
		free(a);
		free(b);
	}
	return report("printf", cases, before);
}

static int test_strtol(void)
{
	static const char *const strs[] = {
		"", " ", "0", "1", "-1", "+1", "  42xyz", "\t\n-17", "0x", "0x1f", "0X1F", "0xg",
		"-0x10", "010", "08", "0b101", "z", "Zz", "123456789012345678901234567890",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "18446744073709551615", "18446744073709551616",
		"-18446744073709551615", "ffffffffffffffff", "10000000000000000", "4294967296",
		"+-1", "- 1", "0x7fffffffffffffff", "1_000", "0xffffffffffffffffff",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };
	unsigned long cases = 0, before = wrong;
	size_t i, j;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
	for (j = 0; j < sizeof(bases) / sizeof(bases[0]); j++) {
		const char *s = strs[i];
		char *ea, *eb;
		int b = bases[j], xa, xb;

#define COMPARE(fn, type, pf) do { \
		type a, c; \
		errno = 0; a = fn(s, &ea, b); xa = errno; \
		errno = 0; c = vb_##fn(s, &eb, b); xb = errno; \
		cases++; \
		if (a != c || xa != xb || ea != eb) \
			disagree(#fn, "\"%s\" base %d: musl " pf " errno %d end %td, ours " pf \
				 " errno %d end %td", s, b, a, xa, ea - s, c, xb, eb - s); \
	} while (0)
		COMPARE(strtol, long, "%ld");
		COMPARE(strtoul, unsigned long, "%lu");
		COMPARE(strtoll, long long, "%lld");
		COMPARE(strtoull, unsigned long long, "%llu");
	}
	return report("strtol", cases, before);
}

static int test_strstr(void)
{
	static const char *const hs[] = { "", "a", "abc", "aaab", "vfio-pci.ids=10de:1b80",
					  "$CMDLINE_OPTS and $CMDLINE_OPTS", "ababababc" };
	static const char *const ns[] = { "", "a", "b", "abc", "aab", "abababc", "$CMDLINE_OPTS",
					  "ids=", "x", "ababababcd" };
	unsigned long cases = 0, before = wrong;
	size_t i, j;

	for (i = 0; i < sizeof(hs) / sizeof(hs[0]); i++)
		for (j = 0; j < sizeof(ns) / sizeof(ns[0]); j++) {
			cases++;
			if (strstr(hs[i], ns[j]) != vb_strstr(hs[i], ns[j]))
				disagree("strstr", "\"%s\" in \"%s\"", ns[j], hs[i]);
		}
	return report("strstr", cases, before);
}

struct rec {
	int key;
	char pad[7];
};

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int cmp_rec(const void *a, const void *b)
{
	return cmp_int(&((const struct rec *)a)->key, &((const struct rec *)b)->key);
}

static int test_qsort(void)
{
	unsigned long cases = 0, before = wrong;
	static int a[700], b[700];
	static struct rec ra[300], rb[300];
	size_t n, i, round;

	for (round = 0; round < 400; round++) {
		n = next() % (round < 200 ? 12 : 700);
		for (i = 0; i < n; i++)
			a[i] = b[i] = (int)(next() % (round % 3 ? 1000 : 5)) - 2;
		if (round % 7 == 0)	/* already sorted */
			qsort(a, n, sizeof(a[0]), cmp_int), memcpy(b, a, sizeof(a));
		qsort(a, n, sizeof(a[0]), cmp_int);
		vb_qsort(b, n, sizeof(b[0]), cmp_int);
		cases++;
		if (memcmp(a, b, n * sizeof(a[0])))
			disagree("qsort", "%zu ints (round %zu)", n, round);
		n %= 300;
		for (i = 0; i < n; i++) {
			ra[i].key = (int)(next() % 100);
			memset(ra[i].pad, ra[i].key, sizeof(ra[i].pad));
			rb[i] = ra[i];
		}
		qsort(ra, n, sizeof(ra[0]), cmp_rec);
		vb_qsort(rb, n, sizeof(rb[0]), cmp_rec);
		cases++;
		if (memcmp(ra, rb, n * sizeof(ra[0])))
			disagree("qsort", "%zu records of %zu bytes (round %zu)", n, sizeof(ra[0]),
				 round);
	}
	return report("qsort", cases, before);
}

#define SLOTS 512

static int test_malloc(void)
{
	static unsigned char *slot[SLOTS];
	static size_t len[SLOTS];
	unsigned long cases = 0, before = wrong;
	size_t i, k, n, s;

	for (i = 0; i < 200000; i++) {
		unsigned long long r = next();
		s = r % SLOTS;
		unsigned char fill = (unsigned char)(s * 7 + 1);

		/* mostly small, some medium, a few beyond the 64 KiB classes */
		n = r >> 32;
		n = (r >> 20) % 100 < 85 ? n % 200 : (r >> 20) % 100 < 98 ? n % 20000 :
		    n % 400000;
		cases++;
		if (slot[s]) {
			for (k = 0; k < len[s]; k++)
				if (slot[s][k] != fill) {
					disagree("malloc", "block %zu of %zu bytes changed at %zu", s,
						 len[s], k);
					break;
				}
			if (r & 1) {
				vb_free(slot[s]);
				slot[s] = NULL;
				continue;
			}
			slot[s] = vb_realloc(slot[s], n);
			if (!slot[s]) {
				disagree("realloc", "%zu bytes: NULL", n);
				continue;
			}
			if (n > len[s])
				memset(slot[s] + len[s], fill, n - len[s]);
			len[s] = n;
			continue;
		}
		slot[s] = (r & 2) ? vb_calloc(1, n) : vb_malloc(n);
		if (!slot[s] || ((uintptr_t)slot[s] & 15)) {
			disagree("malloc", "%zu bytes: %p", n, (void *)slot[s]);
			slot[s] = NULL;
			continue;
		}
		for (k = 0; (r & 2) && k < n; k++)
			if (slot[s][k]) {
				disagree("calloc", "%zu bytes not zero at %zu", n, k);
				break;
			}
		memset(slot[s], fill, n);
		len[s] = n;
	}
	for (s = 0; s < SLOTS; s++)
		vb_free(slot[s]);
	cases++;
	errno = 0;
	if (vb_malloc(SIZE_MAX - 8) || errno != ENOMEM || vb_calloc(SIZE_MAX / 2, 4))
		disagree("malloc", "an impossible size did not fail with ENOMEM");
	/* a block freed twice, a pointer into a block, an overwritten header: the child traps */
	for (i = 0; i < 3; i++) {
		pid_t pid = fork();
		int status = 0;

		if (!pid) {
			unsigned char *p = vb_malloc(40), *q = vb_malloc(100000);

			if (i == 0)
				vb_free(p);
			else if (i == 2)
				memset(q - 16, 0, 16);
			vb_free(i == 1 ? p + 16 : i == 2 ? q : p);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		cases++;
		if (!WIFSIGNALED(status))
			disagree("free", "case %zu: the child was not stopped (status %#x)", i, status);
	}
	return report("malloc", cases, before);
}

static int test_system(void)
{
	static const char *const cmds[] = { "exit 3", "true", "kill -9 $$", "MODPROBE_X=1; exit 0",
					    "/nonexistent/command" };
	unsigned long cases = 0, before = wrong;
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		int a = system(cmds[i]), b = vb_system(cmds[i]);

		cases++;
		if (a != b)
			disagree("system", "\"%s\": musl %#x, ours %#x", cmds[i], a, b);
	}
	cases++;
	if (system(NULL) != vb_system(NULL))
		disagree("system", "NULL");
	return report("system", cases, before);
}

static int test_string(void)
{
	static const char *const strs[] = { "", "a", "abc", "vfio-pci.ids=10de:1b80,10de:10f0",
					    " \t 42 ", "-17x", "/dev//sda/", "a=b=c", "\xff\x80z" };
	static const char *const sets[] = { "", "a", "/", " \t", "=,:", "abc", "\xff" };
	static const int chars[] = { 0, 'a', '/', '=', ':', 0xff, 'z' };
	unsigned long cases = 0, before = wrong;
	char a[64], b[64], ta[64], tb[64], *pa, *pb;
	size_t i, j;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		const char *s = strs[i];

		cases += 4;
		if (strlen(s) != vb_strlen(s) || atoi(s) != vb_atoi(s))
			disagree("strlen/atoi", "\"%s\"", s);
		memset(a, 'x', sizeof(a));
		memset(b, 'x', sizeof(b));
		if (stpcpy(a, s) - a != vb_stpcpy(b, s) - b || memcmp(a, b, sizeof(a)) ||
		    strcpy(a, s) != a || vb_strcpy(b, s) != b || memcmp(a, b, sizeof(a)))
			disagree("stpcpy/strcpy", "\"%s\"", s);
		for (j = 0; j < sizeof(chars) / sizeof(chars[0]); j++) {
			cases++;
			if (strchrnul(s, chars[j]) != vb_strchrnul(s, chars[j]) ||
			    memchr(s, chars[j], strlen(s) + 1) != vb_memchr(s, chars[j], strlen(s) + 1) ||
			    memchr(s, chars[j], strlen(s) / 2) != vb_memchr(s, chars[j], strlen(s) / 2))
				disagree("strchrnul/memchr", "%#x in \"%s\"", chars[j], s);
		}
		for (j = 0; j < sizeof(sets) / sizeof(sets[0]); j++) {
			cases++;
			if (strspn(s, sets[j]) != vb_strspn(s, sets[j]) ||
			    strcspn(s, sets[j]) != vb_strcspn(s, sets[j]))
				disagree("strspn/strcspn", "\"%s\" in \"%s\"", sets[j], s);
			if (!*sets[j])
				continue;
			/* strtok over the whole string, token by token */
			memset(ta, 0, sizeof(ta));
			memset(tb, 0, sizeof(tb));
			strcpy(ta, s);
			strcpy(tb, s);
			pa = strtok(ta, sets[j]);
			pb = vb_strtok(tb, sets[j]);
			for (;;) {
				cases++;
				if ((pa ? pa - ta : -1) != (pb ? pb - tb : -1) || memcmp(ta, tb, sizeof(ta))) {
					disagree("strtok", "\"%s\" by \"%s\"", s, sets[j]);
					break;
				}
				if (!pa)
					break;
				pa = strtok(NULL, sets[j]);
				pb = vb_strtok(NULL, sets[j]);
			}
		}
	}
	{
		/* fgets: the same file read with every buffer size that splits its lines */
		static const char text[] = "first line\n\nthird, longer line of text\nno newline";
		FILE *f = tmpfile();
		int n;

		if (!f || fputs(text, f) < 0) {
			disagree("fgets", "no temporary file");
			return report("string", cases, before);
		}
		for (n = 0; n < 20; n++) {
			rewind(f);
			for (;;) {
				long at = ftell(f);

				pa = fgets(a, n, f);
				fseek(f, at, SEEK_SET);
				pb = vb_fgets(b, n, f);
				cases++;
				if (!pa != !pb || (pa && strcmp(a, b)) || ftell(f) < at) {
					disagree("fgets", "size %d at %ld: musl \"%s\", ours \"%s\"", n,
						 at, pa ? a : "(NULL)", pb ? b : "(NULL)");
					break;
				}
				if (!pa || n < 2)
					break;
			}
		}
		fclose(f);
	}
	return report("string", cases, before);
}

/* the environment as a string, for comparing */
static void env_text(char *buf, size_t size)
{
	size_t i, l = 0;

	buf[0] = '\0';
	for (i = 0; environ[i]; i++)
		l += snprintf(buf + l, l < size ? size - l : 0, "%s;", environ[i]);
}

static int test_env(void)
{
	static const char *const ops[][3] = {
		{ "set", "MODPROBE_MODULE", "vfio_pci" }, { "set", "MODPROBE_MODULE", "e1000" },
		{ "keep", "MODPROBE_MODULE", "no" }, { "set", "A", "" }, { "set", "", "x" },
		{ "set", "B=C", "x" }, { "unset", "MODPROBE_MODULE", NULL }, { "unset", "X", NULL },
		{ "unset", "", NULL }, { "unset", "A=", NULL }, { "keep", "NEW", "1" },
		{ "unset", "A", NULL },
	};
	static char *start[] = { "PATH=/bin", "A=0", "HOME=/", NULL };
	char ea[512], eb[512];
	char **saved = environ;
	unsigned long cases = 0, before = wrong;
	size_t i, k;
	int ra[12], xa[12];

	/* musl's run of the operations, then ours from the same start */
	for (k = 0; k < 2; k++) {
		char *copy[8];

		memcpy(copy, start, sizeof(start));
		environ = copy;
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			int r, over = ops[i][0][0] == 's';

			errno = 0;
			if (ops[i][0][0] == 'u')
				r = k ? vb_unsetenv(ops[i][1]) : unsetenv(ops[i][1]);
			else
				r = k ? vb_setenv(ops[i][1], ops[i][2], over) :
					setenv(ops[i][1], ops[i][2], over);
			if (!k) {
				ra[i] = r;
				xa[i] = errno;
				continue;
			}
			cases++;
			if (r != ra[i] || errno != xa[i])
				disagree("setenv", "%s %s: musl %d errno %d, ours %d errno %d",
					 ops[i][0], ops[i][1], ra[i], xa[i], r, errno);
		}
		env_text(k ? eb : ea, sizeof(ea));
	}
	environ = saved;
	cases++;
	if (strcmp(ea, eb))
		disagree("setenv", "musl left %s, ours %s", ea, eb);
	return report("env", cases, before);
}

static int test_syscalls(void)
{
	static const char *const paths[] = { "/", "/nonexistent", "tmp", "", "/proc/self/exe" };
	static const int modes[] = { F_OK, R_OK, W_OK | X_OK };
	unsigned long cases = 0, before = wrong;
	struct timespec t0, t, t1;
	size_t i, j;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		for (j = 0; j < sizeof(modes) / sizeof(modes[0]); j++) {
			int a, b, xa, xb;

			errno = 0;
			a = faccessat(AT_FDCWD, paths[i], modes[j], 0);
			xa = errno;
			errno = 0;
			b = vb_faccessat(AT_FDCWD, paths[i], modes[j], 0);
			xb = errno;
			cases++;
			if (a != b || xa != xb)
				disagree("faccessat", "%s %d: musl %d errno %d, ours %d errno %d",
					 paths[i], modes[j], a, xa, b, xb);
		}
	cases++;
	if (signal(SIGPIPE, SIG_IGN) != SIG_DFL || vb_signal(SIGPIPE, SIG_DFL) != SIG_IGN ||
	    signal(SIGPIPE, SIG_DFL) != SIG_DFL || vb_signal(SIGPIPE, SIG_IGN) != SIG_DFL ||
	    signal(SIGPIPE, SIG_DFL) != SIG_IGN || vb_signal(SIGKILL, SIG_IGN) != SIG_ERR ||
	    errno != EINVAL)
		disagree("signal", "SIGPIPE's dispositions do not follow");
	cases++;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (vb_clock_gettime(CLOCK_MONOTONIC, &t) ||
	    (clock_gettime(CLOCK_MONOTONIC, &t1), 0) ||
	    t.tv_sec * 1000000000LL + t.tv_nsec < t0.tv_sec * 1000000000LL + t0.tv_nsec ||
	    t.tv_sec * 1000000000LL + t.tv_nsec > t1.tv_sec * 1000000000LL + t1.tv_nsec ||
	    vb_clock_gettime(12345, &t) != -1 || errno != EINVAL)
		disagree("clock_gettime", "not between musl's readings, or no EINVAL");
	return report("syscalls", cases, before);
}

int main(void)
{
	int bad = test_printf();

	bad |= test_strtol();
	bad |= test_strstr();
	bad |= test_qsort();
	bad |= test_malloc();
	bad |= test_system();
	bad |= test_string();
	bad |= test_env();
	bad |= test_syscalls();
	return bad;
}
