"""Spark (PySpark 3.5 or 4, built-in Hive 2.3 metastore client) with almanacd as its catalog.

The tests run in file order and share one SparkSession and one database; each checks what Spark
answers and, through the project's own Thrift client, what almanacd stored. almanacd's JSON log
shows which calls Spark made (pruning must happen in the metastore: get_partitions_by_filter).
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

DB = "interop_spark"

# Three kinds of partitioned table Spark writes in different ways: Hive parquet (converted to
# Spark's parquet writer), Hive text (written through Hive's loadPartition/loadDynamicPartitions)
# and a Spark data source table.
TABLES = {
    "hive_parquet": "CREATE TABLE {name} (id INT, name STRING, amount DOUBLE) "
                    "PARTITIONED BY (ds STRING, hr INT) STORED AS PARQUET",
    "hive_text": "CREATE TABLE {name} (id INT, name STRING, amount DOUBLE) "
                 "PARTITIONED BY (ds STRING, hr INT) STORED AS TEXTFILE",
    "datasource": "CREATE TABLE {name} (id INT, name STRING, amount DOUBLE, ds STRING, hr INT) "
                  "USING parquet PARTITIONED BY (ds, hr)",
}
FORMATS = {
    "hive_parquet": ("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                     "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"),
    "hive_text": ("org.apache.hadoop.mapred.TextInputFormat",
                  "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"),
    "datasource": ("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                   "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"),
}
ROWS = [  # id, name, amount, ds, hr
    (1, "a", 1.5, "2024-01-01", 1),
    (2, "b", 2.5, "2024-01-01", 1),
    (3, "c", 3.5, "2024-01-01", 2),
    (4, "d", 4.5, "2024-01-02", 1),
    (5, "e", 5.5, "2024-01-02", 2),
]


def table_name(kind):
    return f"events_{kind}"


def local_path(uri):
    """file:/x/y or file:///x/y -> Path('/x/y')."""
    parsed = urlparse(uri)
    assert parsed.scheme in ("file", ""), uri
    return Path(parsed.path)


def rows(spark, sql):
    return [tuple(r) for r in spark.sql(sql).collect()]


def info(spark, sql):
    """A DESCRIBE ... as {first column: second column} (first occurrence wins)."""
    out = {}
    for r in spark.sql(sql).collect():
        out.setdefault(r[0].strip() if r[0] else r[0], r[1])
    return out


def partitions_fetched(spark):
    """How many partitions Spark's Hive client has received from the metastore so far."""
    metrics = spark._jvm.org.apache.spark.metrics.source.HiveCatalogMetrics
    return metrics.METRIC_PARTITIONS_FETCHED().getCount()


def hms_missing(hms, call, *args):
    with pytest.raises(hms.t.NoSuchObjectException):
        call(*args)


@pytest.fixture(scope="module")
def database(spark):
    """The database the table tests share, created by Spark with no explicit location."""
    spark.sql(f"CREATE DATABASE {DB}")
    yield DB
    spark.sql(f"DROP DATABASE IF EXISTS {DB} CASCADE")


# --- the session itself ---------------------------------------------------------------------


def test_spark_uses_almanac_not_derby(spark, almanac_log, spark_dir, hms):
    start = almanac_log.mark()
    names = [r[0] for r in spark.sql("SHOW DATABASES").collect()]
    assert "default" in names
    assert set(names) == set(hms.client.get_all_databases())
    served = almanac_log.methods(start)
    assert served and set(served) & {"get_databases", "get_all_databases"}, served
    # The whole session so far went through almanacd: it said who it is and read `default`.
    everything = almanac_log.methods()
    assert "set_ugi" in everything and "get_database" in everything
    # Nothing created an embedded Derby metastore.
    assert not (spark_dir / "derby" / "must_not_exist").exists()
    assert not Path("metastore_db").exists()


# --- databases ----------------------------------------------------------------------------


