// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

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

struct json *json_parse_only(const char *text, char *err, size_t errsz)
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

/*
 * ---- The canonical form, and Python's json as a second reader ----
 *
 * Every text json_parse() accepts is also read by Python's json module
 * (another parser, written by other people), which writes it back in a
 * canonical form: json.dumps() with sorted keys, ASCII only (\uXXXX
 * escapes, lower-case) and no white space. json_canon() writes json.c's
 * tree in the same form; the two must be equal byte for byte. Integers
 * are compared as written (Python's are exact, of any size); other
 * numbers as Python's repr() of the double they are.
 */

/* What python3 -c runs: the text on stdin, the canonical form on stdout. */
static const char py_canon[] =
	"import sys, json\n"
	"def pairs(ps):\n"
	" d = {}\n"
	" for k, v in ps:\n"
	"  if k in d:\n"
	"   raise ValueError('duplicate member name %r' % k)\n"
	"  d[k] = v\n"
	" return d\n"
	"def constant(s):\n"
	" raise ValueError('%s is not JSON' % s)\n"
	"def utf8(v):\n"
	" if isinstance(v, str):\n"
	"  v.encode('utf-8')\n"
	" elif isinstance(v, list):\n"
	"  for e in v:\n"
	"   utf8(e)\n"
	" elif isinstance(v, dict):\n"
	"  for k, e in v.items():\n"
	"   utf8(k)\n"
	"   utf8(e)\n"
	"try:\n"
	" v = json.loads(sys.stdin.buffer.read().decode('utf-8'),\n"
	"                object_pairs_hook=pairs, parse_constant=constant)\n"
	" utf8(v)\n"
	" out = json.dumps(v, sort_keys=True, ensure_ascii=True,\n"
	"                  separators=(',', ':'), allow_nan=False)\n"
	"except (ValueError, RecursionError) as e:\n"
	" sys.stdout.write('%s: %s' % (type(e).__name__, e))\n"
	" sys.exit(1)\n"
	"sys.stdout.write(out)\n";

static void __attribute__((format(printf, 3, 4)))
set_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (!errsz)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* One code point of the UTF-8 at *@p, moving past it; -1 if invalid. */
static long utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned int n, i;
	long c, min;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 1, c = s[0] & 0x1f, min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 2, c = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 3, c = s[0] & 0x07, min = 0x10000;
	} else {
		return -1;
	}
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;	/* also at the terminating NUL */
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*p = s + n + 1;
	return c;
}

/* @s as json.dumps(ensure_ascii=True) writes it; -1 if not UTF-8. */
static int canon_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long c;

	fputc('"', f);
	while (*p) {
		c = utf8_next(&p);
		if (c < 0)
			return -1;
		switch (c) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				fputc(c, f);
			else if (c < 0x10000)
				fprintf(f, "\\u%04lx", c);
			else
				fprintf(f, "\\u%04lx\\u%04lx",
					0xd800 + ((c - 0x10000) >> 10),
					0xdc00 + ((c - 0x10000) & 0x3ff));
		}
	}
	fputc('"', f);
	return 0;
}

/*
 * @x as Python's repr() writes a float: the fewest digits that read back
 * as @x, in positional notation from 1e-4 up to 1e16 (with ".0" when
 * whole), in exponent notation ("1.5e-05", "1e+16") outside.
 */
