#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the module's layers call only downwards.

Usage: scripts/layers.py [-v]

Every non-static function or variable a source file of the module defines
belongs to its directory's layer.  A file may use what its own layer or a
layer below defines, never what one above (or a sibling) does:

    module/            (top: load, unload, counters; nothing calls it)
    procfs/  hooks/    (the control file; the hooked kernel functions)
    core/              (containers, records, shadows, life, death)
    engine/            (ftrace hooks over one table; kernel symbols)

include/ holds headers only.  With -v, print who calls whom.
Exit status 1 and one line per offending use otherwise.
"""
import glob
import os
import re
import sys

RANK = {'engine': 0, 'core': 1, 'hooks': 2, 'procfs': 2, 'module': 3}
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


def strip(src):
    src = re.sub(r'/\*.*?\*/', ' ', src, flags=re.S)
    src = re.sub(r'//[^\n]*', ' ', src)
    return re.sub(r'"(\\.|[^"\\])*"', '""', src)


def defined(src):
    """Names of non-static functions and variables defined at file scope."""
    names = set()
    for m in re.finditer(r'^(?!static\b)[A-Za-z_][^\n;{}()=]*?\b(vpid_\w+)\s*\([^;]*?\)\s*\{',
                         src, re.M | re.S):
        names.add(m.group(1))
    for m in re.finditer(r'^(?!static\b|extern\b|typedef\b)(?:\w+[ \t*]+)+(vpid_\w+)\s*(?:\[[^\]]*\])?\s*[=;]',
                         src, re.M):
        names.add(m.group(1))
    for m in re.finditer(r'^(?:DEFINE_\w+|LIST_HEAD)\((vpid_\w+)', src, re.M):
        names.add(m.group(1))
    return names


def main():
    verbose = '-v' in sys.argv[1:]
    files = sorted(f for d in RANK for f in glob.glob(os.path.join(ROOT, d, '*.c')))
    owner, text = {}, {}
    for f in files:
        layer = os.path.basename(os.path.dirname(f))
        text[f] = strip(open(f).read())
        for name in defined(text[f]):
            owner[name] = layer
    bad = 0
    edges = set()
    for f in files:
        layer = os.path.basename(os.path.dirname(f))
        rel = os.path.relpath(f, ROOT)
        for name in sorted(set(re.findall(r'\bvpid_\w+', text[f]))):
            to = owner.get(name)
            if not to or to == layer:
                continue
            edges.add((layer, to))
            if RANK[to] >= RANK[layer]:
                print(f'{rel}: uses {name} of {to}/: {to}/ is not below {layer}/')
                bad += 1
    if verbose:
        for a, b in sorted(edges):
            print(f'{a}/ -> {b}/')
    if bad:
        print(f'layers: {bad} upward or sideways use(s)')
        return 1
    print(f'layers: {len(files)} files, {len(owner)} names, no upward use')
    return 0


if __name__ == '__main__':
    sys.exit(main())
