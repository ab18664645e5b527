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
#include <netlink/attr.h>
#include <netlink/msg.h>

struct nl_sock;

struct nst_conn {
	struct nl_sock *sk;
	int family;			/* resolved family id */
	char extack[256];		/* the kernel's message for the last error */
};

/*
 * What libnl checks of each attribute set before it is read
 * (user/nl_policy.c): a reply or event with a short u32, u64 or u8, or a
 * string without its NUL, is -EBADMSG.
 */
extern const struct nla_policy nst_info_policy[NSTREE_A_INFO_MAX + 1];
extern const struct nla_policy nst_ns_policy[NSTREE_A_NS_MAX + 1];
extern const struct nla_policy nst_proc_policy[NSTREE_A_PROC_MAX + 1];
extern const struct nla_policy nst_sub_policy[NSTREE_A_SUB_MAX + 1];
extern const struct nla_policy nst_ev_policy[NSTREE_A_EV_MAX + 1];

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
 * dump, calling @fn for each with attributes parsed up to @maxattr and
 * checked against @policy. Returns 0, the kernel's -errno (its extack
 * message in c->extack), -EBADMSG for a reply that fails @policy, or the
 * first negative value @fn returned.
 */
int nst_request(struct nst_conn *c, struct nl_msg *msg, int maxattr,
		const struct nla_policy *policy, nst_reply_fn fn, void *arg);

/*
 * Copy the extack message (NLMSGERR_ATTR_MSG) of the error message @nlh,
 * @len bytes long, into @buf. Returns 1 if there was one, 0 if not.
 */
int nst_extack_msg(const struct nlmsghdr *nlh, size_t len, char *buf,
		   size_t size);

/*
 * The status of the NLMSG_DONE message @nlh that ends a dump: 0, or the
 * error that ended it, its extack message (if any) copied into @buf.
 */
int nst_done_status(const struct nlmsghdr *nlh, size_t len, char *buf,
		    size_t size);

struct nst_info {
	char module_version[32];
	uint32_t family_version;
	char release[65];
	uint32_t level;
	uint32_t inum;
	uint64_t id;		/* its nstree ID; 0 when absent */
};

/* GET_INFO about the caller's PID namespace, or PID @pid's when not 0. */
int nst_get_info(struct nst_conn *c, uint32_t pid, struct nst_info *info);


/* ---- PID namespaces and processes (GET_NS, GET_PROC) ---- */

/* The kernel allows 32 nested PID namespaces below the initial one. */
#define NST_MAX_LEVELS 33

struct nst_ns {
	uint32_t inum;
	uint32_t level;		/* below the caller's namespace */
	uint32_t parent;	/* parent's inode; 0 for the caller's own */
	uint32_t init_pid;	/* 0 when the namespace has no live init */
	char init_comm[17];
	uint32_t nr_procs;
	uint32_t nr_threads;
	uint32_t nr_zombies;
	uint32_t userns;	/* 0 when not visible to the caller */
	uint64_t id;		/* nstree ID (NSTREE_A_NS_ID); 0 when absent */
	uint64_t parent_id;	/* the parent's; 0 when absent */
};

struct nst_proc {
	uint32_t pid;
	uint32_t nspid[NST_MAX_LEVELS];
	unsigned int nspid_len;
	uint32_t tid;		/* thread entries only, else 0 */
	uint32_t nstid[NST_MAX_LEVELS];
	unsigned int nstid_len;
	uint32_t ppid;
	uint32_t ppid_ns;
	char comm[17];
	char state;
	uint32_t threads;
	uint32_t uid;
	uint32_t euid;
	uint64_t start_time;	/* ns since boot */
	uint32_t pidns;
	uint64_t pidns_id;	/* the nstree ID of pidns; 0 when absent */
	uint32_t level;
	int ns_init;
	int subreaper;
	/*
	 * Who would adopt it if its parent exited now: its PID (0 when not
	 * given) and the reason (&enum nstree_reparent_reason, 0 when not
	 * given).
	 */
	uint32_t reaper;
	uint8_t reaper_reason;
	/* Its SIGCHLD disposition (&enum nstree_sigchld), 0 when not given. */
	uint8_t sigchld;
	/* A thread of it sleeps in wait() now: 1 or 0, -1 when not given. */
	int in_wait;
	/* Zombies: ns since it last ran (zombie_known), else 0. */
	uint64_t zombie_ns;
	int zombie_known;
	/* Namespace inodes; 0 when absent (a zombie has left them). */
	uint32_t mntns, netns, utsns, ipcns, cgroupns, timens, userns;
	/*
	 * With nst_proc_sel.args: the NUL-separated arguments, pointing into
	 * the reply, so valid only during the callback. NULL when absent.
	 */
	const char *args;
	size_t args_len;
};

/* What a process dump lists; zero for everything. */
struct nst_proc_sel {
	uint32_t ns_inum;	/* processes with a PID in this namespace */
	uint32_t ns_pid;	/* ... or in the namespace of this process */
	uint64_t ns_id;		/* ... or in the namespace of this ID */
	uint32_t subtree;	/* this process and its descendants */
	int threads;		/* one entry per thread */
	int args;		/* with each process's arguments */
};

typedef int (*nst_ns_fn)(const struct nst_ns *ns, void *arg);
typedef int (*nst_proc_fn)(const struct nst_proc *p, void *arg);

/* Every PID namespace the caller can see, in no particular order. */
int nst_dump_ns(struct nst_conn *c, nst_ns_fn fn, void *arg);
/* One namespace, by inode or (when @inum is 0) by a process's PID. */
int nst_get_ns(struct nst_conn *c, uint32_t inum, uint32_t pid,
	       struct nst_ns *ns);
