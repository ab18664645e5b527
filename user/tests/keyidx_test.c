// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of the key index (user/keyidx.c) and of the
 * namespace linking of `nstree ns` built on it: the same parents as a scan
 * of every earlier namespace finds, in any order the dump gives them.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "keyidx.h"

/* What `nstree ns` did before the index: the last earlier match wins. */
static size_t scan_parent(const struct nst_ns *ns, size_t i)
{
	size_t j, found = NST_NO_ITEM;

	for (j = 0; j < i; j++)
		if (ns[j].inum == ns[i].parent)
			found = j;
	return found;
}

static struct nst_ns mk_ns(uint32_t inum, uint32_t level, uint32_t parent)
{
	struct nst_ns ns = { .inum = inum, .level = level, .parent = parent };

	return ns;
}

TEST(find_gives_a_keys_items_in_order)
{
	static const uint32_t keys[] = { 7, 3, 7, 1, 3, 7, 9 };
	struct nst_keyidx ix[7];
	size_t i, at, n = 7;

	for (i = 0; i < n; i++) {
		ix[i].key = keys[i];
		ix[i].item = i;
	}
	nst_keyidx_sort(ix, n);
	for (i = 1; i < n; i++)
		ASSERT_TRUE(ix[i - 1].key < ix[i].key ||
			    (ix[i - 1].key == ix[i].key &&
			     ix[i - 1].item < ix[i].item));
	at = nst_keyidx_find(ix, n, 7, 0);
	ASSERT_LT(at + 2, n);
	EXPECT_EQ(0, ix[at].item);
	EXPECT_EQ(2, ix[at + 1].item);
	EXPECT_EQ(5, ix[at + 2].item);
	/* From an item on: the first of the key's items at or after it. */
	EXPECT_EQ(2, ix[nst_keyidx_find(ix, n, 7, 1)].item);
	EXPECT_EQ(5, ix[nst_keyidx_find(ix, n, 7, 5)].item);
	EXPECT_NE(7, ix[nst_keyidx_find(ix, n, 7, 6)].key);
	EXPECT_EQ(n, nst_keyidx_find(ix, n, 10, 0));
	EXPECT_EQ(0, nst_keyidx_find(ix, n, 0, 0));
	EXPECT_TRUE(nst_keyidx_has(ix, n, 1));
	EXPECT_TRUE(nst_keyidx_has(ix, n, 9));
	EXPECT_FALSE(nst_keyidx_has(ix, n, 0));
	EXPECT_FALSE(nst_keyidx_has(ix, n, 5));
	EXPECT_FALSE(nst_keyidx_has(ix, n, 10));
	EXPECT_FALSE(nst_keyidx_has(ix, 0, 7));
	EXPECT_EQ(0, nst_keyidx_find(ix, 0, 7, 0));
}

/*
 * In level order, as `nstree ns` sorts them, but each parent far from its
 * children, the inodes in no order: every child finds its parent; a
 * namespace whose parent is unlisted, or listed only after it, has none.
 */
TEST(parents_given_out_of_order)
{
	struct nst_ns ns[] = {
		mk_ns(900, 0, 0),	/* the caller's own */
		mk_ns(500, 1, 900),
		mk_ns(950, 1, 900),
		mk_ns(100, 1, 900),
		mk_ns(300, 2, 100),
		mk_ns(700, 2, 950),
		mk_ns(200, 2, 500),
		mk_ns(800, 3, 200),
		mk_ns(400, 3, 300),
		mk_ns(600, 3, 12345),	/* its parent is not listed */
		mk_ns(650, 3, 666),	/* listed only after it */
		mk_ns(666, 4, 800),
	};
	static const size_t want[] = {
		NST_NO_ITEM, 0, 0, 0, 3, 2, 1, 6, 4, NST_NO_ITEM, NST_NO_ITEM, 7,
	};
	size_t parent[sizeof(want) / sizeof(want[0])], i;

	ASSERT_EQ(sizeof(ns) / sizeof(ns[0]), sizeof(want) / sizeof(want[0]));
	ASSERT_EQ(0, nst_ns_parents(ns, sizeof(ns) / sizeof(ns[0]), parent));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint32_t inum = ns[i].inum;

		EXPECT_EQ(want[i], parent[i]) TH_LOG("namespace %u", inum);
	}
	ASSERT_EQ(0, nst_ns_parents(ns, 0, parent));
}

/*
 * Inodes drawn from a small range, so many are listed twice (as a dump
 * that raced a namespace's end and a new one's start could list them),
 * parents anywhere, a namespace its own parent: the index finds what the
 * scan of every earlier namespace found, for each of them.
 */
TEST(parents_as_the_scan_found_them)
{
	size_t n = 3000, i, *parent;
	struct nst_ns *ns;
	int round;

	ns = calloc(n, sizeof(*ns));
	parent = calloc(n, sizeof(*parent));
	ASSERT_NE(NULL, ns);
	ASSERT_NE(NULL, parent);
	srandom(14);
	for (round = 0; round < 4; round++) {
		uint32_t range = round == 0 ? 50 : round == 1 ? 1000 : 100000;

		for (i = 0; i < n; i++) {
			ns[i].inum = random() % range;
			ns[i].parent = round == 3 && i % 5 == 0 ? ns[i].inum :
				       (uint32_t)(random() % range);
			ns[i].level = i / 100;
		}
		ASSERT_EQ(0, nst_ns_parents(ns, n, parent));
		for (i = 0; i < n; i++)
			ASSERT_EQ(scan_parent(ns, i), parent[i])
				TH_LOG("round %d, namespace %zu", round, i);
	}
	free(parent);
	free(ns);
}

TEST_HARNESS_MAIN
