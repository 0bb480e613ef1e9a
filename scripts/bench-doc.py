#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate docs/BENCHMARKS.md from published `make bench` runs.

    bench-doc.py docs/bench/<date>-<commit> [docs/bench/<date>-<commit>-icount] > BENCHMARKS.md
    bench-doc.py --latest docs/bench > docs/BENCHMARKS.md

The first run is a wall-time run, the second, if given, a BENCH_ICOUNT=1 run: the
no-regression (off/vanilla, cfgoff/vanilla) verdicts come from it, since wall time under TCG
cannot decide a few tenths of a percent.
--latest takes the newest of each kind in that directory (by the time the run started).
Every number comes from the runs' results.json (written by scripts/bench-report.py); nothing is
typed by hand. Every target is judged again here by bench-report.py's verdict() on the values
results.json keeps, so runs published before that rule get its verdicts too.
scripts/bench-publish.sh runs this after copying a run there.
"""
import importlib.util
import json
import os
import re
import sys

sys.dont_write_bytecode = True     # no __pycache__ beside the scripts
_spec = importlib.util.spec_from_file_location(
    'bench_report', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'bench-report.py'))
br = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(br)

ORIGINAL = (  # the original series' published figures, task-clock in ms: feature off -> on
    ('thp-populate', 'THP `MADV_POPULATE_WRITE` (original: 256 MiB)', 232, 51),
    ('hugetlb-populate', 'hugetlb surplus pages `MADV_POPULATE_WRITE`', 219, 65),
)
# Where the original figures come from: the cover letter says "a 2GB VM, 1 vCPU" and gives
# hardware cache-miss counts, which a TCG guest does not have; it does not name the accelerator.
ORIGINAL_ACCEL = 'a 2 GB VM with 1 vCPU, accelerator not named (its hardware cache-miss ' \
    'counts point to KVM)'
ARMS = ('on', 'off', 'limit', 'nohit', 'cfgoff', 'vanilla')
PAIRS = ('on/off', 'limit/off', 'on/limit', 'nohit/off', 'off/vanilla', 'cfgoff/vanilla')
# Pre-verdict() results.json: which ratio a target was judged on, from its text
LEGACY_PAIR = (('THP populate on/off', 'on/off'), ('end to end', 'on/limit'),
               ('no regression', 'off/vanilla'))


def ms(ns):
    return '-' if ns is None else '%.1f' % (ns / 1e6)


def ratio(r):
    if not r:
        return '-'
    return '%.3f (%.3f-%.3f, n=%d)' % (r['median'], r['min'], r['max'], r['n'])


def pct(x):
    return '-' if x is None else '%.1f%%' % (100 * x)


def base(w):
    return re.sub(r'-\d+M$', '', w)


def load(d):
    d = d.rstrip('/')
    j = json.load(open(os.path.join(d, 'results.json')))
    j['_dir'], j['_rel'] = d, 'bench/' + os.path.basename(d)
    return j


def is_icount(j):
    return 'icount' in str(j.get('meta', {}).get('accel', ''))


def latest(top):
    """The newest wall-time run and the newest icount run under top (by meta.started)."""
    runs = []
    for e in sorted(os.listdir(top)):
        if os.path.isfile(os.path.join(top, e, 'results.json')):
            j = load(os.path.join(top, e))
            runs.append((j.get('meta', {}).get('started', ''), e, j))
    wall = [r for r in runs if not is_icount(r[2])]
    ic = [r for r in runs if is_icount(r[2])]
    if not wall:
        sys.exit('bench-doc: no wall-time run with a results.json in %s' % top)
    return max(wall)[2], (max(ic)[2] if ic else None)


def judged(j):
    """The run's targets, each judged by verdict() on the values its results.json keeps."""
    out = []
    for t in j.get('targets', []):
        if t.get('basis'):
            out.append(t)
            continue
        pair = t.get('pair') or next((p for k, p in LEGACY_PAIR if t['target'].startswith(k)),
                                     None)
        vals = j['workloads'].get(t['workload'], {}).get('ratios', {}).get(pair, {}) \
            .get('values') if pair else None
        if vals:
            v = br.verdict(vals, t['limit'], True)
        else:
            v = {'status': 'inconclusive' if t.get('value') is not None else 'not measured',
                 'value': t.get('value'), 'basis': None,
                 'basis_note': 'median only: this run\'s results.json keeps no per-run values'}
        v.update({'target': t['target'], 'workload': t['workload'], 'limit': t['limit'],
                  'pair': pair})
        out.append(v)
    return out


