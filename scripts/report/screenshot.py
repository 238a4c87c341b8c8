"""A screenshot of a written report, taken in headless Chromium: the whole page, or chosen parts of
it stacked one under the other (how docs/report-screenshot.png is made).

Usage: /usr/bin/python3 scripts/report/screenshot.py REPORT_DIR OUT.png
           [--parts header,findings,response,map-additional-ties] [--width 1280] [--chromium PATH]

Parts are the page's own blocks: header, nav, footer, the section ids (findings, outcomes,
effects, profiles, response, sensitivity, maps, convergence, network, calibration, method) and
each figure by its image's name without .png (budget-response, map-additional-ties, ...); the page
records where each lies when it has loaded (data-parts on <html>), so no layout is guessed.
Nothing is fetched from the network (any attempt goes to a closed local port). A page with a
figure that does not load is refused. Needs Debian's chromium and python3-pil (a dependency of
python3-matplotlib).
Exit status: 0 written; 2 bad arguments, no Chromium, a part the page lacks or a broken figure;
1 Chromium or the image could not be written.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Chromium's screenshots stop at 16,384 pixels.
MAX_HEIGHT = 16384


class Failed(Exception):
    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def find_chromium(explicit=None):
    if explicit:
        return explicit if shutil.which(explicit) else None
    return next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)


def chromium_run(chromium, url, *extra, log=None):
    """Headless Chromium with a fresh profile on url; returns (stdout, stderr). Raises Failed."""
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        p = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--mute-audio", "--hide-scrollbars", f"--user-data-dir={profile}",
             "--proxy-server=127.0.0.1:9", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000",
             *extra, url],
            capture_output=True, text=True, timeout=180)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Failed(f"chromium could not run: {e}", 1)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if log:
        with open(log, "w", encoding="utf-8") as f:
            f.write(p.stderr)
    if p.returncode != 0:
        raise Failed(f"chromium exited {p.returncode}: {p.stderr.strip()[-500:]}", 1)
    return p.stdout, p.stderr


def page_layout(dom):
    """(page height, broken images, {part: (top, height)}) as the page recorded them."""
    def attr(key):
        m = re.search(rf'data-{key}="([^"]*)"', dom)
        if not m:
            raise Failed(f"the page did not record data-{key}: not a report page, or its load handler did not run", 2)
        return m.group(1)
    parts = {}
    for item in attr("parts").split():
        name, top, height = item.rsplit(":", 2)
        parts[name] = (int(top), int(height))
    return int(attr("page-height")), int(attr("images-broken")), parts


def screenshot(report_dir, out, parts=None, width=1280, chromium=None, margin=10):
    """Writes OUT.png: the whole page, or the listed parts stacked. Returns the image's (width, height)."""
    index = os.path.join(report_dir, "index.html")
    if not os.path.isfile(index):
        raise Failed(f"{index}: no such file (write the report first)", 2)
    browser = find_chromium(chromium)
    if browser is None:
        raise Failed("chromium is not installed (Debian: apt-get install chromium; scripts/setup.sh installs it)", 2)
    url = "file://" + os.path.abspath(index)
    dom, _ = chromium_run(browser, url, f"--window-size={width},1000", "--dump-dom")
    height, broken, layout = page_layout(dom)
    if broken:
        raise Failed(f"{index}: {broken} figure(s) do not load; a screenshot would show them broken", 2)
    wanted = parts or []
    missing = [p for p in wanted if p not in layout]
    if missing:
        raise Failed(f"the page has no part {', '.join(missing)}; it has: {', '.join(layout)}", 2)
    bottom = max((layout[p][0] + layout[p][1] + margin for p in wanted), default=height)
    shot_height = min(max(bottom, 200), MAX_HEIGHT)
    if bottom > MAX_HEIGHT:
        raise Failed(f"the parts end {bottom} pixels down; Chromium's screenshots stop at {MAX_HEIGHT}", 2)
    from PIL import Image  # only here: the rest of the module needs no imaging library
    with tempfile.TemporaryDirectory(prefix="clusternet-shot-") as work:
        full = os.path.join(work, "full.png")
        chromium_run(browser, url, f"--window-size={width},{shot_height}", f"--screenshot={full}")
        image = Image.open(full).convert("RGB")
        if wanted:
            pieces = []
            for p in wanted:
                top, h = layout[p]
                pieces.append(image.crop((0, max(top - margin, 0), image.width, min(top + h + margin, image.height))))
            image = Image.new("RGB", (width, sum(x.height for x in pieces)), "white")
            y = 0
            for piece in pieces:
                image.paste(piece, (0, y))
                y += piece.height
        tmp = out + ".tmp.png"
        try:
            image.save(tmp, optimize=True)
            os.replace(tmp, out)
        except OSError as e:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise Failed(f"cannot write {out}: {e}", 1)
        return image.size


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("report_dir", help="folder of the report (index.html and its figures)")
    p.add_argument("output", help="PNG file to write")
    p.add_argument("--parts", help="comma-separated parts to stack, e.g. header,findings,response,maps "
                                   "(default: the whole page)")
    p.add_argument("--width", type=int, default=1280, help="window width in pixels (default 1280)")
    p.add_argument("--chromium", help="the Chromium program (default: chromium on PATH)")
    args = p.parse_args(argv)
    if not 320 <= args.width <= 4000:
        p.error(f"--width {args.width}: between 320 and 4000 pixels")
    parts = [x.strip() for x in args.parts.split(",") if x.strip()] if args.parts else None
    try:
        size = screenshot(args.report_dir, args.output, parts, args.width, args.chromium)
    except Failed as e:
        print(f"screenshot.py: {e}", file=sys.stderr)
        return e.status
    print(f"{args.output}: {size[0]} x {size[1]} pixels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
