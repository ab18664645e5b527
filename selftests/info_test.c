// SPDX-License-Identifier: GPL-2.0
/*
 * GET_INFO, the family's reachability, and the rejection of malformed
 * requests. Runs in the guest with the module loaded.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib.h"

static unsigned int ns_inum(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (unsigned int)st.st_ino;
}

FIXTURE(info) {
	struct nst_conn conn;
};

FIXTURE_SETUP(info)
{
	int err = nst_open(&self->conn);

	ASSERT_EQ(0, err) TH_LOG("nst_open: %s (module not loaded?)",
				 strerror(-err));
}

FIXTURE_TEARDOWN(info)
{
	nst_close(&self->conn);
}

/* The family resolves by name and answers with this kernel's facts. */
TEST_F(info, host_view)
{
	struct nst_info info;
	struct utsname u;

	ASSERT_LT(0, self->conn.family);
	ASSERT_EQ(0, nst_get_info(&self->conn, 0, &info));
	ASSERT_EQ(0, uname(&u));
	EXPECT_STREQ(u.release, info.release);
	EXPECT_STREQ(NSTREE_VERSION, info.module_version);
	EXPECT_EQ(NSTREE_FAMILY_VERSION, info.family_version);
	EXPECT_EQ(0, info.level);
	EXPECT_EQ(ns_inum("/proc/self/ns/pid"), info.inum);
}

static int info_in_child(void *buf, size_t len)
{
	struct nst_info *info = buf;
	struct nst_conn c;
	int err;

	(void)len;
	memset(info, 0, sizeof(*info));
	if (nst_open(&c))
		return 1;
	err = nst_get_info(&c, 0, info);
	/* Our own PID, 1, asked for explicitly, must give the same answer. */
	if (!err) {
		struct nst_info self_info;

		err = nst_get_info(&c, getpid(), &self_info);
		if (!err && (self_info.inum != info->inum ||
			     self_info.level != info->level))
			err = 3;
	}
	nst_close(&c);
	return err ? 2 : 0;
}

/* From a new PID namespace made with clone3, the level is 1. */
TEST_F(info, new_pidns_level1)
{
	struct nst_info info;
	unsigned int host_ns = ns_inum("/proc/self/ns/pid");

	ASSERT_EQ(0, nst_run_in_child(CLONE_NEWPID, info_in_child, &info,
				      sizeof(info))) TH_LOG("%m - clone3");
	EXPECT_EQ(1, info.level);
	EXPECT_NE(0, info.inum);
	EXPECT_NE(host_ns, info.inum);
}

/* Two levels down, and a network namespace of its own: still reachable. */
TEST_F(info, nested_pidns_and_netns)
{
	struct nst_info info;

	ASSERT_EQ(0, nst_run_in_child(CLONE_NEWPID | CLONE_NEWNET,
				      info_in_child, &info, sizeof(info)));
	EXPECT_EQ(1, info.level);
}


