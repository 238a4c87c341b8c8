"""Reference values of clusternet's scalar network metrics, computed independently of clusternet.

Used by verify_against_networkx_igraph.py (the differential harness) and by the Horizon 2020
regression data (data/make_h2020_data.py). Three kinds of reference:
  - exact: Python integers and fractions (counts, shares, Gini, degree assortativity, modularity of
    a given partition, region degree and strength), so the reference has no rounding at all until
    the final conversion to float;
  - python-igraph: components, k-cores, local clustering, and the all-pairs hop distances (integers;
    only the final mean and percentile are floating point);
  - NetworkX: weighted betweenness of the region graph (its Dijkstra compares path lengths exactly,
    as clusternet's does).

The graph handed in is the simplified one (what CsrGraph keeps): `edges` maps each tie (u, v) with
u < v to its weight (an exact Fraction or int), vertices are 0..n-1, and a vertex without a tie is
an isolated (inactive) organisation. Definitions follow docs/metrics.md, including where they differ
from igraph's and NetworkX's defaults (each such place is marked "differs:").
"""
from fractions import Fraction

NAN = float("nan")
KIND_GROUPS = ("sme", "large_firm", "research", "cluster")
KIND_GROUP_OF = {"sme_micro": 0, "sme_small": 0, "sme_medium": 0, "sme": 0, "large_firm": 1, "research": 2,
                 "cluster": 3}
COHESION = ("less_developed", "transition", "more_developed")


def simplify(rows):
    """(u, v, weight) rows -> {(min, max): exact summed weight}: self-loops dropped, repeats merged.
    Integer weights stay Python integers (fast); floats become exact Fractions."""
    edges = {}
    for u, v, w in rows:
        if u == v:
            continue
        key = (u, v) if u < v else (v, u)
        edges[key] = edges.get(key, 0) + (w if isinstance(w, int) else Fraction(w))
    return edges


def degrees(n, edges):
    d = [0] * n
    for u, v in edges:
        d[u] += 1
        d[v] += 1
    return d


def f(x):
    """Fraction (or int) -> float, None -> NaN."""
    return NAN if x is None else float(x)


def degree_scalars(n, edges):
    d = degrees(n, edges)
    active = sorted(x for x in d if x > 0)
    a, m = len(active), len(edges)
    out = {"organisations_active": a, "ties": m, "max_degree": max(d, default=0)}
    out["mean_degree"] = f(Fraction(2 * m, a)) if a else NAN
    if a:
        # G = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n over the sorted degrees, exactly.
        ranked = sum((i + 1) * x for i, x in enumerate(active))
        out["degree_gini"] = f(Fraction(2 * ranked, a * sum(active)) - Fraction(a + 1, a))
    else:
        out["degree_gini"] = NAN
    # Newman's r in the symmetric form, every tie counted from both ends, with integer sums:
    # r = (S sum d_u d_v - (sum d^2)^2) / (S sum d^3 - (sum d^2)^2), S = 2m slots.
    slots = 2 * m
    j = sum(x * x for x in d)
    jj = sum(x ** 3 for x in d)
    jk = sum(2 * d[u] * d[v] for u, v in edges)
    den = slots * jj - j * j
    out["degree_assortativity"] = f(Fraction(slots * jk - j * j, den)) if slots and den > 0 else NAN
    return out


