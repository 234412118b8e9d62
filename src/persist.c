// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The persistent claims: vfio-bind add, remove and config edit and show /etc/vfio-bind.conf,
 * which both generators copy into the initramfs and `vfio-bind boot` reads with the kernel
 * command line. Every argument is checked before anything is read or written; the file is
 * replaced atomically (temporary file, fsync, rename) with the user's comments and other lines
 * kept; then the initramfs is rebuilt with the system's own generator, or the command to do it
 * is printed (--no-rebuild, or a --root other than /).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "inuse.h"
#include "log.h"
#include "persist.h"
#include "sysfs.h"

#define MAX_ARGS	64
#define MAX_ENTRIES	256
#define FILE_MAX	(64 * 1024)

static const char header[] =
	"# vfio-bind: PCI devices claimed for vfio-pci at every boot, before their host drivers.\n"
	"# Written by 'vfio-bind add' and 'vfio-bind remove'; edit by hand if you like (same\n"
	"# syntax as the kernel command line: vfio.bind=SEL[,SEL...] and vfio_bind.* settings,\n"
	"# '#' starts a comment). Rebuild the initramfs after editing. To boot once without this\n"
	"# file, add vfio_bind.ignore_config to the kernel command line. See vfio-bind(8).\n";

/* ---- arguments -------------------------------------------------------------------------- */

struct args {
	struct selector sel[MAX_ARGS];
	int n;
};

/* Every argument is one selector (or several, comma separated); any bad one is a usage error
 * and nothing is looked at. */
static int parse_args(const char *cmd, int argc, char **argv, struct args *a)
{
	char buf[SEL_TEXT_MAX * 4 + 1], esc[96];
	int i;

	a->n = 0;
	if (argc < 1) {
		fprintf(stderr, "vfio-bind: %s needs at least one selector (ADDR, BB:SS, VVVV:DDDD, "
			"VVVV:DDDD@ADDR or !ADDR)\nTry 'vfio-bind --help'.\n", cmd);
		return -EUSAGE;
	}
	for (i = 0; i < argc; i++) {
		char *tok, *next;

		str_escape(esc, sizeof(esc), argv[i], 48);
		if (strlen(argv[i]) >= sizeof(buf)) {
			fprintf(stderr, "vfio-bind: bad selector '%s': too long\n", esc);
			return -EUSAGE;
		}
		strcpy(buf, argv[i]);
		for (tok = buf; tok; tok = next) {
			const char *why = NULL, *p;

			next = strchr(tok, ',');
			if (next)
				*next++ = '\0';
			for (p = tok; *p; p++)
				if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
					why = "contains spaces or control characters";
			if (!*tok)
				why = "empty selector";
			if (a->n == MAX_ARGS)
				why = "too many selectors";
			if (why || selector_parse(tok, &a->sel[a->n], &why) < 0) {
				str_escape(esc, sizeof(esc), tok, 48);
				fprintf(stderr, "vfio-bind: bad selector '%s': %s; nothing changed\n"
					"Try 'vfio-bind --help'.\n", esc, why);
				return -EUSAGE;
			}
			a->n++;
		}
	}
	return 0;
}

/* ---- the file ----------------------------------------------------------------------------- */

static char old_text[FILE_MAX];
static char new_text[FILE_MAX + 4096];

/* the file's text in old_text; 0 when it does not exist yet, else 1; -errno */
static int read_config(struct vb_ctx *ctx)
{
	int n = read_file(ctx->config, old_text, sizeof(old_text));

	if (n == -ENOENT) {
		old_text[0] = '\0';
		return 0;
	}
	if (n < 0) {
		fprintf(stderr, "vfio-bind: cannot read %s: %s\n", ctx->config, strerror(-n));
		return n;
	}
	if ((size_t)n >= sizeof(old_text) - 1) {
		fprintf(stderr, "vfio-bind: %s is larger than %zu bytes; not changed\n", ctx->config,
			sizeof(old_text) - 2);
		return -EFBIG;
	}
	return 1;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		data += n;
		len -= n;
	}
	return 0;
}

/*
 * Replace @path by @data: a temporary file beside it, fsync, rename over it, fsync of the
 * directory. Whatever fails, the old file is left as it was.
 */
