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

int nst_plain_print(struct libscols_table *tb, FILE *out);

#endif
