// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of nst_plain_print() (user/plain.c): on random
 * tables, lists and trees, in the C and the C.UTF-8 locale, it prints
 * what libsmartcols' own scols_print_table() prints, byte for byte, with
 * the cells in libsmartcols or in a store of its own, and it leaves every
 * table it cannot print to libsmartcols untouched; a store's cells moved
 * into libsmartcols print as if they had been there all along; a write
 * that fails ends the printing and leaves the stream's error flag set.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "plain.h"

static unsigned int seed;

static unsigned int rnd(unsigned int n)
{
	/* xorshift32: the same tables on every host. */
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return n ? seed % n : 0;
}

/* Printable ASCII but a backslash: what nst_plain_print() takes. */
static void rnd_text(char *buf, size_t max)
{
	size_t i, n = rnd(max + 1);

	for (i = 0; i < n; i++) {
		do
			buf[i] = 0x20 + rnd(0x7f - 0x20);
		while (buf[i] == '\\');
	}
	buf[n] = '\0';
}

struct shape {
	int tree;		/* columns may be tree columns, lines children */
	int unicode;		/* the UTF-8 lines set as nstree sets them */
};

/*
 * A random table, its cells in libsmartcols, in @st (when not NULL), or
 * both: the same table for the same seed either way.
 */
static struct libscols_table *rnd_table(const struct shape *sh,
					struct nst_plain_store **st, int cells)
{
	static const double hints[] = { 0, 0.1, 0.3, 1, 2, 5, 10, 24 };
	static const char *const seps[] = { NULL, " ", "  ", " | ", "|" };
	struct libscols_table *tb = scols_new_table();
	struct libscols_line **lines;
	const char *sep;
	size_t i, j, ncols = 1 + rnd(6), nlines = rnd(40);
	char buf[64];

	if (!tb)
		return NULL;
	if (rnd(2))
		scols_table_enable_noheadings(tb, 1);
	if (rnd(2))
		scols_table_enable_noencoding(tb, 1);
	/* nstree sets its UTF-8 lines only when ASCII is not asked for. */
	if (!sh->unicode && rnd(3) == 0)
		scols_table_enable_ascii(tb, 1);
	sep = seps[rnd(5)];
	if (sep)
		scols_table_set_column_separator(tb, sep);
	if (sh->unicode) {
		struct libscols_symbols *sy = scols_new_symbols();

		scols_symbols_set_branch(sy, "\u251c\u2500");
		scols_symbols_set_vertical(sy, "\u2502 ");
		scols_symbols_set_right(sy, "\u2514\u2500");
		scols_table_set_symbols(tb, sy);
		scols_unref_symbols(sy);
	}
	for (j = 0; j < ncols; j++) {
		int flags = 0;

		if (rnd(2))
			flags |= SCOLS_FL_RIGHT;
		if (rnd(2))
			flags |= SCOLS_FL_TRUNC;
		if (sh->tree && rnd(3) == 0)
			flags |= SCOLS_FL_TREE;
		rnd_text(buf, 9);
		if (!scols_table_new_column(tb, buf, hints[rnd(8)], flags))
			goto fail;
	}
	lines = calloc(nlines + 1, sizeof(*lines));
	if (!lines)
		goto fail;
	if (st) {
		*st = nst_plain_store_new(ncols);
		if (!*st)
			goto fail;
	}
	for (i = 0; i < nlines; i++) {
		struct libscols_line *parent = NULL;

		/* Mostly the line before: deep trees, and wide ones. */
		if (sh->tree && i && rnd(4))
			parent = lines[rnd(2) ? i - 1 : rnd(i)];
		lines[i] = scols_table_new_line(tb, parent);
		if (!lines[i])
			break;
		for (j = 0; j < ncols; j++) {
			if (rnd(5) == 0)
				continue;	/* a cell never set */
			rnd_text(buf, rnd(4) ? 6 : 30);
			if (cells)
				scols_line_set_data(lines[i], j, buf);
			if (st && nst_plain_store_set(*st, lines[i], j, buf))
				break;
		}
	}
	free(lines);
	if (i == nlines)
		return tb;
fail:
	scols_unref_table(tb);
	return NULL;
}

