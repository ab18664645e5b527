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
 * given as the caller sees it, in the caller's PID namespace. Every PID of a
 * request is 1 to 4194304 (PID_MAX_LIMIT), else -ERANGE.
 */
#ifndef _UAPI_LINUX_NSTREE_H
#define _UAPI_LINUX_NSTREE_H

#define NSTREE_FAMILY_NAME	"nstree"
#define NSTREE_FAMILY_VERSION	2

/**
 * enum nstree_cmd - commands of the nstree family
 * @NSTREE_CMD_UNSPEC: reserved, never valid
 * @NSTREE_CMD_GET_INFO: do: describe the module and the caller's (or a
 *	given process's) PID namespace. Request: optional
 *	%NSTREE_A_INFO_PID. Reply: the %NSTREE_A_INFO_* attributes.
 * @NSTREE_CMD_GET_NS: dump: every PID namespace the caller can see (its
 *	own and every descendant that still has a live init); do: one of them, chosen by
 *	%NSTREE_A_NS_INUM or %NSTREE_A_NS_PID. Reply: %NSTREE_A_NS_*.
 * @NSTREE_CMD_GET_PROC: dump: every process the caller can see, narrowed
 *	by the optional selectors %NSTREE_A_PROC_SEL_*; do: the process of
 *	%NSTREE_A_PROC_PID. Reply: %NSTREE_A_PROC_*, one message a process
 *	(or a thread, with %NSTREE_A_PROC_SEL_THREADS).
 * @NSTREE_CMD_SUBSCRIBE: do: start receiving %NSTREE_CMD_EVENT messages
 *	on this socket. Request and reply: %NSTREE_A_SUB_*.
 * @NSTREE_CMD_UNSUBSCRIBE: do: stop them. Takes no attribute: any
 *	%NSTREE_A_SUB_* is refused with -EINVAL.
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
 *	own. An unknown PID is answered with -ENOENT (so is one that the
 *	caller's /proc hides with hidepid=), one the caller may not
 *	ptrace-read with -EACCES (as readlink /proc/PID/ns/pid would be).
 * @NSTREE_A_INFO_PIDNS_LEVEL: u32, depth of the reported PID namespace
 *	below the initial one (0 on the host, 1 in a container's namespace).
 *	The depth tells how many ancestors exist, never anything about them.
 * @NSTREE_A_INFO_PIDNS_INUM: u32, inode number of the reported PID
 *	namespace, as readlink /proc/PID/ns/pid shows it
 * @NSTREE_A_INFO_PIDNS_ID: u64, its nstree ID (see %NSTREE_A_NS_ID)
 * @NSTREE_A_INFO_PAD: padding of the u64 attributes, ignore it
 */