def test_database_ddl(spark, hms, spark_dir, almanac_log):
    location = spark_dir / "custom_db_location"
    spark.sql(f"CREATE DATABASE interop_props COMMENT 'made by spark' LOCATION '{location}' "
              "WITH DBPROPERTIES ('team'='data', 'tier'='gold')")
    try:
        assert "interop_props" in [r[0] for r in spark.sql("SHOW DATABASES").collect()]
        assert [r[0] for r in spark.sql("SHOW DATABASES LIKE 'interop_pr*'").collect()] == \
            ["interop_props"]

        desc = info(spark, "DESCRIBE DATABASE EXTENDED interop_props")
        assert desc["Namespace Name"] == "interop_props"
        assert desc["Comment"] == "made by spark"
        assert local_path(desc["Location"]) == location
        assert "(team,data)" in desc["Properties"] and "(tier,gold)" in desc["Properties"]

        db = hms.client.get_database("interop_props")
        assert db.description == "made by spark"
        assert local_path(db.locationUri) == location
        assert db.parameters == {"team": "data", "tier": "gold"}
        assert location.is_dir()

        spark.sql("ALTER DATABASE interop_props SET DBPROPERTIES ('tier'='platinum')")
        assert hms.client.get_database("interop_props").parameters == \
            {"team": "data", "tier": "platinum"}
        desc = info(spark, "DESCRIBE DATABASE EXTENDED interop_props")
        assert "(tier,platinum)" in desc["Properties"]

        # Spark 3.5 asks get_database first; Spark 4 sends create_database and takes Hive's
        # AlreadyExistsException as the answer. Either way the database stays as it was.
        from pyspark.errors import AnalysisException
        start = almanac_log.mark()
        with pytest.raises(AnalysisException, match="already exists"):
            spark.sql("CREATE DATABASE interop_props")
        spark.sql("CREATE DATABASE IF NOT EXISTS interop_props")
        assert hms.client.get_database("interop_props").parameters == \
            {"team": "data", "tier": "platinum"}
        for call in almanac_log.errors(start):
            assert call["method"] == "create_database", call
            assert call["error"].startswith("AlreadyExistsException("), call

        # Spark recognises Hive's "Database ... is not empty" and reports SCHEMA_NOT_EMPTY.
        spark.sql("CREATE TABLE interop_props.t (x INT) STORED AS PARQUET")
        with pytest.raises(AnalysisException, match="SCHEMA_NOT_EMPTY"):
            spark.sql("DROP DATABASE interop_props")
        spark.sql("DROP TABLE interop_props.t")
    finally:
        spark.sql("DROP DATABASE IF EXISTS interop_props CASCADE")
    assert "interop_props" not in [r[0] for r in spark.sql("SHOW DATABASES").collect()]
    hms_missing(hms, hms.client.get_database, "interop_props")


# --- tables, inserts and partition pruning ----------------------------------------------------


@pytest.mark.parametrize("kind", list(TABLES))
def test_create_table(spark, hms, database, spark_dir, kind):
    name = table_name(kind)
    spark.sql(TABLES[kind].format(name=f"{database}.{name}"))
    assert name in [r.tableName for r in spark.sql(f"SHOW TABLES IN {database}").collect()]

    table = hms.client.get_table(database, name)
    assert table.tableType == "MANAGED_TABLE"
    assert [(c.name, c.type) for c in table.partitionKeys] == [("ds", "string"), ("hr", "int")]
    assert [(c.name, c.type) for c in table.sd.cols] == \
        [("id", "int"), ("name", "string"), ("amount", "double")]
    assert (table.sd.inputFormat, table.sd.serdeInfo.serializationLib) == FORMATS[kind]
    location = local_path(table.sd.location)
    assert location == spark_dir / "spark-warehouse" / f"{database}.db" / name
    assert location.is_dir()

    desc = info(spark, f"DESC FORMATTED {database}.{name}")
    assert desc["Type"] == "MANAGED"
    assert desc["Provider"] == ("parquet" if kind == "datasource" else "hive")
    assert local_path(desc["Location"]) == location
    if kind == "datasource":
        assert table.parameters["spark.sql.sources.provider"] == "parquet"


