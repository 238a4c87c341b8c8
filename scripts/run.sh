#!/usr/bin/env bash
# The main job: set-up if needed, Release build, then run it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root=$(clusternet_root)
cd "$root"
bash scripts/setup.sh || die "set-up failed: required Debian packages are missing (see above)"
bash scripts/build.sh >/dev/null
bin="${CLUSTERNET_BUILD_DIR:-build}/bin/clusternet"
"$bin" --version
