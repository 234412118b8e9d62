// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the next boot will do. `check` compares the running kernel command line, the configured
 * one (BLS entries for grubby, /etc/kernel/cmdline for systemd-boot and Proxmox, GRUB's
 * /etc/default/grub and grub.d/ *.cfg), the persistent file and its copy in the current
 * initramfs; `check --next-boot` prints the plan from the configured tokens and the devices
 * present now. Nothing has happened yet at this point: nothing here sends the user to dmesg.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bls.h"
#include "check_next.h"
#include "cmdline.h"
#include "group.h"
#include "grubcfg.h"
#include "initramfs.h"
#include "inuse.h"
#include "log.h"
#include "pci.h"
#include "plan.h"
#include "sysfs.h"
#include "verdict.h"

#define LINE_MAX_	(64 * 1024)

static char line_buf[LINE_MAX_];

/* ROOT + @rel ("/etc/kernel/cmdline") */
static int rooted(struct vb_ctx *ctx, char *buf, size_t size, const char *rel)
{
	return path_fmt(buf, size, "%s%s", strcmp(ctx->root, "/") ? ctx->root : "", rel);
}

/* ---- the configured kernel command line ------------------------------------------------ */

struct configured {
	char source[PATH_MAX + 32];	/* where it comes from, "" when nothing is configured */
	char line[LINE_MAX_];
	char uncertain[GRUBCFG_WHY_MAX + 32];	/* why the line cannot be known ("": it can) */
	const char *fix;			/* what to do about it */
};

/*
 * BLS (grubby, systemd-boot): the entry GRUB's grubenv names as saved_entry (what RHEL's GRUB
 * boots next), else the running kernel's entry, else the last one in name order; in
 * /boot/loader/entries, else the ESP's loader/entries.
 */
struct bls {
	struct vb_ctx *ctx;
	char dir[PATH_MAX];
	char best[NAME_MAX + 1];
	bool exact;
	const char *release;
};

static int bls_fn(int dirfd, const char *name, void *data)
{
	struct bls *b = data;
	char path[PATH_MAX];
	size_t n = strlen(name);
	bool exact;

	if (n < 6 || name[0] == '.' || strcmp(name + n - 5, ".conf") ||
	    path_fmt(path, sizeof(path), "%s/%s", b->dir, name) < 0 ||
	    read_file(path, line_buf, sizeof(line_buf)) < 0)
		return 0;
	exact = strstr(line_buf, b->release) != NULL;
	if ((exact && !b->exact) || (exact == b->exact && strcmp(name, b->best) > 0)) {
		snprintf(b->best, sizeof(b->best), "%s", name);
		b->exact = exact;
	}
	return 0;
}

static char grubenv[64 * 1024];

/* GRUB's environment block: RHEL's /boot/grub2/grubenv (on EFI a link into the ESP) */
static int read_grubenv(struct vb_ctx *ctx, char *path, size_t size)
{
	static const char *const where[] = { "/boot/grub2/grubenv", "/boot/grub/grubenv" };
	size_t i;
	int n;

	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (rooted(ctx, path, size, where[i]) >= 0 &&
		    (n = read_file(path, grubenv, sizeof(grubenv))) >= 0)
			return n;
	return -ENOENT;
}