def test_table_made_by_another_client(spark, hms, database):
    """A Hive text table created over Thrift, as Hive or Trino would: no Spark schema properties,
    columns without comments. Spark reads the definition from the metastore alone."""
    t = hms.t
    serde = t.SerDeInfo(name="", serializationLib=FORMATS["hive_text"][1],
                        parameters={"serialization.format": ",", "field.delim": ","})
    sd = t.StorageDescriptor(
        cols=[t.FieldSchema(name="id", type="int"),
              t.FieldSchema(name="label", type="string", comment="a label")],
        inputFormat=FORMATS["hive_text"][0],
        outputFormat="org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        compressed=False, numBuckets=-1, serdeInfo=serde, bucketCols=[], sortCols=[],
        parameters={})
    hms.client.create_table(t.Table(
        tableName="foreign", dbName=database, owner="trino", sd=sd,
        partitionKeys=[t.FieldSchema(name="p", type="string")], parameters={},
        tableType="MANAGED_TABLE"))

    assert rows(spark, f"DESCRIBE {database}.foreign")[:3] == \
        [("id", "int", None), ("label", "string", "a label"), ("p", "string", None)]
    assert "COMMENT ''" not in rows(spark, f"SHOW CREATE TABLE {database}.foreign")[0][0]
    spark.sql(f"INSERT INTO {database}.foreign PARTITION (p='x') VALUES (1, 'one'), (2, 'two')")
    assert sorted(rows(spark, f"SELECT * FROM {database}.foreign WHERE p = 'x'")) == \
        [(1, "one", "x"), (2, "two", "x")]
    [part] = hms.client.get_partitions(database, "foreign", -1)
    lines = [line for f in local_path(part.sd.location).iterdir() if not f.name.startswith(".")
             for line in f.read_text().splitlines()]
    assert sorted(lines) == ["1,one", "2,two"]  # Written with the serde's delimiter.
    spark.sql(f"DROP TABLE {database}.foreign")


@pytest.mark.parametrize("kind", list(TABLES))
def test_insert_and_prune_in_metastore(spark, hms, database, almanac_log, kind):
    name = f"{database}.{table_name(kind)}"
    static = [r for r in ROWS if (r[3], r[4]) == ("2024-01-01", 1)]
    dynamic = [r for r in ROWS if r not in static]
    values = ", ".join(f"({i}, '{n}', {a})" for i, n, a, _, _ in static)
    spark.sql(f"INSERT INTO {name} PARTITION (ds='2024-01-01', hr=1) VALUES {values}")
    spark.sql("SET hive.exec.dynamic.partition.mode=nonstrict")
    values = ", ".join(f"({i}, '{n}', {a}, '{d}', {h})" for i, n, a, d, h in dynamic)
    spark.sql(f"INSERT INTO {name} PARTITION (ds, hr) "
              f"SELECT * FROM VALUES {values} AS v(id, name, amount, ds, hr)")

    expected_parts = ["ds=2024-01-01/hr=1", "ds=2024-01-01/hr=2", "ds=2024-01-02/hr=1",
                      "ds=2024-01-02/hr=2"]
    assert sorted(r[0] for r in spark.sql(f"SHOW PARTITIONS {name}").collect()) == expected_parts
    db, tbl = name.split(".")
    assert sorted(hms.client.get_partition_names(db, tbl, -1)) == expected_parts
    table_location = hms.client.get_table(db, tbl).sd.location.rstrip("/")
    for part in hms.client.get_partitions(db, tbl, -1):
        part_name = f"ds={part.values[0]}/hr={part.values[1]}"
        assert part.sd.location.rstrip("/") == f"{table_location}/{part_name}"
        assert local_path(part.sd.location).is_dir()

    assert sorted(rows(spark, f"SELECT id, name, amount, ds, hr FROM {name}")) == ROWS

    # Pruning happens in the metastore: Spark sends the predicate as a filter string.
    for where, wanted in [
        ("ds = '2024-01-02' AND hr = 2", lambda r: r[3] == "2024-01-02" and r[4] == 2),
        ("hr >= 2", lambda r: r[4] >= 2),
        ("ds > '2024-01-01' OR hr < 2", lambda r: r[3] > "2024-01-01" or r[4] < 2),
    ]:
        start = almanac_log.mark()
        fetched = partitions_fetched(spark)
        frame = spark.sql(f"SELECT id, name, amount, ds, hr FROM {name} WHERE {where}")
        got = sorted(tuple(r) for r in frame.collect())
        assert got == [r for r in ROWS if wanted(r)], where
        # Spark filters again on its side; the count shows that almanacd sent only matches.
        assert partitions_fetched(spark) - fetched == \
            len({(r[3], r[4]) for r in ROWS if wanted(r)}), where
        calls = almanac_log.requests(start)
        assert any(c["method"] == "get_partitions_by_filter" and c["outcome"] == "ok"
                   for c in calls), (where, [c["method"] for c in calls])
        assert not [c for c in calls if c["outcome"] != "ok"], calls
        if kind != "hive_text":  # Hive serde scans report only the table's location.
            read_dirs = {str(Path(urlparse(f).path).parent) for f in frame.inputFiles()}
            wanted_dirs = {f"{local_path(table_location)}/ds={r[3]}/hr={r[4]}" for r in ROWS
                           if wanted(r)}
            assert read_dirs == wanted_dirs, where


