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
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "claim.h"
#include "confedit.h"
#include "group.h"
#include "inuse.h"
#include "json.h"
#include "log.h"
#include "persist.h"
#include "sriov.h"
#include "sysfs.h"
#include "vmdevs.h"

#define MAX_ARGS	64

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

static struct args a_args;

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

/* ---- the files ----------------------------------------------------------------------------- */

/* the file and CONFIG.d/ *.conf, in the order the boot reads them */
#define MAX_FILES	65

struct cfile {
	char path[PATH_MAX];
	char *text, *new_text;
	size_t len, new_len;
	bool exists;
	unsigned removed;
};

struct cfiles {
	struct cfile f[MAX_FILES];
	int n;
};

static int resolve(struct vb_ctx *ctx, const char *path, char *out, size_t size);

/* the whole file, up to one byte more than the boot reads; 0 when it does not exist */
static int read_whole(struct vb_ctx *ctx, struct cfile *f)
{
	char real[PATH_MAX];
	bool more;
	int n;

	f->text = malloc(CMDLINE_MAX + 1);
	if (!f->text)
		return -ENOMEM;
	n = resolve(ctx, f->path, real, sizeof(real));
	if (n >= 0)
		n = read_file_more(real, f->text, CMDLINE_MAX + 1, &more);
	if (n == -ENOENT) {
		f->text[0] = '\0';
		f->len = 0;
		return 0;
	}
	if (n < 0) {
		fprintf(stderr, "vfio-bind: cannot read %s: %s; nothing changed\n", f->path,
			strerror(-n));
		return n;
	}
	f->len = n;
	f->exists = true;
	return 1;
}

static int add_file(struct vb_ctx *ctx, struct cfiles *c, const char *path)
{
	struct cfile *f;

	if (c->n == MAX_FILES)
		return -E2BIG;
	f = &c->f[c->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	return read_whole(ctx, f) < 0 ? -EIO : 0;
}

struct conf_walk {
	struct vb_ctx *ctx;
	struct cfiles *c;
};

static int conf_file(const char *path, void *data)
{
	struct conf_walk *w = data;

	return add_file(w->ctx, w->c, path);
}

static void files_free(struct cfiles *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		free(c->f[i].text);
		free(c->f[i].new_text);
	}
	c->n = 0;
}

/* the file, then CONFIG.d: -errno when one cannot be read */
static int files_read(struct vb_ctx *ctx, struct cfiles *c, bool with_dir)
{
	struct conf_walk w = { ctx, c };
	int err, i;

	c->n = 0;
	err = add_file(ctx, c, ctx->config);
	if (err < 0 || !with_dir)
		return err;
	log_open_stream(NULL);
	cmdline_conf_list(ctx->config_dir, conf_file, &w);
	log_open_stream(stderr);
	for (i = 1; i < c->n; i++)
		if (!c->f[i].exists)
			return -EIO;
	return 0;
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
 * Where @path really is: a symlink (configuration management keeps the file elsewhere) is
 * followed, an absolute target under --root, so the file is written where it lives and the
 * link stays.
 */
static int resolve(struct vb_ctx *ctx, const char *path, char *out, size_t size)
{
	char cur[PATH_MAX], link[PATH_MAX], dir[PATH_MAX];
	const char *root = strcmp(ctx->root, "/") ? ctx->root : "";
	struct stat st;
	int hops;
	ssize_t n;

	snprintf(cur, sizeof(cur), "%s", path);
	for (hops = 0; hops < 40; hops++) {
		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			return path_fmt(out, size, "%s", cur);
		n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0)
			return -errno;
		link[n] = '\0';
		snprintf(dir, sizeof(dir), "%s", cur);
		if ((link[0] == '/' ? path_fmt(cur, sizeof(cur), "%s%s", root, link) :
		     path_fmt(cur, sizeof(cur), "%s/%s", dirname(dir), link)) < 0)
			return -ENAMETOOLONG;
	}
	return -ELOOP;
}

#define SELINUX_XATTR	"security.selinux"

/*
 * Replace @path by @data: a temporary file beside it (beside a symlink's target), with the
 * old file's owner, group, mode and SELinux label, fsync, rename over it, fsync of the
 * directory. Whatever fails, the old file is left as it was.
 */
