// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of the record of ended processes (user/record.c):
 * built from synthetic events, written, read back; its bound; what the
 * reader refuses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "record.h"

static void proc(struct nst_ev_proc *p, uint32_t pid, uint64_t start,
		 const char *comm)
{
	memset(p, 0, sizeof(*p));
	p->present = 1;
	p->pid = pid;
	p->nspid[0] = pid;
	p->nspid_len = 1;
	p->start_time = start;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
}

static void ev_init(struct nst_event *ev, uint32_t type, uint64_t time,
		    uint32_t pid, uint64_t start, const char *comm)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->time = time;
	proc(&ev->proc, pid, start, comm);
}

/* The life of the brief: forked by c, adopted twice, reaped by a. */
static void feed_twice_reparented(struct nst_record *r, uint32_t pid,
				  uint64_t start)
{
	struct nst_event ev;

	ev_init(&ev, NSTREE_EV_REPARENT, start + 10, pid, start, "d");
	proc(&ev.old_parent, 30, 3, "c");
	proc(&ev.parent, 20, 2, "b sub/=\\");
	ev.reason = NSTREE_REPARENT_SUBREAPER;
	nst_record_event(r, &ev);
	ev_init(&ev, NSTREE_EV_REPARENT, start + 20, pid, start, "d");
	proc(&ev.old_parent, 20, 2, "b sub/=\\");
	proc(&ev.parent, 10, 1, "a");
	ev.reason = NSTREE_REPARENT_SUBREAPER;
	nst_record_event(r, &ev);
	/* A thread's exit is not the process's. */
	ev_init(&ev, NSTREE_EV_EXIT, start + 29, pid, start, "d");
	ev.proc.tid = pid + 1;
	ev.has_exit_code = 1;
	ev.exit_code = 9;
	nst_record_event(r, &ev);
	ev_init(&ev, NSTREE_EV_EXIT, start + 30, pid, start, "d");
	ev.proc.tid = pid;
	ev.has_exit_code = 1;
	ev.exit_code = 7 << 8;
	ev.group_dead = 1;
	nst_record_event(r, &ev);
	ev_init(&ev, NSTREE_EV_ZOMBIE, start + 31, pid, start, "d");
	proc(&ev.parent, 10, 1, "a");
	nst_record_event(r, &ev);
	ev_init(&ev, NSTREE_EV_REAP, start + 40, pid, start, "d");
	proc(&ev.reaper, 10, 1, "a");
	ev.reason = NSTREE_REAP_SUBREAPER;
	nst_record_event(r, &ev);
}

struct collected {
	struct nst_rec recs[8];
	struct nst_rec_reparent rp[8][4];
	int n;
};

static int collect(const struct nst_rec *rec, void *arg)
{
	struct collected *c = arg;

	if (c->n >= 8)
		return -ENOSPC;
	c->recs[c->n] = *rec;
	if (rec->nrp && rec->nrp <= 4)
		memcpy(c->rp[c->n], rec->rp, rec->nrp * sizeof(*rec->rp));
	c->recs[c->n].rp = c->rp[c->n];
	c->n++;
	return 0;
}

/* Write @r into memory and read it back into @c. */
static int round_trip(const struct nst_record *r, struct nst_record *hdr,
		      struct collected *c, char *text, size_t size)
{
	unsigned long line;
	FILE *f = fmemopen(text, size, "w");
	int err;

	if (!f || nst_record_write(r, f))
		return -1;
	fclose(f);
	f = fmemopen(text, strlen(text), "r");
	if (!f)
		return -1;
	err = nst_record_read(f, hdr, collect, c, &line);
	fclose(f);
	return err;
}

