// SPDX-License-Identifier: GPL-2.0
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idcache.h"

const char *nst_passwd_name(uint32_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return pw ? pw->pw_name : NULL;
}

const char *nst_group_name(uint32_t gid)
{
	struct group *gr = getgrgid(gid);

	return gr ? gr->gr_name : NULL;
}

static size_t slot_of(const struct nst_idcache *c, uint32_t id)
{
	size_t i = (id * 0x9e3779b1u) & (c->cap - 1);

	while (c->slots[i].name && c->slots[i].id != id)
		i = (i + 1) & (c->cap - 1);
	return i;
}

/* Double the table (64 slots at first); it stays at most half full. */
static int grow(struct nst_idcache *c)
{
	struct nst_idcache old = *c;
	size_t i;

	c->cap = old.cap ? 2 * old.cap : 64;
	c->slots = calloc(c->cap, sizeof(*c->slots));
	if (!c->slots) {
		*c = old;
		return -1;
	}
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].name)
			c->slots[slot_of(c, old.slots[i].id)] = old.slots[i];
	free(old.slots);
	return 0;
}

const char *nst_idcache_name(struct nst_idcache *c, uint32_t id)
{
	struct nst_idname *s;
	const char *name;
	char num[16];
	size_t i;

	if (c->cap) {
		i = slot_of(c, id);
		if (c->slots[i].name)
			return c->slots[i].name;
	}
	if (2 * (c->n + 1) > c->cap && grow(c))
		return NULL;
	name = c->lookup(id);
	if (!name) {
		snprintf(num, sizeof(num), "%u", id);
		name = num;
	}
	s = &c->slots[slot_of(c, id)];
	s->name = strdup(name);
	if (!s->name)
		return NULL;
	s->id = id;
	c->n++;
	return s->name;
}

void nst_idcache_free(struct nst_idcache *c)
{
	size_t i;

	for (i = 0; i < c->cap; i++)
		free(c->slots[i].name);
	free(c->slots);
	c->slots = NULL;
	c->cap = c->n = 0;
}
