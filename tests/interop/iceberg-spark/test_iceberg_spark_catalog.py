"""Iceberg on Spark 3.5 with almanacd as the Iceberg HiveCatalog's metastore.

The tests run in file order and share one SparkSession and one namespace. Each checks what Spark
answers, what almanacd stored (through the project's own Thrift client) and which calls the
Java HiveCatalog made (almanacd's JSON log). The `iceg` catalog reaches almanacd through a relay
(iceberg_spark_gate.py) that makes commit races and failures deterministic: it holds one writer's
alter_table while another writer commits, or loses almanacd's answer to it.
"""

import collections
import getpass
import json
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from iceberg_spark_support import GATED, rows

NS = "interop_ice"
TABLE = f"ice.{NS}.events"
ROWS_1 = [  # id, name, ts
    (1, "a", "2024-01-01 10:00:00"),
    (2, "b", "2024-01-01 11:00:00"),
    (3, "c", "2024-01-02 09:30:00"),
]
ROWS_2 = [  # id, label, ts, amount
    (4, "d", "2024-01-02 12:00:00", 4.5),
    (5, "e", "2024-01-03 08:00:00", 5.5),
]
# The failures a test accepts: Iceberg's HiveCatalog probes for databases and tables that do not
# exist yet, and some tests make a compare-and-swap fail on purpose.
NOT_FOUND = "NoSuchObjectException"
CAS_ERROR = "The table has been modified. The parameter value for key 'metadata_location' is"


def local_path(uri):
    parsed = urlparse(uri)
    assert parsed.scheme in ("file", ""), uri
    return Path(parsed.path)


def values(rows_):
    return ", ".join(f"({i}, '{n}', TIMESTAMP '{t}')" for i, n, t in rows_)


def values_with_amount(rows_):
    return ", ".join(f"({i}, '{n}', TIMESTAMP '{t}', {a})" for i, n, t, a in rows_)


def ids_and_names(spark, sql):
    return [(r[0], r[1]) for r in spark.sql(sql).collect()]


def hms_params(hms, table, db=NS):
    return dict(hms.client.get_table(db, table).parameters)


def snapshots(spark, table):
    """(snapshot_id, parent_id, operation, committed_at millis, summary) in commit order."""
    return [(r[0], r[1], r[2], r[3], dict(r[4])) for r in spark.sql(
        f"SELECT snapshot_id, parent_id, operation, unix_millis(committed_at), summary "
        f"FROM {table}.snapshots ORDER BY committed_at").collect()]


def newest_metadata_file(spark, table):
    return spark.sql(f"SELECT file FROM {table}.metadata_log_entries "
                     "ORDER BY timestamp DESC LIMIT 1").collect()[0][0]


def calls(almanac_log, since):
    return [(e["method"], e["outcome"]) for e in almanac_log.requests(since)]


def unexpected_errors(almanac_log, since):
    """Failed calls other than 'not found' probes and compare-and-swap rejections."""
    return [e for e in almanac_log.requests(since) if e["outcome"] != "ok"
            and NOT_FOUND not in e.get("error", "") and CAS_ERROR not in e.get("error", "")]


def assert_chain(snaps):
    """Each snapshot's parent is the one before it."""
    assert snaps[0][1] is None
    for before, after in zip(snaps, snaps[1:]):
        assert after[1] == before[0], snaps


@pytest.fixture(scope="module")
def namespace(spark, hms):
    spark.sql(f"CREATE NAMESPACE ice.{NS} COMMENT 'iceberg on spark' "
              "WITH PROPERTIES ('team'='data')")
    yield NS
    # Whatever a failed test left behind.
    if NS in [r[0] for r in spark.sql("SHOW NAMESPACES IN ice").collect()]:
        for r in spark.sql(f"SHOW TABLES IN ice.{NS}").collect():
            spark.sql(f"DROP TABLE IF EXISTS ice.{NS}.{r.tableName} PURGE")
        spark.sql(f"DROP NAMESPACE IF EXISTS ice.{NS}")


# --- namespaces and tables ------------------------------------------------------------------


