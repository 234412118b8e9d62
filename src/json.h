/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VB_JSON_H
#define VB_JSON_H

/* A JSON string; a byte that is not part of UTF-8 becomes the code point of its value. */
void json_str(const char *str);
/* ,"name":"str" or ,"name":null for NULL or "" */
void json_field(const char *name, const char *str);
/* ,"name":v or ,"name":null for a negative v */
void json_int_field(const char *name, int v);

#endif
