#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy) over the project's own sources, using the compile commands of a
# build directory (default ./build, configured by scripts/build.sh). Installs clang-tidy with apt
# when missing. Exits non-zero if any check reports a warning.
#
#   scripts/tidy.sh [BUILD_DIR] [FILE_REGEX]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
files="${2:-^$PWD/(common|server|storage|client)/.*\.cc\$}"

if ! command -v run-clang-tidy >/dev/null; then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang-tidy
fi
if [[ ! -f $build/compile_commands.json ]]; then scripts/build.sh; fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# Our headers only: not Thrift's, gRPC's or the generated ones (whose paths also contain
# "/server/" or "/thrift/").
ours="^$PWD/(common|server|storage|client)/"
run-clang-tidy -p "$build" -quiet -header-filter="$ours" "$files" 2>&1 |
  sed 's/\x1b\[[0-9;]*m//g' >"$log" || true
# Findings in our own files count. Clang (unlike GCC) rejects a std::vector member of Thrift's
# generated Hive types (CreationMetadata holds SourceTable, which holds a Table): those errors
# point into the standard library and generated code, not at our files.
grep -E "$ours.*(warning|error):" "$log" | sort -u || true
count=$({ grep -E "$ours.*(warning|error):" "$log" || true; } | sort -u | wc -l)
echo "clang-tidy: $count finding(s)"
[[ $count -eq 0 ]]
