#!/usr/bin/env bash
# Runs the Spark interop tests: real PySpark 3.5 (built-in Hive 2.3.9 metastore client) against
# a real almanacd, with a cached virtual environment under build/venv-spark and a Java runtime
# installed with apt if none is on the PATH. ALMANACD and ALMANAC_PY_GEN are resolved as
# tests/interop/lib.sh describes. Extra arguments go to pytest (e.g. -k statistics, -x).
source "$(dirname "$0")/../lib.sh"
interop_java
interop_almanacd
interop_venv build/venv-spark tests/interop/requirements-spark.txt

export SPARK_LOCAL_IP=127.0.0.1
unset SPARK_HOME PYSPARK_DRIVER_PYTHON  # Use the Spark that comes with the pinned PySpark.
start=$(date +%s)
status=0
"$venv_python" -m pytest -p no:cacheprovider -v tests/interop/spark "$@" || status=$?
echo "== Spark interop tests took $(( $(date +%s) - start ))s"
exit $status
