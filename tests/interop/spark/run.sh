#!/usr/bin/env bash
# Runs the Spark interop tests: real PySpark 3.5 (built-in Hive 2.3.9 metastore client) against
# a real almanacd. Creates a cached virtual environment under build/venv-spark, installs the pinned
# requirements from PyPI, and installs a Java runtime with apt if none is on the PATH.
#
#   ALMANACD        almanacd to test (default: build/server/almanacd; built by scripts/build.sh
#                   if missing)
#   ALMANAC_PY_GEN  the project's generated Python client (default: <ALMANACD's build>/thrift/gen-py)
# Extra arguments go to pytest (e.g. -k statistics, -x).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$repo"

apt_missing=()
command -v java >/dev/null 2>&1 || apt_missing+=(openjdk-17-jre-headless)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || apt_missing+=(python3-venv)
if ((${#apt_missing[@]})); then
  echo "== installing ${apt_missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    "${apt_missing[@]}"
fi

ALMANACD="${ALMANACD:-$repo/build/server/almanacd}"
if [[ ! -x $ALMANACD ]]; then
  echo "== building almanacd"
  scripts/build.sh
fi
ALMANACD="$(cd "$(dirname "$ALMANACD")" && pwd)/$(basename "$ALMANACD")"
ALMANAC_PY_GEN="${ALMANAC_PY_GEN:-$(dirname "$(dirname "$ALMANACD")")/thrift/gen-py}"
build_dir="$(dirname "$(dirname "$ALMANACD")")"
if [[ ! -d $ALMANAC_PY_GEN/almanac_thrift && -f $build_dir/CMakeCache.txt ]]; then
  cmake --build "$build_dir" --target almanac_thrift_py
fi
if [[ ! -d $ALMANAC_PY_GEN/almanac_thrift ]]; then
  echo "no generated Python client in $ALMANAC_PY_GEN (set ALMANAC_PY_GEN)" >&2
  exit 1
fi

venv=build/venv-spark
requirements=tests/interop/requirements-spark.txt
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
fi
# Reinstall only when the pins changed.
if ! cmp -s "$requirements" "$venv/.installed-requirements"; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/.installed-requirements"
fi

export ALMANACD ALMANAC_PY_GEN
export SPARK_LOCAL_IP=127.0.0.1
unset SPARK_HOME PYSPARK_DRIVER_PYTHON  # Use the Spark that comes with the pinned PySpark.
start=$(date +%s)
status=0
"$venv/bin/python" -m pytest -p no:cacheprovider -v tests/interop/spark "$@" || status=$?
echo "== Spark interop tests took $(( $(date +%s) - start ))s"
exit $status
