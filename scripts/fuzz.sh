#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang-14, ASan and UBSan into ./build-fuzz, then
# runs each target from its seed corpus (tests/fuzz/corpus/<target>) for a fixed time.
#
#   scripts/fuzz.sh              20 seconds per target (what scripts/test.sh runs)
#   scripts/fuzz.sh 600          10 minutes per target
#   scripts/fuzz.sh 600 filter   only the targets whose name contains "filter"
#
# New inputs the fuzzer finds go to build-fuzz/corpus/<target>, crash artefacts to
# build-fuzz/artifacts/<target>; the committed corpus is only read.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
only=${2:-}

# libclang-rt-14-dev holds libFuzzer; it is only a recommendation of clang-14.
scripts/deps.sh clang-14 libclang-rt-14-dev

# -O1 and line tables only: the generated Thrift code is large, and this keeps its build short.
# Asserts stay on (no NDEBUG), and any UBSan report stops the run like an ASan one.
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja \
  -DCMAKE_BUILD_TYPE=Fuzz -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only" \
  -DCMAKE_CXX_FLAGS="-fno-sanitize-recover=undefined" \
  -DALMANAC_SANITIZE="address;undefined" -DALMANAC_FUZZ=ON -DALMANAC_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j2 --target almanac_fuzz_targets

# In CI the mutations follow a fixed seed, so a run's outcome depends on the code alone.
seed=()
[[ ${CI:-} == true ]] && seed=(-seed=1)

# Scratch space for the Thrift targets' catalogs, memory-backed where possible; a crashed run
# cannot clean up after itself, so this goes when the script ends.
scratch=$(mktemp -d /dev/shm/almanac-fuzz.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$scratch"' EXIT

targets=(thrift_binary_fuzzer thrift_compact_fuzzer thrift_framed_fuzzer filter_fuzzer
         partition_name_fuzzer codec_fuzzer like_fuzzer hive_type_fuzzer)
failed=()
for target in "${targets[@]}"; do
  [[ -z $only || $target == *"$only"* ]] || continue
  corpus=build-fuzz/corpus/$target
  artifacts=build-fuzz/artifacts/$target
  log=build-fuzz/logs/$target.log
  mkdir -p "$corpus" "$artifacts" build-fuzz/logs
  max_len=4096
  [[ $target == thrift_* ]] && max_len=65536
  # A single allocation above 256 MiB, a process above 1 GiB or an input slower than 10 s is a
  # finding. New inputs go to the first corpus directory; the committed seeds are only read.
  if TMPDIR=$scratch build-fuzz/tests/fuzz/"$target" -max_total_time="$seconds" \
      -max_len="$max_len" -rss_limit_mb=1024 -malloc_limit_mb=256 -timeout=10 -print_final_stats=1 "${seed[@]}" \
      -artifact_prefix="$artifacts/" "$corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz: $target ok (${runs:-?} runs in ${seconds}s, $cov)"
  else
    echo "fuzz: $target FAILED; log $log, inputs in $artifacts:"
    grep -v '^#' "$log" | tail -40
    failed+=("$target")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]}"
  exit 1
fi
