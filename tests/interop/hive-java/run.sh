#!/usr/bin/env bash
# Runs the Hive Java client interop tests: Apache Hive's own HiveMetaStoreClient in three
# generations (2.3, 3.1, 4.0; Maven Central, versions in tests/interop/hive-java/pom.xml) runs one
# DDL, partition, statistics, function and lock scenario against a real almanacd.
#
#   ALMANACD=/path/to/almanacd tests/interop/hive-java/run.sh [pytest args...]
#   HIVE_JAVA_GENERATIONS=4.0 tests/interop/hive-java/run.sh      (one generation)
#
# ALMANACD and ALMANAC_PY_GEN are resolved as tests/interop/lib.sh describes. Maven and a JDK are
# installed with apt if missing; Maven caches in ~/.m2, the compiled scenarios live in
# build/hive-java and the virtual environment in build/venv-hive-java.
source "$(dirname "$0")/../lib.sh"
interop_maven
interop_almanacd
interop_venv build/venv-hive-java tests/interop/requirements-hive-java.txt

start=$(date +%s)
status=0
"$venv_python" -m pytest -p no:cacheprovider -v tests/interop/hive-java "$@" || status=$?
echo "== Hive Java client interop tests took $(( $(date +%s) - start ))s"
exit $status
