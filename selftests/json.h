/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small, strict JSON reader (RFC 8259) for checking what nstree -J
 * prints: the whole text must be one value, with nothing but white space
 * around it; duplicate member names are refused. json_parse() has every
 * text read a second time by an independent parser, Python's json module,
 * and refuses it unless both read the same thing (json_check()).
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
 * Parse @text with json.c, then json_check() it. Returns the value, or
 * NULL with a message in @err (@errsz bytes): json.c's names the offset
 * of the problem. Without a python3 on PATH, json_check() prints a
 * "# SKIP" line, and json.c's reading alone counts.
 */
struct json *json_parse(const char *text, char *err, size_t errsz);
/* json.c alone. */
struct json *json_parse_only(const char *text, char *err, size_t errsz);

/*
 * The independent check of json.c's reading @j of @text: python3's json
 * module must accept @text strictly (UTF-8, no NaN or Infinity, no
 * duplicate member name, no lone surrogate) and write the same canonical
 * form as json_canon(@j). 0 when it does; -1 with a message in @err when
 * not; 1 (and a "# SKIP" line on stdout) when there is no python3.
 */
int json_check(const char *text, const struct json *j, char *err,
	       size_t errsz);

/*
 * The canonical form, as Python's json.dumps(sort_keys=True,
 * ensure_ascii=True, separators=(",", ":")) writes it: of @j by json.c
 * (0, or -1 with a message when a string is not UTF-8 or a number
 * overflows a double); of @text by python3 (0; -1 when python3 refuses
 * it, its message in @err; 1 when there is no python3). *@out: malloc'd.
 */
int json_canon(const struct json *j, char **out, char *err, size_t errsz);
int json_python_canon(const char *text, char **out, char *err, size_t errsz);
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