static bool from_bls(struct vb_ctx *ctx, struct configured *c)
{
	static const char *const dirs[] = { "/boot/loader/entries", "/boot/efi/loader/entries",
		"/efi/loader/entries" };
	struct bls b = { .ctx = ctx };
	char path[PATH_MAX], envpath[PATH_MAX], saved[NAME_MAX + 1], unset[128];
	struct utsname u;
	int envlen, n, r;
	size_t i;

	if (uname(&u) < 0)
		return false;
	b.release = u.release;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && !b.best[0]; i++)
		if (rooted(ctx, b.dir, sizeof(b.dir), dirs[i]) >= 0)
			dir_for_each(b.dir, bls_fn, &b);
	if (!b.best[0])
		return false;
	envlen = read_grubenv(ctx, envpath, sizeof(envpath));
	/* saved_entry is an entry's file name without .conf */
	if (envlen > 0 && grubenv_get(grubenv, envlen, "saved_entry", saved, sizeof(saved) - 5) &&
	    saved[0] && !strchr(saved, '/') && strcmp(saved, ".") && strcmp(saved, "..") &&
	    path_fmt(path, sizeof(path), "%s/%s.conf", b.dir, saved) >= 0 && path_exists(path))
		snprintf(b.best, sizeof(b.best), "%s.conf", saved);
	if (path_fmt(path, sizeof(path), "%s/%s", b.dir, b.best) < 0 ||
	    (n = read_file(path, line_buf, sizeof(line_buf))) < 0)
		return false;
	snprintf(c->source, sizeof(c->source), "%s", path);
	r = bls_options(line_buf, n, envlen > 0 ? grubenv : NULL, envlen > 0 ? envlen : 0,
			c->line, sizeof(c->line), unset, sizeof(unset));
	c->fix = "'grub2-editenv list' shows grubenv; 'grubby --info=DEFAULT' the next boot's "
		 "arguments";
	if (r < 0)
		snprintf(c->uncertain, sizeof(c->uncertain), "its options are longer than %zu "
			 "bytes", sizeof(c->line) - 1);
	else if (unset[0] && envlen < 0)
		snprintf(c->uncertain, sizeof(c->uncertain), "its options name $%s, and there is "
			 "no grubenv (/boot/grub2/grubenv)", unset);
	else if (unset[0])
		snprintf(c->uncertain, sizeof(c->uncertain), "its options name $%s, which %s does "
			 "not set (GRUB's grub.cfg may)", unset, envpath);
	return true;
}

static bool from_kernel_cmdline(struct vb_ctx *ctx, struct configured *c)
{
	char path[PATH_MAX];

	if (rooted(ctx, path, sizeof(path), "/etc/kernel/cmdline") < 0 ||
	    read_file(path, c->line, sizeof(c->line)) < 0)
		return false;
	snprintf(c->source, sizeof(c->source), "%s", path);
	return true;
}

/* GRUB's files are shell: read as grub-mkconfig would source them, without running them */
static bool from_grub(struct vb_ctx *ctx, struct configured *c)
{
	char def[PATH_MAX], dir[PATH_MAX];
	struct grubcfg g;

	if (rooted(ctx, def, sizeof(def), "/etc/default/grub") < 0 ||
	    rooted(ctx, dir, sizeof(dir), "/etc/default/grub.d") < 0)
		return false;
	grubcfg_init(&g);
	if (grubcfg_load(&g, def, dir) < 0) {
		grubcfg_free(&g);
		return false;
	}
	snprintf(c->source, sizeof(c->source), "%s (and grub.d/*.cfg)", def);
	c->fix = "keep GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT plain assignments "
		 "(quotes and $VAR only), or compare /boot/grub/grub.cfg by hand";
	if (!grubcfg_cmdline(&g, c->line, sizeof(c->line), c->uncertain, sizeof(c->uncertain)))
		c->line[0] = '\0';
	grubcfg_free(&g);
	return true;
}

static void configured_cmdline(struct vb_ctx *ctx, struct configured *c)
{
	c->source[0] = c->line[0] = c->uncertain[0] = '\0';
	if (!from_bls(ctx, c) && !from_kernel_cmdline(ctx, c))
		from_grub(ctx, c);
}

/* the vfio-bind selectors of a request, normalized, one string: "a b c" */
static void selector_set(const struct request *req, char *buf, size_t size)
{
	size_t i, off = 0;
	char one[80];

	buf[0] = '\0';
	for (i = 0; i < req->nsel && off < size; i++) {
		selector_format(&req->sel[i], one, sizeof(one));
		off += snprintf(buf + off, size - off, "%s%s", off ? ", " : "", one);
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

/* ---- the initramfs's copy of the file --------------------------------------------------- */

static int find_image(struct vb_ctx *ctx, char *img, size_t size)
{
	struct utsname u;
	char rel[NAME_MAX + 64];

	if (uname(&u) < 0)
		return -errno;
	snprintf(rel, sizeof(rel), "/boot/initrd.img-%s", u.release);
	if (rooted(ctx, img, size, rel) >= 0 && path_exists(img))
		return 0;
	snprintf(rel, sizeof(rel), "/boot/initramfs-%s.img", u.release);
	if (rooted(ctx, img, size, rel) >= 0 && path_exists(img))
		return 0;
	return -ENOENT;
}

#define CONFD_MAX	128

/* what the image holds of the persistent file: etc/vfio-bind.conf, etc/vfio-bind.conf.d/ *.conf */
struct copies {
	char *main;
	size_t n;
	char *name[CONFD_MAX];
	char *text[CONFD_MAX];
};

/* a conf.d name as the hooks copy them: *.conf, no dot file, nothing below */
static bool confd_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".conf") && !strchr(name, '/');
}

