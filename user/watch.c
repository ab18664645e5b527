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
#include "nl.h"
#include "util.h"

struct watch {
	int json;
	uint64_t count;		/* stop after this many events; 0: never */
	uint64_t seen;
};

static volatile sig_atomic_t watch_stop;

static void watch_on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void __attribute__((noreturn)) watch_usage(int code)
{
	FILE *out = code ? stderr : stdout;

	if (code) {
		fprintf(out, "Try '%s watch --help' for more information.\n",
			program_invocation_short_name);
		exit(code);
	}
	fprintf(out, "Usage:\n %s watch [options]\n", program_invocation_short_name);
	fputs("\nPrint process lifecycle events as they happen.\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -e, --events <list>    only these event types (comma separated):\n"
	      "                        fork,exec,exit,zombie,autoreap,reap,reparent,\n"
	      "                        ns-init-exit,ns-created,ns-destroyed\n", out);
	fputs("     --ns <inode>       only processes of this PID namespace and below\n", out);
	fputs("     --ns-pid <pid>     the same, for the namespace of this process\n", out);
	fputs(" -p, --subtree <pid>    only this process and its descendants\n", out);
	fputs(" -c, --count <n>        stop after n events\n", out);
	fputs(" -t, --timeout <sec>    stop after this many seconds\n", out);
	fputs(" -q, --queue <n>        events the kernel keeps while we lag (16-65536)\n", out);
	fputs(" -J, --json             one JSON object per line\n", out);
	fputs(" -h, --help             display this help\n", out);
	fputs("\nLost events are reported as \"lost N events\".\n", out);
	exit(NST_EXIT_OK);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
watch_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	watch_usage(NST_EXIT_USAGE);
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
			watch_usage_error("unknown event type: '%s'", tok);
		mask |= 1U << t;
	}
	free(copy);
	if (!mask)
		watch_usage_error("no event type in '%s'", list);
	return mask;
}

/* "1234" in our namespace, "1234/5/1" down the levels when nested. */
static void watch_chain(FILE *f, const uint32_t *chain, int len, uint32_t nr)
{
	int i;

	if (len <= 0) {
		fprintf(f, "%u", nr);
		return;
	}
	for (i = 0; i < len; i++)
		fprintf(f, "%s%u", i ? "/" : "", chain[i]);
}

static void watch_text_proc(FILE *f, const char *name,
			    const struct nst_ev_proc *p)
{
	if (!p->present)
		return;
	fprintf(f, " %s=", name);
	watch_chain(f, p->nspid, p->nspid_len, p->pid);
	if (p->tid && p->tid != p->pid) {
		fputc(':', f);
		watch_chain(f, p->nstid, p->nstid_len, p->tid);
	}
	fprintf(f, "(%s)", p->comm);
}

static void watch_text(FILE *f, const struct nst_event *ev)
{
	const char *name = nst_event_name(ev->type);

	fprintf(f, "%llu %llu.%09llu %s", (unsigned long long)ev->seq,
		(unsigned long long)(ev->time / 1000000000ULL),
		(unsigned long long)(ev->time % 1000000000ULL),
		name ? name : "unknown");
	switch (ev->type) {
	case NSTREE_EV_LOST:
		fprintf(f, " lost %llu events\n", (unsigned long long)ev->lost);
		return;
	case NSTREE_EV_REAP:
		watch_text_proc(f, "pid", &ev->proc);
		watch_text_proc(f, "by", &ev->reaper);
		fprintf(f, " reason=%s", nst_reap_reason_name(ev->reason));
		break;
	case NSTREE_EV_REPARENT:
		watch_text_proc(f, "pid", &ev->proc);
		watch_text_proc(f, "from", &ev->old_parent);
		watch_text_proc(f, "to", &ev->parent);
		fprintf(f, " reason=%s", nst_reparent_reason_name(ev->reason));
		break;
	case NSTREE_EV_NS_CREATED:
	case NSTREE_EV_NS_DESTROYED:
	case NSTREE_EV_NS_INIT_EXIT:
		watch_text_proc(f, "pid", &ev->proc);
		fprintf(f, " ns=%u level=%u", ev->ns_inum, ev->ns_level);
		if (ev->ns_parent_inum)
			fprintf(f, " parent-ns=%u", ev->ns_parent_inum);
		if (ev->type == NSTREE_EV_NS_INIT_EXIT)
			fprintf(f, " killing=%u", ev->count);
		break;
	default:
		watch_text_proc(f, "pid", &ev->proc);
		watch_text_proc(f, "parent", &ev->parent);
	}
	if (ev->type == NSTREE_EV_FORK)
		fprintf(f, " flags=%#llx", (unsigned long long)ev->clone_flags);
	if (ev->thread)
		fputs(" thread", f);
	if (ev->ns_init)
		fputs(" ns-init", f);
	if (ev->filename[0])
		fprintf(f, " file=%s", ev->filename);
	if (ev->has_exit_code) {
		if (ev->exit_code & 0x7f)
			fprintf(f, " signal=%u", ev->exit_code & 0x7f);
		else
			fprintf(f, " code=%u", (ev->exit_code >> 8) & 0xff);
	}
	if (ev->group_dead)
		fputs(" group-dead", f);
	fputc('\n', f);
}

