#!/usr/bin/env bash
# The budget curve: set-up if needed, Release build, then the Joint Cluster Initiatives budget sweep
# (scenarios/sweep-budget.yaml: EUR 0 to 400M in steps of 50M, every budget with the same seed and
# replicates, so differences are paired) and its reports: per budget the mean of each key outcome
# with its 95% interval, the difference to the zero budget and what each extra million euros buys,
# as text and CSV (clusternet sweep-report) and as an HTML page with the budget-response figures
# (scripts/report.py, in report/ beside the sweep file).
#
#   scripts/sweep.sh                  # 5 replicates per budget, one process using every core
#   REPLICATES=10 scripts/sweep.sh    # narrower intervals
#   RANKS=8 scripts/sweep.sh          # farm the 45 tasks over 8 MPI ranks (needs mpirun)
#
# Interrupted, it resumes where it stopped when started again (finished tasks are kept in
# output/sweep-budget/sweep-budget.h5.parts/); once the sweep has finished, a new run starts over.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root=$(clusternet_root)
cd "$root"
bash scripts/setup.sh || die "set-up failed: required Debian packages are missing (see above)"
bash scripts/build.sh >/dev/null || die "build failed (run: bash scripts/build.sh)"
bin="${CLUSTERNET_BUILD_DIR:-build}/bin/clusternet"
replicates=${REPLICATES:-5}
seed=${SEED:-2021}
ranks=${RANKS:-1}
out=output/sweep-budget
result="$out/sweep-budget.h5"
mkdir -p "$out"

force=()
if [ -e "$result" ]; then force=(--force); fi
args=(sweep scenarios/sweep-budget.yaml -o "$result" --replicates "$replicates" --seed "$seed" "${force[@]}")
echo "== budget sweep: 9 budgets x $replicates replicates, seed $seed"
if [ "$ranks" -gt 1 ]; then
  command -v mpirun >/dev/null 2>&1 || die "RANKS=$ranks needs mpirun (Debian: openmpi-bin)"
  as_root=()
  if [ "$(id -u)" -eq 0 ]; then as_root=(--allow-run-as-root); fi
  mpirun "${as_root[@]}" -np "$ranks" "$bin" "${args[@]}"
else
  "$bin" "${args[@]}"
fi

echo
"$bin" sweep-report "$result" --csv "$out/report.csv" | tee "$out/report.txt"
python=$(clusternet_python)
"$python" scripts/report.py "$result" --clusternet "$bin" -o "$out/report"
echo
echo "Result: $result   Report: $out/report.txt, $out/report/index.html   Table: $out/report.csv"
