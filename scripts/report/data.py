"""Reading clusternet result and sweep files (docs/results-format.md) into plain numpy arrays.

A reader trusts nothing: a file that is not a finished clusternet result is refused with a
ValueError naming the file and what is wrong; optional parts (regions, partnerships, the final
network, calibration tables) are simply absent when the file lacks them.
"""
import datetime
import json
import math
import os
import re
import resource
import shutil
import signal
import subprocess

import h5py
import numpy as np

from . import stats as _stats


def _text(x):
    return x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x)


# What h5py raises for a file that is not what it claims (besides OSError when opening).
READ_ERRORS = (KeyError, TypeError, IndexError, RuntimeError, OSError)


def _limit_memory(path):
    """In the reading child: at most 1 GiB plus 64 bytes per byte of file beyond what is in use, so
    that a size forged in the file's metadata ends in a MemoryError, not in gigabytes (HDF5 fills
    buffers of declared sizes before any check can see them)."""
    try:
        with open("/proc/self/statm") as f:
            data_pages = int(f.read().split()[5])
        budget = data_pages * os.sysconf("SC_PAGE_SIZE") + (1 << 30) + 64 * os.path.getsize(path)
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if soft == resource.RLIM_INFINITY or soft > budget:
            resource.setrlimit(resource.RLIMIT_DATA, (budget, hard))
        # And CPU time, as the clusternet readers: 10 s plus 1 s per 4 MB (a forged count of strings
        # made HDF5 read one heap object for minutes).
        seconds = 10 + os.path.getsize(path) // (4 << 20)
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if (soft == resource.RLIM_INFINITY or soft > seconds) and (hard == resource.RLIM_INFINITY or hard >= seconds):
            resource.setrlimit(resource.RLIMIT_CPU, (seconds, hard))
    except (OSError, ValueError, IndexError):
        pass


def _isolated(path, read):
    """Runs read() in a forked child first, as the clusternet readers do: a forged file can crash
    the HDF5 library itself (not only raise), and the report must then say the file is damaged
    rather than die. Returns when the child succeeded; the caller then reads the file itself.
    Raises ValueError with the child's message, or naming the signal that killed it."""
    if not hasattr(os, "fork"):
        return
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer with an exit status and a message, never return
        os.close(r)
        code, message = 0, b""
        try:
            _limit_memory(path)
            read()
        except BaseException as e:  # noqa: B902 - every failure is the child's answer
            code, message = 2, str(e).encode("utf-8", "replace")[:60000]
        try:
            os.write(w, message)
        finally:
            os._exit(code)
    os.close(w)
    chunks = []
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    message = b"".join(chunks).decode("utf-8", "replace")
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        raise ValueError(f"{path}: reading it took far longer than a file of its size can need (stopped by its "
                         "time or memory limit): the file is damaged or forged")
    if os.WIFSIGNALED(status):
        raise ValueError(f"{path}: the HDF5 library crashed reading it (signal {os.WTERMSIG(status)}): the file "
                         "is damaged or forged")
    if os.WEXITSTATUS(status) != 0:
        raise ValueError(message if message.startswith(path) else f"{path}: {message}")


class Series:
    """One metric: values [replicate, month] (NaN = not measured), with its unit and description."""

    __slots__ = ("name", "values", "unit", "description", "group")

    def __init__(self, name, values, unit="", description="", group=""):
        self.name, self.values, self.unit, self.description, self.group = name, values, unit, description, group

    @property
    def measured(self):
        return bool(np.isfinite(self.values).any())


def _member_names(group, where):
    """A group's member names, read in HDF5's native order. Name order (what iterating an h5py
    group does) makes HDF5 1.10 first copy a dense group's links into a table sized by the count the
    group declares, and it crashes freeing that table when a forged group holds fewer links than it
    declares; so the names are listed natively and their count checked before any name-ordered
    iteration happens."""
    names = []
    declared = group.id.get_num_objs()
    if declared > 1_000_000:
        raise ValueError(f"{where}: declares {declared} links, more than any result")
    try:
        group.id.links.iterate(lambda name: names.append(name.decode("utf-8", "replace")) and None,
                               order=h5py.h5.ITER_NATIVE)
    except Exception as e:  # h5py raises a bare RuntimeError or KeyError for damaged link storage
        raise ValueError(f"{where}: its links cannot be read (a damaged or forged file)") from e
    if len(names) != declared:
        raise ValueError(f"{where}: declares {declared} links but holds {len(names)} (a damaged or forged file)")
    return sorted(names)