/* What scols_print_table() writes for @tb. */
static int scols_text(struct libscols_table *tb, char **text)
{
	size_t n;
	FILE *f = open_memstream(text, &n);

	if (!f)
		return -1;
	scols_table_set_stream(tb, f);
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	if (scols_print_table(tb))
		return -1;
	return fclose(f);
}

/* What nst_plain_print() writes for @tb, its cells from @st if not NULL. */
static int plain_text(struct libscols_table *tb,
		      const struct nst_plain_store *st, char **text, int *rc)
{
	size_t n;
	FILE *f = open_memstream(text, &n);

	if (!f)
		return -1;
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	*rc = nst_plain_print(tb, st, f);
	return fclose(f);
}

static int both(struct libscols_table *tb, char **ref, char **mine, int *rc)
{
	if (scols_text(tb, ref))
		return -1;
	return plain_text(tb, NULL, mine, rc);
}

/*
 * For each table: libsmartcols' text, then nst_plain_print()'s from the
 * cells in libsmartcols and from a store; then the same table with its
 * cells in a store only, moved into libsmartcols and printed by it.
 */
static void compare_random(struct __test_metadata *_metadata,
			   const char *locale, const struct shape *sh,
			   unsigned int first_seed, int ntables)
{
	int t, rc, rc2;

	ASSERT_NE(NULL, setlocale(LC_ALL, locale));
	for (t = 0; t < ntables; t++) {
		struct libscols_table *tb;
		struct nst_plain_store *st;
		char *ref = NULL, *mine = NULL, *stored = NULL, *moved = NULL;

		seed = first_seed + t;
		tb = rnd_table(sh, &st, 1);
		ASSERT_NE(NULL, tb);
		ASSERT_EQ(0, both(tb, &ref, &mine, &rc));
		ASSERT_EQ(0, plain_text(tb, st, &stored, &rc2));
		/* With no line, nothing to print: libsmartcols' way too. */
		ASSERT_EQ(scols_table_get_nlines(tb) ? NST_PLAIN_PRINTED :
			  NST_PLAIN_LAYOUT, rc) {
			TH_LOG("%s, seed %u: not printed", locale, first_seed + t);
		}
		EXPECT_EQ(rc, rc2);
		EXPECT_STREQ(ref, mine) {
			TH_LOG("%s, seed %u:\n--- libsmartcols\n%s--- plain\n%s",
			       locale, first_seed + t, ref, mine);
		}
		EXPECT_STREQ(ref, stored) {
			TH_LOG("%s, seed %u: from the store", locale,
			       first_seed + t);
		}
		nst_plain_store_free(st);
		scols_unref_table(tb);

		seed = first_seed + t;
		tb = rnd_table(sh, &st, 0);
		ASSERT_NE(NULL, tb);
		ASSERT_EQ(0, nst_plain_store_move(st, tb));
		nst_plain_store_free(st);
		ASSERT_EQ(0, scols_text(tb, &moved));
		EXPECT_STREQ(ref, moved) {
			TH_LOG("%s, seed %u: moved into libsmartcols", locale,
			       first_seed + t);
		}
		free(ref);
		free(mine);
		free(stored);
		free(moved);
		scols_unref_table(tb);
	}
}

TEST(lists_as_libsmartcols_prints_them)
{
	struct shape sh = { 0 };

	compare_random(_metadata, "C", &sh, 1, 400);
	compare_random(_metadata, "C.UTF-8", &sh, 1001, 400);
}

TEST(trees_as_libsmartcols_prints_them)
{
	struct shape sh = { .tree = 1 };

	compare_random(_metadata, "C", &sh, 2001, 400);
	compare_random(_metadata, "C.UTF-8", &sh, 3001, 400);
	sh.unicode = 1;
	compare_random(_metadata, "C.UTF-8", &sh, 4001, 400);
}

