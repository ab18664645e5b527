// SPDX-License-Identifier: GPL-2.0
/*
 * A libsmartcols table printed the way libsmartcols 2.38 prints it, where
 * the layout has nothing to decide: human output (not JSON, raw or export)
 * that is not for a terminal, so no column is cut to fit, and cells of
 * printable ASCII only, so no cell is escaped and a width is a length.
 *
 * Why not scols_print_table() there: it measures every cell with mbrtowc()
 * and wcwidth(), a character at a time, with noencoding too, and writes
 * each padding space with its own fputs(). Under callgrind that was 77 %
 * of the instructions of `nstree ps` over 5,000 processes (nstree builds
 * the table, this prints it: Documentation/benchmarks.rst). The output is
 * libsmartcols' byte for byte, which user/tests/plain_test.c checks on
 * random tables against scols_print_table() itself:
 *
 * - a column is as wide as its widest cell, and at least as its header
 *   (and 1); one whose widest cell is no narrower than its header but
 *   narrower than its width hint, if that is 1 or more, is widened to the
 *   hint;
 * - a tree column's cell begins with the tree's lines, two columns wide
 *   a level: for each ancestor below the root, a vertical line or, after
 *   a last child, blanks; then a branch, or a corner for a last child;
 * - a cell is padded with spaces, before the text when the column is
 *   right-aligned; the last column is not padded unless right-aligned;
 * - the separator between columns; every line, the header's too, ends
 *   in a newline; with no line, nothing is printed at all.
 *
 * Anything else (a title, colours, hidden, wrapped or strict columns, a
 * line separator or padding of its own) is left to libsmartcols. nstree
 * makes no line groups and sets no symbols but the UTF-8 lines that are
 * libsmartcols' own defaults (table.c), so the lines are told from the
 * table's ASCII flag and the locale, as libsmartcols picks its defaults.
 */
#include <langinfo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plain.h"

/* A line in print order, with its place in the tree. */
struct plain_line {
	struct libscols_line *ln;
	size_t at;		/* its index + 1 in a store; 0: none */
	size_t depth;		/* 0 for a root */
	int last;		/* the last child of its parent */
};

struct plain_col {
	size_t width;
	int right;
	int tree;
};

/* The output, written in large pieces. */
struct plain_out {
	FILE *f;
	char *buf;
	size_t len, size;
};

#define PLAIN_FLUSH	(64 * 1024)

/*
 * Room for @n more bytes: 0; -1 when out of memory; 1 when writing what
 * was there failed. That leaves the stream's error flag set, as a failed
 * write in libsmartcols' own printing would: nst_close_stdout() reports
 * it, once.
 */
static int out_room(struct plain_out *o, size_t n)
{
	char *p;

	if (o->len + n <= o->size)
		return 0;
	if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
		return 1;
	o->len = 0;
	if (n <= o->size)
		return 0;
	p = realloc(o->buf, n);
	if (!p)
		return -1;
	o->buf = p;
	o->size = n;
	return 0;
}

static void out_put(struct plain_out *o, const char *s, size_t n)
{
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_pad(struct plain_out *o, size_t n)
{
	memset(o->buf + o->len, ' ', n);
	o->len += n;
}

int nst_plain_possible(struct libscols_table *tb)
{
	const char *colsep = scols_table_get_column_separator(tb);
	const char *linesep = scols_table_get_line_separator(tb);
	const char *dbg = getenv("LIBSMARTCOLS_DEBUG_PADDING");
	struct libscols_cell *title = scols_table_get_title(tb);
	size_t i, n = scols_table_get_ncols(tb);
	int force = scols_table_get_termforce(tb);

	if (!n || scols_table_is_json(tb) || scols_table_is_raw(tb) ||
	    scols_table_is_export(tb) || scols_table_is_shellvar(tb) ||
	    scols_table_is_maxout(tb) || scols_table_is_minout(tb) ||
	    scols_table_is_nolinesep(tb) || scols_table_colors_wanted(tb))
		return 0;
	/* Where libsmartcols would fit the table to a terminal's width. */
	if (force == SCOLS_TERMFORCE_ALWAYS ||
	    (force != SCOLS_TERMFORCE_NEVER && isatty(STDOUT_FILENO)))
		return 0;
	if ((title && scols_cell_get_data(title)) ||
	    (linesep && strcmp(linesep, "\n")) ||
	    (dbg && (!strcmp(dbg, "on") || !strcmp(dbg, "1"))))
		return 0;
	if (colsep)
		for (; *colsep; colsep++)
			if (*colsep < 0x20 || *colsep >= 0x7f || *colsep == '\\')
				return 0;
	for (i = 0; i < n; i++) {
		struct libscols_column *cl = scols_table_get_column(tb, i);

		if (scols_column_is_hidden(cl) || scols_column_is_wrap(cl) ||
		    scols_column_is_customwrap(cl) ||
		    scols_column_is_strict_width(cl) ||
		    scols_column_is_noextremes(cl) ||
		    scols_column_get_color(cl) ||
		    !scols_column_get_name(cl))
			return 0;
	}
	return 1;
}

/*
 * The length of @s if every byte of it is printable ASCII and no
 * backslash (libsmartcols would escape it), else -1.
 */
static long plain_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!p)
		return 0;
	for (; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			return -1;
	return (const char *)p - s;
}

