// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The persistent file's text, edited the way the boot reads it. The boot's own parse
 * (cmdline_parse_file(), with its piece callback) says where each vfio.bind= token and each
 * of its selectors lies; a selector is taken out of its token, or the token out of its line,
 * and the result is read again by the same parse: a rewrite that would read differently (the
 * kernel's quote rules make a token's meaning depend on its first and last bytes) is tried
 * in another spelling, or refused with the line named. Nothing here touches a file.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confedit.h"
#include "log.h"
#include "sysfs.h"

#define SENTINEL	" vfio.bind=00:00.0"

/* ---- the selectors of a text, as the boot parse reads them ------------------------------- */

struct piece {
	size_t tok, tok_end, val, val_end, raw, raw_end, text, text_len;
	struct selector sel;
	bool good, over_limit, gone;
};

struct pieces {
	struct piece *p;
	size_t n, cap;
	const char *base;
	bool nomem;
};

static void piece_seen(void *data, const struct bind_piece *bp)
{
	struct pieces *ps = data;
	struct piece *p;

	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		struct piece *n = realloc(ps->p, cap * sizeof(*n));

		if (!n) {
			ps->nomem = true;
			return;
		}
		ps->p = n;
		ps->cap = cap;
	}
	p = &ps->p[ps->n++];
	memset(p, 0, sizeof(*p));
	p->tok = bp->tok - ps->base;
	p->tok_end = bp->tok_end - ps->base;
	p->val = bp->val - ps->base;
	p->val_end = bp->val_end - ps->base;
	p->raw = bp->raw - ps->base;
	p->raw_end = bp->raw_end - ps->base;
	p->text = bp->text - ps->base;
	p->text_len = strlen(bp->text);
	p->good = bp->sel != NULL;
	p->over_limit = bp->over_limit;
	if (bp->sel)
		p->sel = *bp->sel;
}

/* the boot's parse of @len bytes of @text (no NUL inside), quietly, into @req and @ps */
static int parse(const char *path, const char *text, size_t len, struct request *req,
		 struct pieces *ps)
{
	char *copy = malloc(len + 1);

	memset(ps, 0, sizeof(*ps));
	request_init(req);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	ps->base = copy;
	req->piece_fn = piece_seen;
	req->piece_data = ps;
	log_open_stream(NULL);
	cmdline_parse_file(req, path, copy, false, true);
	log_open_stream(stderr);
	req->piece_fn = NULL;
	free(copy);
	ps->base = NULL;
	return ps->nomem ? -ENOMEM : 0;
}

static void release(struct request *req, struct pieces *ps)
{
	request_free(req);
	free(ps->p);
	ps->p = NULL;
	ps->n = ps->cap = 0;
}

/* the settings a file can hold, and its bad settings, are the same */
static bool same_settings(const struct request *a, const struct request *b)
{
	return a->dry_run == b->dry_run && a->keep_fb == b->keep_fb && a->debug == b->debug &&
	       a->sriov == b->sriov && a->on_fail == b->on_fail &&
	       a->takeover_ids == b->takeover_ids && a->ignore_config == b->ignore_config &&
	       a->nerrors - a->nbadsel == b->nerrors - b->nbadsel;
}

static unsigned line_of(const char *text, size_t off)
{
	unsigned n = 1;
	size_t i;

	for (i = 0; i < off; i++)
		n += text[i] == '\n';
	return n;
}

int confedit_readable(const char *path, const char *text, size_t len, char *why, size_t wsize)
{
	const char *nul = memchr(text, '\0', len);

	if (nul) {
		snprintf(why, wsize, "%s:%u: a NUL byte: the boot reads nothing after it; remove it "
			 "by hand", path, line_of(text, nul - text));
		return -EINVAL;
	}
	if (len > CMDLINE_MAX - 1) {
		snprintf(why, wsize, "%s is larger than the %d bytes the boot reads (it stops in "
			 "line %u)", path, CMDLINE_MAX - 1, line_of(text, CMDLINE_MAX - 1));
		return -EFBIG;
	}
	return 0;
}

/* ---- growing text --------------------------------------------------------------------- */

struct text {
	char *s;
	size_t len, cap;
	bool nomem;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *ns = realloc(t->s, cap);