def regression(t):
    return t.get('pair') in ('off/vanilla', 'cfgoff/vanilla', 'nohit/off')


def run_table(o, j):
    m = j.get('meta', {})
    o.append('| | |')
    o.append('|---|---|')
    for k, label in (('tree', 'tree'), ('kernels', 'kernels'), ('qemu', 'QEMU'),
                     ('accel', 'accelerator'), ('guest', 'guest'), ('host_cpus', 'machine'),
                     ('load_start', 'load average at start'), ('load_end', 'load average at end'),
                     ('host_cpu_other', 'host CPU used by other processes'),
                     ('started', 'started (UTC)'), ('duration_s', 'duration (s)'),
                     ('boots', 'boots'), ('runs', 'runs per arm'), ('rounds', 'rounds per boot'),
                     ('workloads', 'workloads')):
        if k in m:
            o.append('| %s | %s |' % (label, re.sub(r';\s*', '; ', str(m[k]).replace('|', '/'))))
    hc = j.get('host_cpu') or {}
    if hc.get('runs'):
        o.append('| host CPU used by other processes, per run | %s |' % ', '.join(
            'run %s %s%s' % (i, pct(v['share']), ' **busy**' if v['busy'] else '')
            for i, v in sorted(hc['runs'].items(), key=lambda x: int(x[0]))))
    dc = j.get('diffconfig')
    o.append('| kernel configs against the on arm\'s | %s |' % (
        'not recorded in this run (diffconfig.txt is kept since issue 20)' if dc is None else
        '; '.join('%s %s' % (a, 'identical' if not dc.get(a) else '%d difference(s): %s' % (
            len(dc[a]), ', '.join('`%s`' % x for x in dc[a]))) for a in j['arms']
            if a != 'on' and a in dc) + ' ([diffconfig.txt](%s/diffconfig.txt))' % j['_rel']))
    mech = j['mechanism']
    o.append('| mechanism check | %s |' % ('ok' if mech['ok'] else 'FAILED: ' +
                                            '; '.join(mech['problems'])))
    o.append('')
    # Busy: other processes took more than 10% of the host's CPU time during the run (the
    # boots' own QEMU is not counted). Older runs only have the load average, which the boots
    # themselves raise to about 1.
    share = br.other_share(m.get('host_cpu_other'))
    loads = []
    for k in ('load_start', 'load_end'):
        try:
            loads.append(float(m.get(k, '0').split()[0]))
        except (ValueError, IndexError):
            pass
    busy = share > br.BUSY_SHARE if share is not None else bool(loads and max(loads) > 1.0)
    if busy:
        o.append('**The host was busy during this run (%s): compare the ratios, not the times, '
                 'and prefer a run on an idle machine.**' % (
                     'other processes used ' + m['host_cpu_other'] if share is not None else
                     'host CPU of other processes not measured; load average %s at start, %s at '
                     'end' % (m.get('load_start', '?'), m.get('load_end', '?'))))
        o.append('')
    elif share is None:
        o.append('**The host CPU used by other processes was not measured in this run: it cannot '
                 'show that nothing else used the machine.**')
        o.append('')
    if hc.get('busy_runs'):
        o.append('**Other processes used more than %d%% of the machine during run(s) %s.**' % (
            br.BUSY_SHARE * 100, ', '.join(map(str, hc['busy_runs']))))
        o.append('')


