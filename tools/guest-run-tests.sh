#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The check job inside the guest: every selftest, each between markers that
# tools/vm.sh counts. module_test loads and unloads the module itself, so it
# runs first, while the module is absent; the others run with it loaded.

cd /nstree/selftests || exit 1

run() {
	echo "NSTREE-TEST-START $1"
	"./$1"
	echo "NSTREE-TEST-END $1 rc=$?"
}

[ -x module_test ] && run module_test

if ! insmod "$NSTREE_KO"; then
	echo "NSTREE-FATAL insmod $NSTREE_KO failed"
	exit 1
fi

for t in *_test; do
	[ "$t" = module_test ] && continue
	run "$t"
done

rmmod nstree
echo "NSTREE-RMMOD rc=$?"
