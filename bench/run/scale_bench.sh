#!/usr/bin/env bash
# Whole-run cost against world size (issue 18): `clusternet run SCENARIO --replicates 1` at each
# scale, on the given thread count, as a user runs it. Prints per scale the organisations, ties at
# the end, wall time, CPU time and use (user + system over wall, 200% = both cores of a 2-core
# machine), peak RSS, bytes per organisation, and the growth of wall time against the scale before.
# With --profile, engine_bench's per-process profile of the monthly step follows for each scale
# (step alone, then the whole run with measurement, in one process).
#
#   bench/run/scale_bench.sh [--bin build/bin/clusternet] [--bench build-bench/bin/engine_bench]
#                            [--scenario scenarios/jci-150m.yaml] [--threads 2] [--scales "1 10 50"]
#                            [--with-250] [--profile]
#
# Scale 250 (about 25 million organisations, the whole EU SME population) runs only with
# --with-250: it takes the better part of an hour on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=build/bin/clusternet bench=build-bench/bin/engine_bench scenario=scenarios/jci-150m.yaml
threads=2 scales="1 10 50" profile=0
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --bench) bench=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --scales) scales=$2; shift 2 ;;
    --with-250) scales="$scales 250"; shift ;;
    --profile) profile=1; shift ;;
    *) echo "scale_bench.sh: unknown option $1 (see the header of this script)" >&2; exit 2 ;;
  esac
done
[ -x "$bin" ] || { echo "scale_bench.sh: no clusternet at $bin (bash scripts/build.sh)" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '%-6s %11s %11s %9s %9s %6s %9s %9s %8s\n' scale orgs ties wall_s cpu_s cpu% rss_MiB B/org growth
previous=""
for scale in $scales; do
  /usr/bin/time -f '%e %U %S %M' -o "$scratch/time" "$bin" run "$scenario" --replicates 1 --threads "$threads" \
    --quiet --set "world.scale=$scale" -o "$scratch/run.h5" --force >/dev/null
  read -r wall user sys rss_kib <"$scratch/time"
  info=$(/usr/bin/python3 - "$scratch/run.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    nodes = f["network/final/rep_0/nodes"].shape[0] if "network/final/rep_0/nodes" in f else 0
    ties = f["metrics/network/ties"][0, -1]
    print(nodes, int(ties))
PY
)
  read -r orgs ties <<<"$info"
  cpu=$(echo "$user + $sys" | bc)
  growth=$([ -n "$previous" ] && echo "$wall $previous" | awk '{printf "%.1fx", $1 / $2}' || echo -)
  printf '%-6s %11s %11s %9.1f %9.1f %5.0f%% %9.0f %9.0f %8s\n' "$scale" "$orgs" "$ties" "$wall" "$cpu" \
    "$(echo "$cpu $wall" | awk '{print 100 * $1 / $2}')" "$(echo "$rss_kib" | awk '{print $1 / 1024}')" \
    "$(echo "$rss_kib $orgs" | awk '{print $2 ? 1024 * $1 / $2 : 0}')" "$growth"
  previous=$wall
  rm -f "$scratch/run.h5"
done
if [ "$profile" = 1 ]; then
  [ -x "$bench" ] || { echo "scale_bench.sh: --profile needs $bench (cmake -DCLUSTERNET_BUILD_BENCH=ON)" >&2; exit 2; }
  "$bench" "$scenario" --scales "$(echo "$scales" | tr ' ' ',')" --threads "$threads" --repeats 1
fi
