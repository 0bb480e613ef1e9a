#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Self-test of scripts/bench-profile.py on a synthetic System.map and pcprof dumps (no boot).

    test-bench-profile.py [-v]

Checks the symbol lookup (function start and middle, aliases, weak symbols, user space, data,
below the first and past the last symbol, absolute and per-cpu symbols ignored), the baseline
subtraction, the per-fault normalisation from BENCH lines and from --faults, the exact
off - vanilla and on - off differences per function, and that a cut-short or foreign dump fails.
Prints KTAP; exit 1 on a failure.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import ktap_cases

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROFILE = os.path.join(TOP, 'scripts', 'bench-profile.py')

SYSTEM_MAP = """\
0000000000000000 D fixed_percpu_data
000000000000a000 A __per_cpu_end
ffffffff81000000 T _text
ffffffff81000000 T startup_64
ffffffff81000100 t helper_a
ffffffff81000200 T clear_page_erms
ffffffff81000300 W weak_fn
ffffffff81000400 T __static_call_text_end
ffffffff81000400 T _etext
ffffffff81000800 R rodata_thing
ffffffff82000000 D some_data
ffffffff83000000 B _end
                 U undefined_thing
"""
CLEAR, HELPER, WEAK, MODULE, USER = (0xffffffff81000200, 0xffffffff81000100, 0xffffffff81000300,
                                     0xffffffffa0001000, 0x401000)


def dump(blocks, total=None):
    t = sum(i * e for _, i, e in blocks) if total is None else total
    return '# pcprof 1 blocks=%d insns=%d\n' % (len(blocks), t) + ''.join(
        '%x %d %d\n' % b for b in blocks)


LOG = ('[    1.0] booting\r\n# BENCH workload=4k-nfpopulate mib=1 round=1 ns=5 pages=50 huge_kb=0\r\n'
       '# BENCH workload=4k-nfpopulate mib=1 round=2 ns=5 pages=50 huge_kb=0\r\n'
       'BENCH workload=notprefixed pages=1000\n')
# arm: (run blocks, base blocks)
RUNS = {
    'vanilla': ([(HELPER, 5, 100), (CLEAR, 10, 100), (USER, 4, 250)],
                [(HELPER, 5, 20), (USER, 4, 50)]),
    'off': ([(HELPER, 5, 100), (CLEAR, 10, 100), (WEAK, 3, 100), (USER, 4, 250), (MODULE, 2, 10)],
            [(HELPER, 5, 20), (USER, 4, 50)]),
    'on': ([(HELPER, 5, 100), (CLEAR, 10, 10), (WEAK, 3, 100), (USER, 4, 250)],
           [(HELPER, 5, 20), (USER, 4, 50)]),
}


def row(name, vals, diffs):
    return ('  %-36s' % name + ''.join(' %10.1f' % v for v in vals) +
            ''.join(' %+12.1f' % d for d in diffs))


