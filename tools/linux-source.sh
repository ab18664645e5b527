#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Extract the few files nstree takes from Debian's linux-source-6.12 into
# the build tree: the kselftest harness headers (no package ships them),
# checkpatch.pl with its data files, the YNL command-line client and the
# YNL schemas it validates specs against. Nothing extracted here is
# committed. A stamp makes reruns free until the tarball or this script
# changes.
#
#   tools/linux-source.sh OUTDIR
set -eu

out=${1:?usage: linux-source.sh OUTDIR}
# The tarball lives in the kernel cache (tools/kernels.sh), never in /usr/src.
tarball=$("$(dirname "$0")/kernels.sh" source)
stamp="$out/.extracted"

[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$tarball" ] && [ "$stamp" -nt "$0" ] &&
	exit 0

mkdir -p "$out"
echo "  EXTRACT $out (kselftest headers, checkpatch, ynl and its schemas)"
# The schemas only, not the kernel's own specs beside them: hence the
# pattern that stops at '/'.
tar -xJf "$tarball" -C "$out" --strip-components=1 --wildcards \
	'linux-source-6.12/tools/testing/selftests/kselftest.h' \
	'linux-source-6.12/tools/testing/selftests/kselftest_harness.h' \
	'linux-source-6.12/scripts/checkpatch.pl' \
	'linux-source-6.12/scripts/spelling.txt' \
	'linux-source-6.12/scripts/const_structs.checkpatch' \
	'linux-source-6.12/tools/net/ynl/*' \
	--no-wildcards-match-slash \
	'linux-source-6.12/Documentation/netlink/*.yaml'
echo "$tarball" >"$stamp"
