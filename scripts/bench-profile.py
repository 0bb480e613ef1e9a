#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Per-function guest instruction profile of `make bench` (BENCH_PROFILE=1, docs/bench.md).

    bench-profile.py --map ARM=SYSTEM_MAP ... --run ARM WORKLOAD DUMP [LOG] ...
                     [--base ARM=DUMP ...] [--faults WORKLOAD=N ...] [--top N]

DUMP is what the pcprof TCG plugin (host/series, contrib/plugins/pcprof.c) wrote at QEMU's exit:
a header "# pcprof 1 blocks=<n> insns=<total>", then "<vaddr hex> <insns> <executions>" per
translation block. Every block's instructions (insns x executions) go to the kernel symbol
its start address falls in, from the arm's System.map (or `nm -n vmlinux`): the text symbol
(t, T, w, W) at or below it, as long as no other symbol lies between; user-space addresses (the
lower half) are "user", other kernel addresses (modules, data, past _etext, _einittext or the
last symbol) "?".

A profile is the boot with the workload less --base, the same boot of the same arm without
it (pagehint.bench=none): under -icount shift=0,sleep=off with -smp 1 both boots execute the
same boot and runner, so the difference is the workload. The faults a workload made are the sum
of the pages= of its BENCH lines in LOG (per round: its pages, or fork+execs for forkexec),
or --faults. Prints per workload the total, each arm's top functions, and per function the
difference off - vanilla, cfgoff - vanilla, on - off and nohit - off in instructions per
fault.
"""
import argparse
import bisect
import re
import sys

TEXT_TYPES = set('tTwW')
KERNEL_START = 0xffff800000000000
USER_END = 0x0000800000000000
# Linker symbols that end a text section (System.map types T): what follows is not code.
END_MARKERS = {'_etext', '_einittext', '__inittext_end', '__static_call_text_end',
               '__entry_text_end', '__irqentry_text_end', '__softirqentry_text_end', '_end'}


class ProfileError(Exception):
    pass


def read_map(path):
    """The kernel symbols of a System.map or `nm -n` output: sorted (address, name, is_text)."""
    syms = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3 or parts[1] in ('a', 'A', 'U', 'v', 'V'):
                continue
            try:
                addr = int(parts[0], 16)
            except ValueError:
                continue
            if addr < KERNEL_START:
                continue
            syms.append((addr, parts[2], parts[1] in TEXT_TYPES))
    if not syms:
        raise ProfileError('%s: no kernel symbols' % path)
    syms.sort()
    return syms


class Symbolizer:
    def __init__(self, syms):
        self.syms = syms
        self.addrs = [s[0] for s in syms]
        self.cache = {}

    def name(self, pc):
        if pc < USER_END:
            return 'user'
        if pc in self.cache:
            return self.cache[pc]
        i = bisect.bisect_right(self.addrs, pc) - 1
        n = '?'
        if i >= 0:
            a = self.addrs[i]
            lo = bisect.bisect_left(self.addrs, a)
            tied = self.syms[lo:i + 1]
            names = [s[1] for s in tied if s[2]]
            # The end of a text section is no function (padding follows), nor is anything past
            # the last symbol; of aliases, a name without a leading _ (startup_64, not _text).
            if names and not any(s[1] in END_MARKERS for s in tied) and i < len(self.addrs) - 1:
                plain = [x for x in names if not x.startswith('_')]
                n = (plain or names)[-1]
        self.cache[pc] = n
        return n


def read_dump(path):
    """[(vaddr, insns, executions)] of a pcprof file; its header's total must match."""
    blocks = []
    with open(path) as f:
        head = f.readline()
        m = re.match(r'# pcprof 1 blocks=(\d+) insns=(\d+)$', head.strip())
        if not m:
            raise ProfileError('%s: not a pcprof 1 profile (first line %r)' % (path, head[:60]))
        for n, line in enumerate(f, 2):
            parts = line.split()
            if len(parts) != 3:
                raise ProfileError('%s:%d: malformed line %r' % (path, n, line[:60]))
            blocks.append((int(parts[0], 16), int(parts[1]), int(parts[2])))
    total = sum(i * e for _, i, e in blocks)
    if total != int(m.group(2)):
        raise ProfileError('%s: blocks add up to %d instructions, the header says %s (cut short?)'
                           % (path, total, m.group(2)))
    return blocks


def by_function(blocks, sym):
    out = {}
    for pc, insns, execs in blocks:
        n = sym.name(pc)
        out[n] = out.get(n, 0) + insns * execs
    return out


def faults_from_log(path):
    """The sum of pages= over the BENCH lines of a console log, or None without any."""
    total, seen = 0, False
    with open(path, errors='replace') as f:
        for line in f:
            m = re.match(r'^# BENCH .*\bpages=(\d+)', line.rstrip('\r\n'))
            if m:
                total += int(m.group(1))
                seen = True
    return total if seen else None


def subtract(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) - v
    return {k: v for k, v in out.items() if v}


ARM_ORDER = ('vanilla', 'cfgoff', 'off', 'nohit', 'on', 'limit')


def arm_key(a):
    return (ARM_ORDER.index(a) if a in ARM_ORDER else len(ARM_ORDER), a)