def test_namespace_is_a_database(spark, hms, namespace, warehouse, almanac_log):
    assert NS in [r[0] for r in spark.sql("SHOW NAMESPACES IN ice").collect()]
    db = hms.client.get_database(NS)
    assert db.description == "iceberg on spark"
    assert db.parameters.get("team") == "data"
    assert local_path(db.locationUri) == local_path(warehouse) / f"{NS}.db"
    described = {r[0]: r[1] for r in spark.sql(f"DESCRIBE NAMESPACE EXTENDED ice.{NS}").collect()}
    assert described["Comment"] == "iceberg on spark"
    assert local_path(described["Location"]) == local_path(warehouse) / f"{NS}.db"
    assert "team" in described["Properties"] and "data" in described["Properties"]
    assert db.ownerName == getpass.getuser() and db.ownerType == hms.t.PrincipalType.USER
    # New properties go to the database's parameters (alter_database).
    start = almanac_log.mark()
    spark.sql(f"ALTER NAMESPACE ice.{NS} SET PROPERTIES ('tier'='gold')")
    db = hms.client.get_database(NS)
    assert (db.parameters.get("team"), db.parameters.get("tier")) == ("data", "gold")
    assert db.description == "iceberg on spark"
    assert ("alter_database", "ok") in calls(almanac_log, start)


def test_create_partitioned_table(spark, hms, namespace, warehouse, almanac_log):
    start = almanac_log.mark()
    spark.sql(f"CREATE TABLE {TABLE} (id BIGINT, name STRING, ts TIMESTAMP) USING iceberg "
              "PARTITIONED BY (days(ts)) "
              "TBLPROPERTIES ('format-version'='2', 'team'='data')")
    table = hms.client.get_table(NS, "events")
    params = dict(table.parameters)
    assert table.tableType == "EXTERNAL_TABLE"
    assert table.owner == getpass.getuser()
    assert params["EXTERNAL"] == "TRUE"
    assert params["table_type"] == "ICEBERG"
    assert params["team"] == "data"
    location = local_path(warehouse) / f"{NS}.db" / "events"
    assert local_path(table.sd.location) == location
    metadata = local_path(params["metadata_location"])
    assert metadata.parent == location / "metadata" and metadata.name.startswith("00000-")
    assert metadata.is_file()
    assert "previous_metadata_location" not in params
    assert params["metadata_location"] == newest_metadata_file(spark, TABLE)
    # Iceberg keeps partitioning to itself: the Hive table has plain columns and no keys.
    assert [(c.name, c.type) for c in table.sd.cols] == \
        [("id", "bigint"), ("name", "string"), ("ts", "timestamp")]
    assert not table.partitionKeys
    assert [r.tableName for r in spark.sql(f"SHOW TABLES IN ice.{NS}").collect()] == ["events"]
    # The table was created under the table's lock, which was released.
    served = [m for m, outcome in calls(almanac_log, start) if outcome == "ok"]
    assert "create_table_with_environment_context" in served or "create_table" in served
    assert served.count("lock") == 1 and served.count("unlock") == 1
    assert not unexpected_errors(almanac_log, start)


def test_insert_and_read(spark, hms, namespace, almanac_log):
    before = hms_params(hms, "events")["metadata_location"]
    start = almanac_log.mark()
    spark.sql(f"INSERT INTO {TABLE} VALUES {values(ROWS_1)}")
    assert ids_and_names(spark, f"SELECT id, name FROM {TABLE} ORDER BY id") == \
        [(i, n) for i, n, _ in ROWS_1]
    assert rows(spark, f"SELECT CAST(ts AS STRING) FROM {TABLE} ORDER BY id") == \
        [(t,) for _, _, t in ROWS_1]
    snaps = snapshots(spark, TABLE)
    assert [(s[1], s[2]) for s in snaps] == [(None, "append")]
    assert snaps[0][4]["added-records"] == "3"
    # Two days, two partitions.
    assert sorted(r[0] for r in spark.sql(
        f"SELECT CAST(partition.ts_day AS STRING) FROM {TABLE}.partitions").collect()) == \
        ["2024-01-01", "2024-01-02"]
    params = hms_params(hms, "events")
    assert params["previous_metadata_location"] == before
    assert params["metadata_location"] == newest_metadata_file(spark, TABLE)
    assert params["current-snapshot-id"] == str(snaps[0][0])
    # One commit: lock, read the table, swap the metadata pointer, unlock.
    served = calls(almanac_log, start)
    assert ("alter_table_with_environment_context", "ok") in served
    assert served.count(("lock", "ok")) == 1
    assert served.count(("unlock", "ok")) == 1
    assert not unexpected_errors(almanac_log, start)