# Partition values that need escaping in paths or quoting in filters, a date key, and Hive's
# default partition (a NULL value); and predicates of every shape Spark pushes to the metastore.
AWKWARD = [  # id, s, d, n
    (1, "plain", "2024-01-01", 1),
    (2, "with space", "2024-01-15", 2),
    (3, "it's", "2024-02-01", 10),
    (4, 'say "hi"', "2024-03-01", -5),
    (5, "a/b=c:d%e", "2023-12-31", 100),
    (6, None, "2024-01-01", None),
    (7, "\u00fcmlaut", "2024-01-02", 3),
]
PREDICATES = [
    ("s = 'with space'", lambda s, d, n: s == "with space"),
    ("s = \"it's\"", lambda s, d, n: s == "it's"),
    ("s = 'say \"hi\"'", lambda s, d, n: s == 'say "hi"'),
    ("s = 'a/b=c:d%e'", lambda s, d, n: s == "a/b=c:d%e"),
    ("s = '\u00fcmlaut'", lambda s, d, n: s == "\u00fcmlaut"),
    ("s LIKE 'pl%'", lambda s, d, n: s is not None and s.startswith("pl")),
    ("s > 'p'", lambda s, d, n: s is not None and s > "p"),
    ("n > 2", lambda s, d, n: n is not None and n > 2),
    ("n >= -5 AND n < 10", lambda s, d, n: n is not None and -5 <= n < 10),
    ("n IN (1, 10, 100)", lambda s, d, n: n in (1, 10, 100)),
    ("n NOT IN (1, 10)", lambda s, d, n: n is not None and n not in (1, 10)),
    ("n != 2", lambda s, d, n: n is not None and n != 2),
    ("d = DATE'2024-01-01'", lambda s, d, n: d == "2024-01-01"),
    ("d BETWEEN DATE'2024-01-02' AND DATE'2024-02-01'",
     lambda s, d, n: "2024-01-02" <= d <= "2024-02-01"),
    ("(s = 'plain' OR n = 10) AND d < DATE'2024-03-01'",
     lambda s, d, n: (s == "plain" or n == 10) and d < "2024-03-01"),
]


def test_partition_filters_with_awkward_values(spark, database, almanac_log, hms):
    name = f"{database}.awkward"
    spark.sql(f"CREATE TABLE {name} (id INT) PARTITIONED BY (s STRING, d DATE, n INT) "
              "STORED AS PARQUET")

    def literal(v):
        if v is None:
            return "NULL"
        return str(v) if isinstance(v, int) else "'" + v.replace("'", "\\'") + "'"

    values = ", ".join(f"({i}, {literal(s)}, DATE'{d}', {literal(n)})" for i, s, d, n in AWKWARD)
    spark.sql("SET hive.exec.dynamic.partition.mode=nonstrict")
    spark.sql(f"INSERT INTO {name} PARTITION (s, d, n) "
              f"SELECT * FROM VALUES {values} AS v(id, s, d, n)")
    names = hms.client.get_partition_names(database, "awkward", -1)
    assert "s=__HIVE_DEFAULT_PARTITION__/d=2024-01-01/n=__HIVE_DEFAULT_PARTITION__" in names
    assert "s=a%2Fb%3Dc%3Ad%25e/d=2023-12-31/n=100" in names
    assert sorted(p.values[0] for p in hms.client.get_partitions(database, "awkward", -1)) == \
        sorted("__HIVE_DEFAULT_PARTITION__" if r[1] is None else r[1] for r in AWKWARD)

    for where, wanted in PREDICATES:
        start = almanac_log.mark()
        fetched = partitions_fetched(spark)
        got = sorted(r[0] for r in spark.sql(f"SELECT id FROM {name} WHERE {where}").collect())
        expected = sorted(r[0] for r in AWKWARD if wanted(*r[1:]))
        assert got == expected, where
        assert partitions_fetched(spark) - fetched == len(expected), where
        calls = almanac_log.requests(start)
        assert [c["outcome"] for c in calls if c["method"] == "get_partitions_by_filter"] == \
            ["ok"], (where, calls)
    spark.sql(f"DROP TABLE {name}")