static bool want_conf(const char *name, void *data)
{
	return !strcmp(name, "etc/vfio-bind.conf") ||
	       (!strncmp(name, "etc/vfio-bind.conf.d/", 21) && confd_name(name + 21));
}

static int keep_conf(const struct initramfs_file *f, void *data)
{
	struct copies *c = data;

	if (!f->data)
		return 0;
	if (!strcmp(f->name, "etc/vfio-bind.conf")) {
		free(c->main);
		c->main = strdup(f->data);
	} else if (c->n < CONFD_MAX) {
		c->name[c->n] = strdup(f->name + 21);
		c->text[c->n++] = strdup(f->data);
	}
	return 0;
}

static void copies_free(struct copies *c)
{
	size_t i;

	free(c->main);
	for (i = 0; i < c->n; i++) {
		free(c->name[i]);
		free(c->text[i]);
	}
}

/* the system's CONFIG.d/ *.conf names */
struct confd {
	size_t n;
	char name[CONFD_MAX][NAME_MAX + 1];
};

static int list_confd(int dirfd, const char *name, void *data)
{
	struct confd *l = data;

	if (confd_name(name) && l->n < CONFD_MAX)
		snprintf(l->name[l->n++], NAME_MAX + 1, "%s", name);
	return 0;
}

static const char *rebuild_cmd(const char *img)
{
	return strstr(img, "/initramfs-") ? "dracut -f" : "update-initramfs -u";
}

/* one file against its copy: current, stale, missing, or left over (@text NULL) */
static bool compare_copy(const char *img, const char *path, const char *text, const char *copy,
			 const char *in_image)
{
	char msg[PATH_MAX * 3 + 160];
	struct stat si, sf;

	if (!text) {
		if (!copy)
			return true;
		snprintf(msg, sizeof(msg), "the initramfs %s still holds %s, which %s no longer "
			 "is: the next boot still claims what it names", img, in_image, path);
		verdict(V_WARN, msg, rebuild_cmd(img));
		return false;
	}
	if (!copy) {
		snprintf(msg, sizeof(msg), "the initramfs %s has no copy of %s: the next boot does "
			 "not see the persistent claims", img, path);
		verdict(V_WARN, msg, rebuild_cmd(img));
		return false;
	}
	if (strcmp(copy, text)) {
		snprintf(msg, sizeof(msg), "the initramfs %s holds another version of %s (stale): "
			 "the next boot uses the old one", img, path);
		verdict(V_WARN, msg, rebuild_cmd(img));
		return false;
	}
	if (stat(img, &si) == 0 && stat(path, &sf) == 0 && si.st_mtime < sf.st_mtime) {
		snprintf(msg, sizeof(msg), "the initramfs %s is older than %s (same text)", img,
			 path);
		verdict(V_WARN, msg, rebuild_cmd(img));
		return true;
	}
	snprintf(msg, sizeof(msg), "the initramfs %s holds the current %s", img, path);
	verdict(V_OK, msg, NULL);
	return true;
}

static char confd_text[LINE_MAX_];

/*
 * The image against the persistent file and each CONFIG.d/ *.conf, read from its cpio
 * archives: a verdict per file (current, stale, missing, left over); true when all are current.
 */
