// SPDX-License-Identifier: GPL-2.0
/*
 * user/nstree.8 against the binary: every command; every option of every
 * command's getopt table in a section for that command, and nothing there
 * that the table lacks; every column of --list-columns with its help
 * text; every exit status --help names; an example of each command; the
 * version of the Makefile.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "help.h"
#include "lib.h"
#include "opts.h"

#define MAX_LINES 2048

struct man {
	char *text;
	char *line[MAX_LINES];	/* roff source lines, escapes undone */
	size_t n;
};

/* The text of roff source @s: "\-" a dash, no font changes. */
static void unescape(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] == '-') {
			*o++ = '-';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'f' && s[2]) {
			s += 3;
		} else if (s[0] == '\\' && s[1] == 'e') {
			*o++ = '\\';
			s += 2;
		} else if (!strncmp(s, "\\(aq", 4)) {
			*o++ = '\'';
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

static int man_read(struct man *m)
{
	const char *path = getenv("NSTREE_MAN");
	char *p, *nl;
	size_t len = 0;
	FILE *f;

	memset(m, 0, sizeof(*m));
	f = fopen(path && *path ? path : "user/nstree.8", "re");
	if (!f)
		return -1;
	m->text = malloc(1 << 20);
	if (m->text)
		len = fread(m->text, 1, (1 << 20) - 1, f);
	fclose(f);
	if (!m->text)
		return -1;
	m->text[len] = '\0';
	for (p = m->text; *p && m->n < MAX_LINES; p = nl + 1) {
		m->line[m->n++] = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
	}
	for (len = 0; len < m->n; len++)
		unescape(m->line[len]);
	return 0;
}

/* Lines [*@start, *@end) of the section (".SH") or subsection (".SS") @name. */
static int section(const struct man *m, const char *macro, const char *name,
		   size_t *start, size_t *end)
{
	size_t i, k;

	for (i = 0; i < m->n; i++) {
		const char *l = m->line[i];

		if (strncmp(l, macro, 4))
			continue;
		l += 4 + (l[4] == '"');
		if (strncmp(l, name, strlen(name)) ||
		    !strchr(" \"", l[strlen(name)]))
			continue;
		for (k = i + 1; k < m->n; k++)
			if (!strncmp(m->line[k], ".SH", 3) ||
			    (!strcmp(macro, ".SS ") && !strncmp(m->line[k], ".SS", 3)))
				break;
		*start = i + 1;
		*end = k;
		return 0;
	}
	return -1;
}

/* Does a .TP tag in [@start, @end) hold @s? "" ends: any. */
static int tag_has(const struct man *m, size_t start, size_t end,
		   const char *s, int whole_word)
{
	size_t i;

	for (i = start; i + 1 < end; i++) {
		const char *t, *hit;

		if (strcmp(m->line[i], ".TP"))
			continue;
		for (t = m->line[i + 1]; (hit = strstr(t, s)); t = hit + 1) {
			char after = hit[strlen(s)];

			if (!whole_word || !(after == '-' ||
					     (after >= 'a' && after <= 'z')))
				return 1;
		}
	}
	return 0;
}

FIXTURE(man) {
	struct help h;
	struct man m;
};

FIXTURE_SETUP(man)
{
	ASSERT_EQ(0, help_read(&self->h));
	ASSERT_EQ(0, man_read(&self->m)) TH_LOG("%m - reading the man page");
}

FIXTURE_TEARDOWN(man)
{
	free(self->m.text);
}

TEST_F(man, sections)
{
	static const char *const names[] = {
		"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS",
		"SELECTION OPTIONS", "OUTPUT OPTIONS", "COLUMNS",
		"INFO OPTIONS", "WATCH OPTIONS", "RUN OPTIONS",
		"EXIT STATUS", "ENVIRONMENT", "EXAMPLES", "SEE ALSO",
	};
	size_t i, s, e;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int found = !section(&self->m, ".SH ", names[i], &s, &e);

		EXPECT_TRUE(found) TH_LOG("no section %zu", i);
	}
}

