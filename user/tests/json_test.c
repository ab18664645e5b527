// SPDX-License-Identifier: GPL-2.0
/*
 * The selftests' JSON reader against Python's json module: texts both
 * must read alike, texts Python must refuse, a misreading by json.c that
 * the check must catch, and a missing python3 reported as a skip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "json.h"

/* Python's canonical form of @text, or NULL; skips without python3. */
#define PY_CANON(text, out) do { \
	char why_[256]; \
	int rc_ = json_python_canon(text, out, why_, sizeof(why_)); \
	if (rc_ > 0) \
		SKIP(return, "no python3 on PATH"); \
	ASSERT_EQ(0, rc_) TH_LOG("%s", why_); \
} while (0)

/* json.c's canonical form of @text, or NULL. */
static char *c_canon(const char *text, char *why, size_t size)
{
	struct json *j = json_parse_only(text, why, size);
	char *out = NULL;

	if (j && json_canon(j, &out, why, size))
		out = NULL;
	json_free(j);
	return out;
}

TEST(both_read_a_hard_text_alike)
{
	static const char text[] =
		" {\"zeta\": [1, -1, 0, -0, 18446744073709551615,\n"
		"   18446744073709551616, -9223372036854775809,\n"
		"   123456789012345678901234567890],\n"
		"  \"alpha\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\",\n"
		"  \"\xc3\xa9t\xc3\xa9\": \"\xe2\x82\xac \xf0\x9f\x98\x80 \\ud83d\\ude00 \\u00E9\",\n"
		"  \"B\": {\"y\": true, \"x\": false, \"\": null},\n"
		"  \"empty\": [{}, [], \"\"],\n"
		"  \"deep\": [[[[[[[[[[\"down\"]]]]]]]]]]}\n";
	static const char expect[] =
		"{\"B\":{\"\":null,\"x\":false,\"y\":true},"
		"\"alpha\":\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\","
		"\"deep\":[[[[[[[[[[\"down\"]]]]]]]]]],"
		"\"empty\":[{},[],\"\"],"
		"\"zeta\":[1,-1,0,0,18446744073709551615,18446744073709551616,"
		"-9223372036854775809,123456789012345678901234567890],"
		"\"\\u00e9t\\u00e9\":\"\\u20ac \\ud83d\\ude00 \\ud83d\\ude00 \\u00e9\"}";
	char why[256], *ours, *theirs;
	struct json *j;

	PY_CANON(text, &theirs);
	EXPECT_STREQ(expect, theirs);
	ours = c_canon(text, why, sizeof(why));
	ASSERT_NE(NULL, ours) TH_LOG("%s", why);
	EXPECT_STREQ(expect, ours);
	j = json_parse(text, why, sizeof(why));
	EXPECT_NE(NULL, j) TH_LOG("%s", why);
	EXPECT_TRUE(json_is_uint(json_at(json_get(j, "zeta"), 4),
				 18446744073709551615ULL));
	json_free(j);
	free(ours);
	free(theirs);
}

/* Numbers that are not integers: as Python's repr() of the double. */
TEST(both_write_doubles_alike)
{
	static const char text[] =
		"[0.0, -0.0, 1.5, 0.1, 0.30000000000000004, 123.456, 1e15,"
		" 1e16, 1E16, 12345678901234567.0, 1.0e2, 100E-2, 0.0001,"
		" 0.00001, 1.5e-5, 2.5e-300, 5e-324, 1.7976931348623157e308,"
		" 9007199254740993.0, 1e22, 1e-7, -123.0e-10, 4.35, 2e0]";
	static const char expect[] =
		"[0.0,-0.0,1.5,0.1,0.30000000000000004,123.456,"
		"1000000000000000.0,1e+16,1e+16,1.2345678901234568e+16,100.0,"
		"1.0,0.0001,1e-05,1.5e-05,2.5e-300,5e-324,"
		"1.7976931348623157e+308,9007199254740992.0,1e+22,1e-07,"
		"-1.23e-08,4.35,2.0]";
	char why[256], *ours, *theirs;

	PY_CANON(text, &theirs);
	EXPECT_STREQ(expect, theirs);
	ours = c_canon(text, why, sizeof(why));
	ASSERT_NE(NULL, ours) TH_LOG("%s", why);
	EXPECT_STREQ(expect, ours);
	free(ours);
	free(theirs);
}

