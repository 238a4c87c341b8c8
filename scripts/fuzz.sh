#!/usr/bin/env bash
# Builds the libFuzzer harnesses of the file readers (tests/fuzz, clang, ASan + UBSan) in
# build-fuzz/ and runs each for SECONDS (default 30), from the committed seeds plus the shipped
# files. Exit 1 when a harness finds a crash, a sanitizer report, a hang or an out-of-memory
# (the input is kept in build-fuzz/fuzz/findings/).
#
#   bash scripts/fuzz.sh                     # every harness, 30 s each (what scripts/test.sh runs)
#   bash scripts/fuzz.sh 1800 fuzz_results   # one harness for 30 minutes
#   FUZZ_RUNS=1000000 bash scripts/fuzz.sh 1800   # stop at a million executions or 30 minutes
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root=$(clusternet_root)
cd "$root"
seconds=${1:-30}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_scenario fuzz_region_table fuzz_edge_list fuzz_results)
build=${CLUSTERNET_FUZZ_BUILD_DIR:-build-fuzz}
command -v clang++ >/dev/null 2>&1 || die "clang++ is missing (bash scripts/setup.sh installs it)"

generator=()
if command -v ninja >/dev/null 2>&1 && [ ! -f "$build/Makefile" ]; then generator=(-G Ninja); fi
launcher=()
if [ -n "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER="$CMAKE_CXX_COMPILER_LAUNCHER"); fi
if ! cmake -S . -B "$build" "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCLUSTERNET_FUZZ=ON -DCLUSTERNET_BUILD_TESTS=OFF \
    >"$build.configure.log" 2>&1; then
  cat "$build.configure.log" >&2
  rm -f "$build/CMakeCache.txt"
  die "configuring the fuzz build failed (log above)"
fi
rm -f "$build.configure.log"
cmake --build "$build" --target fuzz_all --parallel "${CLUSTERNET_JOBS:-$(nproc 2>/dev/null || echo 2)}" >/dev/null ||
  die "building the fuzz harnesses failed (run: cmake --build $build --target fuzz_all)"

out="$build/fuzz"
# Seeds gathered afresh each time from the shipped files (and the committed ones), so that a new
# scenario or format change is fuzzed from the start.
seeds="$out/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{fuzz_scenario,fuzz_region_table,fuzz_edge_list,fuzz_results} "$out/findings"
for h in fuzz_scenario fuzz_region_table fuzz_edge_list; do
  cp tests/fuzz/corpus/"${h#fuzz_}"/* "$seeds/$h/" 2>/dev/null || true
done
# The result corpus (tests/fuzz/corpus/results) holds only regressions: forged files on which HDF5
# itself crashes, spins or allocates gigabytes in process. They are not seeds here (each would cost
# the short run its time); hostile_inputs.py result_files reads them as the program does.
cp scenarios/*.yaml tests/io/malformed/*.yaml tests/io/malformed/support/*.yaml "$seeds/fuzz_scenario/"
cp scenarios/data/nuts2_2021_regions.csv "$seeds/fuzz_region_table/"
# Results written by the io library itself, uncompressed so that mutations reach the layout (the
# golden result, compressed and 600 kB, would mostly break deflate streams).
"$out/make_result_seeds" "$seeds/fuzz_results" >/dev/null

# The result seeds must read back through the harness, or it would fuzz only the first check.
if ! CLUSTERNET_FUZZ_SEEDS_MUST_READ=1 "$out/fuzz_results" -runs=0 "$seeds/fuzz_results" >"$out/seed-check.log" 2>&1; then
  grep -m1 "refused" "$out/seed-check.log" >&2 || tail -5 "$out/seed-check.log" >&2
  die "the result-reader harness cannot read its seeds (log: $out/seed-check.log)"
fi

max_len() {
  case $1 in
    fuzz_results) echo 262144 ;;    # the written seeds are 110-140 kB
    fuzz_region_table) echo 65536 ;; # the shipped table is 30 kB
    *) echo 16384 ;;
  esac
}

# Sorts the crash, out-of-memory and timeout inputs of a fork-mode run of fuzz_results. An input is
# contained when (1) replayed in process, the innermost frame of the report that is HDF5 or our
# code is HDF5's (a bug of the library, not of ours), and (2) replayed through the readers' child
# process, as the program reads (with its memory and CPU-time limits), it is refused without a
# crash. Contained inputs are counted and kept as findings/contained-*; anything else is a finding.
triage_hdf5_findings() {
  local out=$1 h=$2 asan=$3 bad=0 contained=0 unreproduced=0 f frame replay
  for f in "$out/findings/$h-"*; do
    [ -e "$f" ] || continue
    case $(basename "$f") in
      "$h-crash-"*|"$h-oom-"*|"$h-timeout-"*) ;;
      *) bad=1; echo "$h: finding $(basename "$f")" >&2; continue ;;
    esac
    replay=$(ASAN_OPTIONS="$asan" timeout 120 "$out/$h" "$f" -rss_limit_mb=2560 -malloc_limit_mb=1048576 \
      -timeout=10 2>&1)
    if ! grep -qE "ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error" <<<"$replay"; then
      unreproduced=$((unreproduced + 1)); rm -f "$f"; continue
    fi
    frame=$(grep -E "^ +#[0-9]+ 0x[0-9a-f]+ " <<<"$replay" | grep -m1 -E "libhdf5|/sim/|/tests/fuzz/" || true)
    if grep -q libhdf5 <<<"$frame" &&
        CLUSTERNET_FUZZ_ISOLATED=1 ASAN_OPTIONS="$asan:allocator_may_return_null=1:max_allocation_size_mb=1024" \
          timeout 120 "$out/$h" "$f" >/dev/null 2>&1; then
      contained=$((contained + 1))
      mv "$f" "$out/findings/contained-$(basename "$f")"
    else
      bad=1
      echo "$h: finding $(basename "$f") (innermost frame: ${frame:-none})" >&2
    fi
  done
  echo "$h: $contained input(s) crashed or exhausted memory inside HDF5 and are contained by the readers' child process (findings/contained-*); $unreproduced did not reproduce"
  return $bad
}

status=0
for h in "${harnesses[@]}"; do
  [ -x "$out/$h" ] || die "no such harness: $h (fuzz_scenario, fuzz_region_table, fuzz_edge_list, fuzz_results)"
  mkdir -p "$out/corpus/$h"
  log="$out/$h.log"
  runs=()
  [ -n "${FUZZ_RUNS:-}" ] && runs=(-runs="$FUZZ_RUNS")
  # -timeout: an input running 10 s is a hang; -malloc_limit_mb: one allocation over 1 GB is a
  # reader trusting a size it should not; -rss_limit_mb: memory actually used. Leaks are ignored:
  # HDF5 keeps free lists until exit.
  malloc_limit=1024
  asan_options=${ASAN_OPTIONS:-}
  if [ "$h" = fuzz_results ]; then
    # HDF5 (not instrumented, not ours) mallocs metadata buffers of the sizes a damaged file
    # declares; glibc refuses the absurd ones and HDF5 reports an error, which the reader turns
    # into "damaged file" (exit 2). Here malloc returns NULL likewise instead of ASan reporting
    # it. Our own allocations are C++ `new`, still reported, and bounded by rss_limit_mb.
    malloc_limit=1048576
    asan_options="allocator_may_return_null=1${asan_options:+:$asan_options}"
  fi
  set +e
  extra=()
  if [ "$h" = fuzz_results ]; then
    # HDF5 1.10 itself crashes, or allocates what a forged size says, on some damaged files; the
    # readers contain that in a child process (sim/io/isolated_read.hpp), but the harness reads in
    # process to see our own crashes. So this harness fuzzes in libFuzzer's fork mode, which goes
    # on after a crash, and every crash, out-of-memory and timeout input is sorted out below.
    extra=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
    rm -f "$out/findings/$h-"*
    asan_options="detect_leaks=0:$asan_options"
  fi
  ASAN_OPTIONS="$asan_options" "$out/$h" "$out/corpus/$h" "$seeds/$h" "${extra[@]}" -max_total_time="$seconds" "${runs[@]}" \
    -max_len="$(max_len "$h")" -timeout=10 -rss_limit_mb=2560 -malloc_limit_mb="$malloc_limit" -detect_leaks=0 \
    -print_final_stats=1 -artifact_prefix="$out/findings/$h-" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ "$h" = fuzz_results ]; then
    execs=$(sed -n 's/^#\([0-9]*\): .*/\1/p' "$log" | tail -1)
    rate=$(sed -n 's/^#[0-9]*: .* exec\/s \([0-9]*\) .*/\1/p' "$log" | tail -1)
    triage_hdf5_findings "$out" "$h" "$asan_options" && rc=0 || rc=1
  fi
  units=$(find "$out/corpus/$h" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    echo "$h: ${execs:-0} executions (${rate:-0}/s), corpus $units inputs, no finding"
  else
    status=1
    echo "$h: FINDING after ${execs:-?} executions (exit $rc); input and log:" >&2
    grep -E "^artifact_prefix|Test unit written|SUMMARY|ERROR" "$log" | head -5 >&2
    echo "  full log: $log" >&2
  fi
done
exit $status
