#!/usr/bin/env bash
# Runs clang-tidy (Debian's clang-tidy 14) with the checked-in .clang-tidy on the project's C++
# sources (every .cpp under sim/ and tests/ that the build compiles; headers under sim/ and tests/
# through HeaderFilterRegex). Needs a configured build (compile_commands.json). Exit status 0 when
# clang-tidy reports nothing, 1 otherwise. Used by scripts/test.sh; run it alone after a build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root=$(clusternet_root)
cd "$root"
build_dir=${CLUSTERNET_BUILD_DIR:-build}
tidy=${CLANG_TIDY:-clang-tidy}
command -v "$tidy" >/dev/null 2>&1 || die "clang-tidy not found (scripts/setup.sh installs it)"
[ -f "$build_dir/compile_commands.json" ] || die "no $build_dir/compile_commands.json: build first (scripts/build.sh)"

# The compile commands are GCC's: drop the flags clang does not know (it would report them as
# unknown warning options) and -Werror (compiler warnings are the build's business, not tidy's).
db="$build_dir/clang-tidy"
mkdir -p "$db"
"$(clusternet_python)" - "$build_dir/compile_commands.json" "$db/compile_commands.json" <<'PY'
import json, os, re, shlex, sys
gcc_only = {"-Werror", "-Wno-maybe-uninitialized", "-fno-semantic-interposition"}
include = re.compile(r'^#include "(.+)"$')
out = []
for e in json.load(open(sys.argv[1])):
    args = e["arguments"] if "arguments" in e else shlex.split(e["command"])
    e.pop("command", None)
    e["arguments"] = [a for a in args if a not in gcc_only]
    path = os.path.join(e["directory"], e["file"])
    if os.path.basename(os.path.dirname(path)) != "Unity":
        out.append(e)
        continue
    # A unity unit (CMake's UNITY_BUILD) compiles several sources at once: give each its own
    # entry with the unit's flags, so that each source is checked as itself.
    sources = [m.group(1) for m in map(include.match, (line.strip() for line in open(path))) if m]
    if not sources:
        sys.exit(f"clang-tidy.sh: the unity unit {path} includes no source; its sources would go unchecked")
    for source in sources:
        args = [source if a == e["file"] else a for a in e["arguments"]]
        out.append(dict(e, file=source, arguments=args))
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY

# Only the project's own translation units, one clang-tidy per file, as many at once as there
# are cores; every file's findings are printed together.
files=$("$(clusternet_python)" - "$db/compile_commands.json" "$root" <<'PY'
import json, os, sys
root = os.path.realpath(sys.argv[2])
for e in json.load(open(sys.argv[1])):
    path = os.path.realpath(os.path.join(e["directory"], e["file"]))
    rel = os.path.relpath(path, root)
    if rel.endswith(".cpp") and (rel.startswith("sim/") or rel.startswith("tests/")):
        print(rel)
PY
)
[ -n "$files" ] || die "no sources of sim/ or tests/ in the compile database"
jobs=$(nproc 2>/dev/null || echo 2)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# shellcheck disable=SC2086
printf '%s\n' $files | sort -u | xargs -P "$jobs" -n 1 "$tidy" -p "$db" --quiet >"$log" 2>&1 || status=1
grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter' "$log" || true
if [ "$status" -ne 0 ]; then
  echo "clusternet: clang-tidy found problems (above)" >&2
  exit 1
fi
echo "clang-tidy: $(printf '%s\n' $files | sort -u | wc -l) files clean"
