#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the nstree guest for one kernel line under QEMU/TCG and run a job:
#
#   tools/vm.sh LINE check   run every selftest; writes build/LINE/results
#   tools/vm.sh LINE demo    show nstree working
#   tools/vm.sh LINE shell   an interactive shell, module loaded
#   tools/vm.sh LINE bench   figures (selftests/*_bench), 8G of memory,
#                            under -icount (instruction-time) on TCG
#   tools/vm.sh LINE cmd 'COMMAND LINE'
#                            run one shell command line, module loaded
#
# The guest runs under a hard timeout (NSTREE_VM_TIMEOUT seconds; longer on
# the slow 6.12-debug line). A guest that times out, never reports its end,
# or whose kernel log has a report (a warning, BUG, Oops, lockdep, KASAN,
# KFENCE, UBSAN, refcount, ODEBUG, kmemleak error, sleeping in atomic
# context, a soft or hard lockup, a hung task, an RCU stall) is a failure:
# this script exits non-zero and shows the offending lines. On a kernel with
# kmemleak, an unreferenced object allocated by nstree, found after the
# suite or after rmmod, is a failure too; other objects are listed, not
# counted. NSTREE_VM_MEM sets the guest's memory (default 4G; 2G on the
# debug line, 8G for bench); NSTREE_VM_APPEND adds to the kernel command
# line (e.g. slub_debug=FZPU).
# NSTREE_PROFILE=1: the bench job also records perf profiles in the guest
# (perf goes into its initramfs).
# NSTREE_BENCH_SIZES: the process counts of dump_bench (comma-separated;
# default 1000,5000,50000).
# NSTREE_VM_SMP sets the number of vCPUs (default 2; 1 for bench under
# -icount, where 2 crash or hang the Debian kernels: see below).
# NSTREE_STRESS_CYCLES: module unload/load cycles of stress_test (default
# 100; fewer for a quicker run).
# NSTREE_SCALE=small|full: the sizes of the suite (tools/guest-run-tests.sh;
# small by default on the debug line, full elsewhere).
# The accelerator is KVM where a probe guest runs under it, TCG otherwise
# (tools/accel.sh: a /dev/kvm that hangs, as on hosts without working
# nested virtualisation, costs the probe's timeout once); NSTREE_VM_ACCEL=
# kvm|tcg forces one. The boot line says which, and why.
set -euo pipefail

line=${1:?usage: vm.sh LINE check|demo|bench|shell|cmd}
job=${2:?usage: vm.sh LINE check|demo|bench|shell|cmd}
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/$line"
mkdir -p "$out"

# The debug kernel boots in about a minute under TCG and runs everything
# several times slower: its timeouts are scaled. Its guest clock also
# counts instructions (-icount, one per ns; idle time skipped): the
# selftests' own timeouts, and the kernel's lockup and stall detectors,
# then measure the guest's work, not how busy the host is. (Debian's 6.1
# kernel hangs at SMP bring-up under -icount: only the debug line uses it.)
# One host thread for both vCPUs: QEMU 7.2's multi-threaded TCG oopses
# with "int3" at the kernel's text-patching sites (static keys, ftrace,
# kprobes), even while booting with no module loaded (sched_clock_cpu+0x9),
# and once crashed a 6.1 guest on entry to a kprobed function.
# 2 GB, not 4, for the debug line: kmemleak's scans read every page's
# struct page, and each of them takes guest seconds.
# Under KVM the guest runs at the host's speed: no -icount (TCG only), and
# the host's CPU model.
slow=1 scale=full suite=all mem=4G smp=2 bench_append=
verdict=$("$top/tools/accel.sh")
read -r how why <<<"$verdict"
how=${how%:}
if [ "$how" = kvm ]; then
	accel=(-accel kvm -cpu host)
else
	accel=(-accel tcg,thread=single)
fi
case "$line" in
*-debug) slow=4 scale=small suite=kernel mem=2G
	[ "$how" = kvm ] || accel=(-accel tcg -icount shift=0,sleep=off) ;;
esac

# The check job's timeout holds every test binary's budget in
# tools/guest-run-tests.sh, plus 90 s for the boot (tools/check-timeouts.py
# checks it, in make unit): 5,040 s of budgets on the Debian lines.
case "$job" in
check)	timeout=${NSTREE_VM_TIMEOUT:-$((5200 * slow))} ;;
demo)	timeout=${NSTREE_VM_TIMEOUT:-$((300 * slow))} ;;
shell)	timeout= ;;
bench)	timeout=${NSTREE_VM_TIMEOUT:-$((3000 * slow))}
	mem=8G
	# Figures in instruction-time: under -icount the guest clock counts
	# instructions (one per ns), not the host's load. One vCPU: Debian's
	# 6.1 kernel hangs at SMP bring-up under -icount with 2, and 6.12's
	# took a double fault in kmem_cache_alloc() while forking 50,000
	# processes, with no module loaded, in 2 boots of 2 (4 rounds of
	# 50,000 with one vCPU went through); with 2, QEMU's switch between
	# them on a host-time kick also made the figures vary. No address-
	# space randomisation, so that two boots run the same instructions.
	if [ "$how" != kvm ]; then
		accel=(-accel tcg,thread=single -icount shift=0,sleep=off)
		smp=1
		bench_append="nokaslr norandmaps"
	fi ;;
