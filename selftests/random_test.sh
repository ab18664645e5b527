#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The random scenarios (nstree-lab random:SEED, user/labs/lab-random.c)
# against the running kernel. For each seed:
#  - run 1 (nstree-lab answers): every question gets an answer from the
#    kernel's events, and they are the committed ones
#    (selftests/labs/random.answers, /nstree/labs/answers in the guest),
#    the same on every kernel line;
#  - run 2 (nstree-lab grade) grades run 1's answers, which must score
#    100/100 (the two runs agree), and the same sheet with its first
#    answer wrong, which must score 100 minus that question's points.
# And: lab-random --lab 1 is the committed selftests/labs/random-1.lab
# (the same seed, the same scenario, whatever the build); seed 1's
# transcript is the committed Documentation/labs/output/random-1.LINE.txt
# that the lab page shows (LINE as in labs_test; seed 1 always runs);
# every kind of operation occurs over the seeds.
#
# NSTREE_RANDOM_SEEDS="1 2 3" runs those seeds (default 1 to 10, which
# hold every kind of operation and a namespace's death: 4 to 27 s of
# guest time per seed).
# Run in the guest as /nstree/selftests/random_test, the module loaded.

# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/tap.sh"
seeds=${NSTREE_RANDOM_SEEDS:-$(seq 1 10)}

n=3
for s in $seeds; do
	n=$((n + 3))
done
tap_plan "$n"

# The same seed, the same scenario: the generator's output for seed 1 is
# committed, and must not change with the build or the libc.
lab-random --lab 1 >"$tmp/random-1.lab"
if diff -u "$labs/answers/random-1.lab" "$tmp/random-1.lab" >"$tmp/diff"; then
	ok "lab-random --lab 1 is the committed scenario"
else
	sed 's/^/# /' "$tmp/diff"
	notok "lab-random --lab 1 is the committed scenario"
fi

# Every kind of operation, over the seeds.
for s in $seeds; do
	lab-random --lab "$s"
done >"$tmp/all.lab"
missing=
for op in 'lab-random p[0-9]* fork ' 'lab-random p[0-9]* newpid ' \
	'lab-random p[0-9]* exit ' 'kill -9 ' 'lab-random p[0-9]* wait$' \
	'lab-random p[0-9]* subreaper$' 'lab-random p[0-9]* ignore-sigchld$'; do
	grep -q "^step $op" "$tmp/all.lab" || missing="$missing '$op'"
done
[ -z "$missing" ] || echo "# no step$missing"
# shellcheck disable=SC2086 # the seeds, one line
check "$([ -z "$missing" ]; echo $?)" "every kind of operation occurs over seeds $(echo $seeds | tr ' ' ,)"

for s in $seeds; do
	start=$(cut -d' ' -f1 /proc/uptime)
	# Run 1: the kernel's answers, against the committed ones.
	nstree-lab answers "random:$s" >"$tmp/$s.right" 2>"$tmp/$s.err"
	rc=$?
	awk -v h="# random-$s: " 'index($0, "# random-") == 1 {
		on = index($0, h) == 1 } on' "$labs/answers/random.answers" \
		>"$tmp/$s.want"
	if [ "$rc" -eq 0 ] && ! grep -q ': *$' "$tmp/$s.right" &&
	   diff -u "$tmp/$s.want" "$tmp/$s.right" >"$tmp/diff"; then
		ok "random:$s: run 1 answers every question, as committed"
	else
		sed 's/^/# /' "$tmp/$s.err" "$tmp/diff"
		notok "random:$s: run 1 answers every question, as committed"
	fi
	# Run 2: run 1's answers score 100; with the first one wrong, less.
	awk '!done && /^1: / { print "1: nobody-at-all"; done = 1; next } 1' \
		"$tmp/$s.right" >"$tmp/$s.wrong"
	pts=$(lab-random --lab "$s" | awk '$1 == "q" && $2 == 1 { print $3 }')
	expect=$((100 - pts))/100
	nstree-lab grade -t "$tmp/$s.out" "random:$s" "$tmp/$s.right" \
		"$tmp/$s.wrong" >"$tmp/$s.grade" 2>&1
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	echo "# random:$s: two runs in $(echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }') s"
	# shellcheck disable=SC2046 # two words: the two sheets' totals
	set -- $(sed -n 's/^Total: //p' "$tmp/$s.grade")
	if [ "$rc" -eq 0 ] && [ "${1:-}" = 100/100 ]; then
		ok "random:$s: run 1's answers score 100/100 in run 2"
	else
		sed 's/^/# /' "$tmp/$s.grade" "$tmp/$s.out"
		notok "random:$s: run 1's answers score 100/100 in run 2"
	fi
	if [ "$rc" -eq 0 ] && [ "${2:-}" = "$expect" ]; then
		ok "random:$s: one wrong answer scores $expect"
	else
		echo "# wrong sheet: '${2:-none}'"
		notok "random:$s: one wrong answer scores $expect"
	fi
done
# Seed 1's transcript, from its graded run (or its own run).
want=$labs/output/random-1.$line.txt
[ -r "$tmp/1.out" ] || nstree-lab grade -t "$tmp/1.out" random:1 /dev/null >/dev/null 2>&1
same_output "random:1: output on $line" "$want" "$tmp/1.out"
rm -rf "$tmp"
[ "$failures" -eq 0 ]
