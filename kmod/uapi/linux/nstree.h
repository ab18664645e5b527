/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nstree: PID namespaces and the processes in them, as the kernel sees them.
 *
 * This header is the single source of the generic netlink ABI shared by the
 * kernel module (kmod/) and every userland client (user/, selftests/).
 * Documentation/nstree.rst describes each command and attribute.
 *
 * Rules of the ABI: the family name and version below identify it; commands
 * and attributes are only ever appended; every value travels as its own
 * attribute (never a C struct); integers are host endian; a PID is always
 * given as the caller sees it, in the caller's PID namespace.
 */
#ifndef _UAPI_LINUX_NSTREE_H
#define _UAPI_LINUX_NSTREE_H

#define NSTREE_FAMILY_NAME	"nstree"
#define NSTREE_FAMILY_VERSION	1

/**
 * enum nstree_cmd - commands of the nstree family
 * @NSTREE_CMD_UNSPEC: reserved, never valid
 * @NSTREE_CMD_GET_INFO: do: describe the module and the caller's (or a
 *	given process's) PID namespace. Request: optional
 *	%NSTREE_A_INFO_PID. Reply: the %NSTREE_A_INFO_* attributes.
 */
enum nstree_cmd {
	NSTREE_CMD_UNSPEC,
	NSTREE_CMD_GET_INFO,

	/* private: */
	__NSTREE_CMD_MAX,
	NSTREE_CMD_MAX = __NSTREE_CMD_MAX - 1
};

/**
 * enum nstree_a_info - attributes of %NSTREE_CMD_GET_INFO
 * @NSTREE_A_INFO_UNSPEC: reserved
 * @NSTREE_A_INFO_MODULE_VERSION: string, the module's version
 * @NSTREE_A_INFO_FAMILY_VERSION: u32, %NSTREE_FAMILY_VERSION of the module
 * @NSTREE_A_INFO_RELEASE: string, the running kernel's release (uname -r)
 * @NSTREE_A_INFO_PID: u32, request only: report on the PID namespace of
 *	this process (a PID in the caller's namespace) instead of the caller's
 *	own. An unknown PID is answered with -ENOENT.
 * @NSTREE_A_INFO_PIDNS_LEVEL: u32, depth of the reported PID namespace
 *	below the initial one (0 on the host, 1 in a container's namespace).
 *	The depth tells how many ancestors exist, never anything about them.
 * @NSTREE_A_INFO_PIDNS_INUM: u32, inode number of the reported PID
 *	namespace, as readlink /proc/PID/ns/pid shows it
 */
enum nstree_a_info {
	NSTREE_A_INFO_UNSPEC,
	NSTREE_A_INFO_MODULE_VERSION,
	NSTREE_A_INFO_FAMILY_VERSION,
	NSTREE_A_INFO_RELEASE,
	NSTREE_A_INFO_PID,
	NSTREE_A_INFO_PIDNS_LEVEL,
	NSTREE_A_INFO_PIDNS_INUM,

	/* private: */
	__NSTREE_A_INFO_MAX,
	NSTREE_A_INFO_MAX = __NSTREE_A_INFO_MAX - 1
};

#endif /* _UAPI_LINUX_NSTREE_H */