def test_schema_and_partition_evolution(spark, hms, namespace, almanac_log):
    start = almanac_log.mark()
    spark.sql(f"ALTER TABLE {TABLE} ADD COLUMN amount DOUBLE")
    spark.sql(f"ALTER TABLE {TABLE} RENAME COLUMN name TO label")
    spark.sql(f"ALTER TABLE {TABLE} ADD PARTITION FIELD bucket(4, id)")
    spark.sql(f"ALTER TABLE {TABLE} SET TBLPROPERTIES ('team'='analytics', 'tier'='gold')")
    spark.sql(f"INSERT INTO {TABLE} VALUES {values_with_amount(ROWS_2)}")

    assert [(r.col_name, r.data_type) for r in spark.sql(f"DESCRIBE TABLE {TABLE}").collect()
            if r.col_name and not r.col_name.startswith("#")][:4] == \
        [("id", "bigint"), ("label", "string"), ("ts", "timestamp"), ("amount", "double")]
    assert rows(spark, f"SELECT id, label, amount FROM {TABLE} ORDER BY id") == \
        [(i, n, None) for i, n, _ in ROWS_1] + [(i, n, a) for i, n, _, a in ROWS_2]
    # Old files keep the old partition spec, new ones have the bucket too.
    assert rows(spark, f"SELECT spec_id, count(*) FROM {TABLE}.files "
                       "GROUP BY spec_id ORDER BY spec_id") == [(0, 2), (1, 2)]
    # almanacd has the evolved columns (Iceberg rewrites the storage descriptor on every
    # commit) and the new metadata file.
    table = hms.client.get_table(NS, "events")
    assert [(c.name, c.type) for c in table.sd.cols] == \
        [("id", "bigint"), ("label", "string"), ("ts", "timestamp"), ("amount", "double")]
    params = dict(table.parameters)
    assert params["metadata_location"] == newest_metadata_file(spark, TABLE)
    spec = json.loads(params["default-partition-spec"])
    assert [f["transform"] for f in spec["fields"]] == ["day", "bucket[4]"]
    schema = json.loads(params["current-schema"])
    assert [f["name"] for f in schema["fields"]] == ["id", "label", "ts", "amount"]
    # Iceberg's table properties are mirrored into the Hive table's parameters.
    assert (params["team"], params["tier"]) == ("analytics", "gold")
    assert dict(rows(spark, f"SHOW TBLPROPERTIES {TABLE}"))["tier"] == "gold"
    served = calls(almanac_log, start)
    # Five commits (four metadata changes and an append), each under the lock.
    assert served.count(("alter_table_with_environment_context", "ok")) == 5
    assert served.count(("lock", "ok")) == 5 and served.count(("unlock", "ok")) == 5
    assert not unexpected_errors(almanac_log, start)


