// SPDX-License-Identifier: GPL-2.0
#include <err.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "table.h"
#include "util.h"

/* The letter of option @name in @opts: 0 if none, -1 if no such option. */
static int out_letter(const struct nst_opts *opts, const char *name)
{
	const struct option *o;

	for (o = opts->longopts; o->name; o++)
		if (!strcmp(o->name, name))
			return o->val > 0 && o->val < 128 ? o->val : 0;
	return -1;
}

/* " -J, --json <arg>   help", or "     --json ..." without a letter. */
static void out_help(FILE *out, const struct nst_opts *opts, const char *name,
		     const char *arg, const char *help)
{
	int letter = out_letter(opts, name);
	char left[40];

	if (letter < 0)
		return;
	snprintf(left, sizeof(left), "--%s%s", name, arg);
	if (letter)
		fprintf(out, " -%c, %-18s %s\n", letter, left, help);
	else
		fprintf(out, "     %-18s %s\n", left, help);
}

void nst_out_usage(FILE *out, const struct nst_opts *opts)
{
	out_help(out, opts, "json", "", "use JSON output format");
	out_help(out, opts, "raw", "", "use raw output format");
	out_help(out, opts, "noheadings", "", "don't print headings");
	out_help(out, opts, "no-headers", "", "the same, in procps's spelling");
	out_help(out, opts, "output", " <list>", "the columns to show (+list to append)");
	out_help(out, opts, "output-all", "", "show every column");
	out_help(out, opts, "list-columns", "", "list the columns and exit");
	out_help(out, opts, "notruncate", "", "don't truncate text in columns");
	out_help(out, opts, "width", " <num>", "the output's width (default: the terminal's)");
	out_help(out, opts, "ascii", "", "draw trees with ASCII characters");
	out_help(out, opts, "unicode", "", "draw trees with Unicode line characters");
	out_help(out, opts, "format", "=dot", "print a Graphviz graph instead of a table");
}

int nst_out_option(struct nst_out *o, int ch, const char *arg, int with_dot)
{
	char bad[64];
	size_t i;
	int err;

	switch (ch) {
	case 'J':
		o->json = 1;
		return 1;
	case 'r':
	case NST_OPT_RAW:
		o->raw = 1;
		return 1;
	case 'n':
	case NST_OPT_NO_HEADERS:
		o->noheadings = 1;
		return 1;
	case 'A':
	case NST_OPT_ASCII:
		o->ascii = 1;
		return 1;
	case 'U':
	case NST_OPT_UNICODE:
		o->unicode = 1;
		return 1;
	case 'u':
	case NST_OPT_NOTRUNCATE:
		o->notruncate = 1;
		return 1;
	case 'w':
	case NST_OPT_WIDTH:
		if (nst_parse_u32(arg, 1, 100000, &o->width))
			nst_usage_error("invalid width: '%s' (1 to 100000)", arg);
		return 1;
	case 'o':
		if (*arg == '+')
			err = nst_parse_columns(o->set, arg, o->add,
						NST_MAX_COLS, &o->nadd, bad,
						sizeof(bad));
		else
			err = nst_parse_columns(o->set, arg, o->ids,
						NST_MAX_COLS, &o->n, bad,
						sizeof(bad));
		if (err == -EINVAL && !bad[0])
			nst_usage_error("empty column name in '%s'", arg);
		if (err == -EINVAL)
			nst_usage_error("unknown column: %s", bad);
		if (err)
			nst_usage_error("too many columns: %s", arg);
		return 1;
	case NST_OPT_OUTPUT_ALL:
		for (i = 0; i < o->set->ncols; i++)
			o->ids[i] = (int)i;
		o->n = o->set->ncols;
		return 1;
	case 'H':
	case NST_OPT_LIST_COLUMNS:
		/* After every option: -J or -r may come later. */
		o->list_columns = 1;
		return 1;
	case NST_OPT_FORMAT:
		if (!with_dot)
			return 0;
		if (strcmp(arg, "dot"))
			nst_usage_error("unknown format: %s (only 'dot')", arg);
		o->dot = 1;
		return 1;
	}
	return 0;
}