static bool check_image_copy(struct vb_ctx *ctx, bool have_file, const char *file_text,
			     bool said_no_image)
{
	static struct confd sys;
	struct copies c = { 0 };
	char img[PATH_MAX], msg[PATH_MAX + 640], why[512], path[PATH_MAX], in_image[NAME_MAX + 32];
	bool ok = true, *seen;
	size_t i, k;
	int r;

	sys.n = 0;
	dir_for_each(ctx->config_dir, list_confd, &sys);
	if (find_image(ctx, img, sizeof(img)) < 0) {
		/* without the file there is nothing to compare; check_initramfs says the rest */
		if ((!have_file && !sys.n) || said_no_image)
			return !have_file && !sys.n;
		verdict(V_WARN, "no initramfs image of the running kernel in /boot: cannot tell "
			"whether it holds the persistent file", "update-initramfs -u (Debian, Proxmox) "
			"or dracut -f (RHEL, Fedora)");
		return false;
	}
	r = initramfs_walk(img, want_conf, keep_conf, &c, why, sizeof(why));
	if (r < 0) {
		snprintf(msg, sizeof(msg), "cannot read the initramfs %s: %s", img, why[0] ? why :
			 strerror(-r));
		verdict(V_SKIP, msg, NULL);
		copies_free(&c);
		return false;
	}
	ok = compare_copy(img, ctx->config, have_file ? file_text : NULL, c.main,
			  "etc/vfio-bind.conf");
	seen = calloc(c.n + 1, sizeof(*seen));
	for (i = 0; i < sys.n; i++) {
		const char *copy = NULL, *text = NULL;

		for (k = 0; k < c.n; k++)
			if (!strcmp(c.name[k], sys.name[i])) {
				copy = c.text[k];
				if (seen)
					seen[k] = true;
			}
		if (path_fmt(path, sizeof(path), "%s/%s", ctx->config_dir, sys.name[i]) >= 0 &&
		    read_file(path, confd_text, sizeof(confd_text)) >= 0)
			text = confd_text;
		/* a file that cannot be read is not copied either */
		ok &= compare_copy(img, path, text, copy, sys.name[i]);
	}
	for (k = 0; k < c.n; k++) {
		if (seen && seen[k])
			continue;
		snprintf(in_image, sizeof(in_image), "etc/vfio-bind.conf.d/%s", c.name[k]);
		if (path_fmt(path, sizeof(path), "%s/%s", ctx->config_dir, c.name[k]) >= 0)
			ok &= compare_copy(img, path, NULL, c.text[k], in_image);
	}
	free(seen);
	copies_free(&c);
	return ok;
}

unsigned check_configured_tokens(struct vb_ctx *ctx, char *source, size_t size)
{
	static struct configured conf;
	struct request r;
	unsigned n;

	configured_cmdline(ctx, &conf);
	if (!conf.source[0] || conf.uncertain[0])
		return 0;
	request_init(&r);
	log_open_stream(NULL);
	cmdline_parse(&r, conf.line);
	n = r.ntokens;
	request_free(&r);
	snprintf(source, size, "%s", conf.source);
	return n;
}

/* ---- check: the persistent part ---------------------------------------------------------- */

static char file_text[LINE_MAX_];

void check_persistent(struct vb_ctx *ctx)
{
	static struct configured conf;
	char now[4096], next[4096], msg[PATH_MAX + 9000], fix[PATH_MAX + 128];
	struct request run, nxt, file;
	bool have_file;

	request_init(&run);
	request_init(&nxt);
	request_init(&file);
	have_file = read_file(ctx->config, file_text, sizeof(file_text)) >= 0;
	/* the file: each bad token is named, with its line */
	if (have_file) {
		log_open_stream(ctx->json ? stderr : stdout);
		cmdline_load_config(ctx, &file);
		log_open_stream(stderr);
		snprintf(msg, sizeof(msg), "persistent file %s: %zu selector(s)%s", ctx->config,
			 file.nsel, file.nerrors ? ", with bad tokens (named above)" : "");
		snprintf(fix, sizeof(fix), "correct or delete those lines in %s (an editor: "
			 "'vfio-bind remove' takes out only valid selectors), then rebuild the "
			 "initramfs", ctx->config);
		verdict(file.nerrors ? V_FAIL : V_OK, msg, fix);
	}
	/* no file: nothing to say about it (check's token verdict mentions 'vfio-bind add') */
	/* check_initramfs already said when there is no image at all */
	check_image_copy(ctx, have_file, file_text, true);

	/* the running command line against the configured one */
	log_open_stream(NULL);
	cmdline_load_kernel(ctx, &run);
	configured_cmdline(ctx, &conf);
	if (conf.source[0])
		cmdline_parse(&nxt, conf.line);
	log_open_stream(stderr);
	selector_set(&run, now, sizeof(now));
	selector_set(&nxt, next, sizeof(next));
	if (!conf.source[0]) {
		/* no boot loader configuration here (a container, a test tree): nothing to compare */
	} else if (conf.uncertain[0]) {
		snprintf(msg, sizeof(msg), "the configured command line (%s) is uncertain: %s; "
			 "nothing was run to find out", conf.source, conf.uncertain);
		verdict(V_WARN, msg, conf.fix);
	} else if (strcmp(now, next) || run.ignore_config != nxt.ignore_config) {
		snprintf(msg, sizeof(msg), "the next boot differs from this one: its command line "
			 "(%s) selects %s%s; the running one selects %s%s", conf.source, next,
			 nxt.ignore_config ? " and ignores the persistent file" : "", now,
			 run.ignore_config ? " and ignored the persistent file" : "");
		verdict(V_WARN, msg, "if that is not meant, edit the boot loader's configuration; "
			"'vfio-bind check --next-boot' shows the plan");
	} else {
		snprintf(msg, sizeof(msg), "the configured command line (%s) selects what the "
			 "running one does: %s", conf.source, now);
		verdict(V_OK, msg, NULL);
	}
	request_free(&run);
	request_free(&nxt);
	request_free(&file);
}

