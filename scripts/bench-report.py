#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console logs of `make bench` (scripts/bench.sh) into its results table.

    bench-report.py --out FILE [--meta 'name: value' ...] run-01-on.log run-01-off.log ...

Each log is one boot of one arm (on: the host vouches for reported pages, off: it does not);
its name gives the run number and the arm. A run's value for a workload is the median of its
timed rounds. For every workload the table gives median, min and max over the runs of each
arm, and the on/off time ratio of each pair of runs (run i of both arms): the median of those
ratios and their min and max.

The mechanism check makes the numbers mean something: in every "on" run DEVICE_INIT_REPORTED
(bit 6) is negotiated and at least ON_MIN of each round's pages skipped zeroing; in every "off"
run bit 6 is not negotiated, reporting marked nothing and at most OFF_MAX of the pages skipped
zeroing; a THP workload really got THPs. Exit 1 when a log lacks results or a check fails.
"""
import argparse
import re
import statistics
import sys

ON_MIN = 0.50    # on: share of each round's pages whose zeroing was skipped, at least
OFF_MAX = 0.01   # off: at most (no source is registered, so it is 0 unless that changes)
THP_MIN = 0.90   # thp workloads: share of the region backed by THPs, at least
ARMS = ('on', 'off')


def parse_log(path):
    """Return {'features', 'marked', 'ok', 'kernel', 'rounds': {workload: [dict]}}."""
    res = {'features': None, 'marked': [], 'ok': False, 'kernel': None,
           'verify_failed': None, 'rounds': {}, 'errors': []}
    with open(path, errors='replace') as f:
        for line in f:
            line = line.rstrip('\r\n')
            m = re.match(r'^# pagehint e2e: (\S+)', line)
            if m:
                res['kernel'] = m.group(1)
            if re.match(r'^ok 1 alloc_bench$', line):
                res['ok'] = True
            if not line.startswith('# '):
                continue
            body = line[2:]
            if body.startswith('FEATURES '):
                res['features'] = body.split(None, 1)[1]
            elif body.startswith('MARKED '):
                res['marked'].append(int(body.split()[1]))
            elif body.startswith('VERIFY_FAILED '):
                res['verify_failed'] = int(body.split()[1])
            elif body.startswith('FAIL:') or body.startswith('alloc_bench:') or \
                    'non-zero word' in body:
                res['errors'].append(body)
            elif body.startswith('BENCH '):
                kv = dict(x.split('=', 1) for x in body.split()[1:])
                name = '%s-%sM' % (kv['workload'], kv['mib'])
                res['rounds'].setdefault(name, []).append(
                    {k: (v if k == 'workload' else int(v)) for k, v in kv.items()})
    return res


def bit(features, n):
    return features is not None and len(features) > n and features[n] == '1'


def fmt_ms(ns):
    return '%.1f' % (ns / 1e6)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--meta', action='append', default=[])
    ap.add_argument('logs', nargs='+')
    a = ap.parse_args()

    runs = {}      # (run, arm) -> parsed log
    problems = []
    for path in a.logs:
        m = re.search(r'run-(\d+)-(on|off)\.log$', path)
        if not m:
            sys.exit('bench-report: log name %s is not run-NN-on|off.log' % path)
        r = parse_log(path)
        runs[(int(m.group(1)), m.group(2))] = r
        tag = 'run %d %s' % (int(m.group(1)), m.group(2))
        if not r['ok'] or not r['rounds']:
            problems.append('%s: no results (%s)' % (tag, '; '.join(r['errors']) or
                                                     'guest test did not pass'))
    run_ids = sorted({k[0] for k in runs})
    for i in run_ids:
        for arm in ARMS:
            if (i, arm) not in runs:
                problems.append('run %d %s: missing' % (i, arm))
    workloads = []
    for r in runs.values():
        for w in r['rounds']:
            if w not in workloads:
                workloads.append(w)

    # Mechanism check, round by round.
    for (i, arm), r in sorted(runs.items()):
        tag = 'run %d %s' % (i, arm)
        on = bit(r['features'], 6)
        if arm == 'on' and not on:
            problems.append('%s: DEVICE_INIT_REPORTED (bit 6) not negotiated (features %s)'
                            % (tag, r['features']))
        if arm == 'off' and on:
            problems.append('%s: DEVICE_INIT_REPORTED (bit 6) negotiated' % tag)
        if arm == 'off' and any(r['marked']):
            problems.append('%s: reporting marked %d pages zeroed' % (tag, max(r['marked'])))
        if r['verify_failed']:
            problems.append('%s: %d verify failures' % (tag, r['verify_failed']))
        for w in workloads:
            if r['rounds'] and w not in r['rounds']:
                problems.append('%s: no rounds of %s' % (tag, w))
            for rd in r['rounds'].get(w, []):
                share = rd['consumed'] / rd['pages']
                if arm == 'on' and share < ON_MIN:
                    problems.append('%s %s round %d: zeroing skipped for %d of %d pages '
                                    '(< %d%%)' % (tag, w, rd['round'], rd['consumed'],
                                                  rd['pages'], ON_MIN * 100))
                if arm == 'off' and share > OFF_MAX:
                    problems.append('%s %s round %d: zeroing skipped for %d of %d pages '
                                    '(> %d%%)' % (tag, w, rd['round'], rd['consumed'],
                                                  rd['pages'], OFF_MAX * 100))
                if rd['workload'] == 'thp' and rd['huge_kb'] < THP_MIN * rd['pages'] * 4:
                    problems.append('%s %s round %d: only %d of %d kB backed by THPs'
                                    % (tag, w, rd['round'], rd['huge_kb'], rd['pages'] * 4))

    # Per run and workload: median of its rounds.
    def value(i, arm, w, key):
        rds = runs.get((i, arm), {}).get('rounds', {}).get(w)
        return statistics.median(rd[key] for rd in rds) if rds else None

    out = []
    kernels = sorted({r['kernel'] for r in runs.values() if r['kernel']})
    out.append('pagehint bench: fault-in time of a fresh anonymous region right after a '
               'reporting flush')
    out.append('arms: on = x-device-init-reported=on, off = x-device-init-reported=off '
               '(free-page-reporting=on in both)')
    for meta in a.meta:
        out.append(meta)
    out.append('guest kernel: %s' % (', '.join(kernels) or 'unknown'))
    nrounds = sorted({len(rds) for r in runs.values() for rds in r['rounds'].values()})
    out.append('runs: %d per arm, interleaved (on, off, on, off, ...); %s timed round(s) per '
               'run and workload, a run counts the median of its rounds'
               % (len(run_ids), '/'.join(map(str, nrounds)) or '?'))
    out.append('times in ms (mmap to last write, CLOCK_MONOTONIC in the guest); lower is '
               'better; ratio = on/off per pair of runs')
    for w in workloads:
        pages = max((rd['pages'] for r in runs.values() for rd in r['rounds'].get(w, [])),
                    default=0)
        out.append('')
        out.append('%s (%d pages of 4 KiB per round)' % (w, pages))
        out.append('  %-4s %4s %10s %10s %10s %12s %18s' % ('arm', 'n', 'median', 'min', 'max',
                                                           'sys ms (med)', 'zeroing skipped'))
        vals = {}
        for arm in ARMS:
            v = [value(i, arm, w, 'ns') for i in run_ids]
            v = [x for x in v if x is not None]
            vals[arm] = v
            sysv = [value(i, arm, w, 'sys_us') for i in run_ids]
            sysv = [x for x in sysv if x is not None]
            cons = [value(i, arm, w, 'consumed') for i in run_ids]
            cons = [x for x in cons if x is not None]
            if not v:
                out.append('  %-4s %4d %10s' % (arm, 0, '-'))
                continue
            c = statistics.median(cons)
            out.append('  %-4s %4d %10s %10s %10s %12s %11d (%3.0f%%)' % (
                arm, len(v), fmt_ms(statistics.median(v)), fmt_ms(min(v)), fmt_ms(max(v)),
                '%.1f' % (statistics.median(sysv) / 1e3), c, 100.0 * c / pages if pages else 0))
        ratios = []
        for i in run_ids:
            on, off = value(i, 'on', w, 'ns'), value(i, 'off', w, 'ns')
            if on is not None and off:
                ratios.append(on / off)
        if ratios:
            med = statistics.median(ratios)
            out.append('  ratio on/off: median %.3f (%+.1f%% time), min %.3f, max %.3f over %d '
                       'pairs' % (med, (med - 1) * 100, min(ratios), max(ratios), len(ratios)))
        else:
            out.append('  ratio on/off: no complete pair')
    out.append('')
    out.append('per run (median of its rounds, ms), run 1 first:')
    wlen = max(len(w) for w in workloads)
    for w in workloads:
        for arm in ARMS:
            v = [value(i, arm, w, 'ns') for i in run_ids]
            out.append('  %-*s %-4s %s' % (wlen, w, arm, ' '.join('-' if x is None else fmt_ms(x)
                                                            for x in v)))
    out.append('')
    if problems:
        out.append('mechanism check: FAILED')
        out.extend('  ' + p for p in problems)
    else:
        out.append('mechanism check: ok (on: bit 6 negotiated, >= %d%% of pages skipped '
                   'zeroing in every round; off: bit 6 off, nothing marked, <= %d%% skipped)'
                   % (ON_MIN * 100, OFF_MAX * 100))
    text = '\n'.join(out) + '\n'
    with open(a.out, 'w') as f:
        f.write(text)
    sys.stdout.write(text)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
