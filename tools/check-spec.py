#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the YNL spec, the uapi header and the module's policies agree.

The header (kmod/uapi/linux/nstree.h) is the ABI's source of truth and the
spec (Documentation/netlink/specs/nstree.yaml) describes it for YNL; neither
is generated from the other, so this check keeps them from drifting. Nothing
is skipped: every enum of the header must be described by the spec.

- the spec is valid against the 6.12 YNL schema of its protocol level and
  loads in YNL's own library, which numbers attributes, enums and commands
  as cli.py will;
- family name and version equal NSTREE_FAMILY_NAME and _VERSION;
- enums: every enum definition of the spec matches its header enum both
  ways, C name and value; the header's <PREFIX>UNSPEC = 0 is the reserved
  value a spec enum leaves out; render-max matches the header's __MAX/MAX;
- attribute sets: every set matches its header enum both ways, C name and
  value, with __MAX and MAX; each attribute's type is the type its
  kernel-doc line starts with ("u32", "string", "nest of u32", ...) and an
  attribute with an enum names it there (&enum ...); a subset has exactly
  the attributes that the header's kernel-doc of the nest lists;
- commands: every command of the header is in the spec and the reverse,
  with __MAX and MAX; the header's kernel-doc of each names the spec's
  attribute set; a do or dump command has the module's genl_ops entry with
  the handlers the spec says, and an event has none (the module refuses it
  as a request); an event lists every attribute of its set;
- policies (every .c of kmod/): each command's policy accepts exactly its
  request attributes (an NLA_REJECT entry accepts nothing), each with the
  spec's type and validation: `checks` min/max (and the range an enum
  implies) as a range, an enum used as flags as a mask, max-len as .len;
  .maxattr is the set's MAX; every policy of the module belongs to a
  command;
- the command's policies (user/nl_policy.c, what libnl checks in each
  reply before user/nstree reads it): one per attribute set, sized by the
  set's MAX, each attribute of the set with the spec's type (binary as
  NLA_UNSPEC: libnl checks nothing of it), and nothing else.

Prints the number of checks by kind, and each failure; exits 1 on any.

    tools/check-spec.py [--spec FILE] [--header FILE] [--kmod DIR]
                        [--user-policy FILE] [--ynl DIR] [--schema FILE]
"""

import argparse
import glob
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(TOP, 'build/linux-source')

# Header kernel-doc type word and policy type of each spec type.
DOC_TYPE = {'unused': 'reserved', 'pad': 'padding'}
NLA_TYPE = {'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32',
            'u64': 'NLA_U64', 's8': 'NLA_S8', 's16': 'NLA_S16',
            's32': 'NLA_S32', 's64': 'NLA_S64', 'string': 'NLA_STRING',
            'flag': 'NLA_FLAG', 'binary': 'NLA_BINARY', 'nest': 'NLA_NESTED',
            'indexed-array': 'NLA_NESTED'}
# Kernel constants the policies use that no file of nstree defines, with
# their value on the architectures nstree is built for (64-bit, without
# CONFIG_BASE_SMALL: include/linux/threads.h).
KERNEL_CONSTS = {'PID_MAX_LIMIT': 4 * 1024 * 1024}


def c_name(*parts):
    return ''.join(parts).upper().replace('-', '_')


def strip_comments(text):
    return re.sub(r'//[^\n]*', '', re.sub(r'/\*.*?\*/', '', text, flags=re.S))


class Evaluator:
    """Integer C constant expressions of the header and the module."""

    def __init__(self, defines, values):
        self.defines = defines      # name: expression text
        self.values = dict(values)  # name: int (enum members)
        self.values.update(KERNEL_CONSTS)

    def __call__(self, expr):
        expr = re.sub(r'\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b', r'\1',
                      ' '.join(expr.split()))
        names = {'BIT': lambda n: 1 << n,
                 'GENMASK': lambda h, lo: ((1 << (h + 1)) - 1) & ~((1 << lo) - 1)}
        for name in set(re.findall(r'\b[A-Za-z_]\w*\b', expr)) - set(names):
            if name in self.values:
                names[name] = self.values[name]
            elif name in self.defines:
                names[name] = self(self.defines[name])
            else:
                raise ValueError(f"'{name}' in '{expr}' is not known")
        return eval(expr.replace('&&', ' and ').replace('||', ' or '),
                    {'__builtins__': {}}, names)


def parse_header(path):
    """The header's enums, defines and kernel-doc member descriptions."""
    with open(path) as f:
        text = f.read()
    docs = {}
    for m in re.finditer(r'^ \* @(\w+):\s*(.*(?:\n \*\t.*)*)', text, re.M):
        docs[m.group(1)] = re.sub(r'\s*\n \*\t', ' ', m.group(2))
    code = strip_comments(text)
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


