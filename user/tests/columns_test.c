// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of the table code: column lists, cell formatting,
 * the output options, the JSON of the tables and the Graphviz writer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cmds.h"
#include "columns.h"
#include "dot.h"
#include "json.h"
#include "table.h"
#include "util.h"

TEST(col_by_name)
{
	EXPECT_EQ(PCOL_PID, nst_col_by_name(&nst_proc_cols, "PID", 3));
	EXPECT_EQ(PCOL_PID, nst_col_by_name(&nst_proc_cols, "pid", 3));
	EXPECT_EQ(PCOL_NSPID, nst_col_by_name(&nst_proc_cols, "NsPid", 5));
	/* Only the first @len bytes count: "PIDNS" cut to 3 is PID. */
	EXPECT_EQ(PCOL_PID, nst_col_by_name(&nst_proc_cols, "PIDNS", 3));
	EXPECT_EQ(PCOL_PIDNS, nst_col_by_name(&nst_proc_cols, "PIDNS", 5));
	/* No prefixes. */
	EXPECT_EQ(-1, nst_col_by_name(&nst_proc_cols, "PI", 2));
	EXPECT_EQ(-1, nst_col_by_name(&nst_proc_cols, "", 0));
	/* Each set its own names: NPROCS is a namespace column only. */
	EXPECT_EQ(-1, nst_col_by_name(&nst_proc_cols, "NPROCS", 6));
	EXPECT_EQ(NCOL_NPROCS, nst_col_by_name(&nst_ns_cols, "nprocs", 6));
	EXPECT_EQ(NCOL_USERNS, nst_col_by_name(&nst_ns_cols, "USERNS", 6));
	EXPECT_EQ(PCOL_USERNS, nst_col_by_name(&nst_proc_cols, "USERNS", 6));
}

/* Every column has a name, a help text and a JSON type; no name twice. */
TEST(column_tables)
{
	const struct nst_colset *sets[] = { &nst_proc_cols, &nst_ns_cols,
					    &nst_zombie_cols };
	size_t s, i;

	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		ASSERT_GT(sets[s]->ncols, 0);
		ASSERT_LE(sets[s]->ncols, NST_MAX_COLS);
		EXPECT_LT(sets[s]->tree_col, (int)sets[s]->ncols);
		for (i = 0; i < sets[s]->ncols; i++) {
			const struct nst_colinfo *c = &sets[s]->cols[i];

			ASSERT_NE(NULL, c->name) TH_LOG("set %zu column %zu", s, i);
			EXPECT_NE(NULL, c->help) TH_LOG("%s", c->name);
			EXPECT_EQ((int)i, nst_col_by_name(sets[s], c->name,
							  strlen(c->name)));
		}
	}
}

TEST(parse_columns_replace_and_append)
{
	int ids[8] = { PCOL_COMM };
	size_t n = 1;
	char bad[16] = "";

	ASSERT_EQ(0, nst_parse_columns(&nst_proc_cols, "pid,Comm,NSPID", ids,
				       8, &n, bad, sizeof(bad)));
	ASSERT_EQ(3, n);
	EXPECT_EQ(PCOL_PID, ids[0]);
	EXPECT_EQ(PCOL_COMM, ids[1]);
	EXPECT_EQ(PCOL_NSPID, ids[2]);

	/* A list without '+' replaces what was there. */
	ASSERT_EQ(0, nst_parse_columns(&nst_proc_cols, "STATE", ids, 8, &n,
				       bad, sizeof(bad)));
	ASSERT_EQ(1, n);
	EXPECT_EQ(PCOL_STATE, ids[0]);

	/* '+' appends, and a column may be named twice. */
	ASSERT_EQ(0, nst_parse_columns(&nst_proc_cols, "+VPID,state", ids, 8,
				       &n, bad, sizeof(bad)));
	ASSERT_EQ(3, n);
	EXPECT_EQ(PCOL_STATE, ids[0]);
	EXPECT_EQ(PCOL_VPID, ids[1]);
	EXPECT_EQ(PCOL_STATE, ids[2]);
	EXPECT_STREQ("", bad);
}

TEST(parse_columns_refuses)
{
	int ids[4] = { PCOL_PID, PCOL_COMM };
	size_t n = 2;
	char bad[8];

	EXPECT_EQ(-EINVAL, nst_parse_columns(&nst_proc_cols, "PID,NOSUCH",
					     ids, 4, &n, bad, sizeof(bad)));
	EXPECT_STREQ("NOSUCH", bad);
	EXPECT_EQ(-EINVAL, nst_parse_columns(&nst_proc_cols, "+nosuch", ids,
					     4, &n, bad, sizeof(bad)));
	EXPECT_STREQ("nosuch", bad);
	/* An empty name, anywhere; a space is part of a name. */
	EXPECT_EQ(-EINVAL, nst_parse_columns(&nst_proc_cols, "PID,,COMM", ids,
					     4, &n, bad, sizeof(bad)));
	EXPECT_STREQ("", bad);
	EXPECT_EQ(-EINVAL, nst_parse_columns(&nst_proc_cols, "", ids, 4, &n,
					     bad, sizeof(bad)));
	EXPECT_EQ(-EINVAL, nst_parse_columns(&nst_proc_cols, "PID,", ids, 4,
					     &n, bad, sizeof(bad)));
	EXPECT_EQ(-EINVAL, nst_parse_columns(&nst_proc_cols, "PID, COMM", ids,
					     4, &n, bad, sizeof(bad)));
	EXPECT_STREQ(" COMM", bad);
	/* A long unknown name is cut to the buffer, still terminated. */
	EXPECT_EQ(-EINVAL, nst_parse_columns(&nst_proc_cols, "ABCDEFGHIJK",
					     ids, 4, &n, bad, sizeof(bad)));
	EXPECT_STREQ("ABCDEFG", bad);
	/* A namespace column is no process column. */
	EXPECT_EQ(-EINVAL, nst_parse_columns(&nst_proc_cols, "NPROCS", ids, 4,
					     &n, bad, sizeof(bad)));
	/* Too many, replacing or appending; the count stays as it was. */
	EXPECT_EQ(-E2BIG, nst_parse_columns(&nst_proc_cols, "PID,PID,PID,PID,PID",
					    ids, 4, &n, bad, sizeof(bad)));
	EXPECT_EQ(-E2BIG, nst_parse_columns(&nst_proc_cols, "+PID,PID,PID",
					    ids, 4, &n, bad, sizeof(bad)));
	EXPECT_EQ(2, n);
	ASSERT_EQ(0, nst_parse_columns(&nst_proc_cols, "+PID,PID", ids, 4, &n,
				       bad, sizeof(bad)));
	EXPECT_EQ(4, n);
}

