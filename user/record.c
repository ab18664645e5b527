// SPDX-License-Identifier: GPL-2.0
/*
 * The record of ended processes (see record.h): built from the event
 * stream by `nstree watch --record`, written as text, read back by
 * `nstree why`.
 *
 * The file is line-oriented, tab-separated text, one process per line:
 * a line can be written with one fprintf() per field, read with a bounded
 * buffer and strtok_r(), and looked at with grep; a process's variable
 * parts (its reparents) are repeated fields of its line. Format (also in
 * Documentation/nstree.rst, "The record of ended processes"):
 *
 *   nstree-record<TAB>1
 *   recorder<TAB>started=NS<TAB>real_minus_boot=NS<TAB>pidns=INUM ...
 *   proc<TAB>pid=N<TAB>start=NS<TAB>nspid=N,N<TAB>comm=C<TAB>parent=WHO
 *       <TAB>reparent=TIME/REASON/WHO/WHO ... <TAB>exit=TIME/WSTATUS/G
 *       <TAB>zombie=TIME/WHO<TAB>autoreap=TIME<TAB>reap=TIME/REASON/WHO
 *
 * where WHO is PID/START/COMM, REASON a name or "-", and a COMM has every
 * byte that is not printable ASCII, and '\\', '/', '=', as \xHH.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record.h"

static const char *const reap_names[] = {
	[NSTREE_REAP_PARENT] = "parent",
	[NSTREE_REAP_NS_INIT] = "ns-init",
	[NSTREE_REAP_SELF] = "self",
	[NSTREE_REAP_OTHER] = "other",
	[NSTREE_REAP_SUBREAPER] = "subreaper",
};

static const char *const reparent_names[] = {
	[NSTREE_REPARENT_NS_INIT] = "ns-init",
	[NSTREE_REPARENT_SUBREAPER] = "subreaper",
	[NSTREE_REPARENT_THREAD] = "thread",
	[NSTREE_REPARENT_OTHER] = "other",
};

#define NAMES(a) (sizeof(a) / sizeof((a)[0]))

static int reason_value(const char *const *names, size_t n, const char *s)
{
	size_t i;

	if (!strcmp(s, "-"))
		return 0;
	for (i = 1; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

int nst_reap_reason_value(const char *name)
{
	return reason_value(reap_names, NAMES(reap_names), name);
}

int nst_reparent_reason_value(const char *name)
{
	return reason_value(reparent_names, NAMES(reparent_names), name);
}

static const char *reason_name(const char *const *names, size_t n,
			       uint32_t v)
{
	return v && v < n && names[v] ? names[v] : "-";
}

/* ---- Building it from events ---- */

static uint32_t rec_hash(const struct nst_record *r, uint32_t pid,
			 uint64_t start)
{
	uint64_t h = (pid * 0x9e3779b97f4a7c15ULL) ^ (start * 0xff51afd7ed558ccdULL);

	return (uint32_t)(h ^ (h >> 32)) & r->hash_mask;
}

int nst_record_init(struct nst_record *r, uint32_t size)
{
	uint32_t buckets = 16;

	memset(r, 0, sizeof(*r));
	if (size < NST_REC_SIZE_MIN || size > NST_REC_SIZE_MAX)
		return -EINVAL;
	while (buckets < 2 * size)
		buckets <<= 1;
	r->size = size;
	r->ended = calloc(size, sizeof(*r->ended));
	r->hash = calloc(buckets, sizeof(*r->hash));
	if (!r->ended || !r->hash) {
		free(r->ended);
		free(r->hash);
		return -ENOMEM;
	}
	r->hash_mask = buckets - 1;
	return 0;
}

static void rec_free(struct nst_rec *e)
{
	if (e) {
		free(e->rp);
		free(e);
	}
}

void nst_record_free(struct nst_record *r)
{
	struct nst_rec *e, *next;
	uint32_t i;

	for (i = 0; i < r->n; i++)
		rec_free(r->ended[(r->head + i) % r->size]);
	for (e = r->oldest; e; e = next) {
		next = e->lnext;
		rec_free(e);
	}
	free(r->ended);
	free(r->hash);
	memset(r, 0, sizeof(*r));
}

static void who_set(struct nst_rec_who *w, const struct nst_ev_proc *p)
{
	memset(w, 0, sizeof(*w));
	if (!p->present)
		return;
	w->pid = p->pid;
	w->start = p->start_time;
	memcpy(w->comm, p->comm, sizeof(w->comm));
	w->comm[sizeof(w->comm) - 1] = '\0';
}