		if (!ns) {
			t->nomem = true;
			return;
		}
		t->s = ns;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void puts_(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

/* ---- remove ----------------------------------------------------------------------------- */

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

bool confedit_covers(const struct selector *r, const struct selector *s)
{
	switch (r->kind) {
	case SEL_ID:
		return (s->kind == SEL_ID || s->kind == SEL_GUARD) && id_covers(&r->id, &s->id);
	case SEL_ADDR:
		return (s->kind == SEL_ADDR || s->kind == SEL_GUARD) &&
		       addr_covers(&r->addr, &s->addr);
	case SEL_GUARD:
		return selector_same(r, s);
	case SEL_EXCLUDE:
		return s->kind == SEL_EXCLUDE && addr_covers(&r->addr, &s->addr);
	}
	return false;
}

static bool lspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r' && c != '\n') || (unsigned char)c == 0xa0;
}

/*
 * Does @cand, standing for a token, read as the selectors @keep[] of @text, and (when @more:
 * other tokens follow it on the line) end where a token ends, leaving the next one alone?
 */
static bool reads_as(const char *path, const char *text, const struct text *cand, bool more,
		     const struct piece *const *keep, size_t nkeep)
{
	struct text t = { 0 };
	struct request req;
	struct pieces ps;
	unsigned bad = 0;
	bool ok;
	size_t i;

	put(&t, cand->s, cand->len);
	if (more)
		puts_(&t, SENTINEL);
	if (t.nomem) {
		free(t.s);
		return false;
	}
	if (parse(path, t.s, t.len, &req, &ps) < 0) {
		free(t.s);
		release(&req, &ps);
		return false;
	}
	ok = ps.n == nkeep + more;
	for (i = 0; ok && i < nkeep; i++) {
		const struct piece *a = keep[i], *b = &ps.p[i];

		bad += !a->good;
		ok = b->tok == 0 && a->good == b->good && a->text_len == b->text_len &&
		     !memcmp(text + a->text, t.s + b->text, a->text_len);
	}
	if (ok && more)
		ok = ps.p[nkeep].tok == cand->len + 1 && ps.p[nkeep].good &&
		     ps.p[nkeep].tok_end == t.len;
	ok = ok && req.nerrors == bad && !req.dry_run && !req.keep_fb && !req.debug &&
	     req.sriov && req.on_fail == ON_FAIL_RELEASE && req.takeover_ids;
	free(t.s);
	release(&req, &ps);
	return ok;
}

/* the edit of one token: [from, to) of the text becomes @with */
struct edit {
	size_t from, to;
	struct text with;
};

/* is the token that ends at @end the last one the boot reads on its line? */
static bool last_on_line(const char *text, size_t len, size_t end)
{
	size_t i = end;

	while (i < len && lspace(text[i]))
		i++;
	return i == len || text[i] == '\n' || (text[i] == '#' && i > 0 &&
					       (lspace(text[i - 1]) || text[i - 1] == '\n'));
}

/*
 * The token of pieces [first, last) without those gone: its new spelling in @e, or the whole
 * token dropped (e->with empty). false when no spelling reads right.
 */
static bool edit_token(const char *path, const char *text, size_t len, struct piece *p,
		       size_t first, size_t last, struct edit *e)
{
	/* a token may hold any number of pieces (bad ones and duplicates included) */
	const struct piece **keep = malloc((last - first) * sizeof(*keep));
	const struct piece *t = &p[first];
	size_t i, nkeep = 0, klen;
	bool more = !last_on_line(text, len, t->tok_end), content = false, ok = false;
	const char *key;
	int c;

	memset(e, 0, sizeof(*e));
	if (!keep)
		return false;
	for (i = first; i < last; i++) {
		if (p[i].gone)
			continue;
		keep[nkeep++] = &p[i];
		content |= p[i].text_len > 0;
	}
	if (!content) {
		/*
		 * nothing but empty selectors left: the token goes, with the blanks after it (a
		 * comment after it stays one); at the end of the line, the blanks before it
		 */
		e->from = t->tok;
		e->to = t->tok_end;
		while (e->to < len && lspace(text[e->to]))
			e->to++;
		if (e->to == len || text[e->to] == '\n')
			while (e->from > 0 && lspace(text[e->from - 1]))
				e->from--;
		free(keep);
		return true;
	}
	e->from = t->tok;
	e->to = t->tok_end;
	/* the key as written: the token up to its value, without the quotes around */
	key = text + t->tok;
	klen = t->val - t->tok;
	if (klen && key[0] == '"') {
		key++;
		klen--;
	}
	if (klen && key[klen - 1] == '"')
		klen--;
	for (c = 0; c < 3; c++) {
		free(e->with.s);
		memset(&e->with, 0, sizeof(e->with));
		/* 0: the token as written, less the selectors; 1: plain; 2: the value quoted */
		if (c == 0)
			put(&e->with, text + t->tok, t->val - t->tok);
		else
			put(&e->with, key, klen);
		if (c == 2)
			put(&e->with, "\"", 1);
		for (i = 0; i < nkeep; i++) {
			if (i)
				put(&e->with, ",", 1);
			if (c == 0)
				put(&e->with, text + keep[i]->raw, keep[i]->raw_end - keep[i]->raw);
			else
				put(&e->with, text + keep[i]->text, keep[i]->text_len);
		}
		if (c == 0)
			put(&e->with, text + t->val_end, t->tok_end - t->val_end);
		else if (c == 2)
			put(&e->with, "\"", 1);
		if (!e->with.nomem && reads_as(path, text, &e->with, more, keep, nkeep)) {
			ok = true;
			break;
		}
	}
	free(keep);
	if (ok)
		return true;
	free(e->with.s);
	memset(&e->with, 0, sizeof(e->with));
	return false;
}

/* the text with the edits made; a line left blank by them goes, newline and all */
static void apply(const char *text, size_t len, const struct edit *e, size_t ne, struct text *out)
{
	size_t pos = 0, k = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, start = out->len, i;
		bool blank = true;

		if (k == ne || e[k].from >= end + (nl != NULL)) {
			put(out, text + pos, end - pos + (nl != NULL));
			pos = end + (nl != NULL);
			continue;
		}
		for (; k < ne && e[k].from < end; k++) {
			/* two dropped tokens may both take the blanks between them */
			if (e[k].from > pos)
				put(out, text + pos, e[k].from - pos);
			put(out, e[k].with.s ? e[k].with.s : "", e[k].with.len);
			if (e[k].to > pos)
				pos = e[k].to;
		}
		put(out, text + pos, end - pos);
		for (i = start; i < out->len && blank; i++)
			blank = lspace(out->s[i]);
		if (blank)
			out->len = start;
		else if (nl)
			put(out, "\n", 1);
		if (out->s)
			out->s[out->len] = '\0';
		pos = end + (nl != NULL);
	}
}