def _load_checked(path, read, kind):
    """Opens `path`, checks its structure and gives the open file to read(f): first in a child
    process (_isolated), then here. Anything h5py raises becomes ValueError naming the file."""
    def load():
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            raise ValueError(f"{path}: cannot open as HDF5 ({e})")
        try:
            with f:
                _check_structure(f, path)
                read(f)
        except READ_ERRORS as e:
            raise ValueError(f"{path}: not a readable clusternet {kind} ({e})")
    _isolated(path, load)
    load()


def _check_structure(f, path):
    """Refuses what no result file holds before anything reads it, as the clusternet readers do:
    soft and external links (an external link to the file itself is followed for ever), an object
    linked twice (a cycle of groups), deep nesting, and datasets declaring more values than their
    stored bytes can hold (a small file declaring gigabytes)."""
    seen = {h5py.h5o.get_info(f.id).addr}
    stack = [("", f, 0)]
    links = 0
    while stack:
        prefix, group, depth = stack.pop()
        for name in _member_names(group, f"{path}: {prefix or '/'}"):
            where = f"{prefix}/{name}"
            links += 1
            if links > 1_000_000 or depth > 16:
                raise ValueError(f"{path}: {where}: more links or deeper groups than any result")
            link = group.get(name, getlink=True)
            if not isinstance(link, h5py.HardLink):
                raise ValueError(f"{path}: {where} is a {type(link).__name__}; a result holds only its own "
                                 f"groups and datasets")
            obj = group[name]
            addr = h5py.h5o.get_info(obj.id).addr
            if addr in seen:
                raise ValueError(f"{path}: {where} links to an object already linked elsewhere (a cycle of groups?)")
            seen.add(addr)
            if isinstance(obj, h5py.Group):
                stack.append((where, obj, depth + 1))
            elif isinstance(obj, h5py.Dataset) and obj.dtype.itemsize * obj.size > 1 << 16:
                stored = obj.id.get_storage_size()
                # Deflate shrinks at most about 1000:1; unfiltered data takes its full size.
                limit = stored * (2100 if obj.compression or obj.shuffle else 2) + (1 << 16)
                if obj.dtype.itemsize * obj.size > limit:
                    raise ValueError(f"{path}: {where} declares {obj.shape} values but stores {stored} bytes "
                                     f"(a damaged or forged file)")


