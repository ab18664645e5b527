// SPDX-License-Identifier: GPL-2.0
/*
 * The generated bash completion against the binary it was generated from:
 * bash itself is asked what it offers, word by word, and the answer must
 * be exactly what --help and --list-columns say.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "help.h"

#define MAX_WORDS 512

struct words {
	char *w[MAX_WORDS];
	size_t n;
	char *buf;
};

static const char *completion_file(void)
{
	const char *f = getenv("NSTREE_COMPLETION");

	return f && *f ? f : "build/nstree.bash";
}

/*
 * What the completion offers for the command line @argv (NULL-ended; the
 * last word is the one being completed), as bash splits it.
 */
static int complete(struct words *out, const char *const *argv)
{
	static const char script[] =
		"source \"$1\" || exit 1; shift; COMP_WORDS=(\"$@\"); "
		"COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\"; "
		"COMP_POINT=${#COMP_LINE}; _nstree; "
		"printf '%s\\n' \"${COMPREPLY[@]}\"";
	const char *args[32] = { "bash", "--norc", "--noprofile", "-c",
				 script, "bash", completion_file() };
	size_t n = 7, len = 0, cap = 0, i;
	int fds[2], st;
	ssize_t got;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	while (*argv && n < 31)
		args[n++] = *argv++;
	args[n] = NULL;
	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		char path[4096], dir[1024], *slash;

		/* The completion runs nstree for PIDs: the one under test. */
		snprintf(dir, sizeof(dir), "%s", help_bin());
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		snprintf(path, sizeof(path), "%s:%s", slash ? dir : ".",
			 getenv("PATH") ?: "/usr/bin:/bin");
		setenv("PATH", path, 1);
		dup2(fds[1], 1);
		close(fds[0]);
		execvp("bash", (char *const *)args);
		_exit(127);
	}
	close(fds[1]);
	do {
		if (cap - len < 4096) {
			char *nb = realloc(out->buf, cap + 65536);

			if (!nb)
				break;
			out->buf = nb;
			cap += 65536;
		}
		got = read(fds[0], out->buf + len, cap - len - 1);
		if (got > 0)
			len += got;
	} while (got > 0);
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) || !out->buf)
		return -1;
	out->buf[len] = '\0';
	for (i = 0; i < len && out->n < MAX_WORDS; ) {
		char *nl = strchr(out->buf + i, '\n');

		if (!nl)
			break;
		*nl = '\0';
		if (nl > out->buf + i)
			out->w[out->n++] = out->buf + i;
		i = nl - out->buf + 1;
	}
	return 0;
}

static int has(const struct words *w, const char *s)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!strcmp(w->w[i], s))
			return 1;
	return 0;
}

/* Does @got hold exactly @want (@n words), in any order, each once? */
static int same_set(struct __test_metadata *_metadata, const struct words *got,
		    char want[][64], size_t n, const char *what)
{
	size_t i, k, ok = got->n == n;

	for (i = 0; i < n; i++)
		if (!has(got, want[i])) {
			TH_LOG("%s: '%s' not offered", what, want[i]);
			ok = 0;
		}
	for (i = 0; i < got->n; i++) {
		for (k = 0; k < n && strcmp(got->w[i], want[k]); k++)
			;
		if (k == n) {
			TH_LOG("%s: '%s' offered, not in --help", what, got->w[i]);
			ok = 0;
		}
		for (k = 0; k < i; k++)
			if (!strcmp(got->w[i], got->w[k]))
				ok = 0;
	}
	return ok;
}

FIXTURE(comp) {
	struct help h;
	struct words w;
	char want[MAX_WORDS][64];
};

FIXTURE_SETUP(comp)
{
	struct stat st;

	if (stat(completion_file(), &st))
		SKIP(return, "no %s: run 'make completion'", completion_file());
	ASSERT_EQ(0, help_read(&self->h));
	memset(&self->w, 0, sizeof(self->w));
}

FIXTURE_TEARDOWN(comp)
{
	free(self->w.buf);
}

