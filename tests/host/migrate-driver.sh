#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host side of the live migration e2e tests (scenario MIGRATE=precopy|postcopy).
#   migrate-driver.sh <source qmp socket> <console log>
# Started by scripts/boot-guest.sh, which also starts the destination QEMU with -incoming defer
# and exports PH_DEST_QMP (its QMP socket), PH_MIGRATE_URI and PH_SCENARIO_CONF. Answers the
# guest's console requests:
#   pagehint-host: balloon <MiB>   QMP `balloon` on the QEMU the guest runs on
#   pagehint-host: migrate         migrate (return-path, postcopy-ram for postcopy) with
#                                  max-bandwidth MIGRATE_BANDWIDTH MiB/s (default 64) and a 1 ms
#                                  downtime limit; once the first round is sent it drops the
#                                  bandwidth to 4 MiB/s, so that the guest's rewriter keeps it
#                                  iterating, and inflates the balloon by 1 MiB (the guest's
#                                  signal)
#   pagehint-host: migrate-finish  precopy: lift both limits; postcopy: migrate-start-postcopy.
#                                  Waits for the outcome, quits the source if it completed, then
#                                  deflates the balloon fully on the side that runs (the guest's
#                                  signal that the migration is over)
# MIGRATE_EXPECT=completed|failed (default completed) is the outcome the scenario expects. Exits
# 0 on `pagehint: poweroff` when the outcome was as expected and the migration was still running
# when the guest asked to finish it, 1 otherwise (boot-guest.sh then fails the boot).
set -euo pipefail

sock=${1:?usage: migrate-driver.sh <qmp socket> <console log>}
log=${2:?usage: migrate-driver.sh <qmp socket> <console log>}
: "${PH_DEST_QMP:?no destination QMP socket: scenario without MIGRATE=?}"
: "${PH_MIGRATE_URI:?}" "${PH_SCENARIO_CONF:?}"
MEM=1G MIGRATE=precopy MIGRATE_EXPECT=completed MIGRATE_BANDWIDTH=64
# shellcheck source=/dev/null
. "$PH_SCENARIO_CONF"
mem_mib=$(numfmt --from=iec "$MEM" | awk '{ print $1 / 1048576 }')

exec python3 - "$sock" "$log" "${PH_HOST_DRIVER_TIMEOUT:-1800}" "$PH_DEST_QMP" "$PH_MIGRATE_URI" \
	"$MIGRATE" "$MIGRATE_EXPECT" "$MIGRATE_BANDWIDTH" "$mem_mib" <<'PY'
import json
import os
import re
import socket
import sys
import time

(sock_path, log_path, timeout, dest_path, uri, mode, expect, bw_mib,
 mem_mib) = sys.argv[1:]
timeout, bw_mib, mem_mib = float(timeout), int(bw_mib), int(mem_mib)
MiB = 1048576
deadline = time.monotonic() + timeout
BALLOON = re.compile(rb'pagehint-host: balloon (\d+)')
MIGRATE = b'pagehint-host: migrate'
FINISH = b'pagehint-host: migrate-finish'
DONE = b'pagehint: poweroff'


def say(msg):
    print(f'migrate-driver: {msg}', flush=True)


def connect(path):
    while time.monotonic() < deadline:
        if os.path.exists(path):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                return s
            except OSError:
                s.close()
        time.sleep(0.2)
    sys.exit(f'migrate-driver: QMP socket {path} never appeared')


class Qmp:
    def __init__(self, path, name):
        self.name = name
        self.s = connect(path)
        self.s.settimeout(60)
        self.buf = b''
        if 'QMP' not in self.message():
            sys.exit(f'migrate-driver: {name}: unexpected greeting')
        self.run('qmp_capabilities')

    def message(self):
        while b'\n' not in self.buf:
            data = self.s.recv(65536)
            if not data:
                raise EOFError(f'{self.name}: QMP connection closed')
            self.buf += data
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line)

    def execute(self, cmd, args=None):
        req = {'execute': cmd}
        if args is not None:
            req['arguments'] = args
        self.s.sendall(json.dumps(req).encode() + b'\n')
        while True:  # events may come first
            msg = self.message()
            if 'return' in msg or 'error' in msg:
                return msg

    def run(self, cmd, args=None):
        reply = self.execute(cmd, args)
        if 'error' in reply:
            say(f'{self.name}: {cmd} {args}: {reply["error"]}')
        return reply.get('return')


