#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The picture of a lab: the Graphviz graph that the lab's
# `nstree tree --format=dot` step printed, cut from its transcript.
#
#   tools/lab-dot.sh TRANSCRIPT      print the graph of LAB.LINE.txt
#   tools/lab-dot.sh --check DIR     check every committed LAB.LINE.dot of
#                                    DIR against its transcript
#
# The graph runs from "digraph" to its closing "}". A transcript with no
# such step, or more than one (a lab has one picture), or a step that
# printed no complete graph, is an error (exit 1). --check
# fails when a transcript with that step has no .dot beside it, when a
# .dot is not the graph its transcript holds, or when a .dot has no
# transcript: make lab-outputs writes both, and labs_test checks the
# transcript in the guest, so the pictures cannot drift either.
set -eu

graph() {
	awk -v f="$1" '
	/^\[[0-9]+\] / { in_step = 0 }
	/^\[[0-9]+\] \$ nstree tree .*--format=dot/ { steps++; in_step = 1; next }
	in_step && /^digraph / { graph = 1 }
	graph { text = text $0 "\n" }
	graph && /^}$/ { graph = 0; done++ }
	END {
		if (steps != 1 || done != 1) {
			printf "lab-dot: %s: %d nstree tree --format=dot steps, %d graphs (one of each wanted)\n", f, steps, done > "/dev/stderr"
			exit 1
		}
		printf "%s", text
	}' "$1"
}

if [ $# -eq 2 ] && [ "$1" = --check ]; then
	rc=0 n=0
	for t in "$2"/*.txt; do
		d=${t%.txt}.dot
		grep -q '^\[[0-9]*\] \$ nstree tree .*--format=dot' "$t" || continue
		n=$((n + 1))
		if [ ! -f "$d" ]; then
			echo "lab-dot: no $d for $t (make lab-outputs)" >&2
			rc=1
		elif ! graph "$t" | cmp -s - "$d"; then
			echo "lab-dot: $d is not the graph in $t (make lab-outputs)" >&2
			rc=1
		fi
	done
	for d in "$2"/*.dot; do
		[ -f "$d" ] || continue
		[ -f "${d%.dot}.txt" ] ||
			{ echo "lab-dot: $d has no transcript ${d%.dot}.txt" >&2; rc=1; }
	done
	[ "$rc" -ne 0 ] || echo "lab-dot: $n pictures, each the graph of its transcript"
	exit "$rc"
fi
[ $# -eq 1 ] || { echo "usage: $0 TRANSCRIPT | --check DIR" >&2; exit 1; }
graph "$1"
