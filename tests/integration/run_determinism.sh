#!/usr/bin/env bash
# A whole run through the command-line program is bit-identical on 1, 2 and 8 threads: every
# dataset of the result (metrics, region series, summaries) compared with zero tolerance.
set -euo pipefail
bin=$1
scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for t in 1 2 8; do
  "$bin" run "$scenario" --threads "$t" -o "$dir/t$t.h5" --quiet
done
"$bin" check "$dir/t2.h5" --against "$dir/t1.h5" --rtol 0 --atol 0
"$bin" check "$dir/t8.h5" --against "$dir/t1.h5" --rtol 0 --atol 0
# And the same again: two runs on the same thread count.
"$bin" run "$scenario" --threads 2 -o "$dir/again.h5" --quiet
"$bin" check "$dir/again.h5" --against "$dir/t2.h5" --rtol 0 --atol 0
echo "identical on 1, 2 and 8 threads and between runs"
