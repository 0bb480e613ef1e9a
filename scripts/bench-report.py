#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console logs of `make bench` (scripts/bench.sh) into its report.

    bench-report.py --dir DIR [--objdir BUILD] [--meta key=value ...] run-01-on.log ...
    bench-report.py --demo run-01-on.log run-01-off.log       (make demo's screen)

Each log is one boot of one arm; its name (run-NN-<arm>.log) gives the run and the arm:
  on       the host vouches for reported pages (DEVICE_INIT_REPORTED, bit 6)
  off      it does not: the guest zeroes them as upstream does
  limit    off, and the measuring task's user pages are not cleared at all (the bench-only
           patch of tests/bench/kernel/, pagehint_bench_noclear_tgid): the best any
           zero-hint scheme could reach
  nohit    the host negotiates bit 6 and vouches for no page (the feature on, no hit)
  cfgoff   the series with CONFIG_PAGE_REPORTING_ZEROED=n (no zeroed_* counters)
  vanilla  the kernel without the series (no flush, no zeroed_* counters)
The guest prints the lines of the shared protocol (docs/bench.md): FEATURES, MARKED, ARM,
VERIFY_FAILED, BENCH, SKIP, CHURN, RSS_MARK; the host driver adds "host: RSS ...".

A run's value for a workload is the median of its timed rounds. Per workload the report gives
every arm's median, min and max over the runs, CPU time and the share of zeroing skipped, and
for each pair of arms (on/off, limit/off, on/limit, nohit/off, off/vanilla,
cfgoff/vanilla) the ratio of run i of one to
run i of the other: the median of those ratios with their min and max. Then host RSS growth,
the churn workload's avoided share, the targets (met, missed or inconclusive, judged on the
spread of their values: verdict(); a missed target is reported, not a failure), the memory
overhead of the series (measured from the build), and the mechanism check, which fails the
run (exit 1) when the arms do not differ in the mechanism as they must.
Writes DIR/results.txt, DIR/results.json and DIR/plot.svg (gnuplot; DIR/plot.dat, plot.gp).
"""
import argparse
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys

ON_MIN = 0.50     # on: share of a flushed round's pages whose zeroing was skipped, at least
OFF_MAX = 0.01    # off, limit: at most (nothing vouches for their pages)
THP_MIN = 0.90    # thp workloads: share of the region backed by THPs, at least
ARM_ORDER = ('on', 'off', 'limit', 'nohit', 'cfgoff', 'vanilla')
PAIRS = (('on', 'off'), ('limit', 'off'), ('on', 'limit'), ('nohit', 'off'), ('off', 'vanilla'),
         ('cfgoff', 'vanilla'))
FLUSHED = ('populate', 'firstwrite', 'fullwrite')   # modes that flush reporting first
END_TO_END = ('fullwrite',)    # every byte written: end to end only the guest's clearing is saved
# Targets (issues 13 and 20). A missed target is reported, not a failure.
T_THP_POPULATE = 0.10   # thp-populate on/off, at most
T_THP_SKIPPED = 0.95    # on: share of THP zeroing skipped, at least
T_LIMIT = 1.10          # end-to-end on/limit, at most (within 10% of the limit)
T_VANILLA = 1.003       # off/vanilla, at most (issue 20: decidable in an icount run only)
T_CFGOFF = 1.001        # cfgoff/vanilla, at most (the series built without the feature)
T_NOHIT = 1.003         # nohit/off, at most (the feature on, saving nothing)
# A verdict is judged on the spread of its per-pair (per-run) values, not on their median alone:
# min..max below BOOT_MIN values, from BOOT_MIN on the bootstrap 95% interval of the median.
BOOT_MIN = 5
BOOT_RESAMPLES = 10000
BOOT_SEED = 20          # fixed: the same values always give the same interval (issue 20)
BUSY_SHARE = 0.10       # other processes used more than this share of the host's CPU time


def num(v):
    try:
        return int(v)
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return v


def kv_fields(text):
    """'a=1 b=x y=2' -> {'a': 1, 'b': 'x', 'y': 2}; a value runs to the next key=."""
    out = {}
    for m in re.finditer(r'(\w+)=(\S*)', text):
        out[m.group(1)] = num(m.group(2))
    return out


def mode_of(name):
    return name.split('-', 1)[1] if '-' in name else ''


def kind_of(name):
    return name.split('-', 1)[0] if '-' in name else name


def parse_log(path):
    """Everything the report needs from one console log."""
    res = {'features': None, 'marked': [], 'ok': False, 'kernel': None, 'arm': None,
           'verify_failed': None, 'rounds': {}, 'skips': {}, 'rss': {}, 'rss_marks': [],
           'churn': None, 'errors': [], 'host': []}
    with open(path, errors='replace') as f:
        for line in f:
            line = line.rstrip('\r\n')
            m = re.match(r'^# pagehint e2e: (\S+)', line)
            if m:
                res['kernel'] = m.group(1)
            if re.match(r'^ok \d+ alloc_bench$', line):
                res['ok'] = True
            m = re.match(r'^\s*RSS_MARK (\S+)', line)
            if m:
                res['rss_marks'].append(m.group(1))
            if line.startswith('host: '):
                body = line[6:]
                if body.startswith('RSS '):
                    kv = kv_fields(body[4:])
                    res['rss'][str(kv.get('tag'))] = (kv.get('vmrss_kb'), kv.get('rssanon_kb'))
                else:
                    res['host'].append(body)
                continue
            if not line.startswith('# '):
                continue
            body = line[2:]
            word = body.split(' ', 1)[0]
            rest = body[len(word) + 1:]
            if word == 'FEATURES':
                res['features'] = rest.strip()
            elif word == 'MARKED':
                res['marked'].append(num(rest.split()[0]))
            elif word == 'VERIFY_FAILED':
                res['verify_failed'] = num(rest.split()[0])
            elif word in ('REPORTED', 'CONSUMED'):     # make demo's guest test
                res[word.lower()] = num(rest.split()[0])
            elif word == 'ARM':
                res['arm'] = rest.strip()
            elif word == 'BENCH':
                kv = kv_fields(rest)
                if 'workload' not in kv or 'ns' not in kv:
                    res['errors'].append('malformed BENCH line: ' + body)
                    continue
                name = str(kv['workload'])
                mib = kv.get('mib', 0)
                key = '%s-%sM' % (name, mib) if isinstance(mib, int) and mib > 0 else name
                kv['workload'] = name
                res['rounds'].setdefault(key, []).append(kv)
            elif word == 'SKIP':
                m = re.match(r'workload=(\S+)(?: reason=(.*))?', rest)
                if m:
                    res['skips'][m.group(1)] = (m.group(2) or '').strip()
            elif word == 'CHURN':
                res['churn'] = kv_fields(rest)
            elif body.startswith('FAIL:') or body.startswith('alloc_bench:') or \
                    'non-zero word' in body:
                res['errors'].append(body)
    return res


def bit(features, n):
    return features is not None and len(features) > n and features[n] == '1'


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def share(a, b):
    return a / b if (a is not None and b) else None


def pct(x, nd=0):
    return '-' if x is None else '%.*f%%' % (nd, 100 * x)


def ms(ns):
    return '-' if ns is None else '%.1f' % (ns / 1e6)


def bootstrap_median(xs, resamples=BOOT_RESAMPLES, seed=BOOT_SEED):
    """Percentile bootstrap 95% interval of the median of xs: deterministic (fixed seed)."""
    rng = random.Random(seed)
    k = len(xs)
    meds = sorted(statistics.median([xs[int(rng.random() * k)] for _ in range(k)])
                  for _ in range(resamples))
    return meds[int(0.025 * resamples)], meds[math.ceil(0.975 * resamples) - 1]


def verdict(values, limit, at_most=True, unit='pairs'):
    """Judge a target on all its values, not on their median alone.

    met: the whole spread (min..max; from BOOT_MIN values on, the bootstrap 95% interval of
    the median) lies on the right side of limit; missed: wholly on the wrong side;
    inconclusive: it straddles limit. The median is the value shown beside the verdict.
    """
    xs = [x for x in values if isinstance(x, (int, float))]
    if not xs:
        return {'status': 'not measured', 'value': None, 'n': 0, 'unit': unit, 'lo': None,
                'hi': None, 'basis': None, 'values': []}
    if len(xs) >= BOOT_MIN:
        lo, hi = bootstrap_median(xs)
        basis = 'bootstrap'
    else:
        lo, hi = min(xs), max(xs)
        basis = 'spread'
    good = hi <= limit if at_most else lo >= limit
    bad = lo > limit if at_most else hi < limit
    return {'status': 'met' if good else ('missed' if bad else 'inconclusive'),
            'value': statistics.median(xs), 'n': len(xs), 'unit': unit, 'lo': lo, 'hi': hi,
            'basis': basis, 'values': xs,
            'resamples': BOOT_RESAMPLES if basis == 'bootstrap' else None,
            'seed': BOOT_SEED if basis == 'bootstrap' else None}


def judged_on(t, fmt=None):
    """'0.009 (spread 0.005-0.010, 3 pairs)': the value and what its verdict was judged on.
    One decimal more than the target has, so that 1.0012 against 1.001 does not read 1.001."""
    if t.get('value') is None:
        return '-'
    if fmt is None:
        lim = t.get('limit')
        fmt = '%.4f' if isinstance(lim, float) and round(lim, 2) != lim else '%.3f'
    v = fmt % t['value']
    if t.get('basis') == 'bootstrap':
        return '%s (bootstrap 95%% interval %s-%s, %d %s, %d resamples, seed %d)' % (
            v, fmt % t['lo'], fmt % t['hi'], t['n'], t['unit'], t['resamples'], t['seed'])
    if t.get('basis') == 'spread':
        return '%s (spread %s-%s, %d %s)' % (v, fmt % t['lo'], fmt % t['hi'], t['n'], t['unit'])
    return '%s (%s)' % (v, t.get('basis_note') or 'spread not known: cannot be judged')


def wall_tcg(accel):
    """Wall time under plain TCG (no -icount): the guest's own work is emulated slowly."""
    return str(accel or '').startswith('tcg') and 'icount' not in str(accel)


