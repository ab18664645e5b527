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
	uint32_t level;
	int ns_init;
	int subreaper;
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
/* Processes (or threads) in PID order of the caller's namespace. */
int nst_dump_procs(struct nst_conn *c, const struct nst_proc_sel *sel,
		   nst_proc_fn fn, void *arg);
/* The process a PID belongs to. */
int nst_get_proc(struct nst_conn *c, uint32_t pid, struct nst_proc *p);

/* Decoders, exposed for callers that receive these attributes elsewhere. */
int nst_decode_ns(struct nlattr **a, struct nst_ns *ns);
int nst_decode_proc(struct nlattr **a, struct nst_proc *p);

#endif /* NSTREE_NL_H */
