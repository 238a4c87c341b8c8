#!/usr/bin/env bash
# A full file system under every writer: `run`, `compare --csv` and `analyze --partition-out` fail
# with exit 1 and the system's message (no crash: HDF5's clean-up after a failed flush used to
# segfault), and leave nothing behind: no truncated file, no .partial. Needs a small tmpfs, which
# only root can mount; exits 77 (CTest's SKIP_RETURN_CODE) where the environment cannot provide it.
set -uo pipefail
bin=$1
scenario=$2
golden=$3
dir=$(mktemp -d)
mnt="$dir/disk"
cleanup() {
  umount "$mnt" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=256k,mode=0777 tmpfs "$mnt" 2>/dev/null; then
  echo "cannot mount a small tmpfs here (needs root and mount permission): skipped"
  exit 77
fi
fail() {
  echo "FAIL: $*"
  exit 1
}
# Fills the file system, then frees `$1` bytes (tmpfs counts whole pages).
fill_leaving() {
  rm -f "$mnt/filler"
  dd if=/dev/zero of="$mnt/filler" bs=4096 2>/dev/null
  local size
  size=$(stat -c %s "$mnt/filler")
  truncate -s $((size > $1 ? size - $1 : 0)) "$mnt/filler"
}
expect_failure() {  # expect_failure WHAT FILE COMMAND...: exit 1, "No space", FILE absent, no .partial
  local what=$1 file=$2
  shift 2
  local out status=0
  out=$("$@" 2>&1) || status=$?
  [ "$status" -eq 1 ] || fail "$what: exit $status, expected 1: $out"
  grep -q "No space left" <<<"$out" || fail "$what: the message does not say the disk is full: $out"
  [ ! -e "$file" ] || fail "$what: $file was left behind"
  ! ls "$mnt" | grep -q '\.partial$' || fail "$what: a .partial file was left behind: $(ls "$mnt")"
  echo "ok: $what"
}

# The result (about 600 kB) cannot fit at all, or fits only in part.
fill_leaving 0
expect_failure "run on a full disk" "$mnt/r.h5" "$bin" run "$scenario" -o "$mnt/r.h5" --quiet
fill_leaving 65536
expect_failure "run on a nearly full disk" "$mnt/r.h5" "$bin" run "$scenario" -o "$mnt/r.h5" --quiet
# The comparison table (about 10 kB) with one page free: truncated before, refused now.
fill_leaving 4096
expect_failure "compare --csv on a nearly full disk" "$mnt/c.csv" "$bin" compare "$golden" "$golden" --csv "$mnt/c.csv"
# An existing table is kept as it was when its replacement cannot be written.
rm -f "$mnt/filler"
echo "previous" >"$mnt/kept.csv"
fill_leaving 0
out=$("$bin" compare "$golden" "$golden" --csv "$mnt/kept.csv" 2>&1) && fail "compare onto a full disk exited 0"
[ "$(cat "$mnt/kept.csv")" = previous ] || fail "the previous table was damaged: $(head -c 200 "$mnt/kept.csv")"
echo "ok: an existing table survives a failed replacement"
rm -f "$mnt/kept.csv"
printf 'source,target\na,b\nb,c\nc,a\n' >"$dir/edges.csv"
fill_leaving 0
expect_failure "analyze --partition-out on a full disk" "$mnt/p.csv" "$bin" analyze "$dir/edges.csv" --partition-out "$mnt/p.csv"
