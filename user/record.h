/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record of ended processes that `nstree watch --record` keeps and
 * `nstree why` reads (user/record.c): what the event stream said about
 * each process from its first event to its REAP, kept in user space,
 * bounded, and written to a file as tab-separated text.
 */
#ifndef NSTREE_RECORD_H
#define NSTREE_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nl.h"

/* --record-size: the default and the limits, in processes. */
#define NST_REC_SIZE_DEFAULT 10000U
#define NST_REC_SIZE_MIN 1U
#define NST_REC_SIZE_MAX 1000000U
/* Where the record is written and read when no --record=FILE names it. */
#define NST_REC_DEFAULT_PATH "/run/nstree.record"
/* Reparents kept per process; later ones are only counted. */
#define NST_REC_MAX_REPARENTS 64
/* The longest line the reader takes. */
#define NST_REC_LINE_MAX 16384
/* The file format's version, its first line "nstree-record\t1". */
#define NST_REC_VERSION 1

/* A process a record names: its identity (PID, start time) and name. */
struct nst_rec_who {
	uint32_t pid;		/* 0: out of the recorder's view */
	uint64_t start;		/* start time, ns since boot; 0: unknown */
	char comm[16];
};

struct nst_rec_reparent {
	uint64_t time;
	uint32_t reason;	/* enum nstree_reparent_reason; 0: none given */
	struct nst_rec_who from, to;
};

struct nst_rec {
	struct nst_rec_who self;
	uint32_t nspid[NST_MAX_LEVELS];	/* its PID from the recorder's level down */
	int nspid_len;
	struct nst_rec_who parent;	/* the first parent the stream named */
	struct nst_rec_reparent *rp;	/* in order */
	uint32_t nrp, rp_dropped;
	int has_exit;
	int exit_group_dead;		/* from the EXIT that ended the process */
	uint64_t exit_time;
	uint32_t wstatus;		/* as wait() reports it */
	uint64_t zombie_time;		/* the first ZOMBIE; 0: none */
	struct nst_rec_who zombie_parent;
	uint64_t autoreap_time;		/* 0: none */
	uint64_t reap_time;		/* 0: not reaped (yet) */
	uint32_t reap_reason;		/* enum nstree_reap_reason; 0: none */
	struct nst_rec_who reaper;
	/* private to record.c */
	struct nst_rec *hnext, *lprev, *lnext;
};

struct nst_record {
	uint32_t size;			/* ended processes kept */
	/* Ended processes, oldest first: a ring of @size. */
	struct nst_rec **ended;
	uint32_t head, n;
	/* Live processes followed: a hash by identity, a list by age. */
	struct nst_rec **hash;
	uint32_t hash_mask, nlive;
	struct nst_rec *oldest, *newest;
	/* What the file's header says. */
	uint64_t started;		/* boot time of the subscription, ns */
	int64_t real_minus_boot;	/* wall clock = boot time + this */
	uint32_t pidns_inum;		/* the recorder's view */
	uint64_t pidns_id;
	uint64_t lost;			/* events the stream lost */
	uint64_t dropped;		/* ended processes pushed out by the bound */
	uint64_t untracked;		/* live processes pushed out likewise */
	int dirty;			/* changed since last written */
};

/* An empty record keeping @size ended processes. 0, or -ENOMEM. */
int nst_record_init(struct nst_record *r, uint32_t size);
void nst_record_free(struct nst_record *r);

/* Take one event in (any type; those that say nothing are ignored). */
void nst_record_event(struct nst_record *r, const struct nst_event *ev);

/* Write the record as the file's text to @f. 0, or -errno. */
int nst_record_write(const struct nst_record *r, FILE *f);

/*
 * Write it to @path atomically: a temporary file in the same directory,
 * mode 0600, renamed over @path, so a reader sees the old file or the new
 * one, never part of one. 0, or -errno.
 */
int nst_record_save(const struct nst_record *r, const char *path);

/* Called by nst_record_read() for each process in the file, oldest first. */
typedef int (*nst_rec_fn)(const struct nst_rec *rec, void *arg);

/*
 * Read a record file: the header into @hdr (size, started, lost, ...;
 * nothing is allocated in it), and each process to @fn (its rp array is
 * valid during the call only). Returns 0; -EBADMSG for a file that is not
 * a record of this version, a line too long or malformed, with its line
 * number in *@line; -errno for an I/O error; or what @fn returned when
 * negative.
 */
int nst_record_read(FILE *f, struct nst_record *hdr, nst_rec_fn fn, void *arg,
		    unsigned long *line);

/* "parent", ... and "ns-init", ...; the reasons' numbers from their names. */
int nst_reap_reason_value(const char *name);
int nst_reparent_reason_value(const char *name);

#endif /* NSTREE_RECORD_H */