void nst_out_finish(struct nst_out *o, const int *defaults, size_t ndefaults)
{
	size_t i;

	if (!o->n) {
		memcpy(o->ids, defaults, ndefaults * sizeof(*defaults));
		o->n = ndefaults;
	}
	for (i = 0; i < o->nadd; i++) {
		if (o->n == NST_MAX_COLS)
			nst_usage_error("too many columns");
		o->ids[o->n++] = o->add[i];
	}
	memset(o->at, 0, sizeof(o->at));
	o->twice = 0;
	for (i = 0; i < o->n; i++) {
		if (o->ids[i] < 0 || o->ids[i] >= NST_MAX_COLS)
			continue;
		if (o->at[o->ids[i]])
			o->twice = 1;
		else
			o->at[o->ids[i]] = i + 1;
	}
	o->indexed = 1;
	if (o->json + o->raw + o->dot > 1)
		nst_usage_error("--json, --raw and --format=dot are mutually exclusive");
	if (o->ascii && o->unicode)
		nst_usage_error("--ascii and --unicode are mutually exclusive");
	if (o->list_columns) {
		if (o->dot)
			nst_usage_error("--list-columns has no --format=dot");
		nst_out_list_columns(o);
		exit(NST_EXIT_OK);
	}
}

static const char *json_type_name(int type)
{
	switch (type) {
	case SCOLS_JSON_NUMBER:
		return "<integer>";
	case SCOLS_JSON_ARRAY_NUMBER:
		return "<array of integers>";
	case SCOLS_JSON_BOOLEAN_OPTIONAL:
		return "<boolean>";
	default:
		return "<string>";
	}
}

/*
 * As util-linux's --list-columns: the name and the description, with the
 * JSON type in JSON; no headings.
 */
void nst_out_list_columns(const struct nst_out *o)
{
	const struct nst_colset *set = o->set;
	struct libscols_table *tb = scols_new_table();
	size_t i;

	if (!tb)
		err(NST_EXIT_FAILURE, "cannot allocate a table");
	scols_table_set_name(tb, "columns");
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, 1);
	if (!o->json && !o->raw && scols_table_set_column_separator(tb, "  "))
		err(NST_EXIT_FAILURE, "cannot set a separator");
	if (!scols_table_new_column(tb, "COLUMN", 0, SCOLS_FL_RIGHT) ||
	    (o->json && !scols_table_new_column(tb, "TYPE", 0, 0)) ||
	    !scols_table_new_column(tb, "DESCRIPTION", 0, 0))
		err(NST_EXIT_FAILURE, "cannot allocate a column");
	for (i = 0; i < set->ncols; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		size_t k = 0;

		if (!ln || scols_line_set_data(ln, k++, set->cols[i].name) ||
		    (o->json && scols_line_set_data(ln, k++,
				json_type_name(set->cols[i].json))) ||
		    scols_line_set_data(ln, k, set->cols[i].help))
			err(NST_EXIT_FAILURE, "cannot set a cell");
	}
	if (scols_print_table(tb))
		err(NST_EXIT_FAILURE, "cannot print the table");
	scols_unref_table(tb);
}

int nst_out_has(const struct nst_out *o, int id)
{
	size_t i;

	if (o->indexed)
		return id >= 0 && id < NST_MAX_COLS && o->at[id];
	for (i = 0; i < o->n; i++)
		if (o->ids[i] == id)
			return 1;
	return 0;
}

/*
 * libsmartcols escapes every byte the locale cannot print, line characters
 * included: in a locale that is not UTF-8, -U printed "\xe2\x94\x9c" for
 * each branch. Like pstree -U, print UTF-8 all the same, with C.UTF-8's
 * character classes. Returns 0, or -1 when no UTF-8 locale is installed.
 */
