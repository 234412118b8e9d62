/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's side of a vfio-pci load, as a model for the simulator and the fuzz harnesses,
 * written from the kernel's code and independent of src/: parse_args() and next_arg()
 * (kernel/params.c, lib/cmdline.c) over a module's option string, param_set_copystring()
 * for vfio-pci's "static char ids[1024]", vsscanf() (lib/vsprintf.c) for the
 * "%x:%x:%x:%x:%x:%x" of vfio_pci_fill_ids(), pci_match_one_device().
 */
#ifndef VB_KERNEL_MODEL_H
#define VB_KERNEL_MODEL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KM_IDS_SIZE	1024		/* vfio-pci: static char ids[1024] */
#define KM_ANY		0xffffffffu	/* PCI_ANY_ID */

/* lib/ctype.c: _S is ' ', \t \n \v \f \r and 0xa0; _X is 0-9 a-f A-F */
static inline bool km_isspace(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
	       c == 0xa0;
}

static inline bool km_isxdigit(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline char *km_skip_spaces(char *s)
{
	while (km_isspace(*s))
		s++;
	return s;
}

/* lib/cmdline.c next_arg() */
static inline char *km_next_arg(char *args, char **param, char **val)
{
	unsigned int i, equals = 0;
	int in_quote = 0, quoted = 0;

	if (*args == '"') {
		args++;
		in_quote = quoted = 1;
	}
	for (i = 0; args[i]; i++) {
		if (km_isspace(args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	*val = NULL;
	if (equals) {
		args[equals] = '\0';
		*val = args + equals + 1;
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i])
		args[i++] = '\0';
	return km_skip_spaces(args + i);
}

/* kernel/params.c parameq(): '-' and '_' alike */
static inline bool km_parameq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

/* what vfio-pci's ids parameter holds, and the load's error so far (0, -EINVAL, -ENOSPC) */
struct km_ids {
	char ids[KM_IDS_SIZE];
	int err;
};

/* parse_one() for "ids": NULL is refused, param_set_copystring() refuses what does not fit */
static inline void km_set_ids(struct km_ids *k, const char *val)
{
	if (!val)
		k->err = -EINVAL;
	else if (strlen(val) + 1 > KM_IDS_SIZE)
		k->err = -ENOSPC;
	else
		strcpy(k->ids, val);
}

/* parse_args() over a module's options (a copy of @opts); vfio-pci's other parameters aside */
static inline void km_module_args(struct km_ids *k, const char *opts)
{
	char *copy = strdup(opts), *args, *param, *val;

	if (!copy)
		abort();
	args = km_skip_spaces(copy);
	while (*args) {
		args = km_next_arg(args, &param, &val);
		if (!val && !strcmp(param, "--"))
			break;
		if (km_parameq(param, "ids"))
			km_set_ids(k, val);
	}
	free(copy);
}

/* lib/vsprintf.c vsscanf() for a format of literal bytes and %x; returns the count */
static inline int km_sscanf_x(const char *str, const char *fmt, unsigned int *out, int max)
{
	int num = 0;

	while (*fmt) {
		if (km_isspace(*fmt)) {
			while (km_isspace(*fmt))
				fmt++;
			while (km_isspace(*str))
				str++;
		}
		if (*fmt != '%' && *fmt) {
			if (*fmt++ != *str++)
				break;
			continue;
		}
		if (!*fmt)
			break;
		fmt++;
		if (*fmt != 'x' || num == max)
			break;
		fmt++;
		if (!*str)
			break;
		while (km_isspace(*str))
			str++;
		if (!*str || !km_isxdigit(*str))
			break;
		{
			/* simple_strntoull(): _parse_integer_fixup_radix(), _parse_integer_limit() */
			unsigned long long res = 0;
			const char *s = str;

			if (s[0] == '0' && (s[1] | 0x20) == 'x')
				s += 2;
			for (;; s++) {
				unsigned int c = (unsigned char)*s, lc = c | 0x20, v;

				if (c >= '0' && c <= '9')
					v = c - '0';
				else if (lc >= 'a' && lc <= 'f')
					v = lc - 'a' + 10;
				else
					break;
				res = res * 16 + v;
			}
			out[num++] = (unsigned int)res;
			str = s;
		}
	}
	return num;
}

struct km_entry {
	unsigned int vendor, device, subvendor, subdevice, class, class_mask;
};

/* vfio_pci_fill_ids() on a copy of @ids: the entries pci_add_dynid() gets; returns how many */
static inline size_t km_fill_ids(const char *ids, struct km_entry *e, size_t max)
{
	char *copy = strdup(ids), *p = copy, *id;
	size_t n = 0;

	if (!copy)
		abort();
	if (!ids[0]) {
		free(copy);
		return 0;
	}
	while ((id = strsep(&p, ","))) {
		unsigned int f[6] = { 0, 0, KM_ANY, KM_ANY, 0, 0 };

		if (!strlen(id))
			continue;
		if (km_sscanf_x(id, "%x:%x:%x:%x:%x:%x", f, 6) < 2)
			continue;
		if (n < max)
			e[n] = (struct km_entry){ f[0], f[1], f[2], f[3], f[4], f[5] };
		n++;
	}
	free(copy);
	return n;
}

/* pci_match_one_device() against a device's 16-bit IDs and 24-bit class */
static inline bool km_match(const struct km_entry *e, unsigned int vendor, unsigned int device,
			    unsigned int subvendor, unsigned int subdevice, unsigned int class)
{
	return (e->vendor == KM_ANY || e->vendor == vendor) &&
	       (e->device == KM_ANY || e->device == device) &&
	       (e->subvendor == KM_ANY || e->subvendor == subvendor) &&
	       (e->subdevice == KM_ANY || e->subdevice == subdevice) &&
	       !((e->class ^ class) & e->class_mask);
}

#endif