def split_top(text, sep=','):
    """Split at @sep outside parentheses and braces."""
    parts, depth, cur = [], 0, ''
    for ch in text:
        if ch in '({':
            depth += 1
        elif ch in ')}':
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ''
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts]


def parse_entry(text, ranges, ev):
    """One policy entry as {'type', and 'min' 'max' 'mask' 'len' 'reject'}."""
    m = re.fullmatch(r'NLA_POLICY_(\w+)\((.*)\)', text, re.S)
    if m:
        kind, args = m.group(1), split_top(m.group(2))
        entry = {'type': args[0]}
        if kind == 'MAX':
            entry['max'] = ev(args[1])
        elif kind == 'MIN':
            entry['min'] = ev(args[1])
        elif kind == 'RANGE':
            entry['min'], entry['max'] = ev(args[1]), ev(args[2])
        elif kind == 'FULL_RANGE':
            rng = ranges.get(args[1].lstrip('&').strip())
            if rng is None:
                raise ValueError(f'no struct netlink_range_validation {args[1]}')
            entry['min'], entry['max'] = ev(rng['min']), ev(rng['max'])
        elif kind == 'MASK':
            entry['mask'] = ev(args[1])
        else:
            raise ValueError(f'NLA_POLICY_{kind}() is not understood here')
        return entry
    m = re.fullmatch(r'\{(.*)\}', text, re.S)
    if not m:
        raise ValueError(f"policy entry '{text}' is not understood")
    fields = dict(re.fullmatch(r'\.(\w+)\s*=\s*(.*)', f, re.S).groups()
                  for f in split_top(m.group(1)))
    entry = {'type': fields.pop('type')}
    if 'len' in fields:
        entry['len'] = ev(fields.pop('len'))
    if 'reject_message' in fields:
        entry['reject'] = fields.pop('reject_message')
    if fields:
        raise ValueError(f'policy fields {sorted(fields)} are not understood')
    return entry


def parse_kmod(kdir, enums, hdr_defines):
    """Policies {name: {ATTR: entry}} and genl_ops {CMD: {field: value}}."""
    code = ''
    for path in sorted(glob.glob(os.path.join(kdir, '*.[ch]'))):
        if not path.endswith('.mod.c'):
            with open(path) as f:
                code += strip_comments(f.read()) + '\n'
    defines = dict(hdr_defines)
    defines.update(re.findall(r'^#define[ \t]+(\w+)[ \t]+(.*?)[ \t]*$', code, re.M))
    values = {}
    for _, vals in enums.values():
        values.update(vals)
    ev = Evaluator(defines, values)
    ranges = {}
    for m in re.finditer(r'struct netlink_range_validation\s+(\w+)[^=;]*=\s*'
                         r'\{(.*?)\};', code, re.S):
        ranges[m.group(1)] = dict(re.findall(r'\.(min|max)\s*=\s*([^,]+)',
                                             m.group(2)))
    policies = {}
    for m in re.finditer(r'struct nla_policy\s+(\w+)\[[^]]*\]\s*=\s*\{(.*?)\n\};',
                         code, re.S):
        policy = {}
        for item in split_top(m.group(2)):
            key, _, text = item.partition('=')
            keys = re.fullmatch(r'\[\s*(\w+)\s*(?:\.\.\.\s*(\w+)\s*)?\]',
                                key.strip())
            first, last = keys.group(1), keys.group(2) or keys.group(1)
            # [A ... B]: every member of A's enum from A to B.
            members = next(e for e, v in enums.values() if first in v)
            lo, hi = values[first], values[last]
            for name in members:
                if lo <= values[name] <= hi and not name.endswith('_MAX'):
                    policy[name] = parse_entry(text.strip(), ranges, ev)
        policies[m.group(1)] = policy
    ops = {}
    m = re.search(r'struct genl_ops\s+\w+\[\]\s*=\s*\{(.*?)\n\};', code, re.S)
    for body in re.findall(r'\{([^{}]*)\}', m.group(1) if m else ''):
        fields = dict(re.findall(r'\.(\w+)\s*=\s*(\w+)', body))
        if 'cmd' in fields:
            ops[fields['cmd']] = fields
    return policies, ops