def test_time_travel(spark, hms, namespace):
    snaps = snapshots(spark, TABLE)
    assert [s[2] for s in snaps] == ["append", "append"]
    assert_chain(snaps)
    first, second = snaps
    assert hms_params(hms, "events")["current-snapshot-id"] == str(second[0])
    assert [r[0] for r in spark.sql(f"SELECT snapshot_id FROM {TABLE}.history "
                                    "ORDER BY made_current_at").collect()] == \
        [first[0], second[0]]

    # The first snapshot, read with its own schema (before the rename and the new column).
    old = spark.sql(f"SELECT * FROM {TABLE} VERSION AS OF {first[0]} ORDER BY id")
    assert old.columns == ["id", "name", "ts"]
    assert [(r[0], r[1]) for r in old.collect()] == [(i, n) for i, n, _ in ROWS_1]
    assert ids_and_names(spark, f"SELECT id, label FROM {TABLE} VERSION AS OF {second[0]} "
                                "ORDER BY id") == \
        [(i, n) for i, n, _ in ROWS_1] + [(i, n) for i, n, _, _ in ROWS_2]
    # By time: at the first commit, and just before the second.
    assert [r[0] for r in spark.sql(
        f"SELECT id FROM {TABLE} TIMESTAMP AS OF timestamp_millis({first[3]}) "
        "ORDER BY id").collect()] == [1, 2, 3]
    assert [r[0] for r in spark.sql(
        f"SELECT id FROM {TABLE} TIMESTAMP AS OF timestamp_millis({second[3] - 1}) "
        "ORDER BY id").collect()] == [1, 2, 3]
    assert [r[0] for r in spark.sql(
        f"SELECT id FROM {TABLE} TIMESTAMP AS OF timestamp_millis({second[3]}) "
        "ORDER BY id").collect()] == [1, 2, 3, 4, 5]
    with pytest.raises(Exception, match="(?i)snapshot"):
        spark.sql(f"SELECT * FROM {TABLE} VERSION AS OF 12345").collect()


def test_rollback_and_forward(spark, hms, namespace):
    """Iceberg's procedures move the current snapshot without writing one: each move is a
    metadata commit, and almanacd follows it."""
    first, second = [s[0] for s in snapshots(spark, TABLE)]
    assert rows(spark, f"CALL ice.system.rollback_to_snapshot('{NS}.events', {first})") == \
        [(second, first)]
    assert rows(spark, f"SELECT count(*) FROM {TABLE}") == [(3,)]
    params = hms_params(hms, "events")
    assert params["current-snapshot-id"] == str(first)
    assert params["metadata_location"] == newest_metadata_file(spark, TABLE)
    assert rows(spark, f"CALL ice.system.set_current_snapshot('{NS}.events', {second})") == \
        [(first, second)]
    assert rows(spark, f"SELECT count(*) FROM {TABLE}") == [(5,)]
    assert hms_params(hms, "events")["current-snapshot-id"] == str(second)
    assert [r[0] for r in spark.sql(f"SELECT snapshot_id FROM {TABLE}.history "
                                    "ORDER BY made_current_at").collect()] == \
        [first, second, first, second]


def test_iceberg_view(spark, hms, namespace, almanac_log):
    """An Iceberg view is a Hive VIRTUAL_VIEW whose metadata_location points at Iceberg's view
    metadata; replacing the view commits new metadata the way a table commit does."""
    start = almanac_log.mark()
    spark.sql(f"CREATE VIEW ice.{NS}.late AS SELECT id, label FROM {TABLE} WHERE id > 3")
    assert rows(spark, f"SELECT id, label FROM ice.{NS}.late ORDER BY id") == \
        [(4, "d"), (5, "e")]
    view = hms.client.get_table(NS, "late")
    params = dict(view.parameters)
    assert view.tableType == "VIRTUAL_VIEW"
    assert params["table_type"].upper() == "ICEBERG-VIEW"
    assert local_path(params["metadata_location"]).is_file()
    assert [r.viewName for r in spark.sql(f"SHOW VIEWS IN ice.{NS}").collect()] == ["late"]
    assert "late" not in [r.tableName for r in spark.sql(f"SHOW TABLES IN ice.{NS}").collect()]

    spark.sql(f"CREATE OR REPLACE VIEW ice.{NS}.late AS "
              f"SELECT id, label, amount FROM {TABLE} WHERE id > 4")
    assert rows(spark, f"SELECT * FROM ice.{NS}.late") == [(5, "e", 5.5)]
    replaced = dict(hms.client.get_table(NS, "late").parameters)
    assert replaced["previous_metadata_location"] == params["metadata_location"]
    assert [(c.name, c.type) for c in hms.client.get_table(NS, "late").sd.cols] == \
        [("id", "bigint"), ("label", "string"), ("amount", "double")]

    spark.sql(f"ALTER VIEW ice.{NS}.late RENAME TO ice.{NS}.latest")
    with pytest.raises(hms.t.NoSuchObjectException):
        hms.client.get_table(NS, "late")
    assert rows(spark, f"SELECT id FROM ice.{NS}.latest") == [(5,)]
    spark.sql(f"DROP VIEW ice.{NS}.latest")
    with pytest.raises(hms.t.NoSuchObjectException):
        hms.client.get_table(NS, "latest")
    assert not spark.sql(f"SHOW VIEWS IN ice.{NS}").collect()
    assert not unexpected_errors(almanac_log, start)


