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

cd /nstree/selftests || exit 1
kmemleak=/sys/kernel/debug/kmemleak
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -w "$kmemleak" ] || kmemleak=

run() {
	echo "NSTREE-TEST-START $1"
	"./$1"
	echo "NSTREE-TEST-END $1 rc=$?"
}

uptime_s() {
	cut -d. -f1 /proc/uptime
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

for t in *_test; do
	[ "$t" = module_test ] && continue
	run "$t"
done

leakscan loaded
rmmod nstree
echo "NSTREE-RMMOD rc=$?"
leakscan unloaded
