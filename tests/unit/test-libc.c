// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/static/{printf,strtol,strstr,qsort,malloc,system}.c against the musl functions they
 * replace in the static binary (the Makefile links this with musl-gcc): both are called on the
 * same generated inputs and must answer the same (printf: text and return value, into buffers
 * of every size that truncates; strtol: value, errno and end; strstr: the match), qsort must
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

int main(void)
{
	int bad = test_printf();

	bad |= test_strtol();
	bad |= test_strstr();
	bad |= test_qsort();
	bad |= test_malloc();
	bad |= test_system();
	return bad;
}
