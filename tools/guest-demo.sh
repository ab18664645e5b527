#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo job inside the guest (make demo): load the module, show nstree
# answering from the kernel, then make the tutorial's second process tree
# with nstree run and look at it from outside: host and namespaced PIDs
# side by side.

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

# The tutorial's second process tree: a shell as PID 1 of a new PID
# namespace, a background tail -f, and a web-server-like master with a
# worker, and a namespace nested in it. Inside, ps sees only them, numbered
# from 1; outside, the same processes have host PIDs too.
cat >/tmp/webserver <<'SCRIPT'
#!/bin/sh
# A web server's master process: it starts a worker and waits for it.
/tmp/worker &
wait
SCRIPT
cat >/tmp/worker <<'SCRIPT'
#!/bin/sh
# The worker: it would serve requests; here it only sleeps.
while :; do sleep 3600; done
SCRIPT
chmod 755 /tmp/webserver /tmp/worker
mkfifo /tmp/ready /tmp/done
inside='tail -f /dev/null &
/tmp/webserver &
nstree run -q --pid -- sleep 3600 &
sleep 1
echo "inside# ps -o pid,ppid,comm"
ps -o pid,ppid,comm
echo >/tmp/ready
read x </tmp/done
(sleep 0.3 &)
sleep 0.1 & wait $!
sleep 1'

echo
printf "guest# nstree run --pid --mount --show=2000 -- sh -c '\n%s'\n" "$inside"
nstree run --pid --mount --show=2000 -- sh -c "$inside" &
runner=$!
read -r _ </tmp/ready
sleep 2
show nstree tree "$runner"
show nstree tree -a --ns "$(pidof tail)"
show nstree ns
show nstree ps --ns "$(pidof tail)" -o pid,nspid,vpid,ppid,vppid,level,flags,args

# A few seconds of the event stream as the namespace lives on and dies: an
# orphan adopted by the namespace's init, a child its parent reaps, then
# PID 1's exit, the kernel killing the rest of its namespace, and the
# namespaces going away.
echo
echo "guest# nstree watch --subtree $runner --timeout 6"
nstree watch --subtree "$runner" --timeout 6 &
watcher=$!
sleep 1
echo >/tmp/done
wait $watcher || true
wait || true
echo
echo "(when PID 1 exits, the kernel kills the rest of its namespace)"
show rmmod nstree
