#!/usr/bin/env bash
# Set-up if needed, build, run the whole test suite, then clang-tidy on the sources
# (scripts/clang-tidy.sh). Exit status: 0 only when both pass.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root=$(clusternet_root)
cd "$root"
bash scripts/setup.sh || die "set-up failed: required Debian packages are missing (see above)"
bash scripts/build.sh
status=0
(cd "${CLUSTERNET_BUILD_DIR:-build}" && ctest --output-on-failure --parallel "$(nproc 2>/dev/null || echo 2)") || status=1
bash scripts/clang-tidy.sh || status=1
exit "$status"
