// SPDX-License-Identifier: GPL-2.0
/* Host-side unit tests of the CLI's pure helpers. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/sched.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "nl.h"
#include "table.h"
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

TEST(nstypes_table)
{
	static const char *const names[] = { "mnt", "uts", "ipc", "net",
					     "pid", "user", "cgroup", "time" };
	static const char opts[] = "muinpUCT";
	uint64_t seen = 0;
	char max[64];
	size_t i;

	ASSERT_EQ(sizeof(names) / sizeof(names[0]), nst_nstypes_count);
	for (i = 0; i < nst_nstypes_count; i++) {
		const struct nst_nstype *t = &nst_nstypes[i];

		EXPECT_STREQ(names[i], t->name);
		EXPECT_EQ(opts[i], t->opt);
		EXPECT_EQ(t, nst_nstype_by_opt(opts[i]));
		/* One bit each, no two alike, all CLONE_NEW* flags. */
		EXPECT_EQ(1, __builtin_popcountll(t->flag)) TH_LOG("%s", t->name);
		EXPECT_EQ(0, seen & t->flag) TH_LOG("%s", t->name);
		seen |= t->flag;
		EXPECT_EQ(0, strncmp("CLONE_NEW", t->clone, 9));
		snprintf(max, sizeof(max), "max_%s_namespaces", t->name);
		EXPECT_STREQ(max, t->max);
	}
	EXPECT_EQ(CLONE_NEWNS, nst_nstype_by_opt('m')->flag);
	EXPECT_STREQ("CLONE_NEWNS", nst_nstype_by_opt('m')->clone);
	EXPECT_STREQ("CLONE_NEWTIME", nst_nstype_by_opt('T')->clone);
	EXPECT_EQ(CLONE_NEWPID, nst_nstype_by_opt('p')->flag);
	EXPECT_EQ(CLONE_NEWUSER, nst_nstype_by_opt('U')->flag);
	EXPECT_EQ(NULL, nst_nstype_by_opt('r'));
	EXPECT_EQ(NULL, nst_nstype_by_opt('q'));
	EXPECT_EQ(NULL, nst_nstype_by_opt(0));
}

TEST(run_exit_code)
{
	EXPECT_EQ(0, nst_run_exit_code(CLD_EXITED, 0));
	EXPECT_EQ(7, nst_run_exit_code(CLD_EXITED, 7));
	EXPECT_EQ(255, nst_run_exit_code(CLD_EXITED, 255));
	EXPECT_EQ(137, nst_run_exit_code(CLD_KILLED, SIGKILL));
	EXPECT_EQ(143, nst_run_exit_code(CLD_KILLED, SIGTERM));
	EXPECT_EQ(131, nst_run_exit_code(CLD_DUMPED, SIGQUIT));
	EXPECT_EQ(-1, nst_run_exit_code(CLD_STOPPED, SIGSTOP));
	EXPECT_EQ(-1, nst_run_exit_code(CLD_CONTINUED, SIGCONT));
}

TEST(exec_exit_code)
{
	EXPECT_EQ(127, nst_exec_exit_code(ENOENT));
	EXPECT_EQ(126, nst_exec_exit_code(EACCES));
	EXPECT_EQ(126, nst_exec_exit_code(ENOEXEC));
	EXPECT_EQ(126, nst_exec_exit_code(EPERM));
}

TEST(should_forward)
{
	/* The terminal's keyboard signals already reached the command. */
	EXPECT_FALSE(nst_should_forward(SIGINT, SI_KERNEL));
	EXPECT_FALSE(nst_should_forward(SIGQUIT, SI_KERNEL));
	/* A hangup goes to the session leader only: pass it on. */
	EXPECT_TRUE(nst_should_forward(SIGHUP, SI_KERNEL));
	EXPECT_TRUE(nst_should_forward(SIGTERM, SI_KERNEL));
	EXPECT_TRUE(nst_should_forward(SIGINT, SI_USER));
	EXPECT_TRUE(nst_should_forward(SIGTERM, SI_USER));
	EXPECT_TRUE(nst_should_forward(SIGQUIT, SI_QUEUE));
}

