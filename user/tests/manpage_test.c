// SPDX-License-Identifier: GPL-2.0
/*
 * user/nstree.8 against the binary: every command, every option of every
 * command's --help, every column of --list-columns with its help text,
 * every exit status --help names, and an example of each command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "help.h"

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
		"SELECTION OPTIONS", "OUTPUT OPTIONS", "COLUMNS", "RUN OPTIONS",
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

/* Every option of every --help, as the tag of an item: "-o, --output". */
TEST_F(man, options)
{
	const struct help_cmd *cmds[HELP_MAX_CMDS + 1] = { &self->h.top };
	size_t i, k, n = 1;

	for (i = 0; i < self->h.ncmds; i++)
		cmds[n++] = &self->h.cmds[i];
	for (i = 0; i < n; i++) {
		for (k = 0; k < cmds[i]->nopts; k++) {
			const struct help_opt *o = &cmds[i]->opts[k];
			char want[64];

			if (o->shortopt)
				snprintf(want, sizeof(want), "-%c \", \" --%s",
					 o->shortopt, o->name);
			else
				snprintf(want, sizeof(want), "--%s", o->name);
			EXPECT_TRUE(tag_has(&self->m, 0, self->m.n, want, 1))
				TH_LOG("%s: no item for %s", cmds[i]->name, want);
		}
	}
}

/* The columns, each with the help text of --list-columns, none else. */
TEST_F(man, columns)
{
	static const struct {
		const char *cmd, *sub;
	} sets[] = {
		{ "ps", "Process columns" }, { "tree", "Process columns" },
		{ "ns", "Namespace columns" },
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
