/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the files of the nstree module. */
#ifndef _NSTREE_H
#define _NSTREE_H

#include <net/genetlink.h>
#include <uapi/linux/nstree.h>

#include "nstree_compat.h"

#ifndef NSTREE_VERSION
#error "NSTREE_VERSION must come from the Makefile"
#endif

extern struct genl_family nstree_genl_family;

int nstree_genl_init(void);
void nstree_genl_exit(void);

#endif /* _NSTREE_H */