static void ask(struct __test_metadata *_metadata, struct words *w,
		const char *const *argv)
{
	free(w->buf);
	ASSERT_EQ(0, complete(w, argv)) TH_LOG("bash failed on %s %s", argv[0],
					       argv[1] ?: "");
}

/* "nstree <TAB>": the commands of --help; "nstree -<TAB>": its options. */
TEST_F(comp, commands_and_global_options)
{
	const char *cmds[] = { "nstree", "", NULL };
	const char *opts[] = { "nstree", "-", NULL };
	size_t i, n = 0;

	ask(_metadata, &self->w, cmds);
	for (i = 0; i < self->h.ncmds; i++)
		snprintf(self->want[i], 64, "%s", self->h.cmds[i].name);
	EXPECT_TRUE(same_set(_metadata, &self->w, self->want, self->h.ncmds,
			     "commands"));
	EXPECT_LE(5, self->h.ncmds);

	ask(_metadata, &self->w, opts);
	for (i = 0; i < self->h.top.nopts; i++) {
		const struct help_opt *o = &self->h.top.opts[i];

		if (o->shortopt)
			snprintf(self->want[n++], 64, "-%c", o->shortopt);
		snprintf(self->want[n++], 64, "--%s", o->name);
	}
	EXPECT_TRUE(same_set(_metadata, &self->w, self->want, n, "nstree -"));
}

/* "nstree CMD --<TAB>": every long option of its --help, no other. */
TEST_F(comp, options_of_each_command)
{
	size_t i, k, n;

	for (i = 0; i < self->h.ncmds; i++) {
		const struct help_cmd *c = &self->h.cmds[i];
		const char *longs[] = { "nstree", c->name, "--", NULL };
		const char *all[] = { "nstree", c->name, "-", NULL };

		ASSERT_LT(0, c->nopts) TH_LOG("%s has no options", c->name);
		ask(_metadata, &self->w, longs);
		for (k = 0; k < c->nopts; k++)
			snprintf(self->want[k], 64, "--%s", c->opts[k].name);
		EXPECT_TRUE(same_set(_metadata, &self->w, self->want, c->nopts,
				     c->name));
		ask(_metadata, &self->w, all);
		for (k = n = 0; k < c->nopts; k++) {
			if (c->opts[k].shortopt)
				snprintf(self->want[n++], 64, "-%c",
					 c->opts[k].shortopt);
			snprintf(self->want[n++], 64, "--%s", c->opts[k].name);
		}
		EXPECT_TRUE(same_set(_metadata, &self->w, self->want, n, c->name));
	}
}

/* -o, --output and --sort: the columns of --list-columns, no other. */
TEST_F(comp, columns)
{
	size_t i, k, j, tested = 0;

	for (i = 0; i < self->h.ncmds; i++) {
		const struct help_cmd *c = &self->h.cmds[i];

		for (k = 0; k < c->nopts; k++) {
			const struct help_opt *o = &c->opts[k];
			char lopt[40], prefix[40];
			const char *forms[3][6] = {
				{ "nstree", c->name, lopt, "", NULL },
				{ "nstree", c->name, lopt, "=", "", NULL },
				{ "nstree", c->name, lopt, prefix, NULL },
			};
			size_t f;

			if (strcmp(o->arg, "list") && strcmp(o->arg, "column"))
				continue;
			ASSERT_LT(0, c->ncols) TH_LOG("%s: no columns", c->name);
			snprintf(lopt, sizeof(lopt), "--%s", o->name);
			for (f = 0; f < 2; f++) {
				ask(_metadata, &self->w, forms[f]);
				for (j = 0; j < c->ncols; j++)
					snprintf(self->want[j], 64, "%s", c->cols[j]);
				EXPECT_TRUE(same_set(_metadata, &self->w, self->want,
						     c->ncols, lopt));
			}
			tested++;
			if (strcmp(o->arg, "list"))
				continue;
			/* A list goes on after a comma, or after a leading +. */
			snprintf(prefix, sizeof(prefix), "%s,", c->cols[0]);
			ask(_metadata, &self->w, forms[2]);
			for (j = 0; j < c->ncols; j++)
				snprintf(self->want[j], 64, "%s,%s", c->cols[0],
					 c->cols[j]);
			EXPECT_TRUE(same_set(_metadata, &self->w, self->want,
					     c->ncols, "-o X,"));
			snprintf(prefix, sizeof(prefix), "+");
			ask(_metadata, &self->w, forms[2]);
			for (j = 0; j < c->ncols; j++)
				snprintf(self->want[j], 64, "+%s", c->cols[j]);
			EXPECT_TRUE(same_set(_metadata, &self->w, self->want,
					     c->ncols, "-o +"));
		}
	}
	/* ps, tree and ns have -o, ps has --sort. */
	EXPECT_LE(4, tested);
}

