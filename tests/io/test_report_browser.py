"""The report of a small real run and two small sweeps (a budget sweep and a Morris screening),
opened in headless Chromium: every figure loads, the page logs nothing to the console and raises no
script error, and a full-page screenshot is kept, with one of chosen parts made by
scripts/report/screenshot.py (the tool that makes docs/report-screenshot.png).

Run by CTest as:
  /usr/bin/python3 test_report_browser.py REPORT_PY CLUSTERNET SCENARIOS_DIR ARTEFACT_DIR
Artefacts (kept after the test, for a person to look at): ARTEFACT_DIR/report/ (the page and its
figures), ARTEFACT_DIR/screenshot.png, ARTEFACT_DIR/screenshot-parts.png (header, budget response,
maps), ARTEFACT_DIR/chromium-*.log.
Exits 77 (CTest: skipped) when no Chromium is installed; scripts/setup.sh installs Debian's.

How the checks work: the page itself records, on its load event, how many images loaded, how many
did not and how many script errors occurred, as attributes of <html>; Chromium's --dump-dom prints
the DOM after the load, so the attributes can be read back. Chromium's own log (--enable-logging=stderr)
carries every console message as a CONSOLE line; the report logs nothing, so any such line fails.
A copy of the page with one figure removed must be caught as broken, proving the check can fail.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

report, clusternet, scenarios, artefacts = sys.argv[1:5]

chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
if chromium is None:
    print("chromium is not installed (scripts/setup.sh installs Debian's chromium): test skipped")
    sys.exit(77)

shutil.rmtree(artefacts, ignore_errors=True)
os.makedirs(artefacts)
results = os.path.join(artefacts, "results")
os.makedirs(results)

# A counterfactual and a funded run of the small CI world (seconds each), sharing seed and replicates.
base = os.path.join(results, "ci-small-base.h5")
funded = os.path.join(results, "ci-small.h5")
ci_small = os.path.join(scenarios, "ci-small.yaml")
for out, extra in [(base, ["--set", "instruments.jci.budget=0", "--set", "name=ci-small-base"]), (funded, [])]:
    subprocess.run([clusternet, "run", ci_small, "-o", out, "--quiet", "--force", *extra], check=True, timeout=600)
# A budget sweep whose ends are the two runs, and a Morris screening of the funding's effect (a few
# seconds together).
sweeps = []
for name, body in [("budget", "  parameter: instruments.jci.budget\n  values: [0, 3M, 6M]\n"),
                   ("morris", "  design: morris\n  trajectories: 2\n  bootstrap_resamples: 100\n  parameters:\n"
                              "    - {key: behaviour.repeat_tie_propensity, range: {from: 0.05, to: 0.3}}\n"
                              "    - {key: behaviour.distance_decay_km, range: {from: 150, to: 1000}}\n"
                              "  contrast: {key: instruments.jci.budget, values: [0, 6M]}\n")]:
    yaml = os.path.join(results, f"{name}.yaml")
    horizon = "" if name == "budget" else "horizon: {months: 12, burn_in_months: 6}\n"
    with open(yaml, "w") as f:
        f.write(f"name: ci-small-{name}\nextends: {os.path.abspath(ci_small)}\n{horizon}sweep:\n{body}")
    sweeps.append(os.path.join(results, f"{name}.h5"))
    subprocess.run([clusternet, "sweep", yaml, "-o", sweeps[-1], "--quiet", "--force"], check=True, timeout=600)
page_dir = os.path.join(artefacts, "report")
subprocess.run([sys.executable, report, funded, base, *sweeps, "--baseline", base, "--clusternet", clusternet,
                "-o", page_dir], check=True, timeout=600)
with open(os.path.join(page_dir, "index.html"), encoding="utf-8") as f:
    html = f.read()
sources = re.findall(r'<img src="([^"]+)"', html)
assert len(sources) >= 9, sources
for png in ("budget-response.png", "budget-network.png", "sensitivity.png"):
    assert png in sources, (png, sources)


def chromium_run(url, log_name, *extra):
    """Runs headless Chromium on url with a fresh profile; returns (stdout, console lines)."""
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=artefacts)
    try:
        p = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--mute-audio", "--hide-scrollbars", f"--user-data-dir={profile}",
             # Nothing may be fetched from the network: any attempt goes to a closed local port.
             "--proxy-server=127.0.0.1:9", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000",
             *extra, url],
            capture_output=True, text=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    with open(os.path.join(artefacts, log_name), "w", encoding="utf-8") as f:
        f.write(p.stderr)
    assert p.returncode == 0, f"chromium exited {p.returncode}; see {log_name}"
    console = [line for line in p.stderr.splitlines() if ":CONSOLE" in line]
    return p.stdout, console


def page_state(dom):
    state = {}
    for key in ("images-loaded", "images-broken", "script-errors", "page-height"):
        m = re.search(rf'data-{key}="(\d+)"', dom)
        assert m, f"the page did not record data-{key}: its load handler did not run"
        state[key] = int(m.group(1))
    return state


url = "file://" + os.path.abspath(os.path.join(page_dir, "index.html"))
dom, console = chromium_run(url, "chromium-dom.log", "--window-size=1280,1000", "--dump-dom")
state = page_state(dom)
assert not console, "console messages:\n" + "\n".join(console)
assert state["script-errors"] == 0, state
assert state["images-broken"] == 0, state
assert state["images-loaded"] == len(sources), (state, sources)
assert "Key findings" in dom and "Where the effects land" in dom
assert "Budget response" in dom and "Sensitivity to the assumptions" in dom

# Full-page screenshot (the page's own height, within Chromium's limit), kept as an artefact.
shot = os.path.join(artefacts, "screenshot.png")
height = min(max(state["page-height"], 1000), 16000)
_, console = chromium_run(url, "chromium-screenshot.log", f"--window-size=1280,{height}", f"--screenshot={shot}")
assert not console, "console messages:\n" + "\n".join(console)
with open(shot, "rb") as f:
    head = f.read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(head[16:20], "big") == 1280, "bad screenshot"
assert int.from_bytes(head[20:24], "big") == height

# Chosen parts stacked, as docs/report-screenshot.png is made: the page says where its parts lie.
parts = dict((name, (int(top), int(h))) for name, top, h in
             (item.rsplit(":", 2) for item in re.search(r'data-parts="([^"]*)"', dom).group(1).split()))
for name in ("header", "findings", "response", "maps", "method"):
    assert name in parts and parts[name][1] > 0, (name, parts)
assert parts["findings"][0] < parts["response"][0] < parts["maps"][0] < parts["method"][0], parts
stacked = os.path.join(artefacts, "screenshot-parts.png")
shooter = os.path.join(os.path.dirname(os.path.abspath(report)), "report", "screenshot.py")
p = subprocess.run([sys.executable, shooter, page_dir, stacked, "--parts", "header,response,maps"],
                   capture_output=True, text=True, timeout=600)
assert p.returncode == 0, p.stderr
with open(stacked, "rb") as f:
    head = f.read(24)
expected = sum(parts[n][1] for n in ("header", "response", "maps"))
got = int.from_bytes(head[20:24], "big")
assert int.from_bytes(head[16:20], "big") == 1280 and expected <= got <= expected + 3 * 2 * 10 + 3, (got, expected)
p = subprocess.run([sys.executable, shooter, page_dir, stacked + ".bad.png", "--parts", "no-such-part"],
                   capture_output=True, text=True, timeout=600)
assert p.returncode == 2 and "no part no-such-part" in p.stderr, p.stderr

# Negative control: the same page with one figure missing must be reported as broken.
broken_dir = os.path.join(artefacts, "report-missing-figure")
shutil.copytree(page_dir, broken_dir)
os.remove(os.path.join(broken_dir, sources[0]))
dom, _ = chromium_run("file://" + os.path.abspath(os.path.join(broken_dir, "index.html")), "chromium-broken.log",
                      "--window-size=1280,1000", "--dump-dom")
state = page_state(dom)
assert state["images-broken"] == 1 and state["images-loaded"] == len(sources) - 1, state
assert "could not be loaded" in dom
shutil.rmtree(broken_dir)
print(f"report browser test passed; screenshot: {shot}")