/* One namespace, by its nstree ID. */
int nst_get_ns_by_id(struct nst_conn *c, uint64_t id, struct nst_ns *ns);
/* Processes (or threads) in PID order of the caller's namespace. */
int nst_dump_procs(struct nst_conn *c, const struct nst_proc_sel *sel,
		   nst_proc_fn fn, void *arg);
/* The process a PID belongs to. */
int nst_get_proc(struct nst_conn *c, uint32_t pid, struct nst_proc *p);
/*
 * The same, passed to @fn as a dump passes each entry, with its arguments
 * when @args: one process for the price of one, where a dump of its
 * subtree looks at every PID.
 */
int nst_get_proc_fn(struct nst_conn *c, uint32_t pid, int args,
		    nst_proc_fn fn, void *arg);

/* Decoders, exposed for callers that receive these attributes elsewhere. */
int nst_decode_ns(struct nlattr **a, struct nst_ns *ns);
int nst_decode_proc(struct nlattr **a, struct nst_proc *p);

/*
 * ---- Lifecycle events (user/nl_event.c) ----
 *
 * Subscribe on a connection of its own, then read NSTREE_CMD_EVENT
 * messages from it: each is decoded into a struct nst_event and handed to
 * a callback. Every PID is as the subscriber's PID namespace sees it.
 */

struct nst_ev_proc {
	int present;			/* the event names this process */
	uint32_t pid;			/* thread group ID, in our view */
	uint32_t tid;			/* thread ID, 0 when not about a thread */
	uint32_t nspid[NST_MAX_LEVELS];	/* PID from our level down to its own */
	int nspid_len;
	uint32_t nstid[NST_MAX_LEVELS];
	int nstid_len;
	uint32_t pidns_inum;		/* its own PID namespace */
	uint64_t pidns_id;		/* its nstree ID, 0: absent */
	uint64_t start_time;		/* ns since boot, 0: absent */
	char comm[16];
};

struct nst_event {
	uint32_t type;			/* enum nstree_event_type */
	uint64_t seq;
	uint64_t time;			/* ns, CLOCK_BOOTTIME */
	struct nst_ev_proc proc;	/* the subject */
	struct nst_ev_proc parent;	/* parent, or new parent */
	struct nst_ev_proc old_parent;	/* REPARENT */
	struct nst_ev_proc reaper;	/* REAP */
	uint64_t clone_flags;
	int has_clone_flags;		/* FORK, where the parent is visible */
	int thread, ns_init, group_dead;
	int has_exit_code;
	uint32_t exit_code;		/* wait status */
	uint32_t reason;		/* enum nstree_reap/reparent_reason */
	uint32_t count;			/* NS_INIT_EXIT */
	uint64_t lost;			/* LOST */
	uint32_t ns_inum, ns_level, ns_parent_inum;
	uint64_t ns_id, ns_parent_id;	/* nstree IDs, 0: absent */
	/* EXEC: up to "/dev/fd/N/" and PATH_MAX - 1 bytes (execveat) */
	char filename[4096 + 32];
};

struct nst_sub_opts {
	uint32_t events;		/* 1 << type for each wanted; 0: all */
	uint32_t ns_inum;		/* 0: no namespace filter */
	uint32_t ns_pid;		/* 0: none; excludes ns_inum */
	uint64_t ns_id;			/* 0: none; excludes both */
	uint32_t subtree;		/* 0: no subtree filter */
	uint32_t queue_len;		/* 0: the module's default */
};

struct nst_sub_info {
	uint32_t events;		/* the mask in effect */
	uint32_t queue_len;
	uint32_t pidns_inum;		/* our view */
	uint32_t ns_inum;		/* the namespace filter, 0: none */
	uint64_t pidns_id;		/* IDs of those two, 0: absent */
	uint64_t ns_id;
};

/* Called for each event; a negative return stops the reading with it. */
typedef int (*nst_event_fn)(const struct nst_event *ev, void *arg);

/*
 * Subscribe @c (opened with nst_open) with @o (NULL: everything) and
 * make its socket non-blocking. Returns 0 with @info filled (may be NULL),
 * or the kernel's -errno with its message in c->extack.
 */
int nst_subscribe(struct nst_conn *c, const struct nst_sub_opts *o,
		  struct nst_sub_info *info);
int nst_unsubscribe(struct nst_conn *c);

/* Ask for a receive buffer of @bytes (beyond rmem_max when privileged). */
int nst_event_bufsize(struct nst_conn *c, int bytes);

/* The socket, for poll(). */
int nst_event_fd(const struct nst_conn *c);

/*
 * Read every event queued on the socket now, calling @fn for each.
 * Returns the number of events read (0: none waiting), or -errno, or the
 * negative value @fn returned.
 */
int nst_event_read(struct nst_conn *c, nst_event_fn fn, void *arg);

/* Names: "fork", "exec", ..., "lost"; NULL when unknown. */
const char *nst_event_name(uint32_t type);
/* The type named @name, or -1. */
int nst_event_type(const char *name);
/*
 * Reap reasons: "parent", "ns-init", "self", "other", "subreaper";
 * reparent reasons: "ns-init", "subreaper", "thread", "other", and for a
 * process's REAPER also "killed".
 */
const char *nst_reap_reason_name(uint32_t reason);
const char *nst_reparent_reason_name(uint32_t reason);

#endif /* NSTREE_NL_H */