TEST(fmt_chain)
{
	const uint32_t chain[] = { 412, 7, 1 };
	char buf[16];

	EXPECT_EQ(7, nst_fmt_chain(buf, sizeof(buf), chain, 3, ','));
	EXPECT_STREQ("412,7,1", buf);
	EXPECT_EQ(7, nst_fmt_chain(buf, sizeof(buf), chain, 3, '\n'));
	EXPECT_STREQ("412\n7\n1", buf);
	EXPECT_EQ(3, nst_fmt_chain(buf, sizeof(buf), chain, 1, ','));
	EXPECT_STREQ("412", buf);
	EXPECT_EQ(0, nst_fmt_chain(buf, sizeof(buf), chain, 0, ','));
	EXPECT_STREQ("", buf);
	/* Exactly the room it needs, and one byte less. */
	EXPECT_EQ(7, nst_fmt_chain(buf, 8, chain, 3, '/'));
	EXPECT_STREQ("412/7/1", buf);
	EXPECT_EQ(-1, nst_fmt_chain(buf, 7, chain, 3, '/'));
	EXPECT_EQ(-1, nst_fmt_chain(buf, 4, chain, 3, '/'));
	EXPECT_EQ(-1, nst_fmt_chain(buf, 3, chain, 3, '/'));
	EXPECT_EQ(-1, nst_fmt_chain(buf, 0, chain, 3, '/'));
}

/* The longest chain there can be fits the buffers the CLI gives it. */
TEST(fmt_chain_deepest)
{
	uint32_t chain[NST_MAX_LEVELS];
	char buf[16 * NST_MAX_LEVELS];
	unsigned int i;

	for (i = 0; i < NST_MAX_LEVELS; i++)
		chain[i] = 4194304;
	EXPECT_EQ(8 * NST_MAX_LEVELS - 1,
		  nst_fmt_chain(buf, sizeof(buf), chain, NST_MAX_LEVELS, ','));
}

TEST(fmt_flags)
{
	static const struct {
		int init, subreaper;
		char state;
		const char *want;
	} cases[] = {
		{ 0, 0, 'S', "" },
		{ 1, 0, 'S', "init" },
		{ 0, 1, 'R', "subreaper" },
		{ 0, 0, 'Z', "zombie" },
		{ 1, 1, 'S', "init,subreaper" },
		{ 1, 0, 'Z', "init,zombie" },
		{ 0, 1, 'Z', "subreaper,zombie" },
		{ 1, 1, 'Z', "init,subreaper,zombie" },
	};
	struct nst_proc p = { 0 };
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p.ns_init = cases[i].init;
		p.subreaper = cases[i].subreaper;
		p.state = cases[i].state;
		nst_fmt_flags(buf, sizeof(buf), &p);
		EXPECT_STREQ(cases[i].want, buf);
	}
	/* Cut short, still terminated; no room at all, untouched. */
	nst_fmt_flags(buf, 8, &p);
	EXPECT_STREQ("init,su", buf);
	buf[0] = 'x';
	nst_fmt_flags(buf, 0, &p);
	EXPECT_EQ('x', buf[0]);
}

TEST(fmt_start)
{
	const uint64_t s = 1000000000ULL;
	char buf[32];

	setenv("TZ", "UTC", 1);
	tzset();
	/* Started 60 s after boot, 100 s now: 40 s before real_now. */
	ASSERT_EQ(0, nst_fmt_start(buf, sizeof(buf), 60 * s, 100 * s,
				   1700000040));
	EXPECT_STREQ("2023-11-14T22:13:20+00:00", buf);
	/* Started at boot, 100 s ago. */
	ASSERT_EQ(0, nst_fmt_start(buf, sizeof(buf), 0, 100 * s, 1700000040));
	EXPECT_STREQ("2023-11-14T22:12:20+00:00", buf);
	ASSERT_EQ(0, nst_fmt_start(buf, sizeof(buf), 100 * s, 100 * s,
				   1700000040));
	EXPECT_STREQ("2023-11-14T22:14:00+00:00", buf);
	/* Local time, with its offset as ISO 8601 writes it: +hh:mm. */
	setenv("TZ", "CET-1", 1);
	tzset();
	ASSERT_EQ(0, nst_fmt_start(buf, sizeof(buf), 60 * s, 100 * s,
				   1700000040));
	EXPECT_STREQ("2023-11-14T23:13:20+01:00", buf);
	/* West of UTC, and an offset with minutes. */
	setenv("TZ", "XST+3:30", 1);
	tzset();
	ASSERT_EQ(0, nst_fmt_start(buf, sizeof(buf), 60 * s, 100 * s,
				   1700000040));
	EXPECT_STREQ("2023-11-14T18:43:20-03:30", buf);
	/* A start in the future, a buffer too small. */
	EXPECT_EQ(-1, nst_fmt_start(buf, sizeof(buf), 101 * s, 100 * s,
				    1700000040));
	EXPECT_EQ(-1, nst_fmt_start(buf, 25, 60 * s, 100 * s, 1700000040));
	EXPECT_EQ(0, nst_fmt_start(buf, 26, 60 * s, 100 * s, 1700000040));
	setenv("TZ", "UTC", 1);
	tzset();
}

