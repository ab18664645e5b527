// SPDX-License-Identifier: GPL-2.0
/*
 * nstree: show PID namespaces and the processes in them, as the kernel
 * sees them, through the nstree kernel module.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "nl.h"
#include "opts.h"
#include "util.h"

static void __attribute__((noreturn)) usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <command> [<args>]\n",
		program_invocation_short_name);
	fputs("\nShow PID namespaces and the processes in them, as the kernel sees them.\n",
	      out);
	fputs("\nCommands:\n", out);
	fputs(" tree [<pid>]       the process tree, with every process's PIDs\n", out);
	fputs(" ps                 a table of processes, with every process's PIDs\n", out);
	fputs(" ns [<ns>]          the PID namespaces, with their inits and counts\n", out);
	fputs(" info [-p <pid>]    the module, the kernel and a PID namespace\n",
	      out);
	fputs(" run [options] [--] <command> [<arg>...]\n"
	      "                    run a command in new namespaces (see 'run --help')\n",
	      out);
	fputs(" watch [options]    process lifecycle events as they happen\n", out);
	fputs(" why [options] <pid>  what became of the processes that had this PID\n", out);
	fputs(" zombies [options]  every zombie, oldest first, and why it is not reaped\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -h, --help         display this help\n", out);
	fputs(" -V, --version      display version\n", out);
	fputs("\nExit status: 0 success, 1 bad usage, 2 module not loaded,\n"
	      " 3 permission denied, 4 no such process or namespace, 5 other failure;\n"
	      " run: the command's status, or 125, 126, 127 (see 'run --help').\n",
	      out);
	fputs("\nEach command has its own --help.\n", out);
	fputs("For more details see nstree(8).\n", out);
	exit(NST_EXIT_OK);
}

static void __attribute__((noreturn)) info_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s info [options]\n", program_invocation_short_name);
	fputs("\nPrint the module's and the family's versions, the kernel release,\n"
	      "and the inode and level of your PID namespace or another process's.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -p, --pid <pid>        the PID namespace of this process\n", out);
	fputs(" -h, --help             display this help\n", out);
	fputs("\nFor more details see nstree(8).\n", out);
	exit(NST_EXIT_OK);
}

static int cmd_info(int argc, char **argv)
{
	struct nst_info info;
	struct nst_conn c;
	uint32_t pid = 0;
	int ch, err;

	while ((ch = getopt_long(argc, argv, nst_opts_info.shortopts,
				 nst_opts_info.longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if (nst_parse_pid(optarg, &pid))
				nst_usage_error("invalid PID: '%s'", optarg);
			break;
		case 'h':
			info_usage();
		default:
			nst_try_help();
		}
	}
	if (optind < argc)
		nst_usage_error("unexpected argument: '%s'", argv[optind]);

	err = nst_connect(&c);
	if (err)
		return err;
	err = nst_get_info(&c, pid, &info);
	if (err) {
		err = nst_report(&c, err, "info");
		nst_close(&c);
		return err;
	}
	nst_close(&c);

	printf("module version:  %s\n", info.module_version);
	printf("family version:  %u\n", info.family_version);
	printf("kernel release:  %s\n", info.release);
	printf("pid namespace:   pid:[%u]\n", info.inum);
	printf("namespace level: %u\n", info.level);
	return NST_EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "info", cmd_info },
	{ "ps", cmd_ps },
	{ "tree", cmd_tree },
	{ "ns", cmd_ns },
	{ "run", cmd_run },
	{ "watch", cmd_watch },
	{ "why", cmd_why },
	{ "zombies", cmd_zombies },
};

int main(int argc, char **argv)
{
	size_t i;
	int ch;

	setlocale(LC_ALL, "");
	atexit(nst_close_stdout);
	/*
	 * getopt names argv[0] in its messages: "nstree", as nst_usage_error()
	 * does, not the path it was run by.
	 */
	argv[0] = program_invocation_short_name;

	while ((ch = getopt_long(argc, argv, nst_opts_top.shortopts,
				 nst_opts_top.longopts, NULL)) != -1) {
		switch (ch) {
		case 'V':
			printf("%s from nstree %s\n",
			       program_invocation_short_name, NSTREE_VERSION);
			return NST_EXIT_OK;
		case 'h':
			usage();
		default:
			nst_try_help();
		}
	}
	if (optind >= argc)
		nst_usage_error("no command specified");

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name))
			continue;
		argc -= optind;
		argv += optind;
		/* Again "nstree" in getopt's messages, not "info". */
		argv[0] = program_invocation_short_name;
		optind = 0;	/* restart getopt for the command's options */
		nst_cmd_name = commands[i].name;
		return commands[i].fn(argc, argv);
	}
	nst_usage_error("unknown command: '%s'", argv[optind]);
}
