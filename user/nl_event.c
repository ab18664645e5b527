// SPDX-License-Identifier: GPL-2.0
/*
 * The event side of the nstree client: subscribing, and decoding
 * NSTREE_CMD_EVENT messages into struct nst_event.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <netlink/genl/genl.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static const char *const nst_event_names[] = {
	[NSTREE_EV_FORK]	= "fork",
	[NSTREE_EV_EXEC]	= "exec",
	[NSTREE_EV_EXIT]	= "exit",
	[NSTREE_EV_ZOMBIE]	= "zombie",
	[NSTREE_EV_AUTOREAP]	= "autoreap",
	[NSTREE_EV_REAP]	= "reap",
	[NSTREE_EV_REPARENT]	= "reparent",
	[NSTREE_EV_NS_INIT_EXIT] = "ns-init-exit",
	[NSTREE_EV_NS_CREATED]	= "ns-created",
	[NSTREE_EV_NS_DESTROYED] = "ns-destroyed",
	[NSTREE_EV_LOST]	= "lost",
};

const char *nst_event_name(uint32_t type)
{
	if (type >= sizeof(nst_event_names) / sizeof(nst_event_names[0]))
		return NULL;
	return nst_event_names[type];
}

int nst_event_type(const char *name)
{
	uint32_t t;

	for (t = 1; t <= NSTREE_EV_MAX; t++)
		if (nst_event_names[t] && !strcmp(name, nst_event_names[t]))
			return t;
	return -1;
}

const char *nst_reap_reason_name(uint32_t reason)
{
	switch (reason) {
	case NSTREE_REAP_PARENT:	return "parent";
	case NSTREE_REAP_NS_INIT:	return "ns-init";
	case NSTREE_REAP_SELF:		return "self";
	case NSTREE_REAP_OTHER:		return "other";
	case NSTREE_REAP_SUBREAPER:	return "subreaper";
	}
	return "unknown";
}

const char *nst_reparent_reason_name(uint32_t reason)
{
	switch (reason) {
	case NSTREE_REPARENT_NS_INIT:	return "ns-init";
	case NSTREE_REPARENT_SUBREAPER:	return "subreaper";
	case NSTREE_REPARENT_THREAD:	return "thread";
	case NSTREE_REPARENT_OTHER:	return "other";
	case NSTREE_REPARENT_KILLED:	return "killed";
	}
	return "unknown";
}

/* A NSPID-style nest: entry i (from 1) is the PID at depth i - 1. */
static int nst_ev_chain(struct nlattr *nest, uint32_t *out, int *len)
{
	struct nlattr *a;
	int rem, i;

	*len = 0;
	nla_for_each_nested(a, nest, rem) {
		i = nla_type(a);
		if (i < 1 || i > NST_MAX_LEVELS || nla_len(a) != 4)
			return -EBADMSG;
		out[i - 1] = nla_get_u32(a);
		if (i > *len)
			*len = i;
	}
	return 0;
}

static int nst_ev_proc(struct nlattr *nest, struct nst_ev_proc *p)
{
	struct nlattr *tb[NSTREE_A_PROC_MAX + 1];

	if (!nest)
		return 0;
	if (nla_parse_nested(tb, NSTREE_A_PROC_MAX, nest, nst_proc_policy) < 0 ||
	    !tb[NSTREE_A_PROC_PID])
		return -EBADMSG;
	p->present = 1;
	p->pid = nla_get_u32(tb[NSTREE_A_PROC_PID]);
	if (tb[NSTREE_A_PROC_TID])
		p->tid = nla_get_u32(tb[NSTREE_A_PROC_TID]);
	if (tb[NSTREE_A_PROC_NSPID] &&
	    nst_ev_chain(tb[NSTREE_A_PROC_NSPID], p->nspid, &p->nspid_len))
		return -EBADMSG;
	if (tb[NSTREE_A_PROC_NSTID] &&
	    nst_ev_chain(tb[NSTREE_A_PROC_NSTID], p->nstid, &p->nstid_len))
		return -EBADMSG;
	if (tb[NSTREE_A_PROC_PIDNS_INUM])
		p->pidns_inum = nla_get_u32(tb[NSTREE_A_PROC_PIDNS_INUM]);
	if (tb[NSTREE_A_PROC_PIDNS_ID])
		p->pidns_id = nla_get_u64(tb[NSTREE_A_PROC_PIDNS_ID]);
	if (tb[NSTREE_A_PROC_START_TIME])
		p->start_time = nla_get_u64(tb[NSTREE_A_PROC_START_TIME]);
	if (tb[NSTREE_A_PROC_COMM])
		nla_strlcpy(p->comm, tb[NSTREE_A_PROC_COMM], sizeof(p->comm));
	return 0;
}

