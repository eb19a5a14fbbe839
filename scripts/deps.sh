#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build and test Almanac, plus any named as arguments
# (e.g. scripts/deps.sh clang-14). Safe to run repeatedly: it only calls apt-get when something
# is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libthrift-dev thrift-compiler libsqlite3-dev libabsl-dev libboost-dev libre2-dev
  libgtest-dev libgmock-dev
  python3 python3-venv python3-pip clang-format
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
