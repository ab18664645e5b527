#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo job inside the guest (make demo): load the module and show
# nstree answering from the kernel, then make a second process tree with
# nstree run.

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

# The tutorial's second process tree: a shell as PID 1 of a new PID
# namespace, a background tail -f, and a web-server-like master with a
# worker. Inside, ps sees only them, numbered from 1; outside, the same
# processes have host PIDs, and /proc/PID/status (NSpid) has both.
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
sleep 1
ps -o pid,ppid,comm
echo >/tmp/ready
read x </tmp/done'

echo
printf "guest# nstree run --pid --mount -- sh -c '\n%s'\n" "$inside"
nstree run --pid --mount -- sh -c "$inside" &
read x </tmp/ready
echo
echo "guest# # the same processes from outside: host PID, PID inside"
for f in /proc/[0-9]*/status; do
	awk '/^Name:/ { n = $2 }
	     /^NSpid:/ && NF == 3 { printf "host PID %-5s PID inside %-3s %s\n", $2, $3, n }' \
		"$f" 2>/dev/null || true
done | sort -n -k6
echo >/tmp/done
wait
echo
echo "(when PID 1 exits, the kernel kills the rest of its namespace)"