/*
 * Every line in print order: the table's order, or, for a tree, each
 * root in the table's order followed by its subtree, depth first, with
 * a stack rather than recursion (a chain of processes can be 30,000
 * deep). Returns the number of lines, or -1 when out of memory.
 */
static long plain_order(struct libscols_table *tb, struct plain_line *v,
			size_t n)
{
	struct libscols_iter *itr = scols_new_iter(SCOLS_ITER_FORWARD);
	struct libscols_line **path = NULL, **pending = NULL, *ln, *c;
	struct libscols_iter **kids = NULL;
	size_t k = 0, depth, nkids = 0;
	long ret = -1;

	if (!itr)
		return -1;
	if (!scols_table_is_tree(tb)) {
		while (k < n && !scols_table_next_line(tb, itr, &ln))
			v[k++] = (struct plain_line){ .ln = ln };
		ret = k;
		goto out;
	}
	path = calloc(n + 1, sizeof(*path));
	pending = calloc(n + 1, sizeof(*pending));
	kids = calloc(n + 1, sizeof(*kids));
	if (!path || !pending || !kids)
		goto out;
	while (k < n && !scols_table_next_line(tb, itr, &ln)) {
		if (scols_line_get_parent(ln))
			continue;
		v[k++] = (struct plain_line){ .ln = ln };
		path[0] = ln;
		depth = 0;
		while (k < n) {
			if (scols_line_has_children(path[depth])) {
				/* Down to the first child. */
				if (depth + 1 > n)
					break;
				if (depth + 1 > nkids) {
					kids[depth + 1] = scols_new_iter(SCOLS_ITER_FORWARD);
					if (!kids[depth + 1])
						goto out;
					nkids = depth + 1;
				}
				scols_reset_iter(kids[depth + 1], SCOLS_ITER_FORWARD);
				if (scols_line_next_child(path[depth],
							  kids[depth + 1], &c))
					break;
				depth++;
			} else {
				/* Up to the nearest next sibling. */
				while (depth && !pending[depth])
					depth--;
				if (!depth)
					break;
				c = pending[depth];
			}
			if (scols_line_next_child(path[depth - 1], kids[depth],
						  &pending[depth]))
				pending[depth] = NULL;
			path[depth] = c;
			v[k++] = (struct plain_line){ .ln = c, .depth = depth,
						      .last = !pending[depth] };
		}
	}
	ret = k;
out:
	if (kids)
		for (depth = 1; depth <= nkids; depth++)
			scols_free_iter(kids[depth]);
	free(kids);
	free(pending);
	free(path);
	scols_free_iter(itr);
	return ret;
}

/*
 * A cell in a store, measured once, when it is set: printing it needs
 * neither strlen() nor another look at every byte.
 */
struct store_cell {
	size_t off;		/* 1 + its offset in the text; 0: no cell */
	long len;		/* its length; -1 when it is not plain */
};

struct nst_plain_store {
	size_t ncols;
	struct store_cell *cells;	/* ncols a line */
	size_t nlines, cap;
	char *text;
	size_t len, size;
};

struct nst_plain_store *nst_plain_store_new(size_t ncols)
{
	struct nst_plain_store *st = calloc(1, sizeof(*st));

	if (st)
		st->ncols = ncols;
	return st;
}

void nst_plain_store_free(struct nst_plain_store *st)
{
	if (!st)
		return;
	free(st->cells);
	free(st->text);
	free(st);
}

/* The line's index + 1 in its userdata: 0 before its first cell. */
static size_t store_line(struct libscols_line *ln)
{
	return (size_t)(uintptr_t)scols_line_get_userdata(ln);
}