def times_table(o, j, notes):
    """The per-workload table of a run; a ratio with a caveat gets a note's mark."""
    W = j['workloads']
    accel = j.get('meta', {}).get('accel')
    arms = [a for a in ARMS if a in j['arms']]
    pairs = [p for p in PAIRS if all(a in arms for a in p.split('/'))]
    o.append('| workload | %s | skipped (on) | skipped >0 (on) | %s |' % (
        ' | '.join(arms), ' | '.join(pairs)))
    o.append('|---' * (3 + len(arms) + len(pairs)) + '|')
    for w in j.get('workload_order', sorted(W)):
        x = W[w]
        cells = []
        for a in arms:
            s = x['arms'].get(a, {})
            if s.get('n'):
                cells.append('%s (%s-%s)' % (ms(s['median_ns']), ms(s['min_ns']), ms(s['max_ns'])))
            else:
                cells.append('skipped' if s.get('skipped_reason') else '-')
        rc = []
        for p in pairs:
            r = x['ratios'].get(p)
            cv = br.caveat(p, w, accel) if r else None
            if cv:
                notes.setdefault(cv, '[%s]' % chr(ord('a') + len(notes)))
            rc.append(ratio(r) + (' ' + notes[cv] if cv else ''))
        sk = x['arms'].get('on', {}).get('skipped_share')
        skh = x['arms'].get('on', {}).get('skipped_share_huge')
        o.append('| %s | %s | %s | %s | %s |' % (w, ' | '.join(cells), pct(sk), pct(skh),
                                                 ' | '.join(rc)))
    o.append('')


def target_rows(o, ts, label):
    for t in ts:
        o.append('| %s | %s | %s | %s | %s |' % (t['status'], t['target'], t['workload'], label,
                                                 br.judged_on(t)))


