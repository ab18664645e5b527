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
#include <unistd.h>

#include "cmds.h"

void nst_try_help(void)
{
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

int nst_connect(struct nst_conn *c)
{
	int err = nst_open(c);

	if (err == -ENOENT) {
		warnx("the nstree kernel module is not loaded "
		      "(load it with 'modprobe nstree' or 'insmod nstree.ko')");
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