def attribute_scalars(edges, attributes, renewals=None):
    """Tie shares. attributes: dict of per-vertex lists ('region', 'country', 'area', 'kind'), None =
    unknown; a missing key = the column is absent (share NaN). renewals: {tie: count} or None."""
    out = {}

    def share(key, name):
        values = attributes.get(key)
        if values is None:
            out[name] = NAN
            return
        known = [(values[u], values[v]) for u, v in edges if values[u] is not None and values[v] is not None]
        out[name] = f(Fraction(sum(a != b for a, b in known), len(known))) if known else NAN

    share("region", "interregional_tie_share")
    share("country", "cross_border_tie_share")
    share("area", "cross_sectoral_tie_share")
    if renewals is None:
        out["repeated_tie_share"] = NAN
    else:
        out["repeated_tie_share"] = f(Fraction(sum(renewals[e] > 0 for e in edges), len(edges))) if edges else NAN
    pair_names = [f"tie_share_{KIND_GROUPS[a]}_{KIND_GROUPS[b]}" for a in range(4) for b in range(a, 4)]
    kinds = attributes.get("kind")
    counts = {name: 0 for name in pair_names}
    known = 0
    if kinds is not None:
        for u, v in edges:
            if kinds[u] is None or kinds[v] is None:
                continue
            a, b = sorted((KIND_GROUP_OF[kinds[u]], KIND_GROUP_OF[kinds[v]]))
            counts[f"tie_share_{KIND_GROUPS[a]}_{KIND_GROUPS[b]}"] += 1
            known += 1
    for name in pair_names:
        out[name] = f(Fraction(counts[name], known)) if known else NAN
    return out


def region_graph(edges, region, region_count):
    """Interregional ties per region pair: {(a, b): count} with a < b."""
    ties = {}
    for u, v in edges:
        a, b = region[u], region[v]
        if a is None or b is None or a == b:
            continue
        key = (a, b) if a < b else (b, a)
        ties[key] = ties.get(key, 0) + 1
    return ties


def region_scalars(edges, region, region_count, category, with_betweenness=True):
    """Region degree, strength and betweenness (per region) and their means by cohesion category.
    category: per region an index into COHESION or None; None for the whole list = no column."""
    ties = region_graph(edges, region, region_count)
    degree = [0] * region_count
    strength = [0] * region_count
    for (a, b), c in ties.items():
        degree[a] += 1
        degree[b] += 1
        strength[a] += c
        strength[b] += c
    betweenness = region_betweenness(ties, region_count) if with_betweenness else None
    out = {"region_degree": degree, "region_strength": strength, "region_betweenness": betweenness}
    names = ("region_degree_mean", "region_strength_mean", "region_betweenness_mean")
    for name in names:
        for c in COHESION:
            out[f"{name}_{c}"] = NAN
    out["convergence_gap"] = NAN
    if category is None:
        return out
    members = [[r for r in range(region_count) if category[r] == c] for c in range(3)]
    for c in range(3):
        if not members[c]:
            continue
        size = len(members[c])
        out[f"region_degree_mean_{COHESION[c]}"] = f(Fraction(sum(degree[r] for r in members[c]), size))
        out[f"region_strength_mean_{COHESION[c]}"] = f(Fraction(sum(strength[r] for r in members[c]), size))
        if with_betweenness:
            out[f"region_betweenness_mean_{COHESION[c]}"] = sum(betweenness[r] for r in members[c]) / size
    categorised = [r for c in range(3) for r in members[c]]
    if members[0] and members[2] and categorised:
        mean_all = Fraction(sum(strength[r] for r in categorised), len(categorised))
        if mean_all > 0:
            gap = Fraction(sum(strength[r] for r in members[2]), len(members[2])) - \
                Fraction(sum(strength[r] for r in members[0]), len(members[0]))
            out["convergence_gap"] = f(gap / mean_all)
    return out


def region_betweenness(ties, region_count):
    """Normalised weighted betweenness of the region graph, a link's length 1 / ties (NetworkX)."""
    import networkx as nx
    g = nx.Graph()
    g.add_nodes_from(range(region_count))
    for (a, b), c in ties.items():
        g.add_edge(a, b, length=1.0 / c)
    if region_count < 3:
        return [0.0] * region_count
    bc = nx.betweenness_centrality(g, normalized=True, weight="length")
    return [bc[r] for r in range(region_count)]