int nst_plain_store_set(struct nst_plain_store *st, struct libscols_line *ln,
			size_t col, const char *data)
{
	size_t at = store_line(ln), len;
	long plain = plain_len(data);
	struct store_cell *c;

	len = (plain < 0 ? strlen(data) : (size_t)plain) + 1;
	if (col >= st->ncols)
		return -1;
	if (!at) {
		if (st->nlines == st->cap) {
			size_t cap = st->cap ? 2 * st->cap : 256;
			struct store_cell *p;

			p = reallocarray(st->cells, cap * st->ncols, sizeof(*p));
			if (!p)
				return -1;
			st->cells = p;
			st->cap = cap;
		}
		memset(st->cells + st->nlines * st->ncols, 0,
		       st->ncols * sizeof(*st->cells));
		at = ++st->nlines;
		if (scols_line_set_userdata(ln, (void *)(uintptr_t)at))
			return -1;
	}
	if (st->len + len > st->size) {
		size_t size = st->size ? 2 * st->size : 64 * 1024;
		char *p;

		while (size < st->len + len)
			size *= 2;
		p = realloc(st->text, size);
		if (!p)
			return -1;
		st->text = p;
		st->size = size;
	}
	memcpy(st->text + st->len, data, len);
	c = &st->cells[(at - 1) * st->ncols + col];
	c->off = st->len + 1;
	c->len = plain;
	st->len += len;
	return 0;
}

/* Cell @col of the line at @at (its index + 1), NULL where it has none. */
static const struct store_cell *store_cell(const struct nst_plain_store *st,
					   size_t at, size_t col)
{
	const struct store_cell *c;

	if (!at || col >= st->ncols)
		return NULL;
	c = &st->cells[(at - 1) * st->ncols + col];
	return c->off ? c : NULL;
}

const char *nst_plain_store_get(const struct nst_plain_store *st,
				struct libscols_line *ln, size_t col)
{
	const struct store_cell *c = store_cell(st, store_line(ln), col);

	return c ? st->text + c->off - 1 : NULL;
}

int nst_plain_store_move(struct nst_plain_store *st, struct libscols_table *tb)
{
	struct libscols_iter *itr = scols_new_iter(SCOLS_ITER_FORWARD);
	struct libscols_line *ln;
	const char *data;
	size_t col;
	int rc = itr ? 0 : -1;

	while (!rc && !scols_table_next_line(tb, itr, &ln)) {
		for (col = 0; !rc && col < st->ncols; col++) {
			data = nst_plain_store_get(st, ln, col);
			if (data)
				rc = scols_line_set_data(ln, col, data);
		}
		scols_line_set_userdata(ln, NULL);
	}
	scols_free_iter(itr);
	return rc ? -1 : 0;
}

/* Line @v's cell @i: its text (NULL: none) and, in @len, its plain length. */
static const char *cell_data(const struct nst_plain_store *st,
			     const struct plain_line *v, size_t i, long *len)
{
	const struct store_cell *c;
	const char *data;

	if (!st) {
		data = scols_cell_get_data(scols_line_get_cell(v->ln, i));
		*len = plain_len(data);
		return data;
	}
	c = store_cell(st, v->at, i);
	if (!c) {
		*len = 0;
		return NULL;
	}
	*len = c->len;
	return st->text + c->off - 1;
}

/* The widths, as libsmartcols counts them; -1 if a cell is not plain. */
static int plain_widths(struct libscols_table *tb,
			const struct nst_plain_store *st,
			const struct plain_line *v, size_t nl,
			struct plain_col *cols, size_t nc)
{
	size_t i, j;

	for (j = 0; j < nc; j++) {
		struct libscols_column *cl = scols_table_get_column(tb, j);

		cols[j].right = scols_column_is_right(cl);
		cols[j].tree = scols_column_is_tree(cl);
		cols[j].width = 0;
	}
	for (i = 0; i < nl; i++) {
		for (j = 0; j < nc; j++) {
			long len;

			cell_data(st, &v[i], j, &len);
			if (len < 0)
				return -1;
			if (cols[j].tree)
				len += 2 * v[i].depth;
			if ((size_t)len > cols[j].width)
				cols[j].width = len;
		}
	}
	for (j = 0; j < nc; j++) {
		struct libscols_column *cl = scols_table_get_column(tb, j);
		long hlen = plain_len(scols_column_get_name(cl));
		double whint = scols_column_get_whint(cl);
		size_t min;

		if (hlen < 0)
			return -1;
		min = hlen ? hlen : 1;
		if (cols[j].width < min)
			cols[j].width = min;
		else if (whint >= 1 && cols[j].width < (size_t)whint)
			cols[j].width = whint;
	}
	return 0;
}