ICOUNT_SKIPS = 'an icount run skips almost nothing here'


def caveat(pair, w, accel):
    """Why the ratio pair of workload w does not mean what its name says, or None.

    Without a flush before the round (nfpopulate, pf1, forkexec) the limit arm skips all
    clearing, which no zero hint can reach, so it bounds nothing there; and what the on arm
    skipped had been reported during the round, which slow TCG rounds make likely (an icount
    run skips almost nothing there): on/off is then a TCG timing artifact, not a saving.
    """
    if mode_of(re.sub(r'-\d+M$', '', w)) in FLUSHED:
        return None
    if pair in ('limit/off', 'on/limit'):
        return ('limit is no bound here: without a flush before the round no zero hint can '
                'skip what limit skips; %s' % ('limit/off is not the best a hint could save'
                                               if pair == 'limit/off' else
                                               'on/limit is not a distance from the best'))
    if pair == 'on/off' and wall_tcg(accel):
        return ('not a saving: no flush before the round; what on skipped had been reported '
                'during the slow TCG rounds; ' + ICOUNT_SKIPS)
    return None


VERDICT_RULE = ('met = the whole spread of the per-pair (THP share: per-run) values (min..max; '
                'from %d values on the bootstrap 95%% interval of their median, %d resamples, '
                'seed %d) on the right side of the target; missed = wholly on the wrong side; '
                'inconclusive = it straddles the target' % (BOOT_MIN, BOOT_RESAMPLES, BOOT_SEED))


def load_runs(logs):
    runs = {}
    for path in logs:
        m = re.search(r'run-(\d+)-(on|off|limit|nohit|cfgoff|vanilla)\.log$', path)
        if not m:
            sys.exit('bench-report: log name %s is not '
                     'run-NN-<on|off|limit|nohit|cfgoff|vanilla>.log' % path)
        runs[(int(m.group(1)), m.group(2))] = parse_log(path)
    return runs