# --- commit races, made deterministic with the relay ----------------------------------------


def race(spark, gate, direct_sql, gated_sql, during, timeout=120):
    """Runs `gated_sql` until the relay holds its alter_table, then `direct_sql` in another
    thread, calls `during(outcome)` while both are in flight, and releases the held call. Both
    statements must succeed. `outcome` maps "gated"/"direct" to ("ok", monotonic time of the
    end) or ("error", text) once a statement has ended."""
    outcome = {}

    def run(key, sql):
        try:
            spark.sql(sql)
            outcome[key] = ("ok", time.monotonic())
        except Exception as error:  # noqa: BLE001 - reported by the test
            outcome[key] = ("error", repr(error))

    threads = []
    gate.arm("alter_table_with_environment_context")
    try:
        threads.append(threading.Thread(target=run, args=("gated", gated_sql)))
        threads[-1].start()
        assert gate.held.wait(timeout), "the gated writer never reached alter_table"
        threads.append(threading.Thread(target=run, args=("direct", direct_sql)))
        threads[-1].start()
        during(outcome)
    finally:
        gate.release()
        for thread in threads:
            thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads)
    assert outcome["gated"][0] == "ok", outcome
    assert outcome["direct"][0] == "ok", outcome


def test_compare_and_swap_without_locks(spark, hms, namespace, gate, almanac_log):
    """With Iceberg's Hive lock off (table property engine.hive.lock-enabled=false), a commit is
    one alter_table that swaps metadata_location only if it still holds the writer's base. The
    gated writer read the table, then another writer committed before its alter_table arrived:
    almanacd must reject it, and Iceberg must then retry on the new base."""
    spark.sql(f"CREATE TABLE ice.{NS}.cas (id BIGINT, who STRING) USING iceberg "
              "TBLPROPERTIES ('engine.hive.lock-enabled'='false')")
    base = hms_params(hms, "cas")["metadata_location"]
    start = almanac_log.mark()

    def direct_commits_first(outcome):
        deadline = time.monotonic() + 120
        while "direct" not in outcome and time.monotonic() < deadline:
            time.sleep(0.05)
        assert outcome.get("direct", ("",))[0] == "ok", outcome

    race(spark, gate,
         direct_sql=f"INSERT INTO ice.{NS}.cas VALUES (2, 'direct')",
         gated_sql=f"INSERT INTO {GATED}.{NS}.cas VALUES (1, 'gated')",
         during=direct_commits_first)

    assert rows(spark, f"SELECT id, who FROM ice.{NS}.cas ORDER BY id") == \
        [(1, "gated"), (2, "direct")]
    snaps = snapshots(spark, f"ice.{NS}.cas")
    assert len(snaps) == 2
    assert_chain(snaps)
    assert [s[4]["added-records"] for s in snaps] == ["1", "1"]
    # The direct writer's commit came first; the gated one was rebased onto it.
    assert rows(spark, f"SELECT id FROM ice.{NS}.cas VERSION AS OF {snaps[0][0]}") == [(2,)]
    params = hms_params(hms, "cas")
    assert params["metadata_location"] == newest_metadata_file(spark, f"ice.{NS}.cas")

    served = almanac_log.requests(start)
    methods = [e["method"] for e in served]
    assert not {"lock", "check_lock", "unlock", "heartbeat"} & set(methods), methods
    alters = [e for e in served if e["method"] == "alter_table_with_environment_context"]
    # direct ok, gated rejected by the compare-and-swap, gated again on the new base ok.
    assert [e["outcome"] for e in alters] == ["ok", "error", "ok"], alters
    rejected = alters[1]["error"]
    assert CAS_ERROR in rejected, rejected
    assert not unexpected_errors(almanac_log, start)

    # The gated writer's requests as they went over the wire: each alter_table carries the
    # expected value of metadata_location, the metadata file it had read.
    sent = [args for name, args in gate.requests()
            if name == "alter_table_with_environment_context" and args.tbl_name == "cas"]
    assert len(sent) == 2
    first, retry = (dict(a.environment_context.properties) for a in sent)
    assert first["expected_parameter_key"] == "metadata_location"
    assert first["expected_parameter_value"] == base
    assert retry["expected_parameter_key"] == "metadata_location"
    assert retry["expected_parameter_value"] == dict(sent[1].new_tbl.parameters)[
        "previous_metadata_location"]
    assert dict(sent[1].new_tbl.parameters)["metadata_location"] == params["metadata_location"]
    # The rejection names the value almanacd found (the direct writer's metadata file) and the
    # one the gated writer expected, as Hive's message does.
    assert rejected.endswith(f"is '{retry['expected_parameter_value']}'. "
                             f"The expected was value was '{base}')"), rejected


