// SPDX-License-Identifier: GPL-2.0
/*
 * A netlink fuzzer for the nstree generic netlink family.
 *
 * Messages are built from tables that tools/fuzz-gen.py generates at build
 * time from the YNL spec (every command, do and dump, every attribute of
 * every set), then mutated: wrong lengths and types,
 * attributes of other sets, unknown attributes, bad nesting, truncation,
 * odd nlmsg flags, dump and do swapped, unknown commands, control message
 * types, several messages in one datagram, bursts sent before reading,
 * messages near the socket buffer size, sockets reopened with other
 * options. Every message carries NLM_F_ACK and must get an answer matched
 * by its sequence number: an NLMSG_ERROR, or an NLMSG_DONE ending a dump.
 * Event messages (sequence 0) that a successful SUBSCRIBE brings are
 * skipped.
 *
 * One exception, by the netlink core's design: netlink_rcv_skb()
 * (net/netlink/af_netlink.c, 6.12 line 2543) returns without any answer
 * for a message whose nlmsg_len is below the header size or above what is
 * left of the datagram, and never looks at a datagram shorter than a
 * header. The fuzzer predicts those, proves each silent (a probe sent
 * after it is answered while it is not; the kernel handles a socket's
 * requests in sendmsg, in order) and counts them apart. A message the
 * kernel refuses in sendmsg (EMSGSIZE above the send buffer) is answered
 * by that errno, also counted apart.
 *
 * Two tests: one as root, one as uid 65534 that made a user and PID
 * namespace (root there, mapped to 65534 outside) and runs as PID 1 in it.
 * Each prints its seed, count, rate and answers by errno, and fails on any
 * message without an answer.
 *
 *   NSTREE_FUZZ_SEED=N     seed (default 20261130); the user test uses N+1
 *   NSTREE_FUZZ_COUNT=N    messages per test (default 50000: 100,000 a kernel)
 *   NSTREE_FUZZ_TIMEOUT=S  seconds to wait for one answer (default 20)
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nstree.h>

#include "kselftest_harness.h"

enum fz_kind {
	FZ_UNUSED, FZ_PAD, FZ_FLAG, FZ_U8, FZ_U16, FZ_U32, FZ_U64, FZ_STRING,
	FZ_BINARY, FZ_NEST, FZ_ARRAY,
};

struct fz_attr {
	uint16_t type;
	enum fz_kind kind;
	int nest;		/* index in fz_sets of a nest's set, or -1 */
	const char *name;
};

struct fz_set {
	const char *name, *source;
	uint16_t max;
	const struct fz_attr *attrs;
	int n;
};

struct fz_op {
	uint8_t cmd;
	const char *name, *source;
	int set;
	int has_do, has_dump;
	const uint16_t *do_req;
	int n_do;
	const uint16_t *dump_req;
	int n_dump;
};

#include "fuzz_spec.h"

#define N_SETS	(int)(sizeof(fz_sets) / sizeof(fz_sets[0]))
#define N_OPS	(int)(sizeof(fz_ops) / sizeof(fz_ops[0]))
/* Each op, unknown commands, and what the core acks (no NLM_F_REQUEST or a control type). */
#define N_BUCKETS (N_OPS + 2)
#define MAX_ERRNO 160
#define MAX_BATCH 12
#define RX_SIZE (2 << 20)
#define NEST_DEPTH 3

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Statistics of one run, in shared memory when it runs in a child. */
struct fz_stats {
	uint64_t seed;
	uint64_t sent;			/* fuzz messages, probes not counted */
	uint64_t probes;
	uint64_t datagrams;
	uint64_t err[N_BUCKETS][MAX_ERRNO];	/* NLMSG_ERROR, by -error */
	uint64_t done[N_BUCKETS][MAX_ERRNO];	/* NLMSG_DONE, by -error */
	uint64_t send_err[MAX_ERRNO];		/* refused by sendmsg */
	uint64_t silent_core;		/* silent, as netlink_rcv_skb does */
	uint64_t silent_answered;	/* predicted silent, answered */
	uint64_t unanswered;		/* the failures, probes included */
	uint64_t replies;		/* reply and dump messages */
	uint64_t events;		/* NSTREE_CMD_EVENT, seq 0, skipped */
	uint64_t strays;		/* answers to no outstanding message */
	uint64_t overruns;		/* ENOBUFS on recv */
	uint64_t reopens;
	uint64_t children;		/* forked to make events */
	uint64_t subscribed;		/* SUBSCRIBE answered 0 */
	double seconds;
	double baseline;		/* plain GET_INFO round trips a second */
	int family;
	int failed_setup;
	char why[256];
};