/* --format=dot: the one value --help names, split at '=' or whole. */
TEST_F(comp, fixed_values)
{
	size_t i, k, tested = 0;

	for (i = 0; i < self->h.ncmds; i++) {
		const struct help_cmd *c = &self->h.cmds[i];

		for (k = 0; k < c->nopts; k++) {
			const struct help_opt *o = &c->opts[k];
			char lopt[40], whole[48];
			const char *split[] = { "nstree", c->name, lopt, "=", "", NULL };
			const char *joined[] = { "nstree", c->name, whole, NULL };

			if (o->arg[0] != '=')
				continue;
			snprintf(lopt, sizeof(lopt), "--%s", o->name);
			snprintf(whole, sizeof(whole), "--%s=", o->name);
			ask(_metadata, &self->w, split);
			snprintf(self->want[0], 64, "%s", o->arg + 1);
			EXPECT_TRUE(same_set(_metadata, &self->w, self->want, 1, lopt));
			ask(_metadata, &self->w, joined);
			snprintf(self->want[0], 64, "%s%s", whole, o->arg + 1);
			EXPECT_TRUE(same_set(_metadata, &self->w, self->want, 1, whole));
			tested++;
		}
	}
	EXPECT_LE(2, tested);
}

/* PIDs, namespaces, users and commands where --help says they go. */
TEST_F(comp, arguments)
{
	const char *want;
	char self_ns[24];
	struct stat st;
	size_t i, k, tested = 0;

	ASSERT_EQ(0, stat("/proc/self/ns/pid", &st));
	snprintf(self_ns, sizeof(self_ns), "%lu", (unsigned long)st.st_ino);
	for (i = 0; i < self->h.ncmds; i++) {
		const struct help_cmd *c = &self->h.cmds[i];
		char pos[32] = "";
		const char *first[] = { "nstree", c->name, "", NULL };
		const char *p = strstr(c->usage, "<");

		/* The usage line's argument: "[<pid>]", "<command>". */
		if (p)
			sscanf(p, "<%31[a-z]>", pos);
		/* Commands on PATH are many: those starting with "s". */
		if (!strcmp(pos, "command"))
			first[2] = "s";
		ask(_metadata, &self->w, first);
		want = !strcmp(pos, "pid") ? "1" : !strcmp(pos, "ns") ? self_ns :
		       !strcmp(pos, "command") ? "sh" : NULL;
		EXPECT_TRUE(want ? has(&self->w, want) : self->w.n == 0)
			TH_LOG("%s <%s>", c->name, pos);
		tested += want != NULL;

		for (k = 0; k < c->nopts; k++) {
			const struct help_opt *o = &c->opts[k];
			char lopt[40];
			const char *val[] = { "nstree", c->name, lopt, "", NULL };

			want = !strcmp(o->arg, "pid") ? "1" :
			       !strcmp(o->arg, "pids") ? "1" :
			       !strcmp(o->arg, "ns") ? self_ns :
			       !strcmp(o->arg, "user") ? "root" :
			       !strcmp(o->arg, "users") ? "root" : NULL;
			if (!want)
				continue;
			snprintf(lopt, sizeof(lopt), "--%s", o->name);
			ask(_metadata, &self->w, val);
			EXPECT_TRUE(has(&self->w, want)) TH_LOG("%s %s", c->name, lopt);
			tested++;
		}
	}
	EXPECT_LE(8, tested);
}

