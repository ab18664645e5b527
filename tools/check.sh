#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, fetch (or build, for 6.12-debug) the
# guest kernels into the cache, build the module for every kernel line, run
# the host-side unit tests, then boot each line's guest and run the
# selftests, NSTREE_JOBS guests at a time (default 2), the slowest first.
# Every step counts as tests in the closing line, which has exactly the form
# "N passed, N failed, N skipped". Exits non-zero on any failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
P=0 F=0 S=0
failed=()

step() {	# step NAME COMMAND...: one pass or one failure
	local name=$1
	shift
	echo "== $name"
	if "$@"; then
		P=$((P + 1))
		echo "ok: $name"
	else
		F=$((F + 1))
		failed+=("$name")
		echo "FAILED: $name"
	fi
}

tap() {		# tap NAME FILE: add the TAP counts of FILE
	local name=$1 p f s
	p=$(grep -cE '^ok [0-9]+ ' "$2" | tr -d ' ')
	s=$(grep -E '^ok [0-9]+ ' "$2" | grep -c '# SKIP')
	f=$(grep -cE '^not ok [0-9]+ ' "$2")
	p=$((p - s))
	echo "$name: $p passed, $f failed, $s skipped"
	P=$((P + p)) F=$((F + f)) S=$((S + s))
	[ "$f" -eq 0 ] || failed+=("$name")
}

start=$(date +%s)
elapsed() {
	local t=$(($(date +%s) - start))
	printf '%dm%02ds' $((t / 60)) $((t % 60))
}

if ! tools/install-deps.sh; then
	echo "check: cannot install the dependencies"
	echo "0 passed, 1 failed"
	exit 1
fi
# The kernels first: on a fresh machine this is the download of the Debian
# lines and the one build of the debug line.
for line in $(tools/kernels.sh lines); do
	if ! tools/kernels.sh fetch "$line"; then
		echo "check: cannot get the $line kernel"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
tools/kernels.sh cache
echo "check: kernels ready after $(elapsed)"
tools/linux-source.sh build/linux-source || exit 1

step "build user/nstree and selftests (-Wall -Wextra -Werror)" \
	make -s user selftests
mkdir -p build
if make -s unit >build/unit.tap 2>&1 || grep -qE '^(not )?ok ' build/unit.tap; then
	cat build/unit.tap
	tap "host unit tests" build/unit.tap
	grep -qE '^ok ' build/unit.tap || {
		F=$((F + 1)); failed+=("host unit tests: none ran")
	}
else
	cat build/unit.tap
	F=$((F + 1)); failed+=("host unit tests: build")
fi
step "checkpatch --strict" make -s checkpatch
# Debian's python, which has python3-yaml and python3-jsonschema; not
# whichever python3 comes first on PATH.
step "YNL spec agrees with the uapi header" /usr/bin/python3 tools/check-spec.py

for line in $(tools/kernels.sh lines); do
	step "$line: module build, W=1 and sparse" \
		tools/build-module.sh "$line" sparse
done

# The guests, NSTREE_JOBS at a time. Each writes its console to its own
# file, shown whole once it is done. The debug line is the longest: it
# starts first, and the others follow one another beside it.
guest() {
	local line=$1
	rm -f "build/$line/results"
	mkdir -p "build/$line"
	tools/vm.sh "$line" check >"build/$line/check.out" 2>&1
	echo $? >"build/$line/check.rc"
	echo "== $line guest: finished at $(elapsed), exit $(cat "build/$line/check.rc")"
}
order=$(tools/kernels.sh lines | tr ' ' '\n' | grep -- '-debug$'
	tools/kernels.sh lines | tr ' ' '\n' | grep -v -- '-debug$')
jobs=${NSTREE_JOBS:-2}
running=0
for line in $order; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	echo "== $line guest: started at $(elapsed)"
	guest "$line" &
	running=$((running + 1))
done
wait
echo "check: guests done after $(elapsed)"

for line in $order; do
	echo "== $line guest"
	cat "build/$line/check.out"
	vmrc=$(cat "build/$line/check.rc" 2>/dev/null || echo 1)
	if [ -r "build/$line/results" ]; then
		read -r p f s <"build/$line/results"
		P=$((P + p)) F=$((F + f)) S=$((S + s))
		[ "$f" -eq 0 ] && [ "$vmrc" -eq 0 ] || failed+=("$line guest")
		if [ "$vmrc" -ne 0 ] && [ "$f" -eq 0 ]; then
			F=$((F + 1))
		fi
	else
		F=$((F + 1)); failed+=("$line guest: no results")
	fi
done

echo
for line in $(tools/kernels.sh lines); do
	[ -r "build/$line/results" ] &&
		read -r p f s <"build/$line/results" &&
		echo "kernel $line ($(tools/kernels.sh release "$line")): TAP $p passed, $f failed, $s skipped"
done
tools/kernels.sh cache
echo "check: $(elapsed) in all"
[ ${#failed[@]} -eq 0 ] || printf 'failed: %s\n' "${failed[@]}"
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
