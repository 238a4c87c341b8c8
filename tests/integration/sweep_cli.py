"""clusternet sweep through its command line, on small worlds (a few seconds per case).

Run by CTest as: /usr/bin/python3 sweep_cli.py CASE CLUSTERNET SOURCE_DIR [MPI]
  identity  two sweeps give the same bytes; --threads does not matter; a point equals `run`
  mpi       mpirun -np 3 gives the same bytes as one process (MPI = ON), or is refused (OFF)
  resume    a sweep killed with SIGKILL (and one stopped with SIGINT) resumes to the same bytes
  shares    --tasks 1/3, 2/3, 3/3 then --join give the same bytes; an early --join is refused
  budget    the shipped budget sweep (small world): funded partnerships never fall as the budget rises
  report    sweep-report on a grid and on a Morris design with a contrast: text, JSON and CSV
  docs      the Python examples of docs/results-format.md for sweep and run files, run verbatim
  docs_r    the R example (hdf5r) for sweep files; exit 77 (skipped) without Rscript and hdf5r
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

case, clusternet, source = sys.argv[1], sys.argv[2], sys.argv[3]
mpi_built = len(sys.argv) > 4 and sys.argv[4] in ("ON", "1", "TRUE", "YES")
ci_small = os.path.join(source, "scenarios", "ci-small.yaml")

SMALL = """name: sweep-small
extends: {ci_small}
horizon: {{months: 12, burn_in_months: 6}}
replicates: 2
sweep:
  parameter: instruments.jci.budget
  values: [0, 2M, 4M, 6M]
