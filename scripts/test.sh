#!/usr/bin/env bash
# Runs the whole test suite: builds with warnings as errors, runs the unit tests (ctest), then
# the integration tests, which start the real almanacd binary and drive it over TCP with our
# own Thrift client, the almanac CLI (gRPC) and clients installed from PyPI (hmsclient,
# pyiceberg), then the interop suites with real engines (tests/interop/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh -DALMANAC_WERROR=ON

echo "== formatting"
scripts/check-format.sh

echo "== unit tests"
ctest --test-dir build --output-on-failure -j2

echo "== fuzz"
scripts/fuzz.sh  # 20 s per target, in its own clang build (build-fuzz)

echo "== integration tests"
venv=build/venv
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check -r tests/integration/requirements.txt
ALMANACD="$PWD/build/server/almanacd" ALMANAC_PY_GEN="$PWD/build/thrift/gen-py" \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/integration

echo "== interop tests"
ALMANACD="$PWD/build/server/almanacd" ALMANAC_PY_GEN="$PWD/build/thrift/gen-py" \
  tests/interop/run.sh