def limit(value, consts):
    """A `checks` limit: a number, u32-max and the like, or a const."""
    if isinstance(value, int):
        return value
    m = re.fullmatch(r'([us])(8|16|32|64)-(min|max)', value)
    if m:
        bits = int(m.group(2)) - (m.group(1) == 's')
        if m.group(3) == 'max':
            return (1 << bits) - 1
        return -(1 << bits) if m.group(1) == 's' else 0
    return consts[value]['value']


def spec_policy(attr, consts):
    """The policy entry the spec asks for @attr, as parse_entry() gives it."""
    entry = {'type': NLA_TYPE.get(attr.type, f'? {attr.type}')}
    checks = dict(attr.yaml.get('checks', {}))
    enum = consts[attr.yaml['enum']] if 'enum' in attr.yaml else None
    if enum and (enum.type == 'flags' or attr.yaml.get('enum-as-flags')):
        entry['mask'] = enum.get_mask(as_flags=True)
    elif 'flags-mask' in checks:
        entry['mask'] = consts[checks.pop('flags-mask')].get_mask(as_flags=True)
    elif enum:
        low = min(e.value for e in enum.entries.values())
        high = max(e.value for e in enum.entries.values())
        checks.setdefault('max', high)
        if low != 0 or attr.type[0] == 's':
            checks.setdefault('min', low)
    for key in ('min', 'max'):
        if key in checks:
            entry[key] = limit(checks.pop(key), consts)
    if 'max-len' in checks and attr.type in ('string', 'binary'):
        entry['len'] = limit(checks.pop('max-len'), consts)
    checks.pop('flags-mask', None)
    if checks:
        entry['unsupported checks'] = sorted(checks)
    return entry


class Checker:
    def __init__(self):
        self.errors = 0
        self.counts = {}

    def expect(self, kind, ok, msg):
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if not ok:
            self.errors += 1
            print(f'check-spec: {msg}', file=sys.stderr)
        return ok


def check_enum_members(ck, kind, what, spec, header, reserved_ok):
    """@spec and @header as {C name: value}: equal, but for UNSPEC = 0."""
    for name, val in spec.items():
        if ck.expect(kind, name in header, f'{name} ({what}, spec) is not in '
                     'the header'):
            ck.expect(kind, header[name] == val, f'{name}: {header[name]} in '
                      f'the header, {val} in the spec')
    for name, val in header.items():
        if name in spec:
            continue
        ck.expect(kind, reserved_ok and name.endswith('_UNSPEC') and val == 0
                  and 0 not in spec.values(),
                  f'{name} (header) is not in the spec ({what})')


def check_max(ck, kind, enum, values, cnt, mx, last, want):
    if want:
        ck.expect(kind, values.get(cnt) == last + 1 and values.get(mx) == last,
                  f'enum {enum}: {cnt} and {mx} should be {last + 1} and {last}')
    else:
        ck.expect(kind, cnt not in values and mx not in values,
                  f'enum {enum} has {mx}: the spec should say render-max')


