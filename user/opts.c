// SPDX-License-Identifier: GPL-2.0
/*
 * The option tables of nstree and its commands. Each command's parser
 * takes its table from here; user/tests/options_test.c checks every
 * --help against them, and user/tests/manpage_test.c the man page.
 */
#include <stddef.h>

#include "opts.h"
#include "table.h"

static const struct option top_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_top = { "", "+hV", top_longopts };

static const struct option info_longopts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_info = { "info", "+p:h", info_longopts };

/*
 * The output options, one table each: a letter only where the tool the
 * command is named after gives it the same meaning, or none at all.
 */
#define OUT_COMMON							\
	{ "json", no_argument, NULL, 'J' },				\
	{ "noheadings", no_argument, NULL, 'n' },			\
	{ "output", required_argument, NULL, 'o' },			\
	{ "output-all", no_argument, NULL, NST_OPT_OUTPUT_ALL }

/* pstree: -a, -A and -U as here; -n and -N differ (see nstree(8)). */
static const struct option tree_longopts[] = {
	{ "ns", required_argument, NULL, 'N' },
	{ "arguments", no_argument, NULL, 'a' },
	{ "format", required_argument, NULL, NST_OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	OUT_COMMON,
	{ "raw", no_argument, NULL, 'r' },
	{ "list-columns", no_argument, NULL, NST_OPT_LIST_COLUMNS },
	{ "notruncate", no_argument, NULL, NST_OPT_NOTRUNCATE },
	{ "width", required_argument, NULL, 'w' },
	{ "ascii", no_argument, NULL, 'A' },
	{ "unicode", no_argument, NULL, 'U' },
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_tree = {
	"tree", "N:ahJno:rw:AU", tree_longopts
};

/*
 * procps ps: -p, -u (effective user), -U (real user), -L, -o, --sort as
 * there. Its -N, -s, -r, -A, -w and -H mean something else, so --ns,
 * --subtree, --raw and --width have no letter, and ps draws no tree.
 */
static const struct option ps_longopts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "user", required_argument, NULL, 'u' },
	{ "real-user", required_argument, NULL, 'U' },
	{ "ns", required_argument, NULL, NST_OPT_NS },
	{ "subtree", required_argument, NULL, NST_OPT_SUBTREE },
	{ "threads", no_argument, NULL, 'L' },
	{ "sort", required_argument, NULL, NST_OPT_SORT },
	{ "help", no_argument, NULL, 'h' },
	OUT_COMMON,
	{ "raw", no_argument, NULL, NST_OPT_RAW },
	{ "list-columns", no_argument, NULL, NST_OPT_LIST_COLUMNS },
	{ "notruncate", no_argument, NULL, NST_OPT_NOTRUNCATE },
	{ "width", required_argument, NULL, NST_OPT_WIDTH },
	{ "no-headers", no_argument, NULL, NST_OPT_NO_HEADERS },
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_ps = {
	"ps", "p:u:U:LhJno:", ps_longopts
};

/* lsns: -l, -r, -u (--notruncate) and -H (--list-columns) as there. */
static const struct option ns_longopts[] = {
	{ "list", no_argument, NULL, 'l' },
	{ "format", required_argument, NULL, NST_OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	OUT_COMMON,
	{ "raw", no_argument, NULL, 'r' },
	{ "list-columns", no_argument, NULL, 'H' },
	{ "notruncate", no_argument, NULL, 'u' },
	{ "width", required_argument, NULL, 'w' },
	{ "ascii", no_argument, NULL, 'A' },
	{ "unicode", no_argument, NULL, 'U' },
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_ns = {
	"ns", "lhJno:rHuw:AU", ns_longopts
};

static const struct option watch_longopts[] = {
	{ "events", required_argument, NULL, 'e' },
	{ "ns", required_argument, NULL, 'N' },
	{ "subtree", required_argument, NULL, 's' },
	{ "stats", no_argument, NULL, 'S' },
	{ "count", required_argument, NULL, 'c' },
	{ "timeout", required_argument, NULL, 't' },
	{ "queue", required_argument, NULL, NST_OPT_QUEUE },
	{ "record", optional_argument, NULL, NST_OPT_RECORD },
	{ "record-size", required_argument, NULL, NST_OPT_RECORD_SIZE },
	{ "json", no_argument, NULL, 'J' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_watch = {
	"watch", "+e:N:s:Sc:t:Jh", watch_longopts
};

static const struct option run_longopts[] = {
	{ "pid", no_argument, NULL, 'p' },
	{ "mount", no_argument, NULL, 'm' },
	{ "uts", no_argument, NULL, 'u' },
	{ "ipc", no_argument, NULL, 'i' },
	{ "net", no_argument, NULL, 'n' },
	{ "user", no_argument, NULL, 'U' },
	{ "map-root-user", no_argument, NULL, 'r' },
	{ "cgroup", no_argument, NULL, 'C' },
	{ "time", no_argument, NULL, 'T' },
	{ "hostname", required_argument, NULL, NST_OPT_HOSTNAME },
	{ "init", no_argument, NULL, NST_OPT_INIT },
	{ "subreaper", no_argument, NULL, NST_OPT_SUBREAPER },
	{ "show", optional_argument, NULL, NST_OPT_SHOW },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* -u takes no argument: "-um" must mean --uts --mount. */
const struct nst_opts nst_opts_run = {
	"run", "+pmuinUrCTqh", run_longopts
};

static const struct option why_longopts[] = {
	{ "record", required_argument, NULL, NST_OPT_RECORD },
	{ "json", no_argument, NULL, 'J' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_why = { "why", "Jh", why_longopts };

/*
 * zombies: ps's output options, with -r for --raw (no ps -r to clash
 * with) and tree's -N for --ns (-n is --noheadings, as everywhere).
 */
static const struct option zombies_longopts[] = {
	{ "ns", required_argument, NULL, 'N' },
	{ "help", no_argument, NULL, 'h' },
	OUT_COMMON,
	{ "raw", no_argument, NULL, 'r' },
	{ "list-columns", no_argument, NULL, NST_OPT_LIST_COLUMNS },
	{ "notruncate", no_argument, NULL, NST_OPT_NOTRUNCATE },
	{ "width", required_argument, NULL, NST_OPT_WIDTH },
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_zombies = {
	"zombies", "N:hJno:r", zombies_longopts
};

const struct nst_opts *const nst_all_opts[] = {
	&nst_opts_top, &nst_opts_info, &nst_opts_tree, &nst_opts_ps,
	&nst_opts_ns, &nst_opts_watch, &nst_opts_run, &nst_opts_why,
	&nst_opts_zombies, NULL,
};
