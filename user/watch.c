// SPDX-License-Identifier: GPL-2.0
/*
 * nstree watch: print process lifecycle events as they happen, one line
 * each, with every PID as the watcher's PID namespace sees it.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "opts.h"
#include "columns.h"
#include "table.h"
#include "nl.h"
#include "record.h"
#include "util.h"

struct watch {
	int json;
	int stats;		/* -S: counts per type at the end */
	uint64_t count;		/* stop after this many events; 0: never */
	uint64_t seen;
	int64_t real_minus_boot; /* ns: wall clock = CLOCK_BOOTTIME + this */
	time_t hms_sec;		/* the second hms[] shows, when hms[0] */
	char hms[16];
	uint64_t by_type[NSTREE_EV_LOST + 1];
	uint64_t lost;
	uint32_t print_mask;	/* -e with --record: 1 << type printed; 0: all */
	const char *record;	/* --record: the file, NULL: not recording */
	struct nst_record rec;
};

/* The events the record is made of, whatever -e prints. */
#define WATCH_RECORD_EVENTS						\
	((1U << NSTREE_EV_EXIT) | (1U << NSTREE_EV_ZOMBIE) |		\
	 (1U << NSTREE_EV_AUTOREAP) | (1U << NSTREE_EV_REAP) |		\
	 (1U << NSTREE_EV_REPARENT))
/* How often a changed record is written out, in ms. */
#define WATCH_RECORD_EVERY 1000

static volatile sig_atomic_t watch_stop;

static void watch_on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void __attribute__((noreturn)) watch_usage(void)
{
	FILE *out = stdout;

	fprintf(out, "Usage:\n %s watch [options]\n", program_invocation_short_name);
	fputs("\nPrint process lifecycle events as they happen.\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -e, --events <types>   only these event types (comma separated):\n"
	      "                        fork,exec,exit,zombie,autoreap,reap,reparent,\n"
	      "                        ns-init-exit,ns-created,ns-destroyed\n", out);
	fputs(" -N, --ns <ns>          only processes of this PID namespace and below\n"
	      "                          (an inode, pid:[inode], or a PID in it)\n", out);
	fputs(" -s, --subtree <pid>    only this process and its descendants\n", out);
	fputs(" -S, --stats            print how many events of each type at the end\n", out);
	fputs(" -c, --count <n>        stop after n events\n", out);
	fputs(" -t, --timeout <sec>    stop after this many seconds\n", out);
	fputs("     --queue <n>        events the kernel keeps while we lag (16-65536)\n", out);
	fputs("     --record[=<file>]  keep what becomes of each ended process in <file>\n"
	      "                          (default " NST_REC_DEFAULT_PATH "), for 'nstree why'\n", out);
	fputs("     --record-size <n>  ended processes the record keeps (1-1000000,\n"
	      "                          default 10000); the oldest go first\n", out);
	fputs(" -J, --json             one JSON object per line\n", out);
	fputs(" -h, --help             display this help\n", out);
	fputs("\nLost events are reported as \"lost N events\".\n", out);
	exit(NST_EXIT_OK);
}

static uint32_t watch_parse_events(const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	uint32_t mask = 0;
	int t;

	if (!copy)
		err(NST_EXIT_FAILURE, "strdup");
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		t = nst_event_type(tok);
		if (t < 0 || t == NSTREE_EV_LOST)
			nst_usage_error("unknown event type: '%s'", tok);
		mask |= 1U << t;
	}
	free(copy);
	if (!mask)
		nst_usage_error("no event type in '%s'", list);
	return mask;
}

/* "comm(1234)", or "comm(1234,5,1)" down the levels when nested. */
static void watch_text_proc(FILE *f, const struct nst_ev_proc *p)
{
	/* NST_MAX_LEVELS PIDs of up to 10 digits, commas, parentheses. */
	char buf[NST_MAX_LEVELS * 11 + 2];
	int n;

	/*
	 * Outside our PID namespace, or released before the event was built:
	 * the kernel sends nothing to name it by.
	 */
	if (!p->pid && !p->comm[0]) {
		fputs("a process out of view", f);
		return;
	}
	nst_fputs_safe(f, p->comm);
	/* No printf for each PID: it was a third of a line's cost. */
	buf[0] = '(';
	if (p->nspid_len <= 0)
		n = nst_fmt_chain(buf + 1, sizeof(buf) - 2, &p->pid, 1, ',');
	else
		n = nst_fmt_chain(buf + 1, sizeof(buf) - 2, p->nspid,
				  p->nspid_len, ',');
	if (n >= 0) {
		buf[n + 1] = ')';
		fwrite(buf, 1, n + 2, f);
	}
	if (p->tid && p->tid != p->pid) {
		fputs(" thread ", f);
		n = nst_fmt_chain(buf, sizeof(buf), p->nstid, p->nstid_len, ',');
		if (n >= 0)
			fwrite(buf, 1, n, f);
	}
}

