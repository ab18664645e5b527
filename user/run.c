// SPDX-License-Identifier: GPL-2.0
/*
 * nstree run: start a command in new namespaces with one clone3() call,
 * optionally under a minimal init, and wait for it through its pidfd.
 * Needs no kernel module.
 *
 * Who does what:
 * - nstree blocks the signals it forwards, calls clone3(), writes the ID
 *   maps of a new user namespace, tells the child to go, then waits on the
 *   pidfd, a signalfd and the report socket.
 * - The child finishes the setup only it can do from inside (private
 *   mounts, /proc, hostname), then execs the command, or under --init forks
 *   it and stays as PID 1 to reap orphans and forward signals.
 * - Whoever is about to exec the command sends a message on a
 *   SOCK_SEQPACKET socket: the kernel attaches its credentials with its PID
 *   translated into nstree's namespace, so nstree learns both PIDs without
 *   /proc. A failed step or exec is reported there too; the socket's end
 *   (it is close-on-exec) means the exec succeeded. nstree prints every
 *   message, one line each.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

#include "cmds.h"
#include "opts.h"
#include "util.h"

/* How long --show lets the command settle before drawing its tree. */
#define RUN_SHOW_DEFAULT_MS 1000

struct run_opts {
	uint64_t flags;		/* CLONE_NEW* */
	const char *hostname;	/* --uts=NAME */
	int init;		/* --init */
	int subreaper;		/* --subreaper */
	int show_ms;		/* --show: draw the tree this long after exec */
	int quiet;		/* -q */
	char **argv;		/* the command */
};

/* What the child side reports on the socket. */
enum run_step {
	RUN_READY,		/* about to exec; carries the PID inside */
	RUN_PRIVATE,		/* making the mount tree private failed */
	RUN_PROC,		/* mounting /proc failed */
	RUN_HOSTNAME,		/* sethostname() failed */
	RUN_INIT,		/* init could not set itself up */
	RUN_FORK,		/* init could not fork the command */
	RUN_EXEC,		/* execvp() failed */
};

struct run_msg {
	int32_t step;		/* enum run_step */
	int32_t err;		/* errno of a failed step */
	int32_t nspid;		/* RUN_READY: the sender's PID inside */
};

/* Signals nstree and its init pass on to the command. */
static const int run_forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
};

static void __attribute__((noreturn)) run_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s run [options] [--] <command> [<arg>...]\n",
		program_invocation_short_name);
	fputs("\nRun a command in new namespaces, made with one clone3() call.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -p, --pid            new PID namespace; with --mount, a fresh /proc\n",
	      out);
	fputs(" -m, --mount          new mount namespace, mounts made private\n",
	      out);
	fputs(" -u, --uts            new UTS namespace\n", out);
	fputs("     --hostname <name>\n"
	      "                      new UTS namespace, with hostname <name>\n", out);
	fputs(" -i, --ipc            new IPC namespace\n", out);
	fputs(" -n, --net            new network namespace\n", out);
	fputs(" -U, --user           new user namespace, the caller mapped to root\n",
	      out);
	fputs(" -r, --map-root-user  the same as --user, as unshare spells it\n",
	      out);
	fputs(" -C, --cgroup         new cgroup namespace\n", out);
	fputs(" -T, --time           new time namespace\n", out);
	fputs("     --init           a minimal init is PID 1 and the command PID 2\n",
	      out);
	fputs("     --subreaper      nstree adopts the command's orphans outside\n",
	      out);
	fputs("     --show[=<ms>]    once the command has run <ms> milliseconds\n"
	      "                        (default 1000), draw its PID namespace's tree\n"
	      "                        (its subtree without --pid) from the module\n",
	      out);
	fputs(" -q, --quiet          do not tell the command's PIDs\n", out);
	fputs(" -h, --help           display this help\n", out);
	fputs("\nExit status: the command's, or 128 + the signal that killed it;\n"
	      " 1 bad usage, 125 the namespaces could not be set up,\n"
	      " 126 the command cannot be executed, 127 it was not found.\n",
	      out);
	fputs("\nFor more details see nstree(8).\n", out);
	exit(EXIT_SUCCESS);
}