struct fz_out {
	uint32_t seq;
	int bucket;
	int dump;
	int silent;		/* predicted silent by the netlink core */
	int probe;
	int answered;
	uint8_t cmd;
	uint16_t type, flags;
	uint32_t len, dgram;
	uint8_t head[48];
};

struct fz {
	struct fz_stats *st;
	uint64_t rng;
	int fd;
	int family;
	int sndbuf, rcvbuf;
	uint32_t seq;
	uint32_t self_pid;
	uint32_t pidns_inum;
	int timeout;
	struct fz_out out[MAX_BATCH + 1];
	int n_out;
	uint8_t *tx, *rx;
};

/* ---- PRNG: splitmix64, deterministic from the seed ---- */

static uint64_t rnd(struct fz *f)
{
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(struct fz *f, uint32_t n)
{
	return n ? rnd(f) % n : 0;
}

/* True with probability @pct percent. */
static int chance(struct fz *f, unsigned int pct)
{
	return below(f, 1000) < pct * 10;
}

/* ---- Values ---- */

static uint32_t val32(struct fz *f)
{
	static const uint32_t fixed[] = {
		0, 1, 2, 3, 15, 16, 17, 255, 256, 4095, 4096, 4097, 65535,
		65536, 65537, 4194303, 4194304, 4194305, 0x7fffffff,
		0x80000000, 0xfffffffe, 0xffffffff, 0xeffffffc, 0xeffffffb,
	};

	switch (below(f, 6)) {
	case 0:
		return f->self_pid;
	case 1:
		return f->pidns_inum;
	case 2:
		return below(f, 300);
	case 3:
		return (uint32_t)rnd(f);
	default:
		return fixed[below(f, sizeof(fixed) / sizeof(fixed[0]))];
	}
}

static uint64_t val64(struct fz *f)
{
	switch (below(f, 4)) {
	case 0:
		return val32(f);
	case 1:
		return (uint64_t)val32(f) << 32 | val32(f);
	case 2:
		return ~0ULL - below(f, 3);
	default:
		return rnd(f);
	}
}

/* ---- Message building ---- */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void put_bytes(struct buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap)
		n = b->cap - b->len;
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void put_random(struct fz *f, struct buf *b, size_t n)
{
	while (n-- && b->len < b->cap)
		b->p[b->len++] = (uint8_t)rnd(f);
}

static void put_pad(struct buf *b)
{
	while (b->len % NLA_ALIGNTO && b->len < b->cap)
		b->p[b->len++] = 0;
}

/* An nlattr header at b->len; its length is patched by attr_end(). */
static size_t attr_begin(struct buf *b, uint16_t type)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN, .nla_type = type };
	size_t at = b->len;

	if (b->cap - b->len < NLA_HDRLEN)
		return (size_t)-1;
	put_bytes(b, &a, sizeof(a));
	return at;
}

static void attr_end(struct buf *b, size_t at, int delta)
{
	struct nlattr *a;
	long len;

	if (at == (size_t)-1)
		return;
	a = (struct nlattr *)(b->p + at);
	len = (long)(b->len - at) + delta;
	if (len < 0)
		len = 0;
	if (len > 0xffff)
		len = 0xffff;
	a->nla_len = (uint16_t)len;
	put_pad(b);
}

static void put_attrs(struct fz *f, struct buf *b, int set, int depth,
		      const uint16_t *req, int n_req);

/* The payload of @a, well formed for its kind. */
static void put_valid(struct fz *f, struct buf *b, const struct fz_attr *a,
		      int depth)
{
	uint32_t v32;
	uint64_t v64;
	uint16_t v16;
	uint8_t v8;
	static const char *const strs[] = {
		"", "a", "nstree", "0123456789abcde", "0123456789abcdef",
	};
	int i, n;

	switch (a->kind) {
	case FZ_UNUSED:
	case FZ_PAD:
		put_random(f, b, below(f, 3) * 4);
		break;
	case FZ_FLAG:
		break;
	case FZ_U8:
		v8 = chance(f, 60) ? below(f, 3) : (uint8_t)val32(f);
		put_bytes(b, &v8, 1);
		break;
	case FZ_U16:
		v16 = (uint16_t)val32(f);
		put_bytes(b, &v16, 2);
		break;
	case FZ_U32:
		v32 = val32(f);
		put_bytes(b, &v32, 4);
		break;
	case FZ_U64:
		v64 = val64(f);
		put_bytes(b, &v64, 8);
		break;
	case FZ_STRING:
		if (chance(f, 70)) {
			const char *s = strs[below(f, 5)];

			put_bytes(b, s, strlen(s) + 1);
		} else {
			n = below(f, 8) ? below(f, 64) : below(f, 5000);
			for (i = 0; i < n && b->len < b->cap; i++)
				b->p[b->len++] = 0x20 + below(f, 95);
			if (chance(f, 50))
				put_bytes(b, "", 1);
		}
		break;
	case FZ_BINARY:
		put_random(f, b, below(f, 8) ? below(f, 32) : below(f, 4200));
		break;
	case FZ_ARRAY:
		n = below(f, 5);
		for (i = 0; i < n; i++) {
			size_t at = attr_begin(b, chance(f, 90) ? (uint32_t)i + 1 : below(f, 40));

			v32 = val32(f);
			put_bytes(b, &v32, chance(f, 90) ? 4 : below(f, 5));
			attr_end(b, at, 0);
		}
		break;
	case FZ_NEST:
		if (depth < NEST_DEPTH)
			put_attrs(f, b, a->nest >= 0 ? a->nest : (int)below(f, N_SETS),
				  depth + 1, NULL, 0);
		break;
	}
}