class Report:
    def __init__(self, runs):
        self.runs = runs
        self.run_ids = sorted({k[0] for k in runs})
        self.arms = [a for a in ARM_ORDER if any(k[1] == a for k in runs)]
        self.workloads = []
        for _, r in sorted(runs.items()):
            for w in r['rounds']:
                if w not in self.workloads:
                    self.workloads.append(w)
        self.problems = []

    def rounds(self, i, arm, w):
        return self.runs.get((i, arm), {}).get('rounds', {}).get(w) or []

    def value(self, i, arm, w, key='ns'):
        """A run's value: the median of its rounds (None if absent or -1)."""
        v = [rd.get(key) for rd in self.rounds(i, arm, w)]
        v = [x for x in v if isinstance(x, (int, float)) and x >= 0]
        return statistics.median(v) if v else None

    def values(self, arm, w, key='ns'):
        return [x for x in (self.value(i, arm, w, key) for i in self.run_ids) if x is not None]

    def skipped_share(self, arm, w, huge=False, runs=None):
        """Median over rounds of consumed/requested (consumed/pages without the counter).

        huge: of the zeroing requested for blocks above order 0 only (THP, hugetlb surplus),
        (consumed - consumed0) / (requested - requested0); None without the order-0 counters.
        runs: only the rounds of these runs (default all).
        """
        s = []
        for i in (self.run_ids if runs is None else runs):
            for rd in self.rounds(i, arm, w):
                c, req, p = rd.get('consumed', -1), rd.get('requested', -1), rd.get('pages', 0)
                if c is None or c < 0:
                    continue
                if huge:
                    c0, r0 = rd.get('consumed0', -1), rd.get('requested0', -1)
                    if not all(isinstance(x, int) and x >= 0 for x in (c0, r0, req)) or \
                            req - r0 <= 0:
                        continue
                    s.append((c - c0) / (req - r0))
                    continue
                s.append(c / req if req and req > 0 else (c / p if p else None))
        return med([x for x in s if x is not None])

    def ratios(self, a, b, w, key='ns'):
        out = []
        for i in self.run_ids:
            x, y = self.value(i, a, w, key), self.value(i, b, w, key)
            if x is not None and y:
                out.append(x / y)
        return out

    # ---- mechanism check ------------------------------------------------------------------
    def check(self):
        p = self.problems
        for i in self.run_ids:
            for arm in self.arms:
                if (i, arm) not in self.runs:
                    p.append('run %d %s: missing' % (i, arm))
        for (i, arm), r in sorted(self.runs.items()):
            tag = 'run %d %s' % (i, arm)
            if not r['ok'] or not (r['rounds'] or r['churn']):
                p.append('%s: no results (%s)' % (tag, '; '.join(r['errors']) or
                                                  'guest workload did not pass'))
            for e in r['errors']:
                p.append('%s: %s' % (tag, e))
            if r['arm'] != arm:
                p.append('%s: the guest says ARM %s' % (tag, r['arm']))
            b6 = bit(r['features'], 6)
            if r['features'] is None:
                p.append('%s: no FEATURES line (no balloon?)' % tag)
            if arm in ('on', 'nohit') and not b6:
                p.append('%s: DEVICE_INIT_REPORTED (bit 6) not negotiated (features %s)'
                         % (tag, r['features']))
            if arm not in ('on', 'nohit') and b6:
                p.append('%s: DEVICE_INIT_REPORTED (bit 6) negotiated' % tag)
            if arm in ('off', 'limit', 'nohit') and any(x for x in r['marked']
                                                        if isinstance(x, int)
                                               and x > 0):
                p.append('%s: reporting marked %d pages zeroed' % (tag, max(r['marked'])))
            if isinstance(r['verify_failed'], int) and r['verify_failed'] > 0:
                p.append('%s: %d verify failures' % (tag, r['verify_failed']))
            if r['rss_marks'] and set(r['rss_marks']) - set(r['rss']):
                p.append('%s: the host did not sample RSS at mark(s) %s' % (
                    tag, ' '.join(sorted(set(r['rss_marks']) - set(r['rss'])))))
            for name, why in r['skips'].items():
                if arm in ('on', 'off'):
                    p.append('%s: skipped %s (%s)' % (tag, name, why))
            for w in self.workloads:
                rds = r['rounds'].get(w, [])
                name = rds[0]['workload'] if rds else w.rsplit('-', 1)[0] \
                    if re.search(r'-\d+M$', w) else w
                if not rds and name not in r['skips'] and r['rounds']:
                    p.append('%s: no rounds of %s' % (tag, w))
                if arm == 'vanilla' and rds and mode_of(name) in FLUSHED:
                    p.append('%s: ran %s, which needs a reporting flush the vanilla kernel '
                             'does not have' % (tag, w))
                for rd in rds:
                    c, pages = rd.get('consumed', -1), rd.get('pages', 0)
                    what = '%s %s round %s' % (tag, w, rd.get('round', '?'))
                    if arm == 'on' and mode_of(name) in FLUSHED and pages and \
                            (c is None or c < ON_MIN * pages):
                        p.append('%s: zeroing skipped for %s of %d pages (< %d%%)'
                                 % (what, c, pages, ON_MIN * 100))
                    if arm in ('off', 'limit', 'nohit') and pages and c is not None and \
                            c > OFF_MAX * pages:
                        p.append('%s: zeroing skipped for %d of %d pages (> %d%%)'
                                 % (what, c, pages, OFF_MAX * 100))
                    hk = rd.get('huge_kb', -1)
                    if kind_of(name) == 'thp' and pages and isinstance(hk, int) and hk >= 0 \
                            and hk < THP_MIN * pages * 4:
                        p.append('%s: only %d of %d kB backed by THPs' % (what, hk, pages * 4))
        return not p

    # ---- host RSS -------------------------------------------------------------------------
    def rss_growth(self, arm):
        """{'populated': [(vmrss MiB, anon MiB) per run], 'written': [...]}"""
        g = {'populated': [], 'written': []}
        for i in self.run_ids:
            rss = self.runs.get((i, arm), {}).get('rss', {})
            if 'base' not in rss:
                continue
            for t in g:
                if t in rss and None not in rss[t] and None not in rss['base']:
                    g[t].append(((rss[t][0] - rss['base'][0]) / 1024,
                                 (rss[t][1] - rss['base'][1]) / 1024))
        return g

    # ---- churn ----------------------------------------------------------------------------
    def churn(self, arm):
        overall, order0, secs, procs = [], [], [], []
        for i in self.run_ids:
            c = self.runs.get((i, arm), {}).get('churn')
            if not c:
                continue
            secs.append(c.get('secs'))
            procs.append(c.get('procs'))
            if c.get('requested', -1) > 0 and c.get('consumed', -1) >= 0:
                overall.append(c['consumed'] / c['requested'])
            if c.get('requested0', -1) > 0 and c.get('consumed0', -1) >= 0:
                order0.append(c['consumed0'] / c['requested0'])
        if not secs:
            return None
        reqs = [self.runs[(i, arm)]['churn'].get('requested', -1) for i in self.run_ids
                if (i, arm) in self.runs and self.runs[(i, arm)]['churn']]
        return {'n': len(secs), 'secs': med(secs), 'procs': med(procs),
                'requested': med([r for r in reqs if isinstance(r, int) and r >= 0]),
                'avoided': med(overall), 'avoided_min': min(overall) if overall else None,
                'avoided_max': max(overall) if overall else None,
                'avoided_order0': med(order0),
                'avoided_order0_min': min(order0) if order0 else None,
                'avoided_order0_max': max(order0) if order0 else None}

    # ---- targets --------------------------------------------------------------------------
    def targets(self):
        """Every target with its verdict (verdict()): ratios are judged on their per-pair
        values, the THP share on its per-run values (a run counts the median of its rounds)."""
        t = []

        def add(what, w, values, limit, at_most, how, unit='pairs', pair=None):
            v = verdict(values, limit, at_most, unit)
            v.update({'target': what, 'workload': w, 'limit': limit, 'how': how, 'pair': pair,
                      'at_most': at_most})
            t.append(v)
        for w in self.workloads:
            name = re.sub(r'-\d+M$', '', w)
            if name == 'thp-populate':
                add('THP populate on/off <= %.2f after a flush' % T_THP_POPULATE, w,
                    self.ratios('on', 'off', w), T_THP_POPULATE, True, 'pair ratios',
                    pair='on/off')
            if kind_of(name) == 'thp' and mode_of(name) in FLUSHED:
                # THP zeroing: the requests above order 0. The overall share also counts the
                # page tables and other order-0 allocations of the window; both are reported.
                huge = self.skipped_share('on', w, huge=True) is not None
                how = 'per run: median (consumed - consumed0)/(requested - requested0)' \
                    if huge else 'per run: median consumed/requested'
                per_run = [self.skipped_share('on', w, huge=huge, runs=[i])
                           for i in self.run_ids]
                add('on: >= %d%% of THP zeroing skipped' % (T_THP_SKIPPED * 100), w,
                    per_run, T_THP_SKIPPED, False, how, unit='runs')
            if mode_of(name) in END_TO_END:
                add('end to end: on within %d%% of its limit (on/limit <= %.2f)'
                    % ((T_LIMIT - 1) * 100, T_LIMIT), w, self.ratios('on', 'limit', w),
                    T_LIMIT, True, 'pair ratios', pair='on/limit')
            r = self.ratios('off', 'vanilla', w)
            if r:
                add('no regression: off/vanilla <= %.3f' % T_VANILLA, w, r, T_VANILLA, True,
                    'pair ratios', pair='off/vanilla')
            r = self.ratios('nohit', 'off', w)
            if r:
                add('no cost without a hit: nohit/off <= %.3f' % T_NOHIT, w, r, T_NOHIT, True,
                    'pair ratios', pair='nohit/off')
            r = self.ratios('cfgoff', 'vanilla', w)
            if r:
                add('no regression: cfgoff/vanilla <= %.3f' % T_CFGOFF, w, r, T_CFGOFF, True,
                    'pair ratios', pair='cfgoff/vanilla')
        return t


