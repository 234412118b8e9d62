// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modprobe.d and vfio-pci's ids=, vfio-bind's reading against their owners'. The input is up
 * to five files, split at lines "%%": ROOT/etc/modprobe.d/a.conf, ROOT/lib/modprobe.d/a.conf
 * (hidden by the first), ROOT/lib/modprobe.d/b.conf, ROOT/etc/modprobe.d/c.alias and
 * MODDIR/modules.softdep, written to a directory under /dev/shm that every input reuses.
 * The oracle is the real libkmod (the system's, on the same directories) and a model of the
 * kernel (tests/unit/kernel-model.h: parse_args(), vfio-pci's ids[1024], vfio_pci_fill_ids()'s
 * sscanf, pci_match_one_device()). Any disagreement aborts:
 *   - modconf_walk() sees libkmod's options, aliases, install and remove commands and
 *     blacklist entries, in libkmod's order, with libkmod's text;
 *   - takeover_read() gets vfio-pci's ids= as the kernel sets it from libkmod's options, or
 *     says why the kernel refuses the load;
 *   - takeover_apply() empties ids= only when its selectors match exactly the devices the
 *     kernel's entries match, and keeps ids= when an entry cannot be said in vfio.bind=.
 * libkmod also reads this machine's /proc/cmdline: what it adds from there (the same for
 * every input) is read once from an empty configuration and expected at the end.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libkmod.h>

#include "../unit/kernel-model.h"
#include "fuzz.h"
#include "modconf.h"
#include "takeover.h"

#define NFILES		5
#define MAX_ENTRIES	4096

static const char *const file_names[NFILES] = {
	"etc/modprobe.d/a.conf", "lib/modprobe.d/a.conf", "lib/modprobe.d/b.conf",
	"etc/modprobe.d/c.alias", "lib/modules/fuzz/modules.softdep",
};

static struct vb_ctx ctx;
static char paths[NFILES][PATH_MAX];

/* one configuration entry: a kind, a key, a value */
struct entry {
	char kind;		/* 'o' options, 'a' alias, 'i' install, 'r' remove, 'b' blacklist */
	char *key, *val;
};

struct entries {
	struct entry e[MAX_ENTRIES];
	size_t n;
	bool overflow;
};

static struct entries base, lib, ours;

static void add(struct entries *l, char kind, const char *key, const char *val)
{
	if (l->n == MAX_ENTRIES) {
		l->overflow = true;
		return;
	}
	l->e[l->n].kind = kind;
	l->e[l->n].key = strdup(key);
	l->e[l->n].val = strdup(val ? val : "");
	if (!l->e[l->n].key || !l->e[l->n].val)
		abort();
	l->n++;
}

static void clear(struct entries *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->e[i].key);
		free(l->e[i].val);
	}
	l->n = 0;
	l->overflow = false;
}

static void iter(struct entries *l, char kind, struct kmod_config_iter *it, bool value)
{
	while (it && kmod_config_iter_next(it))
		add(l, kind, kmod_config_iter_get_key(it),
		    value ? kmod_config_iter_get_value(it) : NULL);
	kmod_config_iter_free_iter(it);
}

/* libkmod's configuration, kind by kind in its own order */
static struct kmod_ctx *libkmod_read(struct entries *l)
{
	char dirs[MODCONF_NDIRS][PATH_MAX];
	struct kmod_ctx *k = kmod_new(ctx.moddir, modconf_paths(&ctx, dirs));

	if (!k)
		abort();
	iter(l, 'o', kmod_config_get_options(k), true);
	iter(l, 'a', kmod_config_get_aliases(k), true);
	iter(l, 'i', kmod_config_get_install_commands(k), true);
	iter(l, 'r', kmod_config_get_remove_commands(k), true);
	iter(l, 'b', kmod_config_get_blacklists(k), false);
	return k;
}

static int walk_line(const char *file, unsigned line, const char *cmd, const char *mod,
		     char *rest, void *data)
{
	struct entries *l = data;

	FUZZ_ASSERT(line >= 1);
	if (!strcmp(cmd, "options"))
		add(l, 'o', mod, rest);
	else if (!strcmp(cmd, "alias"))
		add(l, 'a', mod, rest);
	else if (!strcmp(cmd, "install"))
		add(l, 'i', mod, rest);
	else if (!strcmp(cmd, "remove"))
		add(l, 'r', mod, rest);
	else if (!strcmp(cmd, "blacklist"))
		add(l, 'b', mod, NULL);
	else
		FUZZ_ASSERT(!strcmp(cmd, "softdep"));
	return 0;
}