def check_definitions(ck, fam, enums, claimed):
    for const in fam.consts.values():
        if const.type not in ('enum', 'flags'):
            continue
        enum = const.yaml.get('enum-name', f'{fam.name}-{const.name}')
        enum = (enum or '').replace('-', '_')
        claimed.add(enum)
        if not ck.expect('enums', enum in enums, f"enum '{const.name}': no "
                         f"enum {enum} in the header (enum-name)"):
            continue
        entries, values = enums[enum]
        pfx = const.yaml.get('name-prefix', f'{fam.name}-{const.name}-')
        cnt, mx = c_name('__', pfx, 'max'), c_name(pfx, 'max')
        spec = {c_name(pfx, e.name): e.user_value()
                for e in const.entries.values()}
        header = {n: values[n] for n in entries if n not in (cnt, mx)}
        check_enum_members(ck, 'enums', enum, spec, header, True)
        check_max(ck, 'enums', enum, values, cnt, mx,
                  max(e.value for e in const.entries.values()),
                  const.yaml.get('render-max', False))


def set_prefix(fam, aset):
    if aset.subset_of:
        aset = fam.attr_sets[aset.subset_of]
    return aset.yaml.get('name-prefix', f'{fam.name}-a-' if aset.name == fam.name
                         else f'{fam.name}-a-{aset.name}-')


def check_set(ck, fam, aset, enums, docs, claimed):
    pfx = set_prefix(fam, aset)
    enum = aset.yaml.get('enum-name') or ''
    claimed.add(enum)
    if not ck.expect('attribute sets', enum in enums, f"set '{aset.name}': "
                     f"no enum '{enum}' in the header (enum-name)"):
        return
    entries, values = enums[enum]
    cnt = aset.yaml.get('attr-cnt-name', c_name('__', pfx, 'max'))
    mx = aset.yaml.get('attr-max-name', c_name(pfx, 'max'))
    spec = {c_name(pfx, a.name): a.value for a in aset.attrs.values()}
    header = {n: values[n] for n in entries if n not in (cnt, mx)}
    check_enum_members(ck, 'attribute sets', enum, spec, header, False)
    check_max(ck, 'attribute sets', enum, values, cnt, mx,
              max(a.value for a in aset.attrs.values()), True)
    for attr in aset.attrs.values():
        name = c_name(pfx, attr.name)
        doc = docs.get(name, '')
        want = DOC_TYPE.get(attr.type, attr.type)
        if attr.type == 'indexed-array':
            want = f'nest of {attr.sub_type}'
        ck.expect('attribute types', re.match(re.escape(want) + r'\b', doc),
                  f"{name}: the spec says {want}, the header's kernel-doc "
                  f"'{doc}'")
        if 'enum' in attr.yaml:
            cenum = fam.consts[attr.yaml['enum']].yaml.get('enum-name', '')
            ck.expect('attribute types', f'&enum {cenum}' in doc,
                      f"{name}: the spec says enum {cenum}, the header's "
                      f"kernel-doc does not name it: '{doc}'")
        if attr.type == 'nest':
            nested = fam.attr_sets[attr.yaml['nested-attributes']]
            m = re.match(r'nest of &enum (\w+)', doc)
            if m:
                parent = fam.attr_sets[nested.subset_of or nested.name]
                ck.expect('attribute types',
                          parent.yaml.get('enum-name') == m.group(1),
                          f'{name}: nest of {m.group(1)} in the header, of '
                          f"set '{nested.name}' in the spec")


def check_subset(ck, fam, aset, docs):
    """A subset is what the header's kernel-doc of its nests lists."""
    parent = fam.attr_sets[aset.subset_of]
    ppfx = set_prefix(fam, parent)
    users = [(c_name(set_prefix(fam, s), a.name), a)
             for s in fam.attr_sets.values() if s.subset_of is None
             for a in s.attrs.values()
             if a.yaml.get('nested-attributes') == aset.name]
    listed = None
    for name, _ in users:
        m = re.match(r'nest of &enum \w+:?(.*)', docs.get(name, ''))
        if m:
            listed = set(re.findall('%' + c_name(ppfx) + r'(\w+)', m.group(1)))
            break
    if not ck.expect('attribute sets', listed, f"subset '{aset.name}': no "
                     'nest in the header lists its attributes (nest of &enum '
                     f'{parent.yaml.get("enum-name")}: %...)'):
        return
    spec = {c_name(a.name) for a in aset.attrs.values()}
    ck.expect('attribute sets', spec == listed, f"subset '{aset.name}': "
              f'{sorted(spec)} in the spec, {sorted(listed)} in the header')


