// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libsmartcols.h>

#include "columns.h"
#include "util.h"

static const struct nst_colinfo proc_cols[PCOL_COUNT] = {
	[PCOL_PROCESS]	= { "PROCESS", 0.2, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			    "process name (tree: its place in the tree; -a: its command line)" },
	[PCOL_PID]	= { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "PID in your PID namespace" },
	[PCOL_NSPID]	= { "NSPID", 8, 0, SCOLS_JSON_ARRAY_NUMBER,
			    "PID at every level, from your namespace down to the process's own" },
	[PCOL_VPID]	= { "VPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "PID inside the process's own PID namespace" },
	[PCOL_TID]	= { "TID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "thread ID in your PID namespace (with --threads)" },
	[PCOL_NSTID]	= { "NSTID", 8, 0, SCOLS_JSON_ARRAY_NUMBER,
			    "thread ID at every level (with --threads)" },
	[PCOL_PPID]	= { "PPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "parent's PID in your namespace (0: outside it)" },
	[PCOL_VPPID]	= { "VPPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "parent's PID inside the process's namespace (0: outside it)" },
	[PCOL_PIDNS]	= { "PIDNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "inode of the process's PID namespace" },
	[PCOL_LEVEL]	= { "LEVEL", 2, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "depth of the process's PID namespace below yours" },
	[PCOL_NS]	= { "NS", 0.1, 0, SCOLS_JSON_STRING,
			    "where a PID namespace starts: its inode and level" },
	[PCOL_STATE]	= { "STATE", 1, 0, SCOLS_JSON_STRING,
			    "state letter: R running, S sleeping, D disk, T stopped, Z zombie, ..." },
	[PCOL_FLAGS]	= { "FLAGS", 6, 0, SCOLS_JSON_STRING,
			    "init (PID 1 of its namespace), subreaper, zombie" },
	[PCOL_INIT]	= { "INIT", 1, SCOLS_FL_RIGHT, SCOLS_JSON_BOOLEAN_OPTIONAL,
			    "1 if the process is PID 1 of its namespace" },
	[PCOL_SUBREAPER] = { "SUBREAPER", 1, SCOLS_FL_RIGHT, SCOLS_JSON_BOOLEAN_OPTIONAL,
			    "1 if the process is a child subreaper" },
	[PCOL_REAPER]	= { "REAPER", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "PID that would adopt it if its parent exited now (empty: none you can see)" },
	[PCOL_REAPERWHY] = { "REAPERWHY", 9, 0, SCOLS_JSON_STRING,
			    "why: thread (of the parent), subreaper, ns-init, killed (with its namespace)" },
	[PCOL_UID]	= { "UID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "real user ID, in your user namespace" },
	[PCOL_USER]	= { "USER", 8, 0, SCOLS_JSON_STRING,
			    "real user name" },
	[PCOL_EUID]	= { "EUID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "effective user ID, in your user namespace" },
	[PCOL_COMM]	= { "COMM", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			    "command name" },
	[PCOL_ARGS]	= { "ARGS", 0.3, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			    "command line" },
	[PCOL_THREADS]	= { "THREADS", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "number of threads" },
	[PCOL_START]	= { "START", 25, 0, SCOLS_JSON_STRING,
			    "start time: local time, ISO 8601 with the UTC offset" },
	[PCOL_MNTNS]	= { "MNTNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "mount namespace inode (none once exited)" },
	[PCOL_NETNS]	= { "NETNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "network namespace inode" },
	[PCOL_UTSNS]	= { "UTSNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "UTS namespace inode" },
	[PCOL_IPCNS]	= { "IPCNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "IPC namespace inode" },
	[PCOL_USERNS]	= { "USERNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "user namespace inode" },
	[PCOL_CGROUPNS]	= { "CGROUPNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "cgroup namespace inode" },
	[PCOL_TIMENS]	= { "TIMENS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "time namespace inode" },
	[PCOL_NSID]	= { "NSID", 4, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "nstree ID of the process's PID namespace (--ns :ID)" },
};

static const struct nst_colinfo ns_cols[NCOL_COUNT] = {
	[NCOL_NS]	= { "NS", 10, 0, SCOLS_JSON_NUMBER,
			    "inode of the PID namespace (tree: its place among the others)" },
	[NCOL_TYPE]	= { "TYPE", 3, 0, SCOLS_JSON_STRING,
			    "namespace type (always pid)" },
	[NCOL_LEVEL]	= { "LEVEL", 2, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "depth below your PID namespace" },
	[NCOL_PARENT]	= { "PARENT", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "parent namespace inode (none for yours: ancestors stay hidden)" },
	[NCOL_INIT]	= { "INIT", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "PID of the namespace's init, in your namespace" },
	[NCOL_INITCOMM]	= { "INITCOMM", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			    "command name of the namespace's init" },
	[NCOL_NPROCS]	= { "NPROCS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "processes in the namespace (not counting nested ones)" },
	[NCOL_NTHREADS]	= { "NTHREADS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "threads of those processes" },
	[NCOL_NZOMBIES]	= { "NZOMBIES", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "those processes that are zombies" },
	[NCOL_USERNS]	= { "USERNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "owning user namespace inode (when yours or below)" },
	[NCOL_NSID]	= { "NSID", 4, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "nstree ID of the namespace, never reused while the module is loaded" },
	[NCOL_PARENTID]	= { "PARENTID", 4, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "nstree ID of the parent namespace" },
};

static const struct nst_colinfo zombie_cols[ZCOL_COUNT] = {
	[ZCOL_PID]	= { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "the zombie's PID in your PID namespace" },
	[ZCOL_PPID]	= { "PPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "its parent's PID (0: outside your namespace)" },
	[ZCOL_COMM]	= { "COMM", 0.1, 0, SCOLS_JSON_STRING,
			    "the zombie's command name" },
	[ZCOL_AGE]	= { "AGE", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "how long it has been a zombie (JSON: seconds)" },
	[ZCOL_PARENT]	= { "PARENT", 0.1, 0, SCOLS_JSON_STRING,
			    "its parent's command name" },
	[ZCOL_SIGCHLD]	= { "SIGCHLD", 7, 0, SCOLS_JSON_STRING,
			    "what the parent does with SIGCHLD: default, ignore, handler" },
	[ZCOL_INWAIT]	= { "INWAIT", 3, 0, SCOLS_JSON_BOOLEAN_OPTIONAL,
			    "the parent is blocked in wait() now (-: hidden from you)" },
	[ZCOL_PINIT]	= { "PINIT", 3, 0, SCOLS_JSON_BOOLEAN_OPTIONAL,
			    "the parent is PID 1 of its namespace" },
	[ZCOL_ZOMBIES]	= { "ZOMBIES", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "how many zombie children the parent has" },
	[ZCOL_REAPER]	= { "REAPER", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "PID that would adopt it if its parent exited now (empty: none you can see)" },
	[ZCOL_RULE]	= { "RULE", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "the rule of the verdict that applies (1 to 9, see nstree(8))" },
	[ZCOL_PIDNS]	= { "PIDNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "inode of the zombie's PID namespace" },
	/* The long one: cut to the terminal, whole with --notruncate. */
	[ZCOL_VERDICT]	= { "VERDICT", 0.5, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			    "why it is still there, and what would reap it (cut to fit: --notruncate)" },
};

const struct nst_colset nst_proc_cols = { proc_cols, PCOL_COUNT, PCOL_PROCESS };
const struct nst_colset nst_ns_cols = { ns_cols, NCOL_COUNT, NCOL_NS };
const struct nst_colset nst_zombie_cols = { zombie_cols, ZCOL_COUNT, -1 };

int nst_col_by_name(const struct nst_colset *set, const char *name,
		    size_t len)
{
	size_t i;

	for (i = 0; i < set->ncols; i++)
		if (strlen(set->cols[i].name) == len &&
		    !strncasecmp(set->cols[i].name, name, len))
			return (int)i;
	return -1;
}

int nst_parse_columns(const struct nst_colset *set, const char *list,
		      int *ids, size_t max, size_t *n, char *bad,
		      size_t badsz)
{
	const char *p = list, *end;
	size_t count = 0;
	int id;

	if (*p == '+') {
		count = *n;
		p++;
	}
	for (;;) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		id = nst_col_by_name(set, p, end - p);
		if (id < 0) {
			snprintf(bad, badsz, "%.*s", (int)(end - p), p);
			return -EINVAL;
		}
		if (count == max)
			return -E2BIG;
		ids[count++] = id;
		if (!*end)
			break;
		p = end + 1;
	}
	*n = count;
	return 0;
}

/* @v in decimal at @out, without a NUL; returns the digits' count. */
static size_t fmt_u32(char *out, uint32_t v)
{
	char tmp[10];
	size_t n = 0, i;

	do
		tmp[n++] = '0' + v % 10;
	while (v /= 10);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* A printf for every PID of every row was a sixth of `nstree ps`. */
int nst_fmt_chain(char *buf, size_t size, const uint32_t *chain,
		  unsigned int len, char sep)
{
	size_t off = 0, w;
	unsigned int i;
	char num[10];

	if (!size)
		return -1;
	buf[0] = '\0';
	for (i = 0; i < len; i++) {
		if (i) {
			if (off + 1 >= size)
				return -1;
			buf[off++] = sep;
		}
		w = fmt_u32(num, chain[i]);
		if (w >= size - off) {
			buf[off] = '\0';
			return -1;
		}
		memcpy(buf + off, num, w);
		off += w;
		buf[off] = '\0';
	}
	return (int)off;
}

void nst_fmt_flags(char *buf, size_t size, const struct nst_proc *p)
{
	const char *words[3];
	size_t n = 0, i, off = 0, w;

	if (p->ns_init)
		words[n++] = "init";
	if (p->subreaper)
		words[n++] = "subreaper";
	if (p->state == 'Z')
		words[n++] = "zombie";
	if (!size)
		return;
	/* "init,zombie", cut to @size as snprintf() would. */
	for (i = 0; i < n; i++) {
		if (i && off + 1 < size)
			buf[off++] = ',';
		w = strlen(words[i]);
		if (w > size - 1 - off)
			w = size - 1 - off;
		memcpy(buf + off, words[i], w);
		off += w;
	}
	buf[off] = '\0';
}

int nst_fmt_start(char *buf, size_t size, uint64_t start_ns,
		  uint64_t boot_now_ns, time_t real_now)
{
	time_t t = real_now - (time_t)((boot_now_ns - start_ns) / 1000000000ULL);
	struct tm tm;

	long off;
	size_t n;

	if (start_ns > boot_now_ns || !localtime_r(&t, &tm))
		return -1;
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n)
		return -1;
	/* ISO 8601's offset, +hh:mm, as util-linux's iso time format. */
	off = tm.tm_gmtoff / 60;
	if ((size_t)snprintf(buf + n, size - n, "%c%02ld:%02ld",
			     off < 0 ? '-' : '+', labs(off) / 60,
			     labs(off) % 60) >= size - n)
		return -1;
	return 0;
}

void nst_fmt_args(char *buf, size_t size, const char *args, size_t len)
{
	size_t i, n;

	if (!size)
		return;
	/* The area ends in a NUL; the last argument needs no space after. */
	while (len && !args[len - 1])
		len--;
	n = len < size - 1 ? len : size - 1;
	for (i = 0; i < n; i++)
		buf[i] = args[i] ? args[i] : ' ';
	buf[n] = '\0';
}

int nst_parse_ns_arg(const char *s, uint32_t *inum, uint32_t *pid,
		     uint64_t *id)
{
	unsigned long long big;
	uint32_t v;
	size_t len;
	char *end;

	if (s[0] == ':') {
		if (!isdigit((unsigned char)s[1]))
			return -EINVAL;
		errno = 0;
		big = strtoull(s + 1, &end, 10);
		if (*end || errno == ERANGE || !big)
			return -EINVAL;
		*id = big;
		*inum = 0;
		*pid = 0;
		return 0;
	}
	if (!strncmp(s, "pid:[", 5)) {
		char num[16];

		len = strlen(s);
		if (len < 7 || len - 6 >= sizeof(num) || s[len - 1] != ']')
			return -EINVAL;
		memcpy(num, s + 5, len - 6);
		num[len - 6] = '\0';
		if (nst_parse_u32(num, NST_PID_MAX + 1, UINT32_MAX, &v))
			return -EINVAL;
		*inum = v;
		*pid = 0;
		*id = 0;
		return 0;
	}
	if (nst_parse_u32(s, 1, UINT32_MAX, &v))
		return -EINVAL;
	if (v > NST_PID_MAX) {
		*inum = v;
		*pid = 0;
	} else {
		*inum = 0;
		*pid = v;
	}
	*id = 0;
	return 0;
}

void nst_dot_escape(char *buf, size_t size, const char *s)
{
	size_t off = 0;

	if (!size)
		return;
	for (; *s && off + 2 < size; s++) {
		if (*s == '"' || *s == '\\')
			buf[off++] = '\\';
		buf[off++] = (unsigned char)*s < ' ' ? ' ' : *s;
	}
	buf[off] = '\0';
}

void nst_fmt_age(char *buf, size_t size, uint64_t ns)
{
	uint64_t s = ns / 1000000000ULL;

	if (!s)
		snprintf(buf, size, "%llums",
			 (unsigned long long)(ns / 1000000ULL));
	else if (s < 60)
		snprintf(buf, size, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%llum%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else
		snprintf(buf, size, "%lluh%02llum",
			 (unsigned long long)(s / 3600),
			 (unsigned long long)(s % 3600 / 60));
}