/* A chain deeper than any recursion would go, and a wide root beside it. */
TEST(deep_chain_as_libsmartcols_prints_it)
{
	struct libscols_table *tb = scols_new_table();
	struct libscols_line *ln = NULL, *root;
	char *ref = NULL, *mine = NULL, buf[16];
	int i, rc;

	ASSERT_NE(NULL, setlocale(LC_ALL, "C.UTF-8"));
	ASSERT_NE(NULL, tb);
	ASSERT_NE(NULL, scols_table_new_column(tb, "PROCESS", 0.2, SCOLS_FL_TREE));
	ASSERT_NE(NULL, scols_table_new_column(tb, "PID", 5, SCOLS_FL_RIGHT));
	for (i = 0; i < 3000; i++) {
		ln = scols_table_new_line(tb, ln);
		ASSERT_NE(NULL, ln);
		snprintf(buf, sizeof(buf), "%d", i + 1);
		ASSERT_EQ(0, scols_line_set_data(ln, 0, "chain"));
		ASSERT_EQ(0, scols_line_set_data(ln, 1, buf));
	}
	root = scols_table_new_line(tb, NULL);
	ASSERT_NE(NULL, root);
	for (i = 0; i < 50; i++)
		ASSERT_NE(NULL, scols_table_new_line(tb, root));
	ASSERT_EQ(0, both(tb, &ref, &mine, &rc));
	ASSERT_EQ(NST_PLAIN_PRINTED, rc);
	EXPECT_EQ(strlen(ref), strlen(mine));
	EXPECT_EQ(0, strcmp(ref, mine));
	free(ref);
	free(mine);
	scols_unref_table(tb);
}

/* Cells libsmartcols would escape or measure by character: not plain. */
static const char *const bad[] = { "tab\there", "back\\slash", "caf\xc3\xa9",
				   "\x7f" };

/* Nothing is written for a table libsmartcols has to lay out. */
TEST(declines_what_it_cannot_print)
{
	struct libscols_table *tb;
	char *out = NULL;
	size_t n, i;
	FILE *f;

	ASSERT_NE(NULL, setlocale(LC_ALL, "C.UTF-8"));
	for (i = 0; i < 4 + 4; i++) {
		tb = scols_new_table();
		ASSERT_NE(NULL, tb);
		ASSERT_NE(NULL, scols_table_new_column(tb, "A", 0, 0));
		ASSERT_NE(NULL, scols_table_new_line(tb, NULL));
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
		if (i < 4) {
			ASSERT_EQ(0, scols_line_set_data(
				scols_table_get_line(tb, 0), 0, bad[i]));
		} else if (i == 4)
			scols_table_enable_json(tb, 1);
		else if (i == 5)
			scols_table_enable_raw(tb, 1);
		else if (i == 6)
			scols_table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS);
		else
			scols_cell_set_data(scols_table_get_title(tb), "title");
		f = open_memstream(&out, &n);
		ASSERT_NE(NULL, f);
		EXPECT_EQ(i < 4 ? NST_PLAIN_NOT_ASCII : NST_PLAIN_LAYOUT,
			  nst_plain_print(tb, NULL, f)) {
			TH_LOG("case %zu", i);
		}
		ASSERT_EQ(0, fclose(f));
		EXPECT_EQ(0, n);
		free(out);
		scols_unref_table(tb);
	}
}

/*
 * The same cells from a store: a store measures each cell as it is set,
 * and one that is not plain ASCII still leaves the table to libsmartcols,
 * with the cells before it and after it plain.
 */
