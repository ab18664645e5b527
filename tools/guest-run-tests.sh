#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The check job inside the guest: every selftest, each between markers that
# tools/vm.sh counts. module_test loads and unloads the module itself, so it
# runs first, while the module is absent; the others run with it loaded.
#
# On a kernel with kmemleak (the 6.12-debug line), memory is scanned after
# the suite with the module still loaded, and again after rmmod; each
# report goes between NSTREE-KMEMLEAK markers for tools/vm.sh to judge.
#
# Not kselftest's runner.sh: it gives every binary of a directory the one
# timeout of its settings file, through /usr/bin/timeout (coreutils, not
# in this busybox guest), and prefixes each binary's TAP with "# ". Here
# each binary has its own budget and harness arguments (the debug line's
# sizes and suite), module_test runs before the module is loaded and the
# others after, kmemleak is scanned at the end, and every case's end is
# stamped with the guest clock (run() below).

cd /nstree/selftests || exit 1
kmemleak=/sys/kernel/debug/kmemleak
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -w "$kmemleak" ] || kmemleak=

uptime_s() {
	cut -d. -f1 /proc/uptime
}

# Each binary's budget, in guest seconds: run() kills a binary still
# running after it (SIGKILL; its END marker then says rc=137, a failure),
# so one hung binary cannot eat the guest's timeout and the rest of the
# suite. At least three times its longest run in make check on a Debian
# line (wall-clock guest time, which a loaded host stretches: up to twice
# seen) and twice its run on the debug line (-icount time), from
# tools/selftest-seconds; at least its longest case's harness timeout
# (TEST_F_TIMEOUT, else 30 s), itself at least three times that case's
# longest run. The budgets of a line's binaries, plus 90 s for the boot,
# fit inside tools/vm.sh's timeout for the check job.
# tools/check-timeouts.py checks all of this, in make unit.
budgets="access_test=150 cli_test=270 dump_test=480 events_hostile_test=960 events_order_test=90 events_seq_test=60 events_test=90 events_view_test=60 fuzz_test=210 info_test=60 labs_test=150 module_test=120 random_test=390 reaper_test=120 run_test=90 stress_test=1380 waitstate_test=60 why_test=60 ynl_test=120 zombies_test=120"

budget() {
	for b in $budgets; do
		[ "${b%%=*}" = "$1" ] && echo "${b#*=}" && return
	done
	echo 60
}

# run NAME [ARGS]: the START marker has the guest clock, the END marker the
# binary's guest seconds, and an NSTREE-CASE-END line follows each TAP
# result with the guest clock at its end (tools/vm.sh turns those into each
# case's seconds). A binary over its budget is killed with its whole
# session (setsid: the harness's forked test cases, which hold the output
# pipe, too), with an NSTREE-TIMEOUT line.
run() {
	t0=$(uptime_s)
	name=$1
	shift
	secs=$(budget "$name")
	rm -f /tmp/run.killed /tmp/run.pid
	mkfifo /tmp/run.pid
	echo "NSTREE-TEST-START $name at=$(cut -d' ' -f1 /proc/uptime) budget=${secs}s"
	{
		# The watchdog, a session of its own, reads the binary's
		# session from the FIFO, sleeps out the budget, marks the kill
		# and kills that session. When the binary ends in time, the
		# watchdog's whole session is killed: a sleep left behind would
		# exit in the middle of a later test that compares process
		# lists.
		setsid sh -c 'read -r p </tmp/run.pid && sleep "$1" &&
			: >/tmp/run.killed && kill -KILL -- "-$p"' \
			watchdog "$secs" >/dev/null 2>&1 &
		dog=$!
		# The binary runs in the foreground, a session of its own
		# under its own PID (setsid forks only a group leader, which
		# a command of this shell is not), as it ran before the
		# budgets: a background job of a non-interactive shell has
		# SIGINT and SIGQUIT ignored, which its children inherit
		# (run_test's SIGINT forwarding then timed out), and stdin
		# from /dev/null.
		sh -c 'echo "$$" >/tmp/run.pid && exec setsid "$@"' \
			sh "./$name" "$@"
		echo $? >/tmp/run.rc
		kill -KILL -- "-$dog" 2>/dev/null
		wait "$dog"
	} 2>&1 | awk '
		{ print; fflush() }
		/^(not )?ok [0-9]+ / {
			getline u <"/proc/uptime"; close("/proc/uptime")
			split(u, f, " "); print "NSTREE-CASE-END " f[1]; fflush()
		}'
	rc=$(cat /tmp/run.rc)
	rm -f /tmp/run.pid
	[ -e /tmp/run.killed ] &&
		echo "NSTREE-TIMEOUT $name killed after its budget of ${secs}s"
	echo "NSTREE-TEST-END $name rc=$rc secs=$(($(uptime_s) - t0))"
}

