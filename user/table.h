/* SPDX-License-Identifier: GPL-2.0 */
/* Output options shared by ps, tree and ns, and their libsmartcols table. */
#ifndef NSTREE_TABLE_H
#define NSTREE_TABLE_H

#include <getopt.h>
#include <stdint.h>
#include <libsmartcols.h>

#include "columns.h"
#include "plain.h"

#define NST_MAX_COLS 64

struct nst_out {
	const struct nst_colset *set;
	int ids[NST_MAX_COLS];
	size_t n;
	int add[NST_MAX_COLS];	/* -o +list: appended to the defaults */
	size_t nadd;
	int json, raw, noheadings, ascii, unicode;
	int notruncate;		/* --notruncate: no column is cut */
	unsigned int width;	/* --width: the output's width, 0: the terminal's */
	int tree;		/* draw a tree: in set->tree_col, or the first column */
	int dot;		/* --format=dot */
	int list_columns;	/* --list-columns: printed by nst_out_finish() */
	/*
	 * By nst_out_finish(): where column ID is shown, at[ID] - 1 (0: not
	 * shown), so that filling a cell looks nothing up; twice: some
	 * column is shown more than once (-o pid,pid).
	 */
	unsigned char at[NST_MAX_COLS];
	int indexed, twice;
	/*
	 * From nst_out_table() to nst_out_print(): the cells, when the table
	 * is printed by user/plain.c; NULL when libsmartcols keeps them.
	 */
	struct nst_plain_store *store;
};

/*
 * The getopt values of the output options with no letter in a command:
 * a letter means something else in the tool a command is named after
 * (ps -r: running processes), so each command's table (user/opts.c) gives
 * the letters it has. nst_out_option() takes either form.
 */
enum {
	NST_OPT_OUTPUT_ALL = 0x100,
	NST_OPT_LIST_COLUMNS,
	NST_OPT_FORMAT,
	NST_OPT_RAW,
	NST_OPT_ASCII,
	NST_OPT_UNICODE,
	NST_OPT_NOTRUNCATE,
	NST_OPT_WIDTH,
	NST_OPT_NO_HEADERS,
};

/*
 * The help lines of the output options of @opts (user/opts.c): each with
 * the letter that command's table gives it, if any.
 */
struct nst_opts;
void nst_out_usage(FILE *out, const struct nst_opts *opts);

/*
 * Handle one of those options, by letter or by value; returns 1 if it
 * was one, 0 if not. A command handles its own letters before calling
 * this (ps -U is --real-user, not --unicode). Misuse exits with status 1.
 */
int nst_out_option(struct nst_out *o, int ch, const char *arg, int with_dot);

/*
 * The defaults when no -o list replaced them, then the -o +list columns,
 * and checks between the options. With --list-columns, print them and
 * exit 0.
 */
void nst_out_finish(struct nst_out *o, const int *defaults, size_t ndefaults);

/*
 * Print every column with its JSON type and help text (--list-columns),
 * as a table honouring -J, -r and -n.
 */
void nst_out_list_columns(const struct nst_out *o);

/* Is column @id shown? */
int nst_out_has(const struct nst_out *o, int id);

/*
 * Column @id's cell of @ln, when the column is shown: set to the number
 * @v in decimal, or to "" when !@present.
 */
void nst_out_set_u64(const struct nst_out *o, struct libscols_line *ln,
		     int id, uint64_t v, int present);

/* A table with the chosen columns; the JSON array is called @name. */
struct libscols_table *nst_out_table(struct nst_out *o, const char *name);

/*
 * A JSON string, quoted and escaped as RFC 8259 asks, for the JSON lines
 * of watch (libsmartcols has no streaming writer).
 */
void nst_json_string(FILE *out, const char *s);

/*
 * Print the table, or with -J its JSON, written by libsmartcols: an object
 * with one array named after the table, an object per line keyed by the
 * lower-cased column names, children nested under "children"; values typed
 * by the columns' SCOLS_JSON_* types, an empty cell null (an empty array
 * for a number array that is empty in every line).
 */
void nst_out_print(struct nst_out *o, struct libscols_table *tb);

/* Set the cell of column @id in @ln, if shown. */
void nst_out_set(const struct nst_out *o, struct libscols_line *ln, int id,
		 const char *data);

#endif /* NSTREE_TABLE_H */
