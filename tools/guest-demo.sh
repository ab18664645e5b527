#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo job inside the guest (make demo): load the module and show
# nstree answering from the kernel.

show() {
	echo
	echo "guest# $*"
	"$@"
}

set -e
show insmod "$NSTREE_KO"
show nstree --version
show nstree info
# A new PID namespace: the same question, asked from one level down.
show unshare --pid --fork nstree info
show rmmod nstree
