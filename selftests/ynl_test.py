# SPDX-License-Identifier: GPL-2.0
"""The YNL spec against the running module, through the kernel's cli.py.

Runs tools/net/ynl/cli.py with Documentation/netlink/specs/nstree.yaml, as
a user would, and checks its decoded answers against /proc: if the spec
numbered or typed an attribute differently from the module, cli.py would
fail to decode or the values would not match. A child PID namespace (busybox
unshare) gives NSpid chains of two entries and a namespace below the root.

The events go through cli.py's own library (lib.YnlFamily), since cli.py
cannot receive them (Documentation/nstree.rst says why): subscribe with the
spec's names, fork and exec a child, and check that its events arrive
decoded, with names, in order and with the right processes. Requests out of
range check that the bounds the module's policies report in the extack are
the spec's `checks`.

Prints TAP for tools/vm.sh. Started by ynl_test.sh, which skips without
python3.

    NSTREE_YNL=DIR (default /nstree/ynl): cli.py, lib/ and nstree.yaml
"""

import errno
import json
import os
import re
import select
import signal
import subprocess
import sys
import time

YNL = os.environ.get('NSTREE_YNL', '/nstree/ynl')
sys.path.insert(0, YNL)
from lib import NlError, YnlFamily   # noqa: E402, the library of cli.py

CLONE_THREAD = 0x10000
results = []


def cli(*args):
    """Run cli.py on the spec; its --output-json answer, decoded."""
    cmd = [sys.executable, 'cli.py', '--spec', 'nstree.yaml', '--no-schema',
           '--output-json', *args]
    run = subprocess.run(cmd, cwd=YNL, capture_output=True, text=True,
                         timeout=120)
    if run.returncode or run.stderr:
        raise RuntimeError(f"{' '.join(cmd[1:])}: exit {run.returncode}: "
                           f'{run.stdout.strip()} {run.stderr.strip()}')
    return json.loads(run.stdout)


def status(pid, field):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return line.split()[1:]
    return None


def ns_inum(pid):
    link = os.readlink(f'/proc/{pid}/ns/pid')    # pid:[4026531836]
    return int(re.fullmatch(r'pid:\[(\d+)\]', link).group(1))


def check(name, fn):
    """One TAP result: fn returns a list of mismatches, empty when fine."""
    try:
        problems = fn()
    except Exception as e:      # a failure of this test, not of the run
        problems = [f'{type(e).__name__}: {e}']
    results.append((name, problems))


def expect(problems, what, got, want):
    if got != want:
        problems.append(f'{what}: got {got!r}, want {want!r}')


def by_pid(entries, pid):
    found = [e for e in entries if e.get('pid') == pid]
    return found[0] if len(found) == 1 else None


def family():
    """The spec loaded by YNL's library, with a socket of its own."""
    return YnlFamily(os.path.join(YNL, 'nstree.yaml'), '')


def collect(ynl, done, timeout=60):
    """Events read from @ynl's socket until done(events), or @timeout s.

    check_ntf() reads what is queued without waiting: between reads, wait
    for the socket to be readable (no fixed sleep).
    """
    events = []
    deadline = time.monotonic() + timeout
    while True:
        ynl.check_ntf()
        events += ynl.async_msg_queue
        ynl.async_msg_queue.clear()
        left = deadline - time.monotonic()
        if done(events) or left <= 0:
            return events
        select.select([ynl.sock], [], [], left)


def refused(p, ynl, op, req, err):
    """@op with @req must fail with @err: its decoded extack, or None."""
    try:
        reply = ynl.do(op, req)
    except NlError as e:
        expect(p, f'{op} {req}: errno', errno.errorcode.get(e.error),
               errno.errorcode[err])
        return e.nl_msg.extack or {}
    p.append(f'{op} {req}: accepted ({reply})')
    return None


