#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, fetch the guest kernels into the
# cache, build the module for every kernel line, run the host-side unit
# tests (make unit: also make install and DKMS into temporary trees), build
# the book and test it in a browser (make docs test-docs), boot
# the 6.1 and 6.12 guests with the module DKMS built, run `make demo` as a
# uid that owns nothing (no root), and boot each line's guest to run the
# selftests, NSTREE_JOBS guests at a time (default 2), the slowest first.
# The debug line's kernel (a build, on a fresh machine) is made in the
# background, and its guest starts once the user space is built, beside
# the host steps; the other lines' guests follow them. Every
# step counts as tests in the closing line, which has exactly the form
# "N passed, N failed, N skipped".
# Exits non-zero on any failure.
set -uo pipefail
# -Werror for user/nstree too, also when this runs without `make check`.
export WERROR=1

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

# What the host's kernels look like before anything runs: the guest
# kernels are files in the cache, so after the run /boot, /lib/modules and
# the kernel packages dpkg knows must be exactly as they were.
# (/lib/modules by its kernels' names: a host tool's depmod trigger may
# touch what is inside them.) Packages dpkg only knows of, status "un"
# (not installed), do not count: installing dkms records its Recommends,
# linux-headers-amd64 and the others, so on a fresh machine, with none
# of them installed.
host_kernels() {
	ls -la --time-style=+%s /boot 2>&1
	ls -1 /lib/modules 2>&1
	dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' \
		'linux-image-*' 'linux-headers-*' 'linux-source-*' \
		'linux-kbuild-*' 2>/dev/null | awk 'substr($1, 2, 1) != "n"'
}
mkdir -p build
host_kernels >build/host-kernels.before

if ! tools/install-deps.sh; then
	echo "check: cannot install the dependencies"
	echo "0 passed, 1 failed"
	exit 1
fi
# The kernels first: on a fresh machine this is the download of the Debian
# lines. A built line (6.12-debug) is made in the background, its log and
# status in build/LINE/kernel.{log,rc}: its guest waits for it.
mkdir -p build
built=()
for line in $(tools/kernels.sh lines); do
	case "$line" in
	*-debug)
		built+=("$line")
		mkdir -p "build/$line"
		rm -f "build/$line/kernel.rc"
		{ tools/kernels.sh fetch "$line" >"build/$line/kernel.log" 2>&1
		  echo $? >"build/$line/kernel.rc"; } &
		disown $!	# not a guest: nothing below waits for it
		echo "check: building the $line kernel in the background (build/$line/kernel.log)"
		continue ;;
	esac
	if ! tools/kernels.sh fetch "$line"; then
		echo "check: cannot get the $line kernel"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
echo "check: Debian kernels ready after $(elapsed)"
tools/linux-source.sh build/linux-source || exit 1

step "build user/nstree and selftests (-Wall -Wextra -Werror)" \
	make -s user selftests

is_built() {
	case " ${built[*]} " in *" $1 "*) return 0 ;; esac
	return 1
}
# The guests, NSTREE_JOBS at a time (default 2, the cores TCG has). Each
# writes its console to its own file, shown whole once it is done. A
# built line (6.12-debug) is the longest: its guest starts as soon as the
# user space is built, beside the host steps below, and waits there for
# its kernel if that is still building (its module build is a step of its
# own, counted from build/LINE/steps). The others follow in the slots
# that free. A guest that ends writes its line to a FIFO, which the
# scheduler reads: bash's `wait -n` does not see a job that ended before
# it was called.
guest() {
	local line=$1 rc
	rm -f "build/$line/results" "build/$line/steps"
	mkdir -p "build/$line"
	if is_built "$line"; then
		while [ ! -s "build/$line/kernel.rc" ]; do
			sleep 5	# a background build, no handshake to wait on
		done
		rc=$(cat "build/$line/kernel.rc")
		echo "== $line kernel: ready at $(elapsed), exit $rc"
		if [ "$rc" -ne 0 ]; then
			tail -n 30 "build/$line/kernel.log"
			echo "F $line: kernel build" >"build/$line/steps"
			echo 1 >"build/$line/check.rc"
			return
		fi
		if tools/build-module.sh "$line" sparse >"build/$line/module.out" 2>&1; then
			echo "P $line: module build, W=1 and sparse" >"build/$line/steps"
		else
			cat "build/$line/module.out"
			echo "F $line: module build, W=1 and sparse" >"build/$line/steps"
			echo 1 >"build/$line/check.rc"
			return
		fi
	fi
	tools/vm.sh "$line" check >"build/$line/check.out" 2>&1
	echo $? >"build/$line/check.rc"
	echo "== $line guest: finished at $(elapsed), exit $(cat "build/$line/check.rc")"
}
mkfifo build/guests.fifo && exec 9<>build/guests.fifo && rm build/guests.fifo || exit 1
jobs=${NSTREE_JOBS:-2}
running=0 order=
start_guest() {
	if [ "$running" -ge "$jobs" ]; then
		read -r _ <&9
		running=$((running - 1))
	fi
	echo "== $1 guest: started at $(elapsed)"
	{ guest "$1"; echo "$1" >&9; } &
	running=$((running + 1))
	order="$order $1"
}
for line in "${built[@]}"; do
	start_guest "$line"