/* Each command: in SYNOPSIS, a subsection of COMMANDS, an example. */
TEST_F(man, commands)
{
	size_t i, s, e, cs, ce, xs, xe;

	ASSERT_EQ(0, section(&self->m, ".SH ", "SYNOPSIS", &s, &e));
	ASSERT_EQ(0, section(&self->m, ".SH ", "COMMANDS", &cs, &ce));
	ASSERT_EQ(0, section(&self->m, ".SH ", "EXAMPLES", &xs, &xe));
	for (i = 0; i < self->h.ncmds; i++) {
		const char *name = self->h.cmds[i].name;
		char want[64];
		size_t k, ss, se;

		snprintf(want, sizeof(want), ".B nstree %s", name);
		for (k = s; k < e && strcmp(self->m.line[k], want); k++)
			;
		EXPECT_LT(k, e) TH_LOG("SYNOPSIS lacks %s", want);
		EXPECT_EQ(0, section(&self->m, ".SS ", name, &ss, &se))
			TH_LOG("COMMANDS lacks .SS %s", name);
		EXPECT_TRUE(ss > cs && ss < ce) TH_LOG("%s outside COMMANDS", name);
		snprintf(want, sizeof(want), "nstree %s", name);
		EXPECT_TRUE(tag_has(&self->m, xs, xe, want, 1))
			TH_LOG("no example of %s", name);
	}
}

/* ---- Options, section by section ---- */

#define MAX_DOCS 256

/* One option as an item of an options section documents it for @cmd. */
struct doc {
	const char *cmd;	/* "" for nstree's own */
	char shortopt;		/* 0 when the tag has none */
	char name[32];
	int has_arg;		/* no_, required_ or optional_argument */
	const char *section;
	size_t line;		/* of the tag, counted from 1 */
};

struct docs {
	struct doc d[MAX_DOCS];
	size_t n;
	char errors[16][160];	/* what could not be read */
	size_t nerrors;
};

static void doc_error(struct docs *ds, const char *fmt, const char *a,
		      size_t line)
{
	if (ds->nerrors < 16)
		snprintf(ds->errors[ds->nerrors++], sizeof(ds->errors[0]),
			 fmt, a, line);
}

static const struct nst_opts *opts_of(const char *word)
{
	const struct nst_opts *const *t;

	for (t = nst_all_opts + 1; *t; t++)
		if (!strcmp((*t)->cmd, word))
			return *t;
	return NULL;
}

/*
 * The commands named in @text, as words ("For tree, ps and ns.", "(tree,
 * ps)"), into @cmds; returns how many. With @strict, a word that is no
 * command is an error: returns -1.
 */
static int commands_in(const char *text, const char **cmds, int strict)
{
	char word[32];
	int n = 0;

	while (*text) {
		size_t len = strspn(text, "abcdefghijklmnopqrstuvwxyz");
		const struct nst_opts *o;

		if (!len) {
			text++;
			continue;
		}
		snprintf(word, sizeof(word), "%.*s", (int)len, text);
		text += len;
		o = opts_of(word);
		if (o && n < 16)
			cmds[n++] = o->cmd;
		else if (!o && strict)
			return -1;
	}
	return n;
}

/*
 * The tag of an item: ".BR -N \", \" --ns \" ns\"", ".B --output-all",
 * ".BR --show [=ms]", ".B --format=dot". Returns 0, or -1 if it holds no
 * long option.
 */
static int read_tag(const char *tag, struct doc *d)
{
	const char *p = strstr(tag, "--"), *s;
	size_t n;

	if (strncmp(tag, ".B", 2) || !p)
		return -1;
	s = strstr(tag, " -");
	if (s && s[2] != '-' && s[2] && strchr(" \"", s[3]))
		d->shortopt = s[2];
	p += 2;
	n = strspn(p, "abcdefghijklmnopqrstuvwxyz-");
	if (!n || n >= sizeof(d->name))
		return -1;
	memcpy(d->name, p, n);
	d->name[n] = '\0';
	p += n;
	if (!strncmp(p, " [=", 3) || !strncmp(p, "[=", 2))
		d->has_arg = optional_argument;
	else if (*p == '=' || p[strspn(p, " \"")])
		d->has_arg = required_argument;
	else
		d->has_arg = no_argument;
	return 0;
}

/*
 * Every item of every ".SH ... OPTIONS" section, once for each command it
 * is for: a section "RUN OPTIONS" is run's, "OPTIONS" nstree's own, any
 * other the commands its first paragraph names ("For tree, ps and ns.").
 * An item whose text begins "(tree, ps)" is those commands' only. The
 * item for --help in OPTIONS is every command's too, as it says.
 */