/* our walk, kind by kind as libkmod lists them, then what libkmod adds from /proc/cmdline */
static void expected(struct entries *out, const struct entries *walk)
{
	static const char kinds[] = "oairb";
	size_t i, j;

	for (i = 0; kinds[i]; i++) {
		for (j = 0; j < walk->n; j++)
			if (walk->e[j].kind == kinds[i])
				add(out, kinds[i], walk->e[j].key, walk->e[j].val);
		for (j = 0; j < base.n; j++)
			if (base.e[j].kind == kinds[i])
				add(out, kinds[i], base.e[j].key, base.e[j].val);
	}
}

/* the directory goes when the run ends (not after a crash: its files are the input's) */
static void cleanup(void)
{
	static const char *const dirs[] = {
		"lib/modules/fuzz", "lib/modules", "lib/modprobe.d", "etc/modprobe.d", "lib", "etc",
		"proc", "",
	};
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < NFILES; i++)
		unlink(paths[i]);
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		snprintf(p, sizeof(p), "%s/%s", ctx.root, dirs[i]);
		rmdir(p);
	}
}

static void setup(void)
{
	char tmpl[] = "/dev/shm/fuzz-modconf.XXXXXX", p[PATH_MAX];
	const char *dir = mkdtemp(tmpl);
	static const char *const mk[] = {
		"etc", "etc/modprobe.d", "lib", "lib/modprobe.d", "lib/modules", "lib/modules/fuzz",
		"proc",
	};
	size_t i;

	if (!dir)
		abort();
	/* libkmod's messages about bad lines: not on stderr for every input */
	setenv("KMOD_LOG", "0", 1);
	snprintf(ctx.root, sizeof(ctx.root), "%s", dir);
	for (i = 0; i < sizeof(mk) / sizeof(*mk); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, mk[i]);
		if (mkdir(p, 0755) < 0)
			abort();
	}
	snprintf(ctx.moddir, sizeof(ctx.moddir), "%s/lib/modules/fuzz", dir);
	snprintf(ctx.proc, sizeof(ctx.proc), "%s/proc", dir);
	snprintf(ctx.cmdline, sizeof(ctx.cmdline), "%s/proc/cmdline", dir);
	snprintf(ctx.sysfs, sizeof(ctx.sysfs), "%s/sys", dir);
	for (i = 0; i < NFILES; i++)
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, file_names[i]);
	kmod_unref(libkmod_read(&base));
	atexit(cleanup);
}

/*
 * What each file holds now (NULL: absent), so that an input writes only the files that differ
 * from the previous input's and unlinks only those it has no more: libkmod and modconf_walk()
 * read the directories afresh either way, and the system calls of this are the campaign's
 * largest cost after theirs.
 */
static uint8_t *held[NFILES];
static size_t held_len[NFILES];

static void put_file(size_t i, const uint8_t *p, size_t n)
{
	int fd;

	if (held[i] && held_len[i] == n && !memcmp(held[i], p, n))
		return;
	fd = open(paths[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n))
		abort();
	close(fd);
	free(held[i]);
	held[i] = malloc(n + 1);
	if (!held[i])
		abort();
	memcpy(held[i], p, n);
	held_len[i] = n;
}

static void drop_file(size_t i)
{
	if (!held[i])
		return;
	if (unlink(paths[i]) < 0)
		abort();
	free(held[i]);
	held[i] = NULL;
}

static void write_files(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	size_t i, nfiles = 0;

	for (i = 0; i < NFILES && p <= end; i++) {
		const uint8_t *sep = NULL, *q;

		/* a line "%%" ends a file (not in the last one) */
		for (q = p; i < NFILES - 1 && q + 3 <= end; q++)
			if ((q == data || q[-1] == '\n') && !memcmp(q, "%%\n", 3)) {
				sep = q;
				break;
			}
		put_file(i, p, (sep ? sep : end) - p);
		nfiles = i + 1;
		if (!sep)
			break;
		p = sep + 3;
	}
	for (i = nfiles; i < NFILES; i++)
		drop_file(i);
}

static bool same(const struct entries *a, const struct entries *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->e[i].kind != b->e[i].kind || strcmp(a->e[i].key, b->e[i].key) ||
		    strcmp(a->e[i].val, b->e[i].val))
			return false;
	return true;
}

/* an entry as the kernel matches it: 1 when no device can match, -1 when vfio.bind= cannot
 * say it, 0 with the selector's ID */
