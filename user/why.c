// SPDX-License-Identifier: GPL-2.0
/*
 * nstree why PID: what became of the processes that had this PID, from
 * the record `nstree watch --record` keeps (user/record.c), newest first,
 * each named by its identity (PID, start time) so that the lives of a
 * reused PID are told apart; and whether the PID is alive now.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "nl.h"
#include "opts.h"
#include "record.h"
#include "table.h"
#include "util.h"

struct why {
	uint32_t pid;
	int json;
	struct nst_rec *lives;	/* the records of @pid, in file order */
	size_t n, cap;
	struct nst_record hdr;
};

static void __attribute__((noreturn)) why_usage(void)
{
	FILE *out = stdout;

	fprintf(out, "Usage:\n %s why [options] <pid>\n",
		program_invocation_short_name);
	fputs("\nWhat became of the processes that had this PID: their parents in\n"
	      "order, why each adopted them, their exit status, how long they were\n"
	      "zombies, who reaped them; from a record kept by 'nstree watch --record'.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs("     --record <file>    the record to read (default "
	      NST_REC_DEFAULT_PATH ")\n", out);
	fputs(" -J, --json             one JSON object\n", out);
	fputs(" -h, --help             display this help\n", out);
	fputs("\nExit status: 0 when the record has the PID or it is alive now;\n"
	      " 4 when neither; 5 when the record cannot be read.\n", out);
	fputs("\nFor more details see nstree(8).\n", out);
	exit(NST_EXIT_OK);
}

/* Keep a copy of each record of our PID, its reparents included. */
static int why_collect(const struct nst_rec *rec, void *arg)
{
	struct why *w = arg;
	struct nst_rec *e;

	if (rec->self.pid != w->pid)
		return 0;
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 4;

		e = realloc(w->lives, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		w->lives = e;
		w->cap = cap;
	}
	e = &w->lives[w->n];
	*e = *rec;
	e->rp = NULL;
	if (rec->nrp) {
		e->rp = malloc(rec->nrp * sizeof(*e->rp));
		if (!e->rp)
			return -ENOMEM;
		memcpy(e->rp, rec->rp, rec->nrp * sizeof(*e->rp));
	}
	w->n++;
	return 0;
}

/* ---- Text ---- */

static void why_time(const struct why *w, uint64_t boot_ns)
{
	int64_t ns = (int64_t)boot_ns + w->hdr.real_minus_boot;
	time_t sec = ns / 1000000000LL;
	struct tm tm;
	char buf[32];

	if (!localtime_r(&sec, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, sizeof(buf), "?");
	printf("%s.%03lld", buf, (long long)(ns % 1000000000LL) / 1000000);
}

static void why_who(const struct nst_rec_who *p)
{
	if (!p->pid) {
		fputs("a process out of view", stdout);
		return;
	}
	nst_fputs_safe(stdout, p->comm[0] ? p->comm : "?");
	printf(" (PID %" PRIu32, p->pid);
	if (p->start)
		printf(", ID %" PRIu32 "@%" PRIu64, p->pid, p->start);
	putchar(')');
}

static void why_status(uint32_t st)
{
	if (st & 0x7f)
		printf("killed by signal %u%s", st & 0x7f,
		       st & 0x80 ? " (core dumped)" : "");
	else
		printf("exited with status %u", (st >> 8) & 0xff);
}

/* Whether the record saw the process's whole life, from its fork on. */
static int why_complete(const struct why *w, const struct nst_rec *e)
{
	return e->self.start && e->self.start >= w->hdr.started;
}

static void why_text_life(const struct why *w, const struct nst_rec *e)
{
	uint32_t i;
	int l;

	putchar('\n');
	why_who(&e->self);
	if (e->nspid_len > 1) {
		fputs(", PIDs", stdout);
		for (l = 0; l < e->nspid_len; l++)
			printf("%s%" PRIu32, l ? "," : " ", e->nspid[l]);
	}
	putchar('\n');
	if (e->self.start) {
		fputs("  ", stdout);
		why_time(w, e->self.start);
		fputs("  started", stdout);
		if (why_complete(w, e) && (e->parent.pid || e->parent.start)) {
			fputs(", forked by ", stdout);
			why_who(&e->parent);
		}
		putchar('\n');
	}
	if (!why_complete(w, e)) {
		fputs("  (started before the recording: ", stdout);
		if (e->parent.pid || e->parent.start) {
			fputs("first parent seen ", stdout);
			why_who(&e->parent);
		} else {
			fputs("no parent seen", stdout);
		}
		puts(")");
	}
	for (i = 0; i < e->nrp; i++) {
		const struct nst_rec_reparent *rp = &e->rp[i];

		fputs("  ", stdout);
		why_time(w, rp->time);
		fputs("  orphaned by ", stdout);
		why_who(&rp->from);
		fputs(", adopted by ", stdout);
		why_who(&rp->to);
		if (rp->reason)
			printf(" (%s)", nst_reparent_reason_name(rp->reason));
		putchar('\n');
	}
	if (e->rp_dropped)
		printf("  ... and %" PRIu32 " more reparents, not kept\n",
		       e->rp_dropped);
	if (e->has_exit) {
		fputs("  ", stdout);
		why_time(w, e->exit_time);
		fputs("  ", stdout);
		why_status(e->wstatus);
		putchar('\n');
	}
	if (e->zombie_time) {
		fputs("  ", stdout);
		why_time(w, e->zombie_time);
		fputs("  a zombie, waiting for ", stdout);
		why_who(&e->zombie_parent);
		putchar('\n');
	}
	if (e->autoreap_time) {
		fputs("  ", stdout);
		why_time(w, e->autoreap_time);
		puts("  released at once: its parent does not wait for it");
	}
	if (e->reap_time) {
		fputs("  ", stdout);
		why_time(w, e->reap_time);
		fputs("  reaped by ", stdout);
		why_who(&e->reaper);
		if (e->reap_reason)
			printf(" (%s)", nst_reap_reason_name(e->reap_reason));
		if (e->zombie_time && e->reap_time >= e->zombie_time)
			printf(", a zombie for %.3f s",
			       (double)(e->reap_time - e->zombie_time) / 1e9);
		putchar('\n');
	}
}

/* ---- JSON ---- */

static void why_json_who(const char *key, const struct nst_rec_who *p)
{
	printf("\"%s\":", key);
	if (!p->pid) {
		fputs("null", stdout);
		return;
	}
	printf("{\"pid\":%" PRIu32 ",\"id\":", p->pid);
	if (p->start)
		printf("\"%" PRIu32 "@%" PRIu64 "\",\"start_time\":%" PRIu64,
		       p->pid, p->start, p->start);
	else
		fputs("null,\"start_time\":null", stdout);
	fputs(",\"comm\":", stdout);
	nst_json_string(stdout, p->comm);
	putchar('}');
}

static void why_json_life(const struct why *w, const struct nst_rec *e)
{
	uint32_t i;
	int l;

	printf("{\"pid\":%" PRIu32 ",\"id\":", e->self.pid);
	if (e->self.start)
		printf("\"%" PRIu32 "@%" PRIu64 "\"", e->self.pid, e->self.start);
	else
		fputs("null", stdout);
	fputs(",\"start_time\":", stdout);
	if (e->self.start)
		printf("%" PRIu64, e->self.start);
	else
		fputs("null", stdout);
	fputs(",\"nspid\":[", stdout);
	for (l = 0; l < e->nspid_len; l++)
		printf("%s%" PRIu32, l ? "," : "", e->nspid[l]);
	fputs("],\"comm\":", stdout);
	nst_json_string(stdout, e->self.comm);
	printf(",\"complete\":%s", why_complete(w, e) ? "true" : "false");
	/* The parents in order: the first, then each adopter. */
	fputs(",\"parents\":[", stdout);
	if (e->parent.pid || e->parent.start) {
		fputs("{", stdout);
		why_json_who("parent", &e->parent);
		if (why_complete(w, e))
			printf(",\"since\":%" PRIu64 ",\"reason\":\"fork\"}",
			       e->self.start);
		else
			fputs(",\"since\":null,\"reason\":null}", stdout);
	}
	for (i = 0; i < e->nrp; i++) {
		const struct nst_rec_reparent *rp = &e->rp[i];

		printf("%s{", e->parent.pid || e->parent.start || i ? "," : "");
		why_json_who("parent", &rp->to);
		printf(",\"since\":%" PRIu64 ",\"reason\":", rp->time);
		if (rp->reason)
			printf("\"%s\"", nst_reparent_reason_name(rp->reason));
		else
			fputs("null", stdout);
		putchar(',');
		why_json_who("orphaned_by", &rp->from);
		putchar('}');
	}
	printf("],\"reparents_dropped\":%" PRIu32, e->rp_dropped);
	fputs(",\"exit\":", stdout);
	if (e->has_exit) {
		printf("{\"time\":%" PRIu64 ",\"wstatus\":%" PRIu32, e->exit_time,
		       e->wstatus);
		if (e->wstatus & 0x7f)
			printf(",\"code\":null,\"signal\":%u,\"core\":%s}",
			       e->wstatus & 0x7f,
			       e->wstatus & 0x80 ? "true" : "false");
		else
			printf(",\"code\":%u,\"signal\":null,\"core\":false}",
			       (e->wstatus >> 8) & 0xff);
	} else {
		fputs("null", stdout);
	}
	fputs(",\"zombie\":", stdout);
	if (e->zombie_time) {
		printf("{\"time\":%" PRIu64 ",", e->zombie_time);
		why_json_who("parent", &e->zombie_parent);
		putchar('}');
	} else {
		fputs("null", stdout);
	}
	fputs(",\"autoreap\":", stdout);
	if (e->autoreap_time)
		printf("{\"time\":%" PRIu64 "}", e->autoreap_time);
	else
		fputs("null", stdout);
	fputs(",\"reap\":", stdout);
	if (e->reap_time) {
		printf("{\"time\":%" PRIu64 ",", e->reap_time);
		why_json_who("reaper", &e->reaper);
		fputs(",\"reason\":", stdout);
		if (e->reap_reason)
			printf("\"%s\"", nst_reap_reason_name(e->reap_reason));
		else
			fputs("null", stdout);
		fputs(",\"zombie_ns\":", stdout);
		if (e->zombie_time && e->reap_time >= e->zombie_time)
			printf("%" PRIu64, e->reap_time - e->zombie_time);
		else
			fputs("null", stdout);
		putchar('}');
	} else {
		fputs("null", stdout);
	}
	putchar('}');
}

/*
 * Is the PID alive now? 1 (with @p and its parent @pp, pp->pid 0 when
 * none is named), 0, or -1 when the module cannot say (@why set).
 */
static int why_alive(uint32_t pid, struct nst_proc *p, struct nst_proc *pp,
		     const char **why)
{
	struct nst_conn c;
	int err;

	memset(pp, 0, sizeof(*pp));
	err = nst_open(&c);
	if (err) {
		*why = err == -ENOENT ? "the nstree module is not loaded"
				      : strerror(-err);
		return -1;
	}
	err = nst_get_proc(&c, pid, p);
	if (!err && p->ppid && nst_get_proc(&c, p->ppid, pp))
		memset(pp, 0, sizeof(*pp));
	nst_close(&c);
	if (err == -ESRCH || err == -ENOENT)
		return 0;
	if (err) {
		*why = strerror(-err);
		return -1;
	}
	return 1;
}

int cmd_why(int argc, char **argv)
{
	const char *path = NST_REC_DEFAULT_PATH, *why_not = NULL;
	struct nst_proc now, parent;
	struct why w = { 0 };
	unsigned long line;
	int ch, err, alive;
	size_t i;
	FILE *f;

	while ((ch = getopt_long(argc, argv, nst_opts_why.shortopts,
				 nst_opts_why.longopts, NULL)) != -1) {
		switch (ch) {
		case NST_OPT_RECORD:
			path = optarg;
			break;
		case 'J':
			w.json = 1;
			break;
		case 'h':
			why_usage();
		default:
			nst_try_help();
		}
	}
	if (optind >= argc)
		nst_usage_error("no PID given");
	if (nst_parse_pid(argv[optind], &w.pid))
		nst_usage_error("invalid PID: '%s'", argv[optind]);
	if (optind + 1 < argc)
		nst_usage_error("unexpected argument: '%s'", argv[optind + 1]);

	f = fopen(path, "r");
	if (!f) {
		warnx("cannot read the record %s: %s", path, strerror(errno));
		return NST_EXIT_FAILURE;
	}
	err = nst_record_read(f, &w.hdr, why_collect, &w, &line);
	fclose(f);
	if (err == -EBADMSG) {
		warnx("%s, line %lu: not an nstree record (version %d)", path,
		      line, NST_REC_VERSION);
		err = NST_EXIT_FAILURE;
		goto out;
	}
	if (err) {
		warnx("cannot read the record %s: %s", path, strerror(-err));
		err = NST_EXIT_FAILURE;
		goto out;
	}
	alive = why_alive(w.pid, &now, &parent, &why_not);
	if (!w.n && alive == 0) {
		warnx("PID %" PRIu32 " is not alive, and %s has no record of it",
		      w.pid, path);
		err = NST_EXIT_NOTFOUND;
		goto out;
	}

	if (w.json) {
		printf("{\"pid\":%" PRIu32 ",\"record\":", w.pid);
		nst_json_string(stdout, path);
		printf(",\"recording_since\":%" PRIu64 ",\"lost\":%" PRIu64
		       ",\"dropped\":%" PRIu64 ",\"alive\":", w.hdr.started,
		       w.hdr.lost, w.hdr.dropped);
		if (alive < 0) {
			fputs("null", stdout);
		} else if (!alive) {
			fputs("false", stdout);
		} else {
			printf("{\"pid\":%" PRIu32 ",\"id\":\"%" PRIu32 "@%" PRIu64
			       "\",\"start_time\":%" PRIu64 ",\"comm\":",
			       now.pid, now.pid, now.start_time, now.start_time);
			nst_json_string(stdout, now.comm);
			printf(",\"ppid\":%" PRIu32 ",\"parent_comm\":", now.ppid);
			if (parent.pid)
				nst_json_string(stdout, parent.comm);
			else
				fputs("null", stdout);
			putchar('}');
		}
		fputs(",\"lives\":[", stdout);
		for (i = w.n; i-- > 0;) {
			why_json_life(&w, &w.lives[i]);
			if (i)
				putchar(',');
		}
		puts("]}");
	} else {
		printf("PID %" PRIu32 ": ", w.pid);
		if (alive > 0) {
			printf("alive now: ");
			nst_fputs_safe(stdout, now.comm);
			printf(" (ID %" PRIu32 "@%" PRIu64 "), started ", now.pid,
			       now.start_time);
			why_time(&w, now.start_time);
			if (now.ppid) {
				fputs(", parent ", stdout);
				nst_fputs_safe(stdout, parent.pid ? parent.comm : "?");
				printf(" (PID %" PRIu32 ")", now.ppid);
			}
			putchar('\n');
		} else if (alive == 0) {
			puts("not alive now");
		} else {
			printf("alive or not now, unknown (%s)\n", why_not);
		}
		printf("%zu ended process%s with this PID in %s",
		       w.n, w.n == 1 ? "" : "es", path);
		if (w.n > 1)
			fputs(", newest first", stdout);
		putchar('\n');
		if (w.hdr.lost)
			printf("warning: the recorder lost %" PRIu64
			       " events: a history may lack steps\n", w.hdr.lost);
		for (i = w.n; i-- > 0;)
			why_text_life(&w, &w.lives[i]);
	}
	err = NST_EXIT_OK;
out:
	for (i = 0; i < w.n; i++)
		free(w.lives[i].rp);
	free(w.lives);
	return err;
}