class Result:
    """Everything the report needs from one result file, read once and closed."""

    def __init__(self, path):
        self.path = path
        if path.endswith(".partial"):
            raise ValueError(f"{path}: a .partial file is an unfinished run, not a result")
        if not os.path.isfile(path):
            raise ValueError(f"{path}: no such file")
        _load_checked(path, self._read, "result")

    def _read(self, f):
        path = self.path
        if f.attrs.get("format") != "clusternet-results":
            raise ValueError(f"{path}: not a clusternet result (root attribute format is not 'clusternet-results')")
        if f.attrs.get("complete") != 1:
            raise ValueError(f"{path}: incomplete result (the run did not finish)")
        attrs = f.attrs
        self.scenario = _text(attrs["scenario_name"])
        self.seed = int(attrs["seed"])
        self.replicates = int(attrs["replicates"])
        if not 1 <= self.replicates <= 10000:  # the scenario schema's range
            raise ValueError(f"{path}: replicates = {self.replicates}, outside 1..10000")
        self.version = _text(attrs.get("clusternet_version", ""))
        self.git_revision = _text(attrs.get("git_revision", ""))
        self.created_utc = _text(attrs.get("created_utc", ""))
        self.threads = int(attrs.get("threads", 0))
        self.months = f["time/month"][()].astype(int) if "time/month" in f else None
        self.dates = [_text(d) for d in f["time/date"][()]]
        self.datetimes = [parse_month(d, path) for d in self.dates]
        if self.months is None:
            self.months = np.arange(len(self.dates))
        self.description = ""
        if "scenario/resolved_yaml" in f:
            # Only the top-level description line is needed; a regular expression avoids making
            # PyYAML a dependency of the report.
            m = re.search(r"^description:\s*(.+)$", _text(f["scenario/resolved_yaml"][()]), re.M)
            if m:
                self.description = m.group(1).strip().strip("'\"")

        self.metrics = {}
        for group in f.get("metrics", {}):
            for name, ds in f["metrics"][group].items():
                values = np.asarray(ds[()], dtype=float)
                if values.ndim != 2 or values.shape[1] != len(self.dates):
                    raise ValueError(f"{path}: /metrics/{group}/{name} has shape {values.shape}, expected "
                                     f"[replicates, {len(self.dates)}]")
                self.metrics[name] = Series(name, values, _text(ds.attrs.get("unit", "")),
                                            _text(ds.attrs.get("description", "")), group)
        self._derive()

        self.regions = None
        self.region_series = {}
        if "regions/table" in f:
            t = f["regions/table"][()]
            names = t.dtype.names or ()
            self.regions = {c: ([_text(x) for x in t[c]] if t.dtype[c].kind in "OSU" else np.asarray(t[c], dtype=float))
                            for c in names}
            g = len(t)
            for name, ds in f["regions"].items():
                if name == "table" or not isinstance(ds, h5py.Dataset):
                    continue
                values = np.asarray(ds[()], dtype=float)
                if values.ndim == 3 and values.shape[2] == g and values.shape[1] == len(self.dates):
                    self.region_series[name] = Series(name, values, _text(ds.attrs.get("unit", "")),
                                                      _text(ds.attrs.get("description", "")), "regions")

        self.partnerships = []      # per replicate: structured array, or absent
        self.node_region = []       # per replicate: {organisation id: region row} for organisations in the final network
        for k in range(self.replicates):
            key = f"partnerships/rep_{k}"
            self.partnerships.append(f[key][()] if key in f else None)
            key = f"network/final/rep_{k}/nodes"
            if key in f:
                nodes = f[key][()]
                if nodes.dtype.names and "id" in nodes.dtype.names and "region" in nodes.dtype.names:
                    self.node_region.append(dict(zip(nodes["id"].tolist(), nodes["region"].tolist())))
                    continue
            self.node_region.append(None)

        self.histogram = None
        if "tables/degree_histogram/rep_0" in f:
            ds = f["tables/degree_histogram/rep_0"]
            if ds.shape[0] > 0:
                row = ds[-1]
                # A wrong row_length would silently cut or pad the histogram: refused, as by clusternet.
                lengths = np.asarray(ds.attrs.get("row_length", []), dtype=np.int64)
                if lengths.shape != (ds.shape[0],) or lengths.min() < 0 or lengths.max() > ds.shape[1]:
                    raise ValueError(f"{path}: /tables/degree_histogram/rep_0 has a row_length attribute that is "
                                     f"missing or does not give one length within the columns per row")
                row = row[: int(lengths[-1])]
                self.histogram = np.asarray(row, dtype=float)
        key = "network/final/rep_0/edges"
        self.edges = f[key][()] if key in f else None

        # Calibration tables: shown column by column whatever they hold (the format is open).
        self.calibration = {}
        if "calibration" in f and isinstance(f["calibration"], h5py.Group):
            for name, ds in f["calibration"].items():
                if isinstance(ds, h5py.Dataset):
                    self.calibration[name] = (ds[()], _text(ds.attrs.get("description", "")))
        self.notes = [_text(n) for n in f["provenance/notes"][()]] if "provenance/notes" in f else []

    def _derive(self):
        """Counts the file holds only as a share: the number of interregional ties.

        interregional_tie_share is over ties whose two regions are known, which in the engine is
        every tie, so ties x share is the count of ties between organisations of different regions."""
        ties, share = self.metrics.get("ties"), self.metrics.get("interregional_tie_share")
        if ties is not None and share is not None and "interregional_ties" not in self.metrics:
            self.metrics["interregional_ties"] = Series(
                "interregional_ties", ties.values * share.values, "ties",
                "Ties between organisations of different regions (ties x interregional_tie_share)", "derived")

    @property
    def label(self):
        return self.scenario

    def final(self, name):
        """(values per replicate, month index) at the last month where the metric has any value."""
        arr = self.metrics[name].values
        for m in range(arr.shape[1] - 1, -1, -1):
            if np.isfinite(arr[:, m]).any():
                return arr[:, m], m
        return arr[:, -1], arr.shape[1] - 1

    def funding_by_region(self):
        """Grants per replicate and region [R, G], split equally among each partnership's members
        (the engine's own attribution), and the share of the grant money that could not be placed.

        Members are placed through the final network's node table, which lists every organisation
        (older files: only those with a tie at the end; a member without one cannot be placed there
        and its part is counted as unplaced rather than guessed). Returns (None, nan) when the file lacks the tables."""
        if self.regions is None or not self.partnerships or any(p is None for p in self.partnerships) \
                or any(n is None for n in self.node_region):
            return None, float("nan")
        g = len(self.regions["nuts_id"])
        out = np.zeros((self.replicates, g))
        placed_total = granted_total = 0.0
        for k, (table, where) in enumerate(zip(self.partnerships, self.node_region)):
            if table.dtype.names is None or "members" not in table.dtype.names or "grant_eur" not in table.dtype.names:
                return None, float("nan")
            for members, grant in zip(table["members"], table["grant_eur"]):
                ids = [int(x) for x in _text(members).split(";") if x.strip()]
                if not ids or not math.isfinite(grant):
                    continue
                share = float(grant) / len(ids)
                granted_total += float(grant)
                for i in ids:
                    r = where.get(i)
                    if r is not None and 0 <= r < g:
                        out[k, r] += share
                        placed_total += share
        unplaced = 1.0 - placed_total / granted_total if granted_total > 0 else 0.0
        return out, unplaced


