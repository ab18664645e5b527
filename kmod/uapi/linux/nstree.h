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
 * @NSTREE_CMD_GET_NS: dump: every PID namespace the caller can see (its
 *	own and every descendant); do: one of them, chosen by
 *	%NSTREE_A_NS_INUM or %NSTREE_A_NS_PID. Reply: %NSTREE_A_NS_*.
 * @NSTREE_CMD_GET_PROC: dump: every process the caller can see, narrowed
 *	by the optional selectors %NSTREE_A_PROC_SEL_*; do: the process of
 *	%NSTREE_A_PROC_PID. Reply: %NSTREE_A_PROC_*, one message a process
 *	(or a thread, with %NSTREE_A_PROC_SEL_THREADS).
 * @NSTREE_CMD_SUBSCRIBE: do: start receiving %NSTREE_CMD_EVENT messages
 *	on this socket. Request and reply: %NSTREE_A_SUB_*.
 * @NSTREE_CMD_UNSUBSCRIBE: do: stop them.
 * @NSTREE_CMD_EVENT: notification, kernel to subscriber: one lifecycle
 *	event, %NSTREE_A_EV_*.
 */
enum nstree_cmd {
	NSTREE_CMD_UNSPEC,
	NSTREE_CMD_GET_INFO,
	NSTREE_CMD_GET_NS,
	NSTREE_CMD_GET_PROC,
	NSTREE_CMD_SUBSCRIBE,
	NSTREE_CMD_UNSUBSCRIBE,
	NSTREE_CMD_EVENT,

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

/**
 * enum nstree_a_ns - attributes of a PID namespace (%NSTREE_CMD_GET_NS)
 * @NSTREE_A_NS_UNSPEC: reserved
 * @NSTREE_A_NS_INUM: u32, inode number (readlink /proc/PID/ns/pid). In a
 *	do request: the namespace to describe.
 * @NSTREE_A_NS_PID: u32, request only: describe the namespace of this
 *	process (a PID in the caller's namespace)
 * @NSTREE_A_NS_LEVEL: u32, depth below the caller's namespace: 0 for the
 *	caller's own, 1 for its children, ...
 * @NSTREE_A_NS_PARENT_INUM: u32, the parent namespace's inode. Absent for
 *	the caller's own namespace: ancestors are never revealed.
 * @NSTREE_A_NS_INIT_PID: u32, the namespace's init (its child reaper) as
 *	the caller sees it. Absent while the namespace has no live init.
 * @NSTREE_A_NS_INIT_COMM: string, the init's comm
 * @NSTREE_A_NS_NR_PROCS: u32, processes (thread groups) whose own PID
 *	namespace is this one; members of descendant namespaces not counted,
 *	as lsns counts them
 * @NSTREE_A_NS_NR_THREADS: u32, threads of those processes
 * @NSTREE_A_NS_NR_ZOMBIES: u32, those processes that are zombies
 * @NSTREE_A_NS_USERNS_INUM: u32, inode of the user namespace that owns
 *	this PID namespace; present only when that user namespace is the
 *	caller's own or a descendant of it
 */
enum nstree_a_ns {
	NSTREE_A_NS_UNSPEC,
	NSTREE_A_NS_INUM,
	NSTREE_A_NS_PID,
	NSTREE_A_NS_LEVEL,
	NSTREE_A_NS_PARENT_INUM,
	NSTREE_A_NS_INIT_PID,
	NSTREE_A_NS_INIT_COMM,
	NSTREE_A_NS_NR_PROCS,
	NSTREE_A_NS_NR_THREADS,
	NSTREE_A_NS_NR_ZOMBIES,
	NSTREE_A_NS_USERNS_INUM,