/* NSTREE_A_INFO_PID reports another process's namespace. */
TEST_F(info, pid_of_child_namespace)
{
	struct nst_info info;
	char path[64];
	int sync[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(sync));
	pid = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(sync[1]);
		/* Live until the parent closes its end. */
		while (read(sync[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(sync[0]);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	EXPECT_EQ(0, nst_get_info(&self->conn, pid, &info));
	EXPECT_EQ(1, info.level);
	EXPECT_EQ(ns_inum(path), info.inum);
	close(sync[1]);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
}

/* A PID that names no process: ENOENT and a message naming the problem. */
TEST_F(info, unknown_pid)
{
	struct nst_info info;

	EXPECT_EQ(-ENOENT, nst_get_info(&self->conn, 4194304, &info));
	EXPECT_NE(NULL, strstr(self->conn.extack, "no such process"))
		TH_LOG("extack: '%s'", self->conn.extack);
}

static int invisible_pid_in_child(void *buf, size_t len)
{
	struct nst_conn *c = buf;
	pid_t host_ppid = *(pid_t *)((char *)buf + sizeof(*c));
	struct nst_info info;
	int err;

	(void)len;
	if (nst_open(c))
		return 1;
	err = nst_get_info(c, host_ppid, &info);
	nst_close(c);
	return err == -ENOENT ? 0 : 2;
}

/* The host PID of our parent does not exist inside a new namespace. */
TEST_F(info, pid_outside_namespace_is_unknown)
{
	struct {
		struct nst_conn c;
		pid_t host_pid;
	} buf = { .host_pid = getpid() };

	ASSERT_LT(1, buf.host_pid);
	EXPECT_EQ(0, nst_run_in_child(CLONE_NEWPID, invisible_pid_in_child,
				      &buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf.c.extack, "no such process"))
		TH_LOG("extack: '%s'", buf.c.extack);
}

static int put_unknown_attr(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_u32(msg, NSTREE_A_INFO_MAX + 7, 1);
}

static int put_pid_as_u64(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_u64(msg, NSTREE_A_INFO_PID, 1);
}

static int put_pid_as_string(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_string(msg, NSTREE_A_INFO_PID, "1");
}

static int put_pid(struct nl_msg *msg, void *arg)
{
	return nla_put_u32(msg, NSTREE_A_INFO_PID, *(uint32_t *)arg);
}

TEST_F(info, unknown_attribute)
{
	EXPECT_EQ(-EINVAL, nst_send(&self->conn, NSTREE_CMD_GET_INFO, 0,
				    put_unknown_attr, NULL));
	EXPECT_NE(0, self->conn.extack[0]) TH_LOG("no extack message");
	TH_LOG("kernel reports: %s", self->conn.extack);
}

TEST_F(info, wrong_attribute_type)
{
	EXPECT_EQ(-EINVAL, nst_send(&self->conn, NSTREE_CMD_GET_INFO, 0,
				    put_pid_as_u64, NULL));
	EXPECT_NE(0, self->conn.extack[0]) TH_LOG("no extack message");
	TH_LOG("u64 for u32: %s", self->conn.extack);
	EXPECT_EQ(-EINVAL, nst_send(&self->conn, NSTREE_CMD_GET_INFO, 0,
				    put_pid_as_string, NULL));
	EXPECT_NE(0, self->conn.extack[0]) TH_LOG("no extack message");
	TH_LOG("string for u32: %s", self->conn.extack);
}

TEST_F(info, pid_out_of_range)
{
	uint32_t bad[] = { 0, 4194305, 0xffffffff };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-ERANGE, nst_send(&self->conn, NSTREE_CMD_GET_INFO,
					    0, put_pid, &bad[i]));
		EXPECT_STREQ("integer out of range", self->conn.extack)
			TH_LOG("PID %u", bad[i]);
	}
}

/*
 * Unknown commands never reach the family: the generic netlink core
 * answers EOPNOTSUPP itself (net/netlink/genetlink.c, genl_family_rcv_msg)
 * and attaches no message on 6.1 or 6.12, so only the code is checked.
 */
TEST_F(info, unknown_command)
{
	EXPECT_EQ(-EOPNOTSUPP, nst_send(&self->conn, 200, 0, NULL, NULL));
	EXPECT_EQ(-EOPNOTSUPP, nst_send(&self->conn, NSTREE_CMD_UNSPEC, 0,
					NULL, NULL));
	/* GET_INFO is a do command: a dump of it is unknown too. */
	EXPECT_EQ(-EOPNOTSUPP, nst_send(&self->conn, NSTREE_CMD_GET_INFO,
					NLM_F_DUMP, NULL, NULL));
}

/* Flags the core does not define for new commands are refused. */
TEST_F(info, reserved_header_flags)
{
	EXPECT_EQ(-EINVAL, nst_send(&self->conn, NSTREE_CMD_GET_INFO,
				    NLM_F_CREATE, NULL, NULL));
	EXPECT_NE(0, self->conn.extack[0]) TH_LOG("no extack message");
}

/* The CLI shows what the module answers. */
TEST(cli_info)
{
	char out[1024], want[128];

	ASSERT_EQ(0, nst_sh(out, sizeof(out), "nstree info"));
	snprintf(want, sizeof(want), "pid namespace:   pid:[%u]",
		 ns_inum("/proc/self/ns/pid"));
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("output: %s", out);
	EXPECT_NE(NULL, strstr(out, "namespace level: 0")) TH_LOG("%s", out);
}

TEST(cli_info_in_new_pidns)
{
	char out[1024];

	ASSERT_EQ(0, nst_sh(out, sizeof(out),
			    "unshare --pid --fork nstree info"));
	EXPECT_NE(NULL, strstr(out, "namespace level: 1")) TH_LOG("%s", out);
}

/*
 * An unknown PID: one line, exit status 4. (Misuse and --help need no
 * module: user/tests/usage_test.c checks them on the host.)
 */
TEST(unknown_pid)
{
	char out[1024];

	EXPECT_EQ(4, nst_sh(out, sizeof(out), "nstree info -p 4194304 2>&1"));
	EXPECT_NE(NULL, strstr(out, "kernel reports: no such process"))
		TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
