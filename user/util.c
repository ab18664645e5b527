// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>

#include "util.h"

int nst_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int nst_parse_pid(const char *s, uint32_t *pid)
{
	return nst_parse_u32(s, 1, NST_PID_MAX, pid);
}

const struct nst_nstype nst_nstypes[] = {
	{ CLONE_NEWNS, 'm', "mnt", "CLONE_NEWNS", "max_mnt_namespaces" },
	{ CLONE_NEWUTS, 'u', "uts", "CLONE_NEWUTS", "max_uts_namespaces" },
	{ CLONE_NEWIPC, 'i', "ipc", "CLONE_NEWIPC", "max_ipc_namespaces" },
	{ CLONE_NEWNET, 'n', "net", "CLONE_NEWNET", "max_net_namespaces" },
	{ CLONE_NEWPID, 'p', "pid", "CLONE_NEWPID", "max_pid_namespaces" },
	{ CLONE_NEWUSER, 'U', "user", "CLONE_NEWUSER", "max_user_namespaces" },
	{ CLONE_NEWCGROUP, 'C', "cgroup", "CLONE_NEWCGROUP", "max_cgroup_namespaces" },
	{ CLONE_NEWTIME, 'T', "time", "CLONE_NEWTIME", "max_time_namespaces" },
};
const size_t nst_nstypes_count = sizeof(nst_nstypes) / sizeof(nst_nstypes[0]);

const struct nst_nstype *nst_nstype_by_opt(int opt)
{
	size_t i;

	for (i = 0; i < nst_nstypes_count; i++)
		if (nst_nstypes[i].opt == opt)
			return &nst_nstypes[i];
	return NULL;
}

int nst_run_exit_code(int code, int status)
{
	switch (code) {
	case CLD_EXITED:
		return status & 0xff;
	case CLD_KILLED:
	case CLD_DUMPED:
		return 128 + status;
	default:
		return -1;
	}
}

int nst_should_forward(int sig, int code)
{
	return !(code == SI_KERNEL && (sig == SIGINT || sig == SIGQUIT));
}

int nst_exec_exit_code(int err)
{
	return err == ENOENT ? NST_RUN_NOT_FOUND : NST_RUN_CANNOT_EXEC;
}

int nst_format_idmap(char *buf, size_t size, uint32_t inside,
		     uint32_t outside, uint32_t count)
{
	int n = snprintf(buf, size, "%u %u %u\n", inside, outside, count);

	return n < 0 || (size_t)n >= size ? -ENOSPC : n;
}

int nst_check_hostname(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	return len >= 1 && len <= NST_HOSTNAME_MAX ? 0 : -EINVAL;
}

/* Append ", "-separated @field of every type in @flags to @buf. */
static void nst_list_types(uint64_t flags, int clone_names, char *buf,
			   size_t size)
{
	size_t i, len;

	for (i = 0; i < nst_nstypes_count; i++) {
		const struct nst_nstype *t = &nst_nstypes[i];

		if (!(flags & t->flag))
			continue;
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
			 clone_names ? t->clone : t->max);
	}
}

const char *nst_clone_hint(const struct nst_clone_facts *f, char *buf,
			   size_t size)
{
	char types[256] = "";

	switch (f->err) {
	case ENOSYS:
		snprintf(buf, size, "this kernel has no clone3() (Linux 5.3 or "
			 "later), or a seccomp filter blocks it");
		break;
	case EPERM:
		if ((f->flags & CLONE_NEWUSER) && !f->root &&
		    f->userns_sysctl == 0)
			snprintf(buf, size, "unprivileged user namespaces are "
				 "disabled (sysctl kernel.unprivileged_userns_clone is 0)");
		else if (f->flags & CLONE_NEWUSER)
			snprintf(buf, size, "the kernel refuses a user namespace "
				 "here (a chroot, or a security module)");
		else if (!f->root)
			snprintf(buf, size, "creating namespaces needs "
				 "CAP_SYS_ADMIN: run as root, or add --user");
		else
			snprintf(buf, size, "CAP_SYS_ADMIN is missing or a "
				 "security module refuses");
		break;
	case EINVAL:
		nst_list_types(f->absent & f->flags, 1, types, sizeof(types));
		if (types[0])
			snprintf(buf, size, "this kernel does not support %s",
				 types);
		else if (f->flags & CLONE_NEWTIME)
			snprintf(buf, size, "this kernel does not take "
				 "CLONE_NEWTIME through clone3() (Linux 5.8 or later)");
		else
			snprintf(buf, size, "the kernel refuses this "
				 "combination of namespaces");
		break;
	case ENOSPC:
	case EUSERS:
		nst_list_types(f->zero_max & f->flags, 0, types, sizeof(types));
		if (types[0])
			snprintf(buf, size, "too many namespaces: the limit is 0 "
				 "in /proc/sys/user/ for %s", types);
		else
			snprintf(buf, size, "too many namespaces: a limit in "
				 "/proc/sys/user/max_*_namespaces is reached, or "
				 "they are nested 32 deep");
		break;
	case EAGAIN:
		snprintf(buf, size, "too many processes (RLIMIT_NPROC or "
			 "kernel.threads-max)");
		break;
	default:
		snprintf(buf, size, "%s", "");
	}
	return buf;
}

/*
 * Written here rather than taken from a library: libsmartcols escapes its
 * own cells this way (util-linux's mbs_safe_encode) but exports nothing
 * for other output, and a locale's iswprint() would change the bytes a
 * root terminal receives with the reader's locale.
 */
size_t nst_utf8_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		n = 2;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		n = 3;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing above U+10FFFF. */
	if (u[0] == 0xe0)
		lo = 0xa0;
	else if (u[0] == 0xed)
		hi = 0x9f;
	else if (u[0] == 0xf0)
		lo = 0x90;
	else if (u[0] == 0xf4)
		hi = 0x8f;
	if (u[1] < lo || u[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (u[i] < 0x80 || u[i] > 0xbf)
			return 0;
	return n;
}

size_t nst_safe_char_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x20 || u[0] == 0x7f || u[0] == '\\')
		return 0;
	/* C1 controls, U+0080 to U+009F: some terminals obey them. */
	if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
		return 0;
	return nst_utf8_len(s);
}

int nst_utf8_valid(const char *s)
{
	size_t n;

	for (; *s && (n = nst_utf8_len(s)); s += n)
		;
	return !*s;
}

char *nst_utf8_fix(const char *s)
{
	const char *p;
	char *out, *q;
	size_t n;

	/* At worst every byte becomes four. */
	out = malloc(4 * strlen(s) + 1);
	if (!out)
		return NULL;
	for (p = s, q = out; *p; ) {
		n = nst_utf8_len(p);
		if (n) {
			memcpy(q, p, n);
			q += n;
			p += n;
		} else {
			q += sprintf(q, "\\x%02x", (unsigned char)*p++);
		}
	}
	*q = '\0';
	return out;
}

void nst_fputs_safe(FILE *f, const char *s)
{
	const char *run;
	size_t n;

	while (*s) {
		/* A run of safe characters in one write, not one each. */
		for (run = s; (n = nst_safe_char_len(s)); s += n)
			;
		if (s > run)
			fwrite(run, 1, s - run, f);
		if (*s)
			fprintf(f, "\\x%02x", (unsigned char)*s++);
	}
}
