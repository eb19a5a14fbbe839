#!/usr/bin/env bash
# Installs missing dependencies, then configures and builds Almanac into ./build with Ninja.
# Extra arguments are passed to CMake's configure step (e.g. -DALMANAC_WERROR=ON).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build