static int kernel_entry(const struct km_entry *e, struct pci_id *id)
{
	const unsigned int f[4] = { e->vendor, e->device, e->subvendor, e->subdevice };
	int i;

	for (i = 0; i < 4; i++)
		if (f[i] != KM_ANY && f[i] > 0xffff)
			return 1;
	if (e->class & e->class_mask & 0xff000000)
		return 1;
	if (e->vendor == KM_ANY || e->device == KM_ANY ||
	    (e->subvendor == KM_ANY) != (e->subdevice == KM_ANY) || (e->class_mask & 0xffffff))
		return -1;
	memset(id, 0, sizeof(*id));
	id->vendor = e->vendor;
	id->device = e->device;
	if (e->subvendor != KM_ANY) {
		id->has_subsys = true;
		id->sub_vendor = e->subvendor;
		id->sub_device = e->subdevice;
	}
	return 0;
}

static bool id_eq(const struct pci_id *a, const struct pci_id *b)
{
	return a->vendor == b->vendor && a->device == b->device && a->has_subsys == b->has_subsys &&
	       (!a->has_subsys || (a->sub_vendor == b->sub_vendor &&
				   a->sub_device == b->sub_device));
}

static void check_ids(struct kmod_ctx *k)
{
	static struct km_entry ke[MAX_ENTRIES];
	static struct pci_id want[MAX_ENTRIES];
	struct kmod_module *m = NULL;
	struct km_ids kids = { .err = 0 };
	struct takeover t;
	struct request req;
	size_t n, i, j, nwant = 0;
	bool expressible = true;

	FUZZ_ASSERT(kmod_module_new_from_name(k, "vfio_pci", &m) == 0);
	if (kmod_module_get_options(m))
		km_module_args(&kids, kmod_module_get_options(m));
	kmod_module_unref(m);

	request_init(&req);
	ctx.load_opts = NULL;
	takeover_read(&ctx, &req, &t);
	takeover_apply(&ctx, &req, &t);
	if (kids.err) {
		/* the kernel refuses the load: nothing is taken over, and vfio-bind says why */
		FUZZ_ASSERT(t.refused[0] && !req.nsel && !ctx.load_opts);
		request_free(&req);
		return;
	}
	FUZZ_ASSERT(!t.refused[0]);
	FUZZ_ASSERT(!strcmp(t.ids, kids.ids));
	n = km_fill_ids(kids.ids, ke, MAX_ENTRIES);
	FUZZ_ASSERT(n <= MAX_ENTRIES);
	for (i = 0; i < n; i++) {
		struct pci_id id;
		int r = kernel_entry(&ke[i], &id);

		if (r < 0)
			expressible = false;
		if (r)
			continue;
		for (j = 0; j < nwant && !id_eq(&want[j], &id); j++)
			;
		if (j == nwant)
			want[nwant++] = id;
	}
	if (!kids.ids[0]) {
		FUZZ_ASSERT(!req.nsel && !ctx.load_opts);
	} else if (!expressible || nwant > 256) {
		/* vfio-pci keeps its ids=: nothing taken over, nothing emptied */
		FUZZ_ASSERT(t.kept && !req.nsel && !ctx.load_opts);
	} else {
		struct km_ids after = kids;

		FUZZ_ASSERT(!t.kept && ctx.load_opts && !strcmp(ctx.load_opts, "ids="));
		/* the selectors are the kernel's entries, no more, no fewer */
		FUZZ_ASSERT(req.nsel == nwant);
		for (i = 0; i < req.nsel; i++) {
			FUZZ_ASSERT(req.sel[i].kind == SEL_ID);
			for (j = 0; j < nwant && !id_eq(&want[j], &req.sel[i].id); j++)
				;
			FUZZ_ASSERT(j < nwant);
		}
		/* and vfio-pci, loaded with ids= appended, takes none of them itself */
		km_module_args(&after, ctx.load_opts);
		FUZZ_ASSERT(!after.err && !after.ids[0]);
	}
	/* the blacklist: vfio-bind names a line exactly when libkmod blacklists vfio_pci (the
	 * load applies libkmod's verdict; the line is for the message) */
	{
		bool bl = false;

		for (i = 0; i < lib.n; i++)
			if (lib.e[i].kind == 'b' && !strcmp(lib.e[i].key, "vfio_pci"))
				bl = true;
		FUZZ_ASSERT(bl == !!t.blacklist[0]);
	}
	request_free(&req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct entries want;
	struct kmod_ctx *k;

	if (!ctx.root[0])
		setup();
	fuzz_quiet();
	write_files(data, size);
	k = libkmod_read(&lib);
	modconf_walk(&ctx, walk_line, &ours);
	if (!lib.overflow && !ours.overflow) {
		expected(&want, &ours);
		FUZZ_ASSERT(same(&want, &lib));
		check_ids(k);
	}
	kmod_unref(k);
	clear(&want);
	clear(&lib);
	clear(&ours);
	return 0;
}