# --- ALTER TABLE --------------------------------------------------------------------------------


def test_alter_table(spark, hms, database, spark_dir):
    spark.sql(TABLES["hive_parquet"].format(name=f"{database}.to_alter"))
    spark.sql(f"INSERT INTO {database}.to_alter PARTITION (ds='2024-02-01', hr=0) "
              "VALUES (1, 'one', 1.0)")

    spark.sql(f"ALTER TABLE {database}.to_alter ADD COLUMNS (note STRING COMMENT 'free text')")
    spark.sql(f"ALTER TABLE {database}.to_alter SET TBLPROPERTIES "
              "('quality'='gold', 'owner.team'='data')")
    spark.sql(f"ALTER TABLE {database}.to_alter UNSET TBLPROPERTIES ('owner.team')")
    old_location = local_path(hms.client.get_table(database, "to_alter").sd.location)
    spark.sql(f"ALTER TABLE {database}.to_alter RENAME TO {database}.renamed")

    tables = [r.tableName for r in spark.sql(f"SHOW TABLES IN {database}").collect()]
    assert "renamed" in tables and "to_alter" not in tables
    hms_missing(hms, hms.client.get_table, database, "to_alter")

    columns = rows(spark, f"DESCRIBE {database}.renamed")
    assert [c[:2] for c in columns[:6]] == [("id", "int"), ("name", "string"),
                                            ("amount", "double"), ("note", "string"),
                                            ("ds", "string"), ("hr", "int")]
    assert columns[3][2] == "free text"
    props = dict(rows(spark, f"SHOW TBLPROPERTIES {database}.renamed"))
    assert props["quality"] == "gold" and "owner.team" not in props

    table = hms.client.get_table(database, "renamed")
    assert table.tableName == "renamed"
    assert [(c.name, c.type, c.comment) for c in table.sd.cols][3] == \
        ("note", "string", "free text")
    assert table.parameters["quality"] == "gold"
    assert "owner.team" not in table.parameters
    # A managed table at its default location moves with the rename, partitions included.
    new_location = local_path(table.sd.location)
    assert new_location == spark_dir / "spark-warehouse" / f"{database}.db" / "renamed"
    assert new_location.is_dir() and not old_location.exists()
    [part] = hms.client.get_partitions(database, "renamed", -1)
    assert local_path(part.sd.location) == new_location / "ds=2024-02-01" / "hr=0"

    spark.sql(f"INSERT INTO {database}.renamed PARTITION (ds='2024-02-01', hr=1) "
              "VALUES (2, 'two', 2.0, 'hello')")
    assert sorted(rows(spark, f"SELECT id, note, ds, hr FROM {database}.renamed")) == \
        [(1, None, "2024-02-01", 0), (2, "hello", "2024-02-01", 1)]


# --- partitions: SHOW, ADD, MSCK REPAIR, DROP ----------------------------------------------------