/* after reads as before, less the pieces gone (and the empty ones of the tokens dropped) */
static bool same_less(const char *a_text, const struct request *a, const struct pieces *ap,
		      const char *b_text, const struct request *b, const struct pieces *bp,
		      const struct edit *e, size_t ne)
{
	size_t i, j = 0, k = 0;

	if (!same_settings(a, b))
		return false;
	for (i = 0; i < ap->n; i++) {
		const struct piece *x = &ap->p[i];

		while (k < ne && e[k].to <= x->tok)
			k++;
		if (x->gone)
			continue;
		if (!x->text_len && k < ne && e[k].from <= x->tok && x->tok < e[k].to &&
		    !e[k].with.len)
			continue;
		if (j == bp->n)
			return false;
		if (x->good != bp->p[j].good || x->text_len != bp->p[j].text_len ||
		    memcmp(a_text + x->text, b_text + bp->p[j].text, x->text_len))
			return false;
		j++;
	}
	return j == bp->n;
}

int confedit_remove(const char *path, const char *text, size_t len, const struct selector *args,
		    int nargs, unsigned *hits, char **out, size_t *out_len, char *why, size_t wsize)
{
	struct request before, after;
	struct pieces bp, ap;
	struct edit *e = NULL;
	struct text t = { 0 };
	size_t i, j, ne = 0;
	int err, gone = 0, k;

	*out = NULL;
	*out_len = 0;
	err = confedit_readable(path, text, len, why, wsize);
	if (err < 0)
		return err;
	err = parse(path, text, len, &before, &bp);
	if (err < 0)
		goto done;
	for (i = 0; i < bp.n; i++) {
		for (k = 0; bp.p[i].good && k < nargs; k++) {
			if (confedit_covers(&args[k], &bp.p[i].sel)) {
				hits[k]++;
				bp.p[i].gone = true;
			}
		}
		gone += bp.p[i].gone;
	}
	if (!gone)
		goto done;
	for (i = 0; i < bp.n; i++) {
		if (bp.p[i].over_limit) {
			snprintf(why, wsize, "%s holds more than %d selectors: the boot ignores "
				 "those after the %dth (line %u on), and taking one out would let "
				 "the next one count; edit it by hand", path, MAX_SELECTORS,
				 MAX_SELECTORS, line_of(text, bp.p[i].tok));
			err = -E2BIG;
			goto done;
		}
	}
	e = calloc(bp.n, sizeof(*e));
	if (!e) {
		err = -ENOMEM;
		goto done;
	}
	for (i = 0; i < bp.n; i = j) {
		bool any = false;

		for (j = i; j < bp.n && bp.p[j].tok == bp.p[i].tok; j++)
			any |= bp.p[j].gone;
		if (!any)
			continue;
		if (!edit_token(path, text, len, bp.p, i, j, &e[ne])) {
			char tok[72], esc[160];
			size_t n = bp.p[i].tok_end - bp.p[i].tok;

			snprintf(tok, sizeof(tok), "%.*s", (int)(n < 70 ? n : 70),
				 text + bp.p[i].tok);
			str_escape(esc, sizeof(esc), tok, 64);
			snprintf(why, wsize, "%s:%u: a selector cannot be taken out of '%s' without "
				 "changing what the rest of that token means at boot (its quotes); "
				 "edit the line by hand", path, line_of(text, bp.p[i].tok), esc);
			err = -EINVAL;
			goto done;
		}
		ne++;
	}
	apply(text, len, e, ne, &t);
	err = t.nomem ? -ENOMEM : parse(path, t.s ? t.s : "", t.len, &after, &ap);
	if (err < 0)
		goto done;
	if (!same_less(text, &before, &bp, t.s ? t.s : "", &after, &ap, e, ne)) {
		snprintf(why, wsize, "%s:%u: the file would read differently at boot after the "
			 "change; edit it by hand", path, line_of(text, e[0].from));
		err = -EINVAL;
	}
	release(&after, &ap);
	if (err < 0)
		goto done;
	if (!t.s)
		put(&t, "", 0);
	if (t.nomem) {
		err = -ENOMEM;
		goto done;
	}
	*out = t.s;
	*out_len = t.len;
	t.s = NULL;
	err = gone;
done:
	if (err == -ENOMEM)
		snprintf(why, wsize, "%s: %s", path, strerror(ENOMEM));
	for (i = 0; i < ne; i++)
		free(e[i].with.s);
	free(e);
	free(t.s);
	release(&before, &bp);
	return err;
}