enum nstree_a_info {
	NSTREE_A_INFO_UNSPEC,
	NSTREE_A_INFO_MODULE_VERSION,
	NSTREE_A_INFO_FAMILY_VERSION,
	NSTREE_A_INFO_RELEASE,
	NSTREE_A_INFO_PID,
	NSTREE_A_INFO_PIDNS_LEVEL,
	NSTREE_A_INFO_PIDNS_INUM,
	NSTREE_A_INFO_PIDNS_ID,
	NSTREE_A_INFO_PAD,

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
 *	the caller sees it. Absent while the namespace has no live init, or
 *	when the caller may not ptrace-read it.
 * @NSTREE_A_NS_INIT_COMM: string, the init's comm
 * @NSTREE_A_NS_NR_PROCS: u32, processes (thread groups) whose own PID
 *	namespace is this one; members of descendant namespaces not counted,
 *	as lsns counts them
 * @NSTREE_A_NS_NR_THREADS: u32, threads of those processes
 * @NSTREE_A_NS_NR_ZOMBIES: u32, those processes whose leader is a zombie
 *	(state Z in /proc/PID/status), the other threads of which may still
 *	run
 * @NSTREE_A_NS_USERNS_INUM: u32, inode of the user namespace that owns
 *	this PID namespace; present only when that user namespace is the
 *	caller's own or a descendant of it
 * @NSTREE_A_NS_ID: u64, the namespace's nstree ID: from 1, given by the
 *	module the first time it meets the namespace and never given to
 *	another namespace while the module stays loaded (an inode number is
 *	given again as soon as its namespace is freed). Not the kernel's
 *	NS_GET_ID of Linux 6.18. Absent if the module could not give one
 *	(its table of nsid_max live namespaces is full). In a do
 *	request: the namespace to describe, instead of %NSTREE_A_NS_INUM.
 * @NSTREE_A_NS_PARENT_ID: u64, the parent's ID; present when
 *	%NSTREE_A_NS_PARENT_INUM is
 * @NSTREE_A_NS_PAD: padding of the u64 attributes, ignore it
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
	NSTREE_A_NS_ID,
	NSTREE_A_NS_PARENT_ID,
	NSTREE_A_NS_PAD,

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
 *	(CLOCK_BOOTTIME as the caller's time namespace reads it, as in
 *	/proc/PID/stat), of the process's leader. With %NSTREE_A_PROC_PID,
 *	the process's identity, which a reused PID does not share.
 * @NSTREE_A_PROC_PIDNS_INUM: u32, inode of the process's own PID namespace.
 *	This and every other *NS_INUM only for a process the caller may
 *	ptrace-read, as for /proc/PID/ns/.
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
 *	credentials, so a zombie still has it); absent when it is an ancestor
 *	of the caller's user namespace
 * @NSTREE_A_PROC_SEL_NS_INUM: u32, dump request only: only processes with
 *	a PID in this namespace (its members and its descendants' members)
 * @NSTREE_A_PROC_SEL_NS_PID: u32, dump request only: the same, for the
 *	namespace of this process; excludes %NSTREE_A_PROC_SEL_NS_INUM
 * @NSTREE_A_PROC_SEL_SUBTREE: u32, dump request only: only this process
 *	and its descendants (a thread's ID names its process)
 * @NSTREE_A_PROC_SEL_THREADS: u8, dump request only: 1 for one entry per
 *	thread instead of one per process, 0 (the default) for processes;
 *	above 1 is -ERANGE
 * @NSTREE_A_PROC_ARGS: binary, with %NSTREE_A_PROC_WITH_ARGS only: the
 *	process's arguments exactly as /proc/PID/cmdline gives them
 *	(NUL-separated), cut at 4096 bytes; absent for kernel threads and
 *	zombies
 * @NSTREE_A_PROC_WITH_ARGS: u8, request (do or dump): 1 to have
 *	%NSTREE_A_PROC_ARGS in every entry, 0 (the default) not to; above 1
 *	is -ERANGE
 * @NSTREE_A_PROC_PAD: padding before a u64 where the architecture needs
 *	it aligned; ignore it
 * @NSTREE_A_PROC_PIDNS_ID: u64, the ID (%NSTREE_A_NS_ID) of the process's
 *	own PID namespace; given with %NSTREE_A_PROC_PIDNS_INUM
 * @NSTREE_A_PROC_SEL_NS_ID: u64, dump request only: as
 *	%NSTREE_A_PROC_SEL_NS_INUM, the namespace named by its ID; excludes
 *	the other two namespace selectors
 * @NSTREE_A_PROC_REAPER: u32, the process that would adopt this one if
 *	its parent thread exited now, as the kernel's find_new_reaper()
 *	(kernel/exit.c) would choose it: another live thread of the parent,
 *	else the nearest child subreaper above the parent in the parent's
 *	PID namespace, else that namespace's init. Its PID in the caller's
 *	namespace; absent when the caller cannot see it (outside the
 *	caller's namespace, or hidden by hidepid=), and with
 *	%NSTREE_REPARENT_KILLED
 * @NSTREE_A_PROC_REAPER_REASON: u8, why (&enum nstree_reparent_reason:
 *	%NSTREE_REPARENT_THREAD, %NSTREE_REPARENT_SUBREAPER,
 *	%NSTREE_REPARENT_NS_INIT, %NSTREE_REPARENT_KILLED); absent when the
 *	process it is about (the reaper; for KILLED the parent) is one the
 *	caller cannot see, and for a process whose parent is the idle task
 *	(the host's PID 1 and kthreadd)
 * @NSTREE_A_PROC_SIGCHLD: u8, what the process does with SIGCHLD (&enum
 *	nstree_sigchld), as SigIgn and SigCgt of /proc/PID/status show it;
 *	absent once it has no signal handlers (released)
 * @NSTREE_A_PROC_IN_WAIT: u8, 1 when a thread of the process is blocked in
 *	wait4() or waitid() now (do_wait() in kernel/exit.c, asleep on the
 *	process's signal->wait_chldexit), else 0; only to a caller that may
 *	ptrace-read the process, as /proc/PID/wchan
 * @NSTREE_A_PROC_ZOMBIE_NS: u64, zombies only: nanoseconds since the
 *	zombie last ran, the run in which it exited (sched_info.last_arrival):
 *	how long it has been a zombie, give or take that last run. The
 *	kernel keeps no exit time; absent on a kernel without
 *	CONFIG_SCHED_INFO
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
	NSTREE_A_PROC_PAD,
	NSTREE_A_PROC_PIDNS_ID,
	NSTREE_A_PROC_SEL_NS_ID,
	NSTREE_A_PROC_REAPER,
	NSTREE_A_PROC_REAPER_REASON,
	NSTREE_A_PROC_SIGCHLD,
	NSTREE_A_PROC_IN_WAIT,
	NSTREE_A_PROC_ZOMBIE_NS,

	/* private: */
	__NSTREE_A_PROC_MAX,
	NSTREE_A_PROC_MAX = __NSTREE_A_PROC_MAX - 1
};

/* Subscription (%NSTREE_A_SUB_*) and event (%NSTREE_A_EV_*) attributes. */

/**
 * enum nstree_event_type - the lifecycle events of %NSTREE_CMD_EVENT
 * @NSTREE_EV_UNSPEC: reserved, never sent
 * @NSTREE_EV_FORK: a new process or thread (%NSTREE_A_EV_THREAD), before it
 *	first runs. %NSTREE_A_EV_PROC: the child, %NSTREE_A_EV_PARENT: the
 *	process it belongs to (the parent process, or for a thread its own
 *	process), %NSTREE_A_EV_CLONE_FLAGS, %NSTREE_A_EV_NS_INIT when the child
 *	is the first process (the init) of a new PID namespace
 * @NSTREE_EV_EXEC: a successful execve. %NSTREE_A_EV_PROC (its new comm),
 *	%NSTREE_A_EV_FILENAME
 * @NSTREE_EV_EXIT: a thread exits. %NSTREE_A_EV_PROC (with the thread's
 *	%NSTREE_A_PROC_TID), %NSTREE_A_EV_EXIT_CODE, %NSTREE_A_EV_GROUP_DEAD
 *	when it was the last live thread of its process
 * @NSTREE_EV_ZOMBIE: a dead process now waits for its parent
 *	(%NSTREE_A_EV_PARENT) to reap it
 * @NSTREE_EV_AUTOREAP: a dead process will be released without a wait: its
 *	parent ignores SIGCHLD (or set SA_NOCLDWAIT). ZOMBIE or AUTOREAP
 *	comes with a parent out of view too: it is the process's own state,
 *	a zombie or not in /proc
 * @NSTREE_EV_REAP: a process is released: %NSTREE_A_EV_PROC, the releasing
 *	task %NSTREE_A_EV_REAPER and %NSTREE_A_EV_REASON (&enum
 *	nstree_reap_reason; none when the reaper is out of view or the
 *	module cannot know)
 * @NSTREE_EV_REPARENT: an orphan gets a new parent: %NSTREE_A_EV_PROC,
 *	%NSTREE_A_EV_OLD_PARENT, %NSTREE_A_EV_PARENT (the new one) and
 *	%NSTREE_A_EV_REASON (&enum nstree_reparent_reason; none when the new
 *	parent is out of view)
 * @NSTREE_EV_NS_INIT_EXIT: a PID namespace's init is gone and the kernel
 *	kills the namespace: %NSTREE_A_EV_PROC (the init),
 *	%NSTREE_A_EV_NS_INUM, %NSTREE_A_EV_COUNT (processes it kills)
 * @NSTREE_EV_NS_CREATED: a PID namespace was created: %NSTREE_A_EV_NS_INUM,
 *	%NSTREE_A_EV_NS_LEVEL, %NSTREE_A_EV_NS_PARENT_INUM, and the creating
 *	process %NSTREE_A_EV_PROC
 * @NSTREE_EV_NS_DESTROYED: a PID namespace was freed: %NSTREE_A_EV_NS_INUM,
 *	%NSTREE_A_EV_NS_LEVEL
 * @NSTREE_EV_LOST: not an event: %NSTREE_A_EV_LOST events meant for this
 *	subscriber were dropped just before the next one. Its %NSTREE_A_EV_SEQ
 *	is that of the last lost event, so the gap it closes is exactly
 *	%NSTREE_A_EV_LOST wide.
 */
enum nstree_event_type {
	NSTREE_EV_UNSPEC,
	NSTREE_EV_FORK,
	NSTREE_EV_EXEC,
	NSTREE_EV_EXIT,
	NSTREE_EV_ZOMBIE,
	NSTREE_EV_AUTOREAP,
	NSTREE_EV_REAP,
	NSTREE_EV_REPARENT,
	NSTREE_EV_NS_INIT_EXIT,
	NSTREE_EV_NS_CREATED,
	NSTREE_EV_NS_DESTROYED,
	NSTREE_EV_LOST,

	/* private: */
	__NSTREE_EV_MAX,
	NSTREE_EV_MAX = __NSTREE_EV_MAX - 1
};

/**
 * enum nstree_reap_reason - who released a process (%NSTREE_EV_REAP)
 * @NSTREE_REAP_UNSPEC: reserved
 * @NSTREE_REAP_PARENT: its parent, in wait(), the one it was forked by
 *	(be it a namespace's init or not). For a process there before the
 *	first subscriber, whose fork the module did not see: a reaper that
 *	is neither an init nor a subreaper (only those adopt); for those
 *	two, which may have forked it or adopted it, no reason is sent
 * @NSTREE_REAP_NS_INIT: the init of its PID namespace, which adopted it as
 *	an orphan
 * @NSTREE_REAP_SELF: the process itself, without a wait (autoreap)
 * @NSTREE_REAP_OTHER: another task: a ptracer, or an exiting parent whose
 *	zombie child was adopted by a reaper that ignores SIGCHLD
 * @NSTREE_REAP_SUBREAPER: a child subreaper (PR_SET_CHILD_SUBREAPER), in
 *	wait(), which adopted it as an orphan
 */
enum nstree_reap_reason {
	NSTREE_REAP_UNSPEC,
	NSTREE_REAP_PARENT,
	NSTREE_REAP_NS_INIT,
	NSTREE_REAP_SELF,
	NSTREE_REAP_OTHER,
	NSTREE_REAP_SUBREAPER,
};

/**
 * enum nstree_reparent_reason - why an orphan got its new parent
 * @NSTREE_REPARENT_UNSPEC: reserved
 * @NSTREE_REPARENT_NS_INIT: the init of the namespace adopted it
 * @NSTREE_REPARENT_SUBREAPER: the nearest child subreaper
 *	(PR_SET_CHILD_SUBREAPER) adopted it
 * @NSTREE_REPARENT_THREAD: its parent thread exited; another thread of the
 *	same process is its parent now
 * @NSTREE_REPARENT_OTHER: none of those
 * @NSTREE_REPARENT_KILLED: %NSTREE_A_PROC_REAPER_REASON only, never in an
 *	event: nobody would adopt the process, because its parent is the
 *	init of its PID namespace and that init's last live thread: its exit
 *	kills every process of the namespace (on the host, the kernel
 *	panics)
 */
enum nstree_reparent_reason {
	NSTREE_REPARENT_UNSPEC,
	NSTREE_REPARENT_NS_INIT,
	NSTREE_REPARENT_SUBREAPER,
	NSTREE_REPARENT_THREAD,
	NSTREE_REPARENT_OTHER,
	NSTREE_REPARENT_KILLED,
};

/**
 * enum nstree_sigchld - a process's disposition of SIGCHLD
 * @NSTREE_SIGCHLD_UNSPEC: reserved
 * @NSTREE_SIGCHLD_DEFAULT: SIG_DFL: a child's exit leaves a zombie until
 *	wait() reaps it
 * @NSTREE_SIGCHLD_IGNORE: SIG_IGN: children that exit from now on are
 *	released at once (do_notify_parent()); zombies made before stay
 * @NSTREE_SIGCHLD_HANDLER: a handler is installed; children still wait
 *	for wait() (unless SA_NOCLDWAIT, which nstree does not report: /proc
 *	does not show it)
 */
enum nstree_sigchld {
	NSTREE_SIGCHLD_UNSPEC,
	NSTREE_SIGCHLD_DEFAULT,
	NSTREE_SIGCHLD_IGNORE,
	NSTREE_SIGCHLD_HANDLER,
};

/**
 * enum nstree_a_sub - attributes of %NSTREE_CMD_SUBSCRIBE
 * @NSTREE_A_SUB_UNSPEC: reserved
 * @NSTREE_A_SUB_EVENTS: u32, bit (1 << type) for each &enum
 *	nstree_event_type wanted; absent or 0: all. %NSTREE_EV_LOST is always
 *	sent; any other bit is -EINVAL. In the reply: the mask in effect.
 * @NSTREE_A_SUB_NS_INUM: u32, only events about processes with a PID in
 *	this namespace (members of it and of its descendants), and about it
 *	and its descendant namespaces
 * @NSTREE_A_SUB_NS_PID: u32, the same for the namespace of this process
 *	(a PID in the subscriber's namespace; a thread's ID names its
 *	process); excludes %NSTREE_A_SUB_NS_INUM
 * @NSTREE_A_SUB_SUBTREE: u32, only events about this process (a PID in the
 *	subscriber's namespace; a thread's ID names its process) and its
 *	descendants at the time of the event, and about namespaces they
 *	create
 * @NSTREE_A_SUB_QUEUE_LEN: u32, events the module keeps for this
 *	subscriber while it does not read, 16 to 65536 (default 4096), else
 *	-ERANGE
 * @NSTREE_A_SUB_PIDNS_INUM: u32, reply only: the subscriber's PID
 *	namespace, which every PID of every event is translated into
 * @NSTREE_A_SUB_NS_ID: u64, as %NSTREE_A_SUB_NS_INUM, the namespace named
 *	by its ID (%NSTREE_A_NS_ID); excludes the other two. In the reply:
 *	the ID of the filter's namespace.
 * @NSTREE_A_SUB_PIDNS_ID: u64, reply only: the ID of the subscriber's PID
 *	namespace
 * @NSTREE_A_SUB_PAD: padding of the u64 attributes, ignore it
 */
enum nstree_a_sub {
	NSTREE_A_SUB_UNSPEC,
	NSTREE_A_SUB_EVENTS,
	NSTREE_A_SUB_NS_INUM,
	NSTREE_A_SUB_NS_PID,
	NSTREE_A_SUB_SUBTREE,
	NSTREE_A_SUB_QUEUE_LEN,
	NSTREE_A_SUB_PIDNS_INUM,
	NSTREE_A_SUB_NS_ID,
	NSTREE_A_SUB_PIDNS_ID,
	NSTREE_A_SUB_PAD,

	/* private: */
	__NSTREE_A_SUB_MAX,
	NSTREE_A_SUB_MAX = __NSTREE_A_SUB_MAX - 1
};

/**
 * enum nstree_a_ev - attributes of %NSTREE_CMD_EVENT
 * @NSTREE_A_EV_UNSPEC: reserved
 * @NSTREE_A_EV_PAD: padding of the u64 attributes, ignore it
 * @NSTREE_A_EV_TYPE: u32, &enum nstree_event_type
 * @NSTREE_A_EV_SEQ: u64, this subscriber's sequence number, from 1: it
 *	grows by exactly one per event meant for the subscriber, delivered or
 *	lost
 * @NSTREE_A_EV_TIME: u64, when it happened, in nanoseconds since boot
 *	(CLOCK_BOOTTIME as the subscriber's time namespace reads it)
 * @NSTREE_A_EV_PROC: nest of &enum nstree_a_proc: the process the event is
 *	about (%NSTREE_A_PROC_PID, %NSTREE_A_PROC_NSPID,
 *	%NSTREE_A_PROC_PIDNS_INUM, %NSTREE_A_PROC_PIDNS_ID (with
 *	%NSTREE_A_PROC_PAD), %NSTREE_A_PROC_COMM, %NSTREE_A_PROC_START_TIME;
 *	for a thread also %NSTREE_A_PROC_TID and %NSTREE_A_PROC_NSTID).
 *	%NSTREE_A_PROC_PID and %NSTREE_A_PROC_START_TIME together name the
 *	process for good: a later process with the same PID started later.
 * @NSTREE_A_EV_PARENT: nest, likewise: the parent (FORK, ZOMBIE, AUTOREAP)
 *	or the new parent (REPARENT, with the adopting thread's TID). Absent
 *	when the subscriber cannot see it.
 * @NSTREE_A_EV_OLD_PARENT: nest, REPARENT: the parent thread that exited
 * @NSTREE_A_EV_REAPER: nest, REAP: the task that released the process
 * @NSTREE_A_EV_CLONE_FLAGS: u64, FORK: the clone flags (without the exit
 *	signal); absent, as the parent, when the subscriber cannot see the
 *	parent (a process that setns() into the subscriber's namespace)
 * @NSTREE_A_EV_THREAD: flag, FORK: the child is a thread (CLONE_THREAD),
 *	not a process; EXIT: the exiting task is not its process's leader
 * @NSTREE_A_EV_NS_INIT: flag, FORK: the child is a new namespace's init
 * @NSTREE_A_EV_FILENAME: string, EXEC: the file executed, as passed, or
 *	"/dev/fd/N/NAME" for execveat() with a directory, whole (up to
 *	PATH_MAX + 19 bytes with its NUL)
 * @NSTREE_A_EV_EXIT_CODE: u32, EXIT: the wait status (exit code << 8, or
 *	the terminating signal)
 * @NSTREE_A_EV_GROUP_DEAD: flag, EXIT: no thread of the process is alive
 * @NSTREE_A_EV_REASON: u32, REAP: &enum nstree_reap_reason; REPARENT:
 *	&enum nstree_reparent_reason. Absent when the process it describes
 *	(the reaper, the new parent) is not in the subscriber's view, and
 *	for a REAP the module cannot know the reason of
 * @NSTREE_A_EV_COUNT: u32, NS_INIT_EXIT: processes left in the namespace,
 *	which the kernel kills
 * @NSTREE_A_EV_LOST: u64, LOST: events dropped
 * @NSTREE_A_EV_NS_INUM: u32, the namespace of NS_INIT_EXIT, NS_CREATED,
 *	NS_DESTROYED
 * @NSTREE_A_EV_NS_LEVEL: u32, its depth below the subscriber's namespace
 * @NSTREE_A_EV_NS_PARENT_INUM: u32, NS_CREATED: its parent namespace,
 *	absent when that is above the subscriber's
 * @NSTREE_A_EV_NS_ID: u64, the ID (%NSTREE_A_NS_ID) of the namespace of
 *	NS_INIT_EXIT, NS_CREATED, NS_DESTROYED
 * @NSTREE_A_EV_NS_PARENT_ID: u64, NS_CREATED: its parent's ID, given with
 *	%NSTREE_A_EV_NS_PARENT_INUM
 */
enum nstree_a_ev {
	NSTREE_A_EV_UNSPEC,
	NSTREE_A_EV_PAD,
	NSTREE_A_EV_TYPE,
	NSTREE_A_EV_SEQ,
	NSTREE_A_EV_TIME,
	NSTREE_A_EV_PROC,
	NSTREE_A_EV_PARENT,
	NSTREE_A_EV_OLD_PARENT,
	NSTREE_A_EV_REAPER,
	NSTREE_A_EV_CLONE_FLAGS,
	NSTREE_A_EV_THREAD,
	NSTREE_A_EV_NS_INIT,
	NSTREE_A_EV_FILENAME,
	NSTREE_A_EV_EXIT_CODE,
	NSTREE_A_EV_GROUP_DEAD,
	NSTREE_A_EV_REASON,
	NSTREE_A_EV_COUNT,
	NSTREE_A_EV_LOST,
	NSTREE_A_EV_NS_INUM,
	NSTREE_A_EV_NS_LEVEL,
	NSTREE_A_EV_NS_PARENT_INUM,
	NSTREE_A_EV_NS_ID,
	NSTREE_A_EV_NS_PARENT_ID,

	/* private: */
	__NSTREE_A_EV_MAX,
	NSTREE_A_EV_MAX = __NSTREE_A_EV_MAX - 1
};

#endif /* _UAPI_LINUX_NSTREE_H */
