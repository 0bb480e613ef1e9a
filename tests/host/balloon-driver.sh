#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host side of the balloon e2e tests: resize the guest's balloon when the guest asks for it.
#   balloon-driver.sh <qmp socket> <console log>
# Started by scripts/boot-guest.sh beside QEMU (scenario HOST_DRIVER). Waits for the QMP socket,
# negotiates capabilities, then answers every console line `pagehint-host: balloon <MiB>` with
# the QMP command `balloon` (target guest memory size <MiB>). Exits when the console shows
# `pagehint: poweroff`, when QEMU goes away or after PH_HOST_DRIVER_TIMEOUT seconds (900).
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
REQUEST = re.compile(rb'pagehint-host: balloon (\d+)')
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
            if m:
                mib = int(m.group(1))
                reply = qmp.execute('balloon', {'value': mib * 1048576})
                answered += 1
                say(f'balloon {mib} MiB: {"ok" if "return" in reply else reply}')
            if DONE in line:
                say(f'guest powered off; {answered} requests answered')
                sys.exit(0)
        time.sleep(0.2)
except (EOFError, OSError) as e:
    say(f'QEMU went away ({e}); {answered} requests answered')
    sys.exit(0)
sys.exit(f'balloon-driver: timed out after {timeout:.0f}s; {answered} requests answered')
PY
