#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the YNL spec and the hand-written uapi header agree.

The header (kmod/uapi/linux/nstree.h) is the ABI's source of truth and the
spec (Documentation/netlink/specs/nstree.yaml) describes it for YNL; neither
is generated from the other, so this check keeps them from drifting:

- the spec is valid against the 6.12 YNL schema of its protocol level and
  loads in YNL's own library, which numbers attributes and commands as
  cli.py will;
- family name and version equal NSTREE_FAMILY_NAME and _VERSION;
- every attribute set the spec declares matches its header enum both ways,
  C name and value, with the enum's __MAX and MAX; sets the spec does not
  declare yet (work in progress) are not looked at;
- every command of the spec has its C name and value, and every header
  command from 1 up to the spec's last is in the spec;
- each attribute's type is the type its kernel-doc line in the header
  starts with ("u32", "string", "nest of u32", ...);
- the module's per-operation policies (kmod/nstree_genl.c) accept exactly
  the spec's request attributes, with the same types, and each command has
  the do and dump handlers the spec says.

    tools/check-spec.py [--spec FILE] [--header FILE] [--genl FILE]
                        [--ynl DIR] [--schema FILE]
"""

import argparse
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(TOP, 'build/linux-source')

# Header kernel-doc type word and policy type of each spec type.
DOC_TYPE = {'unused': 'reserved', 'pad': 'padding'}
NLA_TYPE = {'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32',
            'u64': 'NLA_U64', 'string': 'NLA_STRING', 'flag': 'NLA_FLAG',
            'indexed-array': 'NLA_NESTED'}


def c_name(*parts):
    return ''.join(parts).upper().replace('-', '_')


def parse_header(path):
    """The header's enums, defines and kernel-doc member descriptions."""
    with open(path) as f:
        text = f.read()
    docs = {}
    for m in re.finditer(r'^ \* @(\w+):\s*(.*)$', text, re.M):
        docs[m.group(1)] = m.group(2)
    code = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    defines = dict(re.findall(r'^#define[ \t]+(\w+)[ \t]*(.*?)[ \t]*$', code, re.M))
    enums = {}
    for m in re.finditer(r'\benum\s+(\w+)\s*\{(.*?)\}\s*;', code, re.S):
        entries, values, nxt = [], {}, 0
        for item in filter(None, (i.strip() for i in m.group(2).split(','))):
            name, _, expr = (s.strip() for s in item.partition('='))
            if expr:
                nxt = eval(expr, {'__builtins__': {}}, dict(values))
            values[name] = nxt
            entries.append(name)
            nxt += 1
        enums[m.group(1)] = (entries, values)
    return enums, defines, docs


def parse_genl(path):
    """Policies {name: {ATTR: NLA_TYPE}} and ops {CMD: {field: value}}."""
    with open(path) as f:
        code = re.sub(r'/\*.*?\*/', '', f.read(), flags=re.S)
    policies = {}
    for m in re.finditer(r'struct nla_policy\s+(\w+)\[[^]]*\]\s*=\s*\{(.*?)\};',
                         code, re.S):
        # { .type = NLA_U32 } or NLA_POLICY_MAX(NLA_U8, 1); an NLA_REJECT
        # entry accepts nothing, as if it were absent.
        policies[m.group(1)] = {
            attr: tp for attr, tp in re.findall(
                r'\[(\w+)\]\s*=\s*(?:\{\s*\.type\s*=\s*|NLA_POLICY_\w+\(\s*)'
                r'(\w+)', m.group(2))
            if tp != 'NLA_REJECT'}
    ops = {}
    m = re.search(r'struct genl_ops\s+\w+\[\]\s*=\s*\{(.*?)\n\};', code, re.S)
    for body in re.findall(r'\{([^{}]*)\}', m.group(1) if m else ''):
        fields = dict(re.findall(r'\.(\w+)\s*=\s*(\w+)', body))
        if 'cmd' in fields:
            ops[fields['cmd']] = fields
    return policies, ops


class Checker:
    def __init__(self):
        self.errors = 0
        self.checked = 0

    def expect(self, ok, msg):
        self.checked += 1
        if not ok:
            self.errors += 1
            print(f'check-spec: {msg}', file=sys.stderr)
        return ok


def check_set(ck, fam, aset, enums, docs):
    pfx = aset.yaml.get('name-prefix',
                        f'{fam.name}-a-' if aset.name == fam.name
                        else f'{fam.name}-a-{aset.name}-')
    enum = aset.yaml.get('enum-name') or ''
    if not ck.expect(enum in enums, f"set '{aset.name}': no enum '{enum}' "
                     'in the header (enum-name)'):
        return
    entries, values = enums[enum]
    cnt = aset.yaml.get('attr-cnt-name', c_name('__', pfx, 'max'))
    mx = aset.yaml.get('attr-max-name', c_name(pfx, 'max'))
    spec_names = set()
    for attr in aset.attrs.values():
        name = c_name(pfx, attr.name)
        spec_names.add(name)
        if not ck.expect(name in values, f'{name} (spec) is not in enum {enum}'):
            continue
        ck.expect(values[name] == attr.value,
                  f'{name}: {values[name]} in the header, {attr.value} in the spec')
        want = DOC_TYPE.get(attr.type, attr.type)
        if attr.type == 'indexed-array':
            want = f'nest of {attr.sub_type}'
        doc = docs.get(name, '')
        ck.expect(re.match(re.escape(want) + r'\b', doc),
                  f"{name}: the spec says {want}, the header's kernel-doc "
                  f"'{doc}'")
    for name in entries:
        if name not in (cnt, mx):
            ck.expect(name in spec_names, f'{name} (header) is not in the spec')
    last = max(a.value for a in aset.attrs.values())
    ck.expect(values.get(cnt) == last + 1 and values.get(mx) == last,
              f'enum {enum}: {cnt} and {mx} should be {last + 1} and {last}')


