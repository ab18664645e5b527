// SPDX-License-Identifier: GPL-2.0
/*
 * Each --help of the built binary against the getopt table its command
 * parses with (user/opts.c): every long option and every letter of the
 * table is in --help, with the same letter and the same kind of argument,
 * and --help shows nothing the table lacks. The completion is generated
 * from --help and the man page is checked against the tables, so none of
 * the three can drift from what the parser accepts.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "help.h"
#include "opts.h"

/* What a letter takes in @shortopts: -1 absent, else an *_argument. */
static int short_kind(const char *shortopts, char letter)
{
	const char *p = shortopts + strspn(shortopts, "+-:");

	for (; *p; p++) {
		if (*p == ':')
			continue;
		if (*p != letter)
			continue;
		if (p[1] != ':')
			return no_argument;
		return p[2] == ':' ? optional_argument : required_argument;
	}
	return -1;
}

/* What --help shows after the name: "<x>", "=x" or "[=<x>]", or nothing. */
static int help_kind(const struct help_opt *o)
{
	if (!o->arg[0])
		return no_argument;
	return o->arg[0] == '?' ? optional_argument : required_argument;
}

static const struct help_opt *help_find(const struct help_cmd *c,
					const char *name)
{
	size_t i;

	for (i = 0; i < c->nopts; i++)
		if (!strcmp(c->opts[i].name, name))
			return &c->opts[i];
	return NULL;
}

static const struct option *table_find(const struct option *t,
				       const char *name)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static int is_letter(int val)
{
	return val > 0 && val < 128 && isalnum(val);
}

FIXTURE(opts) {
	struct help h;
};

FIXTURE_SETUP(opts)
{
	ASSERT_EQ(0, help_read(&self->h));
}

FIXTURE_TEARDOWN(opts)
{
}

static const struct help_cmd *help_of(const struct help *h, const char *cmd)
{
	size_t i;

	if (!*cmd)
		return &h->top;
	for (i = 0; i < h->ncmds; i++)
		if (!strcmp(h->cmds[i].name, cmd))
			return &h->cmds[i];
	return NULL;
}

/* The commands nstree --help lists are those with a table, and only they. */
TEST_F(opts, same_commands)
{
	const struct nst_opts *const *t;
	size_t i, n = 0;

	for (t = nst_all_opts + 1; *t; t++, n++)
		EXPECT_NE(NULL, help_of(&self->h, (*t)->cmd))
			TH_LOG("nstree --help lists no command %s", (*t)->cmd);
	for (i = 0; i < self->h.ncmds; i++) {
		for (t = nst_all_opts + 1; *t; t++)
			if (!strcmp((*t)->cmd, self->h.cmds[i].name))
				break;
		EXPECT_NE(NULL, *t) TH_LOG("--help lists %s, no table has it",
					   self->h.cmds[i].name);
	}
	EXPECT_EQ(self->h.ncmds, n);
}

/* Every option of every table, in its command's --help, alike. */
TEST_F(opts, table_in_help)
{
	const struct nst_opts *const *t;
	const struct option *o;
	size_t checked = 0;

	for (t = nst_all_opts; *t; t++) {
		const char *cmd = *(*t)->cmd ? (*t)->cmd : "nstree";
		const struct help_cmd *c = help_of(&self->h, (*t)->cmd);

		ASSERT_NE(NULL, c) TH_LOG("no --help of %s", cmd);
		for (o = (*t)->longopts; o->name; o++, checked++) {
			const struct help_opt *h = help_find(c, o->name);
			int sk;

			EXPECT_NE(NULL, h) TH_LOG("%s --help lacks --%s", cmd,
						  o->name);
			if (!h)
				continue;
			EXPECT_EQ(is_letter(o->val) ? o->val : 0, h->shortopt)
				TH_LOG("%s --%s: letter %c in the table, %c in --help",
				       cmd, o->name,
				       is_letter(o->val) ? o->val : ' ',
				       h->shortopt ? h->shortopt : ' ');
			EXPECT_EQ(o->has_arg, help_kind(h))
				TH_LOG("%s --%s: argument %d in the table, '%s' in --help",
				       cmd, o->name, o->has_arg, h->arg);
			if (!is_letter(o->val))
				continue;
			sk = short_kind((*t)->shortopts, o->val);
			/* An optional argument is the long form's only. */
			EXPECT_TRUE(sk == o->has_arg ||
				    (o->has_arg == optional_argument &&
				     sk == no_argument))
				TH_LOG("%s -%c: %d in \"%s\", --%s takes %d", cmd,
				       o->val, sk, (*t)->shortopts, o->name,
				       o->has_arg);
		}
	}
	EXPECT_LT(40, checked);
}

