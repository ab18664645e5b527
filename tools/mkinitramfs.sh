#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the guest's initramfs: busybox, /init, the module built for one
# kernel line, the CLI, the selftests, the labs, YNL's cli.py with the nstree spec and
# the part of Debian's python3 it uses, and every shared library they
# need.
#
#   tools/mkinitramfs.sh KO OUT.cpio.gz [CMD.sh]
set -eu

ko=${1:?usage: mkinitramfs.sh KO OUT}
out=${2:?usage: mkinitramfs.sh KO OUT}
top=$(cd "$(dirname "$0")/.." && pwd)
stage="$out.d"

rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/usr/bin" "$stage/nstree/selftests" \
	"$stage/etc" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" \
	"$stage/root"

cp "$("$top/tools/kernels.sh" busybox)" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
# The kernel's request_module() runs /sbin/modprobe (module autoload);
# busybox's reads the modules.dep and modules.alias its depmod writes.
mkdir -p "$stage/sbin"
ln -s ../bin/busybox "$stage/sbin/modprobe"
cp "$top/tools/guest-init.sh" "$stage/init"
cp "$top/tools/guest-run-tests.sh" "$stage/nstree/run-tests.sh"
cp "$top/tools/guest-demo.sh" "$stage/nstree/demo.sh"
cp "$top/tools/guest-bench.sh" "$stage/nstree/bench.sh"
cp "$ko" "$stage/nstree/nstree.ko"
if [ -n "${3:-}" ] && [ -f "$3" ]; then
	cp "$3" "$stage/nstree/cmd.sh"
fi
cp "$top/user/nstree" "$stage/usr/bin/nstree"
for t in "$top"/selftests/*_test "$top"/selftests/*_bench; do
	[ -x "$t" ] && cp "$t" "$stage/nstree/selftests/"
done
cp "$top/build/exec_loop" "$stage/nstree/selftests/exec_loop"
# Script tests run as NAME_test, like the binaries; their helpers beside.
for t in "$top"/selftests/*_test.sh; do
	[ -f "$t" ] && install -m 755 "$t" "$stage/nstree/selftests/$(basename "$t" .sh)"
done
for t in "$top"/selftests/*.py "$top"/selftests/tap.sh; do
	[ -f "$t" ] && cp "$t" "$stage/nstree/selftests/"
done
chmod 755 "$stage/init"

# The coursework labs (Documentation/labs/): their programs and runner on
# PATH; the lab files, the committed outputs and the test answer sheets
# under /nstree/labs.
mkdir -p "$stage/nstree/labs/output" "$stage/nstree/labs/answers"
for p in "$top"/build/labs/*; do
	[ -x "$p" ] && cp "$p" "$stage/usr/bin/"
done
install -m 755 "$top/user/labs/nstree-lab" "$stage/usr/bin/nstree-lab"
cp "$top"/user/labs/*.lab "$stage/nstree/labs/"
for f in "$top"/Documentation/labs/output/*.txt; do
	[ -f "$f" ] && cp "$f" "$stage/nstree/labs/output/"
done
for f in "$top"/selftests/labs/*; do
	[ -f "$f" ] && cp "$f" "$stage/nstree/labs/answers/"
done

# Extra programs from the host, for ground truth and comparison, when
# installed: their absence only limits what the tests can compare with.
# busybox has no nohup applet; coreutils' is the real one anyway.
for p in /usr/bin/forkstat /usr/bin/nohup /usr/bin/pstree /usr/bin/ps \
		/usr/bin/lsns; do
	[ -x "$p" ] && cp "$p" "$stage$p"
done
# perf, for profiles in the bench guest (NSTREE_PERF=1, set by vm.sh's
# bench job): with its libraries (python among them) it is large.
if [ "${NSTREE_PERF:-0}" = 1 ] && [ -x /usr/bin/perf ]; then
	cp /usr/bin/perf "$stage/usr/bin/perf"
fi

# YNL's cli.py and the spec, for selftests/ynl_test.py, with python: not
# all of it (54 MB) but the modules that cli.py and the Python tests
# import, found by loading them here (cli.py from the initramfs's own copy)
# and listing what got imported; compiled once here (unchecked-hash: valid
# whatever the mtimes) so the slow guest never compiles. The spec's schema
# check is done on the host (tools/check-spec.py): the guest runs cli.py
# with --no-schema. The selftests' json.c has python3's json module read
# every JSON text the tests read, as an independent parser: the probe
# imports it.
# Debian's python3, whichever version it is (3.11 on Debian 12).
py=$(readlink -f /usr/bin/python3 2>/dev/null || echo /usr/bin/python3)
pyname=${py##*/}
ynl="$top/build/linux-source/tools/net/ynl"
if [ -x "$py" ] && [ -r "$ynl/cli.py" ] && "$py" -c 'import yaml' 2>/dev/null; then
	mkdir -p "$stage/nstree/ynl/lib"
	cp "$ynl/cli.py" "$stage/nstree/ynl/"
	cp "$ynl"/lib/*.py "$stage/nstree/ynl/lib/"
	cp "$top/Documentation/netlink/specs/nstree.yaml" "$stage/nstree/ynl/"
	cp "$py" "$stage/usr/bin/$pyname"
	[ "$pyname" = python3 ] || ln -s "$pyname" "$stage/usr/bin/python3"
	(cd "$stage/nstree/ynl" && "$py" -B -E -s -c '
import json, sys
sys.path.insert(0, ".")
for path in sys.argv[2:]:
	exec(compile(open(path).read(), path, "exec"), {"__name__": "probe"})
for m in list(sys.modules.values()):
	f = getattr(m, "__file__", None) or ""
	if f.startswith((sys.argv[1], "/usr/lib/python3/dist-packages/yaml/")):
		print(f)
' "/usr/lib/$pyname/" cli.py "$top"/selftests/*.py) >"$out.pyfiles"
	sort -u "$out.pyfiles" | while read -r f; do
		mkdir -p "$stage$(dirname "$f")"
		cp -L "$f" "$stage$f"
	done
	rm -f "$out.pyfiles"
	"$py" -m compileall -q -j0 --invalidation-mode unchecked-hash \
		-s "$stage" -p / "$stage/usr/lib" "$stage/nstree/ynl"
else
	echo "mkinitramfs: no $py with python3-yaml, or no $ynl:" \
		"the guest gets no cli.py and ynl_test skips" >&2
fi

# C.UTF-8, for nstree -U in the guest's C locale.
if [ -d /usr/lib/locale/C.utf8 ]; then
	mkdir -p "$stage/usr/lib/locale"
	cp -r /usr/lib/locale/C.utf8 "$stage/usr/lib/locale/"
fi

# Shared libraries of every dynamic program, at the paths ldd gives.
for bin in "$stage"/usr/bin/* "$stage"/nstree/selftests/* \
		$(find "$stage/usr/lib" -name '*.so' 2>/dev/null); do
	ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true
done | sort -u | while read -r lib; do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done

cat >"$stage/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$stage/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP

(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
