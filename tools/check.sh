#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build for both kernel lines, run the
# host-side unit tests, then boot each kernel's guest and run the selftests.
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

if ! tools/install-deps.sh; then
	echo "check: cannot install the dependencies"
	echo "0 passed, 1 failed"
	exit 1
fi
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
step "YNL spec agrees with the uapi header" /usr/bin/python3.11 tools/check-spec.py

for line in $(tools/kernels.sh lines); do
	step "$line: module build, W=1 and sparse" \
		tools/build-module.sh "$line" sparse
	rm -f "build/$line/results"
	tools/vm.sh "$line" check
	vmrc=$?
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
[ ${#failed[@]} -eq 0 ] || printf 'failed: %s\n' "${failed[@]}"
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
