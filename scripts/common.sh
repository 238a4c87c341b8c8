# Shared by the scripts in this folder (sourced, not run).
# The Python interpreter that sees Debian's python3-* packages: /usr/bin/python3 where it exists
# (a python3 earlier on PATH, e.g. from pyenv, does not see them).
clusternet_python() {
  if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else command -v python3; fi
}
clusternet_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }
die() { echo "clusternet: $*" >&2; exit 1; }