static void read_docs(const struct man *m, struct docs *ds)
{
	size_t i, k;

	memset(ds, 0, sizeof(*ds));
	for (i = 0; i < m->n; i++) {
		const char *name = m->line[i] + 4, *scope[16];
		char head[256] = "", upper[32];
		int nscope = 0;
		size_t end, len;

		if (strncmp(m->line[i], ".SH ", 4))
			continue;
		name += *name == '"';
		len = strcspn(name, "\"");
		if (len < 7 || strncmp(name + len - 7, "OPTIONS", 7))
			continue;
		for (end = i + 1; end < m->n && strncmp(m->line[end], ".SH", 3);
		     end++)
			;
		if (len == 7) {
			scope[nscope++] = "";
		} else {
			for (k = 0; k + 8 < len && k + 1 < sizeof(upper); k++)
				upper[k] = tolower((unsigned char)name[k]);
			upper[k] = '\0';
			if (opts_of(upper))
				scope[nscope++] = opts_of(upper)->cmd;
		}
		for (k = i + 1; k < end && strcmp(m->line[k], ".TP"); k++) {
			size_t used = strlen(head);

			snprintf(head + used, sizeof(head) - used, " %s",
				 m->line[k]);
		}
		if (!nscope)
			nscope = commands_in(head, scope, 0);
		for (k = i + 1; k + 2 < end; k++) {
			const char *cmds[16], *text = m->line[k + 2];
			struct doc d = { .section = m->line[i] + 4,
					 .line = k + 2 };
			int n, c;

			if (strcmp(m->line[k], ".TP"))
				continue;
			if (read_tag(m->line[k + 1], &d)) {
				doc_error(ds, "no option in the tag '%s' (line %zu)",
					  m->line[k + 1], k + 2);
				continue;
			}
			n = nscope;
			memcpy(cmds, scope, sizeof(scope));
			if (text[0] == '(') {
				char list[64];

				snprintf(list, sizeof(list), "%.*s",
					 (int)strcspn(text + 1, ")"), text + 1);
				n = commands_in(list, cmds, 1);
				if (n <= 0)
					doc_error(ds, "'(%s)' names no command (line %zu)",
						  list, k + 3);
			}
			if (len == 7 && !strcmp(d.name, "help") &&
			    strstr(text, "after a command, that command's")) {
				const struct nst_opts *const *t;

				for (n = 0, t = nst_all_opts; *t; t++)
					cmds[n++] = (*t)->cmd;
			}
			if (n <= 0)
				doc_error(ds, "--%s is no command's (line %zu)",
					  d.name, k + 2);
			for (c = 0; c < n && ds->n < MAX_DOCS; c++) {
				d.cmd = cmds[c];
				ds->d[ds->n++] = d;
			}
		}
	}
}

static int short_kind(const char *shortopts, char letter)
{
	const char *p = shortopts + strspn(shortopts, "+-:");

	for (; *p; p++)
		if (*p == letter)
			return p[1] != ':' ? no_argument :
			       p[2] == ':' ? optional_argument :
			       required_argument;
	return -1;
}

static const char *cmd_name(const char *cmd)
{
	return *cmd ? cmd : "nstree";
}

/*
 * Every option of every command's getopt table (user/opts.c) is an item of
 * a section for that command, with the same letter and argument; once.
 */
TEST_F(man, options_documented)
{
	const struct nst_opts *const *t;
	const struct option *o;
	struct docs ds;
	size_t i, k, n = 0;

	read_docs(&self->m, &ds);
	for (i = 0; i < ds.nerrors; i++)
		EXPECT_STREQ("", ds.errors[i]);
	for (t = nst_all_opts; *t; t++) {
		for (o = (*t)->longopts; o->name; o++, n++) {
			const struct doc *d = NULL;
			int seen = 0;

			for (k = 0; k < ds.n; k++)
				if (!strcmp(ds.d[k].cmd, (*t)->cmd) &&
				    !strcmp(ds.d[k].name, o->name)) {
					d = &ds.d[k];
					seen++;
				}
			EXPECT_EQ(1, seen)
				TH_LOG("%s --%s: documented %d times in its sections",
				       cmd_name((*t)->cmd), o->name, seen);
			if (!d)
				continue;
			EXPECT_EQ(o->val > 0 && o->val < 128 ? o->val : 0,
				  d->shortopt)
				TH_LOG("%s --%s: the letter of line %zu",
				       cmd_name((*t)->cmd), o->name, d->line);
			EXPECT_EQ(o->has_arg, d->has_arg)
				TH_LOG("%s --%s: the argument of line %zu",
				       cmd_name((*t)->cmd), o->name, d->line);
		}
	}
	EXPECT_LT(40, n);
}