/*
 * The event's time on the wall clock, to the millisecond. The hours,
 * minutes and seconds are worked out once a second: localtime_r() and
 * strftime() for every event were a sixth of a line's cost.
 */
static void watch_text_time(FILE *f, struct watch *w, uint64_t boot_ns)
{
	int64_t ns = (int64_t)boot_ns + w->real_minus_boot;
	time_t sec = ns / 1000000000LL;
	int ms = (int)((ns % 1000000000LL) / 1000000);
	struct tm tm;
	char buf[6];

	if (!w->hms[0] || sec != w->hms_sec) {
		if (!localtime_r(&sec, &tm) ||
		    !strftime(w->hms, sizeof(w->hms), "%H:%M:%S", &tm))
			snprintf(w->hms, sizeof(w->hms), "?");
		w->hms_sec = sec;
	}
	fputs(w->hms, f);
	if (ms < 0)	/* a time before 1970: never on a real clock */
		ms = 0;
	buf[0] = '.';
	buf[1] = '0' + ms / 100;
	buf[2] = '0' + ms / 10 % 10;
	buf[3] = '0' + ms % 10;
	buf[4] = ' ';
	fwrite(buf, 1, 5, f);
}

/* One line, as a sentence: who did what to whom, every PID at every level. */
static void watch_text(FILE *f, struct watch *w, const struct nst_event *ev)
{
	const char *name = nst_event_name(ev->type);
	size_t len;

	watch_text_time(f, w, ev->time);
	/* "%-12s ", without a printf. */
	name = name ? name : "unknown";
	len = strlen(name);
	fwrite(name, 1, len, f);
	fwrite("             ", 1, len < 12 ? 13 - len : 1, f);
	switch (ev->type) {
	case NSTREE_EV_LOST:
		fprintf(f, "lost %llu events\n", (unsigned long long)ev->lost);
		return;
	case NSTREE_EV_FORK:
		watch_text_proc(f, &ev->parent);
		fputs(ev->thread ? " started thread " : " forked ", f);
		watch_text_proc(f, &ev->proc);
		if (ev->ns_init)
			fputs(", init of a new PID namespace", f);
		break;
	case NSTREE_EV_EXEC:
		watch_text_proc(f, &ev->proc);
		fputs(" runs ", f);
		nst_fputs_safe(f, ev->filename);
		break;
	case NSTREE_EV_EXIT:
		watch_text_proc(f, &ev->proc);
		if (ev->exit_code & 0x7f)
			fprintf(f, " killed by signal %u", ev->exit_code & 0x7f);
		else
			fprintf(f, " exited with %u", (ev->exit_code >> 8) & 0xff);
		if (ev->group_dead)
			fputs(", process dead", f);
		break;
	case NSTREE_EV_ZOMBIE:
		watch_text_proc(f, &ev->proc);
		fputs(" is a zombie, waiting for ", f);
		watch_text_proc(f, &ev->parent);
		break;
	case NSTREE_EV_AUTOREAP:
		watch_text_proc(f, &ev->proc);
		fputs(" is gone, nobody waits for it", f);
		break;
	case NSTREE_EV_REAP:
		watch_text_proc(f, &ev->proc);
		fputs(" reaped by ", f);
		watch_text_proc(f, &ev->reaper);
		if (ev->reason)
			fprintf(f, " (%s)", nst_reap_reason_name(ev->reason));
		break;
	case NSTREE_EV_REPARENT:
		watch_text_proc(f, &ev->proc);
		fputs(" orphaned by ", f);
		watch_text_proc(f, &ev->old_parent);
		fputs(", adopted by ", f);
		watch_text_proc(f, &ev->parent);
		if (ev->reason)
			fprintf(f, " (%s)",
				nst_reparent_reason_name(ev->reason));
		break;
	case NSTREE_EV_NS_INIT_EXIT:
		watch_text_proc(f, &ev->proc);
		fprintf(f, ", init of pid:[%u] level %u, died: killing %u", ev->ns_inum,
			ev->ns_level, ev->count);
		break;
	case NSTREE_EV_NS_CREATED:
	case NSTREE_EV_NS_DESTROYED:
		fprintf(f, "pid:[%u] level %u", ev->ns_inum, ev->ns_level);
		if (ev->ns_parent_inum)
			fprintf(f, " in pid:[%u]", ev->ns_parent_inum);
		if (ev->proc.present) {
			fputs(" by ", f);
			watch_text_proc(f, &ev->proc);
		}
		break;
	default:
		if (ev->proc.present)
			watch_text_proc(f, &ev->proc);
	}
	fputc('\n', f);
}