/* Nothing in --help that the table lacks: no long name, no letter. */
TEST_F(opts, help_in_table)
{
	const struct nst_opts *const *t;
	size_t i;

	for (t = nst_all_opts; *t; t++) {
		const char *cmd = *(*t)->cmd ? (*t)->cmd : "nstree";
		const struct help_cmd *c = help_of(&self->h, (*t)->cmd);
		const char *p;

		ASSERT_NE(NULL, c) TH_LOG("no --help of %s", cmd);
		EXPECT_LT(0, c->nopts)
			TH_LOG("%s --help: no options read", cmd);
		for (i = 0; i < c->nopts; i++) {
			const struct option *o = table_find((*t)->longopts,
							    c->opts[i].name);

			EXPECT_NE(NULL, o)
				TH_LOG("%s --help shows --%s, the table lacks it",
				       cmd, c->opts[i].name);
			if (o && c->opts[i].shortopt)
				EXPECT_EQ(c->opts[i].shortopt, o->val)
					TH_LOG("%s --%s", cmd, o->name);
		}
		for (i = 0; i < c->nunparsed; i++)
			EXPECT_STREQ("", c->unparsed[i])
				TH_LOG("%s --help: an option line not read", cmd);
		/* Every letter getopt takes is shown, with its long name. */
		for (p = (*t)->shortopts + strspn((*t)->shortopts, "+-:"); *p;
		     p++) {
			if (*p == ':')
				continue;
			for (i = 0; i < c->nopts; i++)
				if (c->opts[i].shortopt == *p)
					break;
			EXPECT_LT(i, c->nopts) TH_LOG("%s -%c: not in --help",
						      cmd, *p);
		}
	}
}

/*
 * The letters and names of the tools the commands are named after, where
 * nstree has the same option: procps ps, psmisc pstree, util-linux lsns
 * and unshare. 0 as a letter: the option has none here, because the tool
 * gives that letter another meaning.
 */
static const struct {
	const char *cmd, *name;
	int letter, has_arg;
} tool_opts[] = {
	{ "ps", "pid", 'p', required_argument },	/* ps -p LIST */
	{ "ps", "user", 'u', required_argument },	/* effective */
	{ "ps", "real-user", 'U', required_argument },	/* ps -U: real */
	{ "ps", "threads", 'L', no_argument },
	{ "ps", "sort", 0, required_argument },
	{ "ps", "output", 'o', required_argument },
	{ "ps", "ns", 0, required_argument },		/* ps -N: negate */
	{ "ps", "subtree", 0, required_argument },	/* ps -s: sessions */
	{ "ps", "raw", 0, no_argument },		/* ps -r: running */
	{ "ps", "width", 0, required_argument },	/* ps -w: wide */
	{ "ps", "list-columns", 0, no_argument },	/* ps -H: forest */
	{ "ps", "notruncate", 0, no_argument },		/* ps -u: user */
	{ "ps", "no-headers", 0, no_argument },		/* procps's spelling */
	{ "tree", "arguments", 'a', no_argument },	/* pstree -a */
	{ "tree", "ascii", 'A', no_argument },		/* pstree -A */
	{ "tree", "unicode", 'U', no_argument },	/* pstree -U */
	{ "tree", "notruncate", 0, no_argument },	/* pstree -u: uids */
	{ "tree", "list-columns", 0, no_argument },	/* pstree -H: highlight */
	{ "ns", "list", 'l', no_argument },		/* lsns -l */
	{ "ns", "raw", 'r', no_argument },
	{ "ns", "noheadings", 'n', no_argument },
	{ "ns", "json", 'J', no_argument },
	{ "ns", "output", 'o', required_argument },
	{ "ns", "notruncate", 'u', no_argument },	/* lsns -u */
	{ "ns", "list-columns", 'H', no_argument },	/* lsns -H */
	{ "run", "map-root-user", 'r', no_argument },	/* unshare -r */
	{ "run", "user", 'U', no_argument },
	{ "run", "pid", 'p', no_argument },
	{ "run", "mount", 'm', no_argument },
	{ "run", "uts", 'u', no_argument },		/* unshare --uts[=FILE] */
	{ "run", "ipc", 'i', no_argument },
	{ "run", "net", 'n', no_argument },
	{ "run", "cgroup", 'C', no_argument },
	{ "run", "time", 'T', no_argument },
	{ "watch", "queue", 0, required_argument },	/* run -q is --quiet */
};

/* Letters a command must not take: another option's in that tool. */
static const struct {
	const char *cmd, *letters;
} foreign[] = {
	{ "ps", "NsrAwH" },
	{ "tree", "uH" },
	{ "watch", "q" },
};

static const struct nst_opts *table_of(const char *cmd)
{
	const struct nst_opts *const *t;

	for (t = nst_all_opts; *t; t++)
		if (!strcmp((*t)->cmd, cmd))
			return *t;
	return NULL;
}

TEST(conventions)
{
	size_t i;
	const char *p;

	for (i = 0; i < sizeof(tool_opts) / sizeof(tool_opts[0]); i++) {
		const struct nst_opts *t = table_of(tool_opts[i].cmd);
		const struct option *o;

		ASSERT_NE(NULL, t);
		o = table_find(t->longopts, tool_opts[i].name);
		EXPECT_NE(NULL, o) TH_LOG("%s has no --%s", tool_opts[i].cmd,
					  tool_opts[i].name);
		if (!o)
			continue;
		EXPECT_EQ(tool_opts[i].letter, is_letter(o->val) ? o->val : 0)
			TH_LOG("%s --%s: letter", tool_opts[i].cmd, o->name);
		EXPECT_EQ(tool_opts[i].has_arg, o->has_arg)
			TH_LOG("%s --%s: argument", tool_opts[i].cmd, o->name);
	}
	for (i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		const struct nst_opts *t = table_of(foreign[i].cmd);

		ASSERT_NE(NULL, t);
		for (p = foreign[i].letters; *p; p++)
			EXPECT_EQ(-1, short_kind(t->shortopts, *p))
				TH_LOG("%s takes -%c", foreign[i].cmd, *p);
	}
	/* unshare's spelling only: --map-root is its abbreviation. */
	EXPECT_EQ(NULL, table_find(table_of("run")->longopts, "map-root"));
}

TEST_HARNESS_MAIN
