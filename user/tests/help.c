// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"
#include "lib.h"

const char *help_bin(void)
{
	const char *bin = getenv("NSTREE_BIN");

	return bin && *bin ? bin : "user/nstree";
}

/* The stdout of "@bin @args", which must succeed; NULL if not. */
static char *help_run(const char *bin, const char *args)
{
	struct cmd_result r;
	char *out;

	nst_cmd(&r, "%s %s", bin, args);
	out = r.status ? NULL : r.out;
	if (!out)
		free(r.out);
	free(r.err);
	return out;
}

/* The next line of *@p, terminated in place; NULL at the end. */
static char *next_line(char **p)
{
	char *line = *p, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
}

/*
 * One option line: " -o, --output <list>    ..." or "     --format=dot ...".
 * Returns 1 if @line is one.
 */
static int parse_opt(const char *line, struct help_opt *o)
{
	const char *p = line;
	size_t n;

	memset(o, 0, sizeof(*o));
	while (*p == ' ')
		p++;
	if (p == line || *p != '-')
		return 0;
	if (p[1] != '-') {
		if (!isalnum((unsigned char)p[1]) || strncmp(p + 2, ", ", 2))
			return 0;
		o->shortopt = p[1];
		p += 4;
	}
	if (strncmp(p, "--", 2))
		return 0;
	p += 2;
	n = strspn(p, "abcdefghijklmnopqrstuvwxyz-");
	if (!n || n >= sizeof(o->name))
		return 0;
	memcpy(o->name, p, n);
	p += n;
	if (!strncmp(p, "[=<", 3)) {
		o->arg[0] = '?';
		sscanf(p + 3, "%30[a-z]", o->arg + 1);
	} else if (!strncmp(p, "=<", 2) || !strncmp(p, " <", 2)) {
		sscanf(p + 2, "%31[a-z]", o->arg);
	} else if (*p == '=') {
		o->arg[0] = '=';
		sscanf(p + 1, "%30[a-z]", o->arg + 1);
	}
	return 1;
}

/* The options and usage line of one --help text. */
static void parse_help(char *text, struct help_cmd *c)
{
	char *p = text, *line;
	int in_opts = 0, in_usage = 0;

	while ((line = next_line(&p))) {
		if (in_usage) {
			snprintf(c->usage, sizeof(c->usage), "%s", line);
			in_usage = 0;
		}
		if (!strcmp(line, "Usage:"))
			in_usage = 1;
		if (!strcmp(line, "Options:"))
			in_opts = 1;
		else if (!*line)
			in_opts = 0;
		else if (in_opts && c->nopts < HELP_MAX_OPTS &&
			 parse_opt(line, &c->opts[c->nopts]))
			c->nopts++;
		else if (in_opts && line[strspn(line, " ")] == '-' &&
			 c->nunparsed < HELP_MAX_OPTS)
			snprintf(c->unparsed[c->nunparsed++],
				 sizeof(c->unparsed[0]), "%s", line);
	}
}

static void parse_exits(const char *text, struct help *h)
{
	const char *p = strstr(text, "Exit status:");
	const char *end = p ? strstr(p, "\n\n") : NULL;
	char *e;
	long v;

	if (!p)
		return;
	for (p += 12; *p && (!end || p < end); p++) {
		if (!isdigit((unsigned char)*p) || isdigit((unsigned char)p[-1]))
			continue;
		v = strtol(p, &e, 10);
		/* "128 + the signal" is no fixed status. */
		if (!strncmp(e, " +", 2) || h->nexits == 16)
			continue;
		h->exits[h->nexits++] = (int)v;
		p = e - 1;
	}
}

static int read_columns(const char *bin, struct help_cmd *c)
{
	char args[64], *text, *p, *line;

	snprintf(args, sizeof(args), "%s --list-columns", c->name);
	text = help_run(bin, args);
	p = text;
	if (!text)
		return -1;
	while ((line = next_line(&p)) && c->ncols < HELP_MAX_COLS) {
		char *name = line + strspn(line, " ");
		char *sep = strstr(name, "  ");

		if (!sep)
			continue;
		*sep = '\0';
		snprintf(c->cols[c->ncols], sizeof(c->cols[0]), "%s", name);
		snprintf(c->colhelp[c->ncols], sizeof(c->colhelp[0]), "%s",
			 sep + 2);
		c->ncols++;
	}
	free(text);
	return 0;
}

int help_read(struct help *h)
{
	const char *bin = help_bin();
	char *top = help_run(bin, "--help"), *p, *line, *text, args[32];
	int in_cmds = 0;
	size_t i, k;

	memset(h, 0, sizeof(*h));
	if (!top) {
		fprintf(stderr, "# cannot run %s --help\n", bin);
		return -1;
	}
	parse_exits(top, h);
	text = strdup(top);
	parse_help(text, &h->top);
	free(text);
	for (p = top; (line = next_line(&p));) {
		if (!strcmp(line, "Commands:")) {
			in_cmds = 1;
			continue;
		}
		if (!*line)
			in_cmds = 0;
		/* " tree [<pid>]   the ...": a name one space in. */
		if (in_cmds && line[0] == ' ' && islower((unsigned char)line[1]) &&
		    h->ncmds < HELP_MAX_CMDS)
			sscanf(line + 1, "%15[a-z-]", h->cmds[h->ncmds++].name);
	}
	free(top);
	for (i = 0; i < h->ncmds; i++) {
		struct help_cmd *c = &h->cmds[i];

		snprintf(args, sizeof(args), "%s --help", c->name);
		text = help_run(bin, args);
		if (!text) {
			fprintf(stderr, "# cannot run %s %s --help\n", bin, c->name);
			return -1;
		}
		parse_exits(text, h);
		parse_help(text, c);
		free(text);
		for (k = 0; k < c->nopts; k++)
			if (!strcmp(c->opts[k].name, "list-columns") &&
			    read_columns(bin, c))
				return -1;
	}
	return h->ncmds ? 0 : -1;
}
