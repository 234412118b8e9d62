// SPDX-License-Identifier: GPL-2.0-or-later
/* The boot's record: what `vfio-bind boot` decided, for status (bootrec.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bind.h"
#include "bootrec.h"
#include "json.h"
#include "log.h"
#include "sysfs.h"

/* ROOT/run/vfio-bind/NAME ("" NAME: the directory); ctx->root is "/" or a test root */
static int rec_path(struct vb_ctx *ctx, const char *name, char *buf, size_t size)
{
	const char *root = strcmp(ctx->root, "/") ? ctx->root : "";

	return path_fmt(buf, size, "%s/" BOOTREC_DIR "%s%s", root, *name ? "/" : "", name);
}

static const char *const outcome_word[] = {
	[OUT_NONE] = "excluded", [OUT_PLANNED] = "planned", [OUT_REFUSED] = "refused",
	[OUT_CLAIMED] = "claimed", [OUT_RELEASED] = "released", [OUT_KEPT] = "kept",
};

static const char *expected_pf(const struct bootrec *r, size_t i)
{
	return i < SRIOV_PFS_MAX ? r->expected->pf[i] : "";
}

/*
 * boot.txt: a line per selector (its origin, what it matched and what became of each), then
 * the run's log lines, which say why
 */
static void write_text(FILE *f, const struct bootrec *r)
{
	const struct request *req = r->req;
	size_t i, j;

	for (i = 0; i < req->nsel; i++) {
		const struct selector *s = &req->sel[i];
		const char *sep = ":";

		fprintf(f, "selector '%s' from %s", s->text,
			s->origin[0] ? s->origin : "the kernel command line");
		for (j = 0; j < r->list->n; j++) {
			const struct pci_dev *d = &r->list->dev[j];

			if (!sel_names(s, d))
				continue;
			fprintf(f, "%s %s %s", sep, d->name, outcome_word[d->outcome]);
			sep = ",";
		}
		if (expected_pf(r, i)[0])
			fprintf(f, ": expected after the VFs of %s are created", expected_pf(r, i));
		else if (*sep == ':')
			fputs(": matched nothing", f);
		fputs("\n", f);
	}
	fwrite(r->log->buf, 1, r->log->len, f);
	if (r->log->dropped)
		fprintf(f, "(%u more log lines not kept)\n", r->log->dropped);
}

static void write_json(FILE *f, const struct bootrec *r)
{
	const struct request *req = r->req;
	const char *line, *end, *sep = "";
	size_t i, j;

	fprintf(f, "{\"claimed\":%u,\"refused\":%u,\"released\":%u,\"kept\":%u,"
		"\"unmatched\":%u,\"bad_tokens\":%u,\"us\":%ld,\"selectors\":[", r->n[OUT_CLAIMED],
		r->n[OUT_REFUSED], r->n[OUT_RELEASED], r->n[OUT_KEPT], r->unmatched, req->nerrors,
		r->us);
	for (i = 0; i < req->nsel; i++) {
		const struct selector *s = &req->sel[i];

		fprintf(f, "%s{\"selector\":", i ? "," : "");
		json_str(f, s->text);
		json_sel_origin(f, s);
		fputs(",\"expected_vfs_of\":", f);
		json_str_or_null(f, expected_pf(r, i));
		fputs(",\"devices\":[", f);
		for (j = 0, sep = ""; j < r->list->n; j++) {
			const struct pci_dev *d = &r->list->dev[j];

			if (!sel_names(s, d))
				continue;
			fprintf(f, "%s{\"address\":\"%s\",\"outcome\":\"%s\",\"was\":", sep,
				d->name, outcome_word[d->outcome]);
			json_str_or_null(f, d->was);
			fputs(",\"why\":", f);
			json_str_or_null(f, d->why);
			fputs("}", f);
			sep = ",";
		}
		fputs("]}", f);
	}
	fputs("]", f);
	json_bad_selectors(f, req);
	fputs(",\"held_pfs\":[", f);
	for (i = 0; i < r->held->n; i++)
		fprintf(f, "%s\"%s\"", i ? "," : "", r->held->pf[i]);
	fputs("],\"log\":[", f);
	for (line = r->log->buf, sep = ""; (end = memchr(line, '\n', r->log->buf +
						 r->log->len - line)); line = end + 1) {
		char one[1024];

		snprintf(one, sizeof(one), "%.*s", (int)(end - line), line);
		fputs(sep, f);
		json_str(f, one);
		sep = ",";
	}
	fputs("]}\n", f);
}

/* write NAME.tmp (@json: boot.json, else boot.txt), rename it: a reader sees all or none */
static void rec_file(struct vb_ctx *ctx, const char *name, const struct bootrec *r, bool json)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;
	int err;

	if (rec_path(ctx, name, path, sizeof(path)) < 0 ||
	    path_fmt(tmp, sizeof(tmp), "%s.tmp", path) < 0)
		return;
	f = fopen(tmp, "we");
	if (!f) {
		log_debug("cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	if (json)
		write_json(f, r);
	else
		write_text(f, r);
	err = ferror(f);
	if (fclose(f) || err || rename(tmp, path) < 0) {
		log_debug("cannot write %s", path);
		unlink(tmp);
	}
}

void bootrec_write(struct vb_ctx *ctx, const struct bootrec *r)
{
	char path[PATH_MAX];
	const char *root = strcmp(ctx->root, "/") ? ctx->root : "";

	if (ctx->dry_run)
		return;
	/* the log copy ends here: what follows is not the boot's */
	log_capture(NULL);
	if (path_fmt(path, sizeof(path), "%s/run", root) >= 0)
		mkdir(path, 0755);
	if (rec_path(ctx, "", path, sizeof(path)) >= 0)
		mkdir(path, 0755);
	rec_file(ctx, "boot.json", r, true);
	rec_file(ctx, "boot.txt", r, false);
}

int bootrec_read(struct vb_ctx *ctx, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX];
	bool more;
	int n;

	n = rec_path(ctx, name, path, sizeof(path));
	if (n < 0)
		return n;
	n = read_file_more(path, buf, size, &more);
	if (n >= 0 && more)
		return -EFBIG;
	return n;
}