/* Nothing documented for a command that its getopt table lacks. */
TEST_F(man, no_option_the_binary_lacks)
{
	struct docs ds;
	size_t i;

	read_docs(&self->m, &ds);
	EXPECT_LT(40, ds.n);
	for (i = 0; i < ds.n; i++) {
		const struct doc *d = &ds.d[i];
		const struct nst_opts *t = *d->cmd ? opts_of(d->cmd) :
						     nst_all_opts[0];
		const struct option *o;

		ASSERT_NE(NULL, t);
		for (o = t->longopts; o->name && strcmp(o->name, d->name); o++)
			;
		EXPECT_NE(NULL, o->name)
			TH_LOG("%s: line %zu (%s) documents --%s, which it lacks",
			       cmd_name(d->cmd), d->line, d->section, d->name);
		if (d->shortopt)
			EXPECT_LE(0, short_kind(t->shortopts, d->shortopt))
				TH_LOG("%s: line %zu documents -%c, which it lacks",
				       cmd_name(d->cmd), d->line, d->shortopt);
	}
}

/* .TH's "nstree VERSION" is the Makefile's VERSION, which -V prints. */
TEST_F(man, version)
{
	char mk[4096], want[64], *p;
	struct cmd_result r;
	size_t i, n;
	FILE *f;

	for (i = 0; i < self->m.n && strncmp(self->m.line[i], ".TH ", 4); i++)
		;
	ASSERT_LT(i, self->m.n) TH_LOG("no .TH line");
	f = fopen("Makefile", "re");
	ASSERT_NE(NULL, f) TH_LOG("%m - the Makefile (run from the top)");
	n = fread(mk, 1, sizeof(mk) - 1, f);
	fclose(f);
	mk[n] = '\0';
	p = strstr(mk, "\nVERSION := ");
	ASSERT_NE(NULL, p);
	p += strlen("\nVERSION := ");
	snprintf(want, sizeof(want), "\"nstree %.*s\"", (int)strcspn(p, "\n"),
		 p);
	EXPECT_NE(NULL, strstr(self->m.line[i], want))
		TH_LOG("%s has not %s", self->m.line[i], want);
	nst_cmd(&r, "%s -V", help_bin());
	snprintf(want, sizeof(want), " nstree %.*s\n", (int)strcspn(p, "\n"),
		 p);
	EXPECT_NE(NULL, strstr(r.out, want)) TH_LOG("-V: %s", r.out);
	nst_cmd_free(&r);
}

/* The columns, each with the help text of --list-columns, none else. */
TEST_F(man, columns)
{
	static const struct {
		const char *cmd, *sub;
	} sets[] = {
		{ "ps", "Process columns" }, { "tree", "Process columns" },
		{ "ns", "Namespace columns" },
		{ "zombies", "Zombie columns" },
	};
	size_t i, k, j, s, e, tags;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		const struct help_cmd *c = NULL;

		for (k = 0; k < self->h.ncmds; k++)
			if (!strcmp(self->h.cmds[k].name, sets[i].cmd))
				c = &self->h.cmds[k];
		ASSERT_NE(NULL, c) TH_LOG("no command %s", sets[i].cmd);
		ASSERT_LT(0, c->ncols);
		ASSERT_EQ(0, section(&self->m, ".SS ", sets[i].sub, &s, &e));
		for (k = 0; k < c->ncols; k++) {
			char want[32];

			snprintf(want, sizeof(want), ".B %s", c->cols[k]);
			for (j = s; j + 2 < e; j++)
				if (!strcmp(self->m.line[j], ".TP") &&
				    !strcmp(self->m.line[j + 1], want))
					break;
			ASSERT_LT(j + 2, e) TH_LOG("%s: no %s", sets[i].sub, want);
			EXPECT_STREQ(c->colhelp[k], self->m.line[j + 2]);
		}
		for (j = s, tags = 0; j < e; j++)
			tags += !strcmp(self->m.line[j], ".TP");
		EXPECT_EQ(c->ncols, tags) TH_LOG("%s", sets[i].sub);
	}
}

/* Every exit status --help names, as an item of EXIT STATUS. */
TEST_F(man, exit_statuses)
{
	size_t i, s, e;

	ASSERT_EQ(0, section(&self->m, ".SH ", "EXIT STATUS", &s, &e));
	ASSERT_LE(6, self->h.nexits);
	for (i = 0; i < self->h.nexits; i++) {
		char want[16];
		size_t k;

		snprintf(want, sizeof(want), ".B %d", self->h.exits[i]);
		for (k = s; k + 1 < e; k++)
			if (!strcmp(self->m.line[k], ".TP") &&
			    !strcmp(self->m.line[k + 1], want))
				break;
		EXPECT_LT(k + 1, e) TH_LOG("no exit status %d", self->h.exits[i]);
	}
}

TEST_HARNESS_MAIN