static int write_atomic(struct vb_ctx *ctx, const char *path, const char *data, size_t len,
			const char **what)
{
	char target[PATH_MAX], tmp[PATH_MAX], dir[PATH_MAX], label[256];
	struct stat st, now;
	ssize_t nl = -1;
	bool old;
	int fd, dfd, err;

	*what = "";
	err = resolve(ctx, path, target, sizeof(target));
	if (err < 0)
		return err;
	if (path_fmt(tmp, sizeof(tmp), "%s.XXXXXX", target) < 0)
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", target);
	dirname(dir);
	old = stat(target, &st) == 0;
	if (old) {
		nl = lgetxattr(target, SELINUX_XATTR, label, sizeof(label));
		if (nl < 0 && errno != ENODATA && errno != ENOTSUP)
			return -errno;
	} else if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		return -errno;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = write_all(fd, data, len);
	if (!err && old && fstat(fd, &now) == 0 && (now.st_uid != st.st_uid ||
						      now.st_gid != st.st_gid) &&
	    fchown(fd, st.st_uid, st.st_gid) < 0) {
		err = -errno;
		*what = " (keeping its owner and group)";
	}
	if (!err && fchmod(fd, old ? st.st_mode & 07777 : 0644) < 0)
		err = -errno;
	if (!err && nl > 0 && fsetxattr(fd, SELINUX_XATTR, label, nl, 0) < 0) {
		err = -errno;
		*what = " (keeping its SELinux label)";
	}
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, target) < 0)
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

static int save(struct vb_ctx *ctx, const char *path, const char *text, size_t len)
{
	const char *what;
	int err = write_atomic(ctx, path, text, len, &what);

	if (err < 0)
		fprintf(stderr, "vfio-bind: cannot write %s%s: %s; the file is unchanged\n", path,
			what, strerror(-err));
	return err;
}

/*
 * One `add` or `remove` at a time: an exclusive flock on CONFIG.lock beside the file, held
 * from the read to the rename (util-linux's way with /run/mount/utab.lock). A dry run takes
 * it shared when the lock file exists, and creates nothing. *lock: the fd, -1 for none.
 */
static int lock_config(struct vb_ctx *ctx, int *lock)
{
	char path[PATH_MAX], dir[PATH_MAX];
	int fd;

	*lock = -1;
	if (path_fmt(path, sizeof(path), "%s.lock", ctx->config) < 0)
		return -ENAMETOOLONG;
	if (ctx->dry_run) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			flock(fd, LOCK_SH);
		*lock = fd;
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", ctx->config);
	if (mkdir(dirname(dir), 0755) < 0 && errno != EEXIST)
		fd = -1;
	else
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	while (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		int err = -errno;

		fprintf(stderr, "vfio-bind: cannot write %s (the lock for %s): %s; nothing "
			"changed\n", path, ctx->config, strerror(-err));
		return err;
	}
	*lock = fd;
	return 0;
}

static void unlock_config(int fd)
{
	if (fd >= 0)
		close(fd);
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
 * The system's own generator, for every installed kernel (a pinned older kernel boots with
 * the file too): update-initramfs -u -k all (initramfs-tools; called from a dpkg maintainer
 * script it only activates the update-initramfs trigger), else dracut --regenerate-all -f.
 * With --root other than /, --no-rebuild or --dry-run, only the command.
 */