	/* private: */
	__NSTREE_A_NS_MAX,
	NSTREE_A_NS_MAX = __NSTREE_A_NS_MAX - 1
};

/**
 * enum nstree_a_proc - attributes of a process (%NSTREE_CMD_GET_PROC)
 * @NSTREE_A_PROC_UNSPEC: reserved
 * @NSTREE_A_PROC_PID: u32, the process's PID (thread group ID) in the
 *	caller's namespace. In a do request: the process to describe.
 * @NSTREE_A_PROC_NSPID: nest of u32, the PID at every level from the
 *	caller's namespace down to the process's own, as the NSpid line of
 *	/proc/PID/status shows it to the caller; entry i (from 1) is the PID
 *	at depth i - 1 below the caller
 * @NSTREE_A_PROC_TID: u32, thread entries only (%NSTREE_A_PROC_SEL_THREADS):
 *	the thread's ID in the caller's namespace
 * @NSTREE_A_PROC_NSTID: nest of u32, thread entries only: the thread's ID
 *	at every level, laid out as %NSTREE_A_PROC_NSPID
 * @NSTREE_A_PROC_PPID: u32, the parent's PID in the caller's namespace; 0
 *	when the parent is outside it
 * @NSTREE_A_PROC_PPID_NS: u32, the parent's PID in the process's own
 *	namespace (what getppid() returns there); 0 when outside it
 * @NSTREE_A_PROC_COMM: string, the command name
 * @NSTREE_A_PROC_STATE: u8, the state letter of /proc/PID/status
 *	(R S D T t X Z P I)
 * @NSTREE_A_PROC_THREADS: u32, number of threads
 * @NSTREE_A_PROC_UID: u32, real user ID, in the caller's user namespace
 *	(65534 when unmapped)
 * @NSTREE_A_PROC_EUID: u32, effective user ID, likewise
 * @NSTREE_A_PROC_START_TIME: u64, start time in nanoseconds since boot
 *	(CLOCK_BOOTTIME)
 * @NSTREE_A_PROC_PIDNS_INUM: u32, inode of the process's own PID namespace
 * @NSTREE_A_PROC_PIDNS_LEVEL: u32, its depth below the caller's namespace
 * @NSTREE_A_PROC_NS_INIT: flag, the process is its namespace's init
 * @NSTREE_A_PROC_SUBREAPER: flag, the process is a child subreaper
 *	(PR_SET_CHILD_SUBREAPER)
 * @NSTREE_A_PROC_MNTNS_INUM: u32, mount namespace inode; absent once the
 *	process has left its namespaces (a zombie), like the next five
 * @NSTREE_A_PROC_NETNS_INUM: u32, network namespace inode
 * @NSTREE_A_PROC_UTSNS_INUM: u32, UTS namespace inode
 * @NSTREE_A_PROC_IPCNS_INUM: u32, IPC namespace inode
 * @NSTREE_A_PROC_CGROUPNS_INUM: u32, cgroup namespace inode
 * @NSTREE_A_PROC_TIMENS_INUM: u32, time namespace inode
 * @NSTREE_A_PROC_USERNS_INUM: u32, user namespace inode (from the
 *	credentials, so a zombie still has it)
 * @NSTREE_A_PROC_SEL_NS_INUM: u32, dump request only: only processes with
 *	a PID in this namespace (its members and its descendants' members)
 * @NSTREE_A_PROC_SEL_NS_PID: u32, dump request only: the same, for the
 *	namespace of this process; excludes %NSTREE_A_PROC_SEL_NS_INUM
 * @NSTREE_A_PROC_SEL_SUBTREE: u32, dump request only: only this process
 *	and its descendants
 * @NSTREE_A_PROC_SEL_THREADS: u8, dump request only: 1 for one entry per
 *	thread instead of one per process, 0 (the default) for processes. A
 *	u8 rather than a flag: the core answers a flag carrying a payload with
 *	ERANGE, and the ABI promises EINVAL for every malformed value.
 * @NSTREE_A_PROC_ARGS: binary, with %NSTREE_A_PROC_WITH_ARGS only: the
 *	process's argument area as /proc/PID/cmdline reads it (NUL-separated
 *	arguments), cut at 4096 bytes; absent for kernel threads and zombies
 * @NSTREE_A_PROC_WITH_ARGS: u8, request (do or dump): 1 to have
 *	%NSTREE_A_PROC_ARGS in every entry, 0 (the default) not to
 */
enum nstree_a_proc {
	NSTREE_A_PROC_UNSPEC,
	NSTREE_A_PROC_PID,
	NSTREE_A_PROC_NSPID,
	NSTREE_A_PROC_TID,
	NSTREE_A_PROC_NSTID,
	NSTREE_A_PROC_PPID,
	NSTREE_A_PROC_PPID_NS,
	NSTREE_A_PROC_COMM,
	NSTREE_A_PROC_STATE,
	NSTREE_A_PROC_THREADS,
	NSTREE_A_PROC_UID,
	NSTREE_A_PROC_EUID,
	NSTREE_A_PROC_START_TIME,
	NSTREE_A_PROC_PIDNS_INUM,
	NSTREE_A_PROC_PIDNS_LEVEL,
	NSTREE_A_PROC_NS_INIT,
	NSTREE_A_PROC_SUBREAPER,
	NSTREE_A_PROC_MNTNS_INUM,
	NSTREE_A_PROC_NETNS_INUM,
	NSTREE_A_PROC_UTSNS_INUM,
	NSTREE_A_PROC_IPCNS_INUM,
	NSTREE_A_PROC_CGROUPNS_INUM,
	NSTREE_A_PROC_TIMENS_INUM,
	NSTREE_A_PROC_USERNS_INUM,
	NSTREE_A_PROC_SEL_NS_INUM,
	NSTREE_A_PROC_SEL_NS_PID,
	NSTREE_A_PROC_SEL_SUBTREE,
	NSTREE_A_PROC_SEL_THREADS,
	NSTREE_A_PROC_ARGS,
	NSTREE_A_PROC_WITH_ARGS,

	/* private: */
	__NSTREE_A_PROC_MAX,
	NSTREE_A_PROC_MAX = __NSTREE_A_PROC_MAX - 1
};

/* Subscription (%NSTREE_A_SUB_*) and event (%NSTREE_A_EV_*) attributes. */

#endif /* _UAPI_LINUX_NSTREE_H */
