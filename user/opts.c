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

static const struct option tree_longopts[] = {
	{ "ns", required_argument, NULL, 'N' },
	{ "arguments", no_argument, NULL, 'a' },
	{ "format", required_argument, NULL, NST_OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	NST_OUT_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_tree = {
	"tree", "N:ah" NST_OUT_SHORTOPTS, tree_longopts
};

static const struct option ps_longopts[] = {
	{ "ns", required_argument, NULL, 'N' },
	{ "subtree", required_argument, NULL, 's' },
	{ "pid", required_argument, NULL, 'p' },
	{ "user", required_argument, NULL, 'u' },
	{ "threads", no_argument, NULL, 'L' },
	{ "sort", required_argument, NULL, NST_OPT_SORT },
	{ "help", no_argument, NULL, 'h' },
	NST_OUT_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_ps = {
	"ps", "N:s:p:u:Lh" NST_OUT_SHORTOPTS, ps_longopts
};

static const struct option ns_longopts[] = {
	{ "list", no_argument, NULL, 'l' },
	{ "format", required_argument, NULL, NST_OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	NST_OUT_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_ns = {
	"ns", "lh" NST_OUT_SHORTOPTS, ns_longopts
};

static const struct option watch_longopts[] = {
	{ "events", required_argument, NULL, 'e' },
	{ "ns", required_argument, NULL, 'N' },
	{ "subtree", required_argument, NULL, 's' },
	{ "stats", no_argument, NULL, 'S' },
	{ "count", required_argument, NULL, 'c' },
	{ "timeout", required_argument, NULL, 't' },
	{ "queue", required_argument, NULL, 'q' },
	{ "json", no_argument, NULL, 'J' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct nst_opts nst_opts_watch = {
	"watch", "+e:N:s:Sc:t:q:Jh", watch_longopts
};

static const struct option run_longopts[] = {
	{ "pid", no_argument, NULL, 'p' },
	{ "mount", no_argument, NULL, 'm' },
	{ "uts", optional_argument, NULL, 'u' },
	{ "ipc", no_argument, NULL, 'i' },
	{ "net", no_argument, NULL, 'n' },
	{ "user", no_argument, NULL, 'U' },
	{ "map-root", no_argument, NULL, 'r' },
	{ "cgroup", no_argument, NULL, 'C' },
	{ "time", no_argument, NULL, 'T' },
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

const struct nst_opts *const nst_all_opts[] = {
	&nst_opts_top, &nst_opts_info, &nst_opts_tree, &nst_opts_ps,
	&nst_opts_ns, &nst_opts_watch, &nst_opts_run, NULL,
};