static void watch_json_chain(FILE *f, const char *name, const uint32_t *chain,
			     int len)
{
	int i;

	fprintf(f, ",\"%s\":[", name);
	for (i = 0; i < len; i++)
		fprintf(f, "%s%u", i ? "," : "", chain[i]);
	fputc(']', f);
}

static void watch_json_proc(FILE *f, const char *name,
			    const struct nst_ev_proc *p)
{
	if (!p->present)
		return;
	fprintf(f, ",\"%s\":{\"pid\":%u", name, p->pid);
	watch_json_chain(f, "nspid", p->nspid, p->nspid_len);
	if (p->tid) {
		fprintf(f, ",\"tid\":%u", p->tid);
		watch_json_chain(f, "nstid", p->nstid, p->nstid_len);
	}
	fprintf(f, ",\"pidns\":%u", p->pidns_inum);
	if (p->pidns_id)
		fprintf(f, ",\"pidns_id\":%llu",
			(unsigned long long)p->pidns_id);
	fputs(",\"comm\":", f);
	nst_json_string(f, p->comm);
	fputc('}', f);
}

static void watch_json(FILE *f, const struct nst_event *ev)
{
	const char *name = nst_event_name(ev->type);

	fprintf(f, "{\"seq\":%llu,\"time\":%llu,\"type\":\"%s\"",
		(unsigned long long)ev->seq, (unsigned long long)ev->time,
		name ? name : "unknown");
	watch_json_proc(f, "proc", &ev->proc);
	watch_json_proc(f, "parent", &ev->parent);
	watch_json_proc(f, "old_parent", &ev->old_parent);
	watch_json_proc(f, "reaper", &ev->reaper);
	if (ev->type == NSTREE_EV_FORK) {
		if (ev->has_clone_flags)
			fprintf(f, ",\"clone_flags\":%llu",
				(unsigned long long)ev->clone_flags);
		else
			fputs(",\"clone_flags\":null", f);
		fprintf(f, ",\"thread\":%s,\"ns_init\":%s",
			ev->thread ? "true" : "false",
			ev->ns_init ? "true" : "false");
	}
	if (ev->filename[0]) {
		fputs(",\"filename\":", f);
		nst_json_string(f, ev->filename);
	}
	if (ev->has_exit_code)
		fprintf(f, ",\"exit_code\":%u,\"thread\":%s,\"group_dead\":%s",
			ev->exit_code, ev->thread ? "true" : "false",
			ev->group_dead ? "true" : "false");
	/* No reason: the module cannot know it, or may not tell it. */
	if (ev->type == NSTREE_EV_REAP && ev->reason)
		fprintf(f, ",\"reason\":\"%s\"", nst_reap_reason_name(ev->reason));
	if (ev->type == NSTREE_EV_REPARENT && ev->reason)
		fprintf(f, ",\"reason\":\"%s\"",
			nst_reparent_reason_name(ev->reason));
	if (ev->ns_inum)
		fprintf(f, ",\"ns\":%u,\"ns_level\":%u", ev->ns_inum,
			ev->ns_level);
	if (ev->ns_id)
		fprintf(f, ",\"ns_id\":%llu", (unsigned long long)ev->ns_id);
	if (ev->ns_parent_inum)
		fprintf(f, ",\"parent_ns\":%u", ev->ns_parent_inum);
	if (ev->ns_parent_id)
		fprintf(f, ",\"parent_ns_id\":%llu",
			(unsigned long long)ev->ns_parent_id);
	if (ev->type == NSTREE_EV_NS_INIT_EXIT)
		fprintf(f, ",\"count\":%u", ev->count);
	if (ev->type == NSTREE_EV_LOST)
		fprintf(f, ",\"lost\":%llu", (unsigned long long)ev->lost);
	fputs("}\n", f);
}

