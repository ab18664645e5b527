// SPDX-License-Identifier: GPL-2.0
/* Requests and replies of GET_NS and GET_PROC. */
#include <errno.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "nl.h"

static uint32_t get_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static uint64_t get_u64(struct nlattr *a)
{
	return a && nla_len(a) == 8 ? nla_get_u64(a) : 0;
}

/* A nest of u32 entries numbered from 1, as NSpid is sent. */
static int decode_chain(struct nlattr *nest, uint32_t *out, unsigned int *len)
{
	struct nlattr *a;
	int rem;

	*len = 0;
	if (!nest)
		return 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_len(a) != 4 || nla_type(a) != (int)*len + 1 ||
		    *len == NST_MAX_LEVELS)
			return -EBADMSG;
		out[(*len)++] = nla_get_u32(a);
	}
	return 0;
}

int nst_decode_ns(struct nlattr **a, struct nst_ns *ns)
{
	memset(ns, 0, sizeof(*ns));
	if (!a[NSTREE_A_NS_INUM] || !a[NSTREE_A_NS_LEVEL])
		return -EBADMSG;
	ns->inum = get_u32(a[NSTREE_A_NS_INUM]);
	ns->level = get_u32(a[NSTREE_A_NS_LEVEL]);
	ns->parent = get_u32(a[NSTREE_A_NS_PARENT_INUM]);
	ns->init_pid = get_u32(a[NSTREE_A_NS_INIT_PID]);
	if (a[NSTREE_A_NS_INIT_COMM])
		nla_strlcpy(ns->init_comm, a[NSTREE_A_NS_INIT_COMM],
			    sizeof(ns->init_comm));
	ns->nr_procs = get_u32(a[NSTREE_A_NS_NR_PROCS]);
	ns->nr_threads = get_u32(a[NSTREE_A_NS_NR_THREADS]);
	ns->nr_zombies = get_u32(a[NSTREE_A_NS_NR_ZOMBIES]);
	ns->userns = get_u32(a[NSTREE_A_NS_USERNS_INUM]);
	ns->id = get_u64(a[NSTREE_A_NS_ID]);
	ns->parent_id = get_u64(a[NSTREE_A_NS_PARENT_ID]);
	return 0;
}

int nst_decode_proc(struct nlattr **a, struct nst_proc *p)
{
	memset(p, 0, sizeof(*p));
	if (!a[NSTREE_A_PROC_PID] || !a[NSTREE_A_PROC_NSPID] ||
	    !a[NSTREE_A_PROC_STATE])
		return -EBADMSG;
	if (decode_chain(a[NSTREE_A_PROC_NSPID], p->nspid, &p->nspid_len) ||
	    decode_chain(a[NSTREE_A_PROC_NSTID], p->nstid, &p->nstid_len))
		return -EBADMSG;
	p->pid = get_u32(a[NSTREE_A_PROC_PID]);
	p->tid = get_u32(a[NSTREE_A_PROC_TID]);
	p->ppid = get_u32(a[NSTREE_A_PROC_PPID]);
	p->ppid_ns = get_u32(a[NSTREE_A_PROC_PPID_NS]);
	if (a[NSTREE_A_PROC_COMM])
		nla_strlcpy(p->comm, a[NSTREE_A_PROC_COMM], sizeof(p->comm));
	p->state = (char)nla_get_u8(a[NSTREE_A_PROC_STATE]);
	p->threads = get_u32(a[NSTREE_A_PROC_THREADS]);
	p->uid = get_u32(a[NSTREE_A_PROC_UID]);
	p->euid = get_u32(a[NSTREE_A_PROC_EUID]);
	if (a[NSTREE_A_PROC_START_TIME])
		p->start_time = nla_get_u64(a[NSTREE_A_PROC_START_TIME]);
	p->pidns = get_u32(a[NSTREE_A_PROC_PIDNS_INUM]);
	p->pidns_id = get_u64(a[NSTREE_A_PROC_PIDNS_ID]);
	p->level = get_u32(a[NSTREE_A_PROC_PIDNS_LEVEL]);
	p->ns_init = !!a[NSTREE_A_PROC_NS_INIT];
	p->subreaper = !!a[NSTREE_A_PROC_SUBREAPER];
	p->reaper = get_u32(a[NSTREE_A_PROC_REAPER]);
	if (a[NSTREE_A_PROC_REAPER_REASON])
		p->reaper_reason = nla_get_u8(a[NSTREE_A_PROC_REAPER_REASON]);
	if (a[NSTREE_A_PROC_SIGCHLD])
		p->sigchld = nla_get_u8(a[NSTREE_A_PROC_SIGCHLD]);
	p->in_wait = a[NSTREE_A_PROC_IN_WAIT] ?
		     !!nla_get_u8(a[NSTREE_A_PROC_IN_WAIT]) : -1;
	if (a[NSTREE_A_PROC_ZOMBIE_NS] &&
	    nla_len(a[NSTREE_A_PROC_ZOMBIE_NS]) == 8) {
		p->zombie_ns = nla_get_u64(a[NSTREE_A_PROC_ZOMBIE_NS]);
		p->zombie_known = 1;
	}
	p->mntns = get_u32(a[NSTREE_A_PROC_MNTNS_INUM]);
	p->netns = get_u32(a[NSTREE_A_PROC_NETNS_INUM]);
	p->utsns = get_u32(a[NSTREE_A_PROC_UTSNS_INUM]);
	p->ipcns = get_u32(a[NSTREE_A_PROC_IPCNS_INUM]);
	p->cgroupns = get_u32(a[NSTREE_A_PROC_CGROUPNS_INUM]);
	p->timens = get_u32(a[NSTREE_A_PROC_TIMENS_INUM]);
	p->userns = get_u32(a[NSTREE_A_PROC_USERNS_INUM]);
	if (a[NSTREE_A_PROC_ARGS]) {
		p->args = nla_data(a[NSTREE_A_PROC_ARGS]);
		p->args_len = nla_len(a[NSTREE_A_PROC_ARGS]);
	}
	return 0;
}