def test_repair_and_drop_partitions(spark, hms, database, spark_dir):
    name = f"{database}.repaired"
    spark.sql(TABLES["hive_parquet"].format(name=name))
    spark.sql(f"INSERT INTO {name} PARTITION (ds='2024-03-01', hr=1) VALUES (1, 'kept', 1.0)")
    location = local_path(hms.client.get_table(database, "repaired").sd.location)

    # A partition directory made behind the metastore's back, with a file Spark wrote elsewhere.
    staging = spark_dir / "staging"
    spark.createDataFrame([(10, "found", 10.0), (11, "found", 11.0)],
                          "id INT, name STRING, amount DOUBLE") \
        .coalesce(1).write.mode("overwrite").parquet(f"file:{staging}")
    hidden = location / "ds=2024-03-02" / "hr=7"
    hidden.mkdir(parents=True)
    [data_file] = staging.glob("part-*.parquet")
    shutil.move(str(data_file), hidden / data_file.name)
    shutil.rmtree(staging)
    assert sorted(r[0] for r in spark.sql(f"SHOW PARTITIONS {name}").collect()) == \
        ["ds=2024-03-01/hr=1"]

    spark.sql(f"MSCK REPAIR TABLE {name}")
    assert sorted(r[0] for r in spark.sql(f"SHOW PARTITIONS {name}").collect()) == \
        ["ds=2024-03-01/hr=1", "ds=2024-03-02/hr=7"]
    found = hms.client.get_partition(database, "repaired", ["2024-03-02", "7"])
    assert local_path(found.sd.location) == hidden
    assert sorted(rows(spark, f"SELECT id, name, ds, hr FROM {name} WHERE hr = 7")) == \
        [(10, "found", "2024-03-02", 7), (11, "found", "2024-03-02", 7)]

    spark.sql(f"ALTER TABLE {name} ADD PARTITION (ds='2024-03-03', hr=0)")
    assert sorted(hms.client.get_partition_names(database, "repaired", -1)) == \
        ["ds=2024-03-01/hr=1", "ds=2024-03-02/hr=7", "ds=2024-03-03/hr=0"]
    assert (location / "ds=2024-03-03" / "hr=0").is_dir()
    assert rows(spark, f"SHOW PARTITIONS {name} PARTITION (ds='2024-03-03')") == \
        [("ds=2024-03-03/hr=0",)]

    spark.sql(f"ALTER TABLE {name} PARTITION (ds='2024-03-02', hr=7) "
              "RENAME TO PARTITION (ds='2024-03-09', hr=9)")
    moved = hms.client.get_partition(database, "repaired", ["2024-03-09", "9"])
    assert local_path(moved.sd.location) == location / "ds=2024-03-09" / "hr=9"
    assert not hidden.exists() and local_path(moved.sd.location).is_dir()
    assert sorted(rows(spark, f"SELECT id, ds, hr FROM {name} WHERE hr = 9")) == \
        [(10, "2024-03-09", 9), (11, "2024-03-09", 9)]

    spark.sql(f"ALTER TABLE {name} DROP PARTITION (ds='2024-03-01', hr=1)")
    spark.sql(f"ALTER TABLE {name} DROP PARTITION (ds='2024-03-03')")
    assert sorted(r[0] for r in spark.sql(f"SHOW PARTITIONS {name}").collect()) == \
        ["ds=2024-03-09/hr=9"]
    hms_missing(hms, hms.client.get_partition, database, "repaired", ["2024-03-01", "1"])
    assert not (location / "ds=2024-03-01" / "hr=1").exists()  # Managed: its data went too.
    assert not (location / "ds=2024-03-03" / "hr=0").exists()
    assert sorted(r[0] for r in rows(spark, f"SELECT id FROM {name}")) == [10, 11]


# --- statistics -------------------------------------------------------------------------------


