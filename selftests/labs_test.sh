#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The coursework labs (Documentation/labs/) against the running kernel:
# each lab is run for real by nstree-lab and its normalised transcript
# compared with the committed one for this kernel line
# (/nstree/labs/output/LAB.LINE.txt, from Documentation/labs/output/);
# the same run grades two answer sheets (selftests/labs/LAB.right and
# .wrong), one right (must score 100/100) and one wrong (must score what
# its "# expect:" line says).
#
# The line is the kernel's major.minor: 6.1 or 6.12. The PREEMPT_RT and
# debug builds of 6.12 are compared with the 6.12 outputs: they run the
# same kernel code paths, and a difference there is worth a failure.
# A line with no committed output fails: nothing is skipped silently.
# Run in the guest as /nstree/selftests/labs_test, with the module loaded.

# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/tap.sh"

n=0
for f in "$labs"/[0-9][0-9]-*.lab; do
	n=$((n + 3))
done
tap_plan "$n"

for f in "$labs"/[0-9][0-9]-*.lab; do
	lab=$(basename "$f" .lab)
	want=$labs/output/$lab.$line.txt
	right=$labs/answers/$lab.right
	wrong=$labs/answers/$lab.wrong
	# One run: its transcript is compared, its facts grade both sheets.
	start=$(cut -d' ' -f1 /proc/uptime)
	nstree-lab grade -t "$tmp/$lab.out" "$lab" "$right" "$wrong" \
		>"$tmp/$lab.grade" 2>&1
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	echo "# $lab: run and graded in $(echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }') s"
	same_output "$lab: output on $line" "$want" "$tmp/$lab.out"
	sed 's/^/# /' "$tmp/$lab.grade"
	# The totals in sheet order: the right sheet's first.
	totals=$(sed -n 's/^Total: //p' "$tmp/$lab.grade" | tr '\n' ' ')
	expect=$(sed -n 's/^# expect: Total: //p' "$wrong")
	# shellcheck disable=SC2086 # two words: the two sheets' totals
	set -- $totals
	if [ "$rc" -eq 0 ] && [ "${1:-}" = 100/100 ]; then
		ok "$lab: right sheet 100/100"
	else
		echo "# right sheet: '${1:-none}' (grade exit $rc)"
		notok "$lab: right sheet 100/100"
	fi
	if [ "$rc" -eq 0 ] && [ -n "$expect" ] && [ "$expect" != 100/100 ] &&
	   [ "${2:-}" = "$expect" ]; then
		ok "$lab: wrong sheet $expect"
	else
		echo "# wrong sheet: '${2:-none}', expected '$expect' (grade exit $rc)"
		notok "$lab: wrong sheet ${expect:-(no '# expect:' line in $wrong)}"
	fi
done
rm -rf "$tmp"
[ "$failures" -eq 0 ]