/* ---- add ------------------------------------------------------------------------------------ */

int confedit_append(const char *path, const char *text, size_t len, const char *line,
		    char **out, size_t *out_len, char *why, size_t wsize)
{
	struct request before, after, added;
	struct pieces bp, ap, np;
	struct text t = { 0 };
	size_t i;
	int err;

	*out = NULL;
	err = confedit_readable(path, text, len, why, wsize);
	if (err < 0)
		return err;
	memset(&ap, 0, sizeof(ap));
	memset(&np, 0, sizeof(np));
	request_init(&after);
	request_init(&added);
	put(&t, text, len);
	if (len && text[len - 1] != '\n')
		put(&t, "\n", 1);
	puts_(&t, line);
	put(&t, "\n", 1);
	if (t.nomem) {
		free(t.s);
		return -ENOMEM;
	}
	if (t.len > CMDLINE_MAX - 1) {
		snprintf(why, wsize, "%s would be larger than the %d bytes the boot reads (%zu)",
			 path, CMDLINE_MAX - 1, t.len);
		free(t.s);
		return -EFBIG;
	}
	err = parse(path, text, len, &before, &bp);
	if (!err)
		err = parse(path, t.s, t.len, &after, &ap);
	if (!err)
		err = parse(path, line, strlen(line), &added, &np);
	if (!err && (!same_settings(&before, &after) || ap.n != bp.n + np.n))
		err = -EINVAL;
	for (i = 0; !err && i < ap.n; i++) {
		const struct piece *x = i < bp.n ? &bp.p[i] : &np.p[i - bp.n];
		const char *xt = i < bp.n ? text : line;

		if (x->good != ap.p[i].good || x->text_len != ap.p[i].text_len ||
		    memcmp(xt + x->text, t.s + ap.p[i].text, x->text_len))
			err = -EINVAL;
	}
	if (err == -EINVAL)
		snprintf(why, wsize, "%s: the new line would not read as written at boot", path);
	release(&before, &bp);
	release(&after, &ap);
	release(&added, &np);
	if (err < 0) {
		free(t.s);
		return err;
	}
	*out = t.s;
	*out_len = t.len;
	return 0;
}

/* ---- the diff ------------------------------------------------------------------------------ */

struct line {
	const char *s;
	size_t n;		/* with its newline, if it has one */
};

static size_t split_lines(const char *t, size_t len, struct line *l)
{
	size_t n = 0, pos = 0;

	while (pos < len) {
		const char *nl = memchr(t + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - t) + 1 : len;

		if (l)
			l[n] = (struct line){ t + pos, end - pos };
		n++;
		pos = end;
	}
	return n;
}