/*
 * watch -e: the event types --help lists below the option, in a comma
 * list; none of them is on the option's own line.
 */
TEST_F(comp, event_types)
{
	static const char *const types[] = {
		"fork", "exec", "exit", "zombie", "autoreap", "reap",
		"reparent", "ns-init-exit", "ns-created", "ns-destroyed",
	};
	const char *first[] = { "nstree", "watch", "-e", "", NULL };
	const char *after[] = { "nstree", "watch", "--events", "fork,e", NULL };
	const char *attached[] = { "nstree", "watch", "--events", "=", "ns-c",
				   NULL };
	size_t i, n = sizeof(types) / sizeof(types[0]);

	ask(_metadata, &self->w, first);
	for (i = 0; i < n; i++)
		snprintf(self->want[i], 64, "%s", types[i]);
	EXPECT_TRUE(same_set(_metadata, &self->w, self->want, n, "-e"));
	ask(_metadata, &self->w, after);
	snprintf(self->want[0], 64, "fork,exec");
	snprintf(self->want[1], 64, "fork,exit");
	EXPECT_TRUE(same_set(_metadata, &self->w, self->want, 2, "-e fork,e"));
	ask(_metadata, &self->w, attached);
	snprintf(self->want[0], 64, "ns-created");
	EXPECT_TRUE(same_set(_metadata, &self->w, self->want, 1, "--events=ns-c"));
}

/*
 * Columns in the case they are typed in: "-o pid,n" goes on in lower
 * case; --sort keys keep their '-'.
 */
TEST_F(comp, columns_any_case)
{
	const char *lower[] = { "nstree", "ps", "-o", "pid,nsp", NULL };
	const char *upper[] = { "nstree", "ps", "-o", "PID,NSP", NULL };
	const char *first[] = { "nstree", "ns", "-o", "paren", NULL };
	const char *sort[] = { "nstree", "ps", "--sort", "pid,-sta", NULL };

	ask(_metadata, &self->w, lower);
	snprintf(self->want[0], 64, "pid,nspid");
	EXPECT_TRUE(same_set(_metadata, &self->w, self->want, 1, "pid,nsp"));
	ask(_metadata, &self->w, upper);
	snprintf(self->want[0], 64, "PID,NSPID");
	EXPECT_TRUE(same_set(_metadata, &self->w, self->want, 1, "PID,NSP"));
	ask(_metadata, &self->w, first);
	snprintf(self->want[0], 64, "parent");
	snprintf(self->want[1], 64, "parentid");
	EXPECT_TRUE(same_set(_metadata, &self->w, self->want, 2, "paren"));
	ask(_metadata, &self->w, sort);
	snprintf(self->want[0], 64, "pid,-start");
	snprintf(self->want[1], 64, "pid,-state");
	EXPECT_TRUE(same_set(_metadata, &self->w, self->want, 2, "pid,-sta"));
}

/* After run's command, its words are its own: no nstree options. */
TEST_F(comp, run_command_words)
{
	const char *after[] = { "nstree", "run", "-q", "sh", "--", NULL };
	const char *opt[] = { "nstree", "run", "-q", "--", NULL };
	const char *uts[] = { "nstree", "run", "--hostname", "", NULL };

	ask(_metadata, &self->w, after);
	EXPECT_FALSE(has(&self->w, "--pid"));
	ask(_metadata, &self->w, opt);
	EXPECT_TRUE(has(&self->w, "--pid"));
	/* --hostname NAME: a name of the user's choosing, nothing to offer. */
	ask(_metadata, &self->w, uts);
	EXPECT_EQ(0, self->w.n);
}

TEST_HARNESS_MAIN
