#!/usr/bin/python3
"""Computes the real-data facts ClusterNet is calibrated on and validated against, from the CORDIS
Horizon 2020 extract (participations of organisations in projects), and writes the small derived
table shipped with the simulator (scenarios/data/calibration/h2020_facts.csv).

Usage: h2020_facts.py CORDIS_DIR OUT_CSV [--bootstrap B] [--seed S]
  CORDIS_DIR holds h2020.csv.gz and programme_parts.csv.gz (the project's shared data; CC BY 4.0,
  CORDIS via zambujo/eunets). The raw files are not shipped; this script and its output are.

What is computed (docs/calibration.md explains the choices):
- Collaborative projects only: a project with one participant creates no collaboration tie, and the
  model's projects have two members or more. A project belongs to the period of its start year.
- Two periods: 2014-2017 (the fit period) and 2018-2020 (held out: never used to fit).
- Two scopes: "autonomous" = every programme part (the whole collaboration network the model's
  autonomous projects stand for) and "funded" = the programme part "Innovation in SMEs" (the closest
  published counterpart of cluster-policy consortia that cascade support to SMEs).
- Participation-level facts (role fit in 2014-2017): project size quantiles, participations per
  organisation, repeated partnerships, cross-border projects, the mix of organisation types.
- Network facts on the co-participation graph of the period's collaborative projects (two
  organisations are tied when they share a project): local clustering, transitivity, degree
  assortativity, giant component share, mean shortest path (sampled), degree tail exponent, largest
  over mean degree. Never fitted (role validate).
- Direct fits (role fit): the project size distribution as a mixture of bilateral projects (size 2,
  probability `bilateral_share`) and 2 + a discretised lognormal (log-mean, log-sd) by maximum
  likelihood; project duration as a lognormal in months (moments of log duration).
- Resampling intervals (split-half bootstrap): the period's projects are split at random into two
  halves (B times, seeded); each fact is computed on both halves, and the 95% interval of the
  full-sample fact is value +- 1.96 * sd(half1 - half2) / 2 (for a root-n statistic the variance of
  a half sample is twice that of the full one, and the difference of two independent halves has
  twice that again). The plain bootstrap is not used because a project drawn twice doubles every
  participation and makes every pair of its members a "repeated" partnership: it biases exactly the
  facts that matter here. Network facts carry no interval (each needs a whole graph analysis).

Organisation types: HES higher education and REC research map to the model's research
organisations, PRC private companies to firms (SMEs and large firms), OTH "other" (associations,
cluster organisations, NGOs) to cluster organisations; PUB public bodies have no counterpart and are
left out of the type shares (their share is reported on its own).
"""
import argparse
import collections
import csv
import gzip
import math
import os
import random
import sys

import numpy as np

try:
    import igraph as ig
except ImportError:  # pragma: no cover - Debian python3-igraph is installed by scripts/setup.sh
    ig = None

PERIODS = {"2014-2017": {"2014", "2015", "2016", "2017"}, "2018-2020": {"2018", "2019", "2020"}}
FUNDED_PART = "Innovation in SMEs"


def load(cordis_dir):
    parts = {}
    with gzip.open(os.path.join(cordis_dir, "programme_parts.csv.gz"), "rt", newline="") as f:
        for row in csv.DictReader(f):
            parts[row["rcn"]] = row["programme_part"]
    projects = collections.defaultdict(list)
    with gzip.open(os.path.join(cordis_dir, "h2020.csv.gz"), "rt", newline="") as f:
        for row in csv.DictReader(f):
            projects[row["rcn"]].append(row)
    out = []
    for rcn, rows in projects.items():
        pics = sorted({r["pic"] for r in rows})
        if len(pics) < 2:
            continue
        first = rows[0]
        types = {}
        countries = {}
        for r in rows:
            types.setdefault(r["pic"], r["type"])
            countries.setdefault(r["pic"], r["country"])
        duration = first["duration"]
        out.append({
            "rcn": rcn, "part": parts.get(rcn, ""), "year": first["start_year"], "start": first["start_date"][:7],
            "pics": pics, "eu_members": sum(1 for r in rows if r["group"] in ("eu15", "eu13")) / len(rows),
            "types": [types[p] for p in pics], "countries": {countries[p] for p in pics},
            "duration": int(duration) if duration.isdigit() else None,
        })
    return out


