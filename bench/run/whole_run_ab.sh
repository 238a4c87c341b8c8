#!/usr/bin/env bash
# Whole-run cost of two builds of clusternet, interleaved (A B A B ...) so that load on a shared
# machine falls on both alike: wall time, CPU time (user + system) and peak RSS of
# `run SCENARIO --replicates 1` at the scenario's own scale, medians over ROUNDS.
#
#   bench/run/whole_run_ab.sh OLD_BIN NEW_BIN [SCENARIO] [ROUNDS] [extra run options...]
#
# The scenario file is read from the working tree for both builds, so the two see the same world
# settings; behaviour keys one build does not know must not appear in it (pass OLD's own
# scenarios folder as SCENARIO for a build that predates them).
set -euo pipefail
# shellcheck disable=SC2034  # old and new are read through ${!side} below
old=$1 new=$2 scenario=${3:-scenarios/base.yaml} rounds=${4:-3}
shift $(( $# < 4 ? $# : 4 ))
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
declare -A wall cpu rss
for ((r = 0; r < rounds; r++)); do
  for side in old new; do
    bin=${!side}
    scen=$scenario
    [ "$side" = old ] && [ -n "${OLD_SCENARIO:-}" ] && scen=$OLD_SCENARIO
    /usr/bin/time -f '%e %U %S %M' -o "$scratch/time" "$bin" run "$scen" --replicates 1 --quiet \
      -o "$scratch/$side.h5" --force "$@" >/dev/null
    read -r w u s m <"$scratch/time"
    wall[$side]+="$w "; cpu[$side]+="$(echo "$u + $s" | bc) "; rss[$side]+="$m "
  done
done
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for side in old new; do
  printf '%s: wall %ss  cpu %ss  peak RSS %s MB  (medians of %d; wall: %s)\n' "$side" \
    "$(echo "${wall[$side]}" | median)" "$(echo "${cpu[$side]}" | median)" \
    "$(echo "${rss[$side]}" | median | awk '{printf "%.0f", $1 / 1024}')" "$rounds" "${wall[$side]}"
done