/* AGE: milliseconds, seconds, minutes and seconds, hours and minutes. */
TEST(fmt_age)
{
	static const struct {
		unsigned long long ns;
		const char *want;
	} cases[] = {
		{ 0, "0ms" },
		{ 850000000ULL, "850ms" },
		{ 999999999ULL, "999ms" },
		{ 1000000000ULL, "1s" },
		{ 42500000000ULL, "42s" },
		{ 59999999999ULL, "59s" },
		{ 60000000000ULL, "1m00s" },
		{ 185000000000ULL, "3m05s" },
		{ 3599000000000ULL, "59m59s" },
		{ 3600000000000ULL, "1h00m" },
		{ 7800000000000ULL, "2h10m" },
		{ 360000000000000ULL, "100h00m" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nst_fmt_age(buf, sizeof(buf), cases[i].ns);
		EXPECT_STREQ(cases[i].want, buf) TH_LOG("%llu ns", cases[i].ns);
	}
}

TEST(fmt_args)
{
	static const char args[] = "sh\0-c\0sleep 1\0";
	char buf[32];

	nst_fmt_args(buf, sizeof(buf), args, sizeof(args) - 1);
	EXPECT_STREQ("sh -c sleep 1", buf);
	/* Trailing NULs (a process that rewrote its arguments) go. */
	nst_fmt_args(buf, sizeof(buf), "a\0\0\0", 4);
	EXPECT_STREQ("a", buf);
	/* No final NUL, as a cut argument area has none. */
	nst_fmt_args(buf, sizeof(buf), "abc", 3);
	EXPECT_STREQ("abc", buf);
	nst_fmt_args(buf, sizeof(buf), "", 0);
	EXPECT_STREQ("", buf);
	nst_fmt_args(buf, 6, args, sizeof(args) - 1);
	EXPECT_STREQ("sh -c", buf);
	buf[0] = 'x';
	nst_fmt_args(buf, 0, args, sizeof(args) - 1);
	EXPECT_EQ('x', buf[0]);
}

TEST(parse_ns_arg)
{
	static const char *const bad[] = {
		"", "0", "-1", "+5", "abc", "12x", " 12", "4294967296",
		"pid:[]", "pid:[1]", "pid:[4194304]", "pid:[4026531836",
		"pid:[4026531836]x", "pid:[-4026531836]", "net:[4026531840]",
		"pid:4026531836", "pid:[4294967296]", "pid:[40265318360000000]",
		":", ":0", ":junk", ":+5", ":-1", ": 5", ":5x", "::5",
		":18446744073709551616", "pid:[:5]",
	};
	uint32_t inum = 7, pid = 7;
	uint64_t id = 7;
	size_t i;

	ASSERT_EQ(0, nst_parse_ns_arg(":1", &inum, &pid, &id));
	EXPECT_EQ(1, id);
	EXPECT_EQ(0, inum);
	EXPECT_EQ(0, pid);
	ASSERT_EQ(0, nst_parse_ns_arg(":18446744073709551615", &inum, &pid, &id));
	EXPECT_EQ(UINT64_MAX, id);
	ASSERT_EQ(0, nst_parse_ns_arg("4026531836", &inum, &pid, &id));
	EXPECT_EQ(0, id);
	EXPECT_EQ(4026531836U, inum);
	EXPECT_EQ(0, pid);
	ASSERT_EQ(0, nst_parse_ns_arg("pid:[4026531837]", &inum, &pid, &id));
	EXPECT_EQ(4026531837U, inum);
	EXPECT_EQ(0, pid);
	ASSERT_EQ(0, nst_parse_ns_arg("1", &inum, &pid, &id));
	EXPECT_EQ(0, inum);
	EXPECT_EQ(1, pid);
	/* The largest PID is a PID, one more an inode. */
	ASSERT_EQ(0, nst_parse_ns_arg("4194304", &inum, &pid, &id));
	EXPECT_EQ(0, inum);
	EXPECT_EQ(4194304, pid);
	ASSERT_EQ(0, nst_parse_ns_arg("4194305", &inum, &pid, &id));
	EXPECT_EQ(4194305, inum);
	EXPECT_EQ(0, pid);
	ASSERT_EQ(0, nst_parse_ns_arg("4294967295", &inum, &pid, &id));
	EXPECT_EQ(4294967295U, inum);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		inum = pid = 7;
		id = 7;
		EXPECT_EQ(-EINVAL, nst_parse_ns_arg(bad[i], &inum, &pid, &id))
			TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(7, inum);
		EXPECT_EQ(7, pid);
		EXPECT_EQ(7, id);
	}
}

TEST(dot_escape)
{
	char buf[32];

	nst_dot_escape(buf, sizeof(buf), "plain");
	EXPECT_STREQ("plain", buf);
	nst_dot_escape(buf, sizeof(buf), "a \"b\" \\c");
	EXPECT_STREQ("a \\\"b\\\" \\\\c", buf);
	/* Control characters would end the label's line: spaces. */
	nst_dot_escape(buf, sizeof(buf), "x\ny\tz\x01");
	EXPECT_STREQ("x y z ", buf);
	/* Cut before an escape that does not fit, never inside it. */
	nst_dot_escape(buf, 3, "a\"");
	EXPECT_STREQ("a", buf);
	nst_dot_escape(buf, 4, "a\"");
	EXPECT_STREQ("a\\\"", buf);
	nst_dot_escape(buf, 1, "abc");
	EXPECT_STREQ("", buf);
}

