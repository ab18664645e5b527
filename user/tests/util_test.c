// SPDX-License-Identifier: GPL-2.0
/* Host-side unit tests of the CLI's pure helpers. */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "nl.h"
#include "util.h"

TEST(parse_pid_accepts)
{
	uint32_t pid = 0;

	EXPECT_EQ(0, nst_parse_pid("1", &pid));
	EXPECT_EQ(1, pid);
	EXPECT_EQ(0, nst_parse_pid("4194304", &pid));
	EXPECT_EQ(4194304, pid);
	EXPECT_EQ(0, nst_parse_pid("007", &pid));
	EXPECT_EQ(7, pid);
}

TEST(parse_pid_refuses)
{
	const char *bad[] = { "", "abc", "-1", "+1", " 1", "1 ", "1x", "0x10",
			      "1.5" };
	uint32_t pid = 42;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *s = bad[i];

		EXPECT_EQ(-EINVAL, nst_parse_pid(s, &pid)) TH_LOG("'%s'", s);
	}
	EXPECT_EQ(-ERANGE, nst_parse_pid("0", &pid));
	EXPECT_EQ(-ERANGE, nst_parse_pid("4194305", &pid));
	EXPECT_EQ(-ERANGE, nst_parse_pid("99999999999999999999999", &pid));
	EXPECT_EQ(42, pid);
	EXPECT_EQ(-EINVAL, nst_parse_pid(NULL, &pid));
}

/* An NLMSG_ERROR message as the kernel builds it, with extack TLVs. */
static size_t build_err(char *buf, size_t size, int capped, const char *text,
			int truncate_tlv)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *e;
	struct nlattr *a;
	size_t off, payload = capped ? 0 : 8;

	memset(buf, 0, size);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	e = NLMSG_DATA(nlh);
	e->error = -EINVAL;
	e->msg.nlmsg_len = sizeof(e->msg) + payload;
	off = NLMSG_HDRLEN + sizeof(*e) + payload;
	/* An offset attribute first, so the message is not the first TLV. */
	a = (struct nlattr *)(buf + off);
	a->nla_type = NLMSGERR_ATTR_OFFS;
	a->nla_len = NLA_HDRLEN + 4;
	off += NLA_ALIGN(a->nla_len);
	a = (struct nlattr *)(buf + off);
	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = NLA_HDRLEN + strlen(text) + 1;
	strcpy((char *)a + NLA_HDRLEN, text);
	off += NLA_ALIGN(a->nla_len);
	nlh->nlmsg_len = off - (truncate_tlv ? 4 : 0);
	return off;
}

TEST(extack_capped_and_full)
{
	char buf[256], msg[64];
	size_t len;

	len = build_err(buf, sizeof(buf), 1, "Unknown attribute type", 0);
	ASSERT_EQ(1, nst_extack_msg((struct nlmsghdr *)buf, len, msg,
				    sizeof(msg)));
	EXPECT_STREQ("Unknown attribute type", msg);

	len = build_err(buf, sizeof(buf), 0, "PID out of range", 0);
	ASSERT_EQ(1, nst_extack_msg((struct nlmsghdr *)buf, len, msg,
				    sizeof(msg)));
	EXPECT_STREQ("PID out of range", msg);
}

TEST(extack_absent_or_broken)
{
	struct nlmsghdr *nlh;
	char buf[256], msg[64] = "";
	size_t len;

	len = build_err(buf, sizeof(buf), 1, "x", 0);
	nlh = (struct nlmsghdr *)buf;
	nlh->nlmsg_flags &= ~NLM_F_ACK_TLVS;
	EXPECT_EQ(0, nst_extack_msg(nlh, len, msg, sizeof(msg)));

	/* A TLV running past the message end is ignored, not read. */
	len = build_err(buf, sizeof(buf), 1, "truncated", 1);
	EXPECT_EQ(0, nst_extack_msg(nlh, len, msg, sizeof(msg)));

	/* A buffer shorter than the header claims. */
	len = build_err(buf, sizeof(buf), 1, "short", 0);
	EXPECT_EQ(0, nst_extack_msg(nlh, len - 8, msg, sizeof(msg)));

	/* A long message is cut to the buffer, still terminated. */
	len = build_err(buf, sizeof(buf), 1, "0123456789abcdef", 0);
	EXPECT_EQ(1, nst_extack_msg(nlh, len, msg, 8));
	EXPECT_STREQ("0123456", msg);
}

/* NLMSG_DONE: an int status, then extack TLVs when the dump failed. */
TEST(done_status)
{
	char buf[128], msg[64] = "";
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *a;
	int err = -ENOENT;

	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(int);
	EXPECT_EQ(0, nst_done_status(nlh, sizeof(buf), msg, sizeof(msg)));

	memcpy(NLMSG_DATA(nlh), &err, sizeof(err));
	EXPECT_EQ(-ENOENT, nst_done_status(nlh, sizeof(buf), msg, sizeof(msg)));
	EXPECT_STREQ("", msg);

	nlh->nlmsg_flags = NLM_F_ACK_TLVS;
	a = (struct nlattr *)(buf + NLMSG_HDRLEN + 4);
	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = NLA_HDRLEN + sizeof("no such process");
	strcpy((char *)a + NLA_HDRLEN, "no such process");
	nlh->nlmsg_len = NLMSG_HDRLEN + 4 + NLA_ALIGN(a->nla_len);
	EXPECT_EQ(-ENOENT, nst_done_status(nlh, sizeof(buf), msg, sizeof(msg)));
	EXPECT_STREQ("no such process", msg);

	/* A truncated message is not read past its end. */
	EXPECT_EQ(0, nst_done_status(nlh, NLMSG_HDRLEN + 2, msg, sizeof(msg)));
}

TEST_HARNESS_MAIN
