// SPDX-License-Identifier: GPL-2.0
/*
 * The built nstree misused, asked for help and for its version, on the
 * host, where no module is loaded: none of this may need one. A misuse is
 * exit status 1, nothing on stdout and on stderr exactly the line naming
 * the problem and the Try line of the command misused; an argument error
 * found only after connecting would show here as the missing module's
 * message and status 2 instead. --help is the usage on stdout and exit 0.
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "help.h"
#include "lib.h"
#include "opts.h"

/* "nstree ARGS" misused: what it must say, before the Try line. */
struct misuse {
	const char *args;
	const char *msg;
};

static const struct misuse misuses[] = {
	/* nstree's own */
	{ "", "no command specified" },
	{ "nosuchcommand", "unknown command: 'nosuchcommand'" },
	{ "--bogus", "unrecognized option '--bogus'" },
	{ "-x", "invalid option -- 'x'" },
	/* options that are not the command's */
	{ "ps --bogus", "unrecognized option '--bogus'" },
	{ "ps -x", "invalid option -- 'x'" },
	{ "tree --nope", "unrecognized option '--nope'" },
	{ "ns -Q", "invalid option -- 'Q'" },
	{ "info --bogus", "unrecognized option '--bogus'" },
	{ "ps --format=dot", "unrecognized option '--format=dot'" },
	{ "ps -V", "invalid option -- 'V'" },
	{ "ps --version", "unrecognized option '--version'" },
	{ "run --bogus -- true", "unrecognized option '--bogus'" },
	{ "run -x -- true", "invalid option -- 'x'" },
	/* unshare's --uts=FILE is no hostname; nstree takes none */
	{ "run --uts=name -- true", "option '--uts' doesn't allow an argument" },
	{ "run --map-root-users -- true",
	  "unrecognized option '--map-root-users'" },
	/* procps's letters that mean something else in ps */
	{ "ps -N 1", "invalid option -- 'N'" },
	{ "ps -s 1", "invalid option -- 's'" },
	{ "ps -r", "invalid option -- 'r'" },
	{ "ps -A", "invalid option -- 'A'" },
	{ "ps -H", "invalid option -- 'H'" },
	{ "ps -w 80", "invalid option -- 'w'" },
	{ "tree -H", "invalid option -- 'H'" },
	{ "watch -q 16", "invalid option -- 'q'" },
	/* missing arguments */
	{ "ps -o", "option requires an argument -- 'o'" },
	{ "why --record", "option '--record' requires an argument" },
	{ "info -p", "option requires an argument -- 'p'" },
	{ "run --pid", "run: no command specified" },
	{ "why", "no PID given" },
	/* arguments too many or bad */
	{ "ps extra", "unexpected argument: 'extra'" },
	{ "tree 1 2", "unexpected argument: '2'" },
	{ "why 1 2", "unexpected argument: '2'" },
	{ "ns 1 2", "unexpected argument: '2'" },
	{ "info extra", "unexpected argument: 'extra'" },
	{ "watch extra", "unexpected argument: 'extra'" },
	{ "tree 0", "invalid PID: '0'" },
	{ "tree abc", "invalid PID: 'abc'" },
	{ "why 0", "invalid PID: '0'" },
	{ "info -p abc", "invalid PID: 'abc'" },
	{ "ns junk", "invalid namespace: 'junk' (an inode, :ID or a PID)" },
	{ "ns pid:[12]", "invalid namespace: 'pid:[12]' (an inode, :ID or a PID)" },
	{ "ps --ns 0", "invalid namespace: '0' (an inode, :ID or a PID)" },
	{ "ps --ns :junk", "invalid namespace: ':junk' (an inode, :ID or a PID)" },
	{ "tree -N :", "invalid namespace: ':' (an inode, :ID or a PID)" },
	{ "ns :0", "invalid namespace: ':0' (an inode, :ID or a PID)" },
	{ "ps --ns :-1", "invalid namespace: ':-1' (an inode, :ID or a PID)" },
	{ "ns :18446744073709551616",
	  "invalid namespace: ':18446744073709551616' (an inode, :ID or a PID)" },
	{ "watch -N :x", "invalid namespace: ':x' (an inode, :ID or a PID)" },
	{ "tree --ns pid:[:5]",
	  "invalid namespace: 'pid:[:5]' (an inode, :ID or a PID)" },
	{ "ps -u nosuchuser", "unknown user: 'nosuchuser'" },
	{ "ps -U nosuchuser", "unknown user: 'nosuchuser'" },
	{ "ps -u root,", "empty user in 'root,'" },
	{ "ps -p 1,,2", "empty PID in '1,,2'" },
	{ "ps -p 1,x", "invalid PID: 'x'" },
	{ "ps -p ''", "empty PID in ''" },
	{ "ns -w 0", "invalid width: '0' (1 to 100000)" },
	{ "tree --width=x", "invalid width: 'x' (1 to 100000)" },
	{ "ps --width=0", "invalid width: '0' (1 to 100000)" },
	{ "run --hostname= -- true", "invalid hostname: '' (1 to 64 characters)" },
	/* 65 characters, one more than a hostname can have */
	{ "run --hostname=" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxx -- true",
	  "invalid hostname: '" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxx' (1 to 64 characters)" },
	{ "why x", "invalid PID: 'x'" },
	{ "why -q 1", "invalid option -- 'q'" },
	{ "watch --record-size=5", "--record-size needs --record" },
	{ "watch --record= ", "empty --record file name" },
	{ "watch --record=/nonexistent/x --record-size=1000001",
	  "invalid record size: '1000001' (1 to 1000000 processes)" },
	{ "watch --record=/nonexistent/x --record-size=0",
	  "invalid record size: '0' (1 to 1000000 processes)" },
	/* options that do not go together */
	{ "ps -J --raw", "--json, --raw and --format=dot are mutually exclusive" },
	{ "ns -J -r", "--json, --raw and --format=dot are mutually exclusive" },
	{ "tree --format=svg", "unknown format: svg (only 'dot')" },
	{ "tree -A -U", "--ascii and --unicode are mutually exclusive" },
	{ "ps -p 1 --subtree 1", "--pid and --subtree are mutually exclusive" },
	{ "ns -H --format=dot", "--list-columns has no --format=dot" },
	{ "run --init -- true",
	  "--init needs --pid: only a new PID namespace has a PID 1 to replace" },
	/* columns and sort keys */
	{ "ps -o NOSUCH", "unknown column: NOSUCH" },
	{ "ps -o PID,NOSUCH", "unknown column: NOSUCH" },
	{ "ps -o +NOSUCH", "unknown column: NOSUCH" },
	{ "tree -o NOSUCH", "unknown column: NOSUCH" },
	{ "ns -o NOSUCH", "unknown column: NOSUCH" },
	{ "ns -o +nosuch", "unknown column: nosuch" },
	{ "ps -o PID,,COMM", "empty column name in 'PID,,COMM'" },
	{ "ps --sort NOSUCH", "unknown column: NOSUCH" },
	{ "ps --sort=pid,-NOSUCH", "unknown column: NOSUCH" },
	{ "ps --sort=+NOSUCH", "unknown column: NOSUCH" },
	{ "ps --sort=", "empty sort key in ''" },
	{ "ps --sort=pid,", "empty sort key in 'pid,'" },
	{ "ps --sort=-", "empty sort key in '-'" },
};

/* The command of "nstree ARGS", "" for nstree's own options, or NULL. */
static const struct nst_opts *command_of(const char *args)
{
	const struct nst_opts *const *t;
	size_t len = strcspn(args, " ");

	for (t = nst_all_opts; *t; t++)
		if ((*t)->cmd[0] && len == strlen((*t)->cmd) &&
		    !strncmp(args, (*t)->cmd, len))
			return *t;
	return &nst_opts_top;
}

/*
 * "nstree ARGS" says "nstree: MSG" and the Try line of the command it
 * names (nstree's own before one), and nothing else; exit status 1.
 */
static void expect_misuse(struct __test_metadata *_metadata,
			  const char *args, const char *msg)
{
	const char *cmd = command_of(args)->cmd;
	struct cmd_result r;
	char want[512];

	snprintf(want, sizeof(want),
		 "nstree: %s\nTry 'nstree%s%s --help' for more information.\n",
		 msg, cmd[0] ? " " : "", cmd);
	nst_cmd(&r, "%s %s", help_bin(), args);
	EXPECT_EQ(1, r.status) TH_LOG("nstree %s: %s", args, r.err);
	EXPECT_STREQ(want, r.err) TH_LOG("nstree %s", args);
	EXPECT_STREQ("", r.out) TH_LOG("nstree %s", args);
	nst_cmd_free(&r);
}

TEST(misuse)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(misuses); i++)
		expect_misuse(_metadata, misuses[i].args, misuses[i].msg);
}

