#!/usr/bin/env bash
# Runs the Spark interop tests: real PySpark with its built-in Hive metastore client against a
# real almanacd. ALMANACD and ALMANAC_PY_GEN are resolved as tests/interop/lib.sh describes.
#
#   tests/interop/spark/run.sh [3.5|4] [pytest args...]
#   SPARK_SERIES=4 tests/interop/spark/run.sh -k statistics
#
# The series (default 3.5) picks the pins and the cached virtual environment:
#   3.5  tests/interop/requirements-spark.txt   build/venv-spark    Spark 3.5, Hive 2.3.9 client
#   4    tests/interop/requirements-spark4.txt  build/venv-spark4   Spark 4.3, Hive 2.3.10 client
# Both run on Java 17, installed with apt when the Java that PySpark would launch is missing (or,
# for Spark 4, which needs Java 17 or later, older). Extra arguments go to pytest (-k, -x, ...).
source "$(dirname "$0")/../lib.sh"

series="${SPARK_SERIES:-3.5}"
if [[ ${1:-} == 3.5 || ${1:-} == 4 ]]; then
  series="$1"
  shift
fi
case "$series" in
  3.5) requirements=tests/interop/requirements-spark.txt venv=build/venv-spark min_java=8 ;;
  4) requirements=tests/interop/requirements-spark4.txt venv=build/venv-spark4 min_java=17 ;;
  *)
    echo "interop: SPARK_SERIES must be 3.5 or 4, not '$series'" >&2
    exit 2
    ;;
esac

interop_java "$min_java"
echo "interop: Spark $series on Java $(interop_java_version)"

interop_almanacd
interop_venv "$venv" "$requirements"

export SPARK_LOCAL_IP=127.0.0.1
unset SPARK_HOME PYSPARK_DRIVER_PYTHON  # Use the Spark that comes with the pinned PySpark.
start=$(date +%s)
status=0
"$venv_python" -m pytest -p no:cacheprovider -v tests/interop/spark "$@" || status=$?
echo "== Spark $series interop tests took $(( $(date +%s) - start ))s"
exit $status
