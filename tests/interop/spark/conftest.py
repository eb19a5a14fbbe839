"""A real SparkSession (PySpark 3.5 or 4, built-in Hive 2.3 client) whose catalog is almanacd."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/interop
from interop_support import stop_spark  # noqa: E402,F401 (peek.py imports it from here)


def spark_versions():
    """(PySpark's version, the version of the Hive metastore client jar it ships)."""
    import pyspark
    jars = Path(pyspark.__file__).parent / "jars"
    hive = sorted(j.name[len("hive-metastore-"):-len(".jar")]
                  for j in jars.glob("hive-metastore-*.jar"))
    return pyspark.__version__, ", ".join(hive) or "?"


def pytest_report_header(config):
    spark, hive = spark_versions()
    return f"pyspark {spark}, Hive metastore client {hive}"


def spark_conf(port, workdir):
    """Spark settings that make almanacd Spark's only metastore. Spark's embedded Derby
    metastore is pointed at a database that does not exist and may not be created, so any use of
    it fails instead of silently standing in for almanacd."""
    workdir = Path(workdir)
    java_tmp = workdir / "java-tmp"
    java_tmp.mkdir(parents=True, exist_ok=True)
    return {
        "spark.master": "local[2]",
        "spark.app.name": "almanac-interop",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": "1g",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.sql.catalogImplementation": "hive",
        "spark.sql.warehouse.dir": f"file:{workdir / 'spark-warehouse'}",
        "spark.local.dir": str(workdir / "spark-local"),
        "spark.driver.extraJavaOptions":
            f"-Djava.io.tmpdir={java_tmp} -Dderby.system.home={workdir / 'derby'}",
        "spark.hadoop.hive.metastore.uris": f"thrift://127.0.0.1:{port}",
        "spark.hadoop.hive.metastore.warehouse.dir": f"file:{workdir / 'spark-warehouse'}",
        "spark.hadoop.hive.metastore.failure.retries": "0",
        "spark.hadoop.hive.metastore.connect.retries": "1",
        "spark.hadoop.javax.jdo.option.ConnectionURL":
            f"jdbc:derby:;databaseName={workdir / 'derby' / 'must_not_exist'};create=false",
        "spark.hadoop.hive.exec.scratchdir": str(workdir / "hive-scratch"),
        "spark.hadoop.hive.exec.local.scratchdir": str(workdir / "hive-local-scratch"),
        "spark.hadoop.hive.downloaded.resources.dir": str(workdir / "hive-resources"),
        "spark.hadoop.hive.querylog.location": str(workdir / "hive-querylog"),
    }


def start_spark(port, workdir):
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    for key, value in spark_conf(port, workdir).items():
        builder = builder.config(key, value)
    spark = builder.enableHiveSupport().getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@pytest.fixture(scope="module")
def spark_dir(interop_tmp):
    path = interop_tmp / "spark"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="module")
def spark(almanac, spark_dir):
    session = start_spark(almanac.port, spark_dir)
    try:
        yield session
    finally:
        stop_spark(session)
