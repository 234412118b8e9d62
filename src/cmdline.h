/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_CMDLINE_H
#define VB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEL_TEXT_MAX	64	/* longest selector accepted */
#define MAX_SELECTORS	256	/* the boot takes no more */
#define CMDLINE_MAX	(64 * 1024)	/* a line or file is read up to CMDLINE_MAX - 1 bytes */
#define SEL_ORIGIN_MAX	96	/* a selector's origin: its tail is kept ("...conf.d/a.conf:3") */

struct pci_addr {
	uint32_t domain;
	uint8_t bus;
	uint8_t slot;
	uint8_t func;
	bool any_func;		/* BB:SS.* or BB:SS */
};

enum sel_kind {
	SEL_ID,			/* VVVV:DDDD[:SVVV:SDDD] */
	SEL_ADDR,		/* [DDDD:]BB:SS.F, [DDDD:]BB:SS.*, [DDDD:]BB:SS */
	SEL_GUARD,		/* VVVV:DDDD[:SVVV:SDDD]@ADDR */
	SEL_EXCLUDE,		/* !ADDR */
};

struct pci_id {
	uint16_t vendor;
	uint16_t device;
	uint16_t sub_vendor;
	uint16_t sub_device;
	bool has_subsys;
};

struct selector {
	enum sel_kind kind;
	struct pci_id id;
	struct pci_addr addr;
	char text[SEL_TEXT_MAX + 1];	/* as written */
	unsigned matched;		/* devices it matched */
	unsigned refused;		/* guarded addresses holding another device */
	/* where it was read: "FILE:LINE", vfio-pci's ids= line; "" for the kernel command line */
	char origin[SEL_ORIGIN_MAX];
};

/* a bad vfio.bind= selector, kept for status and the boot's record (the first BAD_KEPT) */
struct bad_sel {
	char text[SEL_TEXT_MAX + 1];	/* escaped, cut */
	char origin[SEL_ORIGIN_MAX];
	const char *why;		/* a constant string */
};
#define BAD_KEPT	8

enum on_fail {
	ON_FAIL_RELEASE,	/* hand the device back to its host driver */
	ON_FAIL_KEEP,		/* leave it without a driver */
};

/* framebuffer tokens on the command line */
enum {
	FB_TOK_SYSFB_OFF = 1 << 0,	/* initcall_blacklist=sysfb_init */
	FB_TOK_EFIFB_OFF = 1 << 1,	/* video=efifb:off */
	FB_TOK_VESAFB_OFF = 1 << 2,	/* video=vesafb:off */
	FB_TOK_NOFB = 1 << 3,		/* nofb */
	FB_TOK_COUNT = 4,
};

/* the token each FB_TOK_ bit stands for, by bit number */
extern const char *const fb_token_text[FB_TOK_COUNT];

/*
 * One selector of a vfio.bind= value as the boot parse takes it, for req->piece_fn: pointers
 * into the text being parsed (cmdline_parse_file() on the caller's copy: offsets from its start
 * are offsets in the file).
 */
struct bind_piece {
	const char *tok, *tok_end;	/* the whole token as written, quotes included */
	const char *val, *val_end;	/* its value as the kernel's next_arg() hands it over */
	const char *raw, *raw_end;	/* this selector between its commas, blanks included */
	const char *text;		/* the selector as judged (trimmed) */
	const struct selector *sel;	/* NULL: a bad selector */
	bool over_limit;		/* a good one past the selector limit: ignored */
	const char *origin;		/* "FILE:LINE"; NULL: the kernel command line */
	bool config;			/* from the persistent file or CONFIG.d */
};
typedef void (*bind_piece_fn)(void *data, const struct bind_piece *p);

struct request {
	struct selector *sel;
	size_t nsel;
	size_t cap;
	unsigned ntokens;		/* vfio.bind= occurrences */
	unsigned nerrors;		/* bad tokens and settings */
	unsigned nbadsel;		/* of those, bad vfio.bind= selectors */
	bool dry_run;
	bool keep_fb;
	bool debug;
	bool sriov;			/* hold back SR-IOV VFs a selector may claim (default) */
	enum on_fail on_fail;
	unsigned fb_tokens;
	char blacklist[256];		/* modprobe.blacklist= values, comma separated */
	bool ignore_config;		/* vfio_bind.ignore_config on the kernel command line */
	bool in_config;			/* parsing the configuration file: vfio-bind keys only */
	const char *origin;		/* "FILE:LINE" for messages; NULL: the kernel command line */
	bool blacklist_cut;		/* ... more than fit in blacklist[] */
	bool blacklist_vfio;		/* some value names a vfio module */
	unsigned blacklist_keys;	/* BL_KEY_*: which keys gave them */
	bool takeover_ids;		/* vfio_bind.takeover_ids (default 1) */
	char pci_ids[1024];		/* the last vfio-pci.ids= (vfio_pci.ids=) value */
	bool pci_ids_long;		/* ... had 1024 characters or more: the kernel refuses it */
	char pci_ids_key[16];		/* its key as written */
	struct bad_sel bad[BAD_KEPT];	/* the first nbadsel of them */
	bind_piece_fn piece_fn;		/* when set: called for every selector parsed */
	void *piece_data;
};

