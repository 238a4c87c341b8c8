"""The report of a small real run, opened in headless Chromium: every figure loads, the page logs
nothing to the console and raises no script error, and a full-page screenshot is kept.

Run by CTest as:
  /usr/bin/python3 test_report_browser.py REPORT_PY CLUSTERNET SCENARIOS_DIR ARTEFACT_DIR
Artefacts (kept after the test, for a person to look at): ARTEFACT_DIR/report/ (the page and its
figures), ARTEFACT_DIR/screenshot.png, ARTEFACT_DIR/chromium-*.log.
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
page_dir = os.path.join(artefacts, "report")
subprocess.run([sys.executable, report, funded, base, "--baseline", base, "-o", page_dir], check=True, timeout=600)
with open(os.path.join(page_dir, "index.html"), encoding="utf-8") as f:
    html = f.read()
sources = re.findall(r'<img src="([^"]+)"', html)
assert len(sources) >= 6, sources


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

# Full-page screenshot (the page's own height, within Chromium's limit), kept as an artefact.
shot = os.path.join(artefacts, "screenshot.png")
height = min(max(state["page-height"], 1000), 16000)
_, console = chromium_run(url, "chromium-screenshot.log", f"--window-size=1280,{height}", f"--screenshot={shot}")
assert not console, "console messages:\n" + "\n".join(console)
with open(shot, "rb") as f:
    head = f.read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(head[16:20], "big") == 1280, "bad screenshot"
assert int.from_bytes(head[20:24], "big") == height

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