def modularity(n, edges, membership):
    """Newman-Girvan modularity of `membership` (per vertex; None for isolated vertices), weighted,
    in exact arithmetic: Q = sum_c [ 2 W_in(c) / 2W - (S(c) / 2W)^2 ]. None when 2W = 0."""
    total, internal, strength = 0, {}, {}
    for (u, v), w in edges.items():
        total += 2 * w
        for x in (u, v):
            strength[membership[x]] = strength.get(membership[x], 0) + w
        if membership[u] == membership[v]:
            internal[membership[u]] = internal.get(membership[u], 0) + 2 * w
    if total == 0:
        return None
    return f(sum(Fraction(internal.get(c, 0), 1) / total - (Fraction(s, 1) / total) ** 2 for c, s in strength.items()))


def igraph_graph(n, edges):
    import igraph as ig
    return ig.Graph(n=n, edges=list(edges))


def distance_histogram(g):
    """Ordered (source, target) pairs at each hop distance d >= 1 in igraph graph g (all pairs)."""
    hist = g.path_length_hist(directed=False)
    out = {}
    for start, _end, count in hist.bins():
        if count:
            out[int(start)] = 2 * count  # igraph counts unordered pairs
    return out


def path_scalars(hist):
    """Mean hop distance and interpolated 90th percentile from an exact histogram {d: pairs}."""
    pairs = sum(hist.values())
    if not pairs:
        return NAN, NAN
    mean = f(Fraction(sum(d * c for d, c in hist.items()), pairs))
    # The same interpolation as clusternet (and SNAP): in doubles, from integer counts.
    target = 0.9 * float(pairs)
    cumulative = 0
    for d in sorted(hist):
        if float(cumulative + hist[d]) >= target:
            return mean, (d - 1) + (target - float(cumulative)) / float(hist[d])
        cumulative += hist[d]
    return mean, NAN


def igraph_scalars(n, edges, exact_paths=True):
    """Components, clustering, k-core and (exact_paths) path metrics by python-igraph."""
    g = igraph_graph(n, edges)
    d = g.degree()
    active = [v for v in range(n) if d[v] > 0]
    out = {}
    sizes = sorted((len(c) for c in g.connected_components() if len(c) > 1), reverse=True)
    # differs: igraph counts every isolated vertex as a component; clusternet counts components
    # with at least one tie, and shares are over active organisations.
    out["components"] = len(sizes)
    out["giant_component_share"] = f(Fraction(sizes[0], len(active))) if sizes else NAN
    out["transitivity"] = g.transitivity_undirected() if any(x >= 2 for x in d) else NAN
    if active:
        # differs: the mean is over active organisations, degree-1 vertices counting 0 (igraph's
        # transitivity_avglocal_undirected leaves degree < 2 out by default, mode="nan").
        local = g.transitivity_local_undirected(vertices=active, mode="zero")
        out["mean_local_clustering"] = sum(local) / len(active)
    else:
        out["mean_local_clustering"] = NAN
    out["max_kcore"] = max(g.coreness(), default=0)
    if exact_paths:
        if sizes and sizes[0] >= 2:
            giant = g.connected_components().giant()
            hist = distance_histogram(giant)
            out["mean_path_length"], out["effective_diameter"] = path_scalars(hist)
            out["path_sample_size"] = giant.vcount()
        else:
            out["mean_path_length"] = out["effective_diameter"] = out["path_sample_size"] = NAN
    return out


def exact_scalars(n, edges, attributes=None, renewals=None, region_count=0, category=None,
                  with_region_betweenness=True):
    """Every scalar with an exact reference. attributes as in attribute_scalars (None: no node
    table, so every attributed share is NaN)."""
    out = degree_scalars(n, edges)
    if attributes is None and renewals is None:
        for k, v in attribute_scalars(edges, {}).items():
            out[k] = v
    else:
        out.update(attribute_scalars(edges, attributes or {}, renewals))
    region = (attributes or {}).get("region")
    if region is not None and region_count > 0:
        r = region_scalars(edges, region, region_count, category, with_region_betweenness)
        out.update({k: v for k, v in r.items() if not k.startswith("region_") or "_mean_" in k})
        out["_regions"] = r
    return out
