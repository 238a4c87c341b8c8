#!/usr/bin/python3
"""`clusternet analyze` on malformed input: must exit non-zero with a message naming the file and
the line, never crash (a signal shows up as a negative return code here).

Usage: analyze_bad_input.py CLUSTERNET_BINARY WORK_DIR
"""
import os
import subprocess
import sys

binary, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
failures = []


def write(name, text):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def expect(label, args, needles, code=1, stdin=None):
    out = subprocess.run([binary, "analyze"] + args, capture_output=True, text=True, timeout=60, input=stdin)
    if out.returncode != code:
        failures.append(f"{label}: exit {out.returncode}, expected {code}; stderr: {out.stderr.strip()}")
    for needle in needles:
        if needle not in out.stderr:
            failures.append(f"{label}: message lacks {needle!r}: {out.stderr.strip()}")


nodes = write("nodes.csv", "id,region,country,kind,area\na,R1,C1,sme,1\nb,R2,C1,research,2\n")
expect("missing column", [write("missing.csv", "source,weight\na,1\n")], ["missing.csv:1", "'target'"])
expect("empty file", [write("empty.csv", "")], ["empty.csv:1", "empty file"])
expect("non-numeric weight", [write("weight.csv", "source,target,weight\na,b,1\nb,a,heavy\n")], ["weight.csv:3", "weight"])
expect("unknown node", [write("unknown.csv", "source,target\na,b\nb,c\n"), "--nodes", nodes], ["unknown.csv:3", "node table"])
expect("short row", [write("short.csv", "source,target\na\n")], ["short.csv:2"])
expect("missing file", [os.path.join(work, "does_not_exist.csv")], ["does_not_exist.csv", "cannot open"])
expect("bad node kind", [write("e.csv", "source,target\na,b\n"), "--nodes", write("badkind.csv", "id,kind\na,alien\nb,sme\n")],
       ["badkind.csv:2", "kind"])
expect("no arguments", [], [], code=2)

# A 2 GB line, streamed through a pipe: the reader must give up after its line cap without ever
# holding the line; the writer then meets a closed pipe.
proc = subprocess.Popen([binary, "analyze", "/dev/stdin"], stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                        stdout=subprocess.DEVNULL)
chunk = b"x" * (1 << 20)
written = 0
try:
    proc.stdin.write(b"source,target\na,b\n")
    while written < (2 << 30):
        proc.stdin.write(chunk)
        written += len(chunk)
    proc.stdin.close()
except BrokenPipeError:
    pass
err = proc.stderr.read().decode()
code = proc.wait(timeout=60)
if code != 1 or "/dev/stdin:3" not in err or "longer than" not in err:
    failures.append(f"2 GB line: exit {code}, stderr {err.strip()!r}")
if written >= (2 << 30):
    failures.append("2 GB line: the whole line was consumed before the error")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("every malformed input was reported with its file and line")