def test_lock_serialises_commits(spark, hms, namespace, gate, almanac_log):
    """With Iceberg's Hive lock on (the default), the gated writer holds the table's EXCLUSIVE
    lock while its alter_table is held: the other writer must wait (WAITING, polled with
    check_lock), and the lock holder keeps heartbeating."""
    spark.sql(f"CREATE TABLE ice.{NS}.locked (id BIGINT, who STRING) USING iceberg")
    start = almanac_log.mark()
    seen = {}

    def direct_waits_behind_the_lock(outcome):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            locks = hms.client.show_locks(hms.t.ShowLocksRequest(
                dbname=NS, tablename="locked")).locks
            states = sorted(hms.t.LockState._VALUES_TO_NAMES[lock.state] for lock in locks)
            methods = [e["method"] for e in almanac_log.requests(start)]
            if states == ["ACQUIRED", "WAITING"] and "check_lock" in methods and \
                    "heartbeat" in methods:
                seen["locks"] = locks
                break
            time.sleep(0.1)
        assert "direct" not in outcome, "the direct writer committed while the lock was held"
        assert "locks" in seen, "never saw one lock held and one waiting, with a heartbeat"

    race(spark, gate,
         direct_sql=f"INSERT INTO ice.{NS}.locked VALUES (2, 'direct')",
         gated_sql=f"INSERT INTO {GATED}.{NS}.locked VALUES (1, 'gated')",
         during=direct_waits_behind_the_lock)

    assert rows(spark, f"SELECT id, who FROM ice.{NS}.locked ORDER BY id") == \
        [(1, "gated"), (2, "direct")]
    snaps = snapshots(spark, f"ice.{NS}.locked")
    assert len(snaps) == 2
    assert_chain(snaps)
    # The gated commit came first: it held the lock.
    assert rows(spark, f"SELECT id FROM ice.{NS}.locked VERSION AS OF {snaps[0][0]}") == [(1,)]

    for lock in seen["locks"]:
        assert lock.type == hms.t.LockType.EXCLUSIVE
        assert (lock.dbname, lock.tablename) == (NS, "locked")
        assert lock.agentInfo.startswith("Iceberg-")
    assert len({lock.agentInfo for lock in seen["locks"]}) == 2

    served = calls(almanac_log, start)
    assert served.count(("alter_table_with_environment_context", "ok")) == 2
    assert ("check_lock", "ok") in served and ("heartbeat", "ok") in served
    # The waiter's first try found a new base once it got the lock, and retried with a new
    # lock: three locks for two commits, all released.
    assert served.count(("lock", "ok")) == 3
    assert served.count(("unlock", "ok")) == 3
    assert not unexpected_errors(almanac_log, start)
    assert not hms.client.show_locks(hms.t.ShowLocksRequest(
        dbname=NS, tablename="locked")).locks

    # Over the wire: Iceberg's lock request and heartbeats, and no compare-and-swap.
    sent = [(name, args) for name, args in gate.requests()
            if name in ("lock", "heartbeat", "alter_table_with_environment_context",
                        "unlock") and (name != "alter_table_with_environment_context" or
                                       args.tbl_name == "locked")]
    lock_request = next(args.rqst for name, args in sent
                        if name == "lock" and args.rqst.component[0].tablename == "locked")
    [component] = lock_request.component
    assert (component.type, component.level) == \
        (hms.t.LockType.EXCLUSIVE, hms.t.LockLevel.TABLE)
    assert (component.dbname, component.tablename) == (NS, "locked")
    assert not lock_request.txnid
    assert lock_request.agentInfo.startswith("Iceberg-")
    beats = [args.ids for name, args in sent if name == "heartbeat"]
    assert beats and all(not b.txnid and b.lockid for b in beats)
    alter = next(args for name, args in sent if name == "alter_table_with_environment_context")
    assert "expected_parameter_key" not in alter.environment_context.properties


