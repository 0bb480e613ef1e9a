#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The checks of the spec gate (scripts/spec-gate.sh) on a patched copy of the virtio spec.

    spec-check.py --base <dir> --patched <dir> --patch <file> --linux <patch>... \
                  --qemu <patch>... --start <n>

<base> and <patched> hold device-types/balloon/*.tex before and after the spec patch. Prints
one KTAP case line per check, numbered from <n>, with the reasons as "# " lines, and exits 1
when one failed. No TeX is needed; the checks are:

  environments  in every patched file each \\begin{x} is closed by its \\end{x}, properly
                nested, and braces balance (outside lstlisting bodies, which are verbatim)
  macros        every control word on a line the patch adds is one the base files use, or a
                standard LaTeX one from MACROS_ALLOWED (a typo such as \\devicenormativ fails)
  refs          every \\ref resolves to a \\label in the patched files (\\devicenormative and
                \\drivernormative define devicenormative:<x> and drivernormative:<x>), or is a
                \\ref the upstream base already has; no label is defined twice
  conformance   every normative section of description.tex is listed in its conformance
                file (device- or driver-conformance.tex)
  feature-bits  the feature bits the patch adds (\\item[ NAME(bit) ]) are exactly the
                VIRTIO_BALLOON_F_* defines the Linux uapi hunk adds and exactly those the
                QEMU standard-headers hunk adds, with the same numbers, and no bit is taken
"""
import argparse
import os
import re
import sys

FILES = ('description.tex', 'device-conformance.tex', 'driver-conformance.tex')
SUBDIR = 'device-types/balloon'
# Standard LaTeX control words the base files happen not to use but the patch may.
MACROS_ALLOWED = {'emph', 'lfloor', 'rfloor', 'lceil', 'rceil', 'bmod'}
LINUX_HEADER = 'include/uapi/linux/virtio_balloon.h'
QEMU_HEADER = 'include/standard-headers/linux/virtio_balloon.h'

LISTING_RE = re.compile(r'(\\begin\{lstlisting\}).*?(\\end\{lstlisting\})', re.S)
ENV_RE = re.compile(r'\\(begin|end)\{([^{}]*)\}')
LABEL_RE = re.compile(r'\\label\{([^{}]*)\}')
NORMATIVE_RE = re.compile(r'\\(device|driver)normative\{[^{}]*\}\{[^{}]*\}\{([^{}]*)\}')
REF_RE = re.compile(r'\\ref\{([^{}]*)\}')
FEATURE_RE = re.compile(r'\\item\[\s*(VIRTIO_BALLOON_F_\w+)\s*\((\d+)\)\s*\]')
DEFINE_RE = re.compile(r'^\+#define\s+(VIRTIO_BALLOON_F_\w+)\s+(\d+)\b')


def norm(s):
    """A label as LaTeX sees it: a line break inside the braces is a space."""
    return ' '.join(s.split())


def strip_comments(text):
    return re.sub(r'(?<!\\)%.*', '', text)


def read(d, name):
    with open(os.path.join(d, SUBDIR, name)) as f:
        return strip_comments(f.read())


def line_of(text, pos):
    return text.count('\n', 0, pos) + 1


def check_environments(patched):
    errs = []
    for name in FILES:
        text = read(patched, name)
        stack = []
        for m in ENV_RE.finditer(text):
            kind, env = m.group(1), m.group(2)
            if kind == 'begin':
                stack.append((env, line_of(text, m.start())))
            elif not stack:
                errs.append(f'{name}:{line_of(text, m.start())}: \\end{{{env}}} without \\begin')
            elif stack[-1][0] != env:
                errs.append(f'{name}:{line_of(text, m.start())}: \\end{{{env}}} closes '
                            f'\\begin{{{stack[-1][0]}}} of line {stack[-1][1]}')
                stack.pop()
            else:
                stack.pop()
        errs += [f'{name}:{ln}: \\begin{{{env}}} is never closed' for env, ln in stack]
        body = LISTING_RE.sub(r'\1\2', text)
        depth = 0
        for ln, line in enumerate(body.replace('\\{', '').replace('\\}', '').split('\n'), 1):
            depth += line.count('{') - line.count('}')
            if depth < 0:
                errs.append(f'{name}: unbalanced "}}" near line {ln}')
                depth = 0
        if depth:
            errs.append(f'{name}: {depth} "{{" never closed')
    return errs


def added_lines(patch):
    """(file, text) of every line the patch adds, lstlisting bodies left out."""
    out, cur, listing = [], None, False
    with open(patch) as f:
        for line in f:
            if line.startswith('+++ '):
                cur = line[4:].strip().split('/', 1)[-1]
                listing = False
                continue
            if cur is None or line.startswith('---'):
                continue
            if line[:1] in ('+', ' '):
                text = line[1:]
                if '\\end{lstlisting}' in text:
                    listing = False
                elif listing:
                    continue
                if '\\begin{lstlisting}' in text:
                    listing = True
                if line[0] == '+':
                    out.append((cur, strip_comments(text)))
    return out


def check_macros(base, patch):
    known = set(MACROS_ALLOWED)
    for name in FILES:
        known |= set(re.findall(r'\\([a-zA-Z]+)', read(base, name)))
    errs = []
    for f, text in added_lines(patch):
        for m in re.findall(r'\\([a-zA-Z]+)', text):
            if m not in known:
                errs.append(f'{f}: \\{m} is used nowhere in the base and not allowed: '
                            f'{text.strip()[:70]}')
    return errs


def labels_of(text):
    labels = [norm(x) for x in LABEL_RE.findall(text)]
    labels += [f'{k}normative:{norm(x)}' for k, x in NORMATIVE_RE.findall(text)]
    return labels


def check_refs(base, patched):
    errs, labels, seen = [], {}, set()
    base_refs = set()
    for name in FILES:
        base_refs |= {norm(x) for x in REF_RE.findall(read(base, name))}
        for label in labels_of(read(patched, name)):
            if label in labels:
                errs.append(f'{name}: label defined twice (also in {labels[label]}): {label}')
            labels[label] = name
    for name in FILES:
        text = read(patched, name)
        for m in REF_RE.finditer(text):
            ref = norm(m.group(1))
            if ref in labels or ref in base_refs or ref in seen:
                continue
            seen.add(ref)
            errs.append(f'{name}:{line_of(text, m.start())}: \\ref{{{ref}}} resolves to no label')
    return errs


def check_conformance(patched):
    desc = read(patched, 'description.tex')
    errs = []
    for kind, sect in NORMATIVE_RE.findall(desc):
        conf = f'{kind}-conformance.tex'
        refs = {norm(x) for x in REF_RE.findall(read(patched, conf))}
        if f'{kind}normative:{norm(sect)}' not in refs:
            errs.append(f'{conf} does not list {kind}normative:{norm(sect)}')
    return errs


def header_defines(patches, header):
    """The VIRTIO_BALLOON_F_* defines the hunks for <header> in <patches> add."""
    found, where = {}, []
    for p in patches:
        cur = None
        with open(p) as f:
            for line in f:
                if line.startswith('+++ '):
                    cur = line[4:].strip().split('\t')[0]
                    cur = cur.split('/', 1)[1] if cur.startswith('b/') else cur
                    continue
                if cur != header:
                    continue
                m = DEFINE_RE.match(line)
                if m:
                    found[m.group(1)] = int(m.group(2))
                    where.append(os.path.basename(p))
    return found, sorted(set(where))


def check_feature_bits(base, patched, linux, qemu):
    old = dict(FEATURE_RE.findall(read(base, 'description.tex')))
    new = dict(FEATURE_RE.findall(read(patched, 'description.tex')))
    spec = {k: int(v) for k, v in new.items() if k not in old}
    errs = []
    if not spec:
        errs.append('the patch adds no feature bit (\\item[ NAME(bit) ])')
    taken = {}
    for k, v in new.items():
        if int(v) in taken:
            errs.append(f'bit {v} is both {taken[int(v)]} and {k}')
        taken[int(v)] = k
    for who, patches, header in (('Linux', linux, LINUX_HEADER), ('QEMU', qemu, QEMU_HEADER)):
        got, where = header_defines(patches, header)
        if not got:
            errs.append(f'{who}: no patch adds VIRTIO_BALLOON_F_* defines to {header}')
            continue
        for k in sorted(set(spec) | set(got)):
            if k not in got:
                errs.append(f'{who} ({", ".join(where)}): {k} missing from {header}')
            elif k not in spec:
                errs.append(f'{who} ({", ".join(where)}): {k} = {got[k]} is not in the spec patch')
            elif got[k] != spec[k]:
                errs.append(f'{who} ({", ".join(where)}): {k} = {got[k]}, the spec says {spec[k]}')
    return errs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--base', required=True)
    ap.add_argument('--patched', required=True)
    ap.add_argument('--patch', required=True)
    ap.add_argument('--linux', nargs='+', required=True)
    ap.add_argument('--qemu', nargs='+', required=True)
    ap.add_argument('--start', type=int, default=1)
    a = ap.parse_args()
    checks = [
        ('environments', lambda: check_environments(a.patched)),
        ('macros', lambda: check_macros(a.base, a.patch)),
        ('refs', lambda: check_refs(a.base, a.patched)),
        ('conformance', lambda: check_conformance(a.patched)),
        ('feature-bits', lambda: check_feature_bits(a.base, a.patched, a.linux, a.qemu)),
    ]
    failed = 0
    for n, (name, fn) in enumerate(checks, a.start):
        errs = fn()
        for e in errs:
            print(f'# {e}')
        print(f'{"not ok" if errs else "ok"} {n} {name}')
        failed += bool(errs)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