TEST(round_trip_twice_reparented)
{
	struct nst_record r, hdr;
	struct collected c = { 0 };
	static char text[65536];
	const struct nst_rec *e;

	ASSERT_EQ(0, nst_record_init(&r, 4));
	r.started = 1;
	r.lost = 3;
	feed_twice_reparented(&r, 40, 100);
	ASSERT_EQ(0, round_trip(&r, &hdr, &c, text, sizeof(text)));
	EXPECT_EQ(4, hdr.size);
	EXPECT_EQ(3, hdr.lost);
	ASSERT_EQ(1, c.n) TH_LOG("%s", text);
	e = &c.recs[0];
	EXPECT_EQ(40, e->self.pid);
	EXPECT_EQ(100, e->self.start);
	EXPECT_STREQ("d", e->self.comm);
	EXPECT_EQ(30, e->parent.pid);	/* the first parent: c */
	ASSERT_EQ(2, e->nrp);
	EXPECT_EQ(110, e->rp[0].time);
	EXPECT_EQ(NSTREE_REPARENT_SUBREAPER, e->rp[0].reason);
	EXPECT_STREQ("b sub/=\\", e->rp[0].to.comm);
	EXPECT_EQ(20, e->rp[1].from.pid);
	EXPECT_EQ(10, e->rp[1].to.pid);
	EXPECT_EQ(1, e->has_exit);
	EXPECT_EQ(1, e->exit_group_dead);
	EXPECT_EQ(7 << 8, e->wstatus);
	EXPECT_EQ(131, e->zombie_time);
	EXPECT_EQ(10, e->zombie_parent.pid);
	EXPECT_EQ(140, e->reap_time);
	EXPECT_EQ(NSTREE_REAP_SUBREAPER, e->reap_reason);
	EXPECT_EQ(1, e->reaper.start);
	/* Escaped on the line: no tab, '/' or '=' of a name gets through. */
	EXPECT_NE(NULL, strstr(text, "b\\x20sub\\x2f\\x3d\\x5c"));
	nst_record_free(&r);
}

/*
 * The leader ends first (its own exit, 0), then the last thread by a
 * group exit (3): wait() reports the group's code, which that EXIT has.
 */
TEST(status_of_the_exit_that_ended_it)
{
	struct nst_record r;
	struct nst_event ev;
	const struct nst_rec *e;

	ASSERT_EQ(0, nst_record_init(&r, 4));
	ev_init(&ev, NSTREE_EV_EXIT, 10, 50, 5, "t");
	ev.proc.tid = 50;
	ev.exit_code = 0;
	nst_record_event(&r, &ev);
	ev_init(&ev, NSTREE_EV_EXIT, 20, 50, 5, "t");
	ev.proc.tid = 51;
	ev.exit_code = 3 << 8;
	ev.group_dead = 1;
	nst_record_event(&r, &ev);
	/* A thread's later EXIT (none should come) changes nothing. */
	ev_init(&ev, NSTREE_EV_EXIT, 30, 50, 5, "t");
	ev.proc.tid = 50;
	ev.exit_code = 9;
	nst_record_event(&r, &ev);
	ev_init(&ev, NSTREE_EV_REAP, 40, 50, 5, "t");
	nst_record_event(&r, &ev);
	ASSERT_EQ(1, r.n);
	e = r.ended[r.head];
	EXPECT_EQ(3 << 8, e->wstatus);
	EXPECT_EQ(20, e->exit_time);
	EXPECT_EQ(1, e->exit_group_dead);
	nst_record_free(&r);
}

/* Past the bound, the oldest ended process goes first. */
TEST(bound_keeps_newest)
{
	struct nst_record r, hdr;
	struct collected c = { 0 };
	static char text[65536];
	uint32_t i;

	ASSERT_EQ(0, nst_record_init(&r, 3));
	for (i = 0; i < 7; i++)
		feed_twice_reparented(&r, 40, 100 + 1000 * i);
	EXPECT_EQ(3, r.n);
	EXPECT_EQ(4, r.dropped);
	EXPECT_EQ(0, r.nlive);
	ASSERT_EQ(0, round_trip(&r, &hdr, &c, text, sizeof(text)));
	ASSERT_EQ(3, c.n);
	EXPECT_EQ(4100, c.recs[0].self.start);
	EXPECT_EQ(5100, c.recs[1].self.start);
	EXPECT_EQ(6100, c.recs[2].self.start);
	EXPECT_EQ(4, hdr.dropped);
	nst_record_free(&r);
}

