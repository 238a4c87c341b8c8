#!/usr/bin/env bash
# The main job: set-up if needed, Release build, then the default budget comparison —
# Joint Cluster Initiatives at 150M vs 300M EUR, each against the no-funding counterfactual, with the
# same seed and replicates (common random numbers, paired confidence intervals) — and its report.
#
#   scripts/run.sh                 # 5 replicates each (a few minutes on 2 cores)
#   REPLICATES=10 scripts/run.sh   # more replicates, narrower intervals
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root=$(clusternet_root)
cd "$root"
bash scripts/setup.sh || die "set-up failed: required Debian packages are missing (see above)"
bash scripts/build.sh >/dev/null || die "build failed (run: bash scripts/build.sh)"
bin="${CLUSTERNET_BUILD_DIR:-build}/bin/clusternet"
replicates=${REPLICATES:-5}
seed=${SEED:-2021}
out=output/budget-comparison
mkdir -p "$out"

for scenario in base jci-150m jci-300m; do
  echo "== running $scenario ($replicates replicates, seed $seed)"
  "$bin" run "scenarios/$scenario.yaml" --replicates "$replicates" --seed "$seed" -o "$out/$scenario.h5" --force
done

echo
echo "== JCI 300M vs 150M (B - A: what the extra 150M EUR buys)"
"$bin" compare "$out/jci-150m.h5" "$out/jci-300m.h5" --csv "$out/compare-300m-vs-150m.csv"
echo
echo "== JCI 150M vs no funding (additionality)"
"$bin" compare "$out/base.h5" "$out/jci-150m.h5" --csv "$out/compare-150m-vs-base.csv"
echo
echo "== JCI 300M vs no funding (additionality)"
"$bin" compare "$out/base.h5" "$out/jci-300m.h5" --csv "$out/compare-300m-vs-base.csv"

python=$(clusternet_python)
"$python" scripts/report.py "$out/base.h5" "$out/jci-150m.h5" "$out/jci-300m.h5" --baseline "$out/base.h5" \
  -o "$out/report"
echo
echo "Results: $out/*.h5   Comparisons: $out/compare-*.csv   Report: $out/report/index.html"