static int nst_utf8_ctype(void)
{
	if (!strcmp(nl_langinfo(CODESET), "UTF-8"))
		return 0;
	return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

static void nst_unicode_symbols(struct libscols_table *tb)
{
	struct libscols_symbols *sy;

	if (nst_utf8_ctype()) {
		warnx("--unicode: no UTF-8 locale (C.UTF-8) is installed, drawing with ASCII");
		scols_table_enable_ascii(tb, 1);
		return;
	}
	sy = scols_new_symbols();

	if (!sy)
		err(NST_EXIT_FAILURE, "cannot allocate symbols");
	scols_symbols_set_branch(sy, "\u251c\u2500");
	scols_symbols_set_vertical(sy, "\u2502 ");
	scols_symbols_set_right(sy, "\u2514\u2500");
	scols_table_set_symbols(tb, sy);
	scols_unref_symbols(sy);
}

struct libscols_table *nst_out_table(struct nst_out *o, const char *name)
{
	struct libscols_table *tb = scols_new_table();
	struct libscols_column *cl;
	size_t i, tree_at = 0;

	if (!tb)
		err(NST_EXIT_FAILURE, "cannot allocate a table");
	/* As lsblk does: the tree in the name column wherever it is shown. */
	for (i = 0; i < o->n; i++)
		if (o->ids[i] == o->set->tree_col)
			tree_at = i;
	scols_table_set_name(tb, name);
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	/*
	 * --width as lsblk's: that width, on a terminal or not. A table not
	 * on a terminal is never cut; on one, at its width.
	 */
	if (o->width) {
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS);
		scols_table_set_termwidth(tb, o->width);
	}
	if (o->ascii)
		scols_table_enable_ascii(tb, 1);
	else if (o->unicode)
		nst_unicode_symbols(tb);
	for (i = 0; i < o->n; i++) {
		const struct nst_colinfo *ci = &o->set->cols[o->ids[i]];
		int flags = ci->flags;

		/* As lsns -u: a long cell widens the table, cut nowhere. */
		if (o->notruncate)
			flags &= ~SCOLS_FL_TRUNC;
		/* Raw output has no tree lines. */
		if (o->tree && i == tree_at && !o->raw)
			flags |= SCOLS_FL_TREE;
		/* A number array is one number a line, a chunk each. */
		if (o->json && ci->json == SCOLS_JSON_ARRAY_NUMBER)
			flags |= SCOLS_FL_WRAP;
		cl = scols_table_new_column(tb, ci->name, ci->whint, flags);
		if (!cl)
			err(NST_EXIT_FAILURE, "cannot allocate a column");
		scols_column_set_json_type(cl, ci->json);
		if (flags & SCOLS_FL_WRAP) {
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						  scols_wrapnl_nextchunk, NULL);
			scols_column_set_safechars(cl, "\n");
		}
	}
	/* Without a store (out of memory), libsmartcols keeps the cells. */
	o->store = NULL;
	if (!o->json && !o->raw && nst_plain_possible(tb))
		o->store = nst_plain_store_new(o->n);
	return tb;
}

void nst_json_string(FILE *out, const char *s)
{
	unsigned char c;
	size_t n;

	fputc('"', out);
	while ((c = *s)) {
		if (c == '"' || c == '\\') {
			fprintf(out, "\\%c", c);
			s++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
			s++;
		} else if ((n = nst_safe_char_len(s))) {
			fwrite(s, 1, n, out);
			s += n;
		} else if (c == 0xc2 && (unsigned char)s[1] >= 0x80 &&
			   (unsigned char)s[1] <= 0x9f) {
			/* A C1 control: valid, but escaped as the C0 ones. */
			fprintf(out, "\\u%04x", (unsigned char)s[1]);
			s += 2;
		} else {
			/* Not UTF-8: the byte as text, so strict parsers read it. */
			fprintf(out, "\\\\x%02x", c);
			s++;
		}
	}
	fputc('"', out);
}

/*
 * libsmartcols 2.38 writes an empty number array as [null]. A column with
 * no array in any line (NSTID without --threads) is written as [] by
 * turning it into a column of one JSON value, "[]". nstree has no column
 * with an array in some lines and none in others.
 */
static void json_empty_arrays(struct libscols_table *tb)
{
	struct libscols_iter *itr = scols_new_iter(SCOLS_ITER_FORWARD);
	struct libscols_column *cl;
	struct libscols_line *ln;
	const char *data;
	size_t i, n = scols_table_get_ncols(tb);
	int empty;

	if (!itr)
		err(NST_EXIT_FAILURE, "cannot allocate an iterator");
	for (i = 0; i < n; i++) {
		cl = scols_table_get_column(tb, i);
		if (scols_column_get_json_type(cl) != SCOLS_JSON_ARRAY_NUMBER)
			continue;
		empty = 1;
		scols_reset_iter(itr, SCOLS_ITER_FORWARD);
		while (empty && !scols_table_next_line(tb, itr, &ln)) {
			data = scols_cell_get_data(scols_line_get_cell(ln, i));
			empty = !data || !*data;
		}
		if (!empty)
			continue;
		scols_column_set_flags(cl, scols_column_get_flags(cl) &
				       ~SCOLS_FL_WRAP);
		scols_column_set_wrapfunc(cl, NULL, NULL, NULL);
		scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
		scols_reset_iter(itr, SCOLS_ITER_FORWARD);
		while (!scols_table_next_line(tb, itr, &ln))
			if (scols_line_set_data(ln, i, "[]"))
				err(NST_EXIT_FAILURE, "cannot set a cell");
	}
	scols_free_iter(itr);
}

