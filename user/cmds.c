// SPDX-License-Identifier: GPL-2.0
/*
 * What the nstree commands share: usage errors, the connection to the
 * module, one-line reports of failed requests, and the check that
 * everything written to standard output got there.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cmds.h"

const char *nst_cmd_name;

void nst_try_help(void)
{
	/* After a command, its own help: the options are there. */
	if (nst_cmd_name)
		fprintf(stderr, "Try '%s %s --help' for more information.\n",
			program_invocation_short_name, nst_cmd_name);
	else
		fprintf(stderr, "Try '%s --help' for more information.\n",
			program_invocation_short_name);
	exit(NST_EXIT_USAGE);
}

void nst_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	nst_try_help();
}

int nst_report(const struct nst_conn *c, int err, const char *what)
{
	const char *why = strerror(-err);
	int code;

	switch (err) {
	case -EPERM:
	case -EACCES:
		code = NST_EXIT_PERM;
		break;
	case -ENOENT:
	case -ESRCH:
		/* strerror() would say "No such file or directory". */
		why = "not found";
		code = NST_EXIT_NOTFOUND;
		break;
	default:
		code = NST_EXIT_FAILURE;
	}
	if (c->extack[0])
		warnx("%s: %s (kernel reports: %s)", what, why, c->extack);
	else
		warnx("%s: %s", what, why);
	return code;
}

/*
 * The kernel has already asked modprobe for the family's alias
 * (MODULE_ALIAS_GENL_FAMILY) before it answers that there is no family:
 * whether depmod knows the module for this kernel tells what can work.
 */
static int nst_module_installed(const char *release)
{
	char path[320], *line = NULL;
	size_t size = 0;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/lib/modules/%s/modules.alias", release);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!found && getline(&line, &size, f) > 0)
		found = !strcmp(line,
			"alias net-pf-16-proto-16-family-nstree nstree\n");
	free(line);
	fclose(f);
	return found;
}

int nst_connect(struct nst_conn *c)
{
	int err = nst_open(c);

	if (err == -ENOENT) {
		struct utsname u;

		if (uname(&u))
			strcpy(u.release, "?");
		if (nst_module_installed(u.release))
			warnx("the nstree kernel module is installed but did not "
			      "load (as root: 'modprobe nstree'; dmesg says why)");
		else
			warnx("the nstree kernel module is not installed for "
			      "kernel %s ('make install' in nstree's sources, "
			      "as root, or 'insmod nstree.ko')", u.release);
		return NST_EXIT_NOMODULE;
	}
	if (err) {
		warnx("cannot connect to generic netlink: %s", strerror(-err));
		return NST_EXIT_FAILURE;
	}
	return NST_EXIT_OK;
}

void nst_close_stdout(void)
{
	int pending = __fpending(stdout) != 0;
	int failed = ferror(stdout);

	errno = 0;
	if (!fclose(stdout) && !failed)
		return;
	/*
	 * A stdout closed from the start with nothing left to write is no
	 * failure, and a reader that went away (EPIPE, as with "| head")
	 * wanted no more.
	 */
	if ((!failed && !pending && errno == EBADF) || errno == EPIPE)
		return;
	if (errno)
		warn("write error");
	else
		warnx("write error");
	_exit(NST_EXIT_FAILURE);
}
