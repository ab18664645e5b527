// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int nst_open(struct nst_conn *c)
{
	int one = 1, err;

	memset(c, 0, sizeof(*c));
	c->sk = nl_socket_alloc();
	if (!c->sk)
		return -ENOMEM;
	err = genl_connect(c->sk);
	if (err < 0) {
		err = -errno ?: -EIO;
		goto err_free;
	}
	/* Ask for the kernel's reasons, and not for our request echoed back. */
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	/*
	 * Dump pages can be larger than a page: let libnl peek at each
	 * message's size, and give the socket room for a burst.
	 */
	nl_socket_enable_msg_peek(c->sk);
	nl_socket_set_buffer_size(c->sk, 1 << 20, 0);

	c->family = genl_ctrl_resolve(c->sk, NSTREE_FAMILY_NAME);
	if (c->family < 0) {
		err = c->family == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(c->sk);
	c->sk = NULL;
	return err;
}

void nst_close(struct nst_conn *c)
{
	nl_socket_free(c->sk);
	c->sk = NULL;
}

struct nl_msg *nst_msg_new(struct nst_conn *c, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0,
				flags, cmd, NSTREE_FAMILY_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* Find NLMSGERR_ATTR_MSG among the TLVs that start @off bytes into @nlh. */
static int nst_tlv_msg(const struct nlmsghdr *nlh, size_t off, char *buf,
		       size_t size)
{
	const struct nlattr *a;

	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		a = (const struct nlattr *)((const char *)nlh + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nlh->nlmsg_len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			snprintf(buf, size, "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)a + NLA_HDRLEN);
			/* The kernel's strings end in NUL; drop a newline. */
			buf[strcspn(buf, "\n")] = '\0';
			return 1;
		}
		off += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

int nst_extack_msg(const struct nlmsghdr *nlh, size_t len, char *buf,
		   size_t size)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	if (len < off || nlh->nlmsg_len > len || nlh->nlmsg_len < off ||
	    !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/* Without NLM_F_CAPPED the whole request follows the header. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	return nst_tlv_msg(nlh, off, buf, size);
}

int nst_done_status(const struct nlmsghdr *nlh, size_t len, char *buf,
		    size_t size)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
	int err;

	if (len < NLMSG_HDRLEN + sizeof(int) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
		return 0;
	memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	if (err < 0 && (nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    nlh->nlmsg_len >= off)
		nst_tlv_msg(nlh, off, buf, size);
	return err < 0 ? err : 0;
}

struct nst_req {
	struct nst_conn *conn;
	int maxattr;
	const struct nla_policy *policy;
	nst_reply_fn fn;
	void *arg;
	int err;
	int done;
};

static int nst_valid_cb(struct nl_msg *msg, void *arg)
{
	struct nst_req *r = arg;
	struct nlattr *attrs[r->maxattr + 1];
	int err;

	err = genlmsg_parse(nlmsg_hdr(msg), 0, attrs, r->maxattr, r->policy);
	if (err < 0) {
		r->err = -EBADMSG;
		return NL_STOP;
	}
	if (r->fn) {
		err = r->fn(attrs, r->maxattr, r->arg);
		if (err < 0) {
			r->err = err;
			return NL_STOP;
		}
	}
	return NL_OK;
}

static int nst_ack_cb(struct nl_msg *msg, void *arg)
{
	struct nst_req *r = arg;

	(void)msg;
	r->done = 1;
	return NL_STOP;
}

/* The end of a dump, which may carry the error that ended it. */
static int nst_finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nst_req *r = arg;

	r->err = nst_done_status(nlh, nlh->nlmsg_len, r->conn->extack,
				 sizeof(r->conn->extack));
	r->done = 1;
	return NL_STOP;
}

static int nst_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nst_req *r = arg;

	(void)nla;
	nst_extack_msg(nlh, nlh->nlmsg_len, r->conn->extack,
		       sizeof(r->conn->extack));
	r->err = e->error;
	r->done = 1;
	return NL_STOP;
}

int nst_request(struct nst_conn *c, struct nl_msg *msg, int maxattr,
		const struct nla_policy *policy, nst_reply_fn fn, void *arg)
{
	struct nst_req r = {
		.conn = c, .maxattr = maxattr, .policy = policy, .fn = fn,
		.arg = arg,
	};
	struct nl_cb *cb;
	int err;

	c->extack[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, nst_valid_cb, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, nst_finish_cb, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, nst_ack_cb, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, nst_err_cb, &r);

	err = nl_send_auto(c->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	while (!r.done && !r.err) {
		err = nl_recvmsgs(c->sk, cb);
		if (err < 0 && !r.err) {
			r.err = err == -NLE_NOMEM ? -ENOMEM : -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	return r.err;
}

static int nst_info_reply(struct nlattr **a, int maxattr, void *arg)
{
	struct nst_info *info = arg;

	(void)maxattr;
	if (!a[NSTREE_A_INFO_MODULE_VERSION] || !a[NSTREE_A_INFO_RELEASE] ||
	    !a[NSTREE_A_INFO_FAMILY_VERSION] || !a[NSTREE_A_INFO_PIDNS_LEVEL] ||
	    !a[NSTREE_A_INFO_PIDNS_INUM])
		return -EBADMSG;
	nla_strlcpy(info->module_version, a[NSTREE_A_INFO_MODULE_VERSION],
		    sizeof(info->module_version));
	nla_strlcpy(info->release, a[NSTREE_A_INFO_RELEASE],
		    sizeof(info->release));
	info->family_version = nla_get_u32(a[NSTREE_A_INFO_FAMILY_VERSION]);
	info->level = nla_get_u32(a[NSTREE_A_INFO_PIDNS_LEVEL]);
	info->inum = nla_get_u32(a[NSTREE_A_INFO_PIDNS_INUM]);
	if (a[NSTREE_A_INFO_PIDNS_ID])
		info->id = nla_get_u64(a[NSTREE_A_INFO_PIDNS_ID]);
	return 0;
}

int nst_get_info(struct nst_conn *c, uint32_t pid, struct nst_info *info)
{
	struct nl_msg *msg = nst_msg_new(c, NSTREE_CMD_GET_INFO, 0);

	if (!msg)
		return -ENOMEM;
	if (pid && nla_put_u32(msg, NSTREE_A_INFO_PID, pid) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	memset(info, 0, sizeof(*info));
	return nst_request(c, msg, NSTREE_A_INFO_MAX, nst_info_policy,
			   nst_info_reply, info);
}
