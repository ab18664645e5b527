#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the host tools nstree needs to build and test, from Debian
# packages only. Guest kernels, their headers and linux-source-6.12 are not
# installed here, nor busybox-static (installing it would remove the
# host's busybox): tools/kernels.sh downloads them into its cache. dkms is
# for make dkms-install and its test; without its recommended kernel
# headers (--no-install-recommends). graphviz, python3-sphinx and chromium
# are for make docs and its test (tools/test-docs.sh): Sphinx builds the
# book, Graphviz draws the labs' pictures, headless chromium loads every
# page. gnuplot-nox draws make bench's plots. Idempotent:
# packages already present are not touched, so a second run only asks dpkg
# (and apt-cache) and returns.
set -eu

pkgs="make gcc libc6-dev dkms libnl-3-dev libnl-genl-3-dev libsmartcols-dev
pkg-config qemu-system-x86 cpio pahole sparse xz-utils
procps psmisc forkstat python3 python3-yaml python3-jsonschema
flex bison bc libelf-dev libssl-dev util-linux
graphviz python3-sphinx chromium gnuplot-nox"

# The kernels' meta packages must be known to apt-cache for tools/kernels.sh
# to resolve them: only an apt-get update can make them known.
known() {
	apt-cache show --no-all-versions linux-image-6.12-rt-amd64 \
		linux-source-6.12 >/dev/null 2>&1
}

missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing="$missing $p"
done

if [ -z "$missing" ] && known; then
	echo "install-deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:${missing:- none}; apt lists" \
		"$(known && echo "complete" || echo "lacking the kernels")" \
		"(run as root to install)" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
[ -z "$missing" ] && exit 0
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
