#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge a `make check` run against the expected results (tests/expected.txt).

check.sh boots every scenario and runs every gate, then writes one line per unit into a
units file:
    scenario <name> <boot exit status> <console log> [EXPECT_VERIFY_FAILED=1] [EXPECT_REJECTED=1]
    gate <name> <exit status> <KTAP file>
    omitted <name> <why>     (a scenario this kind of run leaves out: make check-full only)
This script splits each console log into its top-level KTAP documents, parses each with the
tree's tools/testing/kunit/kunit.py parse --json, and compares every case with the expected
list: a vanished case, a new unlisted case, a skip that was not expected (or for another
reason), an expected skip that ran, a failure: each is a failure of the run. It also reads
the zeroed_* vmstat lines /init prints before and after the e2e tests: zeroed_verify_failed
and zeroed_rejected must not move in a scenario whose host is honest, and must move in one
that says it injects bad claims. Kernel warnings, stalls and hung tasks on a console fail
the scenario.

Expected list, one case a line:  <unit> <status> <document>.<case> [# <skip reason>]
  unit      scenario name, or gate-<gate>
  status    ok | skip (the reason after '#' must match the KTAP SKIP reason exactly)
            | flaky (ok, or a skip with the reason given; the file's `flaky-budget N`
            line caps how many flaky cases may skip in one run)
  document  kunit suite name, `e2e` for the guest runner, the gate name for a gate
Prints a summary ending in "N passed, N failed"; exit status 0 only when nothing failed.
--update rewrites the expected file from this run (for a reviewed diff).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

WARN_RE = re.compile(r'WARNING: |BUG: |Bad page (state|map)|Oops|'
                     r'rcu: INFO: .*(stall|detected)|INFO: task .* blocked for more than|'
                     r'watchdog: BUG: soft lockup|Kernel panic')
TS_RE = re.compile(r'^\[[ 0-9.]+\] ')
VMSTAT_RE = re.compile(r'^pagehint: (vmstat|vmstat-start)$')
COUNTER_RE = re.compile(r'^pagehint:   (zeroed_\w+) (\d+)$')
MEASURED_RE = re.compile(r'^# measured: (.*)$')
SKIP_RE = re.compile(r'^\s*(?:ok|not ok) \d+ (?:- )?(.*?) # SKIP ?(.*)$')
# Why a case failed: the e2e runner's "FAIL: <why>", a KUnit expectation or assertion.
WHY_RE = re.compile(r'^\s*# (?:FAIL: (.*)|.*?((?:EXPECTATION|ASSERTION) FAILED at .*))$')
NOT_OK_RE = re.compile(r'^\s*not ok \d+ (?:- )?(.*?)(?: # .*)?$')
RESULT_RE = re.compile(r'^\s*(?:ok|not ok) \d+ ')


class Expected:
    def __init__(self, path):
        self.cases = {}      # unit -> {name: (status, reason)}
        self.order = []      # units in file order
        self.flaky_budget = 0
        self.path = path
        with open(path) as f:
            for n, raw in enumerate(f, 1):
                line = raw.rstrip('\n')
                if not line.strip() or line.lstrip().startswith('#'):
                    continue
                m = re.match(r'^flaky-budget (\d+)$', line)
                if m:
                    self.flaky_budget = int(m.group(1))
                    continue
                body, _, reason = line.partition(' # ')
                parts = body.split(None, 2)
                if len(parts) != 3 or parts[1] not in ('ok', 'skip', 'flaky'):
                    sys.exit(f'{path}:{n}: cannot parse: {line!r}')
                unit, status, name = parts
                if status != 'ok' and not reason:
                    sys.exit(f'{path}:{n}: a {status} case needs "# <reason>"')
                if unit not in self.cases:
                    self.cases[unit] = {}
                    self.order.append(unit)
                if name in self.cases[unit]:
                    sys.exit(f'{path}:{n}: {unit} {name} listed twice')
                self.cases[unit][name] = (status, reason.strip())


def split_ktap(log):
    """Top-level KTAP documents of a console log, and the vmstat dumps /init printed."""
    docs, cur = [], None
    vmstat = {'vmstat-start': None, 'vmstat': None}
    section = None
    measured = []
    warnings = []
    with open(log, errors='replace') as f:
        for raw in f:
            line = raw.rstrip('\r\n')
            body = TS_RE.sub('', line)
            if WARN_RE.search(line):
                warnings.append(line)
            if body == 'KTAP version 1':
                cur = []
                docs.append(cur)
            elif line.startswith('pagehint: end of tests'):
                cur = None
            if cur is not None:
                cur.append(body)
                m = MEASURED_RE.match(body)
                if m:
                    measured.append(m.group(1))
            m = VMSTAT_RE.match(line)
            if m:
                section = m.group(1)
                vmstat[section] = {}
                continue
            m = COUNTER_RE.match(line)
            if section and m:
                vmstat[section][m.group(1)] = int(m.group(2))
            elif section and not line.startswith('pagehint:   '):
                section = None
    return docs, vmstat, measured, warnings


def parse_doc(kunit, lines, workdir, tag):
    """Parse one KTAP document with kunit.py; return ({name: (status, reason)}, text, error)."""
    ktap = os.path.join(workdir, tag + '.ktap')
    js = os.path.join(workdir, tag + '.json')
    with open(ktap, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    r = subprocess.run([sys.executable, kunit, 'parse', '--json=' + js, ktap],
                       capture_output=True, text=True)
    text = r.stdout + r.stderr
    try:
        with open(js) as f:
            tree = json.load(f)
    except (OSError, ValueError):
        return {}, text, 'kunit.py produced no JSON'
    reasons = {}
    why = {}
    last_why = None
    for l in lines:
        m = SKIP_RE.match(l)
        if m:
            reasons.setdefault(m.group(1).strip(), m.group(2).strip())
        m = WHY_RE.match(l)
        if m:
            last_why = (m.group(1) or m.group(2)).strip()
            continue
        m = NOT_OK_RE.match(l)
        if m and last_why:
            why.setdefault(m.group(1).strip(), last_why)
        if RESULT_RE.match(l):
            last_why = None
    cases = {}
    error = None
    misc = tree.get('misc', {})
    if misc.get('errors'):
        error = f"{misc['errors']} parser error(s) (truncated or malformed KTAP)"

    def walk(group, prefix):
        for c in group.get('test_cases', []):
            name = prefix + c['name'] if prefix else 'e2e.' + c['name']
            st = {'PASS': 'ok', 'SKIP': 'skip'}.get(c['status'], 'fail')
            reason = {'skip': reasons, 'fail': why}.get(st, {}).get(c['name'], '')
            cases[name] = (st, reason)
        for g in group.get('sub_groups', []):
            walk(g, (prefix + g['name'] + '.'))
    walk(tree, '')
    return cases, text, error


class Run:
    def __init__(self, args):
        self.args = args
        self.exp = Expected(args.expected)
        self.passed = 0
        self.failed = 0
        self.failures = []
        self.skips = []
        self.flaky_skips = []
        self.lines = []
        self.measured = []
        self.actual = {}

    def fail(self, unit, msg):
        self.failed += 1
        self.failures.append(f'{unit}: {msg}')

    def compare(self, unit, cases):
        self.actual[unit] = cases
        exp = self.exp.cases.get(unit)
        if exp is None:
            self.fail(unit, f'not in {os.path.basename(self.exp.path)} '
                            f'({len(cases)} cases ran): add its expected results')
            return
        ok = skip = 0
        for name, (status, reason) in cases.items():
            if name not in exp:
                self.fail(unit, f'{name}: {status}, but not in the expected list')
                continue
            want, wreason = exp[name]
            if status == 'fail':
                self.fail(unit, f'{name}: FAILED' + (f' ({reason})' if reason else ''))
            elif status == 'ok' and want in ('ok', 'flaky'):
                self.passed += 1
                ok += 1
            elif status == 'ok':
                self.fail(unit, f'{name}: ran, but the list expects a skip ({wreason})')
            elif want == 'ok':
                self.fail(unit, f'{name}: skipped ({reason}), expected to run')
            elif reason != wreason:
                self.fail(unit, f'{name}: skipped for "{reason}", expected "{wreason}"')
            elif want == 'flaky':
                self.flaky_skips.append(f'{unit} {name}: {reason}')
                skip += 1
            else:
                self.skips.append(f'{unit} {name}: {reason}')
                skip += 1
        for name in exp:
            if name not in cases:
                self.fail(unit, f'{name}: expected, but did not run')
        self.lines.append(f'{unit}: {ok} ok, {skip} skipped as expected, '
                          f'{len(cases) - ok - skip} not as expected')

    def scenario(self, name, rc, log, flags):
        if rc != 0:
            self.fail(name, f'boot FAILED (exit {rc}, log: {log}); '
                            f'{len(self.exp.cases.get(name, {}))} expected cases did not run')
            self.actual[name] = None
            return
        docs, vmstat, measured, warnings = split_ktap(log)
        self.measured += [f'{name}: {m}' for m in measured]
        if not docs:
            self.fail(name, 'no KTAP document on the console')
        cases = {}
        with tempfile.TemporaryDirectory() as work:
            for i, doc in enumerate(docs, 1):
                got, text, error = parse_doc(self.args.kunit, doc, work, f'{name}-{i}')
                if error:
                    self.fail(name, f'document {i}: {error}')
                    print('\n'.join('  ' + l for l in text.splitlines()[-30:]))
                for k, v in got.items():
                    if k in cases:
                        self.fail(name, f'{k}: reported twice')
                    cases[k] = v
                if any(s == 'fail' for s, _ in got.values()):
                    print(f'--- {name} document {i} (kunit.py parse)')
                    print('\n'.join('  ' + l for l in text.splitlines()))
        self.compare(name, cases)
        self.invariant(name, vmstat, flags)
        if warnings:
            self.fail(name, f'{len(warnings)} kernel warning/stall line(s), first: '
                            f'{warnings[0].strip()}')

    def invariant(self, name, vmstat, flags):
        """zeroed_verify_failed / zeroed_rejected over the e2e phase of this boot."""
        start, end = vmstat['vmstat-start'], vmstat['vmstat']
        if end is None:
            self.fail(name, 'no vmstat dump at the end of the boot')
            return
        for counter, flag in (('zeroed_verify_failed', 'EXPECT_VERIFY_FAILED'),
                              ('zeroed_rejected', 'EXPECT_REJECTED')):
            if counter not in end:
                self.fail(name, f'{counter} missing from /proc/vmstat')
                continue
            base = (start or {}).get(counter, 0)
            moved = end[counter] - base
            if flags.get(flag) == '1':
                if moved > 0:
                    self.passed += 1
                    self.lines.append(f'{name}: {counter} +{moved} (bad input injected, as expected)')
                else:
                    self.fail(name, f'{counter} did not move, but {flag}=1 says it must')
            elif moved != 0:
                self.fail(name, f'{counter} +{moved} with an honest host')
            else:
                self.passed += 1

    def gate(self, name, rc, ktap):
        unit = 'gate-' + name
        lines = []
        if os.path.exists(ktap):
            with open(ktap, errors='replace') as f:
                lines = [l.rstrip('\n') for l in f]
        if not lines or lines[0] != 'KTAP version 1':
            self.fail(unit, f'no KTAP output (exit {rc})')
            self.actual[unit] = None
            return
        with tempfile.TemporaryDirectory() as work:
            got, text, error = parse_doc(self.args.kunit, lines, work, unit)
        if error:
            self.fail(unit, error)
        cases = {k.replace('e2e.', name + '.', 1): v for k, v in got.items()}
        if any(s == 'fail' for s, _ in cases.values()):
            print(f'--- {unit} (kunit.py parse)')
            print('\n'.join('  ' + l for l in text.splitlines()))
        before = self.failed
        self.compare(unit, cases)
        if rc != 0 and self.failed == before:
            self.fail(unit, f'exit status {rc} although every case passed')

    def finish(self, units_run, complete):
        if complete:
            for unit in self.exp.order:
                if unit not in units_run:
                    self.fail(unit, 'listed in the expected results, but never ran')
        if len(self.flaky_skips) > self.exp.flaky_budget:
            self.fail('flaky', f'{len(self.flaky_skips)} flaky cases skipped, the budget '
                               f'is {self.exp.flaky_budget}')
        print()
        print('=== pagehint check summary ===')
        for l in self.lines:
            print('  ' + l)
        if self.measured:
            print('measured (printed by the tests of this run):')
            for m in self.measured:
                print('  ' + m)
        if self.skips or self.flaky_skips:
            print('skipped, as tests/expected.txt allows:')
            for s in self.skips + [f + ' (flaky)' for f in self.flaky_skips]:
                print('  ' + s)
        if self.failures:
            print('FAILURES:')
            for f in self.failures:
                print('  ' + f)
        nskip = len(self.skips) + len(self.flaky_skips)
        print(f'{nskip} skipped as expected (not counted as passed)')
        print(f'{self.passed} passed, {self.failed} failed')
        return 0 if self.failed == 0 else 1

    def update(self):
        """Rewrite the expected file: this run's results, other units unchanged."""
        out = []
        head = []
        with open(self.exp.path) as f:
            for l in f:
                if l.startswith('#') or not l.strip():
                    head.append(l.rstrip('\n'))
                else:
                    break
        out += head
        out.append(f'flaky-budget {self.exp.flaky_budget}')
        units = list(self.exp.order) + [u for u in self.actual if u not in self.exp.cases]
        for unit in units:
            cases = self.actual.get(unit)
            if cases is None:
                for name, (st, r) in self.exp.cases.get(unit, {}).items():
                    out.append(f'{unit} {st} {name}' + (f' # {r}' if r else ''))
                continue
            for name, (st, r) in cases.items():
                old = self.exp.cases.get(unit, {}).get(name)
                if old and old[0] == 'flaky':
                    st, r = old
                elif st == 'fail':
                    # A failure is never an expectation: expect it to pass.
                    print(f'{unit} {name}: FAILED in this run; listed as ok')
                    st, r = 'ok', ''
                out.append(f'{unit} {st} {name}' + (f' # {r}' if st != 'ok' else ''))
        with open(self.exp.path, 'w') as f:
            f.write('\n'.join(out) + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--expected', required=True)
    ap.add_argument('--kunit', required=True, help="the tree's tools/testing/kunit/kunit.py")
    ap.add_argument('--units', required=True)
    ap.add_argument('--complete', action='store_true',
                    help='every listed unit must have run (a full make check)')
    ap.add_argument('--update', action='store_true')
    args = ap.parse_args()
    run = Run(args)
    ran = []
    with open(args.units) as f:
        for raw in f:
            p = raw.split()
            if not p:
                continue
            if p[0] == 'scenario':
                flags = dict(x.split('=', 1) for x in p[4:])
                run.scenario(p[1], int(p[2]), p[3], flags)
                ran.append(p[1])
            elif p[0] == 'gate':
                run.gate(p[1], int(p[2]), p[3])
                ran.append('gate-' + p[1])
            elif p[0] == 'omitted':
                run.lines.append(f'{p[1]}: not run, {" ".join(p[2:])}')
                ran.append(p[1])
            else:
                sys.exit(f'{args.units}: bad line {raw!r}')
    if args.update:
        run.update()
        print(f'updated {args.expected}')
        return 0
    return run.finish(set(ran), args.complete)


if __name__ == '__main__':
    sys.exit(main())