/* One cell: @art (a tree's lines, @artw columns wide) and @data. */
static void plain_cell(struct plain_out *o, const struct plain_col *col,
		       int is_last, const char *sep, size_t seplen,
		       const char *art, size_t artlen, size_t artw,
		       const char *data, size_t len)
{
	size_t w = artw + len;
	size_t pad = col->width > w ? col->width - w : 0;

	/* libsmartcols leaves an empty last cell out, right-aligned too. */
	if (col->right && (w || !is_last))
		out_pad(o, pad);
	out_put(o, art, artlen);
	out_put(o, data, len);
	if (!col->right && !is_last)
		out_pad(o, pad);
	if (!is_last)
		out_put(o, sep, seplen);
}

int nst_plain_print(struct libscols_table *tb, const struct nst_plain_store *st,
		    FILE *out)
{
	int ascii = scols_table_is_ascii(tb) ||
		    strcmp(nl_langinfo(CODESET), "UTF-8");
	const char *vert = ascii ? "| " : "\u2502 ";
	const char *branch = ascii ? "|-" : "\u251c\u2500";
	const char *corner = ascii ? "`-" : "\u2514\u2500";
	const char *sep = scols_table_get_column_separator(tb);
	size_t nl = scols_table_get_nlines(tb), nc, i, j, seplen, linelen;
	size_t symlen = strlen(branch), vertlen = strlen(vert), artcap = 0;
	size_t ntree = 0;
	struct plain_out o = { .f = out };
	struct plain_line *v = NULL;
	struct plain_col *cols = NULL;
	size_t *off = NULL;
	char *art = NULL;
	long n;
	int ret = -1, rc;

	if (!nst_plain_possible(tb) || !nl)
		return NST_PLAIN_LAYOUT;
	nc = scols_table_get_ncols(tb);
	if (!sep)
		sep = " ";
	seplen = strlen(sep);
	v = malloc(nl * sizeof(*v));
	cols = malloc(nc * sizeof(*cols));
	/* Where each level's part of the tree's lines starts, in bytes. */
	off = calloc(nl + 2, sizeof(*off));
	if (!v || !cols || !off)
		goto out;
	n = plain_order(tb, v, nl);
	if (n < 0)
		goto out;
	for (i = 0; st && i < (size_t)n; i++)
		v[i].at = store_line(v[i].ln);
	if (plain_widths(tb, st, v, n, cols, nc)) {
		ret = NST_PLAIN_NOT_ASCII;
		goto out;
	}
	/* A line's bytes, but for its tree's lines (more bytes than columns). */
	linelen = 1;
	for (j = 0; j < nc; j++) {
		linelen += cols[j].width + seplen;
		ntree += cols[j].tree;
	}
	if (!scols_table_is_noheadings(tb)) {
		rc = out_room(&o, PLAIN_FLUSH + linelen);
		if (rc)
			goto written;
		for (j = 0; j < nc; j++) {
			const char *name = scols_column_get_name(
				scols_table_get_column(tb, j));

			plain_cell(&o, &cols[j], j + 1 == nc, sep, seplen,
				   NULL, 0, 0, name, strlen(name));
		}
		out_put(&o, "\n", 1);
	}
	for (i = 0; i < (size_t)n; i++) {
		size_t d = v[i].depth, artlen = 0;

		/*
		 * A child's lines: its ancestors' parts, as the lines before
		 * left them (every line between was deeper), then its own.
		 */
		if (d) {
			artlen = off[d] + symlen;
			if (artlen + vertlen > artcap) {
				char *p = realloc(art, 2 * (artlen + vertlen));

				if (!p)
					goto out;
				art = p;
				artcap = 2 * (artlen + vertlen);
			}
			memcpy(art + off[d], v[i].last ? corner : branch,
			       symlen);
		}
		rc = out_room(&o, linelen + ntree * artlen);
		if (rc)
			goto written;
		for (j = 0; j < nc; j++) {
			int t = cols[j].tree && d;
			long len;
			const char *data = cell_data(st, &v[i], j, &len);

			plain_cell(&o, &cols[j], j + 1 == nc, sep, seplen,
				   t ? art : NULL, t ? artlen : 0, t ? 2 * d : 0,
				   data, len);
		}
		out_put(&o, "\n", 1);
		/* This line's part in its children's lines. */
		if (d && v[i].last) {
			memcpy(art + off[d], "  ", 2);
			off[d + 1] = off[d] + 2;
		} else if (d) {
			memcpy(art + off[d], vert, vertlen);
			off[d + 1] = off[d] + vertlen;
		}
	}
	/* A failed write: as out_room() says, @out's error flag tells. */
	rc = o.len && fwrite(o.buf, 1, o.len, out) != o.len;
written:
	ret = rc < 0 ? -1 : NST_PLAIN_PRINTED;
out:
	free(o.buf);
	free(art);
	free(off);
	free(cols);
	free(v);
	return ret;
}
