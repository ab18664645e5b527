/* SPDX-License-Identifier: GPL-2.0 */
/* Pure helpers of the nstree CLI: no I/O, unit-tested on the host. */
#ifndef NSTREE_UTIL_H
#define NSTREE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The kernel's PID_MAX_LIMIT on 64-bit: no PID is ever larger. */
#define NST_PID_MAX 4194304U

/*
 * Parse a whole string as a decimal number in [min, max]. Signs, spaces,
 * other bases and trailing characters are refused.
 * Returns 0, or -EINVAL (not a number) or -ERANGE (outside [min, max]).
 */
int nst_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/* A PID as the user types it: 1 to NST_PID_MAX. */
int nst_parse_pid(const char *s, uint32_t *pid);

/*
 * The namespace types `nstree run` can create: the CLONE_NEW* flag, the
 * name of its /proc/PID/ns entry, and its limit in /proc/sys/user/.
 */
struct nst_nstype {
	uint64_t flag;
	int opt;		/* its short option in `nstree run` */
	const char *name;	/* /proc/PID/ns/<name> */
	const char *clone;	/* the flag's name */
	const char *max;	/* /proc/sys/user/<max> */
};
extern const struct nst_nstype nst_nstypes[];
extern const size_t nst_nstypes_count;

/* The type `nstree run` option -@opt asks for, or NULL. */
const struct nst_nstype *nst_nstype_by_opt(int opt);

/*
 * Exit code of `nstree run` for a child that ended as waitid() reports it
 * (@code, @status): its exit status, or 128 + the signal that killed
 * it. -1 for a code that is no termination (stopped, continued).
 */
int nst_run_exit_code(int code, int status);

/*
 * Whether `nstree run` (or its init) passes signal @sig, received with
 * si_code @code, on to the command. A terminal sends SIGINT and SIGQUIT
 * (SI_KERNEL) to its whole foreground process group, the command included:
 * passing them on would deliver them twice.
 */
int nst_should_forward(int sig, int code);

/* Exit codes of `nstree run` when it cannot run the command itself. */
enum {
	NST_RUN_CANNOT_START = 125,	/* the namespaces or their setup failed */
	NST_RUN_CANNOT_EXEC = 126,	/* the command exists but cannot run */
	NST_RUN_NOT_FOUND = 127,	/* the command was not found */
};

/* The exit code for execve() failing with @err (positive errno). */
int nst_exec_exit_code(int err);

/*
 * One line of /proc/PID/uid_map or gid_map: "@inside @outside @count\n".
 * Returns its length, or -ENOSPC when @size is too small.
 */
int nst_format_idmap(char *buf, size_t size, uint32_t inside,
		     uint32_t outside, uint32_t count);

/* The longest hostname the kernel takes (__NEW_UTS_LEN). */
#define NST_HOSTNAME_MAX 64

/* A hostname sethostname() takes: 1 to NST_HOSTNAME_MAX bytes. 0 or -EINVAL. */
int nst_check_hostname(const char *name);

/* What is known about a failed clone3() when explaining it. */
struct nst_clone_facts {
	int err;		/* positive errno */
	uint64_t flags;		/* the CLONE_NEW* flags asked for */
	int root;		/* the caller's effective UID is 0 */
	int userns_sysctl;	/* kernel.unprivileged_userns_clone, -1: absent */
	uint64_t absent;	/* asked-for types with no /proc/self/ns entry */
	uint64_t zero_max;	/* asked-for types whose user.max_* is 0 */
};

/*
 * Why clone3() failed, in words, for one line after "cannot create the
 * namespaces: <strerror>: ". Writes @buf (always terminated); returns it.
 */
const char *nst_clone_hint(const struct nst_clone_facts *f, char *buf,
			   size_t size);

/*
 * Length of the valid UTF-8 character at @s (1 to 4 bytes; any ASCII byte
 * is 1), or 0 if the byte there starts no valid UTF-8 sequence.
 */
size_t nst_utf8_len(const char *s);

/* Is @s valid UTF-8 throughout? */
int nst_utf8_valid(const char *s);

/*
 * @s as valid UTF-8, in a malloc'd string (NULL: ENOMEM): every byte that
 * starts no valid sequence becomes the text \xHH, as nst_json_string()
 * writes it.
 */
char *nst_utf8_fix(const char *s);

/*
 * Length of the valid, printable UTF-8 character at @s (1 to 4 bytes), or
 * 0 if the byte there must be escaped: a C0 or C1 control, DEL, a
 * backslash, or a byte that starts no valid UTF-8 sequence.
 */
size_t nst_safe_char_len(const char *s);

/*
 * Write @s for a terminal: what nst_safe_char_len() refuses goes out as
 * \xHH, as libsmartcols writes table cells, so no process name or file
 * name can drive the reader's terminal.
 */
void nst_fputs_safe(FILE *f, const char *s);

#endif /* NSTREE_UTIL_H */
