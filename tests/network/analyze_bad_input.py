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

# Hostile text (issue 14): every case names the file, the line and the field, and nothing is printed
# that a JSON or CSV reader would choke on.
def write_bytes(name, data):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


edges = write("edges.csv", "source,target\na,b\nb,c\n")
expect("Latin-1 id", [write_bytes("latin1.csv", b"source,target\nd\xe9j\xe0,b\n"), "--json"],
       ["latin1.csv:2:1", "UTF-8", "iconv"])
expect("NUL in an id", [write_bytes("nul.csv", b"source,target\na\x00b,c\n")], ["nul.csv:2:1", "control character"])
expect("NUL in a node id", [edges, "--nodes", write_bytes("nodenul.csv", b"id\na\nb\x00\nc\n")],
       ["nodenul.csv:3:1", "control character"])
expect("area 21", [edges, "--nodes", write("area21.csv", "id,area\na,1\nb,21\nc,2\n")], ["area21.csv:3:2", "0 to 20"])
expect("area -1", [edges, "--nodes", write("area-1.csv", "id,area\na,-1\nb,1\nc,2\n")], ["area-1.csv:2:2", "0 to 20"])
expect("NaN cohesion", [edges, "--nodes", write("cohesion.csv", "id,region,cohesion\na,R1,NaN\nb,R2,\nc,R1,\n")],
       ["cohesion.csv:2:3", "cohesion"])
expect("weight 1e400", [write("w400.csv", "source,target,weight\na,b,1e400\n")], ["w400.csv:2:3", "beyond the range"])
# 1e308 is a finite double: accepted (it was once called "not a finite number").
out = subprocess.run([binary, "analyze", write("w308.csv", "source,target,weight\na,b,1e308\nb,c,1e-300\n")],
                     capture_output=True, text=True, timeout=60)
if out.returncode != 0:
    failures.append(f"weight 1e308: exit {out.returncode}: {out.stderr.strip()}")

# Valid UTF-8 ids with quotes, backslashes and commas: --json must parse and --partition-out must
# read back as the same ids.
import csv
import json
tricky = write_bytes("tricky.csv", 'source,target\n"a,\\""b",c\u00e9\nc\u00e9,"x\\y"\n"x\\y","a,\\""b"\n'.encode())
partition = os.path.join(work, "partition.csv")
out = subprocess.run([binary, "analyze", tricky, "--json", "--partition-out", partition], capture_output=True,
                     timeout=60)
try:
    doc = json.loads(out.stdout.decode("utf-8"))
    assert doc["nodes"] == 3, doc["nodes"]
    with open(partition, encoding="utf-8", newline="") as f:
        ids = {row["id"] for row in csv.DictReader(f)}
    assert ids == {'a,\\"b', "c\u00e9", "x\\y"}, ids
except Exception as e:  # noqa: BLE001 - any failure is reported with the output
    failures.append(f"tricky ids: {e!r}; exit {out.returncode}; stderr {out.stderr.decode(errors='replace')}")

# Failed writes: a full device for the partition and for stdout exits 1 and leaves no partial file.
if os.path.exists("/dev/full"):
    expect("partition to /dev/full", [edges, "--partition-out", "/dev/full"], ["/dev/full", "No space"])
    with open("/dev/full", "w") as full:
        out = subprocess.run([binary, "analyze", edges], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    if out.returncode != 1 or "standard output" not in out.stderr:
        failures.append(f"stdout to /dev/full: exit {out.returncode}, stderr {out.stderr.strip()!r}")
import resource
import signal


def limited():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


many = write("many.csv", "source,target\n" + "".join(f"n{i},n{i + 1}\n" for i in range(200)))
kept = os.path.join(work, "kept_partition.csv")
with open(kept, "w") as f:
    f.write("earlier\n")
out = subprocess.run([binary, "analyze", many, "--partition-out", kept], capture_output=True, text=True, timeout=60,
                     preexec_fn=limited)
with open(kept) as f:
    kept_text = f.read()
leftovers = [x for x in os.listdir(work) if ".tmp" in x]
if out.returncode != 1 or kept_text != "earlier\n" or leftovers:
    failures.append(f"partition on a full disk: exit {out.returncode}, file {kept_text[:20]!r}, leftovers {leftovers}, "
                    f"stderr {out.stderr.strip()!r}")

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
