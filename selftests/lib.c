// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int nst_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
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
		if (nst_write_all(fds[1], buf, len))
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
	return nst_request(c, msg, NSTREE_A_INFO_MAX, NULL, NULL);
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