def parse_month(text, path=""):
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"{path}: /time/date value {text!r} is not YYYY-MM")
    return datetime.date(int(m.group(1)), int(m.group(2)), 1)


def paired(a, b):
    """Common random numbers: the same seed and replicate count make replicate k of both runs share
    every random draw but the policy's, so differences are taken replicate by replicate."""
    return a.seed == b.seed and a.replicates == b.replicates


def common_months(a, b):
    """Indices into a and into b of the months both record (matched by calendar date)."""
    where = {d: i for i, d in enumerate(b.dates)}
    ia, ib = [], []
    for i, d in enumerate(a.dates):
        j = where.get(d)
        if j is not None:
            ia.append(i)
            ib.append(j)
    return np.array(ia, dtype=int), np.array(ib, dtype=int)


# ---- sweep files -------------------------------------------------------------------------------

RUN_FORMAT = "clusternet-results"
SWEEP_FORMAT = "clusternet-sweep"


def file_format(path):
    """The root attribute `format` of an HDF5 file ('clusternet-results', 'clusternet-sweep', ...).

    Raises ValueError for a path that is not a finished, readable HDF5 file."""
    if path.endswith(".partial"):
        raise ValueError(f"{path}: a .partial file is an unfinished run, not a result")
    if not os.path.isfile(path):
        raise ValueError(f"{path}: no such file")
    def read():
        try:
            with h5py.File(path, "r") as f:
                return _text(f.attrs.get("format", ""))
        except OSError as e:
            raise ValueError(f"{path}: cannot open as HDF5 ({e})")
        except READ_ERRORS as e:
            raise ValueError(f"{path}: not a readable clusternet file ({e})")
    _isolated(path, read)
    return read()


def open_result(path, clusternet_finder, sweep_outcomes):
    """A Result for a run file, a SweepResult for a sweep file; ValueError for anything else.

    clusternet_finder() gives the clusternet program (only called for a sweep file, whose
    estimates come from `clusternet sweep-report --json`)."""
    kind = file_format(path)
    if kind == SWEEP_FORMAT:
        return SweepResult(path, clusternet_finder(), sweep_outcomes)
    return Result(path)


def find_clusternet(explicit=None):
    """The clusternet program: `explicit` if given, else the build tree's (scripts/../build, or
    $CLUSTERNET_BUILD_DIR as the scripts use it), else the installed one beside this script
    (P/share/clusternet/scripts -> P/bin), else `clusternet` on PATH. Raises ValueError if none."""
    if explicit:
        if os.path.isfile(explicit) and os.access(explicit, os.X_OK):
            return explicit
        raise ValueError(f"--clusternet {explicit}: not an executable file")
    scripts = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    root = os.path.dirname(scripts)
    build = os.environ.get("CLUSTERNET_BUILD_DIR", "build")
    candidates = [os.path.join(build if os.path.isabs(build) else os.path.join(root, build), "bin", "clusternet"),
                  os.path.normpath(os.path.join(scripts, "..", "..", "..", "bin", "clusternet"))]
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    found = shutil.which("clusternet")
    if found:
        return found
    raise ValueError("a sweep file needs the clusternet program to compute its estimates (clusternet sweep-report "
                     "--json); none found in " + ", ".join(candidates) + " or on PATH: build it "
                     "(scripts/build.sh) or give --clusternet PATH")