static int takes_letter(const struct nst_opts *t, char c)
{
	const char *p = t->shortopts + strspn(t->shortopts, "+-:");

	return c != ':' && strchr(p, c) != NULL;
}

/* Does getopt_long take --@name for @t: the name, or its abbreviation? */
static int takes_long(const struct nst_opts *t, const char *name)
{
	const struct option *o;

	for (o = t->longopts; o->name; o++)
		if (!strncmp(o->name, name, strlen(name)))
			return 1;
	return 0;
}

/* What getopt says of an option, by its long name and by its letter. */
enum refusal { UNKNOWN, NO_ARGUMENT };

static const char *const getopt_says[][2] = {
	[UNKNOWN] = { "unrecognized option '--%s'", "invalid option -- '%s'" },
	[NO_ARGUMENT] = { "option '--%s' requires an argument",
			  "option requires an argument -- '%s'" },
};

/* "nstree CMD --NAME" (@letter 0) or "nstree CMD -LETTER", refused. */
static void expect_refused(struct __test_metadata *_metadata,
			   const struct nst_opts *t, const char *name,
			   char letter, enum refusal why)
{
	char args[96], msg[96], l[2] = { letter, 0 };

	snprintf(args, sizeof(args), "%s %s%s", t->cmd, letter ? "-" : "--",
		 letter ? l : name);
	snprintf(msg, sizeof(msg), getopt_says[why][letter != 0],
		 letter ? l : name);
	expect_misuse(_metadata, args, msg);
}