/* ---- check --next-boot ------------------------------------------------------------------- */

int check_next_boot(struct vb_ctx *ctx)
{
	static struct configured conf;
	struct group_set groups = { .n = 0 };
	struct pci_list list = { 0 };
	struct request req;
	unsigned problems = 0, planned = 0;
	bool have_file;
	size_t i;

	request_init(&req);
	configured_cmdline(ctx, &conf);
	printf("The next boot, as configured now (nothing has happened yet):\n");
	if (conf.uncertain[0])
		printf("  kernel command line from %s: uncertain (%s); nothing was run to find "
		       "out, its vfio.bind= is not counted\n", conf.source, conf.uncertain);
	else if (conf.source[0])
		printf("  kernel command line from %s\n", conf.source);
	else
		printf("  no configured kernel command line found: taking the running one (%s)\n",
		       ctx->cmdline);
	have_file = read_file(ctx->config, file_text, sizeof(file_text)) >= 0;
	/* bad tokens are named here, on stdout, with their origin */
	log_open_stream(stdout);
	if (!conf.source[0]) {
		cmdline_load_kernel(ctx, &req);
	} else {
		req.origin = conf.source;
		cmdline_parse(&req, conf.line);
		req.origin = NULL;
	}
	if (req.ignore_config) {
		printf("  vfio_bind.ignore_config is on it: %s is not read\n", ctx->config);
	} else if (cmdline_load_config(ctx, &req)) {
		printf("  persistent claims from %s%s\n", ctx->config,
		       path_exists(ctx->config_dir) ? " and its .d/*.conf" : "");
	}
	problems += req.nerrors + !!conf.uncertain[0];
	if ((have_file || path_exists(ctx->config_dir)) && !req.ignore_config &&
	    !check_image_copy(ctx, have_file, file_text, false))
		problems++;
	if (!req.nsel) {
		log_open_stream(stderr);
		printf("Nothing will be claimed: no vfio.bind= is configured.\n");
		request_free(&req);
		return problems ? -EAGAIN : 0;
	}
	if (pci_scan(ctx, &list) >= 0)
		planned = plan_build(ctx, &req, &list);
	log_open_stream(stderr);
	printf("%-14s %-9s %-6s %-16s %-8s %s\n", "ADDRESS", "ID", "CLASS", "DRIVER NOW",
	       "ACTION", "WHY");
	for (i = 0; i < list.n; i++) {
		struct pci_dev *d = &list.dev[i];
		char why[1024] = "";

		if (d->outcome != OUT_PLANNED && d->outcome != OUT_REFUSED)
			continue;
		if (d->outcome == OUT_REFUSED)
			problems++;
		printf("%-14s %04x:%04x %04x   %-16s %-8s %s\n", d->name, d->id.vendor,
		       d->id.device, d->class >> 8, d->driver[0] ? d->driver : "-",
		       d->outcome == OUT_PLANNED ? "claim" : "refuse",
		       d->outcome == OUT_REFUSED ? d->why : d->sel->text);
		if (d->outcome == OUT_PLANNED && inuse_check(ctx, d->name, why, sizeof(why)) > 0) {
			printf("  warning: %s is in use now (%s): the next boot takes it from the "
			       "host\n", d->name, why);
			problems++;
		}
		if (d->outcome == OUT_PLANNED &&
		    group_check(ctx, d, &list, &groups, why, sizeof(why)) > 0) {
			printf("  warning: IOMMU group %d of %s is not viable for a VM: %s; claim "
			       "them too or the VM cannot start\n", d->group, d->name, why);
			problems++;
		}
	}
	for (i = 0; i < req.nsel; i++)
		if (req.sel[i].kind != SEL_EXCLUDE && !req.sel[i].matched && !req.sel[i].refused)
			problems++;
	printf("%u device(s) would be claimed; %u problem(s) above.\n", planned, problems);
	pci_list_free(&list);
	request_free(&req);
	return problems ? -EAGAIN : 0;
}
