/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User and group names by ID, each looked up once: a listing of 50,000
 * processes of a few users asks NSS a few times, not 50,000 (with the
 * files backend, each time an open and read of /etc/passwd; with LDAP or
 * systemd-userdb, a round trip). IDs without a name are remembered too,
 * as their number, as ps shows them.
 */
#ifndef NSTREE_IDCACHE_H
#define NSTREE_IDCACHE_H

#include <stddef.h>
#include <stdint.h>

struct nst_idname {
	uint32_t id;
	char *name;		/* NULL: a free slot */
};

struct nst_idcache {
	/* The name of @id, or NULL if it has none (the hook tests replace). */
	const char *(*lookup)(uint32_t id);
	struct nst_idname *slots;	/* open addressing; a power of 2 */
	size_t cap, n;
};

/* The lookups: getpwuid() and getgrgid(). */
const char *nst_passwd_name(uint32_t uid);
const char *nst_group_name(uint32_t gid);

#define NST_IDCACHE_USERS { .lookup = nst_passwd_name }
#define NST_IDCACHE_GROUPS { .lookup = nst_group_name }

/*
 * The name of @id: the lookup's answer the first time, remembered; its
 * number when it has no name. NULL only when memory runs out.
 */
const char *nst_idcache_name(struct nst_idcache *c, uint32_t id);

void nst_idcache_free(struct nst_idcache *c);

#endif /* NSTREE_IDCACHE_H */