/* ---- the output options ---- */

struct exit_capture {
	int status;		/* exit status, or -1 */
	char err[1024];		/* what it wrote to stderr */
	char out[8192];		/* ... and to stdout */
};

/* Run @fn(@arg) in a child, which must exit; capture how, and its output. */
static void capture_exit(struct exit_capture *c, void (*fn)(void *), void *arg)
{
	int efd[2], ofd[2], st;
	ssize_t n;
	size_t got;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	c->status = -1;
	if (pipe(efd) || pipe(ofd))
		return;
	pid = fork();
	if (pid == 0) {
		dup2(efd[1], 2);
		dup2(ofd[1], 1);
		fn(arg);
		_exit(99);	/* it returned rather than exit */
	}
	close(efd[1]);
	close(ofd[1]);
	for (got = 0; got + 1 < sizeof(c->out); got += n) {
		n = read(ofd[0], c->out + got, sizeof(c->out) - 1 - got);
		if (n <= 0)
			break;
	}
	for (got = 0; got + 1 < sizeof(c->err); got += n) {
		n = read(efd[0], c->err + got, sizeof(c->err) - 1 - got);
		if (n <= 0)
			break;
	}
	close(efd[0]);
	close(ofd[0]);
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		c->status = WEXITSTATUS(st);
}

struct opt_call {
	const struct nst_colset *set;
	const char *opts[4];	/* "o=LIST", "J", "r", "format=X" ... */
	int with_dot;
};

static int opt_letter(const char *o)
{
	if (!strncmp(o, "format=", 7))
		return NST_OPT_FORMAT;
	if (!strcmp(o, "output-all"))
		return NST_OPT_OUTPUT_ALL;
	if (!strcmp(o, "list-columns"))
		return NST_OPT_LIST_COLUMNS;
	return o[0];
}

static void apply_opts(struct nst_out *o, const struct opt_call *call)
{
	static const int defaults[] = { 1, 2 };
	size_t i;

	memset(o, 0, sizeof(*o));
	o->set = call->set;
	for (i = 0; i < 4 && call->opts[i]; i++) {
		const char *arg = strchr(call->opts[i], '=');

		nst_out_option(o, opt_letter(call->opts[i]), arg ? arg + 1 : NULL,
			       call->with_dot);
	}
	nst_out_finish(o, defaults, 2);
}

static void apply_opts_fn(void *arg)
{
	struct nst_out o;

	apply_opts(&o, arg);
}

/* Usage errors: one line naming the problem, the Try line, exit 1. */
static void expect_usage_error(struct __test_metadata *_metadata,
			       const struct opt_call *call, const char *msg)
{
	struct exit_capture c;
	char want[1024];

	capture_exit(&c, apply_opts_fn, (void *)call);
	snprintf(want, sizeof(want),
		 "nstree: %s\nTry 'nstree --help' for more information.\n",
		 msg);
	EXPECT_EQ(NST_EXIT_USAGE, c.status);
	EXPECT_STREQ(want, c.err);
	EXPECT_STREQ("", c.out);
}

FIXTURE(opts) {
	int unused;
};

FIXTURE_SETUP(opts)
{
	/* The messages name the program, as the CLI's do. */
	program_invocation_short_name = "nstree";
	self->unused = 0;
}

FIXTURE_TEARDOWN(opts)
{
}

/* Are the columns of @o those of @want, a list ending in -1? */
static int ids_are(const struct nst_out *o, const int *want)
{
	size_t i;

	for (i = 0; want[i] >= 0; i++)
		if (i == o->n || o->ids[i] != want[i])
			return 0;
	return i == o->n;
}

TEST_F(opts, defaults_replace_append)
{
	struct opt_call call = { .set = &nst_proc_cols };
	struct nst_out o;

	apply_opts(&o, &call);
	EXPECT_TRUE(ids_are(&o, (const int[]){ 1, 2, -1 }));
	EXPECT_FALSE(o.json || o.raw || o.noheadings || o.dot);

	/* +list appends to the defaults, whatever the order of -o options. */
	call.opts[0] = "o=+comm";
	call.opts[1] = "o=+VPID,pid";
	apply_opts(&o, &call);
	EXPECT_TRUE(ids_are(&o, (const int[]){ 1, 2, PCOL_COMM, PCOL_VPID,
					       PCOL_PID, -1 }));

	/* A list replaces the defaults; a +list then appends to it. */
	call.opts[0] = "o=+comm";
	call.opts[1] = "o=STATE";
	call.opts[2] = "o=LEVEL,uid";
	apply_opts(&o, &call);
	EXPECT_TRUE(ids_are(&o, (const int[]){ PCOL_LEVEL, PCOL_UID, PCOL_COMM,
					       -1 }));
	EXPECT_TRUE(nst_out_has(&o, PCOL_UID));
	EXPECT_FALSE(nst_out_has(&o, PCOL_STATE));
}

TEST_F(opts, output_all_and_flags)
{
	struct opt_call call = { .set = &nst_ns_cols,
				 .opts = { "output-all", "J", "n", "o=+NS" } };
	struct nst_out o;
	size_t i;

	apply_opts(&o, &call);
	ASSERT_EQ(NCOL_COUNT + 1, o.n);
	for (i = 0; i < NCOL_COUNT; i++)
		EXPECT_EQ((int)i, o.ids[i]);
	EXPECT_EQ(NCOL_NS, o.ids[NCOL_COUNT]);
	EXPECT_TRUE(o.json);
	EXPECT_TRUE(o.noheadings);

	call.opts[0] = "r";
	call.opts[1] = "A";
	call.opts[2] = NULL;
	apply_opts(&o, &call);
	EXPECT_TRUE(o.raw && o.ascii);
	EXPECT_FALSE(o.unicode || o.json);

	call.opts[0] = "format=dot";
	call.opts[1] = "U";
	call.with_dot = 1;
	apply_opts(&o, &call);
	EXPECT_TRUE(o.dot && o.unicode);
}