/* Take a live entry out of the hash and the age list. */
static void live_unlink(struct nst_record *r, struct nst_rec *e)
{
	struct nst_rec **pp = &r->hash[rec_hash(r, e->self.pid, e->self.start)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	if (e->lprev)
		e->lprev->lnext = e->lnext;
	else
		r->oldest = e->lnext;
	if (e->lnext)
		e->lnext->lprev = e->lprev;
	else
		r->newest = e->lprev;
	e->hnext = e->lprev = e->lnext = NULL;
	r->nlive--;
}

/*
 * The live entry of the process @p names, made on its first event. NULL
 * when memory is short (the event is then not recorded).
 */
static struct nst_rec *live_get(struct nst_record *r,
				const struct nst_ev_proc *p)
{
	uint32_t h = rec_hash(r, p->pid, p->start_time);
	struct nst_rec *e;

	for (e = r->hash[h]; e; e = e->hnext)
		if (e->self.pid == p->pid && e->self.start == p->start_time)
			return e;
	/* As many live ones as ended ones at most: the oldest goes first. */
	if (r->nlive >= r->size) {
		e = r->oldest;
		live_unlink(r, e);
		rec_free(e);
		r->untracked++;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->self.pid = p->pid;
	e->self.start = p->start_time;
	e->hnext = r->hash[h];
	r->hash[h] = e;
	e->lprev = r->newest;
	if (r->newest)
		r->newest->lnext = e;
	else
		r->oldest = e;
	r->newest = e;
	r->nlive++;
	return e;
}

static void ended_push(struct nst_record *r, struct nst_rec *e)
{
	if (r->n == r->size) {
		rec_free(r->ended[r->head]);
		r->ended[r->head] = NULL;
		r->head = (r->head + 1) % r->size;
		r->n--;
		r->dropped++;
	}
	r->ended[(r->head + r->n) % r->size] = e;
	r->n++;
}

/* Before any reparent, the parent an event names is the first one. */
static void first_parent(struct nst_rec *e, const struct nst_ev_proc *p)
{
	if (!e->nrp && !e->parent.pid && !e->parent.start)
		who_set(&e->parent, p);
}

void nst_record_event(struct nst_record *r, const struct nst_event *ev)
{
	const struct nst_ev_proc *p = &ev->proc;
	struct nst_rec *e;

	if (ev->type == NSTREE_EV_LOST) {
		r->lost += ev->lost;
		r->dirty = 1;
		return;
	}
	switch (ev->type) {
	case NSTREE_EV_EXIT:
		/* A thread's end says nothing of its process's, but the last. */
		if (p->tid && p->tid != p->pid && !ev->group_dead)
			return;
		break;
	case NSTREE_EV_ZOMBIE:
	case NSTREE_EV_AUTOREAP:
	case NSTREE_EV_REAP:
	case NSTREE_EV_REPARENT:
		break;
	default:
		return;
	}
	if (!p->present || !p->pid)
		return;
	e = live_get(r, p);
	if (!e)
		return;
	r->dirty = 1;
	if (p->comm[0]) {
		memcpy(e->self.comm, p->comm, sizeof(e->self.comm));
		e->self.comm[sizeof(e->self.comm) - 1] = '\0';
	}
	if (p->nspid_len > 0) {
		memcpy(e->nspid, p->nspid, sizeof(e->nspid));
		e->nspid_len = p->nspid_len;
	}
	switch (ev->type) {
	case NSTREE_EV_EXIT:
		/*
		 * wait() reports the group's code after a group exit
		 * (exit_group(), a fatal signal), else the leader's own. The
		 * thread that ends the process (GROUP_DEAD) carries the
		 * group's code, and is the leader when the leader ends last:
		 * its EXIT is the one. The leader's EXIT stands in while that
		 * one has not come (lost).
		 */
		if (ev->group_dead ||
		    ((!p->tid || p->tid == p->pid) && !e->exit_group_dead)) {
			e->has_exit = 1;
			e->exit_group_dead = ev->group_dead;
			e->exit_time = ev->time;
			e->wstatus = ev->exit_code;
		}
		break;
	case NSTREE_EV_ZOMBIE:
		first_parent(e, &ev->parent);
		if (!e->zombie_time) {
			e->zombie_time = ev->time;
			who_set(&e->zombie_parent, &ev->parent);
		}
		break;
	case NSTREE_EV_AUTOREAP:
		first_parent(e, &ev->parent);
		if (!e->autoreap_time)
			e->autoreap_time = ev->time;
		break;
	case NSTREE_EV_REPARENT:
		first_parent(e, &ev->old_parent);
		if (e->nrp >= NST_REC_MAX_REPARENTS) {
			e->rp_dropped++;
			break;
		}
		if (!(e->nrp & (e->nrp - 1))) {	/* 0, 1, 2, 4, ...: grow */
			struct nst_rec_reparent *rp;

			rp = realloc(e->rp, (e->nrp ? 2 * e->nrp : 1) *
					    sizeof(*rp));
			if (!rp) {
				e->rp_dropped++;
				break;
			}
			e->rp = rp;
		}
		e->rp[e->nrp].time = ev->time;
		e->rp[e->nrp].reason = ev->reason;
		who_set(&e->rp[e->nrp].from, &ev->old_parent);
		who_set(&e->rp[e->nrp].to, &ev->parent);
		e->nrp++;
		break;
	case NSTREE_EV_REAP:
		e->reap_time = ev->time;
		e->reap_reason = ev->reason;
		who_set(&e->reaper, &ev->reaper);
		live_unlink(r, e);
		ended_push(r, e);
		break;
	}
}

/* ---- The file ---- */

static int comm_escape(int c)
{
	return c <= 0x20 || c >= 0x7f || c == '\\' || c == '/' || c == '=';
}

static void put_comm(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (comm_escape((unsigned char)*s))
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
}

static void put_who(FILE *f, const struct nst_rec_who *w)
{
	fprintf(f, "%" PRIu32 "/%" PRIu64 "/", w->pid, w->start);
	put_comm(f, w->comm);
}

static void put_rec(FILE *f, const struct nst_rec *e)
{
	uint32_t i;
	int l;

	fprintf(f, "proc\tpid=%" PRIu32 "\tstart=%" PRIu64 "\tnspid=",
		e->self.pid, e->self.start);
	for (l = 0; l < e->nspid_len; l++)
		fprintf(f, "%s%" PRIu32, l ? "," : "", e->nspid[l]);
	fputs("\tcomm=", f);
	put_comm(f, e->self.comm);
	fputs("\tparent=", f);
	put_who(f, &e->parent);
	for (i = 0; i < e->nrp; i++) {
		fprintf(f, "\treparent=%" PRIu64 "/%s/", e->rp[i].time,
			reason_name(reparent_names, NAMES(reparent_names),
				    e->rp[i].reason));
		put_who(f, &e->rp[i].from);
		fputc('/', f);
		put_who(f, &e->rp[i].to);
	}
	if (e->rp_dropped)
		fprintf(f, "\treparents_dropped=%" PRIu32, e->rp_dropped);
	if (e->has_exit)
		fprintf(f, "\texit=%" PRIu64 "/%" PRIu32 "/%d", e->exit_time,
			e->wstatus, e->exit_group_dead);
	if (e->zombie_time) {
		fprintf(f, "\tzombie=%" PRIu64 "/", e->zombie_time);
		put_who(f, &e->zombie_parent);
	}
	if (e->autoreap_time)
		fprintf(f, "\tautoreap=%" PRIu64, e->autoreap_time);
	if (e->reap_time) {
		fprintf(f, "\treap=%" PRIu64 "/%s/", e->reap_time,
			reason_name(reap_names, NAMES(reap_names),
				    e->reap_reason));
		put_who(f, &e->reaper);
	}
	fputc('\n', f);
}

int nst_record_write(const struct nst_record *r, FILE *f)
{
	uint32_t i;

	fprintf(f, "nstree-record\t%d\n", NST_REC_VERSION);
	fprintf(f, "recorder\tstarted=%" PRIu64 "\treal_minus_boot=%" PRId64
		"\tpidns=%" PRIu32 "\tpidns_id=%" PRIu64 "\tsize=%" PRIu32
		"\tlost=%" PRIu64 "\tdropped=%" PRIu64 "\tuntracked=%" PRIu64
		"\n", r->started, r->real_minus_boot, r->pidns_inum,
		r->pidns_id, r->size, r->lost, r->dropped, r->untracked);
	for (i = 0; i < r->n; i++)
		put_rec(f, r->ended[(r->head + i) % r->size]);
	return ferror(f) ? -EIO : 0;
}

int nst_record_save(const struct nst_record *r, const char *path)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 8);
	FILE *f;
	int fd, err;

	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".XXXXXX", 8);
	fd = mkstemp(tmp);	/* 0600, in the same directory */
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		goto out;
	}
	err = nst_record_write(r, f);
	if (fflush(f) && !err)
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
out:
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