static void run_parse(int argc, char **argv, struct run_opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt_long(argc, argv, nst_opts_run.shortopts,
				 nst_opts_run.longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
		case 'm':
		case 'u':
		case 'i':
		case 'n':
		case 'U':
		case 'C':
		case 'T':
			o->flags |= nst_nstype_by_opt(ch)->flag;
			break;
		case NST_OPT_HOSTNAME:
			if (nst_check_hostname(optarg))
				nst_usage_error("invalid hostname: '%s' (1 to %d characters)",
					   optarg, NST_HOSTNAME_MAX);
			o->flags |= nst_nstype_by_opt('u')->flag;
			o->hostname = optarg;
			break;
		case 'r':
			o->flags |= CLONE_NEWUSER;
			break;
		case NST_OPT_INIT:
			o->init = 1;
			break;
		case NST_OPT_SUBREAPER:
			o->subreaper = 1;
			break;
		case NST_OPT_SHOW: {
			uint32_t ms = RUN_SHOW_DEFAULT_MS;

			if (optarg && nst_parse_u32(optarg, 0, 600000, &ms))
				nst_usage_error("invalid --show delay: '%s' (milliseconds, up to 600000)",
						optarg);
			o->show_ms = ms ? (int)ms : 1;
			break;
		}
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			run_usage();
		default:	/* getopt said what is wrong */
			nst_try_help();
		}
	}
	if (optind >= argc)
		nst_usage_error("run: no command specified");
	if (o->init && !(o->flags & CLONE_NEWPID))
		nst_usage_error("--init needs --pid: only a new PID namespace has a PID 1 to replace");
	o->argv = argv + optind;
}

/* Send one report; the parent may be gone, which changes nothing here. */
static void run_report(int sock, enum run_step step, int err)
{
	struct run_msg m = { .step = step, .err = err, .nspid = getpid() };

	(void)!send(sock, &m, sizeof(m), MSG_NOSIGNAL);
}

static void __attribute__((noreturn))
run_exec(const struct run_opts *o, int sock, const sigset_t *oldmask)
{
	int err;

	sigprocmask(SIG_SETMASK, oldmask, NULL);
	run_report(sock, RUN_READY, 0);
	execvp(o->argv[0], o->argv);
	err = errno;
	run_report(sock, RUN_EXEC, err);
	_exit(nst_exec_exit_code(err));
}

/*
 * PID 1 of the new namespace under --init: fork the command, reap every
 * child (the command and every orphan the kernel hands over), pass the
 * forwarded signals on, and end with the command's status. A signal cannot
 * kill a namespace's init from inside, so a command killed by signal N
 * makes init exit 128 + N. When init ends, the kernel kills what is left.
 */
static void __attribute__((noreturn))
run_init(const struct run_opts *o, int sock, const sigset_t *oldmask)
{
	struct signalfd_siginfo ssi;
	sigset_t set;
	siginfo_t si;
	pid_t cmd;
	size_t i;
	int sfd;

	sigemptyset(&set);
	for (i = 0; i < sizeof(run_forwarded) / sizeof(run_forwarded[0]); i++)
		sigaddset(&set, run_forwarded[i]);
	sigaddset(&set, SIGCHLD);
	sfd = sigprocmask(SIG_BLOCK, &set, NULL) ? -1 :
		signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		run_report(sock, RUN_INIT, errno);
		_exit(NST_RUN_CANNOT_START);
	}
	cmd = fork();
	if (cmd < 0) {
		run_report(sock, RUN_FORK, errno);
		_exit(NST_RUN_CANNOT_START);
	}
	if (cmd == 0) {
		close(sfd);
		run_exec(o, sock, oldmask);
	}
	close(sock);

	for (;;) {
		ssize_t n = read(sfd, &ssi, sizeof(ssi));

		if (n != sizeof(ssi)) {
			if (n < 0 && errno == EINTR)
				continue;
			_exit(NST_RUN_CANNOT_START);
		}
		if (ssi.ssi_signo != SIGCHLD) {
			if (nst_should_forward(ssi.ssi_signo, ssi.ssi_code))
				kill(cmd, ssi.ssi_signo);
			continue;
		}
		for (;;) {
			memset(&si, 0, sizeof(si));
			if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) ||
			    !si.si_pid)
				break;
			if (si.si_pid == cmd)
				_exit(nst_run_exit_code(si.si_code,
							si.si_status));
		}
	}
}

