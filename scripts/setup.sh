#!/usr/bin/env bash
# Installs the Debian 12 packages ClusterNet needs to build, test and report, and nothing else.
# Idempotent: packages already installed are left alone, and `apt-get update` runs only when
# something is missing. Works as root or through sudo; never prompts.
set -euo pipefail

packages=(
  # toolchain (clang-tidy: the static checks of scripts/clang-tidy.sh)
  g++ cmake ninja-build pkg-config git clang-tidy
  # C++ libraries (design-fixed dependencies)
  libboost-graph-dev libtbb-dev libhdf5-dev libyaml-cpp-dev catch2 libcli11-dev
  libfmt-dev librandom123-dev
  # zlib (HDF5 depends on it; the writer also deflates chunks itself, in parallel)
  zlib1g-dev
  # Python for the report and the verification tests (run with /usr/bin/python3)
  python3 python3-h5py python3-numpy python3-matplotlib python3-networkx python3-igraph python3-jinja2
  # headless browser for the report's browser test (tests/io/test_report_browser.py)
  chromium
  # sweeps (issue 16): MPI for `mpirun -np N clusternet sweep` (CMake finds it: CLUSTERNET_MPI);
  # xarray/h5netcdf, pandas and R's hdf5r run the tested reading examples of docs/results-format.md
  openmpi-bin libopenmpi-dev
  python3-xarray python3-h5netcdf python3-pandas
  r-cran-hdf5r
)
# Exports and documentation (issue 17): pandas and R with both HDF5 packages, so that the Python
# and R snippets of docs/results-format.md run as tests (tests/io/test_docs_snippets.py); with
# --no-install-recommends R and its HDF5 packages take about 50 MB.
packages+=(python3-pandas r-base-core r-bioc-rhdf5 r-cran-hdf5r)
# Reliability (issue 14): clang and its runtime libraries for the libFuzzer harnesses of the file
# readers (scripts/fuzz.sh; -fsanitize=fuzzer links libclang_rt.fuzzer from libclang-rt-14-dev).
packages+=(clang libclang-rt-14-dev)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "clusternet: setup needs root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

echo "clusternet: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get update -qq >/dev/null; then
  echo "clusternet: 'apt-get update' failed; cannot install: ${missing[*]}" >&2
  exit 1
fi
if ! "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "clusternet: could not install the Debian packages: ${missing[*]}" >&2
  exit 1
fi
