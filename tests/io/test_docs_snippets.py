"""The documentation tells the truth: its code runs and its paths exist.

Run by CTest as: python3 test_docs_snippets.py CASE CLUSTERNET SOURCE_DIR
  python   every ```python block of docs/results-format.md runs against a small run's file, put at
           the path the block reads (the main job's path), from a fresh working directory; every
           policy metric in that file is documented there
  r        the same for the ```r blocks with Rscript (exit 77, skipped, when R or its HDF5
           packages are not installed; scripts/setup.sh installs them)
  paths    every output/... path named in README.md and docs/*.md is one the commands write:
           scripts/run.sh's folder and files, `run`'s default output/<scenario>.h5, report.py's
           default folder; no document points outside the repository (../shared/...)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py

CASE, CLUSTERNET, SOURCE = sys.argv[1], sys.argv[2], sys.argv[3]
DOC = os.path.join(SOURCE, "docs", "results-format.md")
SKIP = 77


def blocks(language):
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    found = re.findall(r"```" + language + r"\n(.*?)```", text, flags=re.S)
    assert found, f"no ```{language} block in {DOC}"
    return found


def prepared(code_blocks, work):
    """A small run's file at every .h5 path the blocks read (relative to `work`)."""
    run = os.path.join(work, "ci-small.h5")
    p = subprocess.run([CLUSTERNET, "run", os.path.join(SOURCE, "scenarios", "ci-small.yaml"), "-o", run, "--quiet"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    paths = sorted({p for code in code_blocks for p in re.findall(r'"([^"]+\.h5)"', code)})
    assert paths, "the blocks read no file"
    for rel in paths:
        assert not os.path.isabs(rel), f"a snippet reads an absolute path: {rel}"
        os.makedirs(os.path.dirname(os.path.join(work, rel)) or work, exist_ok=True)
        shutil.copy(run, os.path.join(work, rel))
    return run


def python_case():
    code_blocks = blocks("python")
    with tempfile.TemporaryDirectory(prefix="clusternet_docs_") as work:
        run = prepared(code_blocks, work)
        for i, code in enumerate(code_blocks):
            p = subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True, timeout=120)
            assert p.returncode == 0, f"python block {i + 1} of {DOC} failed:\n{code}\n{p.stderr}"
        with h5py.File(run, "r") as f:
            names = sorted(f["metrics/policy"].keys())
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    missing = [n for n in names if f"`{n}`" not in text]
    assert not missing, f"policy metrics of a run that {DOC} does not document: {missing}"
    print(f"{len(code_blocks)} python blocks ran; {len(names)} policy metrics documented")


def r_case():
    rscript = shutil.which("Rscript")
    if not rscript:
        print("Rscript not installed (scripts/setup.sh installs r-base-core); R blocks skipped")
        sys.exit(SKIP)
    code_blocks = blocks("r")
    libraries = sorted({m for code in code_blocks for m in re.findall(r"library\((\w+)\)", code)})
    for lib in libraries:
        if subprocess.run([rscript, "-e", f"library({lib})"], capture_output=True).returncode != 0:
            print(f"R package {lib} not installed; R blocks skipped")
            sys.exit(SKIP)
    with tempfile.TemporaryDirectory(prefix="clusternet_docs_r_") as work:
        prepared(code_blocks, work)
        for i, code in enumerate(code_blocks):
            # Errors must end the script (Rscript exits non-zero); a warning about types is one too.
            script = os.path.join(work, f"block{i}.R")
            with open(script, "w", encoding="utf-8") as f:
                f.write("options(warn = 2)\n" + code)
            p = subprocess.run([rscript, script], cwd=work, capture_output=True, text=True, timeout=300)
            assert p.returncode == 0, f"R block {i + 1} of {DOC} failed:\n{code}\n{p.stdout}\n{p.stderr}"
            assert "raw" not in p.stdout, f"R block {i + 1} printed raw bytes:\n{p.stdout}"
    print(f"{len(code_blocks)} R blocks ran ({', '.join(libraries)})")


def paths_case():
    with open(os.path.join(SOURCE, "scripts", "run.sh"), encoding="utf-8") as f:
        run_sh = f.read()
    folder = re.search(r"^out=(\S+)$", run_sh, flags=re.M).group(1)
    scenarios = re.search(r"^for scenario in ([^;]+);", run_sh, flags=re.M).group(1).split()
    compares = re.findall(r'\$out/(compare-[\w-]+\.csv)', run_sh)
    shipped = [os.path.splitext(x)[0] for x in os.listdir(os.path.join(SOURCE, "scenarios")) if x.endswith(".yaml")]
    produced = [re.escape(folder) + r"/?", re.escape(folder) + r"/\*\.h5", re.escape(folder) + r"/report/?",
                re.escape(folder) + r"/report/index\.html", re.escape(folder) + r"/compare-\*\.csv"]
    produced += [re.escape(f"{folder}/{s}.h5") for s in scenarios]
    produced += [re.escape(f"{folder}/{c}") for c in compares]
    produced += [re.escape(f"output/{s}.h5") for s in shipped]  # `run`'s default output/<name>.h5
    produced += [r"output/<name>\.h5", r"output/?"]
    with open(os.path.join(SOURCE, "scripts", "report.py"), encoding="utf-8") as f:
        report_default = re.search(r'"--output", default="([^"]+)"', f.read()).group(1)
    produced.append(re.escape(report_default) + "/?")  # where report.py writes without -o
    allowed = re.compile("^(" + "|".join(produced) + ")$")
    documents = [os.path.join(SOURCE, "README.md")] + sorted(
        os.path.join(SOURCE, "docs", x) for x in os.listdir(os.path.join(SOURCE, "docs")) if x.endswith(".md"))
    bad = []
    for doc in documents:
        with open(doc, encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r"(?<![\w./-])(output/[\w./*<>-]*)", text):
            path = m.group(1).rstrip(".")
            if not allowed.match(path):
                bad.append(f"{os.path.relpath(doc, SOURCE)}: {path}")
        for m in re.finditer(r"\.\./shared/\S*", text):
            bad.append(f"{os.path.relpath(doc, SOURCE)}: points outside the repository: {m.group(0)}")
    assert not bad, "paths in the documentation that no command writes:\n" + "\n".join(bad)
    print(f"every output path in {len(documents)} documents is one the commands write")


{"python": python_case, "r": r_case, "paths": paths_case}[CASE]()
print(CASE, "passed")
