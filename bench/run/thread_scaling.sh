#!/usr/bin/env bash
# Thread scaling of whole runs (issue 18): `clusternet run SCENARIO --replicates 1` at each scale on
# each thread count, as a user runs it. Prints wall and CPU time (user + system), the speed-up over
# the first thread count listed last (normally 1) and the parallel efficiency, then checks every
# result against the first one with `clusternet check --rtol 0 --atol 0`: results must not depend on
# the thread count. Meant for machines with more cores than the 2-core development machine; the
# figures of a 16-core machine are in docs/performance.md ("Thread scaling on 16 cores").
#
#   bench/run/thread_scaling.sh [--bin build/bin/clusternet] [--scenario scenarios/jci-150m.yaml]
#                               [--scales "10"] [--threads "16 8 4 2 1"] [--limit SECONDS]
#
# --limit stops starting runs once that many seconds have passed (a run started before goes on).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=build/bin/clusternet scenario=scenarios/jci-150m.yaml scales=10 threads="16 8 4 2 1" limit=0
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --scales) scales=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    *) echo "thread_scaling.sh: unknown option $1 (see the header of this script)" >&2; exit 2 ;;
  esac
done
[ -x "$bin" ] || { echo "thread_scaling.sh: no clusternet at $bin (bash scripts/build.sh)" >&2; exit 2; }
for t in $threads; do
  [[ $t =~ ^[1-9][0-9]*$ ]] || { echo "thread_scaling.sh: --threads takes positive integers, got '$t'" >&2; exit 2; }
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
start=$SECONDS
TIMEFORMAT='%R %U %S'
failed=0
printf '%-6s %8s %9s %9s %6s %s\n' scale threads wall_s cpu_s cpu% identical
for scale in $scales; do
  first=""
  declare -A wall=()
  for t in $threads; do
    if [ "$limit" -gt 0 ] && [ $((SECONDS - start)) -ge "$limit" ]; then
      echo "thread_scaling.sh: --limit $limit s reached, scale $scale threads $t not run" >&2; continue
    fi
    out="$scratch/s${scale}_t$t.h5"
    times=$( { time "$bin" run "$scenario" --replicates 1 --threads "$t" --quiet --force -o "$out" \
                 --set "world.scale=$scale" >"$scratch/log" 2>&1; } 2>&1 ) \
      || { echo "thread_scaling.sh: scale $scale threads $t failed:" >&2; cat "$scratch/log" >&2; exit 1; }
    read -r w user sys <<<"$times"
    wall[$t]=$w
    same=first
    if [ -z "$first" ]; then first=$out
    elif "$bin" check "$out" --against "$first" --rtol 0 --atol 0 >"$scratch/check" 2>&1; then same=yes
    else same=NO; failed=1; cat "$scratch/check" >&2
    fi
    printf '%-6s %8s %9.1f %9.1f %5.0f%% %s\n' "$scale" "$t" "$w" "$(echo "$user $sys" | awk '{print $1 + $2}')" \
      "$(echo "$user $sys $w" | awk '{print 100 * ($1 + $2) / $3}')" "$same"
  done
  # Speed-ups over the last thread count listed (the baseline, normally 1 thread).
  base=${threads##* }
  if [ -n "${wall[$base]:-}" ]; then
    for t in $threads; do
      [ -n "${wall[$t]:-}" ] || continue
      echo "$scale $t ${wall[$t]} ${wall[$base]} $base" |
        awk '{printf "scale %s: %s threads %.2fx over %s thread(s), efficiency %.0f%%\n", $1, $2, $4 / $3, $5, 100 * $4 / $3 / ($2 / $5)}'
    done
  fi
  rm -f "$scratch"/s"${scale}"_t*.h5
done
[ "$failed" = 0 ] || { echo "thread_scaling.sh: results differ between thread counts" >&2; exit 1; }
