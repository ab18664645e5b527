#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the selftests' timeouts fit their measured times and the guest.

Read from the sources:
  - each test case's harness timeout (selftests/*_test.c: TEST_F_TIMEOUT's,
    else kselftest_harness.h's TEST_TIMEOUT_DEFAULT, 30 s);
  - each binary's budget, the guest seconds tools/guest-run-tests.sh gives
    it before it kills it (its `budgets` list), and which binaries the
    debug line runs (`kernel_suite`, and module_test);
  - the check job's guest timeout in tools/vm.sh (seconds, times `slow`
    on the debug line);
  - the guest seconds each binary and each case took in make check
    (tools/selftest-seconds: the longest on the Debian lines, whose clock
    is wall-clock time and grows with the host's load, and on the debug
    line, whose -icount clock counts instructions).

and fail unless
  - every binary has a budget and measured figures;
  - a binary's budget is at least DEBIAN_MARGIN times its longest Debian
    run and DEBUG_MARGIN times its debug run (budgets are guest seconds on
    every line: the debug line's guest clock is not scaled);
  - no case's harness timeout exceeds its binary's budget, and each is at
    least DEBIAN_MARGIN times the case's longest run on any line;
  - on every line the budgets of the binaries it runs, plus BOOT_MARGIN
    for booting, insmod, the kmemleak scans and rmmod, fit inside the
    guest's timeout.
Prints the figures it checks.

tools/check-timeouts.py --record LINE.check.out...  prints a new
tools/selftest-seconds from the output of tools/vm.sh LINE check (its
NSTREE-TEST-START, NSTREE-CASE-END and NSTREE-TEST-END lines).
"""
import glob
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Guest seconds outside the test binaries: boot, insmod, kmemleak's scans
# (the debug line), rmmod, power-off.
BOOT_MARGIN = 90
HARNESS_DEFAULT = 30
DEBIAN_MARGIN = 3
DEBUG_MARGIN = 2
FIGURES = 'tools/selftest-seconds'


def read(path):
    with open(os.path.join(TOP, path), errors='replace') as f:
        return f.read()


def shell_list(text, name):
    """The words of NAME="..." (first assignment) in a shell script."""
    m = re.search(r'^\s*%s="([^"]*)"' % name, text, re.M)
    if not m:
        sys.exit("check-timeouts: no %s=\"...\" found" % name)
    return m.group(1).split()


def cases(path):
    """{(fixture, case): timeout} of one harness source."""
    out = {}
    for m in re.finditer(r'^(TEST|TEST_F|TEST_F_TIMEOUT)\(([^)]*)\)',
                         read(path), re.M):
        kind, args = m.group(1), [a.strip() for a in m.group(2).split(',')]
        key = ('global', args[0]) if kind == 'TEST' else (args[0], args[1])
        out[key] = int(args[2]) if kind == 'TEST_F_TIMEOUT' \
            else HARNESS_DEFAULT
    return out


def case_key(name):
    """A TAP name (fixture[.variant].case) as (fixture, case)."""
    parts = name.split('.')
    return (parts[0], parts[-1]) if len(parts) > 1 else None


def record(paths):
    """Print tools/selftest-seconds from tools/vm.sh check outputs."""
    deb, dbg = {}, {}
    for path in paths:
        with open(path, errors='replace') as f:
            text = f.read()
        m = re.search(r'^vm\.sh: (\S+): \w+_test: ', text, re.M)
        if not m:
            sys.exit('check-timeouts: %s: no vm.sh LINE: lines' % path)
        to = dbg if m.group(1).endswith('-debug') else deb
        binary = name = prev = None
        for line in text.splitlines():
            m = re.match(r'NSTREE-TEST-START (\S+) at=([\d.]+)', line)
            if m:
                binary, prev = m.group(1), float(m.group(2))
                continue
            m = re.match(r'(?:not )?ok \d+ (.*?)(?: # .*)?$', line)
            if m and binary:
                name = m.group(1)
                continue
            m = re.match(r'NSTREE-CASE-END ([\d.]+)', line)
            if m and binary and name:
                t = float(m.group(1))
                k = (binary, name)
                to[k] = max(to.get(k, 0), t - prev)
                prev, name = t, None
                continue
            m = re.match(r'NSTREE-TEST-END (\S+) rc=\d+ secs=(\d+)', line)
            if m:
                k = (m.group(1), '-')
                to[k] = max(to.get(k, 0), int(m.group(2)))
                binary = None
    print('# BINARY\tCASE (- the whole binary)\tDEBIAN_MAX\tDEBUG_MAX')
    for k in sorted(set(deb) | set(dbg)):
        print('%s\t%s\t%s\t%s' % (k[0], k[1],
                                  '%.1f' % deb[k] if k in deb else '-',
                                  '%.1f' % dbg[k] if k in dbg else '-'))


def figures():
    """{(binary, case): (debian max, debug max)}; None where not run."""
    out = {}
    for line in read(FIGURES).splitlines():
        if not line.strip() or line.startswith('#'):
            continue
        f = line.split('\t')
        if len(f) != 4:
            sys.exit('check-timeouts: %s: bad line: %s' % (FIGURES, line))
        out[(f[0], f[1])] = tuple(None if v == '-' else float(v)
                                  for v in f[2:])
    return out


def main():
    if sys.argv[1:2] == ['--record']:
        return record(sys.argv[2:])
    hpath = 'build/linux-source/tools/testing/selftests/kselftest_harness.h'
    harness = read(hpath) if os.path.exists(os.path.join(TOP, hpath)) \
        else ''
    m = re.search(r'#define TEST_TIMEOUT_DEFAULT (\d+)', harness)
    if m and int(m.group(1)) != HARNESS_DEFAULT:
        sys.exit('check-timeouts: kselftest_harness.h has '
                 'TEST_TIMEOUT_DEFAULT %s, this script %d'
                 % (m.group(1), HARNESS_DEFAULT))
    run = read('tools/guest-run-tests.sh')
    vm = read('tools/vm.sh')
    budgets = {k: int(v) for k, v in
               (w.split('=') for w in shell_list(run, 'budgets'))}
    kernel_suite = shell_list(run, 'kernel_suite') + ['module_test']
    m = re.search(r'^check\)\s+timeout=\$\{NSTREE_VM_TIMEOUT:-\$\(\((\d+)'
                  r' \* slow\)\)\}', vm, re.M)
    if not m:
        sys.exit('check-timeouts: no check timeout found in tools/vm.sh')
    guest = int(m.group(1))
    m = re.search(r'^\*-debug\)\s+slow=(\d+)', vm, re.M)
    if not m:
        sys.exit('check-timeouts: no slow= for *-debug in tools/vm.sh')
    debug_slow = int(m.group(1))
    seen = figures()

    tests = sorted(os.path.basename(p)[:-2] for p in
                   glob.glob(os.path.join(TOP, 'selftests/*_test.c')))
    scripts = sorted(os.path.basename(p)[:-3] for p in
                     glob.glob(os.path.join(TOP, 'selftests/*_test.sh')))
    bad = []
    for t in sorted(set(tests + scripts) - set(budgets)):
        bad.append('%s has no budget in guest-run-tests.sh' % t)
    for t in sorted(set(budgets) - set(tests + scripts)):
        bad.append('guest-run-tests.sh budgets %s, which is no test' % t)

    print('# guest seconds; seen: the longest run in make check on the '
          'Debian lines / on the debug line')
    print('# %-20s %6s %6s %6s %6s' % ('binary', 'deb', 'debug', 'budget',
                                       'case<='))
    for t in tests + scripts:
        b = budgets.get(t, 0)
        deb, dbg = seen.get((t, '-'), (None, None))
        mx = 0
        if t in tests:
            cs = cases('selftests/%s.c' % t)
            if not cs:
                bad.append('%s: no test case found' % t)
            mx = max(cs.values(), default=0)
            for (fx, name), to in sorted(cs.items()):
                if to > b:
                    bad.append('%s: %s.%s has a %d s timeout, over the '
                               'binary\'s budget of %d s'
                               % (t, fx, name, to, b))
            for (bt, name), (cdeb, cdbg) in sorted(seen.items()):
                if bt != t or name == '-':
                    continue
                k = case_key(name)
                if k not in cs:
                    bad.append('%s: %s has figures in %s but no case in '
                               'selftests/%s.c' % (t, name, FIGURES, t))
                    continue
                run_s = max(v for v in (cdeb, cdbg) if v is not None)
                if cs[k] < DEBIAN_MARGIN * run_s:
                    bad.append('%s: %s has a %d s timeout, under %d x its '
                               'longest run of %.1f s'
                               % (t, name, cs[k], DEBIAN_MARGIN, run_s))
        print('# %-20s %6s %6s %6d %6s' % (t, deb or '-', dbg or '-', b,
                                           mx or '-'))
        if deb is None and dbg is None:
            bad.append('%s has no figures in %s' % (t, FIGURES))
        if deb is not None and b < DEBIAN_MARGIN * deb:
            bad.append('%s: budget %d s, under %d x its longest Debian run '
                       'of %g s' % (t, b, DEBIAN_MARGIN, deb))
        if dbg is not None and b < DEBUG_MARGIN * dbg:
            bad.append('%s: budget %d s, under %d x its debug run of %g s'
                       % (t, b, DEBUG_MARGIN, dbg))

    lines = [('6.1, 6.12, 6.12-rt', budgets, 1),
             ('6.12-debug (kernel suite)',
              {t: b for t, b in budgets.items() if t in kernel_suite},
              debug_slow)]
    for name, bs, slow in lines:
        total = sum(bs.values()) + BOOT_MARGIN
        print('# %s: %d binaries, budgets %d s + %d s boot margin = %d '
              'guest s; guest timeout %d s (x%d on the host: %d s)'
              % (name, len(bs), sum(bs.values()), BOOT_MARGIN, total,
                 guest, slow, guest * slow))
        if total > guest:
            bad.append('%s: the budgets need %d s, the guest has %d s'
                       % (name, total, guest))
    for b in bad:
        print('not ok: %s' % b)
    print('%s: timeouts fit the measured runs and the guest\'s timeout' %
          ('FAIL' if bad else 'ok'))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
