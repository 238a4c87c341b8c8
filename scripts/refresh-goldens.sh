#!/usr/bin/env bash
# Rewrites the golden results under tests/golden/ from the current build. Run deliberately, when a
# change is meant to move results, and say why in the commit (tests/golden/README.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root=$(clusternet_root)
cd "$root"
bash scripts/build.sh >/dev/null
"${CLUSTERNET_BUILD_DIR:-build}/bin/clusternet" run scenarios/ci-small.yaml -o tests/golden/ci-small.h5 --force --quiet
echo "refreshed tests/golden/ci-small.h5"