class Sample:
    """Projects of one scope and period, with the arrays the facts need, so that a bootstrap
    replicate is a vector of project multiplicities and every fact a weighted count."""

    def __init__(self, projects):
        self.projects = projects
        self.size = np.array([len(p["pics"]) for p in projects])
        ids = {}
        member_project, member_org, member_type = [], [], []
        for i, p in enumerate(projects):
            for pic, t in zip(p["pics"], p["types"]):
                member_project.append(i)
                member_org.append(ids.setdefault(pic, len(ids)))
                member_type.append(t)
        self.orgs = len(ids)
        self.member_project = np.array(member_project)
        self.member_org = np.array(member_org)
        self.member_type = np.array(member_type)
        self.cross_border = np.array([len(p["countries"]) >= 2 for p in projects])
        # Every pair of co-members of a project, as (pair id, project): repeated partnerships are
        # pairs whose weighted project count reaches 2.
        pair_ids = {}
        pair_project, pair_a, pair_b = [], [], []
        for i, p in enumerate(projects):
            members = sorted(ids[pic] for pic in p["pics"])
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    key = members[x] * len(ids) + members[y]
                    if key not in pair_ids:
                        pair_ids[key] = len(pair_ids)
                        pair_a.append(members[x])
                        pair_b.append(members[y])
                    pair_project.append((pair_ids[key], i))
        arr = np.array(pair_project, dtype=np.int64).reshape(-1, 2)
        self.pair_of = arr[:, 0]
        self.pair_proj = arr[:, 1]
        self.pairs = len(pair_ids)
        self.pair_a = np.array(pair_a)
        self.pair_b = np.array(pair_b)

    def facts(self, weights):
        """Participation-level facts of the projects whose weight is 1 (all ones: the data; a 0/1
        vector: one half of a split)."""
        w = weights
        sizes = np.repeat(self.size, w)
        f = {}
        f["project_size_median"] = float(np.median(sizes))
        f["project_size_mean"] = float(sizes.mean())
        f["project_size_p90"] = float(np.percentile(sizes, 90))
        f["project_size_max"] = float(sizes.max())
        f["bilateral_project_share"] = float(np.mean(sizes == 2))
        f["cross_border_project_share"] = float(np.sum(w * self.cross_border) / w.sum())
        mw = w[self.member_project]
        count = np.bincount(self.member_org, weights=mw, minlength=self.orgs)
        active = count > 0
        f["participations_once_share"] = float(np.mean(count[active] == 1))
        f["participations_10plus_share"] = float(np.mean(count[active] >= 10))
        f["participations_mean"] = float(count[active].mean())
        types = collections.Counter()
        for t in ("HES", "REC", "PRC", "OTH", "PUB"):
            types[t] = float(np.sum(mw[self.member_type == t]))
        matched = types["HES"] + types["REC"] + types["PRC"] + types["OTH"]
        f["research_participation_share"] = (types["HES"] + types["REC"]) / matched
        f["firm_participation_share"] = types["PRC"] / matched
        f["other_participation_share"] = types["OTH"] / matched
        f["public_body_participation_share"] = types["PUB"] / (matched + types["PUB"])
        pw = np.bincount(self.pair_of, weights=w[self.pair_proj], minlength=self.pairs)
        live = pw > 0
        f["repeated_pair_share"] = float(np.mean(pw[live] >= 2))
        repeated = np.zeros(self.orgs, dtype=bool)
        repeated[self.pair_a[pw >= 2]] = True
        repeated[self.pair_b[pw >= 2]] = True
        tied = np.zeros(self.orgs, dtype=bool)
        tied[self.pair_a[live]] = True
        tied[self.pair_b[live]] = True
        f["orgs_without_repeated_partner_share"] = float(1.0 - repeated[tied].sum() / tied.sum())
        return f


def discrete_power_law_exponent(values, xmin=5):
    """Maximum-likelihood exponent of a discrete power law over values >= xmin (Clauset, Shalizi
    and Newman 2009, eq. 3.5), by golden-section search on the exact likelihood; the Hurwitz zeta
    function is summed to 10^5 with an integral tail."""
    x = np.asarray([v for v in values if v >= xmin], dtype=float)
    if len(x) < 2:
        return float("nan")
    log_sum = np.log(x).sum()
    k = np.arange(xmin, 100000, dtype=float)

    def nll(a):
        zeta = np.sum(k ** -a) + 100000.0 ** (1 - a) / (a - 1)
        return a * log_sum + len(x) * math.log(zeta)

    lo, hi = 1.01, 6.0
    for _ in range(80):
        m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        if nll(m1) < nll(m2):
            hi = m2
        else:
            lo = m1
    return (lo + hi) / 2


def network_facts(sample, seed):
    if ig is None:
        return {}
    g = ig.Graph(n=sample.orgs, edges=list(zip(sample.pair_a.tolist(), sample.pair_b.tolist())))
    g.delete_vertices([v for v, d in enumerate(g.degree()) if d == 0])
    d = np.array(g.degree())
    comps = g.components()
    giant = comps.giant()
    rng = random.Random(seed)
    sources = rng.sample(range(giant.vcount()), min(200, giant.vcount()))
    dist = np.array(giant.distances(source=sources), dtype=float)
    return {
        "mean_local_clustering": g.transitivity_avglocal_undirected(mode="zero"),
        "transitivity": g.transitivity_undirected(),
        "degree_assortativity": g.assortativity_degree(directed=False),
        "giant_component_share": max(comps.sizes()) / g.vcount(),
        "mean_path_length": float(dist[dist > 0].mean()),
        "degree_tail_exponent": discrete_power_law_exponent(d, 5),
        "max_over_mean_degree": float(d.max() / d.mean()),
        "mean_degree": float(d.mean()),
    }


