// SPDX-License-Identifier: GPL-2.0
/*
 * The nstree generic netlink family: registration and the GET_INFO command.
 *
 * The family is usable from every network namespace (netnsok): containers
 * usually have their own, and a PID namespace is not tied to a network
 * namespace. What a caller may see is decided by its PID namespace alone,
 * taken from current, never from the socket.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/threads.h>
#include <linux/utsname.h>
#include <net/genetlink.h>

#include "nstree.h"
#include "nstree_access.h"

/*
 * A PID as a request names it, in the caller's namespace: never 0, never
 * above the kernel's limit. The policies check it (NLA_POLICY_FULL_RANGE:
 * the bounds do not fit the s16 of NLA_POLICY_RANGE), so an out-of-range
 * PID is ERANGE from the netlink core, with the bounds in the extack's
 * policy. Sealed after init rather than const (see nstree_compat.h).
 */
struct netlink_range_validation nstree_pid_range __ro_after_init = {
	.min = 1,
	.max = PID_MAX_LIMIT,
};

static const struct nla_policy nstree_info_policy[NSTREE_A_INFO_MAX + 1] = {
	[NSTREE_A_INFO_PID] = NLA_POLICY_FULL_RANGE(NLA_U32,
						    &nstree_pid_range),
};

/*
 * Find the PID namespace GET_INFO reports on: the caller's own, or that of
 * the process named by NSTREE_A_INFO_PID, looked up in the caller's view
 * only, so a PID outside it is as unknown as a PID that does not exist.
 * Naming a process asks what /proc/PID/ns/pid would tell: the caller must
 * be allowed to ptrace-read it (nstree_access.c).
 */
static struct pid_namespace *nstree_info_ns(struct genl_info *info)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct nlattr *attr = info->attrs[NSTREE_A_INFO_PID];
	struct nstree_access acc;
	struct pid *pid;

	if (!attr)
		return get_pid_ns(ns);
	nstree_access_init(&acc);
	pid = nstree_access_lookup(&acc, ns, attr, true, info->extack);
	nstree_access_release(&acc);
	if (IS_ERR(pid))
		return ERR_CAST(pid);
	ns = get_pid_ns(ns_of_pid(pid));
	put_pid(pid);
	return ns;
}

static int nstree_info_fill(struct sk_buff *msg, struct pid_namespace *ns)
{
	u64 id;

	if (nla_put_string(msg, NSTREE_A_INFO_MODULE_VERSION, NSTREE_VERSION) ||
	    nla_put_u32(msg, NSTREE_A_INFO_FAMILY_VERSION, NSTREE_FAMILY_VERSION) ||
	    nla_put_string(msg, NSTREE_A_INFO_RELEASE, init_utsname()->release) ||
	    nla_put_u32(msg, NSTREE_A_INFO_PIDNS_LEVEL, ns->level) ||
	    nla_put_u32(msg, NSTREE_A_INFO_PIDNS_INUM, ns->ns.inum))
		return -EMSGSIZE;
	id = nstree_nsid(ns);
	if (id && nla_put_u64_64bit(msg, NSTREE_A_INFO_PIDNS_ID, id,
				    NSTREE_A_INFO_PAD))
		return -EMSGSIZE;
	return 0;
}

static int nstree_get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pid_namespace *ns;
	struct sk_buff *msg;
	void *hdr;
	int err;

	ns = nstree_info_ns(info);
	if (IS_ERR(ns))
		return PTR_ERR(ns);

	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto err_put_ns;

	hdr = genlmsg_put_reply(msg, info, &nstree_genl_family, 0,
				NSTREE_CMD_GET_INFO);
	if (!hdr)
		goto err_free_msg;

	err = nstree_info_fill(msg, ns);
	if (err)
		goto err_free_msg;

	put_pid_ns(ns);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
err_put_ns:
	put_pid_ns(ns);
	return err;
}

static const struct nla_policy nstree_ns_policy[NSTREE_A_NS_MAX + 1] = {
	[NSTREE_A_NS_INUM] = { .type = NLA_U32 },
	[NSTREE_A_NS_PID] = NLA_POLICY_FULL_RANGE(NLA_U32, &nstree_pid_range),
	[NSTREE_A_NS_ID] = { .type = NLA_U64 },
};

static const struct nla_policy nstree_proc_policy[NSTREE_A_PROC_MAX + 1] = {
	[NSTREE_A_PROC_PID] = NLA_POLICY_FULL_RANGE(NLA_U32,
						    &nstree_pid_range),
	[NSTREE_A_PROC_SEL_NS_INUM] = { .type = NLA_U32 },
	[NSTREE_A_PROC_SEL_NS_ID] = { .type = NLA_U64 },
	[NSTREE_A_PROC_SEL_NS_PID] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &nstree_pid_range),
	[NSTREE_A_PROC_SEL_SUBTREE] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &nstree_pid_range),
	/* u8 booleans: 0 or 1 */
	[NSTREE_A_PROC_SEL_THREADS] = NLA_POLICY_MAX(NLA_U8, 1),
	[NSTREE_A_PROC_WITH_ARGS] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct genl_ops nstree_genl_ops[] = {
	{
		.cmd		= NSTREE_CMD_GET_INFO,
		.doit		= nstree_get_info_doit,
		.policy		= nstree_info_policy,
		.maxattr	= NSTREE_A_INFO_MAX,
	},
	{
		.cmd		= NSTREE_CMD_GET_NS,
		.doit		= nstree_get_ns_doit,
		.start		= nstree_dump_start,
		.dumpit		= nstree_get_ns_dumpit,
		.done		= nstree_dump_done,
		.policy		= nstree_ns_policy,
		.maxattr	= NSTREE_A_NS_MAX,
	},
	{
		.cmd		= NSTREE_CMD_GET_PROC,
		.doit		= nstree_get_proc_doit,
		.start		= nstree_dump_start,
		.dumpit		= nstree_get_proc_dumpit,
		.done		= nstree_dump_done,
		.policy		= nstree_proc_policy,
		.maxattr	= NSTREE_A_PROC_MAX,
	},
	{
		.cmd		= NSTREE_CMD_SUBSCRIBE,
		.doit		= nstree_subscribe_doit,
		.policy		= nstree_sub_policy,
		.maxattr	= NSTREE_A_SUB_MAX,
	},
	{
		.cmd		= NSTREE_CMD_UNSUBSCRIBE,
		.doit		= nstree_unsubscribe_doit,
		.policy		= nstree_unsub_policy,
		.maxattr	= NSTREE_A_SUB_MAX,
	},
};

struct genl_family nstree_genl_family __ro_after_init = {
	.name		= NSTREE_FAMILY_NAME,
	.version	= NSTREE_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	/* Every command is new: all get header checks and strict policies. */
	.resv_start_op	= NSTREE_CMD_GET_INFO,
	.ops		= nstree_genl_ops,
	.n_ops		= ARRAY_SIZE(nstree_genl_ops),
	.module		= THIS_MODULE,
};

int __init nstree_genl_init(void)
{
	return genl_register_family(&nstree_genl_family);
}

void nstree_genl_exit(void)
{
	genl_unregister_family(&nstree_genl_family);
}