int persist_rebuild(struct vb_ctx *ctx)
{
	bool other_root = strcmp(ctx->root, "/") != 0;
	static const char *const it[] = { "update-initramfs", "-u", "-k", "all", NULL };
	static const char *const dr[] = { "dracut", "--regenerate-all", "-f", NULL };
	static const char it_line[] = "update-initramfs -u -k all";
	static const char dr_line[] = "dracut --regenerate-all -f";
	const char *const *cmd;
	const char *line;
	int status;
	pid_t pid;

	if (other_root ? under_root(ctx, "update-initramfs") : in_path("update-initramfs"))
		cmd = it;
	else if (other_root ? under_root(ctx, "dracut") : in_path("dracut"))
		cmd = dr;
	else
		cmd = NULL;
	line = cmd == it ? it_line : dr_line;
	if (other_root) {
		printf("The initramfs was not rebuilt (the file is under --root %s). Build the images "
		       "from that root: %s%s\n", ctx->root, cmd ? "chroot ROOT " : "",
		       cmd ? line : "update-initramfs -u -k all or dracut --regenerate-all -f there");
		return 0;
	}
	if (ctx->no_rebuild && !ctx->dry_run) {
		printf("The initramfs was not rebuilt (--no-rebuild). The next boot uses the file "
		       "only after: %s\n", cmd ? line : it_line);
		return 0;
	}
	if (!cmd) {
		fprintf(stderr, "vfio-bind: neither update-initramfs nor dracut found: rebuild the "
			"initramfs so that it holds %s\n", ctx->config);
		return ctx->dry_run ? 0 : -ENOENT;
	}
	if (ctx->dry_run) {
		printf("Would rebuild the initramfs of every installed kernel: %s\n", line);
		return 0;
	}
	printf("Rebuilding the initramfs of every installed kernel: %s\n", line);
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
	fprintf(stderr, "vfio-bind: '%s' failed; %s is saved, but the next boot does not use it "
		"until the initramfs is rebuilt\n", line, ctx->config);
	return -EIO;
}

/* --dry-run: the change as `diff -u` shows it */
static void show_change(const struct cfile *f)
{
	confedit_diff(stdout, f->exists ? f->path : "/dev/null", f->path, f->text, f->len,
		      f->new_text, f->new_len);
}

/* ---- where the selectors are --------------------------------------------------------------- */

struct place {
	struct selector sel;
	char *where;		/* FILE:LINE, or "the kernel command line" */
	bool config;
};

struct places {
	struct place *p;
	size_t n, cap;
	bool nomem;
	const char *cmdline;
};

static void place_seen(void *data, const struct bind_piece *bp)
{
	struct places *pl = data;
	char buf[PATH_MAX + 48];

	if (!bp->sel || bp->over_limit)
		return;
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 32;
		struct place *n = realloc(pl->p, cap * sizeof(*n));

		if (!n) {
			pl->nomem = true;
			return;
		}
		pl->p = n;
		pl->cap = cap;
	}
	snprintf(buf, sizeof(buf), "%s%s", bp->origin ? bp->origin :
		 "the kernel command line ", bp->origin ? "" : pl->cmdline);
	pl->p[pl->n].where = strdup(buf);
	if (!pl->p[pl->n].where) {
		pl->nomem = true;
		return;
	}
	pl->p[pl->n].sel = *bp->sel;
	pl->p[pl->n++].config = bp->config;
}

static void places_free(struct places *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		free(pl->p[i].where);
	free(pl->p);
	memset(pl, 0, sizeof(*pl));
}

/*
 * Every selector with its place, quietly: @what 0 the configuration (the file and CONFIG.d),
 * 1 the kernel's (cmdline.d, /proc/cmdline), 2 what the running system reads (cmdline_load(),
 * as `hotplug` does). The settings read go to @req.
 */
static void places_load(struct vb_ctx *ctx, int what, struct places *pl, struct request *req)
{
	char where[PATH_MAX + 4];

	memset(pl, 0, sizeof(*pl));
	snprintf(where, sizeof(where), "(%s)", ctx->cmdline);
	pl->cmdline = where;
	request_init(req);
	req->piece_fn = place_seen;
	req->piece_data = pl;
	log_open_stream(NULL);
	if (what == 0)
		cmdline_load_config(ctx, req);
	else if (what == 1)
		cmdline_load_kernel(ctx, req);
	else
		cmdline_load(ctx, req);
	log_open_stream(stderr);
	req->piece_fn = NULL;
	pl->cmdline = NULL;
	request_free(req);
}

static const struct place *place_find(const struct places *pl, const struct selector *s)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (selector_same(&pl->p[i].sel, s))
			return &pl->p[i];
	return NULL;
}