def test_statistics(spark, hms, database, almanac_log):
    name = f"{database}.with_stats"
    spark.sql(TABLES["hive_parquet"].format(name=name))
    spark.sql(f"INSERT INTO {name} PARTITION (ds='2024-04-01', hr=1) "
              "VALUES (1, 'x', 1.0), (2, 'yy', 2.0)")
    spark.sql(f"INSERT INTO {name} PARTITION (ds='2024-04-01', hr=2) VALUES (3, NULL, 3.0)")

    spark.sql(f"ANALYZE TABLE {name} COMPUTE STATISTICS")
    desc = info(spark, f"DESC EXTENDED {name}")
    match = re.fullmatch(r"(\d+) bytes, 3 rows", desc["Statistics"])
    assert match, desc["Statistics"]
    params = hms.client.get_table(database, "with_stats").parameters
    assert params["spark.sql.statistics.numRows"] == "3"
    assert params["spark.sql.statistics.totalSize"] == match.group(1)

    start = almanac_log.mark()
    spark.sql(f"ANALYZE TABLE {name} PARTITION (ds, hr) COMPUTE STATISTICS")
    # Both partitions in one call, without an environment context: Hive 2.3.9's client (Spark
    # 3.5) sends it as alter_partitions_with_environment_context, 2.3.10's (Spark 4) as
    # alter_partitions.
    altered = [c for c in almanac_log.requests(start) if c["method"].startswith("alter_partition")]
    assert [c["outcome"] for c in altered] == ["ok"], altered
    desc = info(spark, f"DESC EXTENDED {name} PARTITION (ds='2024-04-01', hr=1)")
    assert re.fullmatch(r"\d+ bytes, 2 rows", desc["Partition Statistics"]), desc
    part = hms.client.get_partition(database, "with_stats", ["2024-04-01", "1"])
    assert part.parameters["spark.sql.statistics.numRows"] == "2"
    part = hms.client.get_partition(database, "with_stats", ["2024-04-01", "2"])
    assert part.parameters["spark.sql.statistics.numRows"] == "1"

    spark.sql(f"ANALYZE TABLE {name} COMPUTE STATISTICS FOR COLUMNS id, name")
    col = info(spark, f"DESC EXTENDED {name} id")
    assert (col["min"], col["max"], col["num_nulls"], col["distinct_count"]) == \
        ("1", "3", "0", "3")
    col = info(spark, f"DESC EXTENDED {name} name")
    assert (col["num_nulls"], col["distinct_count"], col["max_col_len"]) == ("1", "2", "2")
    params = hms.client.get_table(database, "with_stats").parameters
    prefix = "spark.sql.statistics.colStats."
    assert params[prefix + "id.min"] == "1" and params[prefix + "id.max"] == "3"
    assert params[prefix + "id.nullCount"] == "0" and params[prefix + "id.distinctCount"] == "3"
    assert params[prefix + "name.nullCount"] == "1" and params[prefix + "name.maxLen"] == "2"
    assert params["spark.sql.statistics.numRows"] == "3"


# --- views ------------------------------------------------------------------------------------


def test_views(spark, hms, database, almanac_log):
    base = f"{database}.{table_name('hive_parquet')}"
    start = almanac_log.mark()
    spark.sql(f"CREATE VIEW {database}.late AS SELECT id, name FROM {base} WHERE hr = 2")
    assert sorted(rows(spark, f"SELECT * FROM {database}.late")) == [(3, "c"), (5, "e")]
    assert rows(spark, f"SHOW VIEWS IN {database}") == [(database, "late", False)]
    assert "get_tables_by_type" in almanac_log.methods(start)

    view = hms.client.get_table(database, "late")
    assert view.tableType == "VIRTUAL_VIEW"
    assert view.sd.location is None  # As in Hive: a view has no location, not an empty one.
    assert view.viewOriginalText == f"SELECT id, name FROM {base} WHERE hr = 2"
    desc = info(spark, f"DESC FORMATTED {database}.late")
    assert desc["Type"] == "VIEW" and "Location" not in desc

    spark.sql(f"ALTER VIEW {database}.late AS SELECT id FROM {base} WHERE ds = '2024-01-02'")
    assert sorted(rows(spark, f"SELECT * FROM {database}.late")) == [(4,), (5,)]
    spark.sql(f"ALTER VIEW {database}.late RENAME TO {database}.later")
    assert rows(spark, f"SHOW VIEWS IN {database}") == [(database, "later", False)]
    spark.sql(f"DROP VIEW {database}.later")
    assert rows(spark, f"SHOW VIEWS IN {database}") == []
    hms_missing(hms, hms.client.get_table, database, "later")


# --- functions --------------------------------------------------------------------------------


UDF_CLASS = "org.apache.hadoop.hive.ql.udf.generic.GenericUDFUpper"


def test_functions(spark, hms, database):
    spark.sql(f"CREATE FUNCTION {database}.shout AS '{UDF_CLASS}'")
    fn = hms.client.get_function(database, "shout")
    assert (fn.functionName, fn.dbName, fn.className) == ("shout", database, UDF_CLASS)

    desc = [r[0] for r in spark.sql(f"DESCRIBE FUNCTION {database}.shout").collect()]
    assert f"Class: {UDF_CLASS}" in desc, desc
    assert rows(spark, f"SELECT {database}.shout('quiet')") == [("QUIET",)]
    user = [r[0] for r in spark.sql(f"SHOW USER FUNCTIONS IN {database}").collect()]
    assert user == [f"spark_catalog.{database}.shout"], user

    from pyspark.errors import AnalysisException
    with pytest.raises(AnalysisException, match="already exists"):
        spark.sql(f"CREATE FUNCTION {database}.shout AS '{UDF_CLASS}'")

    spark.sql(f"DROP FUNCTION {database}.shout")
    assert [r[0] for r in spark.sql(f"SHOW USER FUNCTIONS IN {database}").collect()] == []
    hms_missing(hms, hms.client.get_function, database, "shout")
    with pytest.raises(AnalysisException, match="UNRESOLVED_ROUTINE|not found"):
        spark.sql(f"SELECT {database}.shout('quiet')").collect()
    spark.sql(f"DROP FUNCTION IF EXISTS {database}.shout")

    # Left behind on purpose: DROP DATABASE CASCADE must remove it.
    spark.sql(f"CREATE FUNCTION {database}.keeper AS '{UDF_CLASS}'")


