/* SPDX-License-Identifier: GPL-2.0 */
/* Pure helpers of the nstree CLI: no I/O, unit-tested on the host. */
#ifndef NSTREE_UTIL_H
#define NSTREE_UTIL_H

#include <stdint.h>

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

#endif /* NSTREE_UTIL_H */
