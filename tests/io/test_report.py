"""scripts/report.py on synthetic results: with a counterfactual and several replicates, with one
replicate only, with only the counterfactual, with a calibration table, without map boundaries, and
refusing unusable files and options.

Run by CTest as: /usr/bin/python3 test_report.py REPORT_PY MAKE_SAMPLE_RESULTS
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

import h5py
import numpy as np

report, make = sys.argv[1], sys.argv[2]
ATTRIBUTION = "© EuroGeographics for the administrative boundaries"


def png_dpi(path):
    """Horizontal resolution from the PNG pHYs chunk (pixels per metre), in dots per inch."""
    with open(path, "rb") as f:
        blob = f.read()
    assert blob[:8] == b"\x89PNG\r\n\x1a\n", path
    pos = 8
    while pos < len(blob):
        length, kind = struct.unpack(">I4s", blob[pos:pos + 8])
        if kind == b"pHYs":
            ppm_x, _ppm_y, unit = struct.unpack(">IIB", blob[pos + 8:pos + 17])
            assert unit == 1, path
            return ppm_x * 0.0254
        pos += 12 + length
    raise AssertionError(f"{path}: no pHYs chunk")


def run(*args, ok=True):
    p = subprocess.run([sys.executable, report, *args], capture_output=True, text=True)
    if ok:
        assert p.returncode == 0, p.stderr
    return p


def read(folder):
    with open(os.path.join(folder, "index.html"), encoding="utf-8") as f:
        return f.read()


def images(page):
    return re.findall(r'<img src="([^"]+)"', page)


with tempfile.TemporaryDirectory() as work:
    def sample(name, *args):
        path = os.path.join(work, name)
        subprocess.run([make, path, *args], check=True)
        return path

    base = sample("base.h5", "--scenario", "base", "--scale", "0.5")
    jci = sample("jci.h5", "--scenario", "jci-150m")
    # The synthetic network series depend on the seed only, so both files have the same ones. Give
    # the funded run known effects: ties growing to +10% of the counterfactual by the last month (a
    # practically meaningful effect), mean degree +1% throughout (clear but negligible).
    with h5py.File(base, "r") as fb, h5py.File(jci, "a") as fj:
        ties = fb["metrics/network/ties"][()]
        months = ties.shape[1]
        fj["metrics/network/ties"][...] = ties * (1 + 0.10 * np.arange(months) / (months - 1))
        degree = fb["metrics/network/mean_degree"][()]
        noise = np.array([[1.0], [1.002], [0.998]])[: degree.shape[0]]
        fj["metrics/network/mean_degree"][...] = degree * 1.01 * noise
        fj["regions/region_degree"][...] = fb["regions/region_degree"][()] + 2.0
    one = sample("one.h5", "--scenario", "single", "--replicates", "1")

    # --- a counterfactual and a funded scenario, three replicates each -------------------------------
    out = os.path.join(work, "report")
    os.makedirs(out)
    with open(os.path.join(out, "map.png"), "w") as f:   # a stale figure of an older report
        f.write("old")
    run(base, jci, "-o", out)
    page = read(out)
    assert not os.path.exists(os.path.join(out, "map.png")), "a stale figure was left in the output folder"
    srcs = images(page)
    for png in ["outcomes.png", "effects.png", "additionality.png", "map-additional-ties.png", "map-funding.png",
                "network.png", "degree.png"]:
        assert png in srcs, (png, srcs)
    for png in srcs:
        path = os.path.join(out, png)
        assert os.path.getsize(path) > 5000, png
        assert png_dpi(path) >= 150, (png, png_dpi(path))
    # Fully offline: nothing is loaded from elsewhere.
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page), "the page loads something from the network"
    assert "<link" not in page and "@import" not in page
    # Every map carries the boundary attribution underneath.
    maps = [s for s in srcs if s.startswith("map")]
    for m in maps:
        figure = page[page.index(f'src="{m}"'):]
        figure = figure[:figure.index("</figure>")]
        assert ATTRIBUTION in figure, m
    # The outermost regions without a polygon are not silently dropped: the synthetic world has none,
    # so no such table; PT11 etc. are drawn.
    assert "Regions not on the map" not in page
    # Honest wording: differences with intervals, a practical verdict against the stated threshold.
    assert "Effect sizes against the counterfactual" in page and "practically meaningful (±5%)" in page
    assert "a real difference" not in page and "CI excludes 0</th>" not in page
    assert "replicate by replicate" in page                   # same seed and replicates: paired
    # The synthetic counterfactual has policy outcomes too (scale 0.5); cost per SME is compared.
    assert "Cumulative outcomes of the funded activity" in page
    # The known effects get their verdicts: ties +10% at the end (yes), mean degree +1% (no, though
    # its interval excludes zero); dates, not month indices, say where an effect peaks.
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<td title="(\w+)">.*?</tr>', page)}
    assert 'v-meaningful">yes' in rows["ties"] and "+10.0%" in rows["ties"], rows["ties"]
    assert "Oct 2022 (final)" in rows["ties"], rows["ties"]
    assert 'v-negligible">no' in rows["mean_degree"] and "excludes 0" in rows["mean_degree"], rows["mean_degree"]
    assert "+1.0%" in rows["mean_degree"]
    assert "Additional partner regions per region" in page
    # The key findings name the scenario with its colour swatch, and the page says where effects peak.
    assert "Key findings" in page and 'class="swatch" style="background: #0072B2"' in page
    # The counterfactual keeps its grey wherever it appears; the scenario its blue.
    assert "#D55E00" not in page

    # --- the threshold is an option ------------------------------------------------------------------
    out_t = os.path.join(work, "report-t")
    run(base, jci, "-o", out_t, "--meaningful", "0.2")
    assert "practically meaningful (±20%)" in read(out_t)
    for bad in ["0", "-0.1", "abc"]:
        p = run(base, jci, "-o", out_t, "--meaningful", bad, ok=False)
        assert p.returncode == 2 and "--meaningful" in p.stderr, (bad, p.stderr)

    # --- one replicate: no interval, and the page says n/a rather than a verdict ---------------------
    out2 = os.path.join(work, "report2")
    run(base, one, "-o", out2)
    page2 = read(out2)
    assert "one replicate: no interval" in page2
    assert re.search(r'class="verdict v-na">n/a', page2)
    assert "unpaired (Welch)" not in page2 and "Welch" in page2  # different seeds: the intro says so

    # --- only the counterfactual -----------------------------------------------------------------------
    out1 = os.path.join(work, "report1")
    run(one, "-o", out1, "--baseline", one)
    page1 = read(out1)
    assert "Only the counterfactual" in page1, page1
    assert re.search(r"<h1>", page1) and "map-regions.png" in images(page1)

    # --- a calibration table is shown column by column ----------------------------------------------
    cal = os.path.join(work, "calibrated.h5")
    shutil.copy(jci, cal)
    with h5py.File(cal, "a") as f:
        table = np.array([(b"smes_supported", 1200.0, 1100.0, b"INNOSUP-1 2016-2020"),
                          (b"partnerships", 40.0, 44.0, b"ESCP-4i")],
                         dtype=[("target", h5py.string_dtype()), ("observed", "f8"), ("simulated", "f8"),
                                ("source", h5py.string_dtype())])
        f.create_dataset("calibration/targets", data=table)
    out_c = os.path.join(work, "report-c")
    run(base, cal, "-o", out_c)
    page_c = read(out_c)
    assert "Calibration and validation" in page_c and "INNOSUP-1 2016-2020" in page_c
    assert "simulated vs observed" in page_c and "-8.3%" in page_c and "+10.0%" in page_c

    # --- the calibration/validation table of `clusternet calibrate --h2020 -o FILE` --------------------
    # Written here with h5py in that layout (one compound table per name under /calibration, text
    # and float columns), with a hit and a miss of each role and one fact that cannot be assessed.
    val = os.path.join(work, "validated.h5")
    shutil.copy(jci, val)
    text = h5py.string_dtype()
    rows = [("project_size_median", "autonomous", "2014-2017", "fitted", "yes", "±10%", 8.0, 7.65, 8.35, 8.4, 8.1, 8.7),
            ("project_size_p90", "autonomous", "2014-2017", "fitted", "no", "±10%", 20.0, 19.2, 20.8, 27.5, 26.0, 29.0),
            ("repeat_partner_share", "all", "2018-2020", "held-out", "yes", "within CI", 0.31, 0.29, 0.33, 0.30, 0.28,
             0.32),
            ("countries_per_project", "cluster", "2018-2020", "held-out", "no", "±15%", 4.2, float("nan"),
             float("nan"), 2.9, 2.7, 3.1),
            ("coordinator_share_less_developed", "all", "2014-2020", "held-out", "n/a", "±20%", 0.08, 0.07, 0.09,
             float("nan"), float("nan"), float("nan"))]
    dtype = [("fact", text), ("scope", text), ("period", text), ("role", text), ("within", text), ("tolerance", text),
             ("real", "f8"), ("real_ci95_low", "f8"), ("real_ci95_high", "f8"), ("simulated_mean", "f8"),
             ("simulated_ci95_low", "f8"), ("simulated_ci95_high", "f8")]
    with h5py.File(val, "a") as f:
        f.create_dataset("calibration/h2020", data=np.array(rows, dtype=dtype))
    out_v = os.path.join(work, "report-v")
    run(base, val, "-o", out_v)
    page_v = read(out_v)
    section = page_v[page_v.index('<section id="calibration">'):]
    section = section[:section.index("</section>")]
    for column in ["fact", "published (CI)", "simulated mean (95% CI)", "fitted or held-out", "within tolerance"]:
        assert f"<th>{column}</th>" in section, column
    table_rows = re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)[1:]
    assert len(table_rows) == 5, table_rows
    # Fitted rows first, then held-out; hits and misses carry their own verdict cell, misses named.
    assert "project_size_median" in table_rows[0] and 'v-hit">yes' in table_rows[0]
    assert "project_size_p90" in table_rows[1] and 'v-miss">no' in table_rows[1] and "27.5" in table_rows[1]
    assert "held-out" in table_rows[2] and 'v-hit">yes' in table_rows[2]
    assert 'v-miss">no' in table_rows[3] and "4.20" in table_rows[3] and "2.90" in table_rows[3]
    assert 'v-na">n/a' in table_rows[4]
    assert "fitted facts: 1 of 2 within tolerance; held-out facts: 1 of 2 within tolerance" in section, section
    assert "Outside tolerance: project_size_p90 (autonomous, 2014-2017); countries_per_project" in section
    assert "tolerance ±10%" in table_rows[0] and "7.65 to 8.35" in table_rows[0] and "8.10 to 8.70" in table_rows[0]
    assert "within tolerance for 1 of 2 fitted facts and 1 of 2 held-out facts" in page_v  # a key finding
    # Fixed-length byte strings (another way to write text columns) read the same.
    fixed = os.path.join(work, "validated-fixed.h5")
    shutil.copy(jci, fixed)
    with h5py.File(fixed, "a") as f:
        f.create_dataset("calibration/h2020", data=np.array(
            [tuple(x.encode() if isinstance(x, str) else x for x in row) for row in rows],
            dtype=[(n, "S40" if t is text else t) for n, t in dtype]))
    out_f = os.path.join(work, "report-f")
    run(base, fixed, "-o", out_f)
    assert "fitted facts: 1 of 2 within tolerance" in read(out_f)
    # Without /calibration there is no such section (the files above): reading does not depend on it.
    assert 'id="calibration"' not in page

    # --- without the boundary files the page is still written and says why there is no map -----------
    out_g = os.path.join(work, "report-g")
    run(base, jci, "-o", out_g, "--geo-dir", os.path.join(work, "no-such-dir"))
    page_g = read(out_g)
    assert "Maps not drawn" in page_g and "no-such-dir" in page_g
    assert not any(s.startswith("map") for s in images(page_g))

    # --- unusable input -------------------------------------------------------------------------------
    bad = os.path.join(work, "bad.h5")
    with open(bad, "w") as f:
        f.write("text")
    p = run(bad, "-o", out1, ok=False)
    assert p.returncode == 2 and "bad.h5" in p.stderr, p.stderr
    p = run(base + ".partial", "-o", out1, ok=False)
    assert p.returncode == 2 and "unfinished" in p.stderr, p.stderr
    p = run(os.path.join(work, "missing.h5"), "-o", out1, ok=False)
    assert p.returncode == 2 and "missing.h5" in p.stderr, p.stderr
print("report passed")
