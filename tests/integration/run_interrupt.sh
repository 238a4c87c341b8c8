#!/usr/bin/env bash
# Ctrl-C during a run: the program stops within a few seconds, exits non-zero, and leaves no result
# file that claims to be complete (neither the output nor a .partial).
set -euo pipefail
bin=$1
scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" run "$scenario" -o "$dir/out.h5" --set horizon.months=600 --replicates 4 --quiet &
pid=$!
sleep 1.5
kill -INT "$pid"
start=$(date +%s)
status=0
wait "$pid" || status=$?
elapsed=$(( $(date +%s) - start ))
if [ "$status" -eq 0 ]; then echo "run was not interrupted (status 0)"; exit 1; fi
if [ "$elapsed" -gt 5 ]; then echo "run took ${elapsed}s to stop"; exit 1; fi
if [ -e "$dir/out.h5" ] || [ -e "$dir/out.h5.partial" ]; then echo "a result file was left behind"; exit 1; fi
echo "stopped in ${elapsed}s with status $status and no file"
