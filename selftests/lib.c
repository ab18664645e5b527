// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

#include "lib.h"

pid_t nst_clone3(uint64_t flags)
{
	struct clone_args args = {
		.flags = flags,
		.exit_signal = SIGCHLD,
	};

	return syscall(SYS_clone3, &args, sizeof(args));
}

/* All @len bytes, written (@out) or read; 0, or -1 at EOF or on error. */
static int nst_io_full(int fd, char *p, size_t len, int out)
{
	ssize_t n;

	while (len) {
		n = out ? write(fd, p, len) : read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

int nst_write_full(int fd, const void *buf, size_t len)
{
	return nst_io_full(fd, (char *)buf, len, 1);
}

int nst_write_file(const char *path, const char *s)
{
	size_t len = strlen(s);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	/* One write(): uid_map and gid_map only take a map that way. */
	n = write(fd, s, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

int nst_read_full(int fd, void *buf, size_t len)
{
	return nst_io_full(fd, buf, len, 0);
}

int nst_run_in_child(uint64_t flags, int (*fn)(void *buf, size_t len),
		     void *buf, size_t len)
{
	size_t got = 0;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = nst_clone3(flags);
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int ret;

		close(fds[0]);
		ret = fn(buf, len);
		if (nst_write_full(fds[1], buf, len))
			_exit(125);
		_exit(ret);
	}
	close(fds[1]);
	while (got < len) {
		n = read(fds[0], (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || got != len) {
		errno = ECHILD;
		return -1;
	}
	return WEXITSTATUS(status);
}

int nst_send(struct nst_conn *c, uint8_t cmd, int flags,
	     int (*fill)(struct nl_msg *msg, void *arg), void *arg)
{
	struct nl_msg *msg = nst_msg_new(c, cmd, flags);

	if (!msg)
		return -ENOMEM;
	if (fill && fill(msg, arg) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	/*
	 * No policy: the reply may be of any command's attribute set, and
	 * nothing of it is read (no @fn), only the kernel's answer.
	 */
	return nst_request(c, msg, NSTREE_A_INFO_MAX, NULL, NULL, NULL);
}

int nst_sh(char *out, size_t size, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	size_t got = 0;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out && size) {
		got = fread(out, 1, size - 1, p);
		out[got] = '\0';
	}
	while (fgetc(p) != EOF)
		;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- Events ---- */

int nst_ev_subscribe(struct nst_conn *c, const struct nst_sub_opts *o)
{
	int err = nst_open(c);

	if (err)
		return err;
	nst_event_bufsize(c, 8 << 20);
	err = nst_subscribe(c, o, NULL);
	if (err)
		nst_close(c);
	return err;
}

static int nst_evlog_add(const struct nst_event *ev, void *arg)
{
	struct nst_evlog *log = arg;
	struct nst_event *n;

	if (ev->type == NSTREE_EV_LOST) {
		if (ev->seq + 1 - log->next_seq != ev->lost)
			log->gap_error = 1;
		log->lost += ev->lost;
		log->next_seq = ev->seq + 1;
	} else {
		if (log->next_seq && ev->seq != log->next_seq)
			log->gap_error = 1;
		log->next_seq = ev->seq + 1;
	}
	if (log->n == log->cap) {
		log->cap = log->cap ? 2 * log->cap : 256;
		n = realloc(log->ev, log->cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		log->ev = n;
	}
	log->ev[log->n++] = *ev;
	return 0;
}

int nst_ev_wait(struct nst_conn *c, struct nst_evlog *log,
		int (*done)(const struct nst_evlog *log, void *arg), void *arg,
		int timeout_ms)
{
	struct pollfd pfd = { .fd = nst_event_fd(c), .events = POLLIN };
	int err, waited = 0;

	if (!log->next_seq)
		log->next_seq = 1;
	for (;;) {
		err = nst_event_read(c, nst_evlog_add, log);
		if (err < 0)
			return err;
		if (done && done(log, arg))
			return 0;
		if (waited >= timeout_ms)
			return done ? -ETIMEDOUT : 0;
		if (poll(&pfd, 1, 50) < 0 && errno != EINTR)
			return -errno;
		waited += 50;
	}
}

void nst_evlog_free(struct nst_evlog *log)
{
	free(log->ev);
	memset(log, 0, sizeof(*log));
}

int nst_ev_find(const struct nst_evlog *log, size_t from, uint32_t type,
		uint32_t pid)
{
	size_t i;

	for (i = from; i < log->n; i++)
		if (log->ev[i].type == type && log->ev[i].proc.pid == pid)
			return i;
	return -1;
}

/* done() for nst_ev_wait: an event of type arg[0] about pid arg[1]. */
static int nst_ev_have(const struct nst_evlog *log, void *arg)
{
	uint32_t *want = arg;

	return nst_ev_find(log, 0, want[0], want[1]) >= 0;
}

int nst_ev_wait_for(struct nst_conn *c, struct nst_evlog *log, uint32_t type,
		    uint32_t pid, int timeout_ms)
{
	uint32_t want[2] = { type, pid };

	return nst_ev_wait(c, log, nst_ev_have, want, timeout_ms);
}

int nst_ev_count(const struct nst_evlog *log, uint32_t type, uint32_t pid)
{
	size_t i;
	int n = 0;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == type && log->ev[i].proc.pid == pid)
			n++;
	return n;
}

const char *nst_ev_seq(const struct nst_evlog *log, uint32_t pid, char *buf,
		       size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < log->n && len + 16 < size; i++) {
		if (log->ev[i].proc.pid != pid ||
		    log->ev[i].type == NSTREE_EV_NS_CREATED)
			continue;
		len += snprintf(buf + len, size - len, "%s%s", len ? "," : "",
				nst_event_name(log->ev[i].type));
	}
	return buf;
}

struct grow_buf {
	char *data;
	size_t len, cap;
};

/* Read what @fd has into @b; 0 at EOF or on error, 1 for more to come. */
static int read_some(int fd, struct grow_buf *b)
{
	ssize_t n;

	if (b->cap - b->len < 4096) {
		size_t cap = b->cap ? 2 * b->cap : 16384;
		char *p = realloc(b->data, cap);

		if (!p)
			return 0;
		b->data = p;
		b->cap = cap;
	}
	n = read(fd, b->data + b->len, b->cap - b->len - 1);
	if (n < 0 && errno == EINTR)
		return 1;
	if (n <= 0)
		return 0;
	b->len += n;
	return 1;
}

static char *terminated(struct grow_buf *b)
{
	if (!b->data)
		return strdup("");
	b->data[b->len] = '\0';
	return b->data;
}

int nst_cmd(struct cmd_result *r, const char *fmt, ...)
{
	struct grow_buf out = { 0 }, err = { 0 };
	struct pollfd pfd[2];
	int ofd[2], efd[2], st, open_fds;
	char cmd[4096];
	va_list ap;
	pid_t pid;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r->status = -1;
	r->out = r->err = NULL;
	if (pipe2(ofd, O_CLOEXEC))
		goto out;
	if (pipe2(efd, O_CLOEXEC)) {
		close(ofd[0]);
		close(ofd[1]);
		goto out;
	}
	pid = fork();
	if (pid == 0) {
		dup2(ofd[1], 1);
		dup2(efd[1], 2);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(ofd[1]);
	close(efd[1]);
	pfd[0] = (struct pollfd){ .fd = ofd[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = efd[0], .events = POLLIN };
	for (open_fds = 2; pid > 0 && open_fds;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents && !read_some(ofd[0], &out)) {
			pfd[0].fd = -1;
			open_fds--;
		}
		if (pfd[1].revents && !read_some(efd[0], &err)) {
			pfd[1].fd = -1;
			open_fds--;
		}
	}
	close(ofd[0]);
	close(efd[0]);
	if (pid > 0 && waitpid(pid, &st, 0) == pid)
		r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
out:
	r->out = terminated(&out);
	r->err = terminated(&err);
	return r->status;
}

void nst_cmd_free(struct cmd_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

int nst_scale_small(void)
{
	const char *s = getenv("NSTREE_SCALE");

	return s && !strcmp(s, "small");
}

int nst_wait_byte(int fd)
{
	char c;

	return nst_read_full(fd, &c, 1);
}

void nst_send_byte(int fd)
{
	if (nst_write_full(fd, "x", 1))
		_exit(99);
}

unsigned int nst_pidns_of(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	return stat(path, &st) ? 0 : (unsigned int)st.st_ino;
}

int nst_module_load(const char *path)
{
	return nst_module_load_params(path, "");
}

int nst_module_load_params(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int nst_module_unload(void)
{
	return syscall(SYS_delete_module, "nstree", O_NONBLOCK) ? -errno : 0;
}

int nst_module_loaded(void)
{
	return access("/sys/module/nstree", F_OK) == 0;
}

int nst_module_refcnt(void)
{
	char buf[32] = "";
	int fd = open("/sys/module/nstree/refcnt", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

int nst_become_nobody(gid_t extra_gid)
{
	gid_t g = extra_gid;

	if (setgroups(extra_gid ? 1 : 0, &g) ||
	    setresgid(NST_NOBODY, NST_NOBODY, NST_NOBODY) ||
	    setresuid(NST_NOBODY, NST_NOBODY, NST_NOBODY) ||
	    prctl(PR_SET_DUMPABLE, 1))
		return -1;
	return 0;
}