/* the exclusion that keeps the boot from claiming at @a, among @pl and @extra */
static const char *excluded_by(const struct places *pl, const struct selector *extra, int nextra,
			       const struct pci_addr *a, const char **where)
{
	size_t i;
	int k;

	for (i = 0; i < pl->n; i++) {
		if (pl->p[i].sel.kind == SEL_EXCLUDE && addr_match(&pl->p[i].sel.addr, a)) {
			*where = pl->p[i].where;
			return pl->p[i].sel.text;
		}
	}
	for (k = 0; k < nextra; k++) {
		if (extra[k].kind == SEL_EXCLUDE && addr_match(&extra[k].addr, a)) {
			*where = "the same command";
			return extra[k].text;
		}
	}
	return NULL;
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
	struct selector sel[MAX_SELECTORS];
	int n;
};

static int entry_add(struct entries *e, const char *text)
{
	struct selector s;
	const char *why;
	int i;

	if (selector_parse(text, &s, &why) < 0)
		return -EINVAL;
	for (i = 0; i < e->n; i++)
		if (selector_same(&e->sel[i], &s))
			return 0;
	if (e->n == MAX_SELECTORS)
		return -E2BIG;
	e->sel[e->n++] = s;
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
		/* for the group warning: the devices the boot will claim */
		d->outcome = OUT_PLANNED;
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

/* a group the added devices leave not viable: the devices to add too, by address */
static void group_notes(struct vb_ctx *ctx, struct pci_list *all)
{
	struct group_set done = { .n = 0 };
	char who[512];
	size_t i;

	for (i = 0; i < all->n; i++)
		if (all->dev[i].outcome == OUT_PLANNED &&
		    group_check(ctx, &all->dev[i], all, &done, who, sizeof(who)) > 0)
			printf("warning: IOMMU group %d of %s is not viable for a VM: %s; add them "
			       "too or the VM cannot start\n", all->dev[i].group, all->dev[i].name,
			       who);
}

/*
 * What the boot would not honour: a selector an exclusion overrides (the exclusion wins), for
 * an ID every device it matches now.
 */
static int boot_honours(const struct entries *want, const struct places *cfg,
			const struct places *kern, const struct pci_list *all)
{
	const char *ex, *where;
	char wbuf[PATH_MAX + 48];
	size_t i, n, out;
	int k;

	for (k = 0; k < want->n; k++) {
		const struct selector *s = &want->sel[k];

		if (s->kind == SEL_EXCLUDE)
			continue;
		if (s->kind == SEL_GUARD) {
			ex = excluded_by(cfg, want->sel, want->n, &s->addr, &where);
			if (!ex)
				ex = excluded_by(kern, NULL, 0, &s->addr, &where);
			if (ex) {
				fprintf(stderr, "vfio-bind: '%s' would not be claimed at boot: '%s' "
					"(%s) excludes it, and an exclusion wins; nothing changed\n",
					s->text, ex, where);
				return -EPERM;
			}
			continue;
		}
		for (i = n = out = 0; i < all->n; i++) {
			if (!sel_matches(s, &all->dev[i]))
				continue;
			n++;
			ex = excluded_by(cfg, want->sel, want->n, &all->dev[i].addr, &where);
			if (!ex)
				ex = excluded_by(kern, NULL, 0, &all->dev[i].addr, &where);
			if (ex) {
				out++;
				snprintf(wbuf, sizeof(wbuf), "'%s' (%s)", ex, where);
				printf("note: %s is excluded by %s: '%s' does not claim it at boot\n",
				       all->dev[i].name, wbuf, s->text);
			}
		}
		if (n && out == n) {
			fprintf(stderr, "vfio-bind: '%s' would claim nothing at boot: exclusions win "
				"over every device it matches; nothing changed\n", s->text);
			return -EPERM;
		}
	}
	return 0;
}

/* distinct selectors the boot would take from @a and @b */
static size_t count_distinct(const struct places *a, const struct places *b)
{
	size_t i, j, n = 0;

	for (i = 0; i < a->n + b->n; i++) {
		const struct selector *s = i < a->n ? &a->p[i].sel : &b->p[i - a->n].sel;
		bool dup = false;

		for (j = 0; j < i && !dup; j++)
			dup = selector_same(j < a->n ? &a->p[j].sel : &b->p[j - a->n].sel, s);
		n += !dup;
	}
	return n;
}

/*
 * add --vms [VMID|NAME...]: the guarded selectors of the functions the VMs use; what the
 * running system stands on is left out, said; a configuration line that cannot be read
 * changes nothing.
 */
static int vm_args(struct vb_ctx *ctx, int argc, char **argv, struct args *a)
{
	static struct vm_picks picks;
	struct pci_list all = { 0 };
	struct vm_uses v;
	char text[SEL_TEXT_MAX + 1], why[1024];
	const char *bad;
	size_t i;
	int err;

	a->n = 0;
	err = vmconf_read(ctx, &v);
	if (err >= 0 && v.refused) {
		fprintf(stderr, "vfio-bind: %u part(s) of the VM configuration cannot be read "
			"(named above); nothing changed\n", v.refused);
		err = -EINVAL;
	}
	if (err >= 0)
		err = vm_args_check(&v, argc, argv);
	if (err >= 0)
		err = pci_scan(ctx, &all);
	if (err < 0)
		goto out;
	vm_pick(&v, argc, argv, &all, &picks, stdout);
	for (i = 0; i < picks.n && a->n < MAX_ARGS; i++) {
		const struct pci_dev *d = &all.dev[picks.p[i].dev];

		if (inuse_check(ctx, d->name, why, sizeof(why)) > 0 && !ctx->force) {
			printf("note: %s %04x:%04x stays with the host, it is in use: %s\n", d->name,
			       d->id.vendor, d->id.device, why);
			continue;
		}
		vm_pick_selector(&picks.p[i], d, text, sizeof(text));
		if (selector_parse(text, &a->sel[a->n], &bad) == 0)
			a->n++;
	}
	if (!a->n) {
		fprintf(stderr, "vfio-bind: the VMs on this node use no PCI device that can be "
			"claimed; nothing changed\n");
		err = -ENODEV;
	}
out:
	pci_list_free(&all);
	vmconf_free(&v);
	return err;
}

/* add --now: what the selectors added take, claimed now as at boot */
static int claim_wanted(struct vb_ctx *ctx, const struct entries *want, struct pci_list *all)
{
	size_t i;
	int k, err = 0, e;

	for (i = 0; i < all->n; i++) {
		struct pci_dev *d = &all->dev[i];

		for (k = 0; k < want->n; k++) {
			const struct selector *s = &want->sel[k];

			if (s->kind != SEL_EXCLUDE && sel_matches(s, d) &&
			    (s->kind == SEL_ADDR || id_match(&s->id, &d->id)))
				break;
		}
		if (k == want->n)
			continue;
		e = claim_addr(ctx, all, &d->addr);
		if (e < 0 && err >= 0)
			err = e;
	}
	return err;
}

int cmd_add(struct vb_ctx *ctx, int argc, char **argv)
{
	static struct entries want;
	static struct cfiles files;
	struct places cfg, kern;
	struct pci_list all = { 0 };
	struct request req;
	struct cfile *f = &files.f[0];
	char line[MAX_SELECTORS * (SEL_TEXT_MAX + 1) + 16], why[PATH_MAX + 256];
	size_t off, total;
	int err, i, lock, fresh = 0;

	err = ctx->vms ? vm_args(ctx, argc, argv, &a_args) : parse_args("add", argc, argv, &a_args);
	if (err < 0)
		return err;
	err = lock_config(ctx, &lock);
	if (err < 0)
		return err;
	err = files_read(ctx, &files, false);
	if (err < 0)
		goto out;
	err = confedit_readable(f->path, f->text, f->len, why, sizeof(why));
	if (err < 0) {
		fprintf(stderr, "vfio-bind: %s; nothing changed\n", why);
		goto out;
	}
	/* a staging root has no sysfs: IDs, guards and exclusions are written all the same */
	if (pci_scan(ctx, &all) < 0)
		printf("note: cannot read the PCI devices in %s/bus/pci/devices; a plain address "
		       "needs them (write VVVV:DDDD@ADDR instead)\n", ctx->sysfs);
	want.n = 0;
	for (i = 0; err >= 0 && i < a_args.n; i++)
		err = resolve_add(ctx, &all, &a_args.sel[i], &want);
	if (err < 0) {
		err = err == -E2BIG ? -EUSAGE : err;
		goto out;
	}
	places_load(ctx, 0, &cfg, &req);
	places_load(ctx, 1, &kern, &req);
	err = boot_honours(&want, &cfg, &kern, &all);
	if (err >= 0)
		group_notes(ctx, &all);
	off = snprintf(line, sizeof(line), "vfio.bind=");
	for (i = 0; err >= 0 && i < want.n; i++) {
		const struct place *p = place_find(&cfg, &want.sel[i]);

		if (p) {
			printf("%s is already in %s\n", want.sel[i].text, p->where);
			continue;
		}
		off += snprintf(line + off, sizeof(line) - off, "%s%s", fresh++ ? "," : "",
				want.sel[i].text);
	}
	total = count_distinct(&cfg, &kern) + fresh;
	if (err >= 0 && fresh && total > MAX_SELECTORS) {
		fprintf(stderr, "vfio-bind: the boot takes at most %d selectors, and %s, its .d/ "
			"and the kernel command line would hold %zu; nothing changed\n",
			MAX_SELECTORS, ctx->config, total);
		err = -E2BIG;
	}
	places_free(&cfg);
	places_free(&kern);
	if (err < 0)
		goto out;
	if (!fresh) {
		printf("%s: nothing to add\n", ctx->config);
		goto now;
	}
	if (!f->exists) {
		/* a new file starts with what it is */
		char *t = malloc(sizeof(header));

		if (!t) {
			err = -ENOMEM;
			goto out;
		}
		memcpy(t, header, sizeof(header));
		free(f->text);
		f->text = t;
		f->len = sizeof(header) - 1;
	}
	err = confedit_append(f->path, f->text, f->len, line, &f->new_text, &f->new_len, why,
			      sizeof(why));
	if (err < 0) {
		fprintf(stderr, "vfio-bind: %s; nothing changed\n", why);
		goto out;
	}
	if (!f->exists)
		f->len = 0;
	if (ctx->dry_run) {
		show_change(f);
		printf("(dry run: %s not written)\n", f->path);
		err = persist_rebuild(ctx);
		goto now;
	}
	err = save(ctx, f->path, f->new_text, f->new_len);
	if (err < 0)
		goto out;
	unlock_config(lock);
	lock = -1;
	printf("%s: added %s\n", ctx->config, line);
	err = persist_rebuild(ctx);
now:
	if (ctx->now && err >= 0)
		err = claim_wanted(ctx, &want, &all);
out:
	pci_list_free(&all);
	unlock_config(lock);
	files_free(&files);
	return err;
}

/* ---- remove ------------------------------------------------------------------------------- */

/* the devices, for notes only: no word when there are none (a staging root) */
static int quiet_scan(struct vb_ctx *ctx, struct pci_list *all)
{
	int err;

	log_open_stream(NULL);
	err = pci_scan(ctx, all);
	log_open_stream(stderr);
	return err;
}

/* a request of the selectors in @pl, less those of the configuration @args name */
static int set_of(const struct places *pl, const struct args *args, struct request *req)
{
	size_t i;
	int k;

	request_init(req);
	req->sel = calloc(pl->n + 1, sizeof(*req->sel));
	if (!req->sel)
		return -ENOMEM;
	for (i = 0; i < pl->n; i++) {
		bool gone = false;

		for (k = 0; args && pl->p[i].config && k < args->n; k++)
			gone |= confedit_covers(&args->sel[k], &pl->p[i].sel);
		if (!gone)
			req->sel[req->nsel++] = pl->p[i].sel;
	}
	return 0;
}

/*
 * A PF vfio-bind holds (sriov_drivers_autoprobe 0) for VFs that no selector claims any more:
 * the hold goes now, as it would at the next boot, so new VFs get their own drivers.
 */
static void lift_holds(struct vb_ctx *ctx, const struct places *pl, bool sriov,
		       const struct args *args)
{
	struct request before, after;
	struct pci_list all = { 0 };
	struct sriov_info s;
	char path[PATH_MAX];
	size_t i;

	if (!sriov || set_of(pl, NULL, &before) < 0)
		return;
	if (set_of(pl, args, &after) < 0 || quiet_scan(ctx, &all) < 0)
		goto out;
	for (i = 0; i < all.n; i++) {
		const struct pci_dev *pf = &all.dev[i];

		if (sriov_read(ctx, pf, &s) < 0 || s.autoprobe != 0 ||
		    !sriov_vf_wanted(&before, pf, &s, NULL, NULL) ||
		    sriov_vf_wanted(&after, pf, &s, NULL, NULL))
			continue;
		if (pci_dev_path(ctx, pf, "sriov_drivers_autoprobe", path, sizeof(path)) < 0)
			continue;
		if (ctx->dry_run)
			printf("Would set sriov_drivers_autoprobe back to 1 on %s: no selector "
			       "claims its VFs any more\n", pf->name);
		else if (write_attr(ctx, path, "1") < 0)
			fprintf(stderr, "vfio-bind: %s: cannot set sriov_drivers_autoprobe back to "
				"1: its new VFs stay without a driver until `vfio-bind hotplug` or "
				"the next boot\n", pf->name);
		else
			printf("%s: sriov_drivers_autoprobe set back to 1: no selector claims its "
			       "VFs any more, new VFs get their own drivers\n", pf->name);
	}
out:
	pci_list_free(&all);
	request_free(&before);
	request_free(&after);
}

/* what still selects what the arguments named: the kernel command line, an ID, a slot */
static void still_selected(struct vb_ctx *ctx, const struct places *pl, const struct args *args)
{
	struct pci_list all = { 0 };
	size_t i, j;
	int k;

	for (k = 0; k < args->n; k++)
		for (i = 0; i < pl->n; i++)
			if (!pl->p[i].config && confedit_covers(&args->sel[k], &pl->p[i].sel))
				printf("note: '%s' is also on %s: the boot still takes it\n",
				       pl->p[i].sel.text, pl->p[i].where);
	if (quiet_scan(ctx, &all) < 0)
		return;
	for (j = 0; j < all.n; j++) {
		const struct pci_dev *d = &all.dev[j];
		bool named = false;

		for (k = 0; k < args->n && !named; k++)
			named = args->sel[k].kind != SEL_EXCLUDE && sel_matches(&args->sel[k], d) &&
				(args->sel[k].kind != SEL_GUARD || id_match(&args->sel[k].id, &d->id));
		for (i = 0; named && i < pl->n; i++) {
			const struct selector *s = &pl->p[i].sel;
			bool gone = false;

			for (k = 0; k < args->n; k++)
				gone |= confedit_covers(&args->sel[k], s);
			if (gone || s->kind == SEL_EXCLUDE || !sel_matches(s, d) ||
			    (s->kind == SEL_GUARD && !id_match(&s->id, &d->id)))
				continue;
			printf("note: %s is still claimed at boot: '%s' (%s) selects it\n", d->name,
			       s->text, pl->p[i].where);
			break;
		}
	}
	pci_list_free(&all);
}

int cmd_remove(struct vb_ctx *ctx, int argc, char **argv)
{
	static struct cfiles files;
	static unsigned hits[MAX_ARGS];
	struct places pl;
	struct request req;
	char why[PATH_MAX + 256];
	unsigned removed = 0;
	int err, i, lock, any = 0;

	err = parse_args("remove", argc, argv, &a_args);
	if (err < 0)
		return err;
	err = lock_config(ctx, &lock);
	if (err < 0)
		return err;
	err = files_read(ctx, &files, true);
	if (err < 0)
		goto out;
	for (i = 0; i < files.n; i++)
		any += files.f[i].exists;
	if (!any) {
		fprintf(stderr, "vfio-bind: %s does not exist: nothing to remove\n", ctx->config);
		err = -ENOENT;
		goto out;
	}
	memset(hits, 0, sizeof(hits));
	for (i = 0; i < files.n; i++) {
		struct cfile *f = &files.f[i];

		if (!f->exists)
			continue;
		err = confedit_remove(f->path, f->text, f->len, a_args.sel, a_args.n, hits,
				      &f->new_text, &f->new_len, why, sizeof(why));
		if (err < 0) {
			fprintf(stderr, "vfio-bind: %s; nothing changed\n", why);
			err = err == -ENOMEM ? err : -EINVAL;
			goto out;
		}
		f->removed = err;
		removed += err;
	}
	for (i = 0; i < a_args.n; i++)
		if (!hits[i])
			printf("'%s' is not in %s%s\n", a_args.sel[i].text, ctx->config,
			       files.n > 1 ? " or its .d/*.conf" : "");
	if (!removed) {
		fprintf(stderr, "vfio-bind: nothing removed; %s is unchanged\n", ctx->config);
		err = -ENOENT;
		goto out;
	}
	/* what the running system reads, before the change: for the notes and the SR-IOV hold */
	places_load(ctx, 2, &pl, &req);
	for (i = 0; i < files.n; i++) {
		struct cfile *f = &files.f[i];

		if (!f->new_text)
			continue;
		if (ctx->dry_run) {
			show_change(f);
			continue;
		}
		err = save(ctx, f->path, f->new_text, f->new_len);
		if (err < 0) {
			places_free(&pl);
			goto out;
		}
		printf("%s: removed %u selector(s)\n", f->path, f->removed);
	}
	unlock_config(lock);
	lock = -1;
	if (ctx->dry_run)
		printf("(dry run: nothing written)\n");
	still_selected(ctx, &pl, &a_args);
	lift_holds(ctx, &pl, req.sriov, &a_args);
	places_free(&pl);
	err = persist_rebuild(ctx);
out:
	unlock_config(lock);
	files_free(&files);
	return err;
}

/* ---- config: the persistent set ----------------------------------------------------------- */

/* one device a persistent selector matches, as text or as a JSON object */
static void config_dev(const struct vb_ctx *ctx, const struct selector *s,
		       const struct pci_dev *d, unsigned n)
{
	char id[16];
	bool refused = s->kind == SEL_GUARD && !id_match(&s->id, &d->id);

	snprintf(id, sizeof(id), "%04x:%04x", d->id.vendor, d->id.device);
	if (ctx->json) {
		printf("%s{\"address\":\"%s\",\"id\":\"%s\"", n ? "," : "", d->name, id);
		json_field("driver", d->driver);
		printf(",\"refused_at_boot\":%s}", refused ? "true" : "false");
	} else if (refused) {
		printf("%s%s is %s: refused at boot", n ? ", " : " ", d->name, id);
	} else {
		printf("%s%s %s (%s)", n ? ", " : " ", d->name, id,
		       d->driver[0] ? d->driver : "no driver");
	}
}

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
	/* bad tokens are named with their file and line: on stdout, or stderr beside JSON */
	log_open_stream(ctx->json ? stderr : stdout);
	files = cmdline_load_config(ctx, &req);
	log_open_stream(stderr);
	if (ctx->json) {
		printf("{\"file\":");
		json_str(stdout, ctx->config);
		printf(",\"exists\":%s,\"dir\":", files ? "true" : "false");
		json_str(stdout, ctx->config_dir);
		printf(",\"files\":%d,\"bad_tokens\":%u,\"selectors\":[", files, req.nerrors);
	} else if (!files) {
		printf("no persistent claims: %s does not exist (vfio-bind add SEL creates it)\n",
		       ctx->config);
		request_free(&req);
		return 0;
	} else {
		printf("persistent claims (%s%s%s%s): %zu selector(s), %u bad token(s)\n",
		       ctx->config, files > 1 ? " and " : "", files > 1 ? ctx->config_dir : "",
		       files > 1 ? "/*.conf" : "", req.nsel, req.nerrors);
	}
	if (files)
		pci_scan(ctx, &all);
	for (i = 0; i < req.nsel; i++) {
		const struct selector *s = &req.sel[i];
		unsigned n = 0;

		if (ctx->json) {
			printf("%s{\"selector\":", i ? "," : "");
			json_str(stdout, s->text);
			printf(",\"devices\":[");
		} else {
			printf("  %-26s", s->text);
		}
		for (j = 0; j < all.n; j++) {
			const struct pci_dev *d = &all.dev[j];

			if (s->kind == SEL_EXCLUDE ? !addr_match(&s->addr, &d->addr) :
						     !sel_matches(s, d))
				continue;
			config_dev(ctx, s, d, n++);
		}
		if (ctx->json)
			printf("],\"exclusion\":%s}", s->kind == SEL_EXCLUDE ? "true" : "false");
		else
			printf("%s\n", n ? (s->kind == SEL_EXCLUDE ? "  never claimed" : "") :
			       " matches no device now");
	}
	if (ctx->json)
		printf("]}\n");
	pci_list_free(&all);
	request_free(&req);
	return req.nerrors ? -EINVAL : 0;
}