/* Letters that are no output option are left to the command. */
TEST_F(opts, not_ours)
{
	struct nst_out o = { .set = &nst_proc_cols };

	EXPECT_EQ(0, nst_out_option(&o, 'p', "1", 1));
	EXPECT_EQ(0, nst_out_option(&o, 'L', NULL, 1));
	EXPECT_EQ(0, nst_out_option(&o, NST_OPT_FORMAT, "dot", 0));
	EXPECT_FALSE(o.dot);
	EXPECT_EQ(1, nst_out_option(&o, 'J', NULL, 0));
}

TEST_F(opts, usage_errors)
{
	struct opt_call call = { .set = &nst_proc_cols };

	call.opts[0] = "o=PID,NOSUCH";
	expect_usage_error(_metadata, &call, "unknown column: NOSUCH");
	call.opts[0] = "o=+nosuch";
	expect_usage_error(_metadata, &call, "unknown column: nosuch");
	call.opts[0] = "o=NPROCS";
	expect_usage_error(_metadata, &call, "unknown column: NPROCS");
	call.opts[0] = "o=PID,,COMM";
	expect_usage_error(_metadata, &call,
			   "empty column name in 'PID,,COMM'");
	call.opts[0] = "o=+";
	expect_usage_error(_metadata, &call, "empty column name in '+'");

	call.opts[0] = "J";
	call.opts[1] = "r";
	expect_usage_error(_metadata, &call,
			   "--json, --raw and --format=dot are mutually exclusive");
	call.opts[0] = "A";
	call.opts[1] = "U";
	expect_usage_error(_metadata, &call,
			   "--ascii and --unicode are mutually exclusive");
	call.with_dot = 1;
	call.opts[0] = "format=dot";
	call.opts[1] = "J";
	expect_usage_error(_metadata, &call,
			   "--json, --raw and --format=dot are mutually exclusive");
	call.opts[0] = "format=svg";
	call.opts[1] = NULL;
	expect_usage_error(_metadata, &call, "unknown format: svg (only 'dot')");
}

/* "o=[+]PID,PID,...", @n times. */
static void pid_list(char *buf, int plus, int n)
{
	int i;

	buf += sprintf(buf, "o=%s", plus ? "+" : "");
	for (i = 0; i < n; i++)
		buf += sprintf(buf, "%sPID", i ? "," : "");
}

/* 64 columns fit; the 65th, by -o or after the defaults, is refused. */
TEST_F(opts, too_many_columns)
{
	struct opt_call call = { .set = &nst_proc_cols };
	char list[NST_MAX_COLS * 4 + 8], msg[sizeof(list) + 32];
	struct nst_out o;

	call.opts[0] = list;
	pid_list(list, 0, NST_MAX_COLS);
	apply_opts(&o, &call);
	EXPECT_EQ(NST_MAX_COLS, o.n);
	pid_list(list, 0, NST_MAX_COLS + 1);
	snprintf(msg, sizeof(msg), "too many columns: %s", list + 2);
	expect_usage_error(_metadata, &call, msg);

	/* The two defaults and 62 more fit, 63 more do not. */
	pid_list(list, 1, NST_MAX_COLS - 2);
	apply_opts(&o, &call);
	EXPECT_EQ(NST_MAX_COLS, o.n);
	pid_list(list, 1, NST_MAX_COLS - 1);
	expect_usage_error(_metadata, &call, "too many columns");
}

/*
 * A +list appends however many -o there are, before or after it (the man
 * page's CONVENTIONS: util-linux's last -o would win); a plain list
 * replaces the one before.
 */
TEST_F(opts, append_survives_a_later_output)
{
	struct opt_call call = { .set = &nst_proc_cols };
	struct nst_out o;
	int first;

	/* Before or after the plain list, the append is kept. */
	for (first = 0; first < 2; first++) {
		call.opts[first] = "o=+START";
		call.opts[!first] = "o=pid,comm";
		apply_opts(&o, &call);
		ASSERT_EQ(3, o.n);
		EXPECT_EQ(PCOL_PID, o.ids[0]);
		EXPECT_EQ(PCOL_COMM, o.ids[1]);
		EXPECT_EQ(PCOL_START, o.ids[2]);
	}

	call.opts[0] = "o=pid,comm";
	call.opts[1] = "o=START";
	apply_opts(&o, &call);
	ASSERT_EQ(1, o.n);
	EXPECT_EQ(PCOL_START, o.ids[0]);
}

static void list_columns_fn(void *arg)
{
	struct nst_out o = { .set = arg };

	nst_out_option(&o, NST_OPT_LIST_COLUMNS, NULL, 0);
	nst_out_finish(&o, NULL, 0);
}

/* -J after --list-columns still counts, as in lsns -H -J. */
static void list_columns_json_fn(void *arg)
{
	struct nst_out o = { .set = arg };

	nst_out_option(&o, 'H', NULL, 0);
	nst_out_option(&o, 'J', NULL, 0);
	nst_out_finish(&o, NULL, 0);
}