/* One attribute of set @set, or some other number, valid or not. */
static void put_attr(struct fz *f, struct buf *b, int set, int depth,
		     const uint16_t *req, int n_req)
{
	const struct fz_set *s = &fz_sets[set];
	const struct fz_attr *a = NULL;
	struct fz_attr unknown = { 0, FZ_BINARY, -1, "unknown" };
	uint16_t type;
	int delta = 0, i;
	size_t at;

	switch (below(f, 20)) {
	case 0 ... 11:		/* a request attribute of the op */
		if (n_req) {
			uint16_t t = req[below(f, n_req)];

			for (i = 0; i < s->n; i++)
				if (s->attrs[i].type == t)
					a = &s->attrs[i];
			break;
		}
		/* fall through */
	case 12 ... 14:		/* any attribute of the set */
		a = &s->attrs[below(f, s->n)];
		break;
	case 15 ... 16: {	/* an attribute of another set */
		const struct fz_set *o = &fz_sets[below(f, N_SETS)];

		a = &o->attrs[below(f, o->n)];
		break;
	}
	case 17 ... 18:		/* past the set's max */
		unknown.type = s->max + 1 + below(f, 4);
		a = &unknown;
		break;
	default:		/* anything */
		unknown.type = below(f, 0x4000);
		a = &unknown;
		break;
	}
	if (!a)
		a = &s->attrs[below(f, s->n)];

	type = a->type;
	if (chance(f, 3))
		type |= NLA_F_NESTED;
	if (chance(f, 3))
		type |= NLA_F_NET_BYTEORDER;

	at = attr_begin(b, type);
	if (at == (size_t)-1)
		return;
	switch (below(f, 20)) {
	case 0 ... 12:		/* well formed */
		put_valid(f, b, a, depth);
		break;
	case 13 ... 15:		/* wrong length, random bytes */
		put_random(f, b, below(f, 4) ? below(f, 17) : below(f, 300));
		break;
	case 16:		/* another kind's payload */
		unknown.kind = below(f, FZ_ARRAY + 1);
		unknown.nest = -1;
		put_valid(f, b, &unknown, depth);
		break;
	case 17:		/* nla_len below the header */
		put_valid(f, b, a, depth);
		delta = -(int)(b->len - at) + (int)below(f, NLA_HDRLEN);
		break;
	case 18:		/* nla_len past the payload: bad nesting */
		put_valid(f, b, a, depth);
		delta = 1 + below(f, 64);
		break;
	default:		/* nla_len one short or long */
		put_valid(f, b, a, depth);
		delta = chance(f, 50) ? -1 : 1;
		break;
	}
	attr_end(b, at, delta);
}

static void put_attrs(struct fz *f, struct buf *b, int set, int depth,
		      const uint16_t *req, int n_req)
{
	int n, i;

	switch (below(f, 20)) {
	case 0 ... 3:
		n = 0;
		break;
	case 4 ... 16:
		n = 1 + below(f, 3);
		break;
	case 17 ... 18:
		n = 4 + below(f, 30);
		break;
	default:
		n = 50 + below(f, 400);
		break;
	}
	if (depth)
		n = below(f, 4);
	for (i = 0; i < n && b->cap - b->len >= NLA_HDRLEN; i++)
		put_attr(f, b, set, depth, req, n_req);
}

