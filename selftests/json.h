/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small, strict JSON reader (RFC 8259) for checking what nstree -J
 * prints: the whole text must be one value, with nothing but white space
 * around it; duplicate member names are refused.
 */
#ifndef NSTREE_SELFTEST_JSON_H
#define NSTREE_SELFTEST_JSON_H

#include <stddef.h>

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	char *key;		/* the member's name, in an object */
	char *str;		/* a string, decoded; a number, as written */
	int is_uint;		/* a number that is an integer in [0, 2^64) */
	unsigned long long uint;
	struct json *child;	/* first element or member */
	struct json *next;	/* next sibling */
	size_t len;		/* elements or members */
};

/*
 * Parse @text. Returns the value, or NULL with a message that names the
 * offset of the problem in @err (@errsz bytes).
 */
struct json *json_parse(const char *text, char *err, size_t errsz);
void json_free(struct json *j);

/* The member @key of object @j, or NULL (also when @j is no object). */
const struct json *json_get(const struct json *j, const char *key);

/* Element @i of array @j, or NULL. */
const struct json *json_at(const struct json *j, size_t i);

/* Is @j the non-negative integer @v? */
int json_is_uint(const struct json *j, unsigned long long v);

/* Is @j the string @s? */
int json_is_str(const struct json *j, const char *s);

#endif /* NSTREE_SELFTEST_JSON_H */
