// SPDX-License-Identifier: GPL-2.0
/*
 * exec_loop N: exec itself, by the name it was run under, N more times,
 * then exit 0: N + 1 EXEC events, each with the name it was given.
 *
 * Static and without libc: in an emulated guest an exec of busybox sh
 * costs about 20 ms (its pages faulted in, the shell's start-up); an exec
 * of this costs the kernel's execve and a page or two.
 * events_hostile_test's never_reading_subscriber runs it through a
 * 4,000-byte path for its 20,000 EXEC events.
 */
#include <asm/unistd.h>

static long sys3(long nr, long a, long b, long c)
{
	long ret;

	asm volatile ("syscall"
		      : "=a" (ret)
		      : "a" (nr), "D" (a), "S" (b), "d" (c)
		      : "rcx", "r11", "memory");
	return ret;
}

static void __attribute__((noreturn)) quit(long code)
{
	for (;;)
		sys3(__NR_exit, code, 0, 0);
}

/* From _start, with the initial stack: argc, argv[], NULL, envp[]. */
void __attribute__((noreturn, used)) exec_loop_main(long *sp);
void exec_loop_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	char *s, *e;
	int nonzero = 0;

	if (argc != 2 || !argv[1][0])
		quit(2);
	for (e = argv[1]; *e; e++) {
		if (*e < '0' || *e > '9')
			quit(2);
		nonzero |= *e != '0';
	}
	if (!nonzero)
		quit(0);
	/* N - 1, in place ("100" becomes "099"). */
	for (s = e - 1; *s == '0'; s--)
		*s = '9';
	(*s)--;
	sys3(__NR_execve, (long)argv[0], (long)argv, (long)(argv + argc + 1));
	quit(127);
}

asm(".globl _start\n"
    "_start:\n"
    "\txor %ebp, %ebp\n"
    "\tmov %rsp, %rdi\n"
    "\tand $-16, %rsp\n"
    "\tcall exec_loop_main\n"
    "\thlt\n");