static uint32_t nst_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static uint64_t nst_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

/* Decode one event's attributes into @ev. */
static int nst_ev_decode(struct nlattr **tb, struct nst_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (!tb[NSTREE_A_EV_TYPE] || !tb[NSTREE_A_EV_SEQ])
		return -EBADMSG;
	ev->type = nla_get_u32(tb[NSTREE_A_EV_TYPE]);
	ev->seq = nla_get_u64(tb[NSTREE_A_EV_SEQ]);
	ev->time = nst_u64(tb[NSTREE_A_EV_TIME]);
	if (nst_ev_proc(tb[NSTREE_A_EV_PROC], &ev->proc) ||
	    nst_ev_proc(tb[NSTREE_A_EV_PARENT], &ev->parent) ||
	    nst_ev_proc(tb[NSTREE_A_EV_OLD_PARENT], &ev->old_parent) ||
	    nst_ev_proc(tb[NSTREE_A_EV_REAPER], &ev->reaper))
		return -EBADMSG;
	ev->clone_flags = nst_u64(tb[NSTREE_A_EV_CLONE_FLAGS]);
	ev->has_clone_flags = !!tb[NSTREE_A_EV_CLONE_FLAGS];
	ev->thread = !!tb[NSTREE_A_EV_THREAD];
	ev->ns_init = !!tb[NSTREE_A_EV_NS_INIT];
	ev->group_dead = !!tb[NSTREE_A_EV_GROUP_DEAD];
	ev->has_exit_code = !!tb[NSTREE_A_EV_EXIT_CODE];
	ev->exit_code = nst_u32(tb[NSTREE_A_EV_EXIT_CODE]);
	ev->reason = nst_u32(tb[NSTREE_A_EV_REASON]);
	ev->count = nst_u32(tb[NSTREE_A_EV_COUNT]);
	ev->lost = nst_u64(tb[NSTREE_A_EV_LOST]);
	ev->ns_inum = nst_u32(tb[NSTREE_A_EV_NS_INUM]);
	ev->ns_level = nst_u32(tb[NSTREE_A_EV_NS_LEVEL]);
	ev->ns_parent_inum = nst_u32(tb[NSTREE_A_EV_NS_PARENT_INUM]);
	ev->ns_id = nst_u64(tb[NSTREE_A_EV_NS_ID]);
	ev->ns_parent_id = nst_u64(tb[NSTREE_A_EV_NS_PARENT_ID]);
	if (tb[NSTREE_A_EV_FILENAME])
		nla_strlcpy(ev->filename, tb[NSTREE_A_EV_FILENAME],
			    sizeof(ev->filename));
	return 0;
}

static int nst_put_u32_opt(struct nl_msg *msg, int type, uint32_t v)
{
	return v ? nla_put_u32(msg, type, v) : 0;
}

struct nst_sub_req {
	struct nst_sub_info *info;
	int err;
	int done;
};

static int nst_sub_valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NSTREE_A_SUB_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	struct nst_sub_req *r = arg;

	if (g->cmd != NSTREE_CMD_SUBSCRIBE)
		return NL_OK;
	r->done = 1;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NSTREE_A_SUB_MAX,
			  nst_sub_policy) < 0) {
		r->err = -EBADMSG;
		return NL_STOP;
	}
	if (r->info) {
		r->info->events = nst_u32(tb[NSTREE_A_SUB_EVENTS]);
		r->info->queue_len = nst_u32(tb[NSTREE_A_SUB_QUEUE_LEN]);
		r->info->pidns_inum = nst_u32(tb[NSTREE_A_SUB_PIDNS_INUM]);
		r->info->ns_inum = nst_u32(tb[NSTREE_A_SUB_NS_INUM]);
		r->info->pidns_id = nst_u64(tb[NSTREE_A_SUB_PIDNS_ID]);
		r->info->ns_id = nst_u64(tb[NSTREE_A_SUB_NS_ID]);
	}
	return NL_STOP;
}

static int nst_sub_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e,
			  void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nst_conn *c = ((void **)arg)[1];
	struct nst_sub_req *r = ((void **)arg)[0];

	(void)nla;
	nst_extack_msg(nlh, nlh->nlmsg_len, c->extack, sizeof(c->extack));
	r->err = e->error;
	r->done = 1;
	return NL_STOP;
}

int nst_subscribe(struct nst_conn *c, const struct nst_sub_opts *o,
		  struct nst_sub_info *info)
{
	static const struct nst_sub_opts all;
	struct nst_sub_req r = { .info = info };
	void *err_arg[2] = { &r, c };
	struct nl_msg *msg;
	struct nl_cb *cb;
	int one = 1, err;

