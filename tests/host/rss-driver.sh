#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host side of `make bench` and `make demo`: sample the QEMU process's memory when the guest
# asks for it.
#   rss-driver.sh <qmp socket> <console log>
# Started by scripts/boot-guest.sh beside QEMU (HOST_DRIVER in tests/bench/*.conf). Follows the
# console log; for every line that starts with `RSS_MARK <tag>` (the guest writes it straight to
# /dev/console, then sleeps 2 s), reads VmRSS and RssAnon of the QEMU process from
# /proc/<pid>/status and prints
#   RSS tag=<tag> vmrss_kb=<n> rssanon_kb=<n>
# boot-guest.sh appends that to the console log as "host: RSS ...", where
# scripts/bench-report.py reads it. The QEMU process is the one whose command line names the
# QMP socket (the only QEMU started for this boot). Copies of the mark in the runner's "# "
# output (printed after the test) are not sampled again.
# Exits 0 at `pagehint: poweroff` or when QEMU goes away, non-zero when a mark cannot be
# sampled, after PH_HOST_DRIVER_TIMEOUT seconds (900) or when QEMU never appears.
# PH_LOG_OFFSET: console bytes to skip (an earlier boot of the same scenario).
set -euo pipefail

sock=${1:?usage: rss-driver.sh <qmp socket> <console log>}
log=${2:?usage: rss-driver.sh <qmp socket> <console log>}

exec python3 - "$sock" "$log" "${PH_HOST_DRIVER_TIMEOUT:-900}" "${PH_LOG_OFFSET:-0}" <<'PY'
import os
import re
import sys
import time

sock, log_path, timeout, offset = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
deadline = time.monotonic() + timeout
MARK = re.compile(rb'^\s*RSS_MARK (\S+)')
DONE = b'pagehint: poweroff'


def say(msg):
    print(msg, flush=True)


def qemu_pid():
    """The QEMU process whose command line holds our QMP socket path, or None."""
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open('/proc/%s/comm' % d) as f:
                comm = f.read().strip()
            if not comm.startswith('qemu-system'):
                continue
            with open('/proc/%s/cmdline' % d, 'rb') as f:
                argv = f.read().split(b'\0')
        except OSError:
            continue
        if any(sock.encode() in a for a in argv):
            return int(d)
    return None


def status(pid):
    """(VmRSS kB, RssAnon kB) of pid."""
    v = {}
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            k, _, rest = line.partition(':')
            if k in ('VmRSS', 'RssAnon'):
                v[k] = int(rest.split()[0])
    return v['VmRSS'], v['RssAnon']


pid = None
while pid is None:
    pid = qemu_pid()
    if pid is None:
        if time.monotonic() > deadline:
            sys.exit('rss-driver: no QEMU process with %s on its command line' % sock)
        time.sleep(0.1)
say('rss-driver: QEMU pid %d' % pid)

pos, buf, fails = offset, b'', 0
while True:
    if time.monotonic() > deadline:
        sys.exit('rss-driver: timed out after %d s' % timeout)
    with open(log_path, 'rb') as f:
        f.seek(pos)
        data = f.read()
    pos += len(data)
    buf += data
    lines = buf.split(b'\n')
    buf = lines.pop()
    for line in lines:
        m = MARK.match(line.rstrip(b'\r'))
        if m:
            tag = m.group(1).decode(errors='replace')
            try:
                rss, anon = status(pid)
            except (OSError, KeyError) as e:
                say('rss-driver: cannot sample QEMU pid %d for %s: %s' % (pid, tag, e))
                fails += 1
                continue
            say('RSS tag=%s vmrss_kb=%d rssanon_kb=%d' % (tag, rss, anon))
        if DONE in line:
            sys.exit(1 if fails else 0)
    if not os.path.exists('/proc/%d' % pid):
        sys.exit(1 if fails else 0)
    time.sleep(0.05)
PY
