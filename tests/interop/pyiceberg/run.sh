#!/usr/bin/env bash
# Runs the PyIceberg interop tests: PyIceberg's HiveCatalog, installed from PyPI at the versions
# pinned in tests/interop/requirements-pyiceberg.txt, against a real almanacd.
#
#   ALMANACD=/path/to/almanacd tests/interop/pyiceberg/run.sh [pytest args...]
#
# Without ALMANACD it uses build/server/almanacd, building it with scripts/build.sh if missing.
# The project's Python Thrift client (thrift/gen-py) is taken from the same build directory, or
# from ALMANAC_PY_GEN. The virtual environment lives in build/venv-pyiceberg and is reused until
# the requirements file changes.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$repo"

requirements=tests/interop/requirements-pyiceberg.txt
venv=build/venv-pyiceberg

install_debian_packages() {
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "run.sh: installing $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

if [[ -z ${ALMANACD:-} ]]; then
  ALMANACD="$repo/build/server/almanacd"
  if [[ ! -x $ALMANACD ]]; then scripts/build.sh; fi
fi
if [[ ! -x $ALMANACD ]]; then
  echo "run.sh: ALMANACD=$ALMANACD is not an executable" >&2
  exit 2
fi
ALMANACD="$(realpath "$ALMANACD")"
build_dir="$(dirname "$(dirname "$ALMANACD")")"  # <build>/server/almanacd
ALMANAC_PY_GEN="${ALMANAC_PY_GEN:-$build_dir/thrift/gen-py}"
if [[ ! -d $ALMANAC_PY_GEN/almanac_thrift ]]; then
  if [[ -f $build_dir/CMakeCache.txt ]]; then
    cmake --build "$build_dir" --target almanac_thrift_py
  else
    echo "run.sh: no Python Thrift client at $ALMANAC_PY_GEN; set ALMANAC_PY_GEN" >&2
    exit 2
  fi
fi

# Debian's python3 has no venv module (ensurepip) until python3-venv is installed.
if ! command -v python3 >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  install_debian_packages python3 python3-venv
fi
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ ! -x $venv/bin/python || ! -f $stamp || $(cat "$stamp") != "$wanted" ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  echo "$wanted" >"$stamp"
fi

export ALMANACD ALMANAC_PY_GEN
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/interop/pyiceberg "$@"