"""


def run(*args, check=True, **kwargs):
    result = subprocess.run([clusternet, *args], capture_output=True, text=True, **kwargs)
    if check and result.returncode != 0:
        sys.exit(f"clusternet {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def read(path):
    with open(path, "rb") as f:
        return f.read()


def same_file(a, b, what):
    if read(a) != read(b):
        sys.exit(f"{what}: {a} and {b} differ")


def parts_of(output):
    folder = output + ".parts"
    # Finished parts only: a part being written has a temporary name ending in .partial.
    return sorted(n for n in os.listdir(folder) if n.startswith("point-") and n.endswith(".h5")) if os.path.isdir(folder) else []


work = tempfile.mkdtemp(prefix="clusternet-sweep-cli-")
try:
    sweep = os.path.join(work, "sweep-small.yaml")
    with open(sweep, "w") as f:
        f.write(SMALL.format(ci_small=ci_small))
    reference = os.path.join(work, "reference.h5")
    if case not in ("docs_r", "budget"):
        run("sweep", sweep, "-o", reference, "--quiet")
        if os.path.exists(reference + ".parts"):
            sys.exit("the parts folder was left after a successful sweep")

    if case == "identity":
        again = os.path.join(work, "again.h5")
        run("sweep", sweep, "-o", again, "--quiet", "--threads", "1")
        same_file(reference, again, "a second sweep on one thread")
        # The scenario of point 2 (4M) run on its own gives the metrics of point 2, bit for bit.
        import h5py
        import numpy as np
        plain = os.path.join(work, "plain.yaml")
        with open(plain, "w") as f:
            f.write(SMALL.format(ci_small=ci_small).split("sweep:")[0])
        single = os.path.join(work, "single.h5")
        run("run", plain, "-o", single, "--quiet", "--set", "instruments.jci.budget=4M")
        with h5py.File(single) as r, h5py.File(reference) as s:
            compared = 0
            for group in r["metrics"]:
                for name in r["metrics"][group]:
                    a, b = r["metrics"][group][name][()], s["metrics"][group][name][2]
                    if not np.array_equal(a, b, equal_nan=True):
                        sys.exit(f"point 2 differs from the run of its scenario in /metrics/{group}/{name}")
                    compared += 1
            assert compared > 20, compared
        print("identical sweeps; point 2 equals its own run in", compared, "metrics")

    elif case == "mpi":
        mpirun = shutil.which("mpirun")
        if not mpirun:
            print("mpirun not found: skipped")
            sys.exit(77)
        out = os.path.join(work, "mpi.h5")
        cmd = [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "3", clusternet, "sweep", sweep, "-o", out, "--quiet"]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if not mpi_built:
            # Three processes without MPI would each run the whole sweep: refused, every one of them.
            if result.returncode == 0 or "built without MPI" not in result.stderr:
                sys.exit(f"a build without MPI did not refuse mpirun:\n{result.stdout}\n{result.stderr}")
            print("a build without MPI refuses mpirun with a clear message")
            sys.exit(0)
        if result.returncode != 0:
            sys.exit(f"mpirun failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        same_file(reference, out, "mpirun -np 3")
        print("mpirun -np 3 wrote the same bytes as one process")

    elif case == "resume":
        # Slower tasks (a longer horizon) so that the kill lands while tasks remain.
        slow = os.path.join(work, "slow.yaml")
        with open(slow, "w") as f:
            f.write(SMALL.format(ci_small=ci_small).replace("months: 12, burn_in_months: 6", "months: 24, burn_in_months: 24"))
        whole = os.path.join(work, "whole.h5")
        run("sweep", slow, "-o", whole, "--quiet", "--threads", "1")
        for how in (signal.SIGKILL, signal.SIGINT):
            out = os.path.join(work, f"resumed-{int(how)}.h5")
            proc = subprocess.Popen([clusternet, "sweep", slow, "-o", out, "--quiet", "--threads", "1"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.time() + 60
            while len(parts_of(out)) < 2 and proc.poll() is None and time.time() < deadline:
                time.sleep(0.01)
            proc.send_signal(how)
            _, err = proc.communicate(timeout=60)
            if proc.returncode == 0:
                print(f"{how.name}: the sweep finished before the signal; nothing to resume")
                continue
            if os.path.exists(out):
                sys.exit(f"{how.name}: an interrupted sweep left {out}")
            kept = parts_of(out)
            if how == signal.SIGINT:
                if proc.returncode != 130 or "resume" not in err:
                    sys.exit(f"SIGINT: expected status 130 and a resume hint, got {proc.returncode}: {err}")
            if len(kept) >= 8:
                sys.exit(f"{how.name}: every task had finished before the signal")
            result = run("sweep", slow, "-o", out, "--json", "--threads", "1")
            report = json.loads(result.stdout)
            if report["reused"] != len(kept) or report["run"] != 8 - len(kept):
                sys.exit(f"{how.name}: expected {len(kept)} parts reused, got {report}")
            same_file(whole, out, f"a sweep resumed after {how.name}")
            print(f"{how.name}: {len(kept)} finished tasks kept and reused; resumed file identical")
        # --force starts over: every task runs again.
        forced = run("sweep", slow, "-o", whole, "--json", "--force", "--threads", "1")
        if json.loads(forced.stdout)["run"] != 8:
            sys.exit("--force did not run every task again")
        # Without --force an existing output is refused before anything runs.
        refused = run("sweep", slow, "-o", whole, "--quiet", check=False)
        if refused.returncode != 1 or "--force" not in refused.stderr:
            sys.exit(f"an existing output was not refused: {refused.returncode} {refused.stderr}")

    elif case == "shares":
        out = os.path.join(work, "shares.h5")
        run("sweep", sweep, "-o", out, "--tasks", "1/3", "--quiet")
        early = run("sweep", "--join", out, check=False)
        if early.returncode != 1 or "have no finished part" not in early.stderr:
            sys.exit(f"an early --join was not refused: {early.returncode} {early.stderr}")
        for share in ("3/3", "2/3"):
            run("sweep", sweep, "-o", out, "--tasks", share, "--quiet")
        if len(parts_of(out)) != 8:
            sys.exit(f"three shares wrote {len(parts_of(out))} parts, expected 8")
        again = run("sweep", sweep, "-o", out, "--tasks", "2/3", "--json")
        if json.loads(again.stdout)["run"] != 0:
            sys.exit("a finished share ran its tasks again")
        run("sweep", "--join", out, "--quiet")
        same_file(reference, out, "--tasks shares joined")
        bad = run("sweep", sweep, "-o", out, "--tasks", "4/3", check=False)
        if bad.returncode == 0 or "--tasks" not in bad.stderr:
            sys.exit(f"--tasks 4/3 was accepted: {bad.stderr}")
        print("three shares joined into the same bytes as one process")

    elif case == "budget":
        import h5py
        import numpy as np
        out = os.path.join(work, "budget.h5")
        # The shipped file on a small world with a shorter horizon (its calendar ends at month 61).
        run("sweep", os.path.join(source, "scenarios", "sweep-budget.yaml"), "-o", out, "--quiet", "--replicates", "2",
            "--set", "world.scale=0.2", "--set", "horizon.months=62", "--set", "horizon.burn_in_months=12",
            "--set", "measurement.expensive_every_months=62", "--set", "measurement.betweenness=false")
        with h5py.File(out) as f:
            budgets = f["sweep/points"]["instruments.jci.budget"]
            funded = f["metrics/policy/partnerships_funded"][:, :, -1].mean(axis=1)
        assert list(budgets) == [i * 50e6 for i in range(9)], list(budgets)
        print("budget (M EUR) -> partnerships funded:", [(b / 1e6, f) for b, f in zip(budgets, funded)])
        if funded[0] != 0:
            sys.exit("a zero budget funded partnerships")
        if any(b < a for a, b in zip(funded, funded[1:])) or not funded[-1] > funded[0]:
            sys.exit(f"funded partnerships fall as the budget rises: {list(funded)}")

    elif case == "report":
        text = run("sweep-report", reference).stdout
        for expected in ("partnerships_funded", "vs point 0", "per 1M EUR", "smes_supported"):
            if expected not in text:
                sys.exit(f"the report lacks {expected!r}:\n{text}")
        data = json.loads(run("sweep-report", reference, "--json", "--outcome", "partnerships_funded").stdout)
        points = data["outcomes"][0]["points"]
        assert [p["values"]["instruments.jci.budget"] for p in points] == [0, 2e6, 4e6, 6e6]
        assert points[0]["vs_point0"]["diff"] == 0
        step = points[2]["steps"][0]
        assert step["from_point"] == 1 and step["per"] == 1e6
        # The step's effect per million EUR is the paired difference divided by 2 (M EUR).
        diff = points[2]["mean"] - points[1]["mean"]
        assert abs(step["effect"] - diff / 2) < 1e-9, (step, diff)
        # A Morris screening with a contrast: indices of the paired difference, in text, JSON and CSV.
        morris = os.path.join(work, "morris.yaml")
        with open(morris, "w") as f:
            f.write(SMALL.format(ci_small=ci_small).split("sweep:")[0] + """sweep:
  design: morris
  trajectories: 3
  bootstrap_resamples: 200
  parameters:
    - key: behaviour.repeat_tie_propensity
      range: {from: 0.05, to: 0.3}
    - key: behaviour.tie_decay_rate
      range: {from: 0.015, to: 0.06}
  contrast: {key: instruments.jci.budget, values: [0, 6M]}
