# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2034 # what it sets is for the scripts that source it
#
# Sourced by the selftests written in shell (labs_test.sh, random_test.sh),
# from beside them (tools/mkinitramfs.sh puts it in /nstree/selftests):
#  - $labs, the labs' files (/nstree/labs, or $NSTREE_LABS);
#  - $line, the kernel line whose committed outputs apply: the kernel's
#    major.minor, 6.1 or 6.12 (the PREEMPT_RT and debug builds of 6.12
#    run the same code paths as 6.12);
#  - $tmp, a new directory of the script's own;
#  - tap_plan N: the TAP header for N results; ok TEXT, notok TEXT,
#    check STATUS TEXT (ok when STATUS is 0), counting $failures, and
#    same_output TEXT WANT GOT (a transcript against the committed one).

labs=${NSTREE_LABS:-/nstree/labs}
case "$(uname -r)" in
6.1.*)	line=6.1 ;;
6.12.*)	line=6.12 ;;
*)	line=$(uname -r | cut -d. -f1,2) ;;
esac
tmp=${TMPDIR:-/tmp}/$(basename "$0" .sh).$$
mkdir -p "$tmp"

i=0 failures=0
tap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}
ok() {
	i=$((i + 1))
	echo "ok $i $1"
}
notok() {
	i=$((i + 1))
	echo "not ok $i $1"
	failures=$((failures + 1))
}
check() {
	if [ "$1" -eq 0 ]; then ok "$2"; else notok "$2"; fi
}

# same_output TEXT WANT GOT: ok when the file GOT is the committed file
# WANT; else its diff as comments (GOT itself when nothing is committed).
same_output() {
	if [ ! -r "$2" ]; then
		[ -r "$3" ] && sed 's/^/# /' "$3"
		notok "$1 (no committed $2)"
	elif [ -r "$3" ] && diff -u "$2" "$3" >"$tmp/same_output.diff"; then
		ok "$1"
	else
		echo "# diff against $2:"
		sed 's/^/# /' "$tmp/same_output.diff"
		notok "$1"
	fi
}
