"""Spark sessions whose Iceberg catalog is almanacd: PySpark 3.5 with Iceberg's Spark runtime.

Imported by the tests and by the writer processes of the concurrency tests (plain Python, no
pytest). Iceberg's HiveCatalog talks to almanacd through the Hive 2.3.9 metastore client that
comes with PySpark. Spark's own session catalog stays in memory, so every metastore call almanacd
sees comes from Iceberg.

Environment:
  ICEBERG_SPARK_JAR  the iceberg-spark-runtime-3.5_2.12 jar (run.sh resolves it with Maven)
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/interop
from interop_support import log_requests, stop_spark  # noqa: E402,F401 (re-exported)

CATALOG = "ice"  # the Spark catalog name of the Iceberg HiveCatalog
GATED = "iceg"   # the catalog that reaches almanacd through a relay, in tests that have one


def iceberg_jar():
    jar = os.environ.get("ICEBERG_SPARK_JAR")
    if not jar or not Path(jar).is_file():
        raise RuntimeError(f"ICEBERG_SPARK_JAR={jar!r} is not a file; run "
                           "tests/interop/iceberg-spark/run.sh, which resolves it")
    return jar


def spark_conf(port, workdir, warehouse, locks=True, hadoop=None, memory="768m", cores=1,
               catalogs=None):
    """Settings of a local Spark driver with the Iceberg catalog `ice` on almanacd at `port`,
    and one more Iceberg catalog per entry of `catalogs` (name: metastore port).

    locks=False turns Iceberg's Hive lock off for every table of the catalog (Hadoop setting
    iceberg.engine.hive.lock-enabled): a commit is then one alter_table carrying the
    expected-parameter compare-and-swap on metadata_location. `hadoop` adds Hadoop settings."""
    workdir = Path(workdir)
    java_tmp = workdir / "java-tmp"
    java_tmp.mkdir(parents=True, exist_ok=True)
    hadoop_conf = {
        # Iceberg's Hive lock: poll a waiting lock often, and heartbeat an acquired one.
        "iceberg.hive.lock-check-min-wait-ms": "20",
        "iceberg.hive.lock-check-max-wait-ms": "500",
        "iceberg.hive.lock-heartbeat-interval-ms": "2000",
        "iceberg.engine.hive.lock-enabled": "true" if locks else "false",
        # Never fall back to an embedded metastore: a database that may not be created.
        "javax.jdo.option.ConnectionURL":
            f"jdbc:derby:;databaseName={workdir / 'derby' / 'must_not_exist'};create=false",
    }
    hadoop_conf.update(hadoop or {})
    conf = {
        "spark.master": f"local[{cores}]",
        "spark.app.name": "almanac-iceberg-interop",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": memory,
        "spark.sql.shuffle.partitions": "1",
        "spark.default.parallelism": "1",
        "spark.jars": iceberg_jar(),
        "spark.sql.extensions":
            "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
        "spark.sql.catalogImplementation": "in-memory",
        "spark.sql.warehouse.dir": f"file:{workdir / 'spark-warehouse'}",
        "spark.local.dir": str(workdir / "spark-local"),
        # Small, short-lived drivers that share two cores: the serial collector and the client
        # compiler start fastest and keep them lean.
        "spark.driver.extraJavaOptions":
            f"-Djava.io.tmpdir={java_tmp} -Dderby.system.home={workdir / 'derby'} "
            "-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
    }
    for name, catalog_port in {CATALOG: port, **(catalogs or {})}.items():
        conf.update({
            f"spark.sql.catalog.{name}": "org.apache.iceberg.spark.SparkCatalog",
            f"spark.sql.catalog.{name}.type": "hive",
            f"spark.sql.catalog.{name}.uri": f"thrift://127.0.0.1:{catalog_port}",
            f"spark.sql.catalog.{name}.warehouse": warehouse,
            # Every statement reads the table's current metadata from the metastore.
            f"spark.sql.catalog.{name}.cache-enabled": "false",
        })
    for key, value in hadoop_conf.items():
        conf[f"spark.hadoop.{key}"] = value
    return conf


def start_spark(port, workdir, warehouse, **options):
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    for key, value in spark_conf(port, workdir, warehouse, **options).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def rows(spark, sql):
    return [tuple(r) for r in spark.sql(sql).collect()]