TEST(format_idmap)
{
	char buf[32];

	EXPECT_EQ(9, nst_format_idmap(buf, sizeof(buf), 0, 1000, 1));
	EXPECT_STREQ("0 1000 1\n", buf);
	EXPECT_EQ(9, nst_format_idmap(buf, 10, 0, 1000, 1));
	EXPECT_EQ(24, nst_format_idmap(buf, sizeof(buf), 0, 4294967295U,
				       4294967295U));
	EXPECT_STREQ("0 4294967295 4294967295\n", buf);
	/* No line cut short: the kernel would take a truncated one. */
	EXPECT_EQ(-ENOSPC, nst_format_idmap(buf, 9, 0, 1000, 1));
	EXPECT_EQ(-ENOSPC, nst_format_idmap(buf, 1, 0, 0, 1));
}

TEST(check_hostname)
{
	char name[NST_HOSTNAME_MAX + 2];

	EXPECT_EQ(0, nst_check_hostname("a"));
	EXPECT_EQ(0, nst_check_hostname("inside"));
	EXPECT_EQ(-EINVAL, nst_check_hostname(""));
	EXPECT_EQ(-EINVAL, nst_check_hostname(NULL));
	memset(name, 'x', sizeof(name));
	name[NST_HOSTNAME_MAX] = '\0';
	EXPECT_EQ(0, nst_check_hostname(name));
	name[NST_HOSTNAME_MAX] = 'x';
	name[NST_HOSTNAME_MAX + 1] = '\0';
	EXPECT_EQ(-EINVAL, nst_check_hostname(name));
}

static const char *hint(int err, uint64_t flags, int root, int sysctl,
			uint64_t absent, uint64_t zero_max)
{
	static char buf[256];
	struct nst_clone_facts f = {
		.err = err, .flags = flags, .root = root,
		.userns_sysctl = sysctl, .absent = absent, .zero_max = zero_max,
	};

	memset(buf, '#', sizeof(buf));
	return nst_clone_hint(&f, buf, sizeof(buf));
}

TEST(clone_hint_eperm)
{
	/* The sysctl is named only when it is the cause. */
	EXPECT_NE(NULL, strstr(hint(EPERM, CLONE_NEWUSER | CLONE_NEWPID, 0, 0,
				    0, 0), "kernel.unprivileged_userns_clone is 0"));
	EXPECT_EQ(NULL, strstr(hint(EPERM, CLONE_NEWUSER, 0, 1, 0, 0),
			       "unprivileged_userns_clone"));
	EXPECT_EQ(NULL, strstr(hint(EPERM, CLONE_NEWUSER, 0, -1, 0, 0),
			       "unprivileged_userns_clone"));
	/* Root is not subject to that sysctl. */
	EXPECT_EQ(NULL, strstr(hint(EPERM, CLONE_NEWUSER, 1, 0, 0, 0),
			       "unprivileged_userns_clone"));
	EXPECT_NE(NULL, strstr(hint(EPERM, CLONE_NEWPID, 0, 1, 0, 0),
			       "CAP_SYS_ADMIN"));
	EXPECT_NE(NULL, strstr(hint(EPERM, CLONE_NEWPID, 0, 1, 0, 0),
			       "--user"));
	EXPECT_NE(NULL, strstr(hint(EPERM, CLONE_NEWNET, 1, 1, 0, 0),
			       "CAP_SYS_ADMIN"));
}

TEST(clone_hint_einval)
{
	const char *h;

	h = hint(EINVAL, CLONE_NEWTIME | CLONE_NEWPID, 1, 1, CLONE_NEWTIME, 0);
	EXPECT_STREQ("this kernel does not support CLONE_NEWTIME", h);
	h = hint(EINVAL, CLONE_NEWTIME | CLONE_NEWCGROUP, 1, 1,
		 CLONE_NEWTIME | CLONE_NEWCGROUP, 0);
	EXPECT_STREQ("this kernel does not support CLONE_NEWCGROUP, CLONE_NEWTIME", h);
	/* An absent type that was not asked for is not the cause. */
	h = hint(EINVAL, CLONE_NEWTIME, 1, 1, CLONE_NEWCGROUP, 0);
	EXPECT_NE(NULL, strstr(h, "CLONE_NEWTIME through clone3()"));
	EXPECT_EQ(NULL, strstr(h, "CGROUP"));
	h = hint(EINVAL, CLONE_NEWPID, 1, 1, 0, 0);
	EXPECT_EQ(NULL, strstr(h, "CLONE_NEWTIME"));
}

