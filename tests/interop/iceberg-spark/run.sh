#!/usr/bin/env bash
# Runs the Iceberg-on-Spark interop tests: PySpark 3.5 (the pins of
# tests/interop/requirements-spark.txt, sharing build/venv-spark with the Spark suite) with
# Iceberg's Spark runtime, whose HiveCatalog uses Spark's built-in Hive 2.3.9 metastore client
# against a real almanacd. The runtime jar is fetched once with Maven into build/iceberg-spark.
# Java 17 is installed with apt when the Java that PySpark would launch is missing or older, and
# Maven with a JDK when the jar has to be fetched. ALMANACD and ALMANAC_PY_GEN are resolved as
# tests/interop/lib.sh describes. Extra arguments go to pytest (e.g. -k concurrency, -x).
#
#   ICEBERG_VERSION  Iceberg release to test (default below)
#   ICEBERG_SPARK_JAR  a runtime jar to use instead of resolving one
source "$(dirname "$0")/../lib.sh"

interop_java 17  # Iceberg 1.12 is built for Java 17.
interop_almanacd
interop_venv build/venv-spark tests/interop/requirements-spark.txt

ICEBERG_VERSION="${ICEBERG_VERSION:-1.12.0}"
if [[ -z ${ICEBERG_SPARK_JAR:-} ]]; then
  jars="$repo/build/iceberg-spark"
  ICEBERG_SPARK_JAR="$jars/iceberg-spark-runtime-3.5_2.12-$ICEBERG_VERSION.jar"
  if [[ ! -f $ICEBERG_SPARK_JAR ]]; then
    interop_maven
    # The runtime jar is self-contained (Iceberg shades what it needs; Spark brings Hadoop and
    # the Hive client), so no transitive dependencies. Maven caches it in its local repository
    # and copies it here.
    mvn -q -B -Dstyle.color=never dependency:copy -DoutputDirectory="$jars" \
      -Dartifact="org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:$ICEBERG_VERSION"
  fi
fi
export ICEBERG_SPARK_JAR

export SPARK_LOCAL_IP=127.0.0.1
unset SPARK_HOME PYSPARK_DRIVER_PYTHON  # Use the Spark that comes with the pinned PySpark.
start=$(date +%s)
status=0
"$venv_python" -m pytest -p no:cacheprovider -v tests/interop/iceberg-spark "$@" || status=$?
echo "== Iceberg-on-Spark interop tests (Iceberg $ICEBERG_VERSION) took $(( $(date +%s) - start ))s"
exit $status
