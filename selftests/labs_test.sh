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

labs=${NSTREE_LABS:-/nstree/labs}
case "$(uname -r)" in
6.1.*)	line=6.1 ;;
6.12.*)	line=6.12 ;;
*)	line=$(uname -r | cut -d. -f1,2) ;;
esac
tmp=${TMPDIR:-/tmp}/labs_test.$$
mkdir -p "$tmp"

n=0
for f in "$labs"/[0-9][0-9]-*.lab; do
	n=$((n + 3))
done
echo "TAP version 13"
echo "1..$n"

i=0 failures=0
ok() {
	i=$((i + 1))
	echo "ok $i $1"
}
notok() {
	i=$((i + 1))
	echo "not ok $i $1"
	failures=$((failures + 1))
}

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
	if [ ! -r "$want" ]; then
		sed 's/^/# /' "$tmp/$lab.out"
		notok "$lab: output on $line (no committed $want)"
	elif [ -r "$tmp/$lab.out" ] && diff -u "$want" "$tmp/$lab.out" >"$tmp/$lab.diff"; then
		ok "$lab: output on $line"
	else
		echo "# diff against $want:"
		sed 's/^/# /' "$tmp/$lab.diff"
		notok "$lab: output on $line"
	fi
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