/*
 * Build one message into @b, its sequence number @seq; fill @o. Returns
 * the length the datagram should have (which may differ from nlmsg_len).
 * @packed: one of several messages in a datagram, whose lengths stay
 * consistent; @alone: no other message in flight, so a huge one may be
 * echoed back whole in its NLMSG_ERROR without overflowing the receive
 * buffer (netlink_attachskb() takes any skb into an empty queue, and
 * drops past sk_rcvbuf: the core's silence, not the module's).
 */
static size_t build(struct fz *f, struct buf *b, uint32_t seq, struct fz_out *o,
		    int packed, int alone)
{
	const struct fz_op *op = &fz_ops[below(f, N_OPS)];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	size_t start = b->len, dgram, target = 0;
	int set = op->set >= 0 ? op->set : (int)below(f, N_SETS);
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	uint8_t cmd = op->cmd;
	int dump, bucket = op - fz_ops, i;

	memset(o, 0, sizeof(*o));
	if (b->cap - b->len < NLMSG_HDRLEN + GENL_HDRLEN)
		return 0;

	/* Do or dump: as the op allows, and the other one at times. */
	dump = op->has_dump && (!op->has_do || chance(f, 50));
	if (chance(f, 12))
		dump = !dump;
	if (chance(f, 10)) {	/* a command the family does not have */
		static const uint8_t odd[] = { 0, FZ_CMD_MAX + 1, 0x7f, 0x80, 0xff };

		cmd = chance(f, 50) ? odd[below(f, 5)] : FZ_CMD_MAX + 1 + below(f, 250 - FZ_CMD_MAX);
		for (i = 0; i < N_OPS; i++)
			if (fz_ops[i].cmd == cmd)
				break;
		bucket = i;	/* N_OPS when unknown */
	}
	if (dump)
		flags |= NLM_F_DUMP;
	if (chance(f, 8)) {	/* odd flags; NLM_F_ACK stays */
		static const uint16_t odd[] = {
			NLM_F_ECHO, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED,
			NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_REPLACE,
			NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND, NLM_F_NONREC,
			NLM_F_BULK, NLM_F_CAPPED, NLM_F_ACK_TLVS, 0x1000, 0x2000,
			0x4000, 0x8000,
		};

		flags ^= odd[below(f, sizeof(odd) / sizeof(odd[0]))];
		if (chance(f, 30))
			flags |= (uint16_t)rnd(f);
		flags |= NLM_F_ACK;
	}
	if (chance(f, 2))
		flags &= ~NLM_F_REQUEST;

	nlh = (struct nlmsghdr *)(b->p + b->len);
	nlh->nlmsg_type = f->family;
	if (chance(f, 2))	/* a control message type */
		nlh->nlmsg_type = below(f, NLMSG_MIN_TYPE);
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = chance(f, 3) ? (uint32_t)rnd(f) : 0;
	b->len += NLMSG_HDRLEN;
	g = (struct genlmsghdr *)(b->p + b->len);
	g->cmd = cmd;
	g->version = chance(f, 90) ? FZ_FAMILY_VERSION : (uint8_t)rnd(f);
	g->reserved = chance(f, 95) ? 0 : (uint16_t)rnd(f);
	b->len += GENL_HDRLEN;

	/* Huge: fill to near the send buffer, or past it. */
	if (alone && chance(f, 1)) {
		target = f->sndbuf - 32 - below(f, 64);
		if (chance(f, 30))
			target = f->sndbuf - 32 + 1 + below(f, 256);
		if (target > b->cap)
			target = b->cap;
	}
	if (target) {
		uint32_t v = 1;

		while (b->len + 8 <= target) {
			size_t at = attr_begin(b, chance(f, 99) ?
					       (dump ? op->dump_req[0] : op->do_req[0]) :
					       below(f, 0x4000));

			if (chance(f, 50) && b->len + 4 <= target) {
				put_bytes(b, &v, 4);
			} else {
				size_t n = target - b->len;

				put_random(f, b, n < 600 ? n : below(f, 600));
			}
			attr_end(b, at, 0);
		}
		put_random(f, b, target > b->len ? target - b->len : 0);
	} else {
		put_attrs(f, b, set, 0, dump ? op->dump_req : op->do_req,
			  dump ? op->n_dump : op->n_do);
	}
	nlh->nlmsg_len = b->len - start;

	/* Mutations of the envelope. */
	dgram = b->len - start;
	if (!packed) {
		switch (below(f, 100)) {
		case 0 ... 4:	/* truncated, nlmsg_len consistent */
			dgram -= below(f, dgram - NLMSG_HDRLEN + 1);
			nlh->nlmsg_len = dgram;
			break;
		case 5 ... 6:	/* nlmsg_len below the header: core drops */
			nlh->nlmsg_len = below(f, NLMSG_HDRLEN);
			break;
		case 7 ... 8:	/* nlmsg_len past the datagram: core drops */
			nlh->nlmsg_len = dgram + 1 + below(f, 4096);
			break;
		case 9 ... 10:	/* a few bytes of garbage past nlmsg_len */
			nlh->nlmsg_len = dgram;
			i = NLMSG_ALIGN(dgram) - dgram + 1 + below(f, NLMSG_HDRLEN - 1);
			put_random(f, b, i);
			dgram = b->len - start;
			break;
		case 11 ... 14:	/* bit flips past the netlink header */
			for (i = 1 + below(f, 8); i > 0; i--) {
				size_t at = NLMSG_HDRLEN + below(f, dgram - NLMSG_HDRLEN);

				b->p[start + at] ^= 1 << below(f, 8);
			}
			break;
		case 15:	/* a datagram shorter than a header */
			dgram = below(f, NLMSG_HDRLEN);
			break;
		default:
			break;
		}
	}

	/* What netlink_rcv_skb() acks itself, without asking genetlink. */
	if (!(nlh->nlmsg_flags & NLM_F_REQUEST) || nlh->nlmsg_type < NLMSG_MIN_TYPE)
		bucket = N_OPS + 1;
	o->seq = seq;
	o->bucket = bucket;
	o->dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	o->cmd = cmd;
	o->type = nlh->nlmsg_type;
	o->flags = nlh->nlmsg_flags;
	o->len = nlh->nlmsg_len;
	o->dgram = dgram;
	memcpy(o->head, b->p + start, dgram < sizeof(o->head) ? dgram : sizeof(o->head));
	/* What netlink_rcv_skb() drops without a word. */
	o->silent = dgram < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
		    nlh->nlmsg_len > dgram;
	b->len = start + dgram;
	return dgram;
}