/* --list-columns -J: {"columns": [{"column", "type", "description"}]}. */
TEST_F(opts, list_columns_json)
{
	const struct nst_colset *sets[] = { &nst_proc_cols, &nst_ns_cols };
	struct exit_capture c;
	size_t s, i;

	for (s = 0; s < 2; s++) {
		const struct json *arr, *e;
		struct json *j;
		char why[128];

		capture_exit(&c, list_columns_json_fn, (void *)sets[s]);
		EXPECT_EQ(0, c.status);
		EXPECT_STREQ("", c.err);
		j = json_parse(c.out, why, sizeof(why));
		ASSERT_NE(NULL, j) TH_LOG("%s: %s", why, c.out);
		arr = json_get(j, "columns");
		ASSERT_NE(NULL, arr);
		for (i = 0; i < sets[s]->ncols; i++) {
			const struct nst_colinfo *ci = &sets[s]->cols[i];

			e = json_at(arr, i);
			ASSERT_NE(NULL, e) TH_LOG("%s missing", ci->name);
			EXPECT_TRUE(json_is_str(json_get(e, "column"), ci->name));
			EXPECT_TRUE(json_is_str(json_get(e, "description"),
						ci->help));
			EXPECT_TRUE(json_is_str(json_get(e, "type"),
				ci->json == SCOLS_JSON_NUMBER ? "<integer>" :
				ci->json == SCOLS_JSON_STRING ? "<string>" :
				ci->json == SCOLS_JSON_ARRAY_NUMBER ?
				"<array of integers>" : "<boolean>"))
				TH_LOG("%s", ci->name);
		}
		EXPECT_EQ(NULL, json_at(arr, i));
		json_free(j);
	}
}

/* --list-columns: every column, name and help text, then exit 0. */
TEST_F(opts, list_columns)
{
	const struct nst_colset *sets[] = { &nst_proc_cols, &nst_ns_cols };
	struct exit_capture c;
	size_t s, i;

	for (s = 0; s < 2; s++) {
		char *line, *save = NULL;

		capture_exit(&c, list_columns_fn, (void *)sets[s]);
		EXPECT_EQ(0, c.status);
		EXPECT_STREQ("", c.err);
		line = strtok_r(c.out, "\n", &save);
		for (i = 0; i < sets[s]->ncols; i++) {
			const struct nst_colinfo *ci = &sets[s]->cols[i];
			char name[32], *help;

			ASSERT_NE(NULL, line) TH_LOG("%s missing", ci->name);
			ASSERT_EQ(1, sscanf(line, "%31s", name));
			EXPECT_STREQ(ci->name, name);
			help = strstr(line, name) + strlen(name);
			EXPECT_EQ(0, strncmp(help, "  ", 2));
			EXPECT_STREQ(ci->help, help + 2);
			line = strtok_r(NULL, "\n", &save);
		}
		EXPECT_EQ(NULL, line);
	}
}

/* ---- JSON, written by libsmartcols ---- */

struct json_case {
	const char *cells[6];
	int parent;		/* index of the parent line, or -1 */
};

/* A small tree built as ps.c builds it, printed as nstree prints it. */
static char *write_json(struct nst_out *o, const struct json_case *lines,
			size_t n)
{
	struct libscols_line *ln[8];
	struct libscols_table *tb;
	char *text = NULL;
	size_t len = 0, i, k;
	FILE *f;

	tb = nst_out_table(o, "processes");
	for (i = 0; i < n; i++) {
		ln[i] = scols_table_new_line(tb, lines[i].parent < 0 ? NULL :
					     ln[lines[i].parent]);
		for (k = 0; k < o->n; k++)
			nst_out_set(o, ln[i], o->ids[k], lines[i].cells[k]);
	}
	f = open_memstream(&text, &len);
	if (f) {
		scols_table_set_stream(tb, f);
		nst_out_print(o, tb);
		fclose(f);
	}
	scols_unref_table(tb);
	return text;
}

TEST(json_tree)
{
	static const struct json_case lines[] = {
		{ { "init", "1", "1", "1", "init", "4026531841" }, -1 },
		{ { "sh \"q\" \\ \t\x01/\xc3\xa9\xff\x1b[2J\xc2\x9b", "7", "7\n1",
		    "0", "", "" }, 0 },
		{ { "z", "9", "9\n3\n1", "1", "init,zombie", "" }, 1 },
		{ { "b", "8", "8\n2", "", "", "4026532000" }, 0 },
		{ { "kthreadd", "2", "2", "0", "", "4026531841" }, -1 },
	};
	struct nst_out o = {
		.set = &nst_proc_cols, .tree = 1, .json = 1,
		.ids = { PCOL_PROCESS, PCOL_PID, PCOL_NSPID, PCOL_INIT,
			 PCOL_FLAGS, PCOL_MNTNS },
		.n = 6,
	};
	const struct json *procs, *init, *sh, *z, *b, *k;
	char *text, err[128];
	struct json *j;

	text = write_json(&o, lines, 5);
	ASSERT_NE(NULL, text);
	/* The bytes that are not UTF-8 (\xff) went out as text. */
	EXPECT_TRUE(nst_utf8_valid(text)) TH_LOG("%s", text);

	j = json_parse(text, err, sizeof(err));
	ASSERT_NE(NULL, j) TH_LOG("%s: %s", err, text);
	procs = json_get(j, "processes");
	ASSERT_NE(NULL, procs);
	EXPECT_EQ(2, procs->len);
	init = json_at(procs, 0);
	EXPECT_TRUE(json_is_str(json_get(init, "process"), "init"));
	EXPECT_TRUE(json_is_uint(json_get(init, "pid"), 1));
	EXPECT_TRUE(json_is_uint(json_get(init, "mntns"), 4026531841ULL));
	EXPECT_EQ(JSON_TRUE, json_get(init, "init")->type);
	EXPECT_TRUE(json_is_str(json_get(init, "flags"), "init"));
	EXPECT_EQ(1, json_get(init, "nspid")->len);
	EXPECT_EQ(2, json_get(init, "children")->len);
	sh = json_at(json_get(init, "children"), 0);
	EXPECT_TRUE(json_is_str(json_get(sh, "process"),
				"sh \"q\" \\ \t\x01/\xc3\xa9\\xff\x1b[2J\xc2\x9b"));
	EXPECT_EQ(JSON_NULL, json_get(sh, "flags")->type);
	EXPECT_EQ(JSON_NULL, json_get(sh, "mntns")->type);
	EXPECT_EQ(JSON_FALSE, json_get(sh, "init")->type);
	EXPECT_EQ(2, json_get(sh, "nspid")->len);
	z = json_at(json_get(sh, "children"), 0);
	EXPECT_EQ(3, json_get(z, "nspid")->len);
	EXPECT_TRUE(json_is_uint(json_at(json_get(z, "nspid"), 0), 9));
	EXPECT_TRUE(json_is_uint(json_at(json_get(z, "nspid"), 1), 3));
	EXPECT_TRUE(json_is_uint(json_at(json_get(z, "nspid"), 2), 1));
	EXPECT_TRUE(json_is_str(json_get(z, "flags"), "init,zombie"));
	EXPECT_EQ(NULL, json_get(z, "children"));
	/* An empty INIT is null, not false. */
	b = json_at(json_get(init, "children"), 1);
	EXPECT_TRUE(json_is_uint(json_get(b, "pid"), 8));
	EXPECT_EQ(JSON_NULL, json_get(b, "init")->type);
	k = json_at(procs, 1);
	EXPECT_TRUE(json_is_str(json_get(k, "process"), "kthreadd"));
	EXPECT_EQ(JSON_FALSE, json_get(k, "init")->type);
	EXPECT_EQ(NULL, json_get(k, "children"));
	json_free(j);
	free(text);
}