def java_classes(error):
    """The class names of a Py4J error's Java exception and its causes."""
    names, java = [], getattr(error, "java_exception", None)
    while java is not None and len(names) < 20:
        names.append(java.getClass().getName())
        java = java.getCause()
    return names


def test_lost_answer_to_alter_table(spark, hms, namespace, gate, almanac_log):
    """almanacd applies a compare-and-swap alter_table, but its answer is lost on the way back.
    The Hive client sends the call again; almanacd rejects the repeat (metadata_location already
    is the writer's new file), and Iceberg's commit-status check finds that the commit landed:
    the statement succeeds, with exactly one snapshot."""
    spark.sql(f"CREATE TABLE ice.{NS}.lost (id BIGINT) USING iceberg "
              "TBLPROPERTIES ('engine.hive.lock-enabled'='false')")
    base = hms_params(hms, "lost")["metadata_location"]
    start = almanac_log.mark()
    gate.arm("alter_table_with_environment_context", "drop_reply")
    spark.sql(f"INSERT INTO {GATED}.{NS}.lost VALUES (1)")
    assert gate.held.is_set()

    assert rows(spark, f"SELECT id FROM ice.{NS}.lost") == [(1,)]
    snaps = snapshots(spark, f"ice.{NS}.lost")
    assert len(snaps) == 1
    params = hms_params(hms, "lost")
    assert params["previous_metadata_location"] == base
    alters = [e for e in almanac_log.requests(start)
              if e["method"] == "alter_table_with_environment_context"]
    assert [e["outcome"] for e in alters] == ["ok", "error"], alters
    assert alters[1]["error"].endswith(
        f"is '{params['metadata_location']}'. The expected was value was '{base}')")
    assert not unexpected_errors(almanac_log, start)


def test_commit_state_unknown(spark, hms, namespace, gate, almanac_log):
    """As above, but almanacd cannot be reached at all after the lost answer, so Iceberg cannot
    tell whether its commit landed and says so (CommitStateUnknownException). A writer must then
    look, not blindly write again: the snapshot carrying its marker is there, exactly once."""
    spark.sql(f"CREATE TABLE ice.{NS}.unknown (id BIGINT) USING iceberg "
              "TBLPROPERTIES ('engine.hive.lock-enabled'='false', "
              "'commit.status-check.num-retries'='1', 'commit.status-check.min-wait-ms'='100', "
              "'commit.status-check.max-wait-ms'='200', "
              "'commit.status-check.total-timeout-ms'='1000')")
    start = almanac_log.mark()
    frame = spark.createDataFrame([(1,)], "id BIGINT")
    gate.arm("alter_table_with_environment_context", "drop_reply", then_refuse=True)
    try:
        with pytest.raises(Exception) as raised:
            frame.writeTo(f"{GATED}.{NS}.unknown") \
                .option("snapshot-property.marker", "m-1").append()
    finally:
        gate.refuse = False
    assert "org.apache.iceberg.exceptions.CommitStateUnknownException" in \
        java_classes(raised.value), raised.value
    landed = rows(spark, f"SELECT snapshot_id FROM ice.{NS}.unknown.snapshots "
                         "WHERE summary['marker'] = 'm-1'")
    assert len(landed) == 1
    assert rows(spark, f"SELECT id FROM ice.{NS}.unknown") == [(1,)]
    assert hms_params(hms, "unknown")["current-snapshot-id"] == str(landed[0][0])
    alters = [e for e in almanac_log.requests(start)
              if e["method"] == "alter_table_with_environment_context"]
    assert [e["outcome"] for e in alters] == ["ok"], alters


