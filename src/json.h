/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_JSON_H
#define VB_JSON_H

#include <stdbool.h>
#include <stdio.h>

/* A JSON string; a byte that is not part of UTF-8 becomes the code point of its value. */
void json_str(FILE *f, const char *str);
/* The same, or null for "" */
void json_str_or_null(FILE *f, const char *str);
/* On stdout: ,"name":"str" or ,"name":null for NULL or "" */
void json_field(const char *name, const char *str);
/* On stdout: ,"name":v or ,"name":null for a negative v */
void json_int_field(const char *name, int v);
struct selector;
struct request;
/* ,"kind":"id","origin":"FILE:LINE" (null: the kernel command line) */
void json_sel_origin(FILE *f, const struct selector *s);
/* ,"bad_selectors":[{"selector":...,"origin":...,"why":...}] (the first BAD_KEPT) */
void json_bad_selectors(FILE *f, const struct request *req);
/*
 * Is @s one JSON object as json_str() and printf write them: strings without raw control
 * bytes, brackets that pair up, nothing after the closing brace but blanks? Not a full parser:
 * enough to embed a file vfio-bind wrote (the boot's record) without breaking the output.
 */
bool json_object_sane(const char *s);

#endif