/* ---- Socket ---- */

static int fz_resolve(struct fz *f)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attr[NLA_HDRLEN + 16];
	} req = {
		.n = { .nlmsg_type = GENL_ID_CTRL,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = ++f->seq },
		.g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 },
	};
	struct nlattr *a = (struct nlattr *)req.attr;
	struct nlmsghdr *nlh;
	int n, family = -ENOENT;

	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(FZ_FAMILY_NAME);
	memcpy(req.attr + NLA_HDRLEN, FZ_FAMILY_NAME, sizeof(FZ_FAMILY_NAME));
	req.n.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	if (send(f->fd, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		n = recv(f->fd, f->rx, RX_SIZE, 0);
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)f->rx; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != f->seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				int err = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;

				return err ? err : family;
			}
			if (nlh->nlmsg_type == GENL_ID_CTRL) {
				int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

				a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
				for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
				       a->nla_len <= len;
				     len -= NLA_ALIGN(a->nla_len),
				     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
					if (a->nla_type == CTRL_ATTR_FAMILY_ID)
						family = *(uint16_t *)((char *)a + NLA_HDRLEN);
			}
		}
	}
}

/* A fresh socket, its options drawn from the PRNG. */
static int fz_open(struct fz *f)
{
	struct timeval tv = { .tv_sec = f->timeout };
	int big = 8 << 20, on, fam;
	socklen_t sl = sizeof(f->sndbuf);

	if (f->fd >= 0)
		close(f->fd);
	f->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (f->fd < 0)
		return -errno;
	/* Room for an echoed huge request; root may go past rmem_max. */
	if (setsockopt(f->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(f->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(f->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	on = chance(f, 70);
	setsockopt(f->fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(on));
	on = chance(f, 50);
	setsockopt(f->fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof(on));
	if (getsockopt(f->fd, SOL_SOCKET, SO_SNDBUF, &f->sndbuf, &sl) ||
	    getsockopt(f->fd, SOL_SOCKET, SO_RCVBUF, &f->rcvbuf, &sl))
		return -errno;
	fam = fz_resolve(f);
	if (fam < 0)
		return fam;
	f->family = fam;
	f->st->family = fam;
	return 0;
}

/* ---- Answers ---- */

static void record(struct fz *f, struct fz_out *o, int done, int error)
{
	int e = error < 0 ? -error : error;

	if (e >= MAX_ERRNO)
		e = MAX_ERRNO - 1;
	if (done)
		f->st->done[o->bucket][e]++;
	else
		f->st->err[o->bucket][e]++;
	if (o->silent)
		f->st->silent_answered++;
	if (!done && !error && o->type == f->family && o->cmd == NSTREE_CMD_SUBSCRIBE &&
	    !o->dump && (o->flags & NLM_F_REQUEST))
		f->st->subscribed++;
	o->answered = 1;
}

static struct fz_out *find_out(struct fz *f, uint32_t seq)
{
	int i;

	for (i = 0; i < f->n_out; i++)
		if (f->out[i].seq == seq)
			return &f->out[i];
	return NULL;
}

static void report_unanswered(const struct fz_out *o)
{
	char hex[sizeof(o->head) * 2 + 1];
	unsigned int i, n = o->dgram < sizeof(o->head) ? o->dgram : sizeof(o->head);

	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", o->head[i]);
	hex[2 * n] = 0;
	ksft_print_msg("NO ANSWER: seq %u type %u flags 0x%x cmd %u%s nlmsg_len %u datagram %u: %s\n",
		       o->seq, o->type, o->flags, o->cmd, o->dump ? " (dump)" : "",
		       o->len, o->dgram, hex);
}

/* True while a message of the batch still waits for its answer. */
static int pending(struct fz *f)
{
	int i, probe_done = 0;

	for (i = 0; i < f->n_out; i++)
		if (f->out[i].probe && f->out[i].answered)
			probe_done = 1;
	for (i = 0; i < f->n_out; i++) {
		if (f->out[i].answered)
			continue;
		if (f->out[i].silent && probe_done)
			continue;
		return 1;
	}
	return 0;
}

/* Read until every message of the batch is answered or proved silent. */
static int drain(struct fz *f)
{
	struct nlmsghdr *nlh;
	struct fz_out *o;
	int n, i, lost = 0;

	while (pending(f)) {
		n = recv(f->fd, f->rx, RX_SIZE, 0);
		if (n < 0 && errno == ENOBUFS) {
			f->st->overruns++;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			for (i = 0; i < f->n_out; i++) {
				o = &f->out[i];
				if (o->answered || o->silent)
					continue;
				report_unanswered(o);
				f->st->unanswered++;
				lost = 1;
			}
			break;
		}
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)f->rx; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq == 0 && nlh->nlmsg_type == f->family &&
			    nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN &&
			    ((struct genlmsghdr *)NLMSG_DATA(nlh))->cmd == NSTREE_CMD_EVENT) {
				f->st->events++;
				continue;
			}
			o = find_out(f, nlh->nlmsg_seq);
			if (!o || o->answered) {
				f->st->strays++;
				ksft_print_msg("stray: type %u flags 0x%x seq %u len %u\n",
					       nlh->nlmsg_type, nlh->nlmsg_flags,
					       nlh->nlmsg_seq, nlh->nlmsg_len);
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				if (o->probe)
					o->answered = 1;
				else
					record(f, o, 0, ((struct nlmsgerr *)NLMSG_DATA(nlh))->error);
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				record(f, o, 1, *(int *)NLMSG_DATA(nlh));
			} else {
				f->st->replies++;
			}
		}
	}
	for (i = 0; i < f->n_out; i++)
		if (f->out[i].silent && !f->out[i].answered && !lost)
			f->st->silent_core++;
	f->n_out = 0;
	/* After a loss, a fresh socket: a dump may still be running. */
	return lost ? fz_open(f) : 0;
}

static int send_probe(struct fz *f)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
	} req = {
		.n = { .nlmsg_len = sizeof(req), .nlmsg_type = f->family,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = ++f->seq },
		.g = { .cmd = NSTREE_CMD_GET_INFO, .version = FZ_FAMILY_VERSION },
	};
	struct fz_out *o = &f->out[f->n_out++];

	memset(o, 0, sizeof(*o));
	o->seq = f->seq;
	o->probe = 1;
	o->type = f->family;
	o->flags = req.n.nlmsg_flags;
	o->len = o->dgram = sizeof(req);
	f->st->probes++;
	if (send(f->fd, &req, sizeof(req), 0) < 0)
		return -errno;
	return 0;
}

