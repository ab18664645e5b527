#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The built book (make docs) in a real browser, and its links:
#
#   tools/test-docs.sh [DIR]            (default build/docs)
#   tools/test-docs.sh --broken [DIR]   the same test on a copy of DIR
#                                       broken on purpose: it must fail
#
# 1. tools/test-docs.py check: every relative link and anchor resolves to
#    a file and an id of the build, every picture is there and every SVG
#    is well-formed with a size, every lab page has its picture;
# 2. headless chromium (Debian's) loads every page, each in a frame of one
#    harness page, and reports for each whether it loaded and whether each
#    of its pictures rendered (an <img> with a natural size, an <object>
#    whose SVG document is there and draws text in a non-empty box);
#    tools/test-docs.py verdict judges what it printed.
# Prints the counts; exits 1 when anything failed. Needs no network and
# no display.
#
# --broken shows that the test can fail: in a copy of the build it removes
# one picture, cuts another SVG short, points a link at a page that does
# not exist and another at an anchor that does not exist, runs the test on
# the copy and passes only when that run fails and names each of the four.
set -eu

broken=
if [ "${1:-}" = --broken ]; then
	broken=1
	shift
fi

top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build/docs}
py=/usr/bin/python3
[ -f "$dir/index.html" ] || { echo "test-docs: no $dir/index.html (make docs)" >&2; exit 1; }
command -v chromium >/dev/null ||
	{ echo "test-docs: no chromium (tools/install-deps.sh installs it)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -n "$broken" ]; then
	cp -r "$dir" "$tmp/copy"
	set -- "$tmp"/copy/_images/*.svg
	[ $# -ge 2 ] || { echo "test-docs: --broken: fewer than two SVG pictures in $dir" >&2; exit 1; }
	gone=$(basename "$1") cut=$(basename "$2")
	rm "$1"
	head -c 200 "$2" >"$tmp/cut" && mv "$tmp/cut" "$2"
	# The first link to another page and the first to an anchor of the
	# same page, each a Sphinx <a class="reference internal">.
	page=$tmp/copy/labs/index.html
	link=$(grep -o '<a class="reference internal" href="[^"#:]*\.html"' "$page" | head -1)
	anchor=$(grep -o '<a class="reference internal" href="#[^"]*"' "$page" | head -1)
	if [ -z "$anchor" ] || [ -z "$link" ]; then
		echo "test-docs: --broken: no link or no anchor in $page to break" >&2
		exit 1
	fi
	sed -i "s|$link|<a class=\"reference internal\" href=\"no-such-page.html\"|" "$page"
	sed -i "s|$anchor|<a class=\"reference internal\" href=\"#no-such-anchor\"|" "$page"
	if "$0" "$tmp/copy" >"$tmp/broken.out" 2>&1; then
		cat "$tmp/broken.out"
		echo "test-docs: --broken: the test passed a broken build" >&2
		exit 1
	fi
	rc=0
	for want in "no picture _images/$gone" "browser: FAIL .*$gone not rendered" \
		"$cut: not well-formed XML" "browser: FAIL .*$cut not rendered" \
		"no file .*no-such-page.html" "no id 'no-such-anchor'"; do
		grep -q "$want" "$tmp/broken.out" ||
			{ echo "test-docs: --broken: not reported: $want" >&2; rc=1; }
	done
	sed 's/^/  | /' "$tmp/broken.out"
	[ "$rc" -eq 0 ] && echo "test-docs: --broken: the broken copy failed, each breakage named"
	exit "$rc"
fi

rc=0
"$py" "$top/tools/test-docs.py" check "$dir" || rc=1

"$py" "$top/tools/test-docs.py" harness "$dir" "$tmp/harness.html"
# --no-sandbox: root (CI) cannot use chromium's sandbox; the pages are our
# own. A profile of its own in $tmp, and a home there too (GTK's dconf
# writes under it), so that nothing of the user's is read or written. The
# time budget is virtual: chromium ends as soon as the page and its frames
# are loaded and idle, at most that much later.
if ! HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache \
	timeout 120 chromium --headless --disable-gpu --no-sandbox \
	--no-first-run --no-default-browser-check --disable-extensions \
	--user-data-dir="$tmp/profile" --allow-file-access-from-files \
	--virtual-time-budget=30000 \
	--dump-dom "file://$tmp/harness.html" >"$tmp/dom.html" 2>"$tmp/chromium.err"; then
	echo "test-docs: chromium failed:" >&2
	cat "$tmp/chromium.err" >&2
	rc=1
fi
"$py" "$top/tools/test-docs.py" verdict "$dir" "$tmp/dom.html" || rc=1
if [ "$rc" -eq 0 ]; then
	echo "test-docs: passed"
else
	echo "test-docs: FAILED"
fi
exit "$rc"