def report(profiles, faults, top, out):
    """profiles: {workload: {arm: {function: insns}}}; faults: {workload: {arm: n or None}}."""
    for w in sorted(profiles):
        arms = sorted(profiles[w], key=arm_key)
        fl = faults[w]
        print('== %s' % w, file=out)
        print('faults: %s' % ', '.join('%s %s' % (a, fl[a] if fl[a] else 'unknown')
                                        for a in arms), file=out)
        per = {}
        for a in arms:
            p = profiles[w][a]
            tot = sum(p.values())
            f = fl[a]
            per[a] = {k: v / f for k, v in p.items()} if f else None
            print('total %-8s %14d instructions%s' % (
                a, tot, ', %.1f per fault' % (tot / f) if f else ''), file=out)
        for a in arms:
            p = profiles[w][a]
            tot = sum(p.values()) or 1
            print('top %d, arm %s:' % (top, a), file=out)
            print('  %-36s %14s %10s %7s' % ('function', 'instructions', 'per fault', 'share'),
                  file=out)
            for k, v in sorted(p.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
                pf = '%.1f' % per[a][k] if per[a] else '-'
                print('  %-36s %14d %10s %6.1f%%' % (k[:36], v, pf, 100.0 * v / tot), file=out)
        pairs = [(x, y) for x, y in (('off', 'vanilla'), ('cfgoff', 'vanilla'), ('on', 'off'),
                                     ('nohit', 'off'))
                 if x in arms and y in arms]
        for x, y in pairs:
            if per[x] is None or per[y] is None:
                print('difference %s-%s per fault: not computed, no fault count (--faults)'
                      % (x, y), file=out)
        pairs = [(x, y) for x, y in pairs if per[x] is not None and per[y] is not None]
        if not pairs:
            continue
        cols = [a for a in arms if any(a in pr for pr in pairs)]
        names = set()
        for a in cols:
            names |= set(per[a])

        def diff(k, x, y):
            return per[x].get(k, 0.0) - per[y].get(k, 0.0)
        rows = sorted(names, key=lambda k: (-max(abs(diff(k, x, y)) for x, y in pairs), k))
        print('difference per fault, top %d by size:' % top, file=out)
        print('  %-36s' % 'function' + ''.join(' %10s' % a for a in cols) +
              ''.join(' %12s' % ('%s-%s' % pr) for pr in pairs), file=out)

        def row(label, vals, diffs):
            print('  %-36s' % label[:36] + ''.join(' %10.1f' % v for v in vals) +
                  ''.join(' %+12.1f' % d for d in diffs), file=out)
        for k in rows[:top]:
            row(k, [per[a].get(k, 0.0) for a in cols], [diff(k, x, y) for x, y in pairs])
        tot = {a: sum(per[a].values()) for a in cols}
        row('TOTAL', [tot[a] for a in cols], [tot[x] - tot[y] for x, y in pairs])


def kv(s, what):
    if '=' not in s:
        raise ProfileError('%s: expected NAME=VALUE, not %r' % (what, s))
    return s.split('=', 1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--map', action='append', default=[], metavar='ARM=FILE',
                    help="an arm's System.map or nm -n output")
    ap.add_argument('--run', action='append', nargs='+', default=[],
                    metavar='ARM WORKLOAD DUMP [LOG]', help='one profiled boot')
    ap.add_argument('--base', action='append', default=[], metavar='ARM=DUMP',
                    help='the same boot of that arm without the workload, subtracted')
    ap.add_argument('--faults', action='append', default=[], metavar='WORKLOAD=N',
                    help="faults of a workload (default: pages= of the run's BENCH lines)")
    ap.add_argument('--top', type=int, default=15)
    a = ap.parse_args(argv)
    try:
        maps = dict(kv(m, '--map') for m in a.map)
        bases = dict(kv(b, '--base') for b in a.base)
        fixed = {k: int(v) for k, v in (kv(f, '--faults') for f in a.faults)}
        syms = {arm: Symbolizer(read_map(p)) for arm, p in maps.items()}
        profiles, faults = {}, {}
        base_prof = {}
        for r in a.run:
            if len(r) not in (3, 4):
                raise ProfileError('--run takes ARM WORKLOAD DUMP [LOG], not %r' % r)
            arm, w, dump = r[:3]
            if arm not in syms:
                raise ProfileError('--run %s: no --map %s=...' % (arm, arm))
            prof = by_function(read_dump(dump), syms[arm])
            if arm in bases:
                if arm not in base_prof:
                    base_prof[arm] = by_function(read_dump(bases[arm]), syms[arm])
                prof = subtract(prof, base_prof[arm])
            profiles.setdefault(w, {})[arm] = prof
            f = fixed.get(w)
            if f is None and len(r) == 4:
                f = faults_from_log(r[3])
            faults.setdefault(w, {})[arm] = f
        if not profiles:
            raise ProfileError('nothing to report: no --run')
    except (ProfileError, OSError, ValueError) as e:
        print('bench-profile: %s' % e, file=sys.stderr)
        return 1
    report(profiles, faults, a.top, sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main())
