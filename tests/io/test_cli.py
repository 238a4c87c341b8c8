"""Command-line tests of `clusternet info/check/compare/export` on synthetic result files.

Run by CTest as: python3 test_cli.py CASE CLUSTERNET MAKE_SAMPLE_RESULTS
Each case exits non-zero (AssertionError) on failure.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import h5py

CASE, CLUSTERNET, MAKE = sys.argv[1], sys.argv[2], sys.argv[3]
WORK = tempfile.mkdtemp(prefix="clusternet_cli_")


def run(*args):
    p = subprocess.run([CLUSTERNET, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout + p.stderr


def sample(name, *args):
    path = os.path.join(WORK, name)
    subprocess.run([MAKE, path, *args], check=True)
    return path


def expect(code, args, contains=None):
    rc, out = run(*args)
    assert rc == code, f"clusternet {' '.join(args)}: exit {rc}, expected {code}\n{out}"
    if contains:
        assert contains in out, f"clusternet {' '.join(args)}: '{contains}' not in\n{out}"
    return out


def bad_files():
    """Every kind of unusable file: exit 2 with a message, never a crash (exit >= 128)."""
    good = sample("good.h5")
    text = os.path.join(WORK, "text.h5")
    with open(text, "w") as f:
        f.write("not hdf5\n")
    truncated = os.path.join(WORK, "truncated.h5")
    with open(good, "rb") as f:
        data = f.read()
    with open(truncated, "wb") as f:
        f.write(data[: len(data) // 3])
    foreign = os.path.join(WORK, "foreign.h5")
    with h5py.File(foreign, "w") as f:
        f["x"] = [1, 2, 3]
        f.attrs["format"] = "something-else"
    partial = good + ".partial"
    shutil.copy(good, partial)
    incomplete = os.path.join(WORK, "incomplete.h5")
    shutil.copy(good, incomplete)
    with h5py.File(incomplete, "r+") as f:
        f.attrs["complete"] = 0
    empty = os.path.join(WORK, "empty.h5")
    open(empty, "w").close()
    missing = os.path.join(WORK, "missing.h5")
    for bad, words in [(missing, "no such file"), (text, "not an HDF5"), (truncated, "truncated"),
                       (foreign, "not a clusternet result"), (partial, ".partial"), (incomplete, "incomplete"),
                       (empty, "not an HDF5")]:
        expect(2, ["info", bad], words)
        expect(2, ["compare", good, bad], words)
        expect(2, ["compare", bad, good], words)
        expect(2, ["check", bad, "--against", good], words)
        expect(2, ["check", good, "--against", bad], words)
        expect(2, ["export", bad, "--csv", os.path.join(WORK, "csv_bad")], words)
    out = expect(0, ["info", good], "complete:           yes")
    assert "/metrics/network/ties" in out and "[3, 12]" in out, out


def check_exit_codes():
    golden = sample("golden.h5")
    same = sample("same.h5")
    drift = sample("drift.h5", "--scale", "1.001")
    fewer = sample("fewer.h5", "--replicates", "2")
    expect(0, ["check", same, "--against", golden], "OK")
    out = expect(1, ["check", drift, "--against", golden], "DRIFT")
    assert "/metrics/policy/" in out and "replicate" in out and "... and" in out, out
    # Within a loose tolerance the same drift passes; restricted to network metrics it passes too.
    expect(0, ["check", drift, "--against", golden, "--rtol", "0.01"])
    expect(0, ["check", drift, "--against", golden, "--metrics", "network/*"])
    expect(1, ["check", drift, "--against", golden, "--metrics", "smes_supported"], "smes_supported")
    expect(2, ["check", fewer, "--against", golden], "shapes differ")
    expect(2, ["check", same, "--against", golden, "--metrics", "no_such_metric"], "nothing was compared")
    expect(2, ["check", same])  # --against is required: a usage error


def compare_labels():
    a = sample("a.h5", "--seed", "5")
    b = sample("b.h5", "--seed", "5", "--scale", "1.5", "--scenario", "bigger")
    c = sample("c.h5", "--seed", "6", "--scale", "1.5")
    one = sample("one.h5", "--seed", "5", "--replicates", "1")
    out = expect(0, ["compare", a, b], "paired by replicate")
    assert "*" in out, out
    expect(0, ["compare", a, c], "unpaired, Welch")
    expect(0, ["compare", one, one], "undefined (n/a)")
    rc, out = run("compare", a, b, "--json")
    assert rc == 0, out
    doc = json.loads(out)
    assert doc["paired"] is True and doc["b"]["scenario"] == "bigger"
    smes = [r for r in doc["final"] if r["metric"] == "smes_supported"][0]
    assert smes["ci_excludes_zero"] and smes["ci95_low"] < smes["difference"] < smes["ci95_high"]
    # The paired difference equals the mean of per-replicate differences read with h5py.
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        d = fb["metrics/policy/smes_supported"][:, -1] - fa["metrics/policy/smes_supported"][:, -1]
    assert abs(d.mean() - smes["difference"]) < 1e-9 * abs(d.mean())
    rc, out = run("compare", a, c, "--json")
    assert json.loads(out)["paired"] is False
    rc, out = run("compare", one, one, "--json")
    assert all(r["ci95_low"] is None for r in json.loads(out)["final"])
    table = os.path.join(WORK, "cmp.csv")
    expect(0, ["compare", a, b, "--csv", table, "--over-time"], "Over time")
    with open(table) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 8 * 12 and rows[0]["mode"] == "paired", rows[:2]


def export():
    r = sample("r.h5", "--replicates", "2")
    out_dir = os.path.join(WORK, "csv")
    graphml = os.path.join(WORK, "net.graphml")
    gexf = os.path.join(WORK, "net.gexf")
    expect(0, ["export", r, "--csv", out_dir, "--graphml", graphml, "--gexf", gexf, "--replicate", "1"])
    with open(os.path.join(out_dir, "metrics.csv")) as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0].keys())[:7] == ["scenario", "replicate", "month", "date", "group", "metric", "value"]
    assert len(rows) == 2 * 8 * 12
    nan_rows = [x for x in rows if x["metric"] == "transitivity" and x["month"] == "1"]
    assert nan_rows and all(x["value"] == "" for x in nan_rows)
    with open(os.path.join(out_dir, "regions.csv"), encoding="utf-8") as f:
        regions = list(csv.DictReader(f))
    assert regions[1]["name"] == "Warszawski stołeczny"
    for name in ["partnerships", "edges", "nodes", "region_series", "tables"]:
        with open(os.path.join(out_dir, name + ".csv")) as f:
            assert len(list(csv.DictReader(f))) > 0, name
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    g = ET.parse(graphml).getroot()
    nodes = g.findall(".//g:node", ns)
    edges = g.findall(".//g:edge", ns)
    assert len(nodes) == 5 and len(edges) == 4
    node_ids = {n.get("id") for n in nodes}
    assert all(e.get("source") in node_ids and e.get("target") in node_ids for e in edges)
    kinds = {d.text for d in g.findall(".//g:node/g:data[@key='kind']", ns)}
    assert "cluster" in kinds, kinds
    weights = [float(d.text) for d in g.findall(".//g:edge/g:data[@key='weight']", ns)]
    assert 1.5 in weights  # replicate 1: edge 11-12 has weight 0.5 + 1
    x = ET.parse(gexf).getroot()
    ns = {"x": "http://www.gexf.net/1.2draft"}
    assert x.get("version") == "1.2"
    assert len(x.findall(".//x:node", ns)) == 5 and len(x.findall(".//x:edge", ns)) == 4
    # The sample's isolated organisations (25, 30) appear only with --all-organisations.
    expect(0, ["export", r, "--graphml", graphml, "--gexf", gexf, "--all-organisations"])
    assert len(ET.parse(graphml).getroot().findall(".//g:node", {"g": "http://graphml.graphdrawing.org/xmlns"})) == 7
    assert len(ET.parse(gexf).getroot().findall(".//x:node", ns)) == 7
    expect(2, ["export", r])  # no output chosen: usage error
    expect(1, ["export", r, "--graphml", graphml, "--replicate", "7"], "no such replicate")


try:
    {"bad_files": bad_files, "check_exit_codes": check_exit_codes, "compare_labels": compare_labels,
     "export": export}[CASE]()
finally:
    shutil.rmtree(WORK, ignore_errors=True)
print(CASE, "passed")