struct ns_walk {
	nst_ns_fn fn;
	void *arg;
	struct nst_ns *out;	/* single answer, when fn is NULL */
};

static int ns_reply(struct nlattr **a, int maxattr, void *arg)
{
	struct ns_walk *w = arg;
	struct nst_ns ns;
	int err;

	(void)maxattr;
	err = nst_decode_ns(a, w->out ? w->out : &ns);
	if (err || !w->fn)
		return err;
	return w->fn(&ns, w->arg);
}

int nst_dump_ns(struct nst_conn *c, nst_ns_fn fn, void *arg)
{
	struct nl_msg *msg = nst_msg_new(c, NSTREE_CMD_GET_NS, NLM_F_DUMP);
	struct ns_walk w = { .fn = fn, .arg = arg };

	if (!msg)
		return -ENOMEM;
	return nst_request(c, msg, NSTREE_A_NS_MAX, nst_ns_policy, ns_reply,
			   &w);
}

int nst_get_ns(struct nst_conn *c, uint32_t inum, uint32_t pid,
	       struct nst_ns *ns)
{
	struct nl_msg *msg = nst_msg_new(c, NSTREE_CMD_GET_NS, 0);
	struct ns_walk w = { .out = ns };

	if (!msg)
		return -ENOMEM;
	if ((inum && nla_put_u32(msg, NSTREE_A_NS_INUM, inum) < 0) ||
	    (!inum && nla_put_u32(msg, NSTREE_A_NS_PID, pid) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return nst_request(c, msg, NSTREE_A_NS_MAX, nst_ns_policy, ns_reply,
			   &w);
}

int nst_get_ns_by_id(struct nst_conn *c, uint64_t id, struct nst_ns *ns)
{
	struct nl_msg *msg = nst_msg_new(c, NSTREE_CMD_GET_NS, 0);
	struct ns_walk w = { .out = ns };

	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, NSTREE_A_NS_ID, id) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return nst_request(c, msg, NSTREE_A_NS_MAX, nst_ns_policy, ns_reply,
			   &w);
}

struct proc_walk {
	nst_proc_fn fn;
	void *arg;
	struct nst_proc *out;
};

static int proc_reply(struct nlattr **a, int maxattr, void *arg)
{
	struct proc_walk *w = arg;
	struct nst_proc p;
	int err;

	(void)maxattr;
	err = nst_decode_proc(a, w->out ? w->out : &p);
	if (err || !w->fn)
		return err;
	return w->fn(&p, w->arg);
}

int nst_dump_procs(struct nst_conn *c, const struct nst_proc_sel *sel,
		   nst_proc_fn fn, void *arg)
{
	struct nl_msg *msg = nst_msg_new(c, NSTREE_CMD_GET_PROC, NLM_F_DUMP);
	struct proc_walk w = { .fn = fn, .arg = arg };
	int err = 0;

	if (!msg)
		return -ENOMEM;
	if (sel) {
		if (sel->ns_inum)
			err |= nla_put_u32(msg, NSTREE_A_PROC_SEL_NS_INUM,
					   sel->ns_inum);
		if (sel->ns_id)
			err |= nla_put_u64(msg, NSTREE_A_PROC_SEL_NS_ID,
					   sel->ns_id);
		if (sel->ns_pid)
			err |= nla_put_u32(msg, NSTREE_A_PROC_SEL_NS_PID,
					   sel->ns_pid);
		if (sel->subtree)
			err |= nla_put_u32(msg, NSTREE_A_PROC_SEL_SUBTREE,
					   sel->subtree);
		if (sel->threads)
			err |= nla_put_u8(msg, NSTREE_A_PROC_SEL_THREADS, 1);
		if (sel->args)
			err |= nla_put_u8(msg, NSTREE_A_PROC_WITH_ARGS, 1);
	}
	if (err) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return nst_request(c, msg, NSTREE_A_PROC_MAX, nst_proc_policy,
			   proc_reply, &w);
}

/* GET_PROC do: the process of @pid, with its arguments when @args. */
static int get_proc(struct nst_conn *c, uint32_t pid, int args,
		    struct proc_walk *w)
{
	struct nl_msg *msg = nst_msg_new(c, NSTREE_CMD_GET_PROC, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, NSTREE_A_PROC_PID, pid) < 0 ||
	    (args && nla_put_u8(msg, NSTREE_A_PROC_WITH_ARGS, 1) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return nst_request(c, msg, NSTREE_A_PROC_MAX, nst_proc_policy,
			   proc_reply, w);
}

int nst_get_proc(struct nst_conn *c, uint32_t pid, struct nst_proc *p)
{
	struct proc_walk w = { .out = p };

	return get_proc(c, pid, 0, &w);
}

int nst_get_proc_fn(struct nst_conn *c, uint32_t pid, int args,
		    nst_proc_fn fn, void *arg)
{
	struct proc_walk w = { .fn = fn, .arg = arg };

	return get_proc(c, pid, args, &w);
}