def check_ops(ck, fam, enums, policies, genl_ops):
    pfx = fam.yaml['operations'].get('name-prefix', f'{fam.name}-cmd-')
    enum = fam.yaml['operations'].get('enum-name') or ''
    if not ck.expect(enum in enums, f"no enum '{enum}' in the header "
                     '(operations enum-name)'):
        return
    entries, values = enums[enum]
    spec = {c_name(pfx, op.name): op for op in fam.msgs.values()}
    last = max(op.req_value for op in spec.values())
    ck.expect(values.get(c_name(pfx, 'unspec')) == 0,
              f"{c_name(pfx, 'unspec')} should be 0")
    for name in entries:
        if 0 < values[name] <= last:
            ck.expect(name in spec, f'{name} (header) is not in the spec')
    for name, op in spec.items():
        if not ck.expect(name in values, f'{name} (spec) is not in enum {enum}'):
            continue
        ck.expect(values[name] == op.req_value,
                  f'{name}: {values[name]} in the header, '
                  f'{op.req_value} in the spec')
        check_policy(ck, fam, name, op, policies, genl_ops.get(name))


def check_policy(ck, fam, name, op, policies, gop):
    if not ck.expect(gop is not None, f'{name}: no genl_ops entry'):
        return
    for mode, handler in (('do', 'doit'), ('dump', 'dumpit')):
        ck.expect((mode in op.modes) == (handler in gop),
                  f"{name}: the spec {'has' if mode in op.modes else 'lacks'} "
                  f"{mode}, the module {'has' if handler in gop else 'lacks'} "
                  f'.{handler}')
    pfx = op.attr_set.yaml.get('name-prefix',
                               f'{fam.name}-a-{op.attr_set.name}-')
    want = {}
    for mode in op.modes:
        for attr in op.yaml[mode].get('request', {}).get('attributes', []):
            spec_attr = op.attr_set[attr]
            want[c_name(pfx, attr)] = NLA_TYPE.get(spec_attr.type, '?')
    pname = gop.get('policy')
    policy = policies.get(pname, {})
    for attr in sorted(set(policy) | set(want)):
        ck.expect(policy.get(attr) == want.get(attr),
                  f'{name}: {attr} is {policy.get(attr)} in {pname}, '
                  f'{want.get(attr)} in the spec\'s requests')
    ck.expect(gop.get('maxattr') == c_name(pfx, 'max'),
              f"{name}: .maxattr is {gop.get('maxattr')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--spec', default=os.path.join(
        TOP, 'Documentation/netlink/specs/nstree.yaml'))
    ap.add_argument('--header', default=os.path.join(
        TOP, 'kmod/uapi/linux/nstree.h'))
    ap.add_argument('--genl', default=os.path.join(TOP, 'kmod/nstree_genl.c'))
    ap.add_argument('--ynl', default=os.path.join(SRC, 'tools/net/ynl'))
    ap.add_argument('--schema', help='default: the schema of the protocol '
                    'level, from build/linux-source/Documentation/netlink')
    args = ap.parse_args()

    sys.path.insert(0, args.ynl)
    from lib.nlspec import SpecFamily   # noqa: E402, YNL's own loader

    import yaml
    with open(args.spec) as f:
        proto = yaml.safe_load(f).get('protocol', 'genetlink')
    schema = args.schema or os.path.join(SRC, f'Documentation/netlink/{proto}.yaml')
    fam = SpecFamily(args.spec, schema)   # raises when the schema refuses it

    enums, defines, docs = parse_header(args.header)
    policies, genl_ops = parse_genl(args.genl)
    ck = Checker()
    fname = fam.yaml.get('c-family-name', c_name(fam.name, '-family-name'))
    fver = fam.yaml.get('c-version-name', c_name(fam.name, '-family-version'))
    ck.expect(defines.get(fname) == f'"{fam.name}"',
              f'{fname} is {defines.get(fname)}, the spec says "{fam.name}"')
    ck.expect(defines.get(fver) == str(fam.yaml.get('version', 1)),
              f"{fver} is {defines.get(fver)}, the spec says "
              f"{fam.yaml.get('version', 1)}")
    for aset in fam.attr_sets.values():
        if aset.subset_of is None:
            check_set(ck, fam, aset, enums, docs)
    check_ops(ck, fam, enums, policies, genl_ops)

    print(f'check-spec: {os.path.relpath(args.spec, TOP)}: {ck.checked} '
          f'checks against {os.path.relpath(args.header, TOP)}, '
          f'{ck.errors} failed')
    return 1 if ck.errors else 0


if __name__ == '__main__':
    sys.exit(main())