def main():
    verbose = '-v' in sys.argv
    cases = []

    def case(name, ok, detail=''):
        cases.append((name, ok, detail))

    spec = importlib.util.spec_from_file_location('bench_profile', PROFILE)
    bp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bp)

    with tempfile.TemporaryDirectory() as d:
        def put(name, text):
            p = os.path.join(d, name)
            with open(p, 'w') as f:
                f.write(text)
            return p
        smap = put('System.map', SYSTEM_MAP)
        sym = bp.Symbolizer(bp.read_map(smap))
        looks = {0x401000: 'user', 0x7fffffffe000: 'user', CLEAR: 'clear_page_erms',
                 CLEAR + 0xff: 'clear_page_erms', HELPER + 1: 'helper_a',
                 0xffffffff81000010: 'startup_64', WEAK + 4: 'weak_fn',
                 0xffffffff81000400: '?', 0xffffffff81000410: '?', 0xffffffff81000810: '?',
                 0xffffffff82000010: '?', 0xffffffff80000000: '?', MODULE: '?',
                 0xffffffff83000000: '?', 0xffffffff83000008: '?'}
        got = {pc: sym.name(pc) for pc in looks}
        case('symbol lookup', got == looks,
             '\n'.join('%x: %s, want %s' % (pc, got[pc], looks[pc]) for pc in looks
                       if got[pc] != looks[pc]))
        case('absolute, undefined and per-cpu symbols are not kernel code',
             [s[1] for s in bp.read_map(smap)][:3] == ['_text', 'startup_64', 'helper_a'] and
             len(bp.read_map(smap)) == 10)
        case('faults from BENCH lines', bp.faults_from_log(put('l', LOG)) == 100)

        args = ['--top', '10']
        for arm, (run, base) in RUNS.items():
            args += ['--map', '%s=%s' % (arm, smap),
                     '--run', arm, '4k:1:nfpopulate', put(arm + '.tb', dump(run)),
                     put(arm + '.log', LOG),
                     '--base', '%s=%s' % (arm, put(arm + '-base.tb', dump(base)))]
        r = subprocess.run([sys.executable, PROFILE, *args], capture_output=True, text=True)
        out = r.stdout.splitlines()
        if verbose:
            print(r.stdout + r.stderr)
        case('honest profile passes', r.returncode == 0, r.stdout + r.stderr)
        want = [
            '== 4k:1:nfpopulate',
            'faults: vanilla 100, off 100, on 100',
            'total vanilla            2200 instructions, 22.0 per fault',
            'total off                2520 instructions, 25.2 per fault',
            'total on                 1600 instructions, 16.0 per fault',
        ]
        case('totals per arm and per fault, baseline subtracted', out[:5] == want,
             '\n'.join(out[:5]))
        top_off = out[out.index('top 10, arm off:') + 2:out.index('top 10, arm on:')]
        case('top functions of an arm, with the unknown module address as ?', top_off == [
            '  %-36s %14d %10s %6.1f%%' % (n, v, '%.1f' % (v / 100), 100.0 * v / 2520)
            for n, v in (('clear_page_erms', 1000), ('user', 800), ('helper_a', 400),
                         ('weak_fn', 300), ('?', 20))], '\n'.join(top_off))
        diff = out[out.index('difference per fault, top 10 by size:') + 1:]
        want = [
            '  %-36s' % 'function' + ''.join(' %10s' % a for a in ('vanilla', 'off', 'on')) +
            ' %12s %12s' % ('off-vanilla', 'on-off'),
            row('clear_page_erms', (10, 10, 1), (0, -9)),
            row('weak_fn', (0, 3, 3), (3, 0)),
            row('?', (0, 0.2, 0), (0.2, -0.2)),
            row('helper_a', (4, 4, 4), (0, 0)),
            row('user', (8, 8, 8), (0, 0)),
            row('TOTAL', (22, 25.2, 16), (3.2, -9.2)),
        ]
        case('off - vanilla and on - off per function, exact', diff == want,
             '\n'.join(diff) + '\nwant:\n' + '\n'.join(want))

        # --faults wins over the log; without either, no per-fault differences.
        def off_vanilla(*extra):
            return subprocess.run([sys.executable, PROFILE, '--map', 'off=' + smap,
                                   '--map', 'vanilla=' + smap, *extra,
                                   '--run', 'off', 'w', os.path.join(d, 'off.tb'),
                                   os.path.join(d, 'off.log'),
                                   '--run', 'vanilla', 'w', os.path.join(d, 'vanilla.tb')],
                                  capture_output=True, text=True)
        r = off_vanilla('--faults', 'w=40')
        case('--faults overrides the BENCH lines', r.returncode == 0 and
             'faults: vanilla 40, off 40' in r.stdout and
             row('TOTAL', (2500 / 40, 2820 / 40), (320 / 40,)) in r.stdout.splitlines(),
             r.stdout + r.stderr)
        r = off_vanilla()
        case('no fault count: says so, no differences', r.returncode == 0 and
             'faults: vanilla unknown, off 100' in r.stdout and
             'difference off-vanilla per fault: not computed' in r.stdout and
             'TOTAL' not in r.stdout, r.stdout + r.stderr)

        for name, text, msg in (
                ('cut short', dump(RUNS['off'][0], total=99999), 'header says 99999'),
                ('foreign file', 'pc, tcount, icount, ecount\n', 'not a pcprof 1 profile'),
                ('malformed line', dump([]) + 'ffff 1\n', 'malformed line')):
            r = subprocess.run([sys.executable, PROFILE, '--map', 'off=' + smap, '--run', 'off',
                                'w', put('bad.tb', text)], capture_output=True, text=True)
            case('fails: %s dump' % name, r.returncode == 1 and msg in r.stderr, r.stderr)
        r = subprocess.run([sys.executable, PROFILE, '--run', 'on', 'w',
                            os.path.join(d, 'on.tb')], capture_output=True, text=True)
        case('fails: an arm without its System.map', r.returncode == 1 and
             'no --map on=' in r.stderr, r.stderr)

    return ktap_cases.report(cases)


if __name__ == '__main__':
    sys.exit(main())