def main():
    if sys.argv[1:2] == ['--latest']:
        j, ic = latest(sys.argv[2])
    else:
        j = load(sys.argv[1])
        ic = load(sys.argv[2]) if len(sys.argv) > 2 else None
    if is_icount(j):
        sys.exit('bench-doc: %s is an icount run; give a wall-time run first' % j['_dir'])
    d, rel = j['_dir'], j['_rel']
    m = j.get('meta', {})
    W = j['workloads']
    arms = [a for a in ARMS if a in j['arms']]
    accel = m.get('accel', 'accelerator unknown')
    o = []
    o.append('# Benchmarks')
    o.append('')
    o.append('<!-- Generated by scripts/bench-doc.py from %s/results.json%s: do not edit; run '
             '`make bench` then `make bench-publish`. -->' % (
                 rel, ' and %s/results.json' % ic['_rel'] if ic else ''))
    o.append('')
    o.append('Every number on this page comes from one `make bench` run, kept verbatim in '
             '[%s/](%s/) ([results.txt](%s/results.txt), [results.json](%s/results.json), one '
             'summary line per boot in [boots.txt](%s/boots.txt))%s. The method is in '
             '[bench.md](bench.md). Under TCG absolute times mean little: read the ratios, '
             'shares and counts.' % (
                 rel, rel, rel, rel, rel,
                 ', and the no-regression verdicts from one run timed in guest instructions '
                 '(`BENCH_ICOUNT=1`), kept in [%s/](%s/)' % (ic['_rel'], ic['_rel']) if ic
                 else ''))
    o.append('')
    o.append('## The run')
    o.append('')
    run_table(o, j)
    missing = [a for a in ARMS if a not in arms]
    if missing:
        o.append('**Arms not run: %s** (their comparisons are missing below).'
                 % ', '.join(missing))
        o.append('')
    o.append('Arms: **on** = the device vouches for reported pages (bit 6); **off** = it does '
             'not, the guest zeroes as upstream does; **limit** = off with the clearing of user '
             'pages of the measuring task removed (a bench-only kernel patch, tests/bench/kernel/): '
             'the best any zero-hint scheme could reach after a reporting flush (without one, in '
             '`nfpopulate`, `pf1` and `forkexec`, no hint can skip what limit skips, so it '
             'bounds nothing there); **vanilla** = the kernel without the series.')
    o.append('')

    o.append('## Beside the original series')
    o.append('')
    o.append('The original series published task-clock for populating after the host zeroed the '
             'memory, in %s. Ours ran under %s: the same workload (`MADV_POPULATE_WRITE` right '
             'after a reporting flush, CPU time of the task and wall time), as the median of '
             'pair ratios; their figures are quoted as they published them, not re-measured. %s'
             % (ORIGINAL_ACCEL, '`%s`' % accel,
                'Under TCG the guest\'s clearing, which the feature skips, is emulated and far '
                'slower than on hardware, while the host\'s fault-in runs natively: our ratios '
                'are much smaller than a KVM guest\'s would be and are not comparable in size '
                'with theirs.' if str(accel).startswith('tcg') else ''))
    o.append('')
    o.append('| workload | original (%s): off -> on (task-clock) | original ratio | ours (%s): '
             'CPU off -> on (ms) | ours: CPU ratio | ours: wall ratio (spread, pairs) |'
             % ('KVM, inferred', accel.split()[0] if accel else '?'))
    o.append('|---|---|---|---|---|---|')
    for name, label, a, b in ORIGINAL:
        ws = [w for w in W if base(w) == name]
        if not ws:
            o.append('| %s | %d -> %d ms | %.2f | not run | | |' % (label, a, b, b / a))
            continue
        for w in ws:
            x = W[w]
            on, off = x['arms'].get('on', {}), x['arms'].get('off', {})
            r = x['ratios'].get('on/off')
            o.append('| %s (ours: %s) | %d -> %d ms | %.2f | %s -> %s | %s | %s |' % (
                label, w, a, b, b / a, ms(off.get('cpu_median_ns')), ms(on.get('cpu_median_ns')),
                '%.3f' % r['cpu_median'] if r and r.get('cpu_median') is not None else '-',
                ratio(r)))
    o.append('')

    o.append('## Times')
    o.append('')
    o.append('Median over the runs of each arm (ms; a run counts the median of its rounds), '
             'then the ratio of run i of one arm to run i of the other: median (min-max, '
             'pairs). Below 1 the first arm is faster. "skipped" = pages whose zeroing was '
             'skipped / pages whose zeroing was requested, in the on arm; "skipped >0" the '
             'same for blocks above order 0 only (THPs, hugetlb surplus pages), without the '
             'page tables and other order-0 allocations of the timed window.')
    o.append('')
    ov = [r for x in W.values() for r in [x['ratios'].get('off/vanilla')] if r]
    if ov and br.wall_tcg(accel):
        o.append('What this wall-time run can answer: the savings after a reporting flush (on/off, '
                 'limit/off, on/limit of the flushed workloads), which are tens of percent. It '
                 'cannot answer the no-regression question: its off/vanilla pairs spread from '
                 '%.2f to %.2f, and wall time under TCG cannot decide a regression of a few tenths of '
                 'a percent; %s' % (
                     min(r['min'] for r in ov), max(r['max'] for r in ov),
                     'the no-regression verdicts come from the icount run '
                     '([below](#guest-instructions-icount-run)).' if ic else
                     'a `BENCH_ICOUNT=1` run can (docs/bench.md).'))
        o.append('')
    notes = {}
    times_table(o, j, notes)
    sk = []
    if ic:
        sk = ['%s in %s' % (pct(ic['workloads'][w]['arms'].get('on', {}).get('skipped_share')),
                            w)
              for w in ic.get('workload_order', sorted(ic['workloads']))
              if br.caveat('on/off', w, 'tcg') and
              ic['workloads'][w]['arms'].get('on', {}).get('n')]
    for cv, mark in notes.items():
        if sk:
            cv = cv.replace(br.ICOUNT_SKIPS, 'the icount run below, whose rounds take no host '
                            'time, skipped %s' % ', '.join(sk))
        o.append('%s %s.' % (mark, cv[0].upper() + cv[1:]))
        o.append('')
    if os.path.exists(os.path.join(d, 'plot.svg')):
        o.append('![time relative to the off arm, per workload](%s/plot.svg)' % rel)
        o.append('')

    if ic:
        o.append('## Guest instructions (icount run)')
        o.append('')
        o.append('`BENCH_ICOUNT=1`: TCG with `-icount shift=0,sleep=off`, so a guest time counts '
                 'the guest\'s own instructions and host noise and host work drop out; this is '
                 'the run that answers whether the series adds work to guest code paths '
                 '(off/vanilla). Not for savings that include host work, nor for what an '
                 'instruction costs on a real CPU ([bench.md](bench.md)). Kept verbatim in '
                 '[%s/](%s/) ([results.txt](%s/results.txt), [results.json](%s/results.json)).'
                 % ((ic['_rel'],) * 4))
        o.append('')
        run_table(o, ic)
        times_table(o, ic, {})

    o.append('## Host memory')
    o.append('')
    o.append('RSS growth of the QEMU process (`/proc/<pid>/status`, sampled by the host while '
             'the guest waits), MiB, median over runs: base = after a reporting flush, '
             'populated = after `MADV_POPULATE_WRITE` of the region, written = after writing '
             'every byte of it.')
    o.append('')
    if j.get('rss'):
        o.append('| arm | populated - base: VmRSS / RssAnon | written - base: VmRSS / RssAnon |')
        o.append('|---|---|---|')
        for a in arms:
            r = j['rss'].get(a)
            if not r:
                continue
            o.append('| %s | %s | %s |' % (a, *[
                '%.1f / %.1f (RssAnon %.1f-%.1f)' % (r[t]['vmrss_mib'], r[t]['rssanon_mib'],
                                                     r[t]['rssanon_min'], r[t]['rssanon_max'])
                if t in r else '-' for t in ('populated', 'written')]))
        saved = j['rss'].get('populate_saved_mib')
        if saved is not None and saved >= 16:
            o.append('')
            o.append('After populating, the on arm left %.1f MiB less of the host\'s memory '
                     'populated than the off arm (RssAnon medians): the guest did not write the '
                     'pages it was told were zero, so the host did not fault the discarded '
                     'memory back in until the application wrote it.' % saved)
        elif saved is not None:
            o.append('')
            o.append('After populating, the on and off arms differ by only %.1f MiB of populated '
                     'host memory (RssAnon medians): in this run the feature did not keep the '
                     'discarded memory unpopulated.' % saved)
    else:
        o.append('Not measured in this run.')
    o.append('')

    o.append('## Hit rate without flushing (churn)')
    o.append('')
    o.append('A fixed-time churn workload with the default reporting delay and no flush: the '
             'share of requested zeroing that was avoided (`zeroed_consumed` / '
             '`zeroed_requested`), overall and for order-0 allocations, median (min-max) '
             'over runs.')
    o.append('')
    if j.get('churn'):
        o.append('| arm | runs | seconds | processes | avoided overall | avoided order-0 |')
        o.append('|---|---|---|---|---|---|')
        for a in arms:
            c = j['churn'].get(a)
            if not c:
                continue
            o.append('| %s | %d | %g | %g | %s | %s |' % (
                a, c['n'], c['secs'], c['procs'],
                ('no counters' if c.get('requested') is None else 'nothing counted')
                if c['avoided'] is None else '%s (%s-%s)' % (
                    pct(c['avoided']), pct(c['avoided_min']), pct(c['avoided_max'])),
                ('no counters' if c.get('requested') is None else 'nothing counted')
                if c['avoided_order0'] is None else '%s (%s-%s)' % (
                    pct(c['avoided_order0']), pct(c['avoided_order0_min']),
                    pct(c['avoided_order0_max']))))
    else:
        o.append('Not measured in this run.')
    o.append('')

    o.append('## Targets')
    o.append('')
    o.append('From issue 13. A missed target is reported here, not hidden; the run still '
             'counts. Verdicts (issue 20): %s. Judged here from the values each run\'s '
             'results.json keeps, so they can differ from the median-only verdicts printed in '
             'the results.txt of runs published before that rule; where such a run kept only '
             'the median, the verdict is inconclusive.' % br.VERDICT_RULE)
    o.append('')
    tw = judged(j)
    ti = judged(ic) if ic else []
    o.append('| status | target | workload | run | median (what the verdict was judged on) |')
    o.append('|---|---|---|---|---|')
    wl = 'wall time, %s' % accel.split()[0] if accel else 'wall time'
    target_rows(o, [t for t in tw if not (ic and regression(t))], wl)
    target_rows(o, [t for t in ti if regression(t)], 'icount')
    o.append('')
    if ic and any(regression(t) for t in tw):
        o.append('Not used: the wall-time run\'s own off/vanilla verdicts (%s), since wall time '
                 'under TCG cannot decide a few tenths of a percent.' % ', '.join(
                     '%s %s' % (t['workload'], t['status']) for t in tw if regression(t)))
        o.append('')

    o.append('## Memory overhead')
    o.append('')
    o.append('Measured from the bench build (binutils `size` of the objects) and derived from '
             'the constants of the tree it was built from; the section of '
             '[results.txt](%s/results.txt) says how each figure was obtained.' % rel)
    o.append('')
    txt = open(os.path.join(d, 'results.txt')).read()
    sect = re.search(r'^memory overhead.*?\n(.*?)\n\n', txt, re.S | re.M)
    o.append('```')
    o.append(sect.group(1) if sect else 'not measured')
    o.append('```')
    o.append('')
    sys.stdout.write('\n'.join(o))


if __name__ == '__main__':
    main()
