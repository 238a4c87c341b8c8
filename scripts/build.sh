#!/usr/bin/env bash
# Configures and builds ClusterNet into build/ (Release). Used by run.sh and test.sh.
# A failed configure removes the cache it wrote, so a later build cannot silently reuse it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root=$(clusternet_root)
cd "$root"
build_dir=${CLUSTERNET_BUILD_DIR:-build}
generator=()
if command -v ninja >/dev/null 2>&1 && [ ! -f "$build_dir/Makefile" ]; then generator=(-G Ninja); fi
if ! cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DCLUSTERNET_WERROR=ON "$@" >"$build_dir.configure.log" 2>&1; then
  cat "$build_dir.configure.log" >&2
  rm -f "$build_dir/CMakeCache.txt"
  die "configure failed (log above)"
fi
rm -f "$build_dir.configure.log"
jobs=$(nproc 2>/dev/null || echo 2)
cmake --build "$build_dir" --parallel "$jobs" || die "build failed"