/*
 * Does every cell hold printable ASCII only, no backslash? Then
 * libsmartcols' safe encoding would leave the table's bytes as they are
 * (it escapes controls, bytes the locale cannot print and a backslash
 * before an x), and its widths are the byte counts either way.
 */
static int table_is_plain(struct libscols_table *tb)
{
	struct libscols_iter *itr = scols_new_iter(SCOLS_ITER_FORWARD);
	size_t i, n = scols_table_get_ncols(tb);
	struct libscols_line *ln;
	const unsigned char *p;
	int plain = itr != NULL;

	while (plain && !scols_table_next_line(tb, itr, &ln)) {
		for (i = 0; plain && i < n; i++) {
			p = (const unsigned char *)scols_cell_get_data(
				scols_line_get_cell(ln, i));
			for (; plain && p && *p; p++)
				plain = *p >= 0x20 && *p < 0x7f && *p != '\\';
		}
	}
	scols_free_iter(itr);
	return plain;
}

void nst_out_print(struct nst_out *o, struct libscols_table *tb)
{
	int rc = NST_PLAIN_LAYOUT;

	if (o->json)
		json_empty_arrays(tb);
	else	/* A plain table, not for a terminal: user/plain.c says why. */
		rc = nst_plain_print(tb, o->store, stdout);
	if (o->store) {
		if (rc != NST_PLAIN_PRINTED && nst_plain_store_move(o->store, tb))
			rc = -1;
		nst_plain_store_free(o->store);
		o->store = NULL;
	}
	if (rc < 0)
		err(NST_EXIT_FAILURE, "cannot print the table");
	if (rc == NST_PLAIN_PRINTED)
		return;
	/*
	 * Encoding every cell costs a multibyte conversion per character
	 * (mbrtowc, wcwidth): skipped when it could not change a byte.
	 * JSON and raw output are escaped their own way: left alone.
	 */
	if (!o->json && !o->raw && rc == NST_PLAIN_LAYOUT && table_is_plain(tb))
		scols_table_enable_noencoding(tb, 1);
	if (scols_print_table(tb))
		err(NST_EXIT_FAILURE, "cannot print the table");
}

void nst_out_set(const struct nst_out *o, struct libscols_line *ln, int id,
		 const char *data)
{
	size_t i = 0, end = o->n;

	if (o->indexed && !o->twice) {
		/* The one place it is shown, if any. */
		if (id < 0 || id >= NST_MAX_COLS || !o->at[id])
			return;
		i = o->at[id] - 1;
		end = i + 1;
	}
	for (; i < end; i++) {
		if (o->ids[i] != id)
			continue;
		/*
		 * libsmartcols 2.38 escapes controls in JSON strings but copies
		 * bytes that are not UTF-8, which strict parsers refuse.
		 */
		if (o->json && o->set->cols[id].json == SCOLS_JSON_STRING &&
		    !nst_utf8_valid(data)) {
			char *fixed = nst_utf8_fix(data);

			if (!fixed || scols_line_refer_data(ln, i, fixed))
				err(NST_EXIT_FAILURE, "cannot set a cell");
			continue;
		}
		if (o->store ? nst_plain_store_set(o->store, ln, i, data) :
		    scols_line_set_data(ln, i, data))
			err(NST_EXIT_FAILURE, "cannot set a cell");
	}
}

void nst_out_set_u64(const struct nst_out *o, struct libscols_line *ln,
		     int id, uint64_t v, int present)
{
	char buf[24], *p = buf + sizeof(buf);

	if (!nst_out_has(o, id))
		return;
	/* As "%llu" does, without a printf for every cell. */
	*--p = '\0';
	if (present) {
		do
			*--p = '0' + v % 10;
		while (v /= 10);
	}
	nst_out_set(o, ln, id, p);
}
