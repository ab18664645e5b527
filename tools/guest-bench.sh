#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The bench job in the guest (tools/vm.sh LINE bench): every
# selftests/*_bench, the module loaded first (events_bench unloads and
# loads it itself). With nstree.profile=1 on the kernel command line and
# perf in the initramfs (NSTREE_PROFILE=1 for vm.sh), perf profiles
# follow: `nstree ps` over 5,000 processes, and a fork loop watched by one
# `nstree watch`, system-wide.

rc=0
insmod "$NSTREE_KO" || exit 1
cd /nstree/selftests || exit 1
# The events first: their figures are the quickest to come.
set -- ./events_bench
for b in ./*_bench; do
	[ "$b" = ./events_bench ] || set -- "$@" "$b"
done
for b in "$@"; do
	echo "NSTREE-BENCH-START $b"
	"$b"
	r=$?
	[ "$r" -eq 0 ] || rc=1
	echo "NSTREE-BENCH-END $b rc=$r"
done

[ "${NSTREE_PROFILE:-0}" = 1 ] || exit $rc
if ! [ -x /usr/bin/perf ]; then
	echo "bench: profile absent # perf is not in this guest"
	exit $rc
fi
[ -d /sys/module/nstree ] || insmod "$NSTREE_KO"
echo -1 >/proc/sys/kernel/perf_event_paranoid
echo 0 >/proc/sys/kernel/kptr_restrict
report() {
	perf report -i "$1" --stdio --no-children --sort dso,sym \
		--percent-limit 0.7 -g none 2>/dev/null | grep -v '^#' |
		grep -v '^$' | head -40
}

echo "NSTREE-PROFILE-BEGIN nstree_ps_5000"
./events_bench --sleepers 5000 -- \
	perf record -q -F 2000 -g -o /tmp/ps.data -- nstree ps >/dev/null
report /tmp/ps.data
echo "NSTREE-PROFILE-END"

echo "NSTREE-PROFILE-BEGIN watch1_fork_loop"
perf record -q -F 2000 -a -g -o /tmp/fork.data -- \
	./events_bench --watched-loop 2000
report /tmp/fork.data
echo "NSTREE-PROFILE-END"
exit $rc