# --- rename and drop -----------------------------------------------------------------------


def test_rename_table(spark, hms, namespace, almanac_log):
    before = hms.client.get_table(NS, "events")
    start = almanac_log.mark()
    spark.sql(f"ALTER TABLE {TABLE} RENAME TO ice.{NS}.events_renamed")
    with pytest.raises(hms.t.NoSuchObjectException):
        hms.client.get_table(NS, "events")
    after = hms.client.get_table(NS, "events_renamed")
    # An Iceberg table is external to Hive: its files stay where they are.
    assert after.sd.location == before.sd.location
    assert dict(after.parameters)["metadata_location"] == \
        dict(before.parameters)["metadata_location"]
    assert local_path(after.sd.location).is_dir()
    assert rows(spark, f"SELECT count(*) FROM ice.{NS}.events_renamed") == [(5,)]
    assert not unexpected_errors(almanac_log, start)


def test_drop_table_and_namespace(spark, hms, namespace, almanac_log):
    location = local_path(hms.client.get_table(NS, "events_renamed").sd.location)
    data_files = [r[0] for r in spark.sql(
        f"SELECT file_path FROM ice.{NS}.events_renamed.files").collect()]
    start = almanac_log.mark()
    for table in ("events_renamed", "cas", "locked", "lost", "unknown"):
        spark.sql(f"DROP TABLE ice.{NS}.{table} PURGE")
        with pytest.raises(hms.t.NoSuchObjectException):
            hms.client.get_table(NS, table)
    assert not spark.sql(f"SHOW TABLES IN ice.{NS}").collect()
    # PURGE: Iceberg deleted the data and metadata files it had written.
    assert data_files and not any(local_path(f).exists() for f in data_files)
    assert not list((location / "metadata").glob("*.metadata.json"))
    spark.sql(f"DROP NAMESPACE ice.{NS}")
    with pytest.raises(hms.t.NoSuchObjectException):
        hms.client.get_database(NS)
    assert NS not in [r[0] for r in spark.sql("SHOW NAMESPACES IN ice").collect()]
    served = [m for m, outcome in calls(almanac_log, start) if outcome == "ok"]
    assert "drop_table_with_environment_context" in served or "drop_table" in served
    assert "drop_database" in served
    assert not unexpected_errors(almanac_log, start)


def test_calls_the_catalog_made(almanac_log, hms):
    """Every call Iceberg's HiveCatalog made in this module is one almanacd serves, and the
    only failures were "not found" probes and two compare-and-swap rejections."""
    sock = hms.transport._TBufferedTransport__trans.handle
    ours = "%s:%d" % sock.getsockname()[:2]  # the test's own client, not Iceberg
    served = [e for e in almanac_log.requests() if e.get("peer") != ours]
    assert not [e for e in served if "Invalid method name" in e.get("error", "")]
    failed = [e for e in served if e["outcome"] != "ok"]
    # The race of test_compare_and_swap_without_locks and the repeated call of
    # test_lost_answer_to_alter_table.
    assert len([e for e in failed if CAS_ERROR in e["error"]]) == 2
    assert not [e for e in failed if CAS_ERROR not in e["error"] and NOT_FOUND not in e["error"]]
    print("methods:", dict(sorted(collections.Counter(e["method"] for e in served).items())))