/* The child of clone3(): wait for the maps, set up, run. */
static void __attribute__((noreturn))
run_child(const struct run_opts *o, int sock, const sigset_t *oldmask)
{
	char go;

	if (recv(sock, &go, 1, 0) != 1)
		_exit(NST_RUN_CANNOT_START);	/* nstree is gone */

	if ((o->flags & CLONE_NEWNS) &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		run_report(sock, RUN_PRIVATE, errno);
		_exit(NST_RUN_CANNOT_START);
	}
	if ((o->flags & (CLONE_NEWNS | CLONE_NEWPID)) ==
	    (CLONE_NEWNS | CLONE_NEWPID) &&
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL)) {
		run_report(sock, RUN_PROC, errno);
		_exit(NST_RUN_CANNOT_START);
	}
	if (o->hostname && sethostname(o->hostname, strlen(o->hostname))) {
		run_report(sock, RUN_HOSTNAME, errno);
		_exit(NST_RUN_CANNOT_START);
	}
	if (o->init)
		run_init(o, sock, oldmask);
	run_exec(o, sock, oldmask);
}

/* Read an integer sysctl under /proc/sys; -1 when absent or unreadable. */
static int run_sysctl(const char *path)
{
	char buf[32];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

/* One line saying why clone3() failed; returns the exit code. */
static int run_clone_failed(const struct run_opts *o, int err)
{
	struct nst_clone_facts f = {
		.err = err,
		.flags = o->flags,
		.root = geteuid() == 0,
		.userns_sysctl =
			run_sysctl("/proc/sys/kernel/unprivileged_userns_clone"),
	};
	char path[64], hint[256];
	size_t i;

	for (i = 0; i < nst_nstypes_count; i++) {
		const struct nst_nstype *t = &nst_nstypes[i];

		if (!(o->flags & t->flag))
			continue;
		snprintf(path, sizeof(path), "/proc/self/ns/%s", t->name);
		if (access(path, F_OK) && errno == ENOENT)
			f.absent |= t->flag;
		snprintf(path, sizeof(path), "/proc/sys/user/%s", t->max);
		if (run_sysctl(path) == 0)
			f.zero_max |= t->flag;
	}
	nst_clone_hint(&f, hint, sizeof(hint));
	warnx("cannot create the namespaces: %s%s%s", strerror(err),
	      hint[0] ? ": " : "", hint);
	return NST_RUN_CANNOT_START;
}

/* Write one file under /proc/PID/; 0 or -1 with a message. */
static int run_write_proc(pid_t pid, const char *file, const char *text)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		warn("cannot open %s", path);
		return -1;
	}
	n = write(fd, text, strlen(text));
	if (n != (ssize_t)strlen(text)) {
		warn("cannot write '%.*s' to %s", (int)strcspn(text, "\n"),
		     text, path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The caller becomes root in the child's new user namespace. */
static int run_map_ids(pid_t pid)
{
	char line[64];

	/* Unprivileged callers may map a GID only with setgroups denied. */
	if (run_write_proc(pid, "setgroups", "deny"))
		return -1;
	if (nst_format_idmap(line, sizeof(line), 0, geteuid(), 1) < 0 ||
	    run_write_proc(pid, "uid_map", line))
		return -1;
	if (nst_format_idmap(line, sizeof(line), 0, getegid(), 1) < 0 ||
	    run_write_proc(pid, "gid_map", line))
		return -1;
	return 0;
}

struct run_state {
	const struct run_opts *o;
	pid_t pid;		/* the clone3() child, in our namespace */
	int pidfd;
	int sfd;		/* signalfd */
	int sock;		/* report socket, -1 once it has ended */
	pid_t cmd_pid;		/* the command, in our namespace; 0: unknown */
	pid_t cmd_nspid;	/* the command, inside */
	int failed;		/* a step or the exec failed */
	struct timespec show_at; /* when --show draws; tv_sec 0: not yet set */
	int shown;
};

static int run_pidfd_signal(int pidfd, int sig)
{
	return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static const char *run_step_text(enum run_step step)
{
	switch (step) {
	case RUN_PRIVATE:
		return "cannot make the mounts private in the new mount namespace";
	case RUN_PROC:
		return "cannot mount /proc for the new PID namespace";
	case RUN_HOSTNAME:
		return "cannot set the hostname";
	case RUN_INIT:
		return "init cannot set up its signals";
	case RUN_FORK:
		return "init cannot fork the command";
	default:
		return "cannot start";
	}
}

/* The command's PIDs, once its exec succeeded. */
static void run_tell_pids(const struct run_state *s)
{
	const char *name = s->o->argv[0];

	if (s->o->quiet || s->failed || !s->cmd_pid)
		return;
	if (!(s->o->flags & CLONE_NEWPID))
		fprintf(stderr, "%s: '%s' is PID %d\n",
			program_invocation_short_name, name, s->cmd_pid);
	else if (s->o->init)
		fprintf(stderr, "%s: init is PID %d, PID 1 inside; '%s' is PID %d, PID %d inside\n",
			program_invocation_short_name, s->pid, name,
			s->cmd_pid, s->cmd_nspid);
	else
		fprintf(stderr, "%s: '%s' is PID %d, PID %d inside\n",
			program_invocation_short_name, name, s->cmd_pid,
			s->cmd_nspid);
}

/* The exec is done: --show draws the tree once the command has settled. */
static void run_plan_show(struct run_state *s)
{
	if (!s->o->show_ms || s->failed)
		return;
	clock_gettime(CLOCK_MONOTONIC, &s->show_at);
	s->show_at.tv_sec += s->o->show_ms / 1000;
	s->show_at.tv_nsec += (long)(s->o->show_ms % 1000) * 1000000L;
	if (s->show_at.tv_nsec >= 1000000000L) {
		s->show_at.tv_sec++;
		s->show_at.tv_nsec -= 1000000000L;
	}
}

/* Milliseconds until --show draws: -1 for never, 0 for now. */
static int run_show_timeout(const struct run_state *s)
{
	struct timespec now;
	long long ms;

	if (s->shown || !s->show_at.tv_sec)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (s->show_at.tv_sec - now.tv_sec) * 1000LL +
	     (s->show_at.tv_nsec - now.tv_nsec) / 1000000L;
	return ms > 0 ? (int)ms : 0;
}

/*
 * Draw the new PID namespace (or, without one, the child's subtree) from
 * the module. Without the module, say so; the command runs on.
 */
static void run_show(struct run_state *s)
{
	s->shown = 1;
	fflush(stdout);
	nst_show_tree(s->pid, !!(s->o->flags & CLONE_NEWPID));
	fflush(stdout);
}

/* Read every report waiting on the socket; tell the PIDs at its end. */
static void run_read_reports(struct run_state *s, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} control;
	struct run_msg m;
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	struct cmsghdr *cm;
	ssize_t n;

	while (s->sock >= 0) {
		mh.msg_control = control.buf;
		mh.msg_controllen = sizeof(control.buf);
		n = recvmsg(s->sock, &mh, flags | MSG_CMSG_CLOEXEC);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {	/* every sender closed: exec'd, or gone */
			close(s->sock);
			s->sock = -1;
			run_tell_pids(s);
			run_plan_show(s);
			return;
		}
		if (n != sizeof(m))
			continue;
		if (m.step == RUN_READY) {
			for (cm = CMSG_FIRSTHDR(&mh); cm;
			     cm = CMSG_NXTHDR(&mh, cm))
				if (cm->cmsg_level == SOL_SOCKET &&
				    cm->cmsg_type == SCM_CREDENTIALS) {
					struct ucred cr;

					memcpy(&cr, CMSG_DATA(cm), sizeof(cr));
					s->cmd_pid = cr.pid;
				}
			s->cmd_nspid = m.nspid;
			continue;
		}
		s->failed = 1;
		if (m.step == RUN_EXEC)
			warnx("cannot execute '%s': %s", s->o->argv[0],
			      strerror(m.err));
		else if (m.step == RUN_HOSTNAME)
			warnx("%s to '%s': %s", run_step_text(m.step),
			      s->o->hostname, strerror(m.err));
		else
			warnx("%s: %s", run_step_text(m.step),
			      strerror(m.err));
	}
}

/* Reap children adopted as a subreaper, leaving the command's for the pidfd. */
static void run_reap_adopted(const struct run_state *s)
{
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) ||
		    !si.si_pid || si.si_pid == s->pid)
			return;
		waitid(P_PID, si.si_pid, &si, WEXITED);
	}
}