# --- another Spark process sees the same catalog ------------------------------------------------


def test_second_spark_process_sees_the_catalog(almanac, database, spark_dir, spark):
    other = spark_dir.parent / "spark-peek"
    other.mkdir(exist_ok=True)
    table = table_name("hive_text")
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("peek.py")), str(almanac.port), str(other),
         database, table],
        capture_output=True, text=True, timeout=240, env=dict(os.environ))
    lines = [line for line in result.stdout.splitlines() if line.startswith("PEEK ")]
    assert result.returncode == 0 and lines, result.stdout[-3000:] + result.stderr[-3000:]
    seen = json.loads(lines[-1][len("PEEK "):])
    assert database in seen["databases"]
    assert seen["tables"] == sorted(r.tableName for r in
                                    spark.sql(f"SHOW TABLES IN {database}").collect())
    assert seen["partitions"] == ["ds=2024-01-01/hr=1", "ds=2024-01-01/hr=2",
                                  "ds=2024-01-02/hr=1", "ds=2024-01-02/hr=2"]
    assert seen["ids"] == [1, 2, 3, 4, 5]
    # That process had no Derby either.
    assert not (other / "derby" / "must_not_exist").exists()


# --- dropping ---------------------------------------------------------------------------------


def test_drop_table(spark, hms, database):
    for kind in ("hive_text", "datasource"):
        name = table_name(kind)
        location = local_path(hms.client.get_table(database, name).sd.location)
        assert location.is_dir()
        spark.sql(f"DROP TABLE {database}.{name}")
        assert name not in [r.tableName for r in
                            spark.sql(f"SHOW TABLES IN {database}").collect()]
        hms_missing(hms, hms.client.get_table, database, name)
        assert not location.exists(), f"{kind}: {location} survived DROP TABLE"


def test_drop_external_table_keeps_data(spark, hms, database, spark_dir):
    location = spark_dir / "external_data"
    spark.sql(f"CREATE EXTERNAL TABLE {database}.outside (id INT) PARTITIONED BY (p STRING) "
              f"STORED AS PARQUET LOCATION '{location}'")
    spark.sql(f"INSERT INTO {database}.outside PARTITION (p='x') VALUES (7)")
    table = hms.client.get_table(database, "outside")
    assert table.tableType == "EXTERNAL_TABLE" and table.parameters["EXTERNAL"] == "TRUE"
    assert info(spark, f"DESC FORMATTED {database}.outside")["Type"] == "EXTERNAL"
    spark.sql(f"DROP TABLE {database}.outside")
    hms_missing(hms, hms.client.get_table, database, "outside")
    assert len(list((location / "p=x").glob("*.parquet"))) == 1  # Not Almanac's to delete.


def test_drop_database_cascade(spark, hms, database):
    db_location = local_path(hms.client.get_database(database).locationUri)
    tables = hms.client.get_all_tables(database)
    assert sorted(tables) == ["events_hive_parquet", "renamed", "repaired", "with_stats"]
    locations = [local_path(hms.client.get_table(database, t).sd.location) for t in tables]
    assert all(p.is_dir() for p in locations)
    assert hms.client.get_functions(database, "*") == ["keeper"]

    spark.sql(f"DROP DATABASE {database} CASCADE")
    assert database not in [r[0] for r in spark.sql("SHOW DATABASES").collect()]
    hms_missing(hms, hms.client.get_database, database)
    hms_missing(hms, hms.client.get_function, database, "keeper")
    assert [p for p in locations if p.exists()] == []
    assert not db_location.exists()