done

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
# The book: Sphinx with -W, the labs' pictures checked against their
# transcripts and drawn, every page, picture and link in headless chromium,
# and the same test failing on a copy broken on purpose.
t0=$(date +%s)
step "book: make docs, then make test-docs (headless chromium)" \
	make -s docs test-docs
echo "check: the book took $(($(date +%s) - t0)) s"

for line in $(tools/kernels.sh lines); do
	is_built "$line" && continue
	step "$line: module build, W=1 and sparse" \
		tools/build-module.sh "$line" sparse
done

# guest_cmd LINE COMMAND: one short guest job, which must end with its
# command's exit status 0.
guest_cmd() {
	tools/vm.sh "$1" cmd "$2" &&
	grep -q '^NSTREE-GUEST-DONE rc=0' "build/$1/console-cmd.log"
}
dkms_smoke() {
	[ -f "build/dkms/$1/nstree.ko" ] ||
		{ echo "check: no build/dkms/$1/nstree.ko (make unit makes it)"; return 1; }
	NSTREE_VM_KO="$top/build/dkms/$1/nstree.ko" \
		guest_cmd "$1" "cd /nstree/selftests && ./info_test"
}

timed() {	# timed NAME COMMAND...: a step, and how long it took
	local t0
	t0=$(date +%s)
	step "$@"
	echo "check: '$1' took $(($(date +%s) - t0)) s"
}

# DKMS's module (make unit built it against the 6.1 and 6.12 header trees,
# tools/test-dkms.sh): loaded in its guest, the info selftest passes.
for line in 6.1 6.12; do
	case " $(tools/kernels.sh lines) " in *" $line "*) ;; *) continue ;; esac
	timed "$line: the module DKMS built loads and passes info_test" \
		dkms_smoke "$line"
done

# No root: a copy of the sources, owned by a uid with no account and no
# files (NSTREE_NOROOT_UID, default 64999), runs `make demo` with nothing
# but its own home and temporary directory: the kernels come from the
# cache root filled, /dev/kvm is not its to open. Afterwards the uid must
# own nothing outside the copy, and its own cache must be empty (nothing
# was downloaded). Needs root to switch to that uid; run as a user, this
# whole make check is that proof.
noroot() {
	local uid=${NSTREE_NOROOT_UID:-64999} w stray roots=(/) m
	if getent passwd "$uid" >/dev/null; then
		echo "check: uid $uid has an account: set NSTREE_NOROOT_UID"
		return 1
	fi
	w=$(mktemp -d /tmp/nstree-noroot.XXXXXX) || return 1
	mkdir -p "$w/src" "$w/home" "$w/tmp"
	git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$w/src"
	chown -R "$uid:$uid" "$w"
	setpriv --reuid="$uid" --regid="$uid" --clear-groups --no-new-privs \
		env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$w/home" \
		TMPDIR="$w/tmp" LANG=C.UTF-8 MAKEFLAGS=-j2 \
		bash -c 'cd "$0/src" && make -s demo' "$w" \
		>build/noroot.log 2>&1
	local rc=$?
	grep -E '^vm.sh: booting|^NSTREE-GUEST-DONE|^make|rror' build/noroot.log
	[ "$rc" -eq 0 ] || { tail -n 30 build/noroot.log; echo "check: make demo as uid $uid: exit $rc"; }
	for m in /dev/shm /run /tmp /var/tmp; do
		mountpoint -q "$m" && roots+=("$m")
	done
	stray=$(find "${roots[@]}" -xdev -uid "$uid" ! -path "$w" ! -path "$w/*" 2>/dev/null)
	if [ -n "$stray" ]; then
		echo "check: uid $uid wrote outside its copy:"
		echo "$stray" | head -n 20
		rc=1
	fi
	if [ -e "$w/home/.cache/nstree" ]; then
		echo "check: uid $uid fetched into its own cache:"
		ls -R "$w/home/.cache/nstree" | head -n 20
		rc=1
	fi
	rm -rf "$w"
	return "$rc"
}
if [ "$(id -u)" -eq 0 ]; then
	timed "no root: make demo as a uid that owns nothing" noroot