/* One batch: one message, a burst of sends, or several in one datagram. */
static int fz_step(struct fz *f, uint64_t left)
{
	struct buf b = { .p = f->tx, .cap = RX_SIZE };
	int k = 1, packed = 0, i, silent = 0;
	size_t len, total = 0;

	if (chance(f, 4))
		k = 2 + below(f, MAX_BATCH - 1);
	else if (chance(f, 3))
		packed = k = 2 + below(f, 4);
	if ((uint64_t)k > left)
		k = left;

	/*
	 * Several messages in flight: their answers, which echo each request
	 * unless NETLINK_CAP_ACK, must fit in the receive buffer together.
	 */
	for (i = 0; i < k && total < (size_t)f->rcvbuf / 8; i++) {
		struct fz_out *o = &f->out[f->n_out];

		if (!packed)
			b.len = 0;
		len = build(f, &b, ++f->seq, o, packed, k == 1);
		total += len;
		if (!len)
			continue;
		f->n_out++;
		f->st->sent++;
		silent |= o->silent;
		if (packed)
			continue;
		f->st->datagrams++;
		if (send(f->fd, b.p, len, 0) < 0) {
			int e = errno < MAX_ERRNO ? errno : MAX_ERRNO - 1;

			f->st->send_err[e]++;
			o->answered = 1;
		}
	}
	if (packed) {
		f->st->datagrams++;
		if (send(f->fd, b.p, b.len, 0) < 0) {
			int e = errno < MAX_ERRNO ? errno : MAX_ERRNO - 1;

			for (i = 0; i < f->n_out; i++) {
				f->st->send_err[e]++;
				f->out[i].answered = 1;
			}
		}
	}
	if (silent) {
		i = send_probe(f);
		if (i)
			return i;
	}
	i = drain(f);
	if (i)
		return i;
	if (chance(f, 1)) {	/* a child that exits: events for a subscriber */
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return -errno;
		f->st->children++;
	}
	if (chance(f, 1)) {
		f->st->reopens++;
		return fz_open(f);
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

/* The fuzzing loop, in whatever process and namespace calls it. */
static void fz_run(struct fz_stats *st, uint64_t seed, uint64_t count)
{
	struct fz f = { .st = st, .rng = seed, .fd = -1 };
	struct stat sb;
	double t0;
	int err, i;

	st->seed = seed;
	f.timeout = env_u64("NSTREE_FUZZ_TIMEOUT", 20);
	f.self_pid = getpid();
	if (!stat("/proc/self/ns/pid", &sb))
		f.pidns_inum = sb.st_ino;
	f.tx = malloc(RX_SIZE);
	f.rx = malloc(RX_SIZE);
	if (!f.tx || !f.rx) {
		snprintf(st->why, sizeof(st->why), "out of memory");
		st->failed_setup = 1;
		return;
	}
	err = fz_open(&f);
	if (err) {
		snprintf(st->why, sizeof(st->why), "open: %s", strerror(-err));
		st->failed_setup = 1;
		return;
	}
	/* For scale: the rate of the simplest exchange, a GET_INFO and its ack. */
	t0 = now();
	for (i = 0; i < 5500 && !err; i++) {
		if (i == 500)	/* after a warm-up: TCG translates code once */
			t0 = now();
		err = send_probe(&f);
		if (!err)
			err = drain(&f);
	}
	st->baseline = 5000 / (now() - t0);
	st->probes = 0;
	if (err) {
		snprintf(st->why, sizeof(st->why), "GET_INFO: %s", strerror(-err));
		st->failed_setup = 1;
	}
	t0 = now();
	while (!err && st->sent < count) {
		err = fz_step(&f, count - st->sent);
		if (err) {
			snprintf(st->why, sizeof(st->why), "after %" PRIu64 " messages: %s",
				 st->sent, strerror(-err));
			st->failed_setup = 1;
			break;
		}
	}
	st->seconds = now() - t0;
	close(f.fd);
	free(f.tx);
	free(f.rx);
}

static const char *errname(int e)
{
	static char buf[16];
	const char *s = e ? strerrorname_np(e) : "0 (ok)";

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "%d", e);
	return buf;
}

static void fz_print(const char *who, const struct fz_stats *st)
{
	uint64_t tot;
	int b, e, kind;

	ksft_print_msg("%s: seed %" PRIu64 " (NSTREE_FUZZ_SEED), family id %d\n",
		       who, st->seed, st->family);
	ksft_print_msg("%s: %" PRIu64 " messages in %" PRIu64 " datagrams, %.1f s, %.0f messages/s (+%" PRIu64 " probes)\n",
		       who, st->sent, st->datagrams, st->seconds,
		       st->seconds > 0 ? st->sent / st->seconds : 0.0, st->probes);
	ksft_print_msg("%s: for scale, a plain GET_INFO request and its ack: %.0f/s\n",
		       who, st->baseline);
	ksft_print_msg("%s: answers by errno (NLMSG_ERROR / NLMSG_DONE), per command:\n", who);
	ksft_print_msg("  %-16s", "errno");
	for (b = 0; b < N_BUCKETS; b++)
		printf(" %11s", b < N_OPS ? fz_ops[b].name : b == N_OPS ? "unknown-cmd" : "core-acked");
	printf(" %9s\n", "total");
	for (kind = 0; kind < 2; kind++) {
		for (e = 0; e < MAX_ERRNO; e++) {
			char label[40];

			tot = 0;
			for (b = 0; b < N_BUCKETS; b++)
				tot += kind ? st->done[b][e] : st->err[b][e];
			if (!tot)
				continue;
			snprintf(label, sizeof(label), "%s %s", kind ? "DONE" : "ERROR", errname(e));
			ksft_print_msg("  %-16s", label);
			for (b = 0; b < N_BUCKETS; b++)
				printf(" %11" PRIu64, kind ? st->done[b][e] : st->err[b][e]);
			printf(" %9" PRIu64 "\n", tot);
		}
	}
	ksft_print_msg("  (core-acked: without NLM_F_REQUEST, or of a control type below NLMSG_MIN_TYPE: netlink_rcv_skb acks those itself)\n");
	for (e = 0; e < MAX_ERRNO; e++)
		if (st->send_err[e])
			ksft_print_msg("  refused by sendmsg() with %s: %" PRIu64 "\n",
				       errname(e), st->send_err[e]);
	ksft_print_msg("%s: no answer by netlink core design (nlmsg_len < 16 or > datagram, or datagram < 16: netlink_rcv_skb drops it): %" PRIu64 ", each proved silent by a later probe\n",
		       who, st->silent_core);
	if (st->silent_answered)
		ksft_print_msg("%s: predicted silent but answered: %" PRIu64 "\n", who,
			       st->silent_answered);
	ksft_print_msg("%s: replies and dump parts %" PRIu64 ", events skipped %" PRIu64 ", SUBSCRIBE ok %" PRIu64 ", children forked %" PRIu64 ", sockets reopened %" PRIu64 ", recv overruns %" PRIu64 ", strays %" PRIu64 "\n",
		       who, st->replies, st->events, st->subscribed, st->children, st->reopens,
		       st->overruns, st->strays);
	ksft_print_msg("%s: messages without an answer: %" PRIu64 "\n", who, st->unanswered);
}

static void fz_check(struct __test_metadata *_metadata, const struct fz_stats *st,
		     uint64_t count)
{
	ASSERT_EQ(0, st->failed_setup) TH_LOG("%s", st->why);
	EXPECT_EQ(count, st->sent);
	EXPECT_EQ(0, st->unanswered);
	EXPECT_EQ(0, st->strays);
}

static struct fz_stats *stats_alloc(void)
{
	void *p = mmap(NULL, sizeof(struct fz_stats), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static uint64_t fz_seed(void)
{
	return env_u64("NSTREE_FUZZ_SEED", 20261130);
}

static uint64_t fz_count(void)
{
	return env_u64("NSTREE_FUZZ_COUNT", 50000);
}

FIXTURE(fuzz) {
	struct fz_stats *st;
};

FIXTURE_SETUP(fuzz)
{
	self->st = stats_alloc();
	ASSERT_NE(NULL, self->st);
	if (geteuid())
		SKIP(return, "needs root: the second test drops to uid 65534 itself");
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->st)
		munmap(self->st, sizeof(*self->st));
}

/* As root in the initial namespaces. */
TEST_F_TIMEOUT(fuzz, root, 210)
{
	fz_run(self->st, fz_seed(), fz_count());
	fz_print("root", self->st);
	fz_check(_metadata, self->st, fz_count());
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/*
 * The unprivileged side: uid and gid 65534 with no supplementary group
 * make a user and a PID namespace, map themselves as root there, and fork
 * the namespace's PID 1, which fuzzes: it may SUBSCRIBE, as a container's
 * root may, and sees only its own namespace.
 */
static int fz_user_child(struct fz_stats *st, uint64_t seed, uint64_t count)
{
	int status;
	pid_t pid;

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return 10;
	/* Our /proc/self files stay ours to write after the uid change. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return 11;
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID))
		return 12;
	if (write_file("/proc/self/uid_map", "0 65534 1\n") ||
	    write_file("/proc/self/setgroups", "deny\n") ||
	    write_file("/proc/self/gid_map", "0 65534 1\n"))
		return 13;
	pid = fork();
	if (pid < 0)
		return 14;
	if (pid == 0) {
		if (getpid() != 1)
			_exit(15);
		fz_run(st, seed, count);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 16;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F_TIMEOUT(fuzz, user_pidns, 210)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(fz_user_child(self->st, fz_seed() + 1, fz_count()));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status))
		TH_LOG("the uid 65534 user+PID namespace setup failed at step %d",
		       WEXITSTATUS(status));
	fz_print("uid 65534 in user+pid ns", self->st);
	fz_check(_metadata, self->st, fz_count());
}

TEST_HARNESS_MAIN