def _estimate(d, value="diff", low="ci95_low", high="ci95_high", n="n"):
    """An Estimate from one of sweep-report's JSON objects (null: NaN)."""
    if d is None:
        return None

    def num(key):
        x = d.get(key)
        return float("nan") if x is None else float(x)
    return _stats.Estimate(num(value), num(low), num(high), int(d.get(n) or 0))


class SweepStep:
    """The marginal effect of one grid step: the paired difference between two neighbouring points
    divided by their distance along `axis` over `per` (1e6 for money: per million EUR)."""

    __slots__ = ("axis", "from_point", "effect", "per")

    def __init__(self, axis, from_point, effect, per):
        self.axis, self.from_point, self.effect, self.per = axis, from_point, effect, per


class SweepIndices:
    """Sensitivity indices of one outcome: method 'morris' or 'sobol'; target 'level' or, with a
    contrast, 'arm A - arm 0'; rows as sweep-report gives them (parameter, mu, mu_star with its
    interval, sigma; or first and total with theirs); problem: why there are none."""

    __slots__ = ("target", "method", "problem", "rows")

    def __init__(self, target, method, problem, rows):
        self.target, self.method, self.problem, self.rows = target, method, problem, rows


class SweepOutcome:
    """One outcome of a sweep at its final recorded month, as `clusternet sweep-report --json`
    computes it: per point the mean with its 95% interval, the paired difference to point 0 (and
    to arm 0 with a contrast), the marginal effects of the grid steps into it; the indices."""

    def __init__(self, d):
        self.name, self.group, self.unit = d["name"], d["group"], d.get("unit", "")
        self.month, self.date = int(d["month"]), d["date"]
        pts = d["points"]
        self.mean = [_estimate(p, "mean") for p in pts]
        self.vs_point0 = [_estimate(p["vs_point0"]) for p in pts]
        self.vs_arm0 = [_estimate(p.get("vs_arm0")) for p in pts]
        # A step's effect is a paired difference over the replicates both points measured: the
        # count of its target point's pairs with point 0 (sweep-report gives no count per step).
        self.steps = [[SweepStep(s["axis"], int(s["from_point"]), _estimate(s, "effect"), float(s["per"] or 1.0))
                       for s in p.get("steps", [])] for p in pts]
        for p, steps in zip(pts, self.steps):
            for st in steps:
                st.effect.n = int((p.get("vs_point0") or {}).get("n") or 0)
        self.indices = [SweepIndices(s["target"], s["method"], s.get("problem"), s.get("parameters", []))
                        for s in d.get("indices", [])]