static void run_handle_signals(struct run_state *s)
{
	struct signalfd_siginfo ssi;

	while (read(s->sfd, &ssi, sizeof(ssi)) == sizeof(ssi)) {
		if (ssi.ssi_signo == SIGCHLD)
			run_reap_adopted(s);
		else if (nst_should_forward(ssi.ssi_signo, ssi.ssi_code))
			run_pidfd_signal(s->pidfd, ssi.ssi_signo);
	}
}

/* Wait for the child, forwarding signals; returns nstree's exit code. */
static int run_wait(struct run_state *s)
{
	struct pollfd pfd[3];
	siginfo_t si;
	int code;

	for (;;) {
		int n;

		pfd[0] = (struct pollfd){ .fd = s->pidfd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = s->sfd, .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = s->sock, .events = POLLIN };
		n = poll(pfd, 3, run_show_timeout(s));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			warn("poll");
			return NST_RUN_CANNOT_START;
		}
		if (!n) {
			run_show(s);
			continue;
		}
		if (pfd[1].revents)
			run_handle_signals(s);
		if (pfd[2].revents)
			run_read_reports(s, MSG_DONTWAIT);
		if (pfd[0].revents)
			break;
	}
	/* The child is gone: whatever it sent is already queued. */
	run_read_reports(s, MSG_DONTWAIT);
	memset(&si, 0, sizeof(si));
	if (waitid((idtype_t)P_PIDFD, s->pidfd, &si, WEXITED)) {
		warn("waitid");
		return NST_RUN_CANNOT_START;
	}
	if (s->o->subreaper)
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	code = nst_run_exit_code(si.si_code, si.si_status);
	return code < 0 ? NST_RUN_CANNOT_START : code;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct run_state s = { .o = &o, .pidfd = -1, .sock = -1 };
	struct clone_args args = { 0 };
	sigset_t set, oldmask;
	int sv[2], one = 1, code;
	size_t i;
	pid_t pid;

	run_parse(argc, argv, &o);
	if ((o.flags & CLONE_NEWPID) && !(o.flags & CLONE_NEWNS) && !o.quiet)
		warnx("note: without --mount, /proc and ps inside still show the outer PID namespace");

	if (o.subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) {
		warn("cannot become a subreaper");
		return NST_RUN_CANNOT_START;
	}
	/* Blocked before clone3(): no signal can slip past the forwarding. */
	sigemptyset(&set);
	for (i = 0; i < sizeof(run_forwarded) / sizeof(run_forwarded[0]); i++)
		sigaddset(&set, run_forwarded[i]);
	if (o.subreaper)
		sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, &oldmask)) {
		warn("sigprocmask");
		return NST_RUN_CANNOT_START;
	}
	s.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s.sfd < 0) {
		warn("signalfd");
		return NST_RUN_CANNOT_START;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one))) {
		warn("socketpair");
		return NST_RUN_CANNOT_START;
	}

	args.flags = o.flags | CLONE_PIDFD;
	args.pidfd = (uintptr_t)&s.pidfd;
	args.exit_signal = SIGCHLD;
	fflush(NULL);
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		code = run_clone_failed(&o, errno);
		close(sv[0]);
		close(sv[1]);
		return code;
	}
	if (pid == 0) {
		close(sv[0]);
		close(s.sfd);
		run_child(&o, sv[1], &oldmask);
	}
	close(sv[1]);
	s.pid = pid;
	s.sock = sv[0];

	if ((o.flags & CLONE_NEWUSER) && run_map_ids(pid)) {
		siginfo_t si;

		run_pidfd_signal(s.pidfd, SIGKILL);
		waitid((idtype_t)P_PIDFD, s.pidfd, &si, WEXITED);
		return NST_RUN_CANNOT_START;
	}
	/* If the child died already, its status will tell how. */
	(void)!send(s.sock, "g", 1, MSG_NOSIGNAL);
	code = run_wait(&s);
	close(s.pidfd);
	close(s.sfd);
	if (s.sock >= 0)
		close(s.sock);
	return code;
}