cmd)	timeout=${NSTREE_VM_TIMEOUT:-$((600 * slow))}
	printf '%s\n' "${3:?usage: vm.sh LINE cmd 'COMMAND LINE'}" \
		>"$out/cmd.sh" ;;
*)	echo "vm.sh: unknown job '$job'" >&2; exit 1 ;;
esac

# NSTREE_VM_KO: boot with that module (DKMS's, say) instead of this tree's.
if [ -n "${NSTREE_VM_KO:-}" ]; then
	ko=$NSTREE_VM_KO
else
	ko=$("$top/tools/build-module.sh" "$line")
fi
make -s -C "$top" user selftests
image=$("$top/tools/kernels.sh" image "$line")
[ -r "$image" ] || { echo "vm.sh: cannot read $image" >&2; exit 1; }
[ "$job" = cmd ] || rm -f "$out/cmd.sh"
# perf goes into the bench guest only when profiles are asked for.
perf=0
[ "$job" = bench ] && [ "${NSTREE_PROFILE:-0}" = 1 ] && perf=1
NSTREE_PERF=$perf "$top/tools/mkinitramfs.sh" "$ko" "$out/initramfs.cpio.gz" "$out/cmd.sh"

qemu=(qemu-system-x86_64 "${accel[@]}" -smp "${NSTREE_VM_SMP:-$smp}"
	-m "${NSTREE_VM_MEM:-$mem}" -nographic -no-reboot
	-kernel "$image" -initrd "$out/initramfs.cpio.gz"
	-append "console=ttyS0 quiet panic=-1 nstree.job=$job nstree.stress=${NSTREE_STRESS_CYCLES:-100} nstree.scale=${NSTREE_SCALE:-$scale} nstree.suite=${NSTREE_SUITE:-$suite} nstree.profile=$perf nstree.sizes=${NSTREE_BENCH_SIZES:-1000,5000,50000}${bench_append:+ $bench_append}${NSTREE_VM_APPEND:+ $NSTREE_VM_APPEND}")

if [ "$job" = shell ]; then
	echo "vm.sh: booting $(basename "$image") under ${how^^}: $why"
	exec "${qemu[@]}"
fi

log="$out/console-$job.log"
echo "vm.sh: booting $(basename "$image") ($job, timeout ${timeout}s) under ${how^^}: $why"
set +e
# The whole console goes to the log; the terminal gets what the guest's
# /init says, and of the rest (firmware, early boot, the dmesg dump) only
# the kernel's reports of trouble.
timeout -k 10 "$timeout" "${qemu[@]}" </dev/null 2>&1 | stdbuf -oL tr -d '\r' |
	tee "$log" | awk '/NSTREE-GUEST-BEGIN/{s=1} /^NSTREE-BEGIN-DMESG/{s=0}
		s || /Kernel panic|BUG:|Oops|WARNING:|Call Trace|UBSAN|ODEBUG|INFO: task|rcu: INFO|LOCKUP|soft lockup/
		/^NSTREE-END-DMESG/{s=1}'
qrc=${PIPESTATUS[0]}
set -e

fail=0
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	echo "vm.sh: $line: the guest did not power off within ${timeout}s" >&2
	fail=1
elif ! grep -q '^NSTREE-GUEST-DONE' "$log"; then
	echo "vm.sh: $line: the guest stopped without finishing (qemu exit $qrc)" >&2
	fail=1
fi

# Kernel lines: the dmesg dump, and console lines with a printk timestamp.
# kmemleak's own summary ("N new suspected memory leaks") is no report by
# itself: the objects are judged below.
bad='WARNING:|BUG:|Oops|Call Trace|lockdep|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|KASAN|KFENCE|UBSAN|ODEBUG|refcount_t|rcu.*stall|rcu: INFO|general protection fault|Kernel panic|sleeping function called from invalid context|scheduling while atomic|soft lockup|hard LOCKUP|hung task|INFO: task|kmemleak'
benign='kmemleak: ([0-9]+ new suspected memory leaks|Kernel memory leak detector initialized)|RCU CPU stall warnings timeout set to|RCU lockdep checking is enabled'
klog=$(awk '/^NSTREE-BEGIN-DMESG/{d=1;next} /^NSTREE-END-DMESG/{d=0} d||/^\[ *[0-9]+\.[0-9]+\]/' "$log")
# A line both on the console and in the dmesg dump is shown once.
if grep -E "$bad" <<<"$klog" | grep -vE "$benign" | awk '!seen[$0]++' >&2; then
	echo "vm.sh: $line: the kernel log has the reports above" >&2
	fail=1
fi