/* NSTID without --threads: an empty array in every line, not [null]. */
TEST(json_empty_array)
{
	static const struct json_case lines[] = {
		{ { "1", "1", "" }, -1 },
		{ { "7", "7\n1", "" }, -1 },
	};
	struct nst_out o = {
		.set = &nst_proc_cols, .json = 1,
		.ids = { PCOL_PID, PCOL_NSPID, PCOL_NSTID }, .n = 3,
	};
	const struct json *e, *a;
	char *text, err[128];
	struct json *j;
	size_t i;

	text = write_json(&o, lines, 2);
	ASSERT_NE(NULL, text);
	j = json_parse(text, err, sizeof(err));
	ASSERT_NE(NULL, j) TH_LOG("%s: %s", err, text);
	EXPECT_EQ(2, json_get(j, "processes")->len);
	for (i = 0; i < 2; i++) {
		e = json_at(json_get(j, "processes"), i);
		a = json_get(e, "nstid");
		ASSERT_NE(NULL, a);
		EXPECT_EQ(JSON_ARRAY, a->type);
		EXPECT_EQ(0, a->len);
		EXPECT_EQ(i + 1, json_get(e, "nspid")->len);
	}
	json_free(j);
	free(text);
}

/* Strings that are valid UTF-8 reach libsmartcols as they are. */
TEST(json_valid_strings_untouched)
{
	static const struct json_case lines[] = {
		{ { "caf\xc3\xa9 \xf0\x9f\x98\x80 \\x41" }, -1 },
	};
	struct nst_out o = {
		.set = &nst_proc_cols, .json = 1,
		.ids = { PCOL_COMM }, .n = 1,
	};
	char *text, err[128];
	struct json *j;

	text = write_json(&o, lines, 1);
	ASSERT_NE(NULL, text);
	j = json_parse(text, err, sizeof(err));
	ASSERT_NE(NULL, j) TH_LOG("%s: %s", err, text);
	EXPECT_TRUE(json_is_str(json_get(json_at(json_get(j, "processes"), 0),
					 "comm"),
				"caf\xc3\xa9 \xf0\x9f\x98\x80 \\x41"));
	json_free(j);
	free(text);
}

/* A flat table, with no lines at all, is still an object with an array. */
TEST(json_empty_table)
{
	struct nst_out o = {
		.set = &nst_ns_cols, .json = 1, .ids = { NCOL_NS }, .n = 1,
	};
	char *text = write_json(&o, NULL, 0), err[128];
	struct json *j;

	ASSERT_NE(NULL, text);
	j = json_parse(text, err, sizeof(err));
	ASSERT_NE(NULL, j) TH_LOG("%s: %s", err, text);
	EXPECT_EQ(JSON_ARRAY, json_get(j, "processes")->type);
	EXPECT_EQ(0, json_get(j, "processes")->len);
	json_free(j);
	free(text);
}

/* ---- the Graphviz writer ---- */

/* What nst_dot_write() writes, in a new string. */
static char *dot_text(const struct nst_proc *const *procs, size_t np,
		      const struct nst_ns *ns, size_t nns, int cmdline)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return strdup("");
	nst_dot_write(f, procs, np, ns, nns, cmdline);
	fclose(f);
	return text;
}