TEST(store_declines_what_it_cannot_print)
{
	struct libscols_table *tb;
	struct nst_plain_store *st;
	struct libscols_line *ln;
	char *out = NULL;
	size_t n, i;
	FILE *f;

	ASSERT_NE(NULL, setlocale(LC_ALL, "C.UTF-8"));
	for (i = 0; i < 4; i++) {
		tb = scols_new_table();
		ASSERT_NE(NULL, tb);
		ASSERT_NE(NULL, scols_table_new_column(tb, "A", 0, 0));
		ASSERT_NE(NULL, scols_table_new_column(tb, "B", 0, 0));
		ASSERT_NE(NULL, scols_table_new_column(tb, "C", 0, 0));
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
		st = nst_plain_store_new(3);
		ASSERT_NE(NULL, st);
		ln = scols_table_new_line(tb, NULL);
		ASSERT_NE(NULL, ln);
		ASSERT_EQ(0, nst_plain_store_set(st, ln, 0, "plain"));
		ln = scols_table_new_line(tb, NULL);
		ASSERT_NE(NULL, ln);
		ASSERT_EQ(0, nst_plain_store_set(st, ln, 0, "plain"));
		ASSERT_EQ(0, nst_plain_store_set(st, ln, 1, bad[i]));
		ASSERT_EQ(0, nst_plain_store_set(st, ln, 2, "plain"));
		EXPECT_STREQ(bad[i], nst_plain_store_get(st, ln, 1));
		f = open_memstream(&out, &n);
		ASSERT_NE(NULL, f);
		EXPECT_EQ(NST_PLAIN_NOT_ASCII, nst_plain_print(tb, st, f)) {
			TH_LOG("case %zu", i);
		}
		ASSERT_EQ(0, fclose(f));
		EXPECT_EQ(0, n);
		free(out);
		nst_plain_store_free(st);
		scols_unref_table(tb);
	}
}

/* A stream with room for @room bytes, like a disk that fills up. */
struct full {
	size_t room, taken;
};

static ssize_t full_write(void *cookie, const char *buf, size_t n)
{
	struct full *fu = cookie;

	(void)buf;
	if (fu->taken == fu->room) {
		errno = ENOSPC;
		return -1;
	}
	if (n > fu->room - fu->taken)
		n = fu->room - fu->taken;
	fu->taken += n;
	return n;
}

/*
 * A write that fails is no table for libsmartcols to print again: the
 * table counts as printed, and the stream's error flag is what nstree's
 * exit reports. Both paths: a table larger than one flush, and one
 * written only at the end.
 */
TEST(write_error_ends_printing)
{
	static const size_t lines[] = { 20000, 10 };
	cookie_io_functions_t io = { .write = full_write };
	struct libscols_table *tb;
	struct full fu;
	size_t i, k;
	FILE *f;

	ASSERT_NE(NULL, setlocale(LC_ALL, "C"));
	for (k = 0; k < 2; k++) {
		tb = scols_new_table();
		ASSERT_NE(NULL, tb);
		ASSERT_NE(NULL, scols_table_new_column(tb, "PID", 5,
						       SCOLS_FL_RIGHT));
		ASSERT_NE(NULL, scols_table_new_column(tb, "COMMAND", 0, 0));
		for (i = 0; i < lines[k]; i++) {
			struct libscols_line *ln = scols_table_new_line(tb, NULL);

			ASSERT_NE(NULL, ln);
			ASSERT_EQ(0, scols_line_set_data(ln, 0, "12345"));
			ASSERT_EQ(0, scols_line_set_data(ln, 1, "command"));
		}
		memset(&fu, 0, sizeof(fu));
		fu.room = 100;
		f = fopencookie(&fu, "w", io);
		ASSERT_NE(NULL, f);
		EXPECT_EQ(NST_PLAIN_PRINTED, nst_plain_print(tb, NULL, f))
			TH_LOG("%zu lines", lines[k]);
		/* What stdio holds yet is written, and refused, here. */
		fflush(f);
		EXPECT_NE(0, ferror(f)) TH_LOG("%zu lines", lines[k]);
		EXPECT_EQ(fu.room, fu.taken) TH_LOG("%zu lines", lines[k]);
		fclose(f);
		scols_unref_table(tb);
	}
}

TEST_HARNESS_MAIN
