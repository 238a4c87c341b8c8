#!/usr/bin/env bash
# Set-up if needed, build, and run the whole test suite. Exit status is the suite's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root=$(clusternet_root)
cd "$root"
bash scripts/setup.sh || die "set-up failed: required Debian packages are missing (see above)"
bash scripts/build.sh
cd "${CLUSTERNET_BUILD_DIR:-build}"
ctest --output-on-failure --parallel "$(nproc 2>/dev/null || echo 2)"