	if (!o)
		o = &all;
	c->extack[0] = '\0';
	msg = nst_msg_new(c, NSTREE_CMD_SUBSCRIBE, 0);
	if (!msg)
		return -ENOMEM;
	if (nst_put_u32_opt(msg, NSTREE_A_SUB_EVENTS, o->events) ||
	    nst_put_u32_opt(msg, NSTREE_A_SUB_NS_INUM, o->ns_inum) ||
	    nst_put_u32_opt(msg, NSTREE_A_SUB_NS_PID, o->ns_pid) ||
	    (o->ns_id && nla_put_u64(msg, NSTREE_A_SUB_NS_ID, o->ns_id)) ||
	    nst_put_u32_opt(msg, NSTREE_A_SUB_SUBTREE, o->subtree) ||
	    nst_put_u32_opt(msg, NSTREE_A_SUB_QUEUE_LEN, o->queue_len)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	/*
	 * The module's reply precedes every event on the socket, but an ack
	 * would follow the first events: ask for the reply alone.
	 */
	nl_socket_disable_auto_ack(c->sk);
	/* Events carry no request's sequence number. */
	nl_socket_disable_seq_check(c->sk);
	/* Losses are reported by the module as LOST, with a count. */
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_NO_ENOBUFS,
		   &one, sizeof(one));

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, nst_sub_valid_cb, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, nst_sub_err_cb, err_arg);
	err = nl_send_auto(c->sk, msg);
	nlmsg_free(msg);
	while (err >= 0 && !r.done) {
		err = nl_recvmsgs(c->sk, cb);
		if (err < 0 && !r.done)
			r.err = -EIO;
	}
	if (err < 0 && !r.err)
		r.err = -EIO;
	nl_cb_put(cb);
	nl_socket_enable_auto_ack(c->sk);
	if (!r.err)
		nl_socket_set_nonblocking(c->sk);
	return r.err;
}

int nst_unsubscribe(struct nst_conn *c)
{
	struct nl_msg *msg = nst_msg_new(c, NSTREE_CMD_UNSUBSCRIBE, 0);
	char buf[65536] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct pollfd pfd = { .fd = nl_socket_get_fd(c->sk), .events = POLLIN };
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	ssize_t len;
	int err;

	if (!msg)
		return -ENOMEM;
	c->extack[0] = '\0';
	err = nl_send_auto(c->sk, msg);
	nlmsg_free(msg);
	if (err < 0)
		return -EIO;
	/* The answer comes after the events still queued: skip those. */
	for (;;) {
		if (poll(&pfd, 1, 5000) <= 0)
			return -ETIMEDOUT;
		len = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				continue;
			e = nlmsg_data(nlh);
			nst_extack_msg(nlh, nlh->nlmsg_len, c->extack,
				       sizeof(c->extack));
			return e->error;
		}
	}
}

int nst_event_bufsize(struct nst_conn *c, int bytes)
{
	int fd = nl_socket_get_fd(c->sk);

	if (!setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		return 0;
	return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) ?
		-errno : 0;
}

int nst_event_fd(const struct nst_conn *c)
{
	return nl_socket_get_fd(c->sk);
}

/* Decode one message; EVENTs go to @fn, anything else is ignored. */
static int nst_ev_msg(struct nst_conn *c, struct nlmsghdr *nlh,
		      nst_event_fn fn, void *arg)
{
	struct nlattr *tb[NSTREE_A_EV_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nst_event ev;
	int err;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr *e = nlmsg_data(nlh);

		/* An ack (0) is no news; an error would be a late answer. */
		return nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) ? e->error : 0;
	}
	if (nlh->nlmsg_type != c->family ||
	    nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) ||
	    g->cmd != NSTREE_CMD_EVENT)
		return 0;
	if (nla_parse(tb, NSTREE_A_EV_MAX, genlmsg_attrdata(g, 0),
		      genlmsg_attrlen(g, 0), nst_ev_policy) < 0 ||
	    nst_ev_decode(tb, &ev))
		return -EBADMSG;
	err = fn ? fn(&ev, arg) : 0;
	return err < 0 ? err : 1;
}

int nst_event_read(struct nst_conn *c, nst_event_fn fn, void *arg)
{
	char buf[65536] __attribute__((aligned(NLMSG_ALIGNTO)));
	int fd = nl_socket_get_fd(c->sk);
	struct nlmsghdr *nlh;
	int n = 0, err;
	ssize_t len;

	for (;;) {
		len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return n;
			return -errno;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			err = nst_ev_msg(c, nlh, fn, arg);
			if (err < 0)
				return err;
			n += err;
		}
	}
}
