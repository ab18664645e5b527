#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the nstree guest for one kernel line under QEMU/TCG and run a job:
#
#   tools/vm.sh LINE check   run every selftest; writes build/LINE/results
#   tools/vm.sh LINE demo    show nstree working
#   tools/vm.sh LINE shell   an interactive shell, module loaded
#   tools/vm.sh LINE bench   figures (selftests/*_bench), 8G of memory
#   tools/vm.sh LINE cmd 'COMMAND LINE'
#                            run one shell command line, module loaded
#
# The guest runs under a hard timeout (NSTREE_VM_TIMEOUT seconds). A guest
# that times out, never reports its end, or whose kernel log has a warning,
# a BUG, an Oops, a lockdep, KASAN, refcount or RCU stall report, is a
# failure: this script exits non-zero and shows the offending lines.
# NSTREE_VM_MEM sets the guest's memory (default 4G); NSTREE_VM_APPEND
# adds to the kernel command line (e.g. slub_debug=FZPU). KVM is never used:
# it hangs on machines without nested virtualisation.
set -euo pipefail

line=${1:?usage: vm.sh LINE check|demo|bench|shell|cmd}
job=${2:?usage: vm.sh LINE check|demo|bench|shell|cmd}
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/$line"
mkdir -p "$out"

case "$job" in
check)	timeout=${NSTREE_VM_TIMEOUT:-1200} ;;
demo)	timeout=${NSTREE_VM_TIMEOUT:-300} ;;
shell)	timeout= ;;
bench)	timeout=${NSTREE_VM_TIMEOUT:-3000}
	NSTREE_VM_MEM=${NSTREE_VM_MEM:-8G} ;;
cmd)	timeout=${NSTREE_VM_TIMEOUT:-600}
	printf '%s\n' "${3:?usage: vm.sh LINE cmd 'COMMAND LINE'}" \
		>"$out/cmd.sh" ;;
*)	echo "vm.sh: unknown job '$job'" >&2; exit 1 ;;
esac

ko=$("$top/tools/build-module.sh" "$line")
make -s -C "$top" user selftests
image=$("$top/tools/kernels.sh" image "$line")
[ -r "$image" ] || { echo "vm.sh: cannot read $image" >&2; exit 1; }
[ "$job" = cmd ] || rm -f "$out/cmd.sh"
"$top/tools/mkinitramfs.sh" "$ko" "$out/initramfs.cpio.gz" "$out/cmd.sh"

qemu=(qemu-system-x86_64 -accel tcg,thread=multi -smp 2
	-m "${NSTREE_VM_MEM:-4G}" -nographic -no-reboot
	-kernel "$image" -initrd "$out/initramfs.cpio.gz"
	-append "console=ttyS0 quiet panic=-1 nstree.job=$job${NSTREE_VM_APPEND:+ $NSTREE_VM_APPEND}")

if [ "$job" = shell ]; then
	exec "${qemu[@]}"
fi

log="$out/console-$job.log"
echo "vm.sh: booting $(basename "$image") ($job, timeout ${timeout}s)"
set +e
# The whole console goes to the log; the terminal gets what the guest's
# /init says, and of the rest (firmware, early boot, the dmesg dump) only
# the kernel's reports of trouble.
timeout -k 10 "$timeout" "${qemu[@]}" </dev/null 2>&1 | tr -d '\r' |
	tee "$log" | awk '/NSTREE-GUEST-BEGIN/{s=1} /^NSTREE-BEGIN-DMESG/{s=0}
		s || /Kernel panic|BUG:|Oops|WARNING:|Call Trace/
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
bad='WARNING:|BUG:|Oops|Call Trace|lockdep|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|KASAN|refcount_t|rcu.*stall|general protection fault|Kernel panic'
klog=$(awk '/^NSTREE-BEGIN-DMESG/{d=1;next} /^NSTREE-END-DMESG/{d=0} d||/^\[ *[0-9]+\.[0-9]+\]/' "$log")
if grep -E "$bad" <<<"$klog" >&2; then
	echo "vm.sh: $line: the kernel log has the warnings above" >&2
	fail=1
fi

if [ "$job" = check ]; then
	# TAP results of each selftest binary; a binary that crashes or exits
	# non-zero without reporting a failed test counts as one failure.
	awk -v line="$line" -v res="$out/results" '
	/^NSTREE-TEST-START /	{ name = $2; p = f = s = 0; next }
	/^NSTREE-TEST-END /	{
		rc = $3; sub("rc=", "", rc)
		if (rc == 4 && p + f + s == 0)
			s = 1
		else if (rc != 0 && f == 0)
			{ f = 1; printf "vm.sh: %s: %s exited %s\n", line, name, rc }
		P += p; F += f; S += s; name = ""; next
	}
	/^NSTREE-FATAL/		{ F++; print "vm.sh: " line ": " $0 }
	/^NSTREE-RMMOD rc=/	{ if ($2 != "rc=0") { F++; print "vm.sh: " line ": rmmod failed" } }
	name != "" && /^ok [0-9]+ / { if (/# SKIP/) s++; else p++ }
	name != "" && /^not ok [0-9]+ / { f++ }
	END { printf "%d %d %d\n", P, F, S > res }
	' "$log"
	read -r p f s <"$out/results"
	[ "$fail" -eq 0 ] || f=$((f + 1))
	echo "$p $f $s" >"$out/results"
	echo "vm.sh: $line: TAP: $p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ] || fail=1
fi

exit "$fail"
