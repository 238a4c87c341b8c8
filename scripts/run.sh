#!/usr/bin/env bash
# The main job: set-up if needed, Release build, then the default budget comparison —
# Joint Cluster Initiatives at 150M vs 300M EUR, each against the no-funding counterfactual, with the
# same seed and replicates (common random numbers, paired confidence intervals) — a budget sweep
# for the budget response (the JCI from 0 to 300M EUR on a coarse grid), and the report of both.
#
#   scripts/run.sh                 # 5 replicates each (a few minutes on 2 cores)
#   REPLICATES=10 scripts/run.sh   # more replicates, narrower intervals
#   BUDGETS=0,50M,100M,150M,200M,250M,300M,350M,400M scripts/run.sh   # a finer budget grid
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

# The budget response: the shipped budget sweep (scenarios/sweep-budget.yaml, 9 budgets) on a coarser
# grid by default, to keep the job short. Same seed and replicates as the runs above, so its 150M and
# 300M points are those runs, number for number, and every difference between budgets is paired.
# A finished sweep file is replaced; an interrupted one resumes from the parts it left.
budgets=${BUDGETS:-0,75M,150M,225M,300M}
sweep_file="$out/sweep-budget.h5"
force=()
if [ -e "$sweep_file" ]; then force=(--force); fi
echo
echo "== budget sweep: JCI budget at $budgets EUR ($replicates replicates, seed $seed)"
"$bin" sweep scenarios/sweep-budget.yaml --set "sweep.values=[$budgets]" \
  --set "description=JCI budget sweep at ${budgets//,/, } EUR (scripts/run.sh)" \
  --replicates "$replicates" --seed "$seed" -o "$sweep_file" "${force[@]}"
"$bin" sweep-report "$sweep_file" --csv "$out/sweep-budget.csv" --outcome partnerships_funded \
  --outcome smes_supported --outcome ties

python=$(clusternet_python)
"$python" scripts/report.py "$out/base.h5" "$out/jci-150m.h5" "$out/jci-300m.h5" "$sweep_file" \
  --baseline "$out/base.h5" --clusternet "$bin" -o "$out/report"
echo
echo "Results: $out/*.h5   Comparisons: $out/compare-*.csv, $out/sweep-budget.csv   Report: $out/report/index.html"