static void canon_double(FILE *f, double x)
{
	char buf[40], digits[20], *p = buf;
	int prec, exp, nd, decpt, i;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	if (*p == '-') {
		fputc('-', f);
		p++;
	}
	for (nd = 0; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	decpt = exp + 1;
	if (decpt <= -4 || decpt > 16) {
		fprintf(f, "%c%s%s%c%c%02d", digits[0], nd > 1 ? "." : "",
			digits + 1, 'e', exp < 0 ? '-' : '+', abs(exp));
	} else if (decpt <= 0) {
		fputs("0.", f);
		for (i = decpt; i < 0; i++)
			fputc('0', f);
		fputs(digits, f);
	} else if (decpt >= nd) {
		fputs(digits, f);
		for (i = nd; i < decpt; i++)
			fputc('0', f);
		fputs(".0", f);
	} else {
		fprintf(f, "%.*s.%s", decpt, digits, digits + decpt);
	}
}

/* A number: an integer as written ("-0" is 0), else as a double. */
static int canon_number(FILE *f, const char *s)
{
	const char *d;
	double x;

	if (!strpbrk(s, ".eE")) {
		for (d = s + (*s == '-'); *d == '0'; d++)
			;
		fputs(*d ? s : "0", f);
		return 0;
	}
	x = strtod(s, NULL);
	if (!isfinite(x))
		return -1;	/* Python's json.dumps refuses it too */
	canon_double(f, x);
	return 0;
}

static int by_key(const void *a, const void *b)
{
	return strcmp((*(const struct json *const *)a)->key,
		      (*(const struct json *const *)b)->key);
}

static int canon_value(FILE *f, const struct json *j, char *err, size_t errsz)
{
	const struct json **members, *c;
	size_t i, n;
	int rc = 0;

	switch (j->type) {
	case JSON_NULL:
		fputs("null", f);
		return 0;
	case JSON_FALSE:
		fputs("false", f);
		return 0;
	case JSON_TRUE:
		fputs("true", f);
		return 0;
	case JSON_NUMBER:
		if (canon_number(f, j->str)) {
			set_err(err, errsz, "number %s out of range", j->str);
			return -1;
		}
		return 0;
	case JSON_STRING:
		if (canon_string(f, j->str)) {
			set_err(err, errsz, "a string is not UTF-8");
			return -1;
		}
		return 0;
	case JSON_ARRAY:
		fputc('[', f);
		for (c = j->child; c && !rc; c = c->next) {
			if (c != j->child)
				fputc(',', f);
			rc = canon_value(f, c, err, errsz);
		}
		fputc(']', f);
		return rc;
	case JSON_OBJECT:
		break;
	}
	members = calloc(j->len + 1, sizeof(*members));
	if (!members) {
		set_err(err, errsz, "out of memory");
		return -1;
	}
	for (n = 0, c = j->child; c; c = c->next)
		members[n++] = c;
	qsort(members, n, sizeof(*members), by_key);
	fputc('{', f);
	for (i = 0; i < n && !rc; i++) {
		if (i)
			fputc(',', f);
		rc = canon_string(f, members[i]->key);
		if (rc)
			set_err(err, errsz, "a member name is not UTF-8");
		else
			fputc(':', f), rc = canon_value(f, members[i], err,
							 errsz);
	}
	fputc('}', f);
	free(members);
	return rc;
}

int json_canon(const struct json *j, char **out, char *err, size_t errsz)
{
	size_t size;
	FILE *f;
	int rc;

	*out = NULL;
	f = open_memstream(out, &size);
	if (!f) {
		set_err(err, errsz, "open_memstream: %s", strerror(errno));
		return -1;
	}
	rc = canon_value(f, j, err, errsz);
	if (fclose(f)) {
		set_err(err, errsz, "open_memstream: %s", strerror(errno));
		rc = -1;
	}
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* python3 on PATH, into @path; 0, or -1 if there is none. */
static int find_python(char *path, size_t size)
{
	const char *env = getenv("PATH"), *p, *end;

	for (p = env ? env : ""; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		if (end == p)
			continue;
		snprintf(path, size, "%.*s/python3", (int)(end - p), p);
		if (!access(path, X_OK))
			return 0;
	}
	return -1;
}

int json_python_canon(const char *text, char **out, char *err, size_t errsz)
{
	size_t len = strlen(text), size = 0, cap = 4096;
	char py[4096], *buf;
	int in, pfd[2], st;
	ssize_t n;
	pid_t pid;

	*out = NULL;
	if (find_python(py, sizeof(py)))
		return 1;
	buf = malloc(cap);
	in = memfd_create("json", MFD_CLOEXEC);
	if (!buf || in < 0 || pipe2(pfd, O_CLOEXEC)) {
		set_err(err, errsz, "cannot run python3: %s", strerror(errno));
		if (in >= 0)
			close(in);
		free(buf);
		return -1;
	}
	for (size = 0; size < len; size += n) {
		n = write(in, text + size, len - size);
		if (n <= 0)
			break;
	}
	lseek(in, 0, SEEK_SET);
	pid = size == len ? fork() : -1;
	if (pid == 0) {
		dup2(in, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		execl(py, "python3", "-I", "-S", "-B", "-c", py_canon,
		      (char *)NULL);
		_exit(127);
	}
	close(in);
	close(pfd[1]);
	for (size = 0; pid > 0;) {
		if (size + 1 == cap) {
			char *more = realloc(buf, cap *= 2);

			if (!more)
				break;
			buf = more;
		}
		n = read(pfd[0], buf + size, cap - size - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size += n;
	}
	buf[size] = '\0';
	close(pfd[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		set_err(err, errsz, "cannot run python3: %s", strerror(errno));
		free(buf);
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		while (size && buf[size - 1] == '\n')
			buf[--size] = '\0';
		set_err(err, errsz, "python3 %s: %s",
			WIFEXITED(st) ? "refuses it" : "was killed",
			size > 200 ? buf + size - 200 : buf);
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

int json_check(const char *text, const struct json *j, char *err,
	       size_t errsz)
{
	char *ours = NULL, *theirs = NULL, why[256];
	size_t i;
	int rc;

	rc = json_python_canon(text, &theirs, why, sizeof(why));
	if (rc > 0) {
		printf("# SKIP the independent JSON check (Python's json): no python3 on PATH; json.c alone read this text\n");
		fflush(stdout);
		return 1;
	}
	if (rc < 0) {
		set_err(err, errsz, "Python's json: %s", why);
		return -1;
	}
	if (json_canon(j, &ours, why, sizeof(why))) {
		set_err(err, errsz, "json.c's canonical form: %s", why);
		free(theirs);
		return -1;
	}
	for (i = 0; ours[i] && ours[i] == theirs[i]; i++)
		;
	if (ours[i] || theirs[i]) {
		set_err(err, errsz,
			"json.c and Python's json read it differently: at offset %zu of the canonical form, json.c has '%.40s', Python '%.40s'",
			i, ours + i, theirs + i);
		rc = -1;
	}
	free(ours);
	free(theirs);
	return rc;
}

struct json *json_parse(const char *text, char *err, size_t errsz)
{
	struct json *j = json_parse_only(text, err, errsz);

	if (j && json_check(text, j, err, errsz) < 0) {
		json_free(j);
		return NULL;
	}
	return j;
}