TEST(dot_writer)
{
	static const struct nst_ns ns[] = {
		{ .inum = 100, .level = 0, .init_pid = 1, .init_comm = "init",
		  .nr_procs = 2, .nr_threads = 2 },
		{ .inum = 200, .level = 1, .parent = 100, .init_pid = 7,
		  .init_comm = "sh \"x\"", .nr_procs = 2, .nr_threads = 3,
		  .nr_zombies = 1 },
	};
	static const struct nst_proc p[] = {
		{ .pid = 1, .nspid = { 1 }, .nspid_len = 1, .pidns = 100,
		  .ns_init = 1, .comm = "init", .state = 'S' },
		{ .pid = 7, .nspid = { 7, 1 }, .nspid_len = 2, .ppid = 1,
		  .pidns = 200, .ns_init = 1, .comm = "sh \"x\"", .state = 'S' },
		{ .pid = 8, .nspid = { 8 }, .nspid_len = 1, .ppid = 1,
		  .pidns = 100, .subreaper = 1, .comm = "reaper", .state = 'S' },
		{ .pid = 9, .nspid = { 9, 2 }, .nspid_len = 2, .ppid = 7,
		  .pidns = 200, .comm = "z", .state = 'Z' },
		/* In a namespace that has no init to list it. */
		{ .pid = 12, .nspid = { 12, 3, 1 }, .nspid_len = 3, .ppid = 9,
		  .pidns = 300, .comm = "lost", .state = 'S',
		  .args = "lost\0--x\0", .args_len = 9 },
	};
	const struct nst_proc *procs[] = { &p[0], &p[1], &p[2], &p[3], &p[4] };
	static const char want_procs[] =
		"digraph nstree {\n"
		"        node [shape=box, fontname=\"monospace\"];\n"
		"        subgraph \"cluster_100\" {\n"
		"                label=\"pid:[100] level 0\";\n"
		"                \"p1\" [label=\"init\\n1\", style=bold];\n"
		"                \"p8\" [label=\"reaper\\n8\", peripheries=2];\n"
		"                subgraph \"cluster_200\" {\n"
		"                        label=\"pid:[200] level 1\";\n"
		"                        \"p7\" [label=\"sh \\\"x\\\"\\n7/1\", style=bold];\n"
		"                        \"p9\" [label=\"z\\n9/2\", style=dashed];\n"
		"                }\n"
		"        }\n"
		"        \"p12\" [label=\"lost --x\\n12/3/1\"];\n"
		"        \"p1\" -> \"p7\";\n"
		"        \"p1\" -> \"p8\";\n"
		"        \"p7\" -> \"p9\";\n"
		"        \"p9\" -> \"p12\";\n"
		"}\n";
	static const char want_ns[] =
		"digraph nstree {\n"
		"        node [shape=box, fontname=\"monospace\"];\n"
		"        subgraph \"cluster_100\" {\n"
		"                label=\"pid:[100] level 0\";\n"
		"                \"ns100\" [label=\"init init (1)\\n2 processes, 2 threads, 0 zombies\"];\n"
		"                subgraph \"cluster_200\" {\n"
		"                        label=\"pid:[200] level 1\";\n"
		"                        \"ns200\" [label=\"init sh \\\"x\\\" (7)\\n2 processes, 3 threads, 1 zombies\"];\n"
		"                }\n"
		"        }\n"
		"}\n";
	const struct nst_ns rev[] = { ns[1], ns[0] };
	char *text;

	text = dot_text(procs, 5, ns, 2, 1);
	EXPECT_STREQ(want_procs, text);
	free(text);
	/* Children listed before their parents nest all the same. */
	text = dot_text(NULL, 0, rev, 2, 0);
	EXPECT_STREQ(want_ns, text);
	free(text);
}

TEST(json_reader_refuses)
{
	static const char *const bad[] = {
		"", " ", "{", "}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}",
		"{a:1}", "{\"a\":1,\"a\":2}", "01", "1.", ".5", "-", "1e",
		"+1", "\"abc", "\"a\x01\"", "\"\\x\"", "\"\\u12\"",
		"\"\\udc00\"", "\"\\ud800x\"", "\"\\u0000\"", "nul", "truex",
		"[1] [2]", "{\"a\":1}}", "'a'", "[1 2]", "NaN",
	};
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json *j = json_parse(bad[i], err, sizeof(err));

		EXPECT_EQ(NULL, j) TH_LOG("accepted '%s'", bad[i]);
		EXPECT_NE(0, err[0]) TH_LOG("no message for '%s'", bad[i]);
		json_free(j);
	}
}

TEST(json_reader_accepts)
{
	const struct json *a;
	struct json *j;
	char err[128];

	j = json_parse(" {\"a\": [0, 18446744073709551615, 18446744073709551616,"
		       " -1, 1.5e3, true, false, null, \"\\u00e9\\ud83d\\ude00\\/\\n\"],"
		       " \"b\": {}, \"c\": []}\r\n", err, sizeof(err));
	ASSERT_NE(NULL, j) TH_LOG("%s", err);
	EXPECT_EQ(3, j->len);
	a = json_get(j, "a");
	ASSERT_EQ(9, a->len);
	EXPECT_TRUE(json_is_uint(json_at(a, 0), 0));
	EXPECT_TRUE(json_is_uint(json_at(a, 1), 18446744073709551615ULL));
	/* Too big, negative or fractional: a number, but no uint. */
	EXPECT_EQ(JSON_NUMBER, json_at(a, 2)->type);
	EXPECT_FALSE(json_at(a, 2)->is_uint);
	EXPECT_FALSE(json_at(a, 3)->is_uint);
	EXPECT_STREQ("1.5e3", json_at(a, 4)->str);
	EXPECT_FALSE(json_at(a, 4)->is_uint);
	EXPECT_EQ(JSON_TRUE, json_at(a, 5)->type);
	EXPECT_EQ(JSON_FALSE, json_at(a, 6)->type);
	EXPECT_EQ(JSON_NULL, json_at(a, 7)->type);
	EXPECT_TRUE(json_is_str(json_at(a, 8), "é\xf0\x9f\x98\x80/\n"));
	EXPECT_EQ(NULL, json_at(a, 9));
	EXPECT_EQ(0, json_get(j, "b")->len);
	EXPECT_EQ(JSON_OBJECT, json_get(j, "b")->type);
	EXPECT_EQ(JSON_ARRAY, json_get(j, "c")->type);
	EXPECT_EQ(NULL, json_get(j, "d"));
	EXPECT_EQ(NULL, json_get(a, "a"));
	json_free(j);
}

TEST_HARNESS_MAIN
