"""scripts/report.py on synthetic results: with a counterfactual and several replicates, with one
replicate only, and refusing an unusable file.

Run by CTest as: /usr/bin/python3 test_report.py REPORT_PY MAKE_SAMPLE_RESULTS
"""
import os
import re
import subprocess
import sys
import tempfile

report, make = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as work:
    def sample(name, *args):
        path = os.path.join(work, name)
        subprocess.run([make, path, *args], check=True)
        return path

    base = sample("base.h5", "--scenario", "base", "--scale", "0.5")
    jci = sample("jci.h5", "--scenario", "jci-150m")
    one = sample("one.h5", "--scenario", "single", "--replicates", "1")
    out = os.path.join(work, "report")
    subprocess.run([sys.executable, report, base, jci, "-o", out], check=True)
    page = open(os.path.join(out, "index.html"), encoding="utf-8").read()
    for png in ["outcomes.png", "additionality.png", "degree.png", "map.png"]:
        assert os.path.getsize(os.path.join(out, png)) > 1000, png
        assert f'src="{png}"' in page, png
    assert "Additionality against base" in page and "paired" in page
    assert "Compared with base" in page
    out1 = os.path.join(work, "report1")
    subprocess.run([sys.executable, report, one, "-o", out1, "--baseline", one], check=True)
    page1 = open(os.path.join(out1, "index.html"), encoding="utf-8").read()
    # The one result is also the counterfactual: nothing to compare, and the page says so.
    assert "Only the counterfactual" in page1, page1
    out2 = os.path.join(work, "report2")
    subprocess.run([sys.executable, report, base, one, "-o", out2], check=True)
    page2 = open(os.path.join(out2, "index.html"), encoding="utf-8").read()
    assert "cannot be estimated" in page2 or "n/a" in page2
    assert re.search(r"<h1>", page1)
    bad = os.path.join(work, "bad.h5")
    open(bad, "w").write("text")
    p = subprocess.run([sys.executable, report, bad, "-o", out1], capture_output=True, text=True)
    assert p.returncode == 2 and "bad.h5" in p.stderr, p.stderr
print("report passed")
