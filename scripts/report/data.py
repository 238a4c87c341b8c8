"""Reading clusternet result files (docs/results-format.md) into plain numpy arrays.

A reader trusts nothing: a file that is not a finished clusternet result is refused with a
ValueError naming the file and what is wrong; optional parts (regions, partnerships, the final
network, calibration tables) are simply absent when the file lacks them.
"""
import datetime
import math
import os
import re

import h5py
import numpy as np


def _text(x):
    return x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x)


class Series:
    """One metric: values [replicate, month] (NaN = not measured), with its unit and description."""

    __slots__ = ("name", "values", "unit", "description", "group")

    def __init__(self, name, values, unit="", description="", group=""):
        self.name, self.values, self.unit, self.description, self.group = name, values, unit, description, group

    @property
    def measured(self):
        return bool(np.isfinite(self.values).any())


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
        for name in group:
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
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            raise ValueError(f"{path}: cannot open as HDF5 ({e})")
        try:
            with f:
                _check_structure(f, path)
                self._read(f)
        except (KeyError, TypeError, IndexError) as e:
            raise ValueError(f"{path}: not a readable clusternet result ({e})")

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