def start_child_ns():
    """A sleeping init of a new PID namespace: (unshare's pid, its pid)."""
    unshare = subprocess.Popen(['unshare', '-p', '-f', 'sleep', '600'])
    for _ in range(200):
        for d in filter(str.isdigit, os.listdir('/proc')):
            try:
                # Once it runs sleep: until then it is a copy of unshare.
                if status(d, 'PPid') == [str(unshare.pid)] and \
                        open(f'/proc/{d}/comm').read() == 'sleep\n':
                    return unshare, int(d)
            except OSError:
                pass
        time.sleep(0.05)
    unshare.kill()
    unshare.wait()
    raise RuntimeError('unshare -p -f sleep: no child in a new PID namespace')


def main():
    root = ns_inum('self')
    level = len(status('self', 'NSpid')) - 1
    try:
        unshare, child = start_child_ns()
    except (OSError, RuntimeError) as e:
        unshare, child = None, None
        print(f'# {e}')

    def get_info():
        p = []
        info = cli('--do', 'get-info')
        expect(p, 'release', info.get('release'), os.uname().release)
        expect(p, 'pidns-level', info.get('pidns-level'), level)
        expect(p, 'pidns-inum', info.get('pidns-inum'), root)
        expect(p, 'family-version', info.get('family-version'), 2)
        expect(p, 'pidns-id present', info.get('pidns-id', 0) > 0, True)
        expect(p, 'module-version present', 'module-version' in info, True)
        return p

    procs = []

    def dump_proc_init():
        p = []
        procs[:] = cli('--dump', 'get-proc')
        init = by_pid(procs, 1)
        if init is None:
            return ['no single entry with pid 1 in the dump']
        expect(p, 'pid 1 nspid', init.get('nspid'),
               [int(n) for n in status(1, 'NSpid')])
        with open('/proc/1/comm') as f:
            expect(p, 'pid 1 comm', init.get('comm'), f.read().rstrip('\n'))
        expect(p, 'pid 1 ns-init', init.get('ns-init'), True)
        expect(p, 'pid 1 pidns-inum', init.get('pidns-inum'), root)
        expect(p, 'pids in increasing order',
               [e['pid'] for e in procs], sorted(e['pid'] for e in procs))
        return p

    def dump_proc_child():
        p = []
        entry = by_pid(procs, child)
        if entry is None:
            return [f'no single entry with pid {child} in the dump']
        expect(p, 'nspid', entry.get('nspid'),
               [int(n) for n in status(child, 'NSpid')])
        expect(p, 'nspid has two levels', len(entry.get('nspid', [])), 2)
        expect(p, 'ns-init', entry.get('ns-init'), True)
        expect(p, 'pidns-level', entry.get('pidns-level'), 1)
        expect(p, 'pidns-inum', entry.get('pidns-inum'), ns_inum(child))
        expect(p, 'ppid', entry.get('ppid'), unshare.pid)
        expect(p, 'ppid-ns', entry.get('ppid-ns'), 0)
        return p

    def do_proc_1():
        p = []
        one = cli('--do', 'get-proc', '--json', '{"pid": 1}')
        init = by_pid(procs, 1) or {}
        for key in ('pid', 'nspid', 'ppid', 'comm', 'uid', 'start-time',
                    'pidns-inum', 'pidns-level', 'ns-init', 'mntns-inum',
                    'userns-inum'):
            expect(p, key, one.get(key), init.get(key))
        expect(p, 'no thread attributes', 'tid' in one or 'nstid' in one,
               False)
        return p

    nss = []

    def dump_ns_root():
        p = []
        nss[:] = cli('--dump', 'get-ns')
        found = [n for n in nss if n.get('inum') == root]
        if len(found) != 1:
            return [f'{len(found)} entries with inum {root}: {nss}']
        expect(p, 'level', found[0].get('level'), 0)
        expect(p, 'no parent-inum', 'parent-inum' in found[0], False)
        expect(p, 'init-pid', found[0].get('init-pid'), 1)
        return p

    def dump_ns_child():
        p = []
        found = [n for n in nss if n.get('inum') == ns_inum(child)]
        if len(found) != 1:
            return [f'{len(found)} entries with inum {ns_inum(child)}: {nss}']
        expect(p, 'level', found[0].get('level'), 1)
        expect(p, 'parent-inum', found[0].get('parent-inum'), root)
        expect(p, 'init-pid', found[0].get('init-pid'), child)
        expect(p, 'init-comm', found[0].get('init-comm'), 'sleep')
        root_ns = [n for n in nss if n.get('inum') == root]
        expect(p, 'parent-id', found[0].get('parent-id'),
               root_ns[0].get('id') if root_ns else None)
        # Named by its ID, the do form gives the same namespace.
        one = cli('--do', 'get-ns', '--json',
                  json.dumps({'id': found[0].get('id', 0)}))
        expect(p, 'get-ns by id: inum', one.get('inum'), ns_inum(child))
        expect(p, 'get-ns by id: id', one.get('id'), found[0].get('id'))
        entry = by_pid(procs, child) or {}
        expect(p, 'child pidns-id', entry.get('pidns-id'), found[0].get('id'))
        return p

    def get_info_child():
        p = []
        info = cli('--do', 'get-info', '--json', json.dumps({'pid': child}))
        expect(p, 'pidns-level', info.get('pidns-level'), level + 1)
        expect(p, 'pidns-inum', info.get('pidns-inum'), ns_inum(child))
        return p

    def out_of_range():
        # Each request is refused by the policy before the command runs,
        # and the extack's policy carries the spec's checks.
        p = []
        ynl = family()
        for op, aset, req in (('get-info', 'info', {'pid': 0}),
                              ('get-info', 'info', {'pid': 4194305}),
                              ('get-ns', 'ns', {'pid': 0}),
                              ('get-proc', 'proc', {'pid': 1, 'with-args': 2}),
                              ('subscribe', 'sub', {'queue-len': 15}),
                              ('subscribe', 'sub', {'queue-len': 65537}),
                              ('subscribe', 'sub', {'subtree': 0})):
            attr = list(req)[-1]
            checks = ynl.attr_sets[aset][attr].yaml.get('checks', {})
            ext = refused(p, ynl, op, req, errno.ERANGE)
            if ext is None:
                continue
            policy = ext.get('policy', {})
            expect(p, f'{op} {req}: message', ext.get('msg'),
                   'integer out of range')
            expect(p, f'{op} {req}: attribute', ext.get('bad-attr'),
                   '.' + attr)
            expect(p, f'{op} {req}: policy minimum', policy.get('min-value'),
                   checks.get('min', 0))
            expect(p, f'{op} {req}: policy maximum', policy.get('max-value'),
                   checks.get('max'))
        # The mask: bit 0 (UNSPEC) is not an event type.
        ext = refused(p, ynl, 'subscribe', {'events': 1}, errno.EINVAL)
        if ext is not None:
            expect(p, 'events 1: message', ext.get('msg'), 'reserved bit set')
        return p

    def events():
        p = []
        ynl = family()
        me = os.getpid()
        want = ['fork', 'exec', 'exit', 'zombie', 'reap']
        reply = ynl.do('subscribe', {'events': want, 'subtree': me})
        expect(p, 'subscribe reply events', reply.get('events'), set(want))
        expect(p, 'subscribe reply queue-len', reply.get('queue-len'), 4096)
        expect(p, 'subscribe reply pidns-inum', reply.get('pidns-inum'), root)

        child = os.fork()
        if child == 0:
            try:
                os.execv('/bin/sh', ['sh', '-c', 'exit 7'])
            finally:
                os._exit(127)
        _, status = os.waitpid(child, 0)
        expect(p, 'child wait status', status, 7 << 8)

        def reaped(evs):
            return any(e['msg'].get('type') == 'reap' and
                       e['msg'].get('proc', {}).get('pid') == child
                       for e in evs)
        evs = collect(ynl, reaped)
        expect(p, 'message names', {e['name'] for e in evs}, {'event'})
        msgs = [e['msg'] for e in evs]
        seqs = [m.get('seq') for m in msgs]
        expect(p, 'seq without a gap', seqs,
               list(range(seqs[0], seqs[0] + len(seqs))) if seqs else [])
        times = [m.get('time') for m in msgs]
        expect(p, 'time never goes back', times, sorted(times))
        about = {m.get('type'): m for m in msgs
                 if m.get('proc', {}).get('pid') == child}
        expect(p, 'event types about the child, in order',
               [m.get('type') for m in msgs
                if m.get('proc', {}).get('pid') == child], want)
        if set(about) != set(want):
            return p
        fork, exe, ex = about['fork'], about['exec'], about['exit']
        for t, m in about.items():
            expect(p, f'{t}: proc nspid', m['proc'].get('nspid'), [child])
            expect(p, f'{t}: proc pidns-inum', m['proc'].get('pidns-inum'),
                   root)
        expect(p, 'fork: parent', fork.get('parent', {}).get('pid'), me)
        expect(p, 'fork: no thread flag', 'thread' in fork, False)
        expect(p, 'fork: clone-flags without CLONE_THREAD',
               fork.get('clone-flags', CLONE_THREAD) & CLONE_THREAD, 0)
        expect(p, 'exec: filename', exe.get('filename'), '/bin/sh')
        expect(p, 'exec: comm', exe['proc'].get('comm'), 'sh')
        expect(p, 'exit: exit-code', ex.get('exit-code'), 7 << 8)
        expect(p, 'exit: group-dead', ex.get('group-dead'), True)
        expect(p, 'zombie: parent', about['zombie'].get('parent', {})
               .get('pid'), me)
        reap = about['reap']
        expect(p, 'reap: reaper', reap.get('reaper', {}).get('pid'), me)
        # reason is a plain u32 in the spec; its name is the spec's enum.
        reasons = ynl.consts['reap-reason'].entries_by_val
        expect(p, 'reap: reason',
               getattr(reasons.get(reap.get('reason')), 'name', None),
               'parent')

        expect(p, 'unsubscribe', ynl.do('unsubscribe', {}), None)
        refused(p, ynl, 'unsubscribe', {}, errno.ENOENT)
        return p

    def need_child(fn):
        return fn if child else lambda: ['no child PID namespace']

    try:
        check('cli.py --do get-info: release, level and inode', get_info)
        check('cli.py --dump get-proc: PID 1 with the NSpid of '
              '/proc/1/status', dump_proc_init)
        check('cli.py --dump get-proc: a child namespace init, NSpid of two',
              need_child(dump_proc_child))
        check('cli.py --do get-proc {"pid": 1}: the dump\'s entry', do_proc_1)
        check('cli.py --dump get-ns: the root namespace, inode of '
              '/proc/self/ns/pid', dump_ns_root)
        check('cli.py --dump get-ns: the child namespace below it',
              need_child(dump_ns_child))
        check('cli.py --do get-info {"pid": child}: its namespace',
              need_child(get_info_child))
        check('YNL: out-of-range requests refused with the spec\'s bounds',
              out_of_range)
        check('YNL: subscribe, fork and exec a child: its events by name',
              events)
    finally:
        if unshare:
            # Its init killed, the namespace ends and unshare returns.
            os.kill(child, signal.SIGKILL)
            unshare.wait()

    print('TAP version 13')
    print(f'1..{len(results)}')
    for i, (name, problems) in enumerate(results, 1):
        for line in '\n'.join(problems).splitlines():
            print(f'# {line}')
        print(f"{'not ok' if problems else 'ok'} {i} {name}")
    return 1 if any(p for _, p in results) else 0


if __name__ == '__main__':
    sys.exit(main())