def check_ops(ck, fam, enums, docs, policies, genl_ops, claimed):
    pfx = fam.yaml['operations'].get('name-prefix', f'{fam.name}-cmd-')
    enum = fam.yaml['operations'].get('enum-name') or ''
    claimed.add(enum)
    if not ck.expect('commands', enum in enums, f"no enum '{enum}' in the "
                     'header (operations enum-name)'):
        return
    entries, values = enums[enum]
    cnt, mx = c_name('__', pfx, 'max'), c_name(pfx, 'max')
    spec = {c_name(pfx, op.name): op for op in fam.msgs.values()}
    header = {n: values[n] for n in entries if n not in (cnt, mx)}
    check_enum_members(ck, 'commands', enum, {n: op.req_value
                                              for n, op in spec.items()},
                       header, True)
    check_max(ck, 'commands', enum, values, cnt, mx,
              max(op.req_value for op in spec.values()), True)
    used = set()
    for name, op in spec.items():
        spfx = set_prefix(fam, op.attr_set)
        ck.expect('commands', f'%{c_name(spfx)}' in docs.get(name, ''),
                  f"{name}: the header's kernel-doc does not name its "
                  f'attributes %{c_name(spfx)}*')
        if 'event' in op.modes:
            ck.expect('commands', name not in genl_ops,
                      f'{name} is an event: the module should not take it '
                      'as a request (genl_ops)')
            want = [a.name for a in op.attr_set.attrs.values()
                    if a.type not in ('unused', 'pad')]
            ck.expect('commands', op.yaml['event']['attributes'] == want,
                      f'{name}: the event lists '
                      f"{op.yaml['event']['attributes']}, its set {want}")
            continue
        if not ck.expect('commands', name in genl_ops,
                         f'{name}: no genl_ops entry'):
            continue
        gop = genl_ops[name]
        used.add(gop.get('policy'))
        check_policy(ck, fam, name, op, spfx, gop, policies)
    for name in genl_ops:
        ck.expect('commands', name in spec, f'{name}: the module has it, '
                  'the spec does not')
    for pname in policies:
        ck.expect('policies', pname in used, f'policy {pname} belongs to no '
                  'command of the spec')


def check_policy(ck, fam, name, op, spfx, gop, policies):
    for mode, handler in (('do', 'doit'), ('dump', 'dumpit')):
        ck.expect('commands', (mode in op.modes) == (handler in gop),
                  f"{name}: the spec {'has' if mode in op.modes else 'lacks'} "
                  f"{mode}, the module {'has' if handler in gop else 'lacks'} "
                  f'.{handler}')
    want = {}
    for mode in op.modes:
        for attr in op.yaml[mode].get('request', {}).get('attributes', []):
            want[c_name(spfx, attr)] = spec_policy(op.attr_set[attr],
                                                   fam.consts)
    pname = gop.get('policy')
    if not ck.expect('policies', pname in policies, f'{name}: no policy '
                     f"'{pname}' in kmod/"):
        return
    have = {a: e for a, e in policies[pname].items() if e['type'] != 'NLA_REJECT'}
    for attr in sorted(set(have) | set(want)):
        ck.expect('policies', have.get(attr) == want.get(attr),
                  f'{name}: {attr} is {have.get(attr)} in {pname}, '
                  f"{want.get(attr)} as the spec's requests say")
    ck.expect('policies', gop.get('maxattr') == c_name(spfx, 'max'),
              f"{name}: .maxattr is {gop.get('maxattr')}, not "
              f"{c_name(spfx, 'max')}")