TEST(clone_hint_enospc_and_others)
{
	const char *h;

	h = hint(ENOSPC, CLONE_NEWIPC | CLONE_NEWNET, 1, 1, 0,
		 CLONE_NEWIPC | CLONE_NEWUTS);
	EXPECT_STREQ("too many namespaces: the limit is 0 in /proc/sys/user/ "
		     "for max_ipc_namespaces", h);
	h = hint(ENOSPC, CLONE_NEWPID, 1, 1, 0, 0);
	EXPECT_NE(NULL, strstr(h, "max_*_namespaces"));
	EXPECT_NE(NULL, strstr(h, "32"));
	EXPECT_NE(NULL, strstr(hint(ENOSYS, CLONE_NEWPID, 1, 1, 0, 0),
			       "clone3()"));
	EXPECT_NE(NULL, strstr(hint(EAGAIN, CLONE_NEWPID, 1, 1, 0, 0),
			       "RLIMIT_NPROC"));
	EXPECT_STREQ("", hint(ENOMEM, CLONE_NEWPID, 1, 1, 0, 0));
	/* Always terminated, even when cut. */
	{
		struct nst_clone_facts f = { .err = EPERM, .flags = CLONE_NEWPID };
		char small[8];

		nst_clone_hint(&f, small, sizeof(small));
		EXPECT_EQ(7, strlen(small));
	}
}

/* What nst_fputs_safe() or nst_json_string() writes for @in. */
static const char *encode(char *buf, size_t size, const char *in, int json)
{
	FILE *f = fmemopen(buf, size, "w");

	if (!f)
		return "(fmemopen failed)";
	if (json)
		nst_json_string(f, in);
	else
		nst_fputs_safe(f, in);
	fclose(f);
	return buf;
}

TEST(safe_text_escapes_what_drives_a_terminal)
{
	char buf[256];

	/* Plain ASCII and valid UTF-8 (é, €, U+1F600) pass as they are. */
	EXPECT_STREQ("sh -c x", encode(buf, sizeof(buf), "sh -c x", 0));
	EXPECT_STREQ("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		     encode(buf, sizeof(buf),
			    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0));
	/* ESC, BEL, DEL, a backslash, CSI as a C1 control (U+009B). */
	EXPECT_STREQ("\\x1b[31mred\\x07\\x7f\\x5cn\\xc2\\x9b2J",
		     encode(buf, sizeof(buf),
			    "\x1b[31mred\x07\x7f\\n\xc2\x9b" "2J", 0));
	/* Not UTF-8: a lone continuation byte, overlong '/', a surrogate,
	 * a truncated sequence, beyond U+10FFFF. */
	EXPECT_STREQ("\\x80 \\xc0\\xaf \\xed\\xa0\\x80 \\xe2\\x82 \\xf4\\x90\\x80\\x80",
		     encode(buf, sizeof(buf),
			    "\x80 \xc0\xaf \xed\xa0\x80 \xe2\x82 \xf4\x90\x80\x80", 0));
}

TEST(json_strings_stay_valid_utf8)
{
	char buf[256];

	EXPECT_STREQ("\"a\\\"b\\\\c\\u001b\\u007f\\u009b\xc3\xa9\\\\xff\"",
		     encode(buf, sizeof(buf),
			    "a\"b\\c\x1b\x7f\xc2\x9b\xc3\xa9\xff", 1));
}

TEST(utf8_fix_escapes_only_what_is_not_utf8)
{
	/* Controls, DEL, a backslash and C1 controls are valid UTF-8. */
	static const char ok[] = "a\x1b\x7f\\\xc2\x9b\xc3\xa9\xf0\x9f\x98\x80";
	char *s;

	EXPECT_TRUE(nst_utf8_valid(""));
	EXPECT_TRUE(nst_utf8_valid(ok));
	EXPECT_FALSE(nst_utf8_valid("a\xff"));
	EXPECT_FALSE(nst_utf8_valid("\xe2\x82"));
	EXPECT_FALSE(nst_utf8_valid("\xed\xa0\x80"));
	s = nst_utf8_fix(ok);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ(ok, s);
	free(s);
	s = nst_utf8_fix("\xff\x80 \xc0\xaf \xe2\x82\xac\xe2\x82");
	ASSERT_NE(NULL, s);
	EXPECT_STREQ("\\xff\\x80 \\xc0\\xaf \xe2\x82\xac\\xe2\\x82", s);
	EXPECT_TRUE(nst_utf8_valid(s));
	free(s);
}

TEST_HARNESS_MAIN
