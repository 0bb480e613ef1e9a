#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host side of the balloon and memory hotplug e2e tests: act when the guest asks for it.
#   balloon-driver.sh <qmp socket> <console log>
# Started by scripts/boot-guest.sh beside QEMU (scenario HOST_DRIVER). Waits for the QMP socket,
# negotiates capabilities, then answers every console line, in order:
#   pagehint-host: balloon <MiB>     QMP `balloon` (target guest memory size <MiB>)
#   pagehint-host: plug <id> <MiB> [dirty]
#                                    `object-add` memory-backend-ram mem-<id> of <MiB>, then
#                                    `device_add` pc-dimm <id> on it (ACPI memory hotplug; the
#                                    scenario needs `MEM=<n>,slots=<k>,maxmem=<m>`). `dirty`: a
#                                    memory-backend-file (share=off) on a new file full of 0x5a
#                                    bytes instead, so the new memory does not read as zero
#   pagehint-host: unplug <id>       `device_del` <id>, wait for its DEVICE_DELETED event (the
#                                    guest ejected it), then `object-del` mem-<id>, so that a
#                                    later plug of <id> gets fresh host memory
# Exits when the console shows `pagehint: poweroff`, when QEMU goes away or after
# PH_HOST_DRIVER_TIMEOUT seconds (900). A QMP error is logged, not fatal: the guest checks what
# it sees.
# PH_LOG_OFFSET: console bytes to skip (an earlier boot of the same scenario).
set -euo pipefail

sock=${1:?usage: balloon-driver.sh <qmp socket> <console log>}
log=${2:?usage: balloon-driver.sh <qmp socket> <console log>}

exec python3 - "$sock" "$log" "${PH_HOST_DRIVER_TIMEOUT:-900}" <<'PY'
import json
import os
import re
import socket
import sys
import time

sock_path, log_path, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
deadline = time.monotonic() + timeout
REQUEST = re.compile(rb'pagehint-host: (balloon (\d+)|plug (\w+) (\d+)( dirty)?|unplug (\w+))')
UNPLUG_TIMEOUT = 300
DONE = b'pagehint: poweroff'


def say(msg):
    print(f'balloon-driver: {msg}', flush=True)


def connect():
    while time.monotonic() < deadline:
        if os.path.exists(sock_path):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(sock_path)
                return s
            except OSError:
                s.close()
        time.sleep(0.2)
    sys.exit('balloon-driver: QMP socket never appeared')


class Qmp:
    def __init__(self, s):
        self.s = s
        self.buf = b''
        self.events = []

    def message(self):
        while b'\n' not in self.buf:
            data = self.s.recv(65536)
            if not data:
                raise EOFError('QMP connection closed')
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
            if 'event' in msg:
                self.events.append(msg)

    def wait_event(self, name, match, timeout):
        """The first event `name` whose data contains `match`, or None after timeout s."""
        end = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                data = ev.get('data', {})
                if ev['event'] == name and all(data.get(k) == v for k, v in match.items()):
                    del self.events[i]
                    return ev
            left = end - time.monotonic()
            if left <= 0:
                return None
            self.s.settimeout(min(left, 30))
            try:
                msg = self.message()
            except socket.timeout:
                continue
            finally:
                self.s.settimeout(30)
            if 'event' in msg:
                self.events.append(msg)


def result(reply):
    return 'ok' if 'return' in reply else str(reply.get('error', reply))


def plug(qmp, dimm, mib, dirty):
    backend = {'qom-type': 'memory-backend-ram', 'id': 'mem-' + dimm, 'size': mib * 1048576}
    if dirty:
        # Beside the QMP socket: a private directory boot-guest.sh removes.
        path = os.path.join(os.path.dirname(sock_path), 'dimm-' + dimm)
        with open(path, 'wb') as f:
            chunk = b'\x5a' * 1048576
            for _ in range(mib):
                f.write(chunk)
        backend.update({'qom-type': 'memory-backend-file', 'mem-path': path, 'share': False})
    r1 = qmp.execute('object-add', backend)
    r2 = qmp.execute('device_add', {'driver': 'pc-dimm', 'id': dimm, 'memdev': 'mem-' + dimm})
    say(f'plug {dimm} {mib} MiB{" (0x5a file)" if dirty else ""}: '
        f'object-add {result(r1)}, device_add {result(r2)}')


def unplug(qmp, dimm):
    r = qmp.execute('device_del', {'id': dimm})
    if 'error' in r:
        say(f'unplug {dimm}: device_del {result(r)}')
        return
    t0 = time.monotonic()
    ev = qmp.wait_event('DEVICE_DELETED', {'device': dimm}, UNPLUG_TIMEOUT)
    if ev is None:
        say(f'unplug {dimm}: no DEVICE_DELETED after {UNPLUG_TIMEOUT} s (the guest did not eject it)')
        return
    r = qmp.execute('object-del', {'id': 'mem-' + dimm})
    say(f'unplug {dimm}: ejected by the guest after {time.monotonic() - t0:.1f} s, '
        f'object-del {result(r)}')


s = connect()
s.settimeout(30)
qmp = Qmp(s)
greeting = qmp.message()
if 'QMP' not in greeting:
    sys.exit(f'balloon-driver: unexpected greeting {greeting}')
reply = qmp.execute('qmp_capabilities')
if 'error' in reply:
    sys.exit(f'balloon-driver: qmp_capabilities failed: {reply}')
say('QMP ready')

offset = int(os.environ.get('PH_LOG_OFFSET', '0'))
pending = b''
answered = 0
try:
    while time.monotonic() < deadline:
        with open(log_path, 'rb') as f:
            f.seek(offset)
            data = f.read()
        offset += len(data)
        pending += data
        # Only complete lines: a request may be half written.
        lines = pending.split(b'\n')
        pending = lines.pop()
        for line in lines:
            m = REQUEST.search(line)
            if m and m.group(2):
                mib = int(m.group(2))
                reply = qmp.execute('balloon', {'value': mib * 1048576})
                say(f'balloon {mib} MiB: {result(reply)}')
            elif m and m.group(3):
                plug(qmp, m.group(3).decode(), int(m.group(4)), bool(m.group(5)))
            elif m and m.group(6):
                unplug(qmp, m.group(6).decode())
            if m:
                answered += 1
            if DONE in line:
                say(f'guest powered off; {answered} requests answered')
                sys.exit(0)
        time.sleep(0.2)
except (EOFError, OSError) as e:
    say(f'QEMU went away ({e}); {answered} requests answered')
    sys.exit(0)
sys.exit(f'balloon-driver: timed out after {timeout:.0f}s; {answered} requests answered')
PY