static int write_atomic(const char *path, const char *data, size_t len)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	mode_t mode = 0644;
	int fd, dfd, err;

	if (path_fmt(tmp, sizeof(tmp), "%s.XXXXXX", path) < 0)
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", path);
	dirname(dir);
	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	else if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = write_all(fd, data, len);
	if (!err && fchmod(fd, mode) < 0)
		err = -errno;
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

static int save(struct vb_ctx *ctx, const char *text)
{
	int err = write_atomic(ctx->config, text, strlen(text));

	if (err < 0)
		fprintf(stderr, "vfio-bind: cannot write %s: %s; the file is unchanged\n",
			ctx->config, strerror(-err));
	return err;
}

/* ---- rebuilding the initramfs ------------------------------------------------------------ */

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX], dirs[4096];
	char *d, *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s:/usr/sbin:/sbin", path && *path ? path : "/usr/bin:/bin");
	for (d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save))
		if (path_fmt(buf, sizeof(buf), "%s/%s", *d ? d : ".", prog) >= 0 &&
		    access(buf, X_OK) == 0)
			return true;
	return false;
}

static bool under_root(struct vb_ctx *ctx, const char *prog)
{
	static const char *const dirs[] = { "usr/sbin", "sbin", "usr/bin", "bin" };
	char buf[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (path_fmt(buf, sizeof(buf), "%s/%s/%s", ctx->root, dirs[i], prog) >= 0 &&
		    access(buf, X_OK) == 0)
			return true;
	return false;
}

/*
 * The system's own generator: update-initramfs -u (initramfs-tools; called from a dpkg
 * maintainer script it only activates the update-initramfs trigger), else dracut -f (the
 * running kernel's image). With --root other than /, or --no-rebuild, only the command.
 */
int persist_rebuild(struct vb_ctx *ctx)
{
	bool other_root = strcmp(ctx->root, "/") != 0;
	const char *it[] = { "update-initramfs", "-u", NULL };
	const char *dr[] = { "dracut", "-f", NULL };
	const char *const *cmd;
	int status;
	pid_t pid;

	if (other_root ? under_root(ctx, "update-initramfs") : in_path("update-initramfs"))
		cmd = it;
	else if (other_root ? under_root(ctx, "dracut") : in_path("dracut"))
		cmd = dr;
	else
		cmd = NULL;
	if (other_root) {
		printf("The initramfs was not rebuilt (the file is under --root %s). Build the image "
		       "from that root: %s\n", ctx->root,
		       cmd ? (cmd == it ? "chroot ROOT update-initramfs -u" : "chroot ROOT dracut -f") :
			     "update-initramfs -u or dracut -f there");
		return 0;
	}
	if (!cmd) {
		fprintf(stderr, "vfio-bind: neither update-initramfs nor dracut found: rebuild the "
			"initramfs so that it holds %s\n", ctx->config);
		return -ENOENT;
	}
	if (ctx->no_rebuild) {
		printf("The initramfs was not rebuilt (--no-rebuild). The next boot uses the file "
		       "only after: %s %s\n", cmd[0], cmd[1]);
		return 0;
	}
	printf("Rebuilding the initramfs: %s %s\n", cmd[0], cmd[1]);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execvp(cmd[0], (char *const *)cmd);
		fprintf(stderr, "vfio-bind: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	fprintf(stderr, "vfio-bind: '%s %s' failed; %s is saved, but the next boot does not "
		"use it until the initramfs is rebuilt\n", cmd[0], cmd[1], ctx->config);
	return -EIO;
}

/* ---- add ----------------------------------------------------------------------------------- */

static void sel_short(const struct selector *s, char *buf, size_t size)
{
	char a[32];

	if (s->addr.any_func) {
		if (s->addr.domain)
			snprintf(a, sizeof(a), "%04x:%02x:%02x", s->addr.domain, s->addr.bus,
				 s->addr.slot);
		else
			snprintf(a, sizeof(a), "%02x:%02x", s->addr.bus, s->addr.slot);
	} else {
		addr_short(&s->addr, a, sizeof(a));
	}
	switch (s->kind) {
	case SEL_ID:
	case SEL_GUARD:
		if (s->id.has_subsys)
			snprintf(buf, size, "%04x:%04x:%04x:%04x%s%s", s->id.vendor, s->id.device,
				 s->id.sub_vendor, s->id.sub_device, s->kind == SEL_GUARD ? "@" : "",
				 s->kind == SEL_GUARD ? a : "");
		else
			snprintf(buf, size, "%04x:%04x%s%s", s->id.vendor, s->id.device,
				 s->kind == SEL_GUARD ? "@" : "", s->kind == SEL_GUARD ? a : "");
		break;
	case SEL_ADDR:
		snprintf(buf, size, "%s", a);
		break;
	case SEL_EXCLUDE:
		snprintf(buf, size, "!%s", a);
		break;
	}
}

struct entries {
	char text[MAX_ENTRIES][SEL_TEXT_MAX + 1];
	char norm[MAX_ENTRIES][80];
	int n;
};

static bool entries_has(const struct entries *e, const char *norm)
{
	int i;

	for (i = 0; i < e->n; i++)
		if (!strcmp(e->norm[i], norm))
			return true;
	return false;
}

static int entry_add(struct entries *e, const char *text)
{
	struct selector s;
	const char *why;

	if (e->n == MAX_ENTRIES)
		return -E2BIG;
	if (selector_parse(text, &s, &why) < 0)
		return -EINVAL;
	selector_format(&s, e->norm[e->n], sizeof(e->norm[0]));
	if (entries_has(e, e->norm[e->n]))
		return 0;
	snprintf(e->text[e->n++], sizeof(e->text[0]), "%s", text);
	return 0;
}

/* guarded entry for one present function, after the safety checks */
static int add_device(const struct pci_dev *d, struct entries *e)
{
	char a[32], text[SEL_TEXT_MAX + 1];

	if (pci_is_bridge(d)) {
		fprintf(stderr, "vfio-bind: %s is a bridge (class %04x): it is never claimed\n",
			d->name, d->class >> 8);
		return -EPERM;
	}
	addr_short(&d->addr, a, sizeof(a));
	snprintf(text, sizeof(text), "%04x:%04x@%s", d->id.vendor, d->id.device, a);
	return entry_add(e, text);
}

/* refuse a device the running system stands on, unless --force */
static int safe_to_claim(struct vb_ctx *ctx, const struct pci_dev *d)
{
	char why[1024];

	if (inuse_check(ctx, d->name, why, sizeof(why)) <= 0)
		return 0;
	if (ctx->force) {
		printf("warning: %s %04x:%04x is in use (%s); added anyway (--force)\n", d->name,
		       d->id.vendor, d->id.device, why);
		return 0;
	}
	fprintf(stderr, "vfio-bind: %s %04x:%04x refused: in use: %s. Claiming it would take it "
		"from the running system; --force does it anyway\n", d->name, d->id.vendor,
		d->id.device, why);
	return -EBUSY;
}

static int resolve_add(struct vb_ctx *ctx, struct pci_list *all, const struct selector *s,
		       struct entries *e)
{
	char text[SEL_TEXT_MAX + 1];
	size_t i, found = 0;
	int err;

	if (s->kind == SEL_EXCLUDE) {
		sel_short(s, text, sizeof(text));
		return entry_add(e, text);
	}
	for (i = 0; i < all->n; i++) {
		struct pci_dev *d = &all->dev[i];

		if (!sel_matches(s, d))
			continue;
		if (s->kind == SEL_GUARD && !id_match(&s->id, &d->id)) {
			fprintf(stderr, "vfio-bind: '%s' does not hold: %s is %04x:%04x; nothing "
				"changed\n", s->text, d->name, d->id.vendor, d->id.device);
			return -ENODEV;
		}
		if (s->kind == SEL_ADDR && pci_is_bridge(d) && s->addr.any_func)
			continue;
		found++;
		err = safe_to_claim(ctx, d);
		if (err < 0)
			return err;
		if (s->kind == SEL_ADDR) {
			err = add_device(d, e);
			if (err < 0)
				return err;
		}
	}
	if (s->kind == SEL_ADDR && !found) {
		fprintf(stderr, "vfio-bind: no PCI device at %s (a plain address is written with the "
			"ID found there); nothing changed\n", s->text);
		return -ENODEV;
	}
	if (s->kind == SEL_ADDR)
		return 0;
	if (!found)
		printf("note: '%s' matches no device now; added all the same\n", s->text);
	sel_short(s, text, sizeof(text));
	return entry_add(e, text);
}

/* the selectors already in the file (and CONFIG.d), normalized, without a word in the log */
static void existing(struct vb_ctx *ctx, struct entries *have)
{
	struct request req;
	size_t i;

	request_init(&req);
	log_open_stream(NULL);
	cmdline_load_config(ctx, &req);
	log_open_stream(stderr);
	have->n = 0;
	for (i = 0; i < req.nsel && have->n < MAX_ENTRIES; i++) {
		selector_format(&req.sel[i], have->norm[have->n], sizeof(have->norm[0]));
		snprintf(have->text[have->n++], sizeof(have->text[0]), "%s", req.sel[i].text);
	}
	request_free(&req);
}

int cmd_add(struct vb_ctx *ctx, int argc, char **argv)
{
	static struct entries want, have;
	struct pci_list all = { 0 };
	struct args a;
	size_t off, line_start;
	int err, i, exists, fresh = 0;

	err = parse_args("add", argc, argv, &a);
	if (err < 0)
		return err;
	exists = read_config(ctx);
	if (exists < 0)
		return exists;
	/* a staging root has no sysfs: IDs, guards and exclusions are written all the same */
	if (pci_scan(ctx, &all) < 0)
		printf("note: cannot read the PCI devices in %s/bus/pci/devices; a plain address "
		       "needs them (write VVVV:DDDD@ADDR instead)\n", ctx->sysfs);
	want.n = 0;
	err = 0;
	for (i = 0; err >= 0 && i < a.n; i++)
		err = resolve_add(ctx, &all, &a.sel[i], &want);
	pci_list_free(&all);
	if (err < 0)
		return err == -E2BIG ? -EUSAGE : err;

	existing(ctx, &have);
	off = snprintf(new_text, sizeof(new_text), "%s%s", exists ? "" : header, old_text);
	if (off && new_text[off - 1] != '\n')
		new_text[off++] = '\n';
	line_start = off;
	for (i = 0; i < want.n; i++) {
		if (entries_has(&have, want.norm[i])) {
			printf("%s is already in %s\n", want.text[i], ctx->config);
			continue;
		}
		off += snprintf(new_text + off, sizeof(new_text) - off, "%s%s", fresh ? "," :
				"vfio.bind=", want.text[i]);
		fresh++;
		if (off >= sizeof(new_text) - 2) {
			fprintf(stderr, "vfio-bind: %s would be too large; nothing changed\n",
				ctx->config);
			return -EFBIG;
		}
	}
	if (!fresh) {
		printf("%s: nothing to add\n", ctx->config);
		return 0;
	}
	new_text[off++] = '\n';
	new_text[off] = '\0';
	err = save(ctx, new_text);
	if (err < 0)
		return err;
	printf("%s: added %.*s\n", ctx->config, (int)(off - line_start - 1), new_text + line_start);
	return persist_rebuild(ctx);
}

/* ---- remove ------------------------------------------------------------------------------- */

static bool addr_covers(const struct pci_addr *r, const struct pci_addr *s)
{
	return r->domain == s->domain && r->bus == s->bus && r->slot == s->slot &&
	       (r->any_func || (!s->any_func && r->func == s->func));
}

static bool id_covers(const struct pci_id *r, const struct pci_id *s)
{
	return r->vendor == s->vendor && r->device == s->device &&
	       (!r->has_subsys || (s->has_subsys && r->sub_vendor == s->sub_vendor &&
				   r->sub_device == s->sub_device));
}

/* does the argument @r name the selector @s of the file? */
static bool covers(const struct selector *r, const struct selector *s)
{
	char a[80], b[80];

	switch (r->kind) {
	case SEL_ID:
		return (s->kind == SEL_ID || s->kind == SEL_GUARD) && id_covers(&r->id, &s->id);
	case SEL_ADDR:
		return (s->kind == SEL_ADDR || s->kind == SEL_GUARD) &&
		       addr_covers(&r->addr, &s->addr);
	case SEL_GUARD:
		selector_format(r, a, sizeof(a));
		selector_format(s, b, sizeof(b));
		return !strcmp(a, b);
	case SEL_EXCLUDE:
		return s->kind == SEL_EXCLUDE && addr_covers(&r->addr, &s->addr);
	}
	return false;
}

static bool lspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* a token of a line: white space separated, double quotes group (as the kernel splits) */
static const char *next_token(const char *s, const char *end, const char **b)
{
	bool q = false;

	while (s < end && lspace(*s))
		s++;
	if (s == end)
		return NULL;
	*b = s;
	for (; s < end; s++) {
		if (*s == '"')
			q = !q;
		else if (!q && lspace(*s))
			break;
	}
	return s;
}

struct removal {
	const struct args *a;
	unsigned hits[MAX_ARGS];
	unsigned removed;
};

static void append(char *out, size_t *off, size_t size, const char *s, size_t n)
{
	if (*off + n >= size)
		n = size - 1 - *off;
	memcpy(out + *off, s, n);
	*off += n;
	out[*off] = '\0';
}

/*
 * One vfio.bind= token without the selectors the arguments name; the rest, good or bad, stays
 * as written. Returns true when something was removed; @out gets the new token ("" for none).
 */
static bool filter_token(struct removal *rm, const char *b, const char *e, char *out, size_t size)
{
	char key[64], val[FILE_MAX / 4], *tok, *next;
	const char *eq = memchr(b, '=', e - b), *k;
	size_t off = 0, kl, n = 0;
	bool removed = false;

	out[0] = '\0';
	if (!eq || (size_t)(eq - b) >= sizeof(key) || (size_t)(e - eq) >= sizeof(val))
		return false;
	kl = eq - b;
	memcpy(key, b, kl);
	key[kl] = '\0';
	k = !strncmp(key, "rd.", 3) ? key + 3 : key;
	if (!parameq(k, "vfio.bind"))
		return false;
	memcpy(val, eq + 1, e - eq - 1);
	val[e - eq - 1] = '\0';
	tok = val;
	if (*tok == '"') {
		tok++;
		if (*tok && tok[strlen(tok) - 1] == '"')
			tok[strlen(tok) - 1] = '\0';
	}
	append(out, &off, size, key, kl);
	append(out, &off, size, "=", 1);
	for (; tok; tok = next) {
		struct selector s;
		const char *why;
		bool gone = false;
		char *t = tok, *te;
		int i;

		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		while (lspace(*t))
			t++;
		te = t + strlen(t);
		while (te > t && lspace(te[-1]))
			*--te = '\0';
		if (selector_parse(t, &s, &why) == 0) {
			for (i = 0; i < rm->a->n; i++) {
				if (covers(&rm->a->sel[i], &s)) {
					rm->hits[i]++;
					gone = true;
				}
			}
		}
		if (gone) {
			removed = true;
			rm->removed++;
			continue;
		}
		if (!*t)
			continue;
		if (n++)
			append(out, &off, size, ",", 1);
		append(out, &off, size, t, strlen(t));
	}
	if (!n)
		out[0] = '\0';
	return removed;
}

/* copy the file into new_text without what the arguments name */
static void remove_from(struct removal *rm)
{
	static char tokbuf[FILE_MAX / 4 + 64], line_out[FILE_MAX];
	const char *line = old_text, *nl;
	size_t off = 0;

	new_text[0] = '\0';
	for (; *line; line = nl ? nl + 1 : line + strlen(line)) {
		const char *end, *cstart, *p, *b, *e;
		size_t lo = 0, ntok = 0;
		bool changed = false;

		nl = strchr(line, '\n');
		end = nl ? nl : line + strlen(line);
		cstart = end;
		for (p = line; p < end; p++) {
			if (*p == '#' && (p == line || lspace(p[-1]))) {
				cstart = p;
				break;
			}
		}
		line_out[0] = '\0';
		for (p = line; (p = next_token(p, cstart, &b)); ) {
			e = p;
			if (filter_token(rm, b, e, tokbuf, sizeof(tokbuf))) {
				changed = true;
				if (!tokbuf[0])
					continue;
				b = tokbuf;
				e = tokbuf + strlen(tokbuf);
			}
			if (ntok++)
				append(line_out, &lo, sizeof(line_out), " ", 1);
			append(line_out, &lo, sizeof(line_out), b, e - b);
		}
		if (!changed) {
			append(new_text, &off, sizeof(new_text), line, end - line + (nl ? 1 : 0));
			continue;
		}
		if (cstart < end) {
			if (ntok)
				append(line_out, &lo, sizeof(line_out), " ", 1);
			append(line_out, &lo, sizeof(line_out), cstart, end - cstart);
		}
		if (!lo)
			continue;	/* nothing left on the line */
		append(new_text, &off, sizeof(new_text), line_out, lo);
		append(new_text, &off, sizeof(new_text), "\n", 1);
	}
}

int cmd_remove(struct vb_ctx *ctx, int argc, char **argv)
{
	static struct removal rm;
	struct args a;
	int err, exists, i;

	err = parse_args("remove", argc, argv, &a);
	if (err < 0)
		return err;
	exists = read_config(ctx);
	if (exists < 0)
		return exists;
	if (!exists) {
		fprintf(stderr, "vfio-bind: %s does not exist: nothing to remove\n", ctx->config);
		return -ENOENT;
	}
	memset(&rm, 0, sizeof(rm));
	rm.a = &a;
	remove_from(&rm);
	for (i = 0; i < a.n; i++)
		if (!rm.hits[i])
			printf("'%s' is not in %s\n", a.sel[i].text, ctx->config);
	if (!rm.removed) {
		fprintf(stderr, "vfio-bind: nothing removed; %s is unchanged\n", ctx->config);
		return -ENOENT;
	}
	err = save(ctx, new_text);
	if (err < 0)
		return err;
	printf("%s: removed %u selector(s)\n", ctx->config, rm.removed);
	return persist_rebuild(ctx);
}

/* ---- config: the persistent set ----------------------------------------------------------- */

int cmd_config(struct vb_ctx *ctx, int argc, char **argv)
{
	struct pci_list all = { 0 };
	struct request req;
	size_t i, j;
	int files;

	if (argc) {
		fprintf(stderr, "vfio-bind: config takes no argument ('%s')\n"
			"Try 'vfio-bind --help'.\n", argv[0]);
		return -EUSAGE;
	}
	request_init(&req);
	/* bad tokens are named on stdout, with their file and line */
	log_open_stream(stdout);
	files = cmdline_load_config(ctx, &req);
	log_open_stream(stderr);
	if (!files) {
		printf("no persistent claims: %s does not exist (vfio-bind add SEL creates it)\n",
		       ctx->config);
		request_free(&req);
		return 0;
	}
	printf("persistent claims (%s%s): %zu selector(s), %u bad token(s)\n", ctx->config,
	       files > 1 ? " and CONFIG.d/*.conf" : "", req.nsel, req.nerrors);
	pci_scan(ctx, &all);
	for (i = 0; i < req.nsel; i++) {
		const struct selector *s = &req.sel[i];
		unsigned n = 0;

		printf("  %-26s", s->text);
		for (j = 0; j < all.n; j++) {
			const struct pci_dev *d = &all.dev[j];

			if (s->kind == SEL_EXCLUDE ? !addr_match(&s->addr, &d->addr) :
						     !sel_matches(s, d))
				continue;
			if (s->kind == SEL_GUARD && !id_match(&s->id, &d->id))
				printf("%s%s is %04x:%04x: refused at boot", n++ ? ", " : " ",
				       d->name, d->id.vendor, d->id.device);
			else
				printf("%s%s %04x:%04x (%s)", n++ ? ", " : " ", d->name,
				       d->id.vendor, d->id.device, d->driver[0] ? d->driver :
				       "no driver");
		}
		printf("%s\n", n ? (s->kind == SEL_EXCLUDE ? "  never claimed" : "") :
		       " matches no device now");
	}
	pci_list_free(&all);
	request_free(&req);
	return req.nerrors ? -EINVAL : 0;
}