static int watch_print(const struct nst_event *ev, void *arg)
{
	struct watch *w = arg;

	if (w->record)
		nst_record_event(&w->rec, ev);
	if (w->print_mask && ev->type != NSTREE_EV_LOST &&
	    !(w->print_mask & (1U << ev->type)))
		return 0;
	if (ev->type <= NSTREE_EV_LOST)
		w->by_type[ev->type]++;
	if (ev->type == NSTREE_EV_LOST)
		w->lost += ev->lost;
	if (w->json)
		watch_json(stdout, ev);
	else
		watch_text(stdout, w, ev);
	if (ev->type != NSTREE_EV_LOST && w->count && ++w->seen >= w->count)
		return -ECANCELED;
	return 0;
}

static int64_t watch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* -S: what was seen, by type, and what was lost. */
static void watch_print_stats(const struct watch *w)
{
	uint32_t t;

	printf("%-14s %10s\n", "EVENT", "COUNT");
	for (t = 0; t < NSTREE_EV_LOST; t++)
		if (nst_event_name(t))
			printf("%-14s %10llu\n", nst_event_name(t),
			       (unsigned long long)w->by_type[t]);
	printf("%-14s %10llu\n", "lost", (unsigned long long)w->lost);
}

/* Write the record out if it changed; say so once if it cannot be. */
static int watch_save(struct watch *w, int force)
{
	static int warned;
	int err;

	if (!w->record || (!w->rec.dirty && !force))
		return 0;
	err = nst_record_save(&w->rec, w->record);
	if (err) {
		if (!warned++)
			warnx("watch: cannot write the record %s: %s", w->record,
			      strerror(-err));
		return err;
	}
	w->rec.dirty = 0;
	return 0;
}