# kmemleak's reports (tools/guest-run-tests.sh): an object is nstree's when
# its allocation backtrace names nstree, or has a frame no symbol covers,
# which after rmmod can only be the module's code (nothing else in the
# guest is ever loaded as a module).
leaks=$(awk -v line="$line" '
function flush() {
	if (obj == "")
		return
	if (mine) {
		n_mine++
		printf "vm.sh: %s: kmemleak (%s): an object of nstree\n%s", line, phase, obj
	} else {
		n_other++
		if (n_other <= 3)
			printf "vm.sh: %s: kmemleak (%s): not nstree: %s\n", line, phase, first
	}
	obj = ""
}
/^NSTREE-KMEMLEAK-BEGIN/	{ phase = $2; n_mine = n_other = 0; on = 1; next }
/^NSTREE-KMEMLEAK-END/	{
	flush(); on = 0
	printf "vm.sh: %s: kmemleak after the suite, module %s: %d objects of nstree, %d others (not counted)\n", line, phase, n_mine, n_other
	if (n_mine) bad++
	next
}
on && /unreferenced object/	{ flush(); obj = $0 "\n"; first = $0; mine = 0; next }
on && obj != ""	{
	obj = obj $0 "\n"
	# Backtrace frames only: a comm "nstree" is the CLI, not the module.
	if (/^ *\[</ && (/nstree/ || /\] 0x[0-9a-f]+$/)) mine = 1
}
END { exit bad ? 1 : 0 }
' "$log") || fail=1
[ -z "$leaks" ] || echo "$leaks"

if [ "$job" = bench ]; then
	# The figures, for tools/bench-report.py; the previous run's are kept
	# beside them, to say how close two runs came.
	[ -f "$out/bench.txt" ] && mv "$out/bench.txt" "$out/bench.prev.txt"
	{
		echo "bench: boot line $line smp ${NSTREE_VM_SMP:-$smp} accel ${accel[*]}"
		awk '/^NSTREE-PROFILE-BEGIN/{p=1} /^bench: |^NSTREE-GUEST-BEGIN/||p
			/^NSTREE-PROFILE-END/{p=0}' "$log"
	} >"$out/bench.txt"
	if grep -q '^not ok\|^bench: error\|^NSTREE-BENCH-END .* rc=[^0]' "$log"; then
		echo "vm.sh: $line: a benchmark failed (see $log)" >&2
		fail=1
	fi
fi

if [ "$job" = check ]; then
	# TAP results of each selftest binary; a binary that crashes or exits
	# non-zero without reporting a failed test counts as one failure.
	awk -v line="$line" -v res="$out/results" '
	/^NSTREE-TEST-START /	{
		name = $2; p = f = s = 0; t = $3; sub("at=", "", t); next
	}
	# The slowest cases of the line, in guest seconds.
	name != "" && /^(not )?ok [0-9]+ / {
		c = $0; gsub(/\r/, "", c); sub(/^(not )?ok [0-9]+ /, "", c); sub(/ #.*/, "", c)
	}
	/^NSTREE-CASE-END / && c != "" {
		secs = $2 - t; t = $2
		ncase++; cname[ncase] = name " " c; csecs[ncase] = secs; c = ""
	}
	/^NSTREE-TEST-END /	{
		rc = $3; sub("rc=", "", rc)
		if (rc == 4 && p + f + s == 0)
			s = 1
		else if (rc != 0 && f == 0)
			{ f = 1; printf "vm.sh: %s: %s exited %s\n", line, name, rc }
		secs = $4; sub("secs=", "", secs)
		if (secs != "")
			printf "vm.sh: %s: %s: %d passed, %d failed, %d skipped in %s s\n", line, name, p, f, s, secs
		P += p; F += f; S += s; name = ""; next
	}
	/^NSTREE-FATAL/		{ F++; print "vm.sh: " line ": " $0 }
	/^NSTREE-TIMEOUT /	{ print "vm.sh: " line ": " $0 }
	/^NSTREE-RMMOD rc=/	{ if ($2 != "rc=0") { F++; print "vm.sh: " line ": rmmod failed" } }
	name != "" && /^ok [0-9]+ / { if (/# SKIP/) s++; else p++ }
	name != "" && /^not ok [0-9]+ / { f++ }
	END {
		printf "%d %d %d\n", P, F, S > res
		for (k = 1; k <= 10 && k <= ncase; k++) {
			m = k
			for (j = k + 1; j <= ncase; j++)
				if (csecs[j] > csecs[m])
					m = j
			x = cname[k]; cname[k] = cname[m]; cname[m] = x
			x = csecs[k]; csecs[k] = csecs[m]; csecs[m] = x
			printf "vm.sh: %s: slowest %d: %s, %.1f s\n", line, k, cname[k], csecs[k]
		}
	}
	' "$log"
	read -r p f s <"$out/results"
	[ "$fail" -eq 0 ] || f=$((f + 1))
	echo "$p $f $s" >"$out/results"
	echo "vm.sh: $line: TAP: $p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ] || fail=1
fi

exit "$fail"
