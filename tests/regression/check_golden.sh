#!/usr/bin/env bash
# Regression guard: run the CI scenario and compare it with the committed golden result.
# Refresh the golden deliberately with scripts/refresh-goldens.sh (see tests/golden/README.md).
set -euo pipefail
bin=$1
scenario=$2
golden=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" run "$scenario" -o "$dir/result.h5" --quiet
"$bin" check "$dir/result.h5" --against "$golden" --rtol 1e-12 --atol 1e-12
