#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the netlink fuzzer's tables (selftests/fuzz_test.c).

Reads the YNL spec (Documentation/netlink/specs/nstree.yaml) and the uapi
header (kmod/uapi/linux/nstree.h) and writes a C header with every
attribute set, its attributes and their types, and every command with its
do/dump modes and request attributes. The spec is used for what it
declares; the sets and commands it does not declare (yet) come from the
header's enums, typed by the first words of each member's kernel-doc line
("u32", "nest of &enum nstree_a_proc", ...), so SUBSCRIBE, UNSUBSCRIBE and
the event attributes are fuzzed even while the spec lacks them. The output
says which source each entry came from.

    tools/fuzz-gen.py [--spec FILE] [--header FILE] >OUT.h
"""

import argparse
import os
import re
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Attribute kinds, as the fuzzer's C enum fz_kind names them.
KINDS = ['UNUSED', 'PAD', 'FLAG', 'U8', 'U16', 'U32', 'U64', 'STRING',
         'BINARY', 'NEST', 'ARRAY']
SPEC_KIND = {'unused': 'UNUSED', 'pad': 'PAD', 'flag': 'FLAG', 'u8': 'U8',
             'u16': 'U16', 'u32': 'U32', 'u64': 'U64', 'string': 'STRING',
             'binary': 'BINARY', 'nest': 'NEST', 'indexed-array': 'ARRAY'}
DOC_KIND = [(r'reserved\b', 'UNUSED'), (r'padding\b', 'PAD'),
            (r'flag\b', 'FLAG'), (r'u8\b', 'U8'), (r'u16\b', 'U16'),
            (r'u32\b', 'U32'), (r'u64\b', 'U64'), (r'string\b', 'STRING'),
            (r'binary\b', 'BINARY'), (r'nest of u32\b', 'ARRAY'),
            (r'nest\b', 'NEST')]


def parse_header(path):
    """Enums {name: [(member, value)]} and kernel-doc {member: text}."""
    with open(path) as f:
        text = f.read()
    docs = {}
    for m in re.finditer(r'^ \* @(\w+):\s*(.*(?:\n \*\t.*)*)', text, re.M):
        docs[m.group(1)] = re.sub(r'\s*\n \*\t', ' ', m.group(2))
    code = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    enums = {}
    for m in re.finditer(r'\benum\s+(\w+)\s*\{(.*?)\}\s*;', code, re.S):
        members, nxt, values = [], 0, {}
        for item in filter(None, (i.strip() for i in m.group(2).split(','))):
            name, _, expr = (s.strip() for s in item.partition('='))
            if expr:
                nxt = eval(expr, {'__builtins__': {}}, dict(values))
            values[name] = nxt
            if not name.startswith('__') and not name.endswith('_MAX'):
                members.append((name, nxt))
            nxt += 1
        enums[m.group(1)] = members
    return enums, docs


def doc_kind(doc):
    for pat, kind in DOC_KIND:
        if re.match(pat, doc):
            return kind
    return 'BINARY'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--spec', default=os.path.join(
        TOP, 'Documentation/netlink/specs/nstree.yaml'))
    ap.add_argument('--header', default=os.path.join(
        TOP, 'kmod/uapi/linux/nstree.h'))
    args = ap.parse_args()

    with open(args.spec) as f:
        spec = yaml.safe_load(f)
    enums, docs = parse_header(args.header)
    fam = spec['name']

    # Attribute sets: the spec's, then the header's nstree_a_* enums the
    # spec does not declare.
    sets = []		# (name, enum, source, [(value, cname, kind, nestset)])
    by_enum = {}
    for aset in spec.get('attribute-sets', []):
        enum = aset.get('enum-name') or f'{fam}_a_{aset["name"]}'
        attrs, val = [], 0
        for a in aset['attributes']:
            val = a.get('value', val)
            nest = a.get('nested-attributes')
            attrs.append((val, f'{aset["name"]}.{a["name"]}',
                          SPEC_KIND.get(a['type'], 'BINARY'), nest))
            val += 1
        by_enum[enum] = len(sets)
        sets.append((aset['name'], enum, 'spec', attrs))
    for enum, members in enums.items():
        if not enum.startswith(f'{fam}_a_') or enum in by_enum:
            continue
        short = enum[len(f'{fam}_a_'):]
        attrs = []
        for name, val in members:
            doc = docs.get(name, '')
            kind = doc_kind(doc)
            nest = None
            m = re.match(r'nest of &enum (\w+)', doc)
            if m:
                nest = m.group(1)
            attrs.append((val, name, kind, nest))
        by_enum[enum] = len(sets)
        sets.append((short, enum, 'header', attrs))
    # Nests named by set (spec) or enum (header) become set indexes.
    names = {s[0]: i for i, s in enumerate(sets)}
    for i, (_, _, _, attrs) in enumerate(sets):
        for j, (val, cname, kind, nest) in enumerate(attrs):
            idx = -1
            if nest in names:
                idx = names[nest]
            elif nest in by_enum:
                idx = by_enum[nest]
            elif kind == 'NEST':
                # A nest the header does not type: the event's process
                # nests are of the proc set.
                idx = names.get('proc', -1)
            attrs[j] = (val, cname, kind, idx)

    # Commands: the spec's, then the header's it does not declare.
    cmd_enum = spec['operations'].get('enum-name') or f'{fam}_cmd'
    ops = []		# (value, name, set, do, dump, doreq, dumpreq, source)
    spec_cmds = set()
    val = 1
    for op in spec['operations']['list']:
        val = op.get('value', val)
        sidx = names.get(op.get('attribute-set'), -1)
        attrs = {a[1].split('.', 1)[-1]: a[0] for a in sets[sidx][3]} \
            if sidx >= 0 else {}
        req = {}
        for mode in ('do', 'dump'):
            req[mode] = [attrs[a] for a in
                         ((op.get(mode) or {}).get('request') or {})
                         .get('attributes', []) if a in attrs]
        ops.append((val, op['name'], sidx, 'do' in op, 'dump' in op,
                    req['do'], req['dump'], 'spec'))
        spec_cmds.add(val)
        val += 1
    prev_set = -1
    for name, val in enums.get(cmd_enum, []):
        if val == 0 or val in spec_cmds:
            continue
        doc = docs.get(name, '')
        m = re.search(r'%' + fam.upper() + r'_A_([A-Z]+)_\*', doc)
        sidx = prev_set
        if m:
            sidx = by_enum.get(f'{fam}_a_{m.group(1).lower()}', prev_set)
        prev_set = sidx
        has_do = bool(re.match(r'do:', doc))
        has_dump = 'dump:' in doc
        req = [a[0] for a in sets[sidx][3]
               if a[2] not in ('UNUSED', 'PAD') and
               'reply only' not in docs.get(a[1], '')] if sidx >= 0 else []
        ops.append((val, name[len(fam) + 5:].lower().replace('_', '-'), sidx, has_do, has_dump,
                    req if has_do else [], req if has_dump else [],
                    'header'))

    out = sys.stdout
    out.write('/* SPDX-License-Identifier: GPL-2.0 */\n'
              '/* Generated by tools/fuzz-gen.py from '
              f'{os.path.relpath(args.spec, TOP)} and '
              f'{os.path.relpath(args.header, TOP)}: do not edit. */\n\n')
    out.write(f'#define FZ_FAMILY_NAME "{fam}"\n')
    out.write(f'#define FZ_FAMILY_VERSION {spec.get("version", 1)}\n\n')
    for i, (name, enum, src, attrs) in enumerate(sets):
        out.write(f'static const struct fz_attr fz_set{i}_attrs[] = {{\n')
        for val, cname, kind, nest in attrs:
            out.write(f'\t{{ {val}, FZ_{kind}, {nest}, "{cname}" }},\n')
        out.write('};\n\n')
    out.write('static const struct fz_set fz_sets[] = {\n')
    for i, (name, enum, src, attrs) in enumerate(sets):
        mx = max(a[0] for a in attrs)
        out.write(f'\t{{ "{name}", "{src}", {mx}, fz_set{i}_attrs, '
                  f'{len(attrs)} }},\n')
    out.write('};\n\n')
    for i, op in enumerate(ops):
        for mode, req in (('do', op[5]), ('dump', op[6])):
            out.write(f'static const uint16_t fz_op{i}_{mode}[] = {{ '
                      + ''.join(f'{r}, ' for r in req) + '0 };\n')
    out.write('\nstatic const struct fz_op fz_ops[] = {\n')
    for i, (val, name, sidx, do, dump, doreq, dumpreq, src) in enumerate(ops):
        out.write(f'\t{{ {val}, "{name}", "{src}", {sidx}, {int(do)}, '
                  f'{int(dump)}, fz_op{i}_do, {len(doreq)}, fz_op{i}_dump, '
                  f'{len(dumpreq)} }},\n')
    out.write('};\n')
    out.write(f'\n#define FZ_CMD_MAX {max(o[0] for o in ops)}\n')


if __name__ == '__main__':
    main()
