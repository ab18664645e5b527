// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of the user and group name cache: with a counting
 * lookup, every distinct ID is asked for once, names or not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "idcache.h"

#define MAX_ID 70000

static unsigned int calls[MAX_ID];

/* Even IDs are "u<ID>", odd ones have no name: as unmapped UIDs. */
static const char *counting_lookup(uint32_t id)
{
	static char name[32];

	if (id < MAX_ID)
		calls[id]++;
	if (id % 2)
		return NULL;
	snprintf(name, sizeof(name), "u%u", id);
	return name;
}

/* 50,000 rows of 8 users, interleaved as rows in PID order are. */
TEST(a_lookup_per_distinct_id)
{
	static const uint32_t users[8] = { 0, 1, 100, 1000, 1001, 1003,
					   65534, 4242 };
	struct nst_idcache c = { .lookup = counting_lookup };
	char want[32];
	size_t row, i, total = 0;

	memset(calls, 0, sizeof(calls));
	for (row = 0; row < 50000; row++) {
		uint32_t id = users[row * 7 % 8];
		const char *name = nst_idcache_name(&c, id);

		ASSERT_NE(NULL, name);
		snprintf(want, sizeof(want), id % 2 ? "%u" : "u%u", id);
		ASSERT_STREQ(want, name);
	}
	for (i = 0; i < 8; i++)
		EXPECT_EQ(1, calls[users[i]]) TH_LOG("id %u", users[i]);
	for (i = 0; i < MAX_ID; i++)
		total += calls[i];
	EXPECT_EQ(8, total);
	nst_idcache_free(&c);
}

/* Thousands of container UIDs, most with no name: the table grows. */
TEST(many_ids_and_no_names)
{
	struct nst_idcache c = { .lookup = counting_lookup };
	char want[32];
	uint32_t id;
	int round;

	memset(calls, 0, sizeof(calls));
	for (round = 0; round < 3; round++)
		for (id = 0; id < MAX_ID; id += 7) {
			const char *name = nst_idcache_name(&c, id);

			ASSERT_NE(NULL, name);
			snprintf(want, sizeof(want), id % 2 ? "%u" : "u%u", id);
			ASSERT_STREQ(want, name);
		}
	for (id = 0; id < MAX_ID; id++)
		ASSERT_EQ(id % 7 ? 0 : 1, calls[id]) TH_LOG("id %u", id);
	EXPECT_EQ((MAX_ID + 6) / 7, c.n);
	EXPECT_GE(c.cap, 2 * c.n);
	nst_idcache_free(&c);
	EXPECT_EQ(0, c.cap);
	/* Usable again after being freed. */
	EXPECT_STREQ("u2", nst_idcache_name(&c, 2));
	nst_idcache_free(&c);
}

/* The real lookups: root is user and group 0 on any Debian system. */
TEST(passwd_and_group)
{
	struct nst_idcache users = NST_IDCACHE_USERS;
	struct nst_idcache groups = NST_IDCACHE_GROUPS;

	EXPECT_STREQ("root", nst_idcache_name(&users, 0));
	EXPECT_STREQ("root", nst_idcache_name(&groups, 0));
	/* No name: the number, as ps shows it. */
	EXPECT_STREQ("4123456789", nst_idcache_name(&users, 4123456789u));
	EXPECT_STREQ("4123456789", nst_idcache_name(&groups, 4123456789u));
	nst_idcache_free(&users);
	nst_idcache_free(&groups);
}

TEST_HARNESS_MAIN
