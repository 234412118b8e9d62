// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs kernel-cmdline/vectors.txt through the parser. A vector is
 *   > COMMAND LINE              (\xNN, \t, \\ escapes; the rest verbatim)
 *   = parsed item               every selector and setting, in order, exactly
 *   ! message fragment          every warning/error line, in order
 * Prints "PASS name" / "FAIL name" per vector; exit status 1 when any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "log.h"

#define MAX_LINES 64

struct vector {
	int line;
	char input[8192];
	size_t len;
	char *want[MAX_LINES];
	int nwant;
	char *msgs[MAX_LINES];
	int nmsgs;
};

static size_t unescape(const char *in, char *out, size_t size)
{
	size_t o = 0;

	while (*in && o < size - 1) {
		if (in[0] == '\\' && in[1] == 'x' && in[2] && in[3]) {
			char hex[3] = { in[2], in[3], 0 };

			out[o++] = (char)strtoul(hex, NULL, 16);
			in += 4;
		} else if (in[0] == '\\' && in[1] == 't') {
			out[o++] = '\t';
			in += 2;
		} else if (in[0] == '\\' && in[1] == '\\') {
			out[o++] = '\\';
			in += 2;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
	return o;
}

static int dump(const struct request *req, char **lines, int max)
{
	static const char *const fb[] = {
		"fb initcall_blacklist=sysfb_init", "fb video=efifb:off", "fb video=vesafb:off",
		"fb nofb",
	};
	char buf[128];
	int n = 0;
	size_t i;

	for (i = 0; i < req->nsel && n < max; i++) {
		selector_format(&req->sel[i], buf, sizeof(buf));
		lines[n++] = strdup(buf);
	}
	if (req->dry_run && n < max)
		lines[n++] = strdup("setting dry_run");
	if (req->keep_fb && n < max)
		lines[n++] = strdup("setting keep_fb");
	if (req->debug && n < max)
		lines[n++] = strdup("setting debug");
	if (req->on_fail == ON_FAIL_KEEP && n < max)
		lines[n++] = strdup("setting on_fail=keep");
	if (!req->takeover_ids && n < max)
		lines[n++] = strdup("setting takeover_ids=0");
	if (!req->sriov && n < max)
		lines[n++] = strdup("setting sriov=0");
	for (i = 0; i < 4 && n < max; i++)
		if (req->fb_tokens & (1u << i))
			lines[n++] = strdup(fb[i]);
	if (req->blacklist[0] && n < max) {
		snprintf(buf, sizeof(buf), "blacklist %s", req->blacklist);
		lines[n++] = strdup(buf);
	}
	if (req->pci_ids[0] && n < max) {
		snprintf(buf, sizeof(buf), "pci-ids %s=%s", req->pci_ids_key, req->pci_ids);
		lines[n++] = strdup(buf);
	}
	return n;
}

static int run(const struct vector *v)
{
	char *got[MAX_LINES], *log = NULL, *line, *next, *copy;
	size_t loglen = 0;
	struct request req;
	FILE *f;
	int ngot, i, nmsg = 0, ok = 1;

	copy = malloc(v->len + 1);
	memcpy(copy, v->input, v->len + 1);
	f = open_memstream(&log, &loglen);
	log_open_stream(f);
	request_init(&req);
	cmdline_parse(&req, copy);
	log_close();
	fclose(f);

	ngot = dump(&req, got, MAX_LINES);
	if (ngot != v->nwant)
		ok = 0;
	for (i = 0; i < ngot; i++) {
		if (i >= v->nwant || strcmp(got[i], v->want[i])) {
			ok = 0;
			fprintf(stderr, "  line %d: got '%s', want '%s'\n", v->line, got[i],
				i < v->nwant ? v->want[i] : "(nothing)");
		}
	}
	for (i = ngot; i < v->nwant; i++)
		fprintf(stderr, "  line %d: missing '%s'\n", v->line, v->want[i]);
	for (line = log; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (nmsg >= v->nmsgs || !strstr(line, v->msgs[nmsg])) {
			ok = 0;
			fprintf(stderr, "  line %d: unexpected message '%s'%s%s\n", v->line, line,
				nmsg < v->nmsgs ? ", want one with " : "",
				nmsg < v->nmsgs ? v->msgs[nmsg] : "");
		}
		nmsg++;
	}
	if (nmsg < v->nmsgs) {
		ok = 0;
		fprintf(stderr, "  line %d: missing message with '%s'\n", v->line, v->msgs[nmsg]);
	}
	for (i = 0; i < ngot; i++)
		free(got[i]);
	request_free(&req);
	free(log);
	free(copy);
	return ok;
}

static void clear(struct vector *v)
{
	int i;

	for (i = 0; i < v->nwant; i++)
		free(v->want[i]);
	for (i = 0; i < v->nmsgs; i++)
		free(v->msgs[i]);
	v->nwant = v->nmsgs = 0;
	v->line = 0;
}

static int finish(struct vector *v, int *failed)
{
	char name[64];
	size_t i;
	int ok;

	if (!v->line)
		return 0;
	ok = run(v);
	/* a readable name: the line number and the start of the input */
	snprintf(name, sizeof(name), "%.40s", v->input);
	for (i = 0; name[i]; i++)
		if ((unsigned char)name[i] < 0x21 || (unsigned char)name[i] > 0x7e)
			name[i] = '_';
	printf("%s cmdline:%d:%s\n", ok ? "PASS" : "FAIL", v->line, name);
	*failed += !ok;
	clear(v);
	return ok;
}

int main(int argc, char **argv)
{
	static struct vector v;
	char line[8192];
	int lineno = 0, failed = 0;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: test-cmdline VECTORS\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '>') {
			finish(&v, &failed);
			v.line = lineno;
			v.len = unescape(line[1] == ' ' ? line + 2 : line + 1, v.input,
					 sizeof(v.input));
		} else if (line[0] == '=' && v.line && v.nwant < MAX_LINES) {
			v.want[v.nwant++] = strdup(line + 2);
		} else if (line[0] == '!' && v.line && v.nmsgs < MAX_LINES) {
			v.msgs[v.nmsgs++] = strdup(line + 2);
		}
	}
	finish(&v, &failed);
	fclose(f);
	return failed ? 1 : 0;
}
