// SPDX-License-Identifier: GPL-2.0
/*
 * The types of the attributes the module sends, as libnl checks them
 * before a reply is read: a u32 has at least 4 bytes, a u64 8, a u8 1, a
 * string ends in NUL (libnl's validate_nla()). An attribute that fails
 * fails the whole message with -EBADMSG, instead of nla_get_u32() reading
 * past a short one. Unknown (newer) attribute types pass unchecked, as
 * libnl leaves them. The types are those of kmod/uapi/linux/nstree.h and
 * Documentation/netlink/specs/nstree.yaml: tools/check-spec.py checks
 * these tables against the spec.
 */
#include <netlink/attr.h>

#include "nl.h"

const struct nla_policy nst_info_policy[NSTREE_A_INFO_MAX + 1] = {
	[NSTREE_A_INFO_MODULE_VERSION]	= { .type = NLA_STRING },
	[NSTREE_A_INFO_FAMILY_VERSION]	= { .type = NLA_U32 },
	[NSTREE_A_INFO_RELEASE]		= { .type = NLA_STRING },
	[NSTREE_A_INFO_PID]		= { .type = NLA_U32 },
	[NSTREE_A_INFO_PIDNS_LEVEL]	= { .type = NLA_U32 },
	[NSTREE_A_INFO_PIDNS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_INFO_PIDNS_ID]	= { .type = NLA_U64 },
};

const struct nla_policy nst_ns_policy[NSTREE_A_NS_MAX + 1] = {
	[NSTREE_A_NS_INUM]		= { .type = NLA_U32 },
	[NSTREE_A_NS_PID]		= { .type = NLA_U32 },
	[NSTREE_A_NS_LEVEL]		= { .type = NLA_U32 },
	[NSTREE_A_NS_PARENT_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_NS_INIT_PID]		= { .type = NLA_U32 },
	[NSTREE_A_NS_INIT_COMM]		= { .type = NLA_STRING },
	[NSTREE_A_NS_NR_PROCS]		= { .type = NLA_U32 },
	[NSTREE_A_NS_NR_THREADS]	= { .type = NLA_U32 },
	[NSTREE_A_NS_NR_ZOMBIES]	= { .type = NLA_U32 },
	[NSTREE_A_NS_USERNS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_NS_ID]		= { .type = NLA_U64 },
	[NSTREE_A_NS_PARENT_ID]		= { .type = NLA_U64 },
};

const struct nla_policy nst_proc_policy[NSTREE_A_PROC_MAX + 1] = {
	[NSTREE_A_PROC_PID]		= { .type = NLA_U32 },
	[NSTREE_A_PROC_NSPID]		= { .type = NLA_NESTED },
	[NSTREE_A_PROC_TID]		= { .type = NLA_U32 },
	[NSTREE_A_PROC_NSTID]		= { .type = NLA_NESTED },
	[NSTREE_A_PROC_PPID]		= { .type = NLA_U32 },
	[NSTREE_A_PROC_PPID_NS]		= { .type = NLA_U32 },
	[NSTREE_A_PROC_COMM]		= { .type = NLA_STRING },
	[NSTREE_A_PROC_STATE]		= { .type = NLA_U8 },
	[NSTREE_A_PROC_THREADS]		= { .type = NLA_U32 },
	[NSTREE_A_PROC_UID]		= { .type = NLA_U32 },
	[NSTREE_A_PROC_EUID]		= { .type = NLA_U32 },
	[NSTREE_A_PROC_START_TIME]	= { .type = NLA_U64 },
	[NSTREE_A_PROC_PIDNS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_PIDNS_LEVEL]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_NS_INIT]		= { .type = NLA_FLAG },
	[NSTREE_A_PROC_SUBREAPER]	= { .type = NLA_FLAG },
	[NSTREE_A_PROC_MNTNS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_NETNS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_UTSNS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_IPCNS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_CGROUPNS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_TIMENS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_USERNS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_SEL_NS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_SEL_NS_PID]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_SEL_SUBTREE]	= { .type = NLA_U32 },
	[NSTREE_A_PROC_SEL_THREADS]	= { .type = NLA_U8 },
	[NSTREE_A_PROC_ARGS]		= { .type = NLA_UNSPEC },
	[NSTREE_A_PROC_WITH_ARGS]	= { .type = NLA_U8 },
	[NSTREE_A_PROC_PIDNS_ID]	= { .type = NLA_U64 },
	[NSTREE_A_PROC_SEL_NS_ID]	= { .type = NLA_U64 },
	[NSTREE_A_PROC_REAPER]		= { .type = NLA_U32 },
	[NSTREE_A_PROC_REAPER_REASON]	= { .type = NLA_U8 },
	[NSTREE_A_PROC_SIGCHLD]		= { .type = NLA_U8 },
	[NSTREE_A_PROC_IN_WAIT]		= { .type = NLA_U8 },
	[NSTREE_A_PROC_ZOMBIE_NS]	= { .type = NLA_U64 },
};

const struct nla_policy nst_sub_policy[NSTREE_A_SUB_MAX + 1] = {
	[NSTREE_A_SUB_EVENTS]		= { .type = NLA_U32 },
	[NSTREE_A_SUB_NS_INUM]		= { .type = NLA_U32 },
	[NSTREE_A_SUB_NS_PID]		= { .type = NLA_U32 },
	[NSTREE_A_SUB_SUBTREE]		= { .type = NLA_U32 },
	[NSTREE_A_SUB_QUEUE_LEN]	= { .type = NLA_U32 },
	[NSTREE_A_SUB_PIDNS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_SUB_NS_ID]		= { .type = NLA_U64 },
	[NSTREE_A_SUB_PIDNS_ID]		= { .type = NLA_U64 },
};

const struct nla_policy nst_ev_policy[NSTREE_A_EV_MAX + 1] = {
	[NSTREE_A_EV_TYPE]		= { .type = NLA_U32 },
	[NSTREE_A_EV_SEQ]		= { .type = NLA_U64 },
	[NSTREE_A_EV_TIME]		= { .type = NLA_U64 },
	[NSTREE_A_EV_PROC]		= { .type = NLA_NESTED },
	[NSTREE_A_EV_PARENT]		= { .type = NLA_NESTED },
	[NSTREE_A_EV_OLD_PARENT]	= { .type = NLA_NESTED },
	[NSTREE_A_EV_REAPER]		= { .type = NLA_NESTED },
	[NSTREE_A_EV_CLONE_FLAGS]	= { .type = NLA_U64 },
	[NSTREE_A_EV_THREAD]		= { .type = NLA_FLAG },
	[NSTREE_A_EV_NS_INIT]		= { .type = NLA_FLAG },
	[NSTREE_A_EV_FILENAME]		= { .type = NLA_STRING },
	[NSTREE_A_EV_EXIT_CODE]		= { .type = NLA_U32 },
	[NSTREE_A_EV_GROUP_DEAD]	= { .type = NLA_FLAG },
	[NSTREE_A_EV_REASON]		= { .type = NLA_U32 },
	[NSTREE_A_EV_COUNT]		= { .type = NLA_U32 },
	[NSTREE_A_EV_LOST]		= { .type = NLA_U64 },
	[NSTREE_A_EV_NS_INUM]		= { .type = NLA_U32 },
	[NSTREE_A_EV_NS_LEVEL]		= { .type = NLA_U32 },
	[NSTREE_A_EV_NS_PARENT_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_EV_NS_ID]		= { .type = NLA_U64 },
	[NSTREE_A_EV_NS_PARENT_ID]	= { .type = NLA_U64 },
};
