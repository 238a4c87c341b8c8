#!/usr/bin/env bash
# `cmake --install` gives a tree that works wherever it is moved and from any directory: the
# program finds the installed region table and calibration targets (proved by editing the
# installed copies and seeing the edits), validates and runs the installed scenarios, and the
# installed report script finds its templates and map boundaries.
#
# Usage: install_relocate.sh CMAKE BUILD_DIR PYTHON
set -euo pipefail
cmake=$1 build=$2 python=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/clusternet_install_XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "install_relocate: $*" >&2; exit 1; }

"$cmake" --install "$build" --prefix "$work/first" >/dev/null
mv "$work/first" "$work/moved"   # the prefix it was installed for no longer exists
prefix=$work/moved
share=$prefix/share/clusternet
bin=$prefix/bin/clusternet
[ -x "$bin" ] || fail "no program in $prefix/bin"
for f in scenarios/base.yaml scenarios/ci-small.yaml scenarios/data/nuts2_2021_regions.csv \
         scenarios/data/calibration_targets.yaml scenarios/data/geo/nuts2_2021_60m.geojson \
         scenarios/data/calibration/h2020_facts.csv scripts/report.py scripts/report/templates; do
  [ -e "$share/$f" ] || fail "not installed: share/clusternet/$f"
done

# Edits to the installed data show up in what the program reads, so it reads those and not the
# source tree it was built from.
sed -i 's/,Burgenland,/,Burgenland (installed copy),/' "$share/scenarios/data/nuts2_2021_regions.csv"
cat > "$share/scenarios/data/calibration_targets.yaml" <<'YAML'
targets:
  - scenario: ../ci-small.yaml
    metric: ties
    published: 1000
    source: "installed copy"
YAML

mkdir "$work/elsewhere"
cd "$work/elsewhere"
"$bin" world --scale 0.02 >/dev/null || fail "world failed"
"$bin" validate "$share"/scenarios/*.yaml >/dev/null || fail "validate failed on the installed scenarios"
"$bin" run "$share/scenarios/ci-small.yaml" -o run.h5 --replicates 1 --quiet || fail "run failed"
"$bin" export run.h5 --csv csv >/dev/null || fail "export failed"
grep -q "Burgenland (installed copy)" csv/regions.csv || fail "the run did not read the installed region table"
"$bin" calibrate --help >/dev/null || fail "calibrate --help failed"
"$bin" calibrate --replicates 1 --json >calibration.json 2>/dev/null || fail "calibrate failed"
grep -q "installed copy" calibration.json || fail "calibrate did not read the installed targets: $(cat calibration.json)"
"$python" "$share/scripts/report.py" run.h5 -o report >/dev/null 2>&1 || fail "the installed report script failed"
[ -s report/index.html ] && [ -s report/map-regions.png ] || fail "the installed report has no page or no map"
echo "installed into $work/first, moved, and run from another directory: world, validate, run, export, calibrate, report"
