"""`clusternet export` as other tools see it, and what a failed export leaves behind.

Run by CTest as: python3 test_exports.py CASE CLUSTERNET SCENARIOS_DIR
  graphs   the GraphML and GEXF of a small real run load back in NetworkX and igraph with the
           attributes the result file holds (coordinates, codes, instrument names, cluster
           membership); --all-organisations adds the isolated organisations
  types    no column or dataset of a result file is a 1-byte integer (R's rhdf5 reads those as raw
           bytes); a file of the older layout (uint8 codes, no degree column) is still exported
  faults   a write that fails (file size limit, a full tmpfs when root may mount one, /dev/full)
           exits 1 and leaves no new, temporary or truncated file; files it would have replaced
           keep their contents
"""
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

import h5py
import numpy as np

CASE, CLUSTERNET, SCENARIOS = sys.argv[1], sys.argv[2], sys.argv[3]
WORK = tempfile.mkdtemp(prefix="clusternet_exports_")


def run(args, **kw):
    p = subprocess.run([CLUSTERNET, *args], capture_output=True, text=True, timeout=300, **kw)
    return p.returncode, p.stdout + p.stderr


def expect(code, args, contains=None, **kw):
    rc, out = run(args, **kw)
    assert rc == code, f"clusternet {' '.join(args)}: exit {rc}, expected {code}\n{out}"
    if contains:
        assert contains in out, f"clusternet {' '.join(args)}: {contains!r} not in\n{out}"
    return out