else
	echo "check: running as uid $(id -u), not root: this run is the no-root proof"
fi

# The rest of the guests, longest first: 6.12-rt, 6.1, then 6.12 (the
# guest seconds of the last runs, in the table below), each in the first
# slot that frees.
lines=" $(tools/kernels.sh lines) "
for line in 6.12-rt 6.1 6.12 $lines; do
	case "$lines" in *" $line "*) ;; *) continue ;; esac
	case " $order " in *" $line "*) continue ;; esac
	start_guest "$line"
done
while [ "$running" -gt 0 ]; do
	read -r _ <&9
	running=$((running - 1))
done
echo "check: guests done after $(elapsed)"

for line in $order; do
	if [ -r "build/$line/steps" ]; then
		while read -r r name; do
			echo "== $name"
			if [ "$r" = P ]; then
				P=$((P + 1)); echo "ok: $name"
			else
				F=$((F + 1)); failed+=("$name"); echo "FAILED: $name"
			fi
		done <"build/$line/steps"
		grep -q '^F' "build/$line/steps" && continue
	fi
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

host_kernels >build/host-kernels.after
step "host untouched: /boot, /lib/modules and dpkg's kernel packages" \
	diff -u build/host-kernels.before build/host-kernels.after

echo
for line in $(tools/kernels.sh lines); do
	[ -r "build/$line/results" ] &&
		read -r p f s <"build/$line/results" &&
		echo "kernel $line ($(tools/kernels.sh release "$line")): TAP $p passed, $f failed, $s skipped"
done
# Guest seconds of each test binary on each line (from the lines vm.sh
# prints at each binary's end): where the time of make check goes.
lines=$(tools/kernels.sh lines)
for line in $lines; do
	[ -r "build/$line/check.out" ] && cat "build/$line/check.out"
done | awk -v lines="$lines" '
	BEGIN { n = split(lines, L, " ") }
	/^vm\.sh: [^ ]+: [a-z_0-9]+: [0-9]+ passed, .* in [0-9]+ s$/ {
		l = $2; sub(/:$/, "", l); b = $3; sub(/:$/, "", b)
		if (!(b in seen)) { seen[b] = 1; order[++nb] = b }
		t[b, l] = $(NF - 1); sum[l] += $(NF - 1)
	}
	END {
		if (!nb)
			exit
		printf "%-22s", "guest seconds"
		for (i = 1; i <= n; i++) printf " %9s", L[i]
		printf "\n"
		for (j = 1; j <= nb; j++) {
			printf "%-22s", order[j]
			for (i = 1; i <= n; i++)
				printf " %9s", ((order[j], L[i]) in t) ? t[order[j], L[i]] : "-"
			printf "\n"
		}
		printf "%-22s", "all"
		for (i = 1; i <= n; i++) printf " %9s", sum[L[i]] + 0
		printf "\n"
	}'
tools/kernels.sh cache
echo "check: $(elapsed) in all"
[ ${#failed[@]} -eq 0 ] || printf 'failed: %s\n' "${failed[@]}"
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