static void watch_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
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
	fprintf(f, ",\"pidns\":%u,\"comm\":", p->pidns_inum);
	watch_json_str(f, p->comm);
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
	if (ev->type == NSTREE_EV_FORK)
		fprintf(f, ",\"clone_flags\":%llu,\"thread\":%s,\"ns_init\":%s",
			(unsigned long long)ev->clone_flags,
			ev->thread ? "true" : "false",
			ev->ns_init ? "true" : "false");
	if (ev->filename[0]) {
		fputs(",\"filename\":", f);
		watch_json_str(f, ev->filename);
	}
	if (ev->has_exit_code)
		fprintf(f, ",\"exit_code\":%u,\"thread\":%s,\"group_dead\":%s",
			ev->exit_code, ev->thread ? "true" : "false",
			ev->group_dead ? "true" : "false");
	if (ev->type == NSTREE_EV_REAP)
		fprintf(f, ",\"reason\":\"%s\"", nst_reap_reason_name(ev->reason));
	if (ev->type == NSTREE_EV_REPARENT)
		fprintf(f, ",\"reason\":\"%s\"",
			nst_reparent_reason_name(ev->reason));
	if (ev->ns_inum)
		fprintf(f, ",\"ns\":%u,\"ns_level\":%u", ev->ns_inum,
			ev->ns_level);
	if (ev->ns_parent_inum)
		fprintf(f, ",\"parent_ns\":%u", ev->ns_parent_inum);
	if (ev->type == NSTREE_EV_NS_INIT_EXIT)
		fprintf(f, ",\"count\":%u", ev->count);
	if (ev->type == NSTREE_EV_LOST)
		fprintf(f, ",\"lost\":%llu", (unsigned long long)ev->lost);
	fputs("}\n", f);
}

static int watch_print(const struct nst_event *ev, void *arg)
{
	struct watch *w = arg;

	if (w->json)
		watch_json(stdout, ev);
	else
		watch_text(stdout, ev);
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

enum {
	WATCH_OPT_NS = CHAR_MAX + 1,
	WATCH_OPT_NS_PID,
};

int cmd_watch(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "events", required_argument, NULL, 'e' },
		{ "ns", required_argument, NULL, WATCH_OPT_NS },
		{ "ns-pid", required_argument, NULL, WATCH_OPT_NS_PID },
		{ "subtree", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "queue", required_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nst_sub_opts o = { 0 };
	struct sigaction sa = { .sa_handler = watch_on_signal };
	struct watch w = { 0 };
	int64_t deadline = -1;
	struct pollfd pfd;
	struct nst_conn c;
	uint32_t v;
	int ch, err, timeout;

	while ((ch = getopt_long(argc, argv, "+e:p:c:t:q:Jh", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'e':
			o.events = watch_parse_events(optarg);
			break;
		case WATCH_OPT_NS:
			if (nst_parse_u32(optarg, 1, UINT32_MAX, &o.ns_inum))
				watch_usage_error("invalid namespace inode: '%s'", optarg);
			break;
		case WATCH_OPT_NS_PID:
			if (nst_parse_pid(optarg, &o.ns_pid))
				watch_usage_error("invalid PID: '%s'", optarg);
			break;
		case 'p':
			if (nst_parse_pid(optarg, &o.subtree))
				watch_usage_error("invalid PID: '%s'", optarg);
			break;
		case 'c':
			if (nst_parse_u32(optarg, 1, UINT32_MAX, &v))
				watch_usage_error("invalid count: '%s'", optarg);
			w.count = v;
			break;
		case 't':
			if (nst_parse_u32(optarg, 1, 86400 * 365, &v))
				watch_usage_error("invalid timeout: '%s'", optarg);
			deadline = watch_now_ms() + (int64_t)v * 1000;
			break;
		case 'q':
			if (nst_parse_u32(optarg, 16, 65536, &o.queue_len))
				watch_usage_error("invalid queue length: '%s'", optarg);
			break;
		case 'J':
			w.json = 1;
			break;
		case 'h':
			watch_usage(NST_EXIT_OK);
		default:
			watch_usage(NST_EXIT_USAGE);
		}
	}
	if (optind < argc)
		watch_usage_error("unexpected argument: '%s'", argv[optind]);
	if (o.ns_inum && o.ns_pid)
		watch_usage_error("--ns and --ns-pid are mutually exclusive");

	/* Whoever reads us (a pipe, a test) gets each event as it comes. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	err = connect_module(&c);
	if (err)
		return err;
	/* A burst should wait in the socket rather than in the module. */
	nst_event_bufsize(&c, 4 << 20);
	err = nst_subscribe(&c, &o, NULL);
	if (err) {
		err = report(&c, err, "watch");
		nst_close(&c);
		return err;
	}

	pfd.fd = nst_event_fd(&c);
	pfd.events = POLLIN;
	err = 0;
	while (!watch_stop) {
		timeout = -1;
		if (deadline >= 0) {
			int64_t left = deadline - watch_now_ms();

			if (left <= 0)
				break;
			timeout = left > INT_MAX ? INT_MAX : (int)left;
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
	if (err) {
		warnx("watch: reading events: %s", strerror(-err));
		return NST_EXIT_FAILURE;
	}
	return NST_EXIT_OK;
}