/*
 * Every option of nstree, of any command, given to a command (or to
 * nstree before one) that has no such option: refused as the command's.
 */
TEST(foreign_options)
{
	const struct nst_opts *const *t, *const *u;
	const struct option *o;
	const char *p;

	for (t = nst_all_opts; *t; t++) {
		for (u = nst_all_opts; *u; u++) {
			for (o = (*u)->longopts; o->name; o++)
				if (!takes_long(*t, o->name))
					expect_refused(_metadata, *t, o->name,
						       0, UNKNOWN);
			for (p = (*u)->shortopts; *p; p++)
				if (*p != ':' && *p != '+' &&
				    !takes_letter(*t, *p))
					expect_refused(_metadata, *t, NULL, *p,
						       UNKNOWN);
		}
	}
}

/* Every option that needs an argument, given none, by either name. */
TEST(missing_arguments)
{
	const struct nst_opts *const *t;
	const struct option *o;

	for (t = nst_all_opts; *t; t++) {
		for (o = (*t)->longopts; o->name; o++) {
			if (o->has_arg != required_argument)
				continue;
			expect_refused(_metadata, *t, o->name, 0, NO_ARGUMENT);
			if (o->val > 0 && o->val < 128 &&
			    takes_letter(*t, o->val))
				expect_refused(_metadata, *t, NULL, o->val,
					       NO_ARGUMENT);
		}
	}
}

/* Every command's -h and --help: its usage on stdout, exit 0. */
TEST(help)
{
	static const char *const spellings[] = { "--help", "-h" };
	const struct nst_opts *const *t;
	struct cmd_result r;
	size_t i;

	for (t = nst_all_opts; *t; t++) {
		const char *cmd = (*t)->cmd;
		char want[64];

		snprintf(want, sizeof(want), "Usage:\n nstree %s%s", cmd,
			 cmd[0] ? " " : "");
		for (i = 0; i < ARRAY_SIZE(spellings); i++) {
			EXPECT_EQ(0, nst_cmd(&r, "%s %s %s", help_bin(), cmd,
					     spellings[i]))
				TH_LOG("nstree %s %s: %s", cmd, spellings[i],
				       r.err);
			EXPECT_EQ(0, strncmp(r.out, want, strlen(want)))
				TH_LOG("nstree %s %s: %.60s", cmd,
				       spellings[i], r.out);
			EXPECT_STREQ("", r.err);
			/* run's own statuses are there: 126, 127 */
			if (!strcmp(cmd, "run"))
				EXPECT_NE(NULL, strstr(r.out, "127"));
			nst_cmd_free(&r);
		}
	}
}

TEST(version)
{
	static const char *const spellings[] = { "--version", "-V" };
	struct cmd_result r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spellings); i++) {
		EXPECT_EQ(0, nst_cmd(&r, "%s %s", help_bin(), spellings[i]));
		EXPECT_STREQ("nstree from nstree " NSTREE_VERSION "\n", r.out);
		EXPECT_STREQ("", r.err);
		nst_cmd_free(&r);
	}
}

TEST_HARNESS_MAIN
