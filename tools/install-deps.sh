#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install what nstree needs to build and test, from Debian packages only.
# Idempotent: packages already present are not touched, so a second run
# only asks dpkg and returns.
set -eu

pkgs="make gcc libc6-dev libnl-3-dev libnl-genl-3-dev libsmartcols-dev
pkg-config qemu-system-x86 busybox-static cpio pahole sparse xz-utils
procps psmisc forkstat linux-headers-amd64 linux-image-amd64
linux-headers-6.12-amd64 linux-image-6.12-amd64 linux-source-6.12
python3.11 python3-yaml python3-jsonschema"

missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install)" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