/* ---- Reading it back ---- */

static int get_u64(const char *s, char **end, uint64_t *v)
{
	unsigned long long x;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, end, 10);
	if (errno)
		return -1;
	*v = x;
	return 0;
}

static int get_u32(const char *s, char **end, uint32_t *v)
{
	uint64_t x;

	if (get_u64(s, end, &x) || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* A whole number, nothing after it. */
static int whole_u64(const char *s, uint64_t *v)
{
	char *end;

	return get_u64(s, &end, v) || *end ? -1 : 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A COMM up to @stop or the end; *@s moves past it. */
static int get_comm(const char **s, char stop, char *out, size_t size)
{
	const char *p = *s;
	size_t n = 0;
	int hi, lo;

	while (*p && *p != stop) {
		char c = *p;

		if (c == '\\') {
			if (p[1] != 'x' || (hi = hexval(p[2])) < 0 ||
			    (lo = hexval(p[3])) < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			p += 4;
		} else if (comm_escape((unsigned char)c)) {
			return -1;
		} else {
			p++;
		}
		if (n + 1 >= size)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	*s = p;
	return 0;
}

/* PID/START/COMM, ending at @stop (or the end of the value). */
static int get_who(const char **s, char stop, struct nst_rec_who *w)
{
	char *end;

	if (get_u32(*s, &end, &w->pid) || *end != '/' ||
	    get_u64(end + 1, &end, &w->start) || *end != '/')
		return -1;
	*s = end + 1;
	return get_comm(s, stop, w->comm, sizeof(w->comm));
}

/* TIME/ at the start of @s. */
static int get_time(const char **s, uint64_t *t)
{
	char *end;

	if (get_u64(*s, &end, t) || *end != '/')
		return -1;
	*s = end + 1;
	return 0;
}

/* REASON/ */
static int get_reason(const char **s, int (*value)(const char *),
		      uint32_t *out)
{
	const char *slash = strchr(*s, '/');
	char name[16];
	int v;

	if (!slash || (size_t)(slash - *s) >= sizeof(name))
		return -1;
	memcpy(name, *s, slash - *s);
	name[slash - *s] = '\0';
	v = value(name);
	if (v < 0)
		return -1;
	*out = (uint32_t)v;
	*s = slash + 1;
	return 0;
}

static int parse_nspid(const char *s, struct nst_rec *e)
{
	char *end;

	e->nspid_len = 0;
	if (!*s)
		return 0;
	for (;;) {
		if (e->nspid_len >= NST_MAX_LEVELS ||
		    get_u32(s, &end, &e->nspid[e->nspid_len]))
			return -1;
		e->nspid_len++;
		if (!*end)
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

static int parse_field(struct nst_rec *e, const char *key, const char *v,
		       int *have_pid)
{
	struct nst_rec_reparent rp = { 0 };
	uint64_t x;
	char *end;

	if (!strcmp(key, "pid")) {
		if (whole_u64(v, &x) || !x || x > UINT32_MAX)
			return -1;
		e->self.pid = (uint32_t)x;
		*have_pid = 1;
		return 0;
	}
	if (!strcmp(key, "start"))
		return whole_u64(v, &e->self.start);
	if (!strcmp(key, "nspid"))
		return parse_nspid(v, e);
	if (!strcmp(key, "comm"))
		return get_comm(&v, '\0', e->self.comm, sizeof(e->self.comm));
	if (!strcmp(key, "parent"))
		return get_who(&v, '\0', &e->parent) || *v ? -1 : 0;
	if (!strcmp(key, "reparent")) {
		struct nst_rec_reparent *n;

		if (get_time(&v, &rp.time) ||
		    get_reason(&v, nst_reparent_reason_value, &rp.reason) ||
		    get_who(&v, '/', &rp.from) || *v++ != '/' ||
		    get_who(&v, '\0', &rp.to))
			return -1;
		if (e->nrp >= NST_REC_MAX_REPARENTS)
			return -1;
		n = realloc(e->rp, (e->nrp + 1) * sizeof(*n));
		if (!n)
			return -1;
		e->rp = n;
		e->rp[e->nrp++] = rp;
		return 0;
	}
	if (!strcmp(key, "reparents_dropped")) {
		if (whole_u64(v, &x) || x > UINT32_MAX)
			return -1;
		e->rp_dropped = (uint32_t)x;
		return 0;
	}
	if (!strcmp(key, "exit")) {
		uint32_t group_dead;

		if (get_time(&v, &e->exit_time) ||
		    get_u32(v, &end, &e->wstatus) || *end != '/' ||
		    get_u32(end + 1, &end, &group_dead) || *end ||
		    group_dead > 1)
			return -1;
		e->has_exit = 1;
		e->exit_group_dead = (int)group_dead;
		return 0;
	}
	if (!strcmp(key, "zombie"))
		return get_time(&v, &e->zombie_time) ||
		       get_who(&v, '\0', &e->zombie_parent) ? -1 : 0;
	if (!strcmp(key, "autoreap"))
		return whole_u64(v, &e->autoreap_time);
	if (!strcmp(key, "reap"))
		return get_time(&v, &e->reap_time) ||
		       get_reason(&v, nst_reap_reason_value, &e->reap_reason) ||
		       get_who(&v, '\0', &e->reaper) ? -1 : 0;
	return 0;	/* a later version's field */
}

static int parse_proc(char *rest, struct nst_rec *e)
{
	char *tok, *save = NULL, *eq;
	int have_pid = 0;

	for (tok = strtok_r(rest, "\t", &save); tok;
	     tok = strtok_r(NULL, "\t", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			return -1;
		*eq = '\0';
		if (parse_field(e, tok, eq + 1, &have_pid))
			return -1;
	}
	return have_pid ? 0 : -1;
}

static int parse_header(char *rest, struct nst_record *hdr)
{
	char *tok, *save = NULL, *eq;
	uint64_t v;

	for (tok = strtok_r(rest, "\t", &save); tok;
	     tok = strtok_r(NULL, "\t", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			return -1;
		*eq++ = '\0';
		if (!strcmp(tok, "real_minus_boot")) {
			char *end;

			errno = 0;
			hdr->real_minus_boot = strtoll(eq, &end, 10);
			if (errno || *end || end == eq)
				return -1;
			continue;
		}
		if (whole_u64(eq, &v))
			return -1;
		if (!strcmp(tok, "started"))
			hdr->started = v;
		else if (!strcmp(tok, "pidns"))
			hdr->pidns_inum = (uint32_t)v;
		else if (!strcmp(tok, "pidns_id"))
			hdr->pidns_id = v;
		else if (!strcmp(tok, "size"))
			hdr->size = (uint32_t)v;
		else if (!strcmp(tok, "lost"))
			hdr->lost = v;
		else if (!strcmp(tok, "dropped"))
			hdr->dropped = v;
		else if (!strcmp(tok, "untracked"))
			hdr->untracked = v;
	}
	return 0;
}

int nst_record_read(FILE *f, struct nst_record *hdr, nst_rec_fn fn, void *arg,
		    unsigned long *line)
{
	char *buf = malloc(NST_REC_LINE_MAX + 2);
	unsigned long procs = 0;
	struct nst_rec e;
	size_t len;
	int err = 0;

	memset(hdr, 0, sizeof(*hdr));
	*line = 0;
	if (!buf)
		return -ENOMEM;
	while (fgets(buf, NST_REC_LINE_MAX + 2, f)) {
		++*line;
		len = strlen(buf);
		if (!len || buf[len - 1] != '\n' || len > NST_REC_LINE_MAX ||
		    memchr(buf, '\0', len)) {
			err = -EBADMSG;	/* too long, cut, or binary */
			break;
		}
		buf[len - 1] = '\0';
		if (*line == 1) {
			if (strcmp(buf, "nstree-record\t1")) {
				err = -EBADMSG;
				break;
			}
			continue;
		}
		if (!strncmp(buf, "recorder\t", 9)) {
			if (*line != 2 || parse_header(buf + 9, hdr)) {
				err = -EBADMSG;
				break;
			}
			continue;
		}
		if (strncmp(buf, "proc\t", 5) || *line < 3 ||
		    ++procs > NST_REC_SIZE_MAX) {
			err = -EBADMSG;
			break;
		}
		memset(&e, 0, sizeof(e));
		if (parse_proc(buf + 5, &e)) {
			free(e.rp);
			err = -EBADMSG;
			break;
		}
		err = fn ? fn(&e, arg) : 0;
		free(e.rp);
		if (err < 0)
			break;
		err = 0;
	}
	if (!err && ferror(f))
		err = -EIO;
	if (!err && *line < 2)
		err = -EBADMSG;	/* empty, or no header */
	free(buf);
	return err;
}