int cmd_watch(int argc, char **argv)
{
	uint32_t record_size = NST_REC_SIZE_DEFAULT;
	struct nst_sub_info info = { 0 };
	int64_t next_save = -1;
	struct nst_sub_opts o = { 0 };
	struct sigaction sa = { .sa_handler = watch_on_signal };
	struct watch w = { 0 };
	int64_t deadline = -1;
	struct pollfd pfd;
	struct nst_conn c;
	uint32_t v;
	int ch, err, timeout;

	while ((ch = getopt_long(argc, argv, nst_opts_watch.shortopts,
				 nst_opts_watch.longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			o.events = watch_parse_events(optarg);
			break;
		case 'N':
			if (nst_parse_ns_arg(optarg, &o.ns_inum, &o.ns_pid,
					     &o.ns_id))
				nst_usage_error("invalid namespace: '%s' (an inode, :ID or a PID)",
						optarg);
			break;
		case 'S':
			w.stats = 1;
			break;
		case 's':
			if (nst_parse_pid(optarg, &o.subtree))
				nst_usage_error("invalid PID: '%s'", optarg);
			break;
		case 'c':
			if (nst_parse_u32(optarg, 1, UINT32_MAX, &v))
				nst_usage_error("invalid count: '%s'", optarg);
			w.count = v;
			break;
		case 't':
			if (nst_parse_u32(optarg, 1, 86400 * 365, &v))
				nst_usage_error("invalid timeout: '%s'", optarg);
			deadline = watch_now_ms() + (int64_t)v * 1000;
			break;
		case NST_OPT_QUEUE:
			if (nst_parse_u32(optarg, 16, 65536, &o.queue_len))
				nst_usage_error("invalid queue length: '%s'", optarg);
			break;
		case NST_OPT_RECORD:
			if (optarg && !*optarg)
				nst_usage_error("empty --record file name");
			w.record = optarg ? optarg : NST_REC_DEFAULT_PATH;
			break;
		case NST_OPT_RECORD_SIZE:
			if (nst_parse_u32(optarg, NST_REC_SIZE_MIN,
					  NST_REC_SIZE_MAX, &record_size))
				nst_usage_error("invalid record size: '%s' (1 to %u processes)",
						optarg, NST_REC_SIZE_MAX);
			break;
		case 'J':
			w.json = 1;
			break;
		case 'h':
			watch_usage();
		default:
			nst_try_help();
		}
	}
	if (optind < argc)
		nst_usage_error("unexpected argument: '%s'", argv[optind]);
	if (record_size != NST_REC_SIZE_DEFAULT && !w.record)
		nst_usage_error("--record-size needs --record");
	if (w.record) {
		if (nst_record_init(&w.rec, record_size)) {
			warnx("watch: no memory for a record of %u processes",
			      record_size);
			return NST_EXIT_FAILURE;
		}
		/* Subscribe to what the record needs; print what -e asked. */
		w.print_mask = o.events;
		if (o.events)
			o.events |= WATCH_RECORD_EVENTS;
	}

	/*
	 * Fully buffered: one write() per batch of events, not per line.
	 * Whoever reads us (a pipe, a test) still gets each event as soon as
	 * it is read: stdout is flushed whenever the socket has no more
	 * messages ready, before we wait for more (and at exit).
	 */
	setvbuf(stdout, NULL, _IOFBF, 0);
	{
		struct timespec real, boot;

		clock_gettime(CLOCK_REALTIME, &real);
		clock_gettime(CLOCK_BOOTTIME, &boot);
		w.real_minus_boot = (real.tv_sec - boot.tv_sec) * 1000000000LL +
				    (real.tv_nsec - boot.tv_nsec);
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	err = nst_connect(&c);
	if (err)
		return err;
	/* A burst should wait in the socket rather than in the module. */
	nst_event_bufsize(&c, 4 << 20);
	err = nst_subscribe(&c, &o, &info);
	if (err) {
		err = nst_report(&c, err, "watch");
		nst_close(&c);
		nst_record_free(&w.rec);
		return err;
	}
	if (w.record) {
		struct timespec boot;

		/* Processes started since then were watched from their fork. */
		clock_gettime(CLOCK_BOOTTIME, &boot);
		w.rec.started = (uint64_t)boot.tv_sec * 1000000000ULL +
				(uint64_t)boot.tv_nsec;
		w.rec.real_minus_boot = w.real_minus_boot;
		w.rec.pidns_inum = info.pidns_inum;
		w.rec.pidns_id = info.pidns_id;
		/* The file is there, empty, from now on; or we say why not. */
		if (watch_save(&w, 1)) {
			nst_close(&c);
			nst_record_free(&w.rec);
			return NST_EXIT_FAILURE;
		}
		next_save = watch_now_ms() + WATCH_RECORD_EVERY;
	}

	pfd.fd = nst_event_fd(&c);
	pfd.events = POLLIN;
	err = 0;
	while (!watch_stop) {
		/*
		 * Every event read so far is out before we wait for more (and
		 * before a warning about the record).
		 */
		fflush(stdout);
		timeout = -1;
		if (deadline >= 0) {
			int64_t left = deadline - watch_now_ms();

			if (left <= 0)
				break;
			timeout = left > INT_MAX ? INT_MAX : (int)left;
		}
		if (next_save >= 0) {
			int64_t left = next_save - watch_now_ms();

			if (left <= 0) {
				watch_save(&w, 0);
				next_save = watch_now_ms() + WATCH_RECORD_EVERY;
				left = WATCH_RECORD_EVERY;
			}
			if (timeout < 0 || left < timeout)
				timeout = (int)left;
		}
		if (poll(&pfd, 1, timeout) < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		err = nst_event_read(&c, watch_print, &w);
		if (err == -ECANCELED) {
			err = 0;
			break;
		}
		if (err < 0)
			break;
		err = 0;
	}
	nst_close(&c);
	if (w.stats)
		watch_print_stats(&w);
	/* The events before the error message that ends them. */
	fflush(stdout);
	if (err)
		warnx("watch: reading events: %s", strerror(-err));
	/* Whatever ended the watch, what was recorded is kept. */
	if (watch_save(&w, 1))
		err = err ? err : -EIO;
	nst_record_free(&w.rec);
	return err ? NST_EXIT_FAILURE : NST_EXIT_OK;
}
