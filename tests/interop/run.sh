#!/usr/bin/env bash
# Runs every interop suite against one almanacd, one after the other, and fails if any failed.
# Each suite installs its own client (pip, Maven, apt) and caches it under build/ or ~/.m2.
#
#   tests/interop/run.sh [SUITE...]     (default: all; e.g. pyiceberg spark-3.5)
#
# ALMANACD and ALMANAC_PY_GEN are resolved as tests/interop/lib.sh describes.
source "$(dirname "$0")/lib.sh"
interop_almanacd

# name and command of each suite
declare -A suites=(
  [pyiceberg]="tests/interop/pyiceberg/run.sh"
  [spark-3.5]="tests/interop/spark/run.sh 3.5"
  [spark-4]="tests/interop/spark/run.sh 4"
  [iceberg-spark]="tests/interop/iceberg-spark/run.sh"
  [hive-java]="tests/interop/hive-java/run.sh"
  [hive-conformance]="tests/interop/hive-conformance/run.sh"
)
order=(hive-java hive-conformance pyiceberg spark-3.5 spark-4 iceberg-spark)
if (($#)); then order=("$@"); fi

failed=()
summary=()
for name in "${order[@]}"; do
  command="${suites[$name]:-}"
  if [[ -z $command ]]; then
    echo "interop: unknown suite '$name' (known: ${!suites[*]})" >&2
    exit 2
  fi
  echo "== interop: $name"
  start=$(date +%s)
  status=0
  $command || status=$?
  took=$(($(date +%s) - start))
  if ((status == 0)); then
    summary+=("$name: passed in ${took}s")
  else
    summary+=("$name: FAILED (exit $status) after ${took}s")
    failed+=("$name")
  fi
done

echo "== interop summary"
printf '  %s\n' "${summary[@]}"
((${#failed[@]} == 0))