/* Texts Python's json, as json_check() runs it, must refuse. */
TEST(python_refuses_what_is_not_json)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "{\"a\": 1, \"a\": 2}", "duplicate member name" },
		{ "{\"a\": {\"b\": 1, \"b\": 1}}", "duplicate member name" },
		{ "[\"\\ud800\"]", "surrogates not allowed" },
		{ "[\"\\udc00x\"]", "surrogates not allowed" },
		{ "[\"\xff\"]", "can't decode byte 0xff" },
		{ "[\"\xc0\xaf\"]", "can't decode byte 0xc0" },
		{ "[\"\xed\xa0\x80\"]", "can't decode byte 0xed" },
		{ "[NaN]", "NaN is not JSON" },
		{ "[-Infinity]", "-Infinity is not JSON" },
		{ "[1e400]", "Out of range float values" },
		{ "[\"a\tb\"]", "Invalid control character" },
		{ "[1,]", "Expecting value" },
		{ "[1] [2]", "Extra data" },
	};
	char why[256], *out;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = json_python_canon(bad[i].text, &out, why, sizeof(why));
		if (rc > 0)
			SKIP(return, "no python3 on PATH");
		EXPECT_EQ(-1, rc) TH_LOG("python3 accepted %s", bad[i].text);
		EXPECT_NE(NULL, strstr(why, bad[i].why))
			TH_LOG("%s: %s", bad[i].text, why);
		EXPECT_EQ(NULL, out);
	}
}

/*
 * Raw bytes that are not UTF-8 in a string: json.c takes them as they
 * are, Python's json does not, and json_parse() with them.
 */
TEST(json_parse_fails_where_only_json_c_accepts)
{
	static const char *const texts[] = {
		"{\"comm\": \"a\xff\"}",
		"{\"comm\": \"\xed\xa0\x80\"}",
		"{\"a\xc3\": 1}",
	};
	char why[256];
	struct json *j;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		j = json_parse_only(texts[i], why, sizeof(why));
		EXPECT_NE(NULL, j) TH_LOG("json.c: %s", why);
		json_free(j);
		j = json_parse(texts[i], why, sizeof(why));
		EXPECT_EQ(NULL, j) TH_LOG("json_parse accepted text %zu", i);
		json_free(j);
		if (strstr(why, "SKIP"))
			continue;
		EXPECT_NE(NULL, strstr(why, "Python's json: python3 refuses it"))
			TH_LOG("%s", why);
	}
}

/*
 * json.c misreading a text the way a buggy reader would (a u64 through a
 * double, a dropped escape, a lost member): json_check() must say so.
 */
TEST(a_misreading_is_caught)
{
	static const char text[] =
		"{\"pid\": 18446744073709551615, \"comm\": \"a\\nb\","
		" \"nspid\": [1, 2]}";
	char why[256];
	struct json *j, *c;
	int rc;

	j = json_parse_only(text, why, sizeof(why));
	ASSERT_NE(NULL, j) TH_LOG("%s", why);
	rc = json_check(text, j, why, sizeof(why));
	if (rc > 0)
		SKIP(return, "no python3 on PATH");
	ASSERT_EQ(0, rc) TH_LOG("%s", why);

	c = (struct json *)json_get(j, "pid");
	free(c->str);
	c->str = strdup("18446744073709551616");
	EXPECT_EQ(-1, json_check(text, j, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "read it differently: at offset 54 of "
			       "the canonical form, json.c has '6}', "
			       "Python '5}'")) TH_LOG("%s", why);
	strcpy(c->str, "18446744073709551615");
	EXPECT_EQ(0, json_check(text, j, why, sizeof(why))) TH_LOG("%s", why);

	c = (struct json *)json_get(j, "comm");
	strcpy(c->str, "anb");
	EXPECT_EQ(-1, json_check(text, j, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "read it differently")) TH_LOG("%s", why);
	strcpy(c->str, "a\nb");

	c = (struct json *)json_get(j, "nspid");
	c->child->next->type = JSON_NULL;
	EXPECT_EQ(-1, json_check(text, j, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "read it differently")) TH_LOG("%s", why);
	json_free(j);
}

/* No python3: a "# SKIP" line says json.c's reading stood alone. */
TEST(no_python3_is_a_skip)
{
	static const char text[] = "{\"a\": [1, 2]}";
	char why[256], line[512] = "";
	int pfd[2], saved;
	struct json *j;
	ssize_t n;

	ASSERT_EQ(0, setenv("PATH", "/nonexistent", 1));
	ASSERT_EQ(0, pipe(pfd));
	fflush(stdout);
	saved = dup(1);
	ASSERT_LE(0, saved);
	dup2(pfd[1], 1);
	j = json_parse(text, why, sizeof(why));
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(pfd[1]);
	n = read(pfd[0], line, sizeof(line) - 1);
	close(pfd[0]);
	EXPECT_NE(NULL, j) TH_LOG("%s", why);
	json_free(j);
	ASSERT_LT(0, n);
	EXPECT_EQ(0, strncmp(line, "# SKIP the independent JSON check", 33))
		TH_LOG("printed: %s", line);
}

TEST_HARNESS_MAIN
