#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerate the labs' committed outputs from real guest runs:
#
#   tools/lab-outputs.sh LINE...     (make lab-outputs; LAB_LINES)
#
# Boots each line's guest once (tools/vm.sh LINE cmd), runs every lab with
# nstree-lab run, and writes Documentation/labs/output/LAB.LINE.txt from
# the console, between the NSTREE-LAB-* markers, and LAB.LINE.dot, the
# graph of the lab's `nstree tree --format=dot` step (tools/lab-dot.sh):
# the lab's picture. Then, for each lab,
# LAB.lines.txt says how the 6.1 output differs from the 6.12 one (a
# unified diff), or that they are the same: the lab pages include it, so
# a difference between kernel lines is shown, never hidden. A lab that
# fails in the guest writes no file and fails this script.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/Documentation/labs/output
mkdir -p "$out"
[ $# -gt 0 ] || set -- 6.12 6.1
fail=0

for line in "$@"; do
	# shellcheck disable=SC2016 # the guest's shell expands it
	"$top/tools/vm.sh" "$line" cmd '
for f in /nstree/labs/[0-9][0-9]-*.lab; do
	b=$(basename "$f" .lab)
	t0=$(cut -d" " -f1 /proc/uptime)
	echo "NSTREE-LAB-BEGIN $b"
	nstree-lab run "$b" 2>/tmp/lab.err
	rc=$?
	echo "NSTREE-LAB-END $b rc=$rc"
	cat /tmp/lab.err
	echo "NSTREE-LAB-TIME $b $t0 $(cut -d" " -f1 /proc/uptime)"
done' >/dev/null || true
	log=$top/build/$line/console-cmd.log
	labs=$(sed -n 's/^NSTREE-LAB-BEGIN //p' "$log")
	[ -n "$labs" ] || { echo "lab-outputs: $line: no lab ran (see $log)" >&2; fail=1; }
	for b in $labs; do
		if ! grep -q "^NSTREE-LAB-END $b rc=0\$" "$log"; then
			echo "lab-outputs: $line: $b failed in the guest:" >&2
			sed -n "/^NSTREE-LAB-BEGIN $b\$/,/^NSTREE-LAB-TIME $b /p" "$log" >&2
			fail=1
			continue
		fi
		sed -n "/^NSTREE-LAB-BEGIN $b\$/,/^NSTREE-LAB-END $b /p" "$log" |
			sed '1d;$d' >"$out/$b.$line.txt"
		awk -v l="$line" '$1 == "NSTREE-LAB-TIME" {
			printf "lab-outputs: %s: %s in %.2f s of guest time\n", l, $2, $4 - $3 }' \
			<(grep "^NSTREE-LAB-TIME $b " "$log")
		echo "lab-outputs: wrote ${out#"$top"/}/$b.$line.txt"
		# The lab's picture: the graph its nstree tree --format=dot
		# step printed.
		if grep -q '^\[[0-9]*\] \$ nstree tree .*--format=dot' "$out/$b.$line.txt"; then
			if "$top/tools/lab-dot.sh" "$out/$b.$line.txt" >"$out/$b.$line.dot"; then
				echo "lab-outputs: wrote ${out#"$top"/}/$b.$line.dot"
			else
				rm -f "$out/$b.$line.dot"
				fail=1
			fi
		else
			rm -f "$out/$b.$line.dot"
		fi
	done
done

# The kernel lines compared, for the lab pages.
for f in "$out"/*.6.12.txt; do
	b=$(basename "$f" .6.12.txt)
	other=$out/$b.6.1.txt
	[ -r "$other" ] || continue
	if diff -u --label "6.12" --label "6.1" "$f" "$other" >"$out/$b.lines.txt.tmp"; then
		echo "The outputs on 6.1 and 6.12 are the same, line for line." >"$out/$b.lines.txt"
		rm -f "$out/$b.lines.txt.tmp"
	else
		mv "$out/$b.lines.txt.tmp" "$out/$b.lines.txt"
	fi
done
exit "$fail"
