/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nstree netlink client: the one place in userland that encodes
 * requests to the nstree family and decodes its replies. The CLI and the
 * selftests both use it.
 */
#ifndef NSTREE_NL_H
#define NSTREE_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/nstree.h>
#include <netlink/msg.h>

struct nl_sock;

struct nst_conn {
	struct nl_sock *sk;
	int family;			/* resolved family id */
	char extack[256];		/* the kernel's message for the last error */
};

/* Called for every reply message, with its attributes parsed. */
typedef int (*nst_reply_fn)(struct nlattr **attrs, int maxattr, void *arg);

/*
 * Connect and resolve the family. Returns 0; -ENOENT when the family is
 * not registered (the module is not loaded); another -errno otherwise.
 */
int nst_open(struct nst_conn *c);
void nst_close(struct nst_conn *c);

/* A request for @cmd; NLM_F_DUMP in @flags for a dump. NULL on ENOMEM. */
struct nl_msg *nst_msg_new(struct nst_conn *c, uint8_t cmd, int flags);

/*
 * Send @msg (consumed) and read every reply until the ack or the end of the
 * dump, calling @fn for each with attributes parsed up to @maxattr.
 * Returns 0, the kernel's -errno (its extack message in c->extack), or the
 * first negative value @fn returned.
 */
int nst_request(struct nst_conn *c, struct nl_msg *msg, int maxattr,
		nst_reply_fn fn, void *arg);

/*
 * Copy the extack message (NLMSGERR_ATTR_MSG) of the error message @nlh,
 * @len bytes long, into @buf. Returns 1 if there was one, 0 if not.
 */
int nst_extack_msg(const struct nlmsghdr *nlh, size_t len, char *buf,
		   size_t size);

struct nst_info {
	char module_version[32];
	uint32_t family_version;
	char release[65];
	uint32_t level;
	uint32_t inum;
};

/* GET_INFO about the caller's PID namespace, or PID @pid's when not 0. */
int nst_get_info(struct nst_conn *c, uint32_t pid, struct nst_info *info);

#endif /* NSTREE_NL_H */