# ---- memory overhead, measured from the build ---------------------------------------------
CORE_OBJS = ('mm/page_zeroed.o', 'mm/page_zeroed_boot.o', 'drivers/virtio/virtio_balloon_zeroed.o',
             'drivers/hv/hv_balloon_zeroed.o')
HOOK_OBJS = ('mm/page_alloc.o', 'mm/page_reporting.o', 'mm/memory.o', 'mm/huge_memory.o',
             'mm/hugetlb.o', 'drivers/virtio/virtio_balloon.o', 'vmlinux')


def size_of(path):
    """(text, data, bss) of an object by binutils' size, or None."""
    if not os.path.isfile(path) or not shutil.which('size'):
        return None
    try:
        out = subprocess.run(['size', path], capture_output=True, text=True, check=True).stdout
    except (subprocess.CalledProcessError, OSError):
        return None
    f = out.splitlines()[-1].split()
    return int(f[0]), int(f[1]), int(f[2])


def read(path):
    try:
        with open(path, errors='replace') as f:
            return f.read()
    except OSError:
        return None


def overhead(objdir):
    """Lines of the memory overhead section and its JSON, every figure from a file."""
    lines, js = [], {}
    bench, vanilla = os.path.join(objdir, 'out-bench'), os.path.join(objdir, 'out-vanilla')
    # The bench kernel is built from linux-bench (the series plus tests/bench/kernel/); older
    # build directories built it from linux.
    tree = os.path.join(objdir, 'linux-bench')
    if not os.path.isdir(tree):
        tree = os.path.join(objdir, 'linux')
    pristine = os.path.join(objdir, 'linux-pristine')
    lines.append('code (binutils size of the bench build\'s objects, bytes):')
    objs = {}
    total = [0, 0, 0]
    for o in CORE_OBJS:
        s = size_of(os.path.join(bench, o))
        objs[o] = s
        if s:
            total = [a + b for a, b in zip(total, s)]
            lines.append('  %-40s text %6d  data %5d  bss %5d' % (o, *s))
        else:
            lines.append('  %-40s not built in out-bench' % o)
    if any(objs.values()):
        lines.append('  %-40s text %6d  data %5d  bss %5d' % ('total of our files', *total))
    js['core_objects'] = objs
    hooks = {}
    for o in HOOK_OBJS:
        a, b = size_of(os.path.join(bench, o)), size_of(os.path.join(vanilla, o))
        if a and b:
            hooks[o] = {'bench': a, 'vanilla': b}
    if hooks:
        lines.append('  hooks, text bytes bench - vanilla (the bench kernel also carries the '
                     'bench-only patch of tests/bench/kernel/ in mm/page_alloc.o):')
        for o, v in hooks.items():
            lines.append('    %-38s %+7d  (%d -> %d)' % (o, v['bench'][0] - v['vanilla'][0],
                                                       v['vanilla'][0], v['bench'][0]))
    else:
        lines.append('  hooks in existing files: not measured (needs the objects of both '
                     'out-bench and out-vanilla)')
    js['hook_objects'] = hooks

    lines.append('data (from the sources of the tree the bench kernel was built from):')
    pr = read(os.path.join(tree, 'include/linux/page_reporting.h'))
    m = pr and re.search(r'#define\s+PAGE_REPORTING_CAPACITY\s+(\d+)', pr)
    if m:
        cap = int(m.group(1))
        alloc = -(-cap // 64) * 8
        js['report_bitmap'] = {'capacity': cap, 'bits_per_batch': cap, 'allocated_bytes': alloc}
        lines.append('  report batch bitmap: %d bits per batch of at most %d entries '
                     '(PAGE_REPORTING_CAPACITY); bitmap_zalloc() of %d bytes, once per '
                     'registered reporting device, reused for every batch' % (cap, cap, alloc))
    else:
        lines.append('  report batch bitmap: not measured (no linux/include/linux/page_reporting.h)')
    vb = read(os.path.join(tree, 'drivers/virtio/virtio_balloon.c'))
    m = vb and re.search(r'#define\s+VIRTIO_BALLOON_ARRAY_PFNS_MAX\s+(\d+)', vb)
    if m:
        n = int(m.group(1))
        js['inflate_bitmap'] = {'pfns': n, 'bytes': -(-n // 8)}
        lines.append('  inflate answer bitmap (bit 7): %d bytes, one per device '
                     '(VIRTIO_BALLOON_ARRAY_PFNS_MAX = %d PFNs per request, 1 bit each)'
                     % (-(-n // 8), n))
    pf = read(os.path.join(tree, 'include/linux/page-flags.h'))
    if pf is not None:
        alias = re.search(r'PG_zeroed\s*=\s*PG_private', pf)
        js['per_page_bytes'] = 0 if alias else None
        lines.append('  per page: %s' % ('0 bytes: PG_zeroed is an alias of PG_private '
                                         '(include/linux/page-flags.h), no new page flag bit'
                                         if alias else 'PG_zeroed is not an alias: check '
                                         'include/linux/page-flags.h'))
    zp, zv = read(os.path.join(tree, 'include/linux/mmzone.h')), \
        read(os.path.join(pristine, 'include/linux/mmzone.h'))
    if zp is not None and zv is not None:
        js['per_zone_bytes'] = 0 if zp == zv else None
        lines.append('  per zone: %s' % ('0 bytes: include/linux/mmzone.h is identical to '
                                         'pristine (struct zone unchanged)' if zp == zv else
                                         'include/linux/mmzone.h differs from pristine'))
    ve = read(os.path.join(tree, 'include/linux/vm_event_item.h'))
    if ve is not None:
        n = len(re.findall(r'^\s*ZEROED_\w+,', ve, re.M))
        js['vm_events'] = n
        lines.append('  per CPU: %d vm event counters (ZEROED_* in vm_event_item.h) x 8 bytes '
                     '= %d bytes in each CPU\'s vm_event_states' % (n, 8 * n))
    pp = read(os.path.join(pristine, 'include/linux/page_reporting.h'))
    if pr and pp:
        field = re.compile(r'^\s+[\w ]+?[\s*]+(\w+)(\[\w*\])?;', re.M)
        new = sorted(set(m.group(1) for m in field.finditer(pr)) -
                     set(m.group(1) for m in field.finditer(pp)))
        js['prdev_fields'] = new
        lines.append('  struct page_reporting_dev_info: new members %s (one per reporting '
                     'device)' % (', '.join(new) or 'none'))
    lines.append('  Hyper-V boot-zeroed claim (core/page_zeroed_boot.c): no tracking and no '
                 'allocation-path hook; a 4 KiB range array while the claim runs, only with '
                 'hv_balloon_zeroed.boot_zeroed=1')
    return lines, js


# ---- plot ---------------------------------------------------------------------------------
def plot(rep, d):
    """plot.svg: each arm's time relative to off, per workload (median of pair ratios)."""
    others = [a for a in ('on', 'limit', 'vanilla') if a in rep.arms]
    if 'off' not in rep.arms or not others:
        return 'plot: not drawn (needs the off arm and another)'
    rows = []
    for w in rep.workloads:
        row = [w]
        for a in others:
            r = rep.ratios(a, 'off', w)
            row += ['%.4f' % med(r), '%.4f' % min(r), '%.4f' % max(r)] if r else ['?'] * 3
        if any(x != '?' for x in row[1:]):
            rows.append(row)
    if not rows:
        return 'plot: not drawn (no workload with pairs)'
    with open(os.path.join(d, 'plot.dat'), 'w') as f:
        f.write('# workload ' + ' '.join('%s/off min max' % a for a in others) + '\n')
        for row in rows:
            f.write(' '.join(row) + '\n')
    cols = ', '.join("'plot.dat' using %d:%d:%d%s title '%s/off'" %
                     (2 + 3 * k, 3 + 3 * k, 4 + 3 * k, ':xtic(1)' if k == 0 else '', a)
                     for k, a in enumerate(others))
    gp = '\n'.join([
        "set terminal svg size 1000,520 dynamic font 'sans,11'",
        "set output 'plot.svg'",
        "set title 'Time relative to the off arm (median of per-pair ratios; bars: min..max); "
        "lower is better'",
        "set datafile missing '?'",
        "set style data histogram",
        "set style histogram errorbars gap 1 lw 1",
        "set style fill solid 0.8 border -1",
        "set yrange [0:1.15<*]",
        "set ylabel 'ratio to off'",
        "set xtics rotate by -35 left",
        "set key outside top center horizontal",
        "set grid ytics",
        "set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2",
        "plot " + cols, ''])
    with open(os.path.join(d, 'plot.gp'), 'w') as f:
        f.write(gp)
    if not shutil.which('gnuplot'):
        return 'plot: not drawn (no gnuplot; apt-get install gnuplot-nox)'
    r = subprocess.run(['gnuplot', 'plot.gp'], cwd=d, capture_output=True, text=True)
    if r.returncode:
        return 'plot: gnuplot failed: %s' % r.stderr.strip()[:300]
    return 'plot: plot.svg (data plot.dat, script plot.gp)'


# ---- the report ---------------------------------------------------------------------------
def host_cpu_other(raw):
    """bench.sh's host_cpu_raw -> 'N s of W s x C CPUs (P%); the benchmark itself B s'.

    raw: '<busy ticks start> <end> <USER_HZ> <wall s> <CPUs>;<times start>;<times end>', a
    `times` line being the children's '<m>m<s>s <m>m<s>s' (user, system). Other processes'
    CPU time = busy time of all CPUs - the benchmark's reaped children (QEMU and helpers).
    None when raw cannot be read.
    """
    def secs(line):
        t = re.findall(r'(\d+)m([\d.]+)s', line)
        return sum(int(m) * 60 + float(x) for m, x in t) if len(t) == 2 else None
    try:
        nums, t0, t1 = raw.split(';')
        b0, b1, hz, wall, ncpu = (float(x) for x in nums.split())
    except ValueError:
        return None
    c0, c1 = secs(t0), secs(t1)
    if c0 is None or c1 is None or hz <= 0 or wall <= 0 or ncpu <= 0:
        return None
    bench = c1 - c0
    other = max(0.0, (b1 - b0) / hz - bench)
    return '%.0f s of %.0f s x %d CPUs (%.1f%%); the benchmark itself %.0f s' % (
        other, wall, ncpu, 100 * other / (wall * ncpu), bench)


def other_share(text):
    """The share of the machine other processes used, from host_cpu_other's text, or None."""
    m = re.search(r'\(([0-9.]+)%\)', str(text or ''))
    return float(m.group(1)) / 100 if m else None


def host_cpu_runs(path):
    """bench.sh's host-cpu-runs.txt ('<run> <host_cpu_raw>' per run) -> {run: {text, share,
    busy}}; a run whose readings cannot be read is 'not measured'."""
    runs = {}
    for line in (read(path) or '').splitlines():
        i, _, raw = line.strip().partition(' ')
        if not i.isdigit():
            continue
        text = host_cpu_other(raw) or 'not measured'
        sh = other_share(text)
        runs[int(i)] = {'text': text, 'share': sh,
                        'busy': None if sh is None else sh > BUSY_SHARE}
    return runs


def diffconfigs(path):
    """bench.sh's diffconfig.txt ('# <arm> ...' then scripts/diffconfig's lines, per arm)
    -> {arm: [lines]}, or None without the file."""
    text = read(path)
    if text is None:
        return None
    out, arm = {}, None
    for line in text.splitlines():
        m = re.match(r'^# (\w+) ', line)
        if m:
            arm = m.group(1)
            out[arm] = []
        elif arm and line.strip() and not line.startswith('#'):
            out[arm].append(line.strip())
    return out


def report(rep, meta, objdir, host_runs=None, configs=None):
    out = []
    ok = rep.check()
    runs_per_arm = {a: sum(1 for k in rep.runs if k[1] == a) for a in rep.arms}
    nrounds = sorted({len(rds) for r in rep.runs.values() for rds in r['rounds'].values()})
    kernels = sorted({r['kernel'] for r in rep.runs.values() if r['kernel']})
    out.append('pagehint bench: what skipping the zeroing of host-zeroed pages saves')
    out.append('arms: on = device vouches for reported pages; off = it does not; limit = off + '
               'no clearing of the measuring task\'s user pages; vanilla = kernel without the '
               'series')
    for k in ('qemu', 'accel', 'guest', 'kernels', 'tree', 'host_cpus'):
        if k in meta:
            out.append('%s: %s' % (k, meta[k]))
    out.append('guest kernel releases: %s' % (', '.join(kernels) or 'unknown'))
    out.append('runs: %s; order rotated each run; %s timed round(s) per run and workload, a '
               'run counts the median of its rounds' % (
                   ', '.join('%s %d' % (a, runs_per_arm[a]) for a in rep.arms),
                   '/'.join(map(str, nrounds)) or '?'))
    if 'load_start' in meta:
        out.append('host load average: %s at start, %s at end' % (meta['load_start'],
                                                                  meta.get('load_end', '?')))
    share = other_share(meta.get('host_cpu_other'))
    busy = None if share is None else share > BUSY_SHARE
    out.append('host CPU used by other processes: %s%s' % (
        meta.get('host_cpu_other', 'not measured'),
        ' -- BUSY: more than %d%% of the machine; compare ratios, not times' % (BUSY_SHARE * 100)
        if busy else '' if share is not None else
        ' -- the run cannot show that nothing else used the machine'))
    hc = host_runs or {}
    if hc:
        out.append('  per run: %s' % ', '.join(
            'run %d %s%s' % (i, '-' if hc[i]['share'] is None else '%.1f%%' % (
                100 * hc[i]['share']), ' BUSY' if hc[i]['busy'] else '') for i in sorted(hc)))
    js_host = {'other': meta.get('host_cpu_other'), 'share': share, 'busy': busy,
               'busy_runs': sorted(i for i in hc if hc[i]['busy']),
               'runs': {str(i): v for i, v in sorted(hc.items())}}
    if configs is not None:
        cells = []
        for arm in rep.arms:
            if arm == 'on':
                continue
            d = configs.get(arm)
            cells.append('%s %s' % (arm, 'not recorded' if d is None else 'identical'
                                    if not d else '%d difference(s): %s%s' % (
                                        len(d), ', '.join(d[:8]), ', ...' if len(d) > 8 else '')))
        out.append('kernel configs against the on arm\'s (scripts/diffconfig, diffconfig.txt): '
                   + ('; '.join(cells) or 'no other arm'))
    if 'duration_s' in meta:
        d = int(meta['duration_s'])
        out.append('duration: %dm%02ds for %s boots (started %s)' % (
            d // 60, d % 60, meta.get('boots', '?'), meta.get('started', '?')))
    out.append('times in ms (CLOCK_MONOTONIC in the guest), lower is better; cpu = CPU time of '
               'the measuring task(s); skipped = zeroing skipped / requested; skip >0 = the same '
               'for blocks above order 0 (THP, hugetlb)')

    js = {'meta': meta, 'arms': rep.arms, 'runs': rep.run_ids, 'workloads': {},
          'workload_order': rep.workloads, 'host_cpu': js_host, 'diffconfig': configs}
    for w in rep.workloads:
        pages = max((rd.get('pages', 0) for r in rep.runs.values()
                     for rd in r['rounds'].get(w, [])), default=0)
        out.append('')
        out.append('%s (%d pages of 4 KiB or iterations per round)' % (w, pages))
        out.append('  %-8s %3s %10s %10s %10s %10s %9s %9s' % (
            'arm', 'n', 'median', 'min', 'max', 'cpu (med)', 'skipped', 'skip >0'))
        wj = {'pages': pages, 'arms': {}, 'ratios': {}}
        for arm in rep.arms:
            v = rep.values(arm, w)
            cpu = rep.values(arm, w, 'cpu_ns')
            sk = rep.skipped_share(arm, w)
            skh = rep.skipped_share(arm, w, huge=True)
            skips = {r['skips'].get(re.sub(r'-\d+M$', '', w)) for (i, a), r in rep.runs.items()
                     if a == arm} - {None}
            if not v:
                out.append('  %-8s %3d %10s%s' % (arm, 0, '-', ('   skipped: ' + '; '.join(
                    sorted(skips))) if skips else ''))
                wj['arms'][arm] = {'n': 0, 'skipped_reason': sorted(skips)}
                continue
            out.append('  %-8s %3d %10s %10s %10s %10s %9s %9s' % (
                arm, len(v), ms(med(v)), ms(min(v)), ms(max(v)), ms(med(cpu)), pct(sk, 1),
                pct(skh, 1)))
            wj['arms'][arm] = {'n': len(v), 'median_ns': med(v), 'min_ns': min(v),
                               'max_ns': max(v), 'per_run_ns': v, 'cpu_median_ns': med(cpu),
                               'skipped_share': sk, 'skipped_share_huge': skh}
        for a, b in PAIRS:
            r = rep.ratios(a, b, w)
            rc = rep.ratios(a, b, w, 'cpu_ns')
            if not r:
                continue
            m = med(r)
            out.append('  %-13s median %.3f (%+.1f%% time), min %.3f, max %.3f over %d '
                       'pairs%s' % ('%s/%s:' % (a, b), m, (m - 1) * 100, min(r), max(r), len(r),
                                    '; cpu %.3f' % med(rc) if rc else ''))
            cv = caveat('%s/%s' % (a, b), w, meta.get('accel'))
            if cv:
                out.append('  %-13s (%s)' % ('', cv))
            wj['ratios']['%s/%s' % (a, b)] = {'median': m, 'min': min(r), 'max': max(r),
                                             'n': len(r), 'values': r,
                                             'cpu_median': med(rc) if rc else None,
                                             'caveat': cv}
        js['workloads'][w] = wj

    # Host RSS
    out.append('')
    out.append('host RSS growth of the QEMU process, MiB (VmRSS / RssAnon; median over runs, '
               'min..max of RssAnon):')
    out.append('  base = after a flush, populated = after MADV_POPULATE_WRITE, written = after '
               'writing every byte')
    js['rss'] = {}
    any_rss = False
    for arm in rep.arms:
        g = rep.rss_growth(arm)
        if not g['populated'] and not g['written']:
            continue
        any_rss = True
        cells, aj = [], {}
        for t in ('populated', 'written'):
            xs = g[t]
            if xs:
                an = [x[1] for x in xs]
                cells.append('%s-base %7.1f / %7.1f (%.1f..%.1f)' % (
                    t, med([x[0] for x in xs]), med(an), min(an), max(an)))
                aj[t] = {'vmrss_mib': med([x[0] for x in xs]), 'rssanon_mib': med(an),
                         'rssanon_min': min(an), 'rssanon_max': max(an), 'n': len(xs)}
        out.append('  %-8s %s' % (arm, '   '.join(cells)))
        js['rss'][arm] = aj
    if not any_rss:
        out.append('  not measured (no RSS samples in the logs)')
    pon = js['rss'].get('on', {}).get('populated')
    poff = js['rss'].get('off', {}).get('populated')
    if pon and poff:
        saved = poff['rssanon_mib'] - pon['rssanon_mib']
        js['rss']['populate_saved_mib'] = saved
        out.append('  after populate, on left %.1f MiB less of the host\'s memory populated than '
                   'off (RssAnon medians); after writing, both must have it all' % saved)

    # Churn
    out.append('')
    out.append('churn (fixed time, default reporting delay, no flush): share of requested '
               'zeroing avoided (median over runs, min..max)')
    js['churn'] = {}
    any_churn = False
    for arm in rep.arms:
        c = rep.churn(arm)
        if not c:
            continue
        any_churn = True
        js['churn'][arm] = c
        if c['avoided'] is None:
            out.append('  %-8s %d run(s) of %gs, %g processes: %s' % (
                arm, c['n'], c['secs'], c['procs'], 'no zeroed_* counters in this kernel'
                if c['requested'] is None else 'zeroed_requested did not move (it counts only '
                'while a zero-hint source is registered)'))
            continue
        out.append('  %-8s overall %s (%s..%s), order-0 %s (%s..%s); %d run(s) of %gs, %g '
                   'processes' % (arm, pct(c['avoided'], 1), pct(c['avoided_min'], 1),
                                  pct(c['avoided_max'], 1), pct(c['avoided_order0'], 1),
                                  pct(c['avoided_order0_min'], 1),
                                  pct(c['avoided_order0_max'], 1), c['n'], c['secs'],
                                  c['procs']))
    if not any_churn:
        out.append('  not measured (no CHURN lines in the logs)')

    # Targets
    out.append('')
    out.append('targets (issues 13 and 20; a missed target is reported, not a failure):')
    out.append('  ' + VERDICT_RULE)
    tg = rep.targets()
    js['targets'] = tg
    for t in tg:
        out.append('  %-12s %-58s %-20s %s' % (t['status'], t['target'], t['workload'],
                                              judged_on(t)))
    if not tg:
        out.append('  none applicable to the workloads and arms that ran')

    # Memory overhead
    out.append('')
    out.append('memory overhead of the series (measured from the build and its sources):')
    ol, oj = overhead(objdir) if objdir else (['not measured (no --objdir)'], {})
    out.extend('  ' + x for x in ol)
    js['overhead'] = oj

    out.append('')
    out.append('per run (median of its rounds, ms), run 1 first%s:' % (
        '; BUSY (other processes used more than %d%% of the machine): run %s' % (
            BUSY_SHARE * 100, ', '.join(map(str, js_host['busy_runs'])))
        if js_host['busy_runs'] else ''))
    wlen = max([len(w) for w in rep.workloads] or [1])
    for w in rep.workloads:
        for arm in rep.arms:
            v = [rep.value(i, arm, w) for i in rep.run_ids]
            if any(x is not None for x in v):
                out.append('  %-*s %-8s %s' % (wlen, w, arm, ' '.join(ms(x) for x in v)))
    out.append('')
    if ok:
        out.append('mechanism check: ok (on: bit 6 negotiated, >= %d%% of the pages of every '
                   'flushed round skipped zeroing; off, limit: bit 6 off, nothing marked, '
                   '<= %d%% skipped; vanilla: flush workloads skipped; THP >= %d%% backed)'
                   % (ON_MIN * 100, OFF_MAX * 100, THP_MIN * 100))
    else:
        out.append('mechanism check: FAILED')
        out.extend('  ' + x for x in rep.problems)
    js['mechanism'] = {'ok': ok, 'problems': rep.problems}
    return ok, out, js


# ---- make demo's screen -------------------------------------------------------------------
MODES = {'populate': 'populate (MADV_POPULATE_WRITE)', 'firstwrite': 'populate + touch each page',
         'fullwrite': 'populate + write every byte', 'nfpopulate': 'populate, no flush before'}
KINDS = {'thp': 'THP', '4k': '4K', 'hugetlb': 'hugetlb', 'pf1': 'page-fault loop, 2 threads',
         'forkexec': 'fork + exec + exit'}


class _DemoLines(list):
    def append(self, line):
        super().append(line.rstrip())


def demo(rep, accel):
    """One screen, on vs off, for someone who has not read the docs; returns (ok, lines)."""
    on, off = rep.runs.get((1, 'on')), rep.runs.get((1, 'off'))
    if not on or not off:
        return False, ['demo: needs run-01-on.log and run-01-off.log']
    rep.check()
    bad = list(rep.problems)
    o = _DemoLines()
    col = '  %-46s %12s %12s %s'
    o.append('pagehint demo: a guest reports its free memory to the host (free page reporting);')
    o.append('the host discards it, so it reads as zero. With the feature on, the host says so and')
    o.append('the guest skips zeroing those pages when it hands them out again. The same guest')
    o.append('kernel booted twice under our QEMU (%s), feature on and feature off:' % accel)
    o.append('')
    o.append(col % ('', 'feature on', 'feature off', ''))

    def yn(r, n):
        return 'yes' if bit(r['features'], n) else 'no'
    o.append(col % ('negotiated: free page reporting (bit 5)', yn(on, 5), yn(off, 5), ''))
    o.append(col % ('negotiated: host-zeroed pages (bit 6)', yn(on, 6), yn(off, 6), ''))
    for r, arm in ((on, 'on'), (off, 'off')):
        if not bit(r['features'], 5):
            bad.append('feature %s: free page reporting (bit 5) not negotiated' % arm)
        if not r.get('reported'):
            bad.append('feature %s: no page reported' % arm)
    if not max(on['marked'] or [0]):
        bad.append('feature on: the host vouched for no page')
    o.append(col % ('pages reported to the host', on.get('reported', '-'),
                    off.get('reported', '-'), ''))
    o.append(col % ('pages the host vouched for as zero', max(on['marked'] or [0]),
                    max(off['marked'] or [0]), ''))
    for w in rep.workloads:
        name = re.sub(r'-\d+M$', '', w)
        mib = re.search(r'-(\d+)M$', w)
        a, b = rep.value(1, 'on', w), rep.value(1, 'off', w)
        label = ' '.join(x for x in (KINDS.get(kind_of(name), kind_of(name)),
                                      '%s MiB' % mib.group(1) if mib and mode_of(name) else '',
                                      MODES.get(mode_of(name), mode_of(name))) if x)
        if a is None or b is None:
            bad.append('%s: no time in both boots' % w)
            continue
        o.append(col % (label + ', ms', ms(a), ms(b), '  ratio on/off %.2f' % (a / b)))
        sa, sb = rep.skipped_share('on', w), rep.skipped_share('off', w)
        o.append(col % ('  zeroing skipped', pct(sa), pct(sb), ''))
    g = {arm: rep.rss_growth(arm) for arm in ('on', 'off')}
    for t, what in (('populated', 'after populate'), ('written', 'after writing it all')):
        v = [g[arm][t][0][1] if g[arm][t] else None for arm in ('on', 'off')]
        o.append(col % ('host: QEMU RSS growth %s, MiB' % what,
                        *['-' if x is None else '%.0f' % x for x in v], ''))
        if None in v:
            bad.append('no host RSS sample %s' % t)
    nz = [e for r in (on, off) for e in r['errors'] if 'non-zero' in e]
    o.append(col % ('pages the guest read back non-zero', '0' if not nz else '>0',
                    '0' if not nz else '>0', ''))
    vf = [r['verify_failed'] for r in (on, off)]
    o.append(col % ('wrong claims caught (zeroed_verify_failed)',
                    *['-' if x is None else str(x) for x in vf], ''))
    o.append('  (verify mode, which checks every claim before trusting it, is compiled out of this')
    o.append('   bench kernel so that it does not cost the time measured; make check runs every')
    o.append('   scenario with it and requires 0. Here the guest itself checked that the last word')
    o.append('   of every 4 KiB page it populated read as zero.)')
    o.append('')
    o.append('One boot each, one round: the ratios illustrate; make bench measures them with runs,')
    o.append('spread, the limit and the kernel without the series (docs/BENCHMARKS.md).')
    o.append('')
    if bad:
        o.append('demo: FAILED')
        o.extend('  ' + x for x in bad)
    else:
        o.append('demo: ok')
    return not bad, o


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', help='write results.txt, results.json, plot.svg here')
    ap.add_argument('--objdir', help='build directory with out-bench/, out-vanilla/, linux/ and '
                                     'linux-pristine/ (memory overhead section)')
    ap.add_argument('--meta', action='append', default=[], help='key=value for the header')
    ap.add_argument('--host-cpu-runs', help="bench.sh's host-cpu-runs.txt: per run, the raw "
                                            'readings of the host CPU other processes used')
    ap.add_argument('--diffconfig', help="bench.sh's diffconfig.txt: every arm's .config "
                                         "against the on arm's")
    ap.add_argument('--demo', action='store_true', help="print make demo's screen")
    ap.add_argument('--accel', default='accelerator unknown', help='for the demo screen')
    ap.add_argument('logs', nargs='+')
    a = ap.parse_args()
    rep = Report(load_runs(a.logs))
    if a.demo:
        ok, lines = demo(rep, a.accel)
        print('\n'.join(lines))
        return 0 if ok else 1
    if not a.dir:
        ap.error('--dir is required')
    meta = {}
    for m in a.meta:
        k, _, v = m.partition('=')
        meta[k.strip()] = v.strip()
    if 'host_cpu_raw' in meta:
        meta['host_cpu_other'] = host_cpu_other(meta.pop('host_cpu_raw')) or 'not measured'
    ok, out, js = report(rep, meta, a.objdir,
                         host_cpu_runs(a.host_cpu_runs) if a.host_cpu_runs else None,
                         diffconfigs(a.diffconfig) if a.diffconfig else None)
    out.append(plot(rep, a.dir))
    text = '\n'.join(out) + '\n'
    with open(os.path.join(a.dir, 'results.txt'), 'w') as f:
        f.write(text)
    with open(os.path.join(a.dir, 'results.json'), 'w') as f:
        json.dump(js, f, indent=1, sort_keys=True)
        f.write('\n')
    sys.stdout.write(text)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