static bool line_eq(const struct line *a, const struct line *b)
{
	return a->n == b->n && !memcmp(a->s, b->s, a->n);
}

struct op {
	char t;			/* ' ', '-', '+' */
	size_t a, b;		/* lines of each side before it */
};

#define LCS_MAX	1024

/* the middle, a[0..na) against b[0..nb): longest common subsequence when small enough */
static size_t diff_middle(const struct line *a, size_t na, const struct line *b, size_t nb,
			  size_t a0, size_t b0, struct op *ops)
{
	uint16_t *L = NULL;
	size_t i = 0, j = 0, n = 0, w = nb + 1;

	if (na && nb && na <= LCS_MAX && nb <= LCS_MAX)
		L = calloc((na + 1) * w, sizeof(*L));
	if (L) {
		for (i = na; i-- > 0;)
			for (j = nb; j-- > 0;)
				L[i * w + j] = line_eq(&a[i], &b[j]) ? L[(i + 1) * w + j + 1] + 1 :
					       L[(i + 1) * w + j] > L[i * w + j + 1] ?
					       L[(i + 1) * w + j] : L[i * w + j + 1];
		i = j = 0;
		while (i < na && j < nb) {
			if (line_eq(&a[i], &b[j])) {
				ops[n++] = (struct op){ ' ', a0 + i++, b0 + j++ };
			} else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) {
				ops[n++] = (struct op){ '-', a0 + i++, b0 + j };
			} else {
				ops[n++] = (struct op){ '+', a0 + i, b0 + j++ };
			}
		}
		free(L);
	}
	while (i < na)
		ops[n++] = (struct op){ '-', a0 + i++, b0 + j };
	while (j < nb)
		ops[n++] = (struct op){ '+', a0 + i, b0 + j++ };
	return n;
}

static void print_line(FILE *f, char c, const struct line *l)
{
	fputc(c, f);
	fwrite(l->s, 1, l->n, f);
	if (!l->n || l->s[l->n - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", f);
}

static void range(FILE *f, char c, size_t start, size_t count)
{
	/* as GNU diff: an empty range starts at the line before it */
	if (count == 1)
		fprintf(f, " %c%zu", c, start + 1);
	else
		fprintf(f, " %c%zu,%zu", c, count ? start + 1 : start, count);
}

void confedit_diff(FILE *f, const char *old_name, const char *new_name, const char *at,
		   size_t alen, const char *bt, size_t blen)
{
	size_t na = split_lines(at, alen, NULL), nb = split_lines(bt, blen, NULL);
	struct line *a = calloc(na + 1, sizeof(*a)), *b = calloc(nb + 1, sizeof(*b));
	struct op *ops = calloc(na + nb + 1, sizeof(*ops));
	size_t p = 0, q = 0, n = 0, i, k;

	if (!a || !b || !ops)
		goto out;
	split_lines(at, alen, a);
	split_lines(bt, blen, b);
	while (p < na && p < nb && line_eq(&a[p], &b[p]))
		p++;
	while (q < na - p && q < nb - p && line_eq(&a[na - 1 - q], &b[nb - 1 - q]))
		q++;
	for (i = 0; i < p; i++)
		ops[n++] = (struct op){ ' ', i, i };
	n += diff_middle(a + p, na - p - q, b + p, nb - p - q, p, p, ops + n);
	for (i = 0; i < q; i++)
		ops[n++] = (struct op){ ' ', na - q + i, nb - q + i };
	fprintf(f, "--- %s\n+++ %s\n", old_name, new_name);
	for (k = 0; k < n;) {
		size_t start, end, last, ca = 0, cb = 0;

		while (k < n && ops[k].t == ' ')
			k++;
		if (k == n)
			break;
		start = k > 3 ? k - 3 : 0;
		last = k;
		for (i = k; i < n && i <= last + 7; i++)
			if (ops[i].t != ' ')
				last = i;
		end = last + 4 < n ? last + 4 : n;
		for (i = start; i < end; i++) {
			ca += ops[i].t != '+';
			cb += ops[i].t != '-';
		}
		fputs("@@", f);
		range(f, '-', ops[start].a, ca);
		range(f, '+', ops[start].b, cb);
		fputs(" @@\n", f);
		for (i = start; i < end; i++)
			print_line(f, ops[i].t, ops[i].t == '+' ? &b[ops[i].b] : &a[ops[i].a]);
		k = end;
	}
out:
	free(a);
	free(b);
	free(ops);
}
