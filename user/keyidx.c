// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>

#include "keyidx.h"

static int cmp_keyidx(const void *a, const void *b)
{
	const struct nst_keyidx *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->item < y->item ? -1 : x->item > y->item;
}

void nst_keyidx_sort(struct nst_keyidx *ix, size_t n)
{
	if (n)
		qsort(ix, n, sizeof(*ix), cmp_keyidx);
}

size_t nst_keyidx_find(const struct nst_keyidx *ix, size_t n, uint32_t key,
		       size_t item)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix[mid].key < key ||
		    (ix[mid].key == key && ix[mid].item < item))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int nst_keyidx_has(const struct nst_keyidx *ix, size_t n, uint32_t key)
{
	size_t at = nst_keyidx_find(ix, n, key, 0);

	return at < n && ix[at].key == key;
}

int nst_ns_parents(const struct nst_ns *ns, size_t n, size_t *parent)
{
	struct nst_keyidx *ix = malloc((n + 1) * sizeof(*ix));
	size_t i, at;

	if (!ix)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		ix[i].key = ns[i].inum;
		ix[i].item = i;
	}
	nst_keyidx_sort(ix, n);
	for (i = 0; i < n; i++) {
		/* Just before (parent, i): the last entry of it before i. */
		at = nst_keyidx_find(ix, n, ns[i].parent, i);
		parent[i] = at && ix[at - 1].key == ns[i].parent ?
			    ix[at - 1].item : NST_NO_ITEM;
	}
	free(ix);
	return 0;
}