def small_run():
    path = os.path.join(WORK, "ci.h5")
    expect(0, ["run", os.path.join(SCENARIOS, "ci-small.yaml"), "-o", path, "--quiet"])
    return path


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def graphs():
    import igraph
    import networkx as nx

    path = small_run()
    with h5py.File(path, "r") as f:
        nodes = f["network/final/rep_1/nodes"][()]
        edges = f["network/final/rep_1/edges"][()]
        regions = f["regions/table"][()]
        partnership_instruments = {text(x) for x in f["partnerships/rep_1"]["instrument"]}
    connected = nodes[nodes["degree"] > 0]
    assert 0 < len(connected) < len(nodes), "the run should leave some organisations isolated"
    by_id = {int(n["id"]): n for n in nodes}

    out = {}
    for all_orgs in (False, True):
        tag = "all" if all_orgs else "ties"
        gml, gexf = os.path.join(WORK, f"{tag}.graphml"), os.path.join(WORK, f"{tag}.gexf")
        expect(0, ["export", path, "--replicate", "1", "--graphml", gml, "--gexf", gexf]
               + (["--all-organisations"] if all_orgs else []))
        out[tag] = (gml, gexf)
        expected_nodes = len(nodes) if all_orgs else len(connected)

        for reader, file in ((nx.read_graphml, gml), (nx.read_gexf, gexf)):
            g = reader(file)
            assert g.number_of_nodes() == expected_nodes, (file, g.number_of_nodes(), expected_nodes)
            assert g.number_of_edges() == len(edges), (file, g.number_of_edges(), len(edges))
            for name, data in list(g.nodes(data=True))[:: max(1, expected_nodes // 200)]:
                row = by_id[int(name[1:])]
                region = regions[int(row["region"])]
                assert data["region"] == text(region["nuts_id"]), (name, data)
                assert data["country"] == text(region["country"]), (name, data)
                assert abs(float(data["lon"]) - float(region["lon"])) < 1e-9, (name, data)
                assert abs(float(data["lat"]) - float(region["lat"])) < 1e-9, (name, data)
                assert data["kind"] in ("sme_micro", "sme_small", "sme_medium", "large_firm", "research", "cluster")
                assert int(data["degree"]) == int(row["degree"]), (name, data, row)
                assert int(data["cluster"]) == int(row["cluster"]), (name, data, row)
                assert int(data["memberships"]) == int(row["memberships"]), (name, data, row)
            instruments = {d.get("instrument", "") for _, _, d in g.edges(data=True)}
            named = instruments - {""}
            assert named and named <= partnership_instruments, (file, instruments, partnership_instruments)
            assert all(not x.isdigit() for x in named), instruments
            weights = sorted(float(d["weight"]) for _, _, d in g.edges(data=True))
            assert np.allclose(weights, sorted(edges["weight"].tolist())), file

        h = igraph.Graph.Read_GraphML(gml)
        assert h.vcount() == expected_nodes and h.ecount() == len(edges), (h.vcount(), h.ecount())
        assert set(h.vs.attributes()) >= {"kind", "region", "country", "lon", "lat", "cluster", "degree"}
        assert sorted(int(d) for d in h.degree()) == sorted(int(d) for d in h.vs["degree"])
    print(f"graphs: {len(connected)} connected and {len(nodes)} organisations, {len(edges)} ties read back "
          "by NetworkX (GraphML, GEXF) and igraph (GraphML)")


def byte_integers(f):
    found = []

    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset):
            return
        dt = obj.dtype
        fields = dt.names or ()
        for field in fields:
            t = dt.fields[field][0]
            if t.kind in "iu" and t.itemsize == 1:
                found.append(f"{name}:{field}")
        if not fields and dt.kind in "iu" and dt.itemsize == 1:
            found.append(name)
    f.visititems(visit)
    return found


def types():
    path = small_run()
    with h5py.File(path, "r") as f:
        bad = byte_integers(f)
        assert not bad, f"1-byte integer columns R reads as raw bytes: {bad}"
        nodes = f["network/final/rep_0/nodes"][()]
        edges = f["network/final/rep_0/edges"][()]
    assert {"degree", "cluster", "memberships"} <= set(nodes.dtype.names)

    # The older layout: uint8 codes, and a nodes table of the organisations with ties only.
    old = os.path.join(WORK, "old.h5")
    shutil.copy(path, old)
    connected = nodes[nodes["degree"] > 0]
    with h5py.File(old, "r+") as f:
        for k in range(int(f.attrs["replicates"])):
            g = f[f"network/final/rep_{k}"]
            n, e = g["nodes"][()], g["edges"][()]
            n = n[n["degree"] > 0]
            del g["nodes"], g["edges"]
            nt = np.dtype([("id", "<u4"), ("kind", "u1"), ("region", "<u2"), ("area", "u1")])
            et = np.dtype([("source", "<u4"), ("target", "<u4"), ("weight", "<f8"), ("formed_month", "<i4"),
                           ("origin", "u1"), ("instrument", "<i4")])
            g.create_dataset("nodes", data=np.array([tuple(r[x] for x in nt.names) for r in n], dtype=nt))
            g.create_dataset("edges", data=np.array([tuple(r[x] for x in et.names) for r in e], dtype=et))
    csv_dir = os.path.join(WORK, "old_csv")
    expect(0, ["export", old, "--csv", csv_dir, "--graphml", os.path.join(WORK, "old.graphml")])
    import csv
    with open(os.path.join(csv_dir, "nodes.csv")) as fh:
        rows = [r for r in csv.DictReader(fh) if r["replicate"] == "0"]
    assert len(rows) == len(connected), (len(rows), len(connected))
    kinds = {r["kind"] for r in rows}
    assert kinds <= {"sme_micro", "sme_small", "sme_medium", "large_firm", "research", "cluster"}, kinds
    assert all(r["cluster"] == "" and r["memberships"] == "" for r in rows)  # unknown in that layout
    with open(os.path.join(csv_dir, "edges.csv")) as fh:
        origins = {r["origin"] for r in csv.DictReader(fh)}
    assert origins <= {"autonomous", "partnership", "exchange"} and "partnership" in origins, origins
    assert len(edges) > 0
    expect(1, ["export", old, "--graphml", os.path.join(WORK, "x.graphml"), "--all-organisations"],
           "only the organisations that have a tie")
    assert not os.path.exists(os.path.join(WORK, "x.graphml"))
    print("types: no 1-byte integers; the older layout still exports; --all-organisations refused on it")


def leftovers(directory):
    return sorted(x for x in os.listdir(directory) if ".tmp" in x or "clusternet-" in x)


def limited(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def check_failed_export(path, directory, preexec=None, label=""):
    # Files from an earlier export, which a failed one must leave as they were.
    csv_dir = os.path.join(directory, "csv")
    os.makedirs(csv_dir, exist_ok=True)
    for name in ("metrics.csv", "edges.csv"):
        with open(os.path.join(csv_dir, name), "w") as fh:
            fh.write("earlier export\n")
    graphml = os.path.join(directory, "net.graphml")
    with open(graphml, "w") as fh:
        fh.write("earlier graph\n")
    new_dir = os.path.join(directory, "new_csv")
    for args in (["--csv", csv_dir], ["--graphml", graphml, "--all-organisations"], ["--csv", new_dir],
                 ["--csv", csv_dir, "--gexf", os.path.join(directory, "new.gexf")]):
        rc, out = run(["export", path, *args], preexec_fn=preexec)
        assert rc == 1, f"{label} export {args}: exit {rc}, expected 1\n{out}"
        assert "fail" in out, out
        for name in ("metrics.csv", "edges.csv"):
            with open(os.path.join(csv_dir, name)) as fh:
                assert fh.read() == "earlier export\n", f"{label} {args}: {name} was changed"
        assert sorted(os.listdir(csv_dir)) == ["edges.csv", "metrics.csv"], (label, args, os.listdir(csv_dir))
        with open(graphml) as fh:
            assert fh.read() == "earlier graph\n", f"{label} {args}: the GraphML was changed"
        assert not os.path.exists(new_dir), f"{label} {args}: the new directory was left behind"
        assert not os.path.exists(os.path.join(directory, "new.gexf")), f"{label} {args}: a new file was left"
        assert not leftovers(directory) and not leftovers(csv_dir), (label, args, leftovers(directory))


def faults():
    path = small_run()
    # A file size limit: every write beyond 64 kB fails as on a full disk (EFBIG instead of ENOSPC).
    limit_dir = os.path.join(WORK, "limit")
    os.makedirs(limit_dir)
    check_failed_export(path, limit_dir, limited(64 * 1024), "file size limit")
    print("faults: a file size limit fails the export and leaves nothing behind")

    # A real full file system when this user may mount a small tmpfs (root in CI containers).
    mount_point = os.path.join(WORK, "tmpfs")
    os.makedirs(mount_point)
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount_point], capture_output=True).returncode == 0
    if mounted:
        try:
            check_failed_export(path, mount_point, None, "full tmpfs")
            print("faults: a full tmpfs fails the export and leaves nothing behind")
        finally:
            subprocess.run(["umount", mount_point], check=False)
    else:
        print("faults: no tmpfs (not root or mount refused); the file size limit stood in for a full disk")

    # Devices are written in place, never replaced, and every write is checked.
    if os.path.exists("/dev/full"):
        expect(1, ["export", path, "--graphml", "/dev/full"], "/dev/full")
        expect(1, ["export", path, "--csv", os.path.join(WORK, "ok_csv"), "--gexf", "/dev/full"], "/dev/full")
        assert not os.path.exists(os.path.join(WORK, "ok_csv")), "CSV files of a failed export were kept"
        assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")
    expect(0, ["export", path, "--graphml", "/dev/null"])
    assert not os.path.isfile("/dev/null"), "/dev/null was replaced by a regular file"
    expect(1, ["export", path, "--graphml", WORK], "is a directory")
    expect(1, ["export", path, "--graphml", os.path.join(WORK, "no", "such", "dir.graphml")], "does not exist")
    # A symbolic link is written through (also when what it names does not exist yet), not replaced.
    real, link = os.path.join(WORK, "real.graphml"), os.path.join(WORK, "link.graphml")
    os.symlink("real.graphml", link)
    expect(0, ["export", path, "--graphml", link])
    assert os.path.islink(link) and os.path.isfile(real) and os.path.getsize(real) > 0, "the link was replaced"
    expect(0, ["export", path, "--graphml", link, "--all-organisations"])
    assert os.path.islink(link) and not leftovers(WORK), leftovers(WORK)
    # A successful export over earlier files replaces them and leaves no temporary behind.
    ok = os.path.join(WORK, "ok")
    os.makedirs(ok)
    expect(0, ["export", path, "--csv", ok, "--graphml", os.path.join(ok, "g.graphml")])
    assert sorted(os.listdir(ok)) == ["edges.csv", "g.graphml", "metrics.csv", "nodes.csv", "partnerships.csv",
                                      "region_series.csv", "regions.csv", "tables.csv"], os.listdir(ok)
    print("faults: devices written in place and checked; directories refused")


try:
    {"graphs": graphs, "types": types, "faults": faults}[CASE]()
finally:
    shutil.rmtree(WORK, ignore_errors=True)
print(CASE, "passed")