src = Qmp(sock_path, 'source')
dst = Qmp(dest_path, 'destination')
say(f'QMP ready on both sides; {mode}, expecting {expect}, {bw_mib} MiB/s')
cur = src                # the QEMU the guest runs on
state = 'idle'           # idle, started (signal pending), running, over
outcome = None
premature = False
answered = 0


def query():
    return src.execute('query-migrate').get('return', {})


def start():
    caps = [{'capability': 'return-path', 'state': True}]
    if mode == 'postcopy':
        caps.append({'capability': 'postcopy-ram', 'state': True})
    for q in (src, dst):
        q.run('migrate-set-capabilities', {'capabilities': caps})
    dst.run('migrate-incoming', {'uri': uri})
    src.run('migrate-set-parameters', {'max-bandwidth': bw_mib * MiB,
                                       'downtime-limit': 1})
    src.run('migrate', {'uri': uri})
    say('migration started')


def finish(early=False):
    global cur, state, outcome, premature
    status = query().get('status')
    if early or status != 'active':
        # The guest's work was meant to happen during the migration.
        say(f'migration {status} before the guest finished its work')
        premature = True
    elif mode == 'postcopy':
        src.run('migrate-start-postcopy')
        say('switched to postcopy')
    else:
        src.run('migrate-set-parameters', {'max-bandwidth': 1024 * MiB,
                                           'downtime-limit': 2000})
    while time.monotonic() < deadline:
        info = query()
        if info.get('status') in ('completed', 'failed', 'cancelled'):
            break
        time.sleep(0.5)
    outcome = info.get('status')
    ram = info.get('ram', {})
    say(f'migration {outcome}: total {info.get("total-time")} ms, downtime '
        f'{info.get("downtime")} ms, {ram.get("dirty-sync-count")} dirty syncs, '
        f'{ram.get("transferred", 0) // MiB} MiB transferred, '
        f'{ram.get("postcopy-requests", 0)} postcopy requests'
        + (f', error: {info.get("error-desc")}' if info.get('error-desc') else ''))
    if outcome == 'completed':
        cur = dst
        src.run('quit')
        say('source quit; the guest runs on the destination')
    else:
        say('the guest stays on the source')
    state = 'over'
    cur.run('balloon', {'value': mem_mib * MiB})


offset = 0
pending = b''
try:
    while time.monotonic() < deadline:
        with open(log_path, 'rb') as f:
            f.seek(offset)
            data = f.read()
        offset += len(data)
        pending += data
        lines = pending.split(b'\n')
        pending = lines.pop()
        for line in lines:
            m = BALLOON.search(line)
            if m:
                mib = int(m.group(1))
                reply = cur.execute('balloon', {'value': mib * MiB})
                answered += 1
                say(f'balloon {mib} MiB on the {cur.name}: '
                    f'{"ok" if "return" in reply else reply}')
            elif FINISH in line and state != 'over':
                finish()
            elif MIGRATE in line and state == 'idle':
                start()
                state = 'started'
            if DONE in line:
                ok = outcome == expect and not premature
                if cur is dst:
                    try:
                        src.execute('quit')
                    except (EOFError, OSError):
                        pass
                say(f'guest powered off; {answered} balloon requests; outcome {outcome}, '
                    f'expected {expect}: {"ok" if ok else "FAILED"}')
                sys.exit(0 if ok else 1)
        if state == 'started':
            info = query()
            if info.get('ram', {}).get('dirty-sync-count', 0) >= 2 or \
                    info.get('status') not in ('setup', 'active'):
                say(f'first round sent ({info.get("status")}, '
                    f'{info.get("ram", {}).get("transferred", 0) // MiB} MiB)')
                # From now on rounds take seconds: the guest's rewriter always leaves
                # more dirty pages than the 1 ms downtime limit allows, even when a
                # loaded host starves it for a while, so precopy cannot converge.
                src.run('migrate-set-parameters', {'max-bandwidth': 4 * MiB})
                src.run('balloon', {'value': (mem_mib - 1) * MiB})
                state = 'running'
        elif state == 'running' and \
                query().get('status') not in ('setup', 'active', 'postcopy-active'):
            finish(early=True)  # converged or failed on its own: test not as designed
        time.sleep(0.2)
except (EOFError, OSError) as e:
    say(f'QEMU went away ({e}); outcome {outcome}')
    sys.exit(0 if outcome == expect and state == 'over' and not premature else 1)
sys.exit(f'migrate-driver: timed out after {timeout:.0f}s')
PY
