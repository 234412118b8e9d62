// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device names for list, from pci.ids as pciutils and hwdata install it: a vendor line
 * "VVVV  Name", its devices "\tDDDD  Name" (subsystems "\t\t..." and the classes at the end,
 * "C CC  Name", are not needed). One pass over the file, however many devices.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pciids.h"
#include "sysfs.h"

/* "VVVV  Name": the ID, and the name without its newline; -1 when the line is not that */
static long id_and_name(char *s, char **name)
{
	unsigned long v;
	size_t n;

	if (hex_parse(s, 4, &v) < 0 || s[4] != ' ' || s[5] != ' ')
		return -1;
	*name = s + 6;
	n = strcspn(*name, "\r\n");
	(*name)[n] = '\0';
	return (long)v;
}

static FILE *open_db(const struct vb_ctx *ctx)
{
	static const char *const where[] = { "/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids" };
	const char *env = getenv("VFIO_BIND_PCI_IDS");
	char path[PATH_MAX];
	FILE *f = NULL;
	size_t i;

	if (env && *env)
		return fopen(env, "re");
	for (i = 0; i < sizeof(where) / sizeof(*where) && !f; i++)
		if (path_fmt(path, sizeof(path), "%s%s", strcmp(ctx->root, "/") ? ctx->root : "",
			     where[i]) >= 0)
			f = fopen(path, "re");
	return f;
}

int pciids_names(const struct vb_ctx *ctx, const struct pci_list *list,
		 char (*names)[PCIIDS_NAME_MAX])
{
	char line[512], vname[PCIIDS_NAME_MAX], *name;
	long vendor = -1, id;
	bool wanted = false;
	FILE *f;
	size_t i;

	for (i = 0; i < list->n; i++)
		names[i][0] = '\0';
	f = open_db(ctx);
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == 'C' && line[1] == ' ')
			break;
		if (line[0] != '\t') {
			vendor = id_and_name(line, &name);
			wanted = false;
			for (i = 0; vendor >= 0 && i < list->n; i++)
				wanted |= list->dev[i].id.vendor == vendor;
			if (wanted)
				snprintf(vname, sizeof(vname), "%s", name);
			continue;
		}
		if (!wanted || line[1] == '\t' || (id = id_and_name(line + 1, &name)) < 0)
			continue;
		for (i = 0; i < list->n; i++)
			if (list->dev[i].id.vendor == vendor && list->dev[i].id.device == id)
				snprintf(names[i], PCIIDS_NAME_MAX, "%s %s", vname, name);
	}
	fclose(f);
	return 0;
}