class SweepResult:
    """A sweep file (docs/results-format.md, "Sweep files"): what it describes is read here, every
    estimate comes from `clusternet sweep-report --json`, so the report and the command line say
    the same (the estimators live in sim/experiments and are not repeated in Python)."""

    kind = "sweep"

    # Metrics compared bit for bit with a run file to find the point that run is (same scenario,
    # seed and replicates give the same numbers: common random numbers).
    FINGERPRINT = ("budget_committed_eur", "partnerships_funded", "ties", "smes_supported")

    def __init__(self, path, clusternet, outcomes):
        self.path = path
        _load_checked(path, self._read, "sweep")
        wanted = [n for n in outcomes if n in self.metric_names]
        self.outcomes = {}
        self.report = {}
        if wanted:
            self.report = _sweep_report(clusternet, path, wanted)
            for d in self.report.get("outcomes", []):
                # A name in two groups appears twice; the first (the policy group) is kept.
                self.outcomes.setdefault(d["name"], SweepOutcome(d))
            if int(self.report.get("points", -1)) != self.points:
                raise ValueError(f"{path}: sweep-report gives {self.report.get('points')} points, the file {self.points}")

    def _read(self, f):
        path = self.path
        if _text(f.attrs.get("format", "")) != SWEEP_FORMAT:
            raise ValueError(f"{path}: not a clusternet sweep (root attribute format is not '{SWEEP_FORMAT}')")
        if f.attrs.get("complete") != 1:
            raise ValueError(f"{path}: incomplete sweep (it did not finish; run the same command again to resume)")
        attrs = f.attrs
        self.scenario = _text(attrs["scenario_name"])
        self.description = _text(attrs.get("description", ""))
        self.design = _text(attrs["design"])
        self.seed = int(attrs["seed"])
        self.replicates = int(attrs["replicates"])
        self.points = int(attrs["points"])
        if not 1 <= self.replicates <= 10000 or not 1 <= self.points <= 10_000_000:
            raise ValueError(f"{path}: {self.points} points x {self.replicates} replicates is outside what a sweep holds")
        self.version = _text(attrs.get("clusternet_version", ""))
        self.git_revision = _text(attrs.get("git_revision", ""))
        self.created_utc = ""        # sweep files hold no time stamp (reproducible bytes)
        self.dates = [_text(d) for d in f["time/date"][()]]
        self.datetimes = [parse_month(d, path) for d in self.dates]
        table = f["sweep/parameters"][()]
        self.parameters = []
        for row in table:
            self.parameters.append({"key": _text(row["key"]), "kind": _text(row["kind"]), "unit": _text(row["unit"]),
                                    "role": _text(row["role"]), "scale": _text(row["scale"]),
                                    "low": float(row["low"]), "high": float(row["high"])})
        pts = f["sweep/points"][()]
        if len(pts) != self.points:
            raise ValueError(f"{path}: /sweep/points has {len(pts)} rows, the file says {self.points} points")
        self.point_values = {p["key"]: np.asarray(pts[p["key"]], dtype=float) for p in self.parameters}
        names = pts.dtype.names or ()
        self.arm = np.asarray(pts["arm"], dtype=int) if "arm" in names else np.zeros(self.points, dtype=int)
        self.arms = int(f["sweep/design"].attrs.get("arms", 1)) if "sweep/design" in f else 1
        self.metric_names = set()
        self._fingerprint = {}
        for group in f.get("metrics", {}):
            for name, ds in f["metrics"][group].items():
                self.metric_names.add(name)
                if name in self.FINGERPRINT and name not in self._fingerprint and ds.ndim == 3 \
                        and ds.shape[:2] == (self.points, self.replicates):
                    self._fingerprint[name] = ds[()]
        self.notes = [_text(n) for n in f["provenance/notes"][()]] if "provenance/notes" in f else []

    @property
    def design_parameters(self):
        return [p for p in self.parameters if p["role"] != "contrast"]

    @property
    def contrast(self):
        return next((p for p in self.parameters if p["role"] == "contrast"), None)

    @property
    def is_response(self):
        """A grid along one key without a contrast: a response curve (a budget curve when money)."""
        return self.design == "grid" and len(self.design_parameters) == 1 and self.arms == 1

    def point_of(self, run):
        """The point whose every replicate equals the run file's in every metric both files hold
        (the run is that point's scenario with the same seed and replicates), or None. A few
        metrics kept in memory find the candidate; the others are then read for that point only."""
        if not isinstance(run, Result) or run.seed != self.seed or run.replicates != self.replicates \
                or run.dates != self.dates:
            return None
        names = [n for n in self._fingerprint if n in run.metrics]
        if not names:
            return None
        for p in range(self.points):
            if all(np.array_equal(self._fingerprint[n][p], run.metrics[n].values, equal_nan=True) for n in names) \
                    and self._equal_at(p, run):
                return p
        return None

    def _equal_at(self, point, run):
        try:
            with h5py.File(self.path, "r") as f:
                for group in f["metrics"]:
                    for name, ds in f["metrics"][group].items():
                        if name in run.metrics and run.metrics[name].group == group and ds.ndim == 3:
                            if not np.array_equal(ds[point], run.metrics[name].values, equal_nan=True):
                                return False
        except (OSError, KeyError) as e:
            raise ValueError(f"{self.path}: cannot read its metrics again ({e})")
        return True


def _sweep_report(clusternet, path, outcomes):
    args = [clusternet, "sweep-report", path, "--json"]
    for name in outcomes:
        args += ["--outcome", name]
    try:
        p = subprocess.run(args, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ValueError(f"{path}: {clusternet} sweep-report could not run ({e})")
    if p.returncode != 0:
        raise ValueError(f"{path}: clusternet sweep-report failed (exit {p.returncode}): {p.stderr.strip()}")
    try:
        return json.loads(p.stdout)
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: clusternet sweep-report --json printed no valid JSON ({e})")