/* the command-line driver blacklists (dracut's two spellings are recognised too) */
enum {
	BL_KEY_MODPROBE = 1 << 0,	/* modprobe.blacklist= */
	BL_KEY_RD_DRIVER = 1 << 1,	/* rd.driver.blacklist= */
	BL_KEY_RDBLACKLIST = 1 << 2,	/* rdblacklist= */
};

void request_init(struct request *req);
void request_free(struct request *req);

/*
 * Parse one kernel command line (modified in place) into @req, reporting each bad token in
 * the log and going on with the rest. @origin names the source in messages.
 */
int cmdline_parse(struct request *req, char *line);

/* "id", "address", "guarded", "exclude" */
const char *sel_kind_name(enum sel_kind k);
/* @origin into @buf: its tail when it is too long; "" for NULL */
void origin_copy(char *buf, size_t size, const char *origin);

/* "modprobe.blacklist=" (the key that gave req->blacklist), or the keys: "a= b=: " */
const char *request_blacklist_keys(const struct request *req);

/*
 * Add one selector (duplicates and conflicts are reported); 0 or a negative errno. Its origin
 * is req->origin (NULL: the kernel command line).
 */
int request_add(struct request *req, const struct selector *sel);

struct vb_ctx;
/*
 * What `vfio-bind boot` reads, into @req: the configuration file and its .d/ *.conf (unless
 * vfio_bind.ignore_config is on the kernel command line), dracut's cmdline.d/ *.conf, then
 * /proc/cmdline. Their tokens add up; for settings the last one read wins.
 */
int cmdline_load(struct vb_ctx *ctx, struct request *req);
/* Only the kernel's part: cmdline.d/ *.conf, then /proc/cmdline. */
int cmdline_load_kernel(struct vb_ctx *ctx, struct request *req);
/*
 * Call @fn for each DIR/ *.conf the boot reads, in its order (name order, the first 64 names);
 * returns how many calls returned 0.
 */
int cmdline_conf_list(const char *dir, int (*fn)(const char *path, void *data), void *data);
/* Only the configuration: ctx->config, then ctx->config.d/ *.conf. Returns the number of
 * files read. */
int cmdline_load_config(struct vb_ctx *ctx, struct request *req);
/*
 * Parse one file of "KEY=VALUE" lines (# comments) into @req, each line under the origin
 * "PATH:LINE"; @config: only vfio-bind keys are allowed. -errno when it cannot be read.
 */
int cmdline_load_file(struct request *req, const char *path, bool config);
/* The same on the file's text (modified in place); @more: the file went on past @text. */
void cmdline_parse_file(struct request *req, const char *path, char *text, bool more,
			bool config);

/* Parse a single selector; returns 0 or a negative errno with *why set. */
int selector_parse(const char *text, struct selector *sel, const char **why);
int addr_parse(const char *s, struct pci_addr *addr, bool allow_slot);
/* Canonical form: "0000:01:00.0", "0000:01:00.*" */
void addr_format(const struct pci_addr *a, char *buf, size_t size);
/* "01:00.0", or "0001:01:00.0" outside domain 0: the short form users write */
void addr_short(const struct pci_addr *a, char *buf, size_t size);
/* @s, a one-function address, in canonical form in @name (for paths); -EINVAL otherwise */
int addr_canon(const char *s, char *name, size_t size);
void selector_format(const struct selector *s, char *buf, size_t size);
/* the same selector however it was spelled (case, default domain, BB:SS for BB:SS.*) */
bool selector_same(const struct selector *a, const struct selector *b);

/* exactly @len (1 to 8) hex digits of either case at @s; 0 or -EINVAL (*out untouched) */
/* the value of one hex digit of either case, or -1 */
int hex_digit(char c);
int hex_parse(const char *s, size_t len, unsigned long *out);

bool parameq(const char *a, const char *b);
/*
 * The kernel's next_arg() (lib/cmdline.c), also what parse_args() (kernel/params.c) splits a
 * module's option string with: one parameter of @args (modified in place) into @param and
 * @val (NULL without '='), the quotes dropped as the kernel drops them; returns the rest.
 * @end (may be NULL) gets the end of the token as written, before any byte of it is changed.
 */
char *next_arg(char *args, char **param, char **val, char **end);

#endif
