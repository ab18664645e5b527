/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSTREE_PLAIN_H
#define NSTREE_PLAIN_H

#include <stdio.h>
#include <libsmartcols.h>

/* What nst_plain_print() did. */
enum {
	NST_PLAIN_PRINTED,	/* the table is on @out */
	NST_PLAIN_LAYOUT,	/* libsmartcols must lay it out: nothing printed */
	NST_PLAIN_NOT_ASCII,	/* a cell is not plain ASCII: nothing printed */
};

/*
 * The cells of a table bound for nst_plain_print(), kept out of
 * libsmartcols: scols_line_set_data() copies each cell into a malloc() of
 * its own, freed one by one with the table, a third of what was left of
 * `nstree ps` once the table was printed here. Here a cell is a string
 * in one growing buffer, its line found through the line's userdata,
 * measured once as it is set: its length, and whether it is plain.
 */
struct nst_plain_store;

struct nst_plain_store *nst_plain_store_new(size_t ncols);
void nst_plain_store_free(struct nst_plain_store *st);
/* Cell @col of @ln is @data (copied); 0, or -1 when out of memory. */
int nst_plain_store_set(struct nst_plain_store *st, struct libscols_line *ln,
			size_t col, const char *data);
/* Cell @col of @ln, NULL when never set. */
const char *nst_plain_store_get(const struct nst_plain_store *st,
				struct libscols_line *ln, size_t col);
/* Every cell into libsmartcols, which prints then: 0, or -1. */
int nst_plain_store_move(struct nst_plain_store *st, struct libscols_table *tb);

/*
 * Print @tb, its cells from @st when not NULL, as libsmartcols would:
 * NST_PLAIN_PRINTED (also when a write failed: ferror(@out) tells),
 * NST_PLAIN_LAYOUT or NST_PLAIN_NOT_ASCII (nothing printed), or -1 when
 * out of memory.
 */
int nst_plain_print(struct libscols_table *tb, const struct nst_plain_store *st,
		    FILE *out);
/* Would nst_plain_print() print @tb, as far as its settings tell? */
int nst_plain_possible(struct libscols_table *tb);

#endif
