#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the nstree test guest. The job comes from the kernel command line
# (nstree.job=check|demo|shell); results travel back over the serial console
# between NSTREE-* markers that tools/vm.sh reads. The guest always ends with
# a reset, which QEMU (-no-reboot) takes as its exit: the 6.12-debug kernel
# has no PCI, so ACPI cannot load its tables and cannot power off. Only a
# hang or a panic can keep the host waiting, and the host's timeout covers
# those.

/bin/busybox --install -s /bin
export PATH=/usr/bin:/bin:/sbin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp /run
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
hostname nstree-guest
ip link set lo up 2>/dev/null

NSTREE_KO=/nstree/nstree.ko
export NSTREE_KO

job= labs=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	nstree.job=*) job=${arg#nstree.job=} ;;
	nstree.stress=*) NSTREE_STRESS_CYCLES=${arg#nstree.stress=}
		export NSTREE_STRESS_CYCLES ;;
	nstree.scale=*) NSTREE_SCALE=${arg#nstree.scale=}; export NSTREE_SCALE ;;
	nstree.suite=*) NSTREE_SUITE=${arg#nstree.suite=}; export NSTREE_SUITE ;;
	nstree.labs=1) labs=1 ;;
	nstree.profile=*) NSTREE_PROFILE=${arg#nstree.profile=}
		export NSTREE_PROFILE ;;
	nstree.sizes=*) NSTREE_BENCH_SIZES=${arg#nstree.sizes=}
		export NSTREE_BENCH_SIZES ;;
	esac
done

# A line of its own: the firmware leaves escape sequences on the last one.
echo
echo "NSTREE-GUEST-BEGIN job=$job kernel=$(uname -r)"

rc=0
case "$job" in
check)	sh /nstree/run-tests.sh; rc=$? ;;
demo)	sh /nstree/demo.sh; rc=$? ;;
bench)	sh /nstree/bench.sh; rc=$? ;;
cmd)	insmod "$NSTREE_KO" && sh /nstree/cmd.sh; rc=$? ;;
shell)	insmod "$NSTREE_KO" && echo "nstree loaded; type 'reboot -f' or exit to leave"
	# make lab-shell: the labs, and how to run and grade one.
	if [ -n "$labs" ]; then
		echo "The labs (Documentation/labs/), their programs on PATH:"
		nstree-lab list
		echo "nstree-lab run 2: run lab 2 for real; nstree-lab questions 2 >answers: its questions"
		echo "nstree-lab grade 2 answers: run it again and grade your answers"
	fi
	setsid cttyhack sh -l
	rc=0 ;;
*)	echo "unknown job '$job'"; rc=1 ;;
esac

echo "NSTREE-BEGIN-DMESG"
dmesg
echo "NSTREE-END-DMESG"
echo "NSTREE-GUEST-DONE rc=$rc"
reboot -f
