// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* Deeper than any process tree the tests build (32 namespaces, 5 each). */
#define JSON_MAX_DEPTH 1024

struct reader {
	const char *text;
	const char *p;
	char *err;
	size_t errsz;
	int failed;
};

static void fail(struct reader *r, const char *what)
{
	if (!r->failed)
		snprintf(r->err, r->errsz, "offset %zu: %s",
			 (size_t)(r->p - r->text), what);
	r->failed = 1;
}

static void skip_ws(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
		r->p++;
}

static struct json *new_node(struct reader *r, enum json_type type)
{
	struct json *j = calloc(1, sizeof(*j));

	if (!j)
		fail(r, "out of memory");
	else
		j->type = type;
	return j;
}

static int hex4(const char *p, unsigned int *v)
{
	unsigned int i, d;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

static size_t put_utf8(char *out, unsigned int c)
{
	if (c < 0x80) {
		out[0] = c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = 0xc0 | c >> 6;
		out[1] = 0x80 | (c & 0x3f);
		return 2;
	}
	if (c < 0x10000) {
		out[0] = 0xe0 | c >> 12;
		out[1] = 0x80 | (c >> 6 & 0x3f);
		out[2] = 0x80 | (c & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | c >> 18;
	out[1] = 0x80 | (c >> 12 & 0x3f);
	out[2] = 0x80 | (c >> 6 & 0x3f);
	out[3] = 0x80 | (c & 0x3f);
	return 4;
}

/* \uXXXX at r->p (after the backslash and 'u'), a surrogate pair whole. */
static int read_u_escape(struct reader *r, unsigned int *c)
{
	unsigned int lo;

	if (hex4(r->p, c))
		return -1;
	r->p += 4;
	if (*c >= 0xdc00 && *c <= 0xdfff)
		return -1;	/* a low surrogate alone */
	if (*c < 0xd800 || *c > 0xdbff)
		return 0;
	if (r->p[0] != '\\' || r->p[1] != 'u' || hex4(r->p + 2, &lo) ||
	    lo < 0xdc00 || lo > 0xdfff)
		return -1;
	r->p += 6;
	*c = 0x10000 + ((*c - 0xd800) << 10) + (lo - 0xdc00);
	return 0;
}

/* A string at r->p (its opening quote), decoded into a new buffer. */
static char *read_string(struct reader *r)
{
	const char *start = ++r->p;
	char *out, *o;
	unsigned int c;

	/* Decoding never makes a string longer than its source. */
	while (*r->p && *r->p != '"')
		r->p += *r->p == '\\' && r->p[1] ? 2 : 1;
	if (*r->p != '"') {
		fail(r, "unterminated string");
		return NULL;
	}
	out = o = malloc(r->p - start + 1);
	if (!out) {
		fail(r, "out of memory");
		return NULL;
	}
	for (r->p = start; *r->p != '"';) {
		unsigned char ch = *r->p;

		if (ch < 0x20) {
			fail(r, "control character in a string");
			free(out);
			return NULL;
		}
		if (ch != '\\') {
			*o++ = *r->p++;
			continue;
		}
		r->p++;
		switch (*r->p++) {
		case '"':  *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/':  *o++ = '/'; break;
		case 'b':  *o++ = '\b'; break;
		case 'f':  *o++ = '\f'; break;
		case 'n':  *o++ = '\n'; break;
		case 'r':  *o++ = '\r'; break;
		case 't':  *o++ = '\t'; break;
		case 'u':
			if (read_u_escape(r, &c) || c == 0) {
				fail(r, "bad \\u escape");
				free(out);
				return NULL;
			}
			o += put_utf8(o, c);
			break;
		default:
			r->p--;
			fail(r, "bad escape");
			free(out);
			return NULL;
		}
	}
	r->p++;
	*o = '\0';
	return out;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void read_number(struct reader *r, struct json *j)
{
	const char *start = r->p;
	int integer = 1;

	if (*r->p == '-')
		r->p++;
	if (*r->p == '0')
		r->p++;
	else if (is_digit(*r->p))
		while (is_digit(*r->p))
			r->p++;
	else
		goto bad;
	if (*r->p == '.') {
		integer = 0;
		if (!is_digit(*++r->p))
			goto bad;
		while (is_digit(*r->p))
			r->p++;
	}
	if (*r->p == 'e' || *r->p == 'E') {
		integer = 0;
		r->p++;
		if (*r->p == '+' || *r->p == '-')
			r->p++;
		if (!is_digit(*r->p))
			goto bad;
		while (is_digit(*r->p))
			r->p++;
	}
	j->str = strndup(start, r->p - start);
	if (!j->str) {
		fail(r, "out of memory");
		return;
	}
	if (integer && *start != '-') {
		errno = 0;
		j->uint = strtoull(start, NULL, 10);
		j->is_uint = !errno;
	}
	return;
bad:
	fail(r, "bad number");
}

static struct json *read_value(struct reader *r, int depth);

/* Members or elements, up to @close; objects have names. */
static void read_children(struct reader *r, struct json *j, char close,
			  int depth)
{
	struct json **tail = &j->child, *c;
	const struct json *o;
	char *key = NULL;

	r->p++;
	skip_ws(r);
	if (*r->p == close) {
		r->p++;
		return;
	}
	for (;;) {
		skip_ws(r);
		if (close == '}') {
			if (*r->p != '"') {
				fail(r, "a member name expected");
				return;
			}
			key = read_string(r);
			if (!key)
				return;
			for (o = j->child; o; o = o->next)
				if (!strcmp(o->key, key))
					break;
			skip_ws(r);
			if (o || *r->p != ':') {
				fail(r, o ? "duplicate member name" :
					"':' expected");
				free(key);
				return;
			}
			r->p++;
		}
		c = read_value(r, depth + 1);
		if (!c) {
			free(key);
			return;
		}
		c->key = key;
		key = NULL;
		*tail = c;
		tail = &c->next;
		j->len++;
		skip_ws(r);
		if (*r->p == close) {
			r->p++;
			return;
		}
		if (*r->p != ',') {
			fail(r, "',' or the end expected");
			return;
		}
		r->p++;
	}
}

static struct json *read_value(struct reader *r, int depth)
{
	static const struct {
		const char *word;
		enum json_type type;
	} words[] = {
		{ "null", JSON_NULL }, { "true", JSON_TRUE },
		{ "false", JSON_FALSE },
	};
	struct json *j = NULL;
	size_t i;

	skip_ws(r);
	if (depth > JSON_MAX_DEPTH) {
		fail(r, "nested too deep");
		return NULL;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i].word);

		if (!strncmp(r->p, words[i].word, n)) {
			r->p += n;
			return new_node(r, words[i].type);
		}
	}
	switch (*r->p) {
	case '{':
	case '[':
		j = new_node(r, *r->p == '{' ? JSON_OBJECT : JSON_ARRAY);
		if (j)
			read_children(r, j, *r->p == '{' ? '}' : ']', depth);
		break;
	case '"':
		j = new_node(r, JSON_STRING);
		if (j)
			j->str = read_string(r);
		break;
	default:
		j = new_node(r, JSON_NUMBER);
		if (j)
			read_number(r, j);
	}
	if (r->failed) {
		json_free(j);
		return NULL;
	}
	return j;
}

struct json *json_parse(const char *text, char *err, size_t errsz)
{
	struct reader r = { .text = text, .p = text, .err = err,
			    .errsz = errsz };
	struct json *j;

	if (errsz)
		err[0] = '\0';
	j = read_value(&r, 0);
	if (!j)
		return NULL;
	skip_ws(&r);
	if (*r.p) {
		fail(&r, "text after the value");
		json_free(j);
		return NULL;
	}
	return j;
}

void json_free(struct json *j)
{
	struct json *c, *next;

	if (!j)
		return;
	for (c = j->child; c; c = next) {
		next = c->next;
		json_free(c);
	}
	free(j->key);
	free(j->str);
	free(j);
}

const struct json *json_get(const struct json *j, const char *key)
{
	const struct json *c;

	if (!j || j->type != JSON_OBJECT)
		return NULL;
	for (c = j->child; c; c = c->next)
		if (!strcmp(c->key, key))
			return c;
	return NULL;
}

const struct json *json_at(const struct json *j, size_t i)
{
	const struct json *c;

	if (!j || j->type != JSON_ARRAY)
		return NULL;
	for (c = j->child; c && i; c = c->next)
		i--;
	return c;
}

int json_is_uint(const struct json *j, unsigned long long v)
{
	return j && j->type == JSON_NUMBER && j->is_uint && j->uint == v;
}

int json_is_str(const struct json *j, const char *s)
{
	return j && j->type == JSON_STRING && !strcmp(j->str, s);
}