/* Live processes followed are held to the same bound. */
TEST(live_bound)
{
	struct nst_record r;
	struct nst_event ev;
	uint32_t i;

	ASSERT_EQ(0, nst_record_init(&r, 2));
	for (i = 1; i <= 5; i++) {
		ev_init(&ev, NSTREE_EV_EXIT, i, i, i, "x");
		ev.proc.tid = i;
		nst_record_event(&r, &ev);
	}
	EXPECT_EQ(2, r.nlive);
	EXPECT_EQ(3, r.untracked);
	/* A REAP for one pushed out still makes a record, with less in it. */
	ev_init(&ev, NSTREE_EV_REAP, 9, 1, 1, "x");
	nst_record_event(&r, &ev);
	EXPECT_EQ(1, r.n);
	EXPECT_EQ(0, r.ended[r.head]->has_exit);
	nst_record_free(&r);
}

/* Two lives of one PID stay apart, by start time. */
TEST(reused_pid_two_lives)
{
	struct nst_record r, hdr;
	struct collected c = { 0 };
	static char text[65536];

	ASSERT_EQ(0, nst_record_init(&r, 8));
	feed_twice_reparented(&r, 40, 100);
	feed_twice_reparented(&r, 40, 5000);
	ASSERT_EQ(0, round_trip(&r, &hdr, &c, text, sizeof(text)));
	ASSERT_EQ(2, c.n);
	EXPECT_EQ(100, c.recs[0].self.start);
	EXPECT_EQ(5000, c.recs[1].self.start);
	nst_record_free(&r);
}

static int read_text(const char *text)
{
	struct nst_record hdr;
	unsigned long line;
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int err;

	if (!f)
		return -ENOMEM;
	err = nst_record_read(f, &hdr, NULL, NULL, &line);
	fclose(f);
	return err;
}

TEST(reader_refuses)
{
	static const char *const bad[] = {
		"",
		"nstree-record\t2\nrecorder\tsize=1\n",
		"nstree-record\t1\nproc\tpid=1\n",		/* no header */
		"nstree-record\t1\nrecorder\tsize=x\n",
		"nstree-record\t1\nrecorder\tsize=1\nproc\tstart=1\n",
		"nstree-record\t1\nrecorder\tsize=1\nproc\tpid=0\n",
		"nstree-record\t1\nrecorder\tsize=1\nproc\tpid=1\tcomm=a b\n",
		"nstree-record\t1\nrecorder\tsize=1\nproc\tpid=1\tcomm=\\xzz\n",
		"nstree-record\t1\nrecorder\tsize=1\nproc\tpid=1\treap=1/bogus/2/2/a\n",
		"nstree-record\t1\nrecorder\tsize=1\nproc\tpid=1\texit=1/2/3\n",
		"nstree-record\t1\nrecorder\tsize=1\nproc\tpid=1\tparent=1/2\n",
		"nstree-record\t1\nrecorder\tsize=1\nproc\tpid=1\tnspid=1,,2\n",
		"nstree-record\t1\nrecorder\tsize=1\nproc\tpid=99999999999\n",
		"nstree-record\t1\nrecorder\tsize=1\nproc\tpid=1",	/* cut */
		"nstree-record\t1\nrecorder\tsize=1\nother\tpid=1\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EBADMSG, read_text(bad[i])) TH_LOG("case %zu", i);
	EXPECT_EQ(0, read_text("nstree-record\t1\nrecorder\tsize=1\n"
			       "proc\tpid=1\tfuture=x\n"));
}

TEST(reader_line_bound)
{
	size_t n = NST_REC_LINE_MAX + 100;
	char *text = malloc(n + 64);

	ASSERT_NE(NULL, text);
	strcpy(text, "nstree-record\t1\nrecorder\tsize=1\nproc\tpid=1\tx=");
	memset(text + strlen(text), 'a', n);
	strcpy(text + n, "\n");
	EXPECT_EQ(-EBADMSG, read_text(text));
	free(text);
}

TEST(init_bounds)
{
	struct nst_record r;

	EXPECT_EQ(-EINVAL, nst_record_init(&r, 0));
	EXPECT_EQ(-EINVAL, nst_record_init(&r, NST_REC_SIZE_MAX + 1));
}

TEST_HARNESS_MAIN