# What libnl is asked to check, per spec type, in user/nl_policy.c.
USER_NLA_TYPE = dict(NLA_TYPE, binary='NLA_UNSPEC')


def check_user_policies(ck, fam, path):
    """user/nl_policy.c: a policy per attribute set, as the spec says."""
    with open(path) as f:
        code = strip_comments(f.read())
    tables = {}
    for m in re.finditer(r'struct nla_policy\s+(\w+)\[\s*(\w+)\s*\+\s*1\s*\]'
                         r'\s*=\s*\{(.*?)\n\};', code, re.S):
        tables[m.group(2)] = (m.group(1), dict(re.findall(
            r'\[\s*(\w+)\s*\]\s*=\s*\{\s*\.type\s*=\s*(\w+)\s*\}',
            m.group(3))))
    rel = os.path.relpath(path, TOP)
    for aset in fam.attr_sets.values():
        if aset.subset_of is not None:
            continue
        pfx = set_prefix(fam, aset)
        mx = aset.yaml.get('attr-max-name', c_name(pfx, 'max'))
        if not ck.expect('user policies', mx in tables,
                         f"{rel}: no policy sized {mx} + 1 for set "
                         f"'{aset.name}'"):
            continue
        pname, entries = tables.pop(mx)
        want = {c_name(pfx, a.name): USER_NLA_TYPE[a.type]
                for a in aset.attrs.values() if a.type in USER_NLA_TYPE}
        for name, typ in sorted(want.items()):
            ck.expect('user policies', entries.get(name) == typ,
                      f'{rel}: {pname}[{name}] is {entries.get(name)}, the '
                      f'spec says {typ}')
        for name in sorted(set(entries) - set(want)):
            ck.expect('user policies', False, f'{rel}: {pname}[{name}]: '
                      'not an attribute of the set with a type in the spec')
    for mx, (pname, _) in sorted(tables.items()):
        ck.expect('user policies', False,
                  f'{rel}: {pname} is sized {mx}, no set of the spec')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--spec', default=os.path.join(
        TOP, 'Documentation/netlink/specs/nstree.yaml'))
    ap.add_argument('--header', default=os.path.join(
        TOP, 'kmod/uapi/linux/nstree.h'))
    ap.add_argument('--kmod', default=os.path.join(TOP, 'kmod'))
    ap.add_argument('--user-policy', default=os.path.join(
        TOP, 'user/nl_policy.c'))
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
    policies, genl_ops = parse_kmod(args.kmod, enums, defines)
    ck = Checker()
    fname = fam.yaml.get('c-family-name', c_name(fam.name, '-family-name'))
    fver = fam.yaml.get('c-version-name', c_name(fam.name, '-family-version'))
    ck.expect('family', defines.get(fname) == f'"{fam.name}"',
              f'{fname} is {defines.get(fname)}, the spec says "{fam.name}"')
    ck.expect('family', defines.get(fver) == str(fam.yaml.get('version', 1)),
              f"{fver} is {defines.get(fver)}, the spec says "
              f"{fam.yaml.get('version', 1)}")
    claimed = set()
    check_definitions(ck, fam, enums, claimed)
    for aset in fam.attr_sets.values():
        if aset.subset_of is None:
            check_set(ck, fam, aset, enums, docs, claimed)
        else:
            check_subset(ck, fam, aset, docs)
    check_ops(ck, fam, enums, docs, policies, genl_ops, claimed)
    check_user_policies(ck, fam, args.user_policy)
    for enum in enums:
        ck.expect('family', enum in claimed, f'enum {enum} (header) is '
                  'described nowhere in the spec')

    total = sum(ck.counts.values())
    kinds = ', '.join(f'{k} {n}' for k, n in ck.counts.items())
    print(f'check-spec: {os.path.relpath(args.spec, TOP)}: {total} checks '
          f'({kinds}) against {os.path.relpath(args.header, TOP)} and '
          f'{os.path.relpath(args.kmod, TOP)}/, {ck.errors} failed')
    return 1 if ck.errors else 0


if __name__ == '__main__':
    sys.exit(main())