# leakscan PHASE: report what kmemleak finds now. kmemleak reports an
# object once it is older than 5 s (MSECS_MIN_AGE in mm/kmemleak.c) and two
# scans found it unreferenced with unchanged contents (the first records its
# checksum). Each write of "scan" returns when that scan is over; between
# the two, the youngest object of the phase must reach the minimum age.
leakscan() {
	[ -n "$kmemleak" ] || return 0
	t0=$(uptime_s)
	echo scan >"$kmemleak"
	while [ "$(uptime_s)" -le $((t0 + 5)) ]; do
		sleep 1
	done
	echo scan >"$kmemleak"
	echo "NSTREE-KMEMLEAK-BEGIN $1 ($(($(uptime_s) - t0)) s)"
	cat "$kmemleak"
	echo "NSTREE-KMEMLEAK-END $1"
	# The next phase reports only what is new.
	echo clear >"$kmemleak"
}

# What kmemleak finds from boot is not nstree's: scan it and set it aside
# (the documented `clear`), so the reports below hold only the suite's.
if [ -n "$kmemleak" ]; then
	echo scan >"$kmemleak"
	echo clear >"$kmemleak"
fi

[ -x module_test ] && run module_test

if ! insmod "$NSTREE_KO"; then
	echo "NSTREE-FATAL insmod $NSTREE_KO failed"
	exit 1
fi

# NSTREE_SCALE=small (nstree.scale=small, the 6.12-debug line's default)
# runs every test at a size the debug kernel finishes in about 8 minutes
# of guest time: there a fork and exec take about 47 ms, 20 times as long
# as on Debian's kernels. The sizes that matter for speed and bounds (a
# 30,000-deep chain, 10,000 processes, 100 dumps under a storm, 100,000
# fuzzed messages, 100 unload cycles) run on the other lines; here what
# matters for memory and locking errors runs smaller: dump_test's chains
# 1 and 32 namespaces deep (the deepest the kernel allows), not 2 and 5;
# module_test's 5 load cycles, not 20; events_hostile_test's long
# scenarios at a tenth to a twentieth of their size (nst_scale_small() in
# the tests).
access_args= dump_args=
if [ "${NSTREE_SCALE:-full}" = small ]; then
	access_args="-T subtree_dumps"
	dump_args="-T ten_thousand -T storm_100_dumps -V depth2 -V depth5"
	NSTREE_FUZZ_COUNT=${NSTREE_FUZZ_COUNT:-2500}
	NSTREE_STRESS_CYCLES=5
	export NSTREE_FUZZ_COUNT NSTREE_STRESS_CYCLES
	echo "NSTREE-NOTE scale small: not run: access_test subtree_dumps, dump_test ten_thousand storm_100_dumps and the depth2 and depth5 chains; module_test 5 load cycles; events_hostile_test a 1,500-deep chain, 500 namespaces, 600 unread execs; fuzz_test $NSTREE_FUZZ_COUNT messages per test; stress_test $NSTREE_STRESS_CYCLES cycles"
fi

# NSTREE_SUITE=kernel (nstree.suite=kernel, the 6.12-debug line's default
# in make check) runs the selftests that drive the module's own code:
# load and unload, dumps, subscriptions, event delivery and each
# subscriber's view, the fuzzer, the hostile scenarios, the access rules.
# It leaves out those that read the same dumps and events through the
# command (cli, run, why, zombies, ynl, the labs, random), events_test's
# thousand cycles and, of dump_test's 32-level chain, all but the two
# cases that compare every level's PID with /proc and nsfs (each case
# builds the chain again: 25 s of debug-kernel time; the one-level chain
# runs every case), and says so. NSTREE_SUITE=all runs everything.
kernel_suite="access_test dump_test events_hostile_test events_order_test events_seq_test events_test events_view_test fuzz_test info_test reaper_test stress_test waitstate_test"
events_args=
if [ "${NSTREE_SUITE:-all}" = kernel ]; then
	events_args="-T thousand_cycles"
	# First match wins (kselftest_harness.h, test_enabled()).
	dump_args="-T ten_thousand -T storm_100_dumps"
	dump_args="$dump_args -r chain.depth32.procs_match_proc"
	dump_args="$dump_args -r chain.depth32.nspid_match_nsfs"
	dump_args="$dump_args -V depth32 -V depth2 -V depth5"
	dump_args="$dump_args -f global -f conn -f chain"
	left=
	for t in *_test; do
		case " module_test $kernel_suite " in
		*" $t "*) ;;
		*) left="$left $t" ;;
		esac
	done
	echo "NSTREE-NOTE suite kernel: not run:$left; events_test thousand_cycles; dump_test depth32 but procs_match_proc and nspid_match_nsfs (NSTREE_SUITE=all runs them)"
fi

for t in *_test; do
	if [ "${NSTREE_SUITE:-all}" = kernel ]; then
		case " $kernel_suite " in
		*" $t "*) ;;
		*) continue ;;
		esac
	fi
	# shellcheck disable=SC2086
	case "$t" in
	module_test)		;;
	events_test)		run "$t" $events_args ;;
	access_test)		run "$t" $access_args ;;
	dump_test)		run "$t" $dump_args ;;
	*)			run "$t" ;;
	esac
done

leakscan loaded
rmmod nstree
echo "NSTREE-RMMOD rc=$?"
leakscan unloaded
