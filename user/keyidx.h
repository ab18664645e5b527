/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Items found by a 32-bit key (a namespace's inode, a process's PID
 * namespace) in O(log n), in place of a scan of every item for each one:
 * an index sorted by key, items with the same key in their own order.
 * Pure, unit-tested on the host (user/tests/keyidx_test.c).
 */
#ifndef NSTREE_KEYIDX_H
#define NSTREE_KEYIDX_H

#include <stddef.h>
#include <stdint.h>

#include "nl.h"

/* No item: what the lookups return when there is none. */
#define NST_NO_ITEM SIZE_MAX

struct nst_keyidx {
	uint32_t key;
	size_t item;		/* the item's index in the caller's array */
};

/*
 * Sort the @n entries of @ix, filled by the caller with each item's key
 * and index, by key and then by index.
 */
void nst_keyidx_sort(struct nst_keyidx *ix, size_t n);

/*
 * The position in @ix (sorted) of the first entry at or after (@key,
 * @item): the first of @key's items when @item is 0. @n when there is
 * none.
 */
size_t nst_keyidx_find(const struct nst_keyidx *ix, size_t n, uint32_t key,
		       size_t item);

/* Does @ix (sorted) have an item with key @key? */
int nst_keyidx_has(const struct nst_keyidx *ix, size_t n, uint32_t key);

/*
 * For each of the @n namespaces @ns, the index in @ns of its parent
 * namespace's entry, the last with that inode before its own, or
 * NST_NO_ITEM when no earlier entry is its parent: in @parent (@n
 * entries). With @ns in level order, every namespace whose parent is
 * listed has it. Returns 0, or -ENOMEM.
 */
int nst_ns_parents(const struct nst_ns *ns, size_t n, size_t *parent);

#endif /* NSTREE_KEYIDX_H */
