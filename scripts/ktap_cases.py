# SPDX-License-Identifier: GPL-2.0
"""The case list of pagehint's Python self-tests, printed as KTAP.

    cases = []
    case = lambda name, ok, detail='': cases.append((name, bool(ok), detail))
    ...
    sys.exit(ktap_cases.report(cases))
"""


def report(cases):
    """Print every (name, ok, detail) as a KTAP line, the last 25 lines of a failure's detail
    before it; return the exit status (1 when a case failed)."""
    print('KTAP version 1')
    print('1..%d' % len(cases))
    bad = 0
    for n, (name, ok, detail) in enumerate(cases, 1):
        if not ok:
            bad += 1
            for line in str(detail).splitlines()[-25:]:
                print('# ' + line)
        print('%s %d %s' % ('ok' if ok else 'not ok', n, name))
    print('# %d passed, %d failed' % (len(cases) - bad, bad))
    return 1 if bad else 0