def size_mixture_fit(sizes):
    """Bilateral share and the discretised lognormal of (size - 2) for sizes >= 3, by maximum
    likelihood on a grid refined twice (the likelihood is smooth and unimodal in both)."""
    sizes = np.asarray(sizes)
    bilateral = float(np.mean(sizes == 2))
    k = sizes[sizes >= 3] - 2
    counts = np.bincount(k, minlength=401)[1:401]
    ks = np.arange(1, 401, dtype=float)
    erf = np.vectorize(math.erf)

    def loglik(mu, sd):
        upper = 0.5 * (1 + erf((np.log(ks + 0.5) - mu) / (sd * math.sqrt(2))))
        lower = 0.5 * (1 + erf((np.log(np.maximum(ks - 0.5, 1e-300)) - mu) / (sd * math.sqrt(2))))
        lower[0] = 0.0
        p = np.maximum(upper - lower, 1e-300)
        p /= p.sum()
        return float(np.sum(counts * np.log(p)))

    mu0, sd0, step = 1.5, 1.0, 0.5
    for _ in range(4):
        grid = [(loglik(m, s), m, s) for m in np.arange(mu0 - 4 * step, mu0 + 4 * step + 1e-9, step)
                for s in np.arange(max(0.05, sd0 - 4 * step / 2), sd0 + 4 * step / 2 + 1e-9, step / 2)]
        _, mu0, sd0 = max(grid)
        step /= 4
    return bilateral, mu0, sd0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cordis_dir")
    ap.add_argument("out_csv")
    ap.add_argument("--bootstrap", type=int, default=200, help="random half splits")
    ap.add_argument("--seed", type=int, default=20141)
    args = ap.parse_args()
    projects = load(args.cordis_dir)
    rows = []

    def add(fact, scope, period, value, low, high, n, role, definition):
        rows.append([fact, scope, period, f"{value:.6g}", "" if low is None else f"{low:.6g}",
                     "" if high is None else f"{high:.6g}", n, role, definition])

    for scope in ("autonomous", "funded"):
        for period, years in PERIODS.items():
            chosen = [p for p in projects if p["year"] in years and (scope == "autonomous" or p["part"] == FUNDED_PART)]
            sample = Sample(chosen)
            point = sample.facts(np.ones(len(chosen), dtype=np.int64))
            rng = np.random.default_rng(args.seed)
            differences = collections.defaultdict(list)
            for _ in range(args.bootstrap):
                half = np.zeros(len(chosen), dtype=np.int64)
                half[rng.permutation(len(chosen))[: len(chosen) // 2]] = 1
                first, second = sample.facts(half), sample.facts(1 - half)
                for k in first:
                    differences[k].append(first[k] - second[k])
            role = "fit" if period == "2014-2017" else "validate"
            for k, v in point.items():
                half_width = 1.96 * float(np.std(differences[k], ddof=1)) / 2
                add(k, scope, period, v, v - half_width, v + half_width, len(chosen), role,
                    "participation-level, collaborative projects")
            if scope == "autonomous":
                for k, v in network_facts(sample, args.seed).items():
                    add(k, scope, period, v, None, None, len(chosen), "validate", "co-participation graph of the period")
            # Volume: collaborative projects per month with a start, weighted by the share of their
            # participants from EU member states (EU15 incl. the UK, and EU13): the model's world is
            # the EU's, so this is the anchor of its project rate at scale 1.
            months = len({p["start"] for p in chosen})
            add("eu_projects_per_month", scope, period, sum(p["eu_members"] for p in chosen) / months, None, None,
                len(chosen), "fit" if period == "2014-2017" else "validate",
                f"EU share of collaborative projects per month ({months} months with a start)")
            sizes = sample.size
            bilateral, mu, sd = size_mixture_fit(sizes)
            add("size_bilateral_share", scope, period, bilateral, None, None, len(chosen), "fit-direct",
                "P(size = 2); else size = 2 + round(lognormal)")
            add("size_log_mean", scope, period, mu, None, None, len(chosen), "fit-direct", "log-mean of (size - 2) given size >= 3 (MLE)")
            add("size_log_sd", scope, period, sd, None, None, len(chosen), "fit-direct", "log-sd of (size - 2) given size >= 3 (MLE)")
            durations = np.array([p["duration"] for p in chosen if p["duration"]], dtype=float)
            add("duration_log_mean", scope, period, float(np.log(durations).mean()), None, None, len(durations),
                "fit-direct", "mean of log duration in months")
            add("duration_log_sd", scope, period, float(np.log(durations).std()), None, None, len(durations),
                "fit-direct", "sd of log duration in months")
            print(f"{scope} {period}: {len(chosen)} projects, {sample.orgs} organisations", file=sys.stderr)

    with open(args.out_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["fact", "scope", "period", "value", "ci_low", "ci_high", "n_projects", "role", "definition"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
