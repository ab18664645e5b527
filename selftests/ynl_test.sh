#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The YNL spec against the running module: ynl_test.py drives the kernel's
# tools/net/ynl/cli.py with Documentation/netlink/specs/nstree.yaml. Run in
# the guest as /nstree/selftests/ynl_test, with the module loaded. Skips,
# with its reason, only when the guest has no python3 at all.

if ! command -v python3 >/dev/null 2>&1; then
	echo "TAP version 13"
	echo "1..1"
	echo "ok 1 ynl # SKIP no python3 in the guest (tools/mkinitramfs.sh found no python3 with python3-yaml)"
	exit 0
fi
exec python3 "$(dirname "$0")/ynl_test.py" "$@"