""")
        out = os.path.join(work, "morris.h5")
        run("sweep", morris, "-o", out, "--quiet")
        csv = os.path.join(work, "morris.csv")
        data = json.loads(run("sweep-report", out, "--json", "--outcome", "ties", "--csv", csv).stdout)
        assert data["design"] == "morris" and data["points"] == 3 * 3 * 2 and data["arms"] == 2
        indices = data["outcomes"][0]["indices"]
        assert len(indices) == 1 and indices[0]["target"] == "arm 1 - arm 0", indices
        names = [p["parameter"] for p in indices[0]["parameters"]]
        assert names == ["behaviour.repeat_tie_propensity", "behaviour.tie_decay_rate"], names
        for p in indices[0]["parameters"]:
            assert p["mu_star"] >= 0 and p["mu_star"] >= abs(p["mu"]) - 1e-12, p
        with open(csv) as f:
            rows = f.read().splitlines()
        assert len(rows) == 1 + 18 and rows[0].startswith("outcome_group,outcome,unit,month"), rows[:2]
        with open(os.path.join(work, "morris-indices.csv")) as f:
            assert len(f.read().splitlines()) == 1 + 2
        text = run("sweep-report", out, "--outcome", "ties").stdout
        assert "Morris indices of the difference arm 1 - arm 0" in text, text
        missing = run("sweep-report", os.path.join(work, "nothing.h5"), check=False)
        if missing.returncode != 2:
            sys.exit(f"a missing file gave status {missing.returncode}, not 2")
        print("reports of a grid and of a Morris contrast checked")

    elif case == "docs":
        import numpy as np
        doc = open(os.path.join(source, "docs", "results-format.md"), encoding="utf-8").read()
        blocks = re.findall(r"```python sweep\n(.*?)```", doc, re.S)
        dims = re.findall(r"```python dimensions\n(.*?)```", doc, re.S)
        assert len(blocks) >= 3 and len(dims) >= 1, "docs/results-format.md lost its sweep or xarray examples"
        placeholder = 'path = "output/sweep-budget.h5"'
        for i, block in enumerate(blocks):
            assert placeholder in block, f"sweep example {i} does not start from {placeholder}"
            ns = {}
            exec(compile(block.replace(placeholder, f"path = {reference!r}"), f"sweep example {i}", "exec"), ns)
            if "funded" in ns and hasattr(ns["funded"], "dims"):
                assert ns["funded"].dims == ("point", "replicate", "month"), ns["funded"].dims
            if "points" in ns and hasattr(ns["points"], "columns"):
                assert list(ns["points"]["instruments.jci.budget"]) == [0, 2e6, 4e6, 6e6]
        plain = os.path.join(work, "plain.yaml")
        with open(plain, "w") as f:
            f.write(SMALL.format(ci_small=ci_small).split("sweep:")[0])
        run_file = os.path.join(work, "run.h5")
        run("run", plain, "-o", run_file, "--quiet")
        for i, block in enumerate(dims):
            code = block.replace('path = "output/jci-150m.h5"', f"path = {run_file!r}")
            ns = {}
            exec(compile(code, f"dimensions example {i}", "exec"), ns)
            assert ns["ties"].dims == ("replicate", "month"), ns["ties"].dims
        print(f"{len(blocks)} sweep examples and {len(dims)} run-file examples ran")

    elif case == "docs_r":
        rscript = shutil.which("Rscript")
        if not rscript or subprocess.run([rscript, "-e", "library(hdf5r)"], capture_output=True).returncode != 0:
            print("Rscript with hdf5r not available: skipped")
            sys.exit(77)
        run("sweep", sweep, "-o", reference, "--quiet")
        doc = open(os.path.join(source, "docs", "results-format.md"), encoding="utf-8").read()
        blocks = re.findall(r"```r sweep\n(.*?)```", doc, re.S)
        assert blocks, "docs/results-format.md lost its R sweep example"
        code = blocks[0].replace('"output/sweep-budget.h5"', repr(reference).replace("'", '"'))
        code += """
stopifnot(identical(dim(funded), c(12L, 2L, 4L)))
stopifnot(identical(as.numeric(points[["instruments.jci.budget"]]), c(0, 2e6, 4e6, 6e6)))
stopifnot(nrow(summary) == 4)
cat("R example checked\\n")
"""
        script = os.path.join(work, "example.R")
        with open(script, "w") as f:
            f.write(code)
        result = subprocess.run([rscript, script], capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"the R example failed:\n{result.stdout}\n{result.stderr}")
        print(result.stdout.strip())

    else:
        sys.exit(f"unknown case {case}")
finally:
    shutil.rmtree(work, ignore_errors=True)
