#!/usr/bin/env python3
"""How fast Ctrl-C stops `clusternet run` (issue 18: at most 2 s, at any scale): runs it under a
pseudo-terminal, waits for a chosen moment, sends SIGINT as a terminal's Ctrl-C does, and reports
the seconds until the process has ended, its exit status, and whether a result file (or its
.partial) was left behind. One interrupt per run; the moments:

    --at-seconds S     S seconds after the start (S small: while the world is being built)
    --at-month M       once the progress bar has shown month M (burn-in months count), then
                       --delay D seconds more (default 1), e.g. inside an expensive month's metrics

    bench/run/interrupt_latency.py [--bin build/bin/clusternet] [--scenario scenarios/jci-150m.yaml]
                                   [--scale 10] [--threads 2] (--at-seconds S | --at-month M [--delay D])

Exit status 0 when the run stopped within --limit seconds (default 2) with a non-zero status and
no file, 1 otherwise. The scratch directory is removed.
"""
import os
import pty
import re
import select
import shutil
import signal
import sys
import tempfile
import time

from eta_trace import run_command, run_parser, split_lines

BAR = re.compile(rb"months (\d+)/(\d+)\s+replicates")


def main():
    parser = run_parser(__doc__)
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--at-seconds", type=float)
    when.add_argument("--at-month", type=int)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--limit", type=float, default=2.0)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp()
    out = os.path.join(scratch, "run.h5")
    try:
        command = run_command(args, out)
        start = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(command[0], command)
        fire_at = start + args.at_seconds if args.at_seconds is not None else None
        sent, month, pending, tail = None, 0, b"", b""
        ended = None
        while ended is None:
            now = time.monotonic()
            if sent is None and fire_at is not None and now >= fire_at:
                os.kill(pid, signal.SIGINT)
                sent = now
            timeout = 0.05 if sent is None else 0.01
            ready, _, _ = select.select([fd], [], [], timeout)
            if ready:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    data = b""
                tail = (tail + data)[-2000:]
                lines, pending = split_lines(pending + data)
                for part in lines:
                    m = BAR.search(part)
                    if m:
                        month = int(m.group(1))
                if sent is None and fire_at is None and month >= args.at_month:
                    fire_at = time.monotonic() + args.delay
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                ended = time.monotonic()
        code = os.waitstatus_to_exitcode(status)
        left = [p for p in (out, out + ".partial") if os.path.exists(p)]
    finally:
        shutil.rmtree(scratch)
    if sent is None:
        print(f"interrupt_latency.py: the run ended (exit {code}) before the moment came, after "
              f"{ended - start:.1f} s at month {month}")
        return 1
    latency = ended - sent
    print(f"scale {args.scale}, {args.threads} threads: SIGINT {sent - start:.1f} s after the start (bar at month "
          f"{month}); the process ended {latency:.2f} s later with exit status {code}; "
          f"{'files left: ' + ', '.join(os.path.basename(p) for p in left) if left else 'no file left'}")
    last = tail.decode(errors="replace").strip().splitlines()[-1:] or [""]
    print(f"  its last line: {last[0][-160:]}")
    return 0 if latency <= args.limit and code != 0 and not left else 1


if __name__ == "__main__":
    sys.exit(main())
