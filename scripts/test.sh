#!/usr/bin/env bash
# Set-up if needed, build, run the whole test suite, then clang-tidy on the sources
# (scripts/clang-tidy.sh). Exit status: 0 only when both pass.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root=$(clusternet_root)
cd "$root"
# How long each part took, printed as it ends: CI runs all of them, and its time is their sum.
phase_start=$SECONDS
phase_done() {
  echo "test.sh: $1 took $((SECONDS - phase_start)) s"
  phase_start=$SECONDS
}
bash scripts/setup.sh || die "set-up failed: required Debian packages are missing (see above)"
phase_done "set-up"
bash scripts/build.sh
phase_done "Release build"
status=0
(cd "${CLUSTERNET_BUILD_DIR:-build}" && ctest --output-on-failure --parallel "$(nproc 2>/dev/null || echo 2)") || status=1
phase_done "Release tests"
bash scripts/clang-tidy.sh || status=1
phase_done "clang-tidy"

# Reliability (issue 14): the unit and integration tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer in a second build folder (build-asan/), so that CI catches memory
# errors the Release build runs through; then each libFuzzer harness of the file readers for 30 s
# (scripts/fuzz.sh, build-fuzz/). Skipped tests: the report's Python rendering and the headless
# browser (no C++ of ours runs there beyond what the other tests run) and the NetworkX/igraph
# comparison, which spends minutes in Python for metric code the unit tests cover.
cd "$root"
# -O1 and line tables only (what OSS-Fuzz builds with): the build takes about half as long as at
# -O2 -g, and a report still names file and line.
CLUSTERNET_BUILD_DIR=build-asan bash scripts/build.sh -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  -DCLUSTERNET_SANITIZE=address,undefined || status=1
phase_done "sanitizer build"
(
  cd build-asan
  ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --output-on-failure --parallel "$(nproc 2>/dev/null || echo 2)" \
      -E '^(io_report|io_report_sweeps|io_report_browser|network_vs_networkx_igraph)$'
) || status=1
phase_done "sanitizer tests"
bash scripts/fuzz.sh 30 || status=1
phase_done "fuzzing"
exit "$status"
