// SPDX-License-Identifier: GPL-2.0
/*
 * lab-wait: the labs' handshake. A step that changes a process (kill, a
 * signal to a lab program) returns before the kernel has done its work;
 * the next step waits here for the state the lab needs, read from /proc,
 * never for a fixed time.
 *
 *   lab-wait ready           the lab program wrote "ready" in $LAB_DIR/names
 *   lab-wait PID zombie      PID is a zombie (state Z)
 *   lab-wait PID gone        PID has been reaped (no /proc/PID)
 *   lab-wait PID ppid=N      PID's parent is N
 *   lab-wait settled         every process named in $LAB_DIR/names but the
 *                            runner is asleep, a zombie, or gone: none is
 *                            running (R) or in a disk wait (D), so what
 *                            the next step prints of them cannot depend
 *                            on the moment it looks (nstree-lab waits so
 *                            before each step)
 *   lab-wait line FILE TEXT  FILE has a line holding TEXT (nstree-lab
 *                            waits so for what `nstree watch` prints)
 *
 * It checks every 2 ms and gives up after $LAB_TIMEOUT_MS milliseconds
 * (10,000): then it says what it saw last and exits 1, which fails the
 * lab.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* State letter and parent from /proc/PID/stat; 0 when PID is gone. */
static int proc_stat(const char *pid, char *state, long *ppid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The name is in parentheses and may hold anything: skip to the last. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %ld", state, ppid) != 2)
		return 0;
	return 1;
}

/* Every named process but the runner: asleep, stopped, a zombie or gone. */
static int names_settled(char *seen, size_t len)
{
	const char *dir = getenv("LAB_DIR");
	char path[4096], name[64], pid[32], state;
	int settled = 1;
	long ppid;
	FILE *f;

	snprintf(path, sizeof(path), "%s/names", dir ? dir : "/tmp/nstree-lab");
	f = fopen(path, "r");
	if (!f)
		return 1;
	while (settled && fscanf(f, "%63s", name) == 1) {
		if (!strcmp(name, "ready") || fscanf(f, "%31s", pid) != 1)
			continue;
		if (!strcmp(name, "runner") || !proc_stat(pid, &state, &ppid))
			continue;
		if (state == 'R' || state == 'D') {
			snprintf(seen, len, "%s in state %c", name, state);
			settled = 0;
		}
	}
	fclose(f);
	return settled;
}

static int names_ready(void)
{
	const char *dir = getenv("LAB_DIR");
	char path[4096], line[128];
	int ready = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/names", dir ? dir : "/tmp/nstree-lab");
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strcmp(line, "ready\n"))
			ready = 1;
	fclose(f);
	return ready;
}

static int has_line(const char *path, const char *text)
{
	char line[4096];
	int found = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, text) != NULL;
	fclose(f);
	return found;
}

/* 1 when the condition holds; @seen describes what was found. */
static int check(int argc, char **argv, char *seen, size_t len)
{
	char state;
	long ppid;

	if (argc == 4) {
		snprintf(seen, len, "not there");
		return has_line(argv[2], argv[3]);
	}
	if (argc == 2 && !strcmp(argv[1], "settled"))
		return names_settled(seen, len);
	if (argc == 2) {
		snprintf(seen, len, "no \"ready\" line");
		return names_ready();
	}
	if (!proc_stat(argv[1], &state, &ppid)) {
		snprintf(seen, len, "gone");
		return !strcmp(argv[2], "gone");
	}
	snprintf(seen, len, "state %c, parent %ld", state, ppid);
	if (!strcmp(argv[2], "zombie"))
		return state == 'Z';
	if (!strncmp(argv[2], "ppid=", 5))
		return ppid == atol(argv[2] + 5);
	return 0;
}

int main(int argc, char **argv)
{
	const char *t = getenv("LAB_TIMEOUT_MS");
	struct timespec tick = { 0, 2000000 };
	long waited = 0, limit = (t ? atol(t) : 10000) / 2;
	char seen[128];

	if (!((argc == 2 && (!strcmp(argv[1], "ready") || !strcmp(argv[1], "settled"))) ||
	      (argc == 4 && !strcmp(argv[1], "line")) ||
	      (argc == 3 && (!strcmp(argv[2], "zombie") || !strcmp(argv[2], "gone") ||
			     !strncmp(argv[2], "ppid=", 5))))) {
		fprintf(stderr, "usage: lab-wait ready|settled | lab-wait PID zombie|gone|ppid=N | lab-wait line FILE TEXT\n");
		return 1;
	}
	while (!check(argc, argv, seen, sizeof(seen))) {
		if (++waited > limit) {
			fprintf(stderr, "lab-wait: %s %s: not after %ld ms: %s\n",
				argv[1], argc >= 3 ? argv[2] : "", limit * 2, seen);
			return 1;
		}
		nanosleep(&tick, NULL);
	}
	return 0;
}
