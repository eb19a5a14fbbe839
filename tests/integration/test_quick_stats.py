"""Quick stats (numFiles, totalSize, numFilesErasureCoded) and the BASIC_STATS flag of
COLUMN_STATS_ACCURATE, as Hive 4's metastore keeps them with hive.stats.autogather on
(MetaStoreServerUtils.updateTableStatsSlow / updatePartitionStatsFast / requireCalStats, called
from HMSHandler.create_table_core, add_partition_core, add_partitions_core,
append_partition_common and HiveAlterHandler.alterTable / alterPartition(s)).

Files are counted recursively; names starting with '.' or '_' are hidden (and hidden
directories are not entered). Only a directory that existed before the call is counted: one the
metastore creates is empty, and gets no stats at all."""

import json
import os
from pathlib import Path

import pytest

from almanac_server import AlmanacServer
from builders import env, partition, table
from clients import Hms

ACCURATE = "COLUMN_STATS_ACCURATE"
FAST = ("numFiles", "totalSize", "numFilesErasureCoded")


def write(path, size):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)


def fill(directory):
    """Two visible files (3 + 4 bytes, one nested) and hidden ones Hive does not count."""
    write(f"{directory}/part-00000", 3)
    write(f"{directory}/nested/part-00001", 4)
    write(f"{directory}/.part-00000.crc", 50)
    write(f"{directory}/_SUCCESS", 50)
    write(f"{directory}/_temporary/0/part-9", 50)
    write(f"{directory}/.hive-staging/x", 50)
    os.makedirs(f"{directory}/empty", exist_ok=True)


def stats(params):
    return {k: params[k] for k in FAST if k in (params or {})}


COUNTED = {"numFiles": "2", "totalSize": "7", "numFilesErasureCoded": "0"}


def table_dir(server, db, name):
    return server.warehouse / f"{db}.db" / name


def test_create_table_counts_the_files_already_there(hms, db, server):
    t, c = hms.t, hms.client
    fill(table_dir(server, db, "full"))
    c.create_table(table(t, db, "full", params={ACCURATE: '{"BASIC_STATS":"true"}'}))
    params = c.get_table(db, "full").parameters
    assert stats(params) == COUNTED
    assert ACCURATE not in params  # Not from a stats task: BASIC_STATS is not accurate.

    # A directory the metastore creates is empty: no stats, the client's flag stays.
    c.create_table(table(t, db, "fresh", params={ACCURATE: '{"BASIC_STATS":"true"}'}))
    params = c.get_table(db, "fresh").parameters
    assert stats(params) == {}
    assert params[ACCURATE] == '{"BASIC_STATS":"true"}'
    assert table_dir(server, db, "fresh").is_dir()


def test_create_table_with_environment_context(hms, db, server):
    t, c = hms.t, hms.client
    for name in ("skipped", "task"):
        fill(table_dir(server, db, name))
    c.create_table_with_environment_context(table(t, db, "skipped"),
                                            env(t, DO_NOT_UPDATE_STATS="true"))
    assert stats(c.get_table(db, "skipped").parameters) == {}
    c.create_table_with_environment_context(table(t, db, "task"), env(t, STATS_GENERATED="TASK"))
    params = c.get_table(db, "task").parameters
    assert stats(params) == COUNTED
    assert json.loads(params[ACCURATE]) == {"BASIC_STATS": "true"}


def test_do_not_update_stats_table_parameter_is_consumed(hms, db, server):
    """updateTableStatsSlow honours and removes the parameter (HIVE-10228's transient flag)."""
    t, c = hms.t, hms.client
    fill(table_dir(server, db, "flagged"))
    c.create_table(table(t, db, "flagged", params={"DO_NOT_UPDATE_STATS": "true"}))
    params = c.get_table(db, "flagged").parameters
    assert stats(params) == {}
    assert "DO_NOT_UPDATE_STATS" not in params


def test_views_and_given_stats_are_left_alone(hms, db, server, tmp_path):
    t, c = hms.t, hms.client
    fill(tmp_path / "v")
    view = table(t, db, "v", table_type="VIRTUAL_VIEW", location=f"file:{tmp_path}/v")
    view.viewOriginalText = view.viewExpandedText = "select 1"
    c.create_table(view)
    assert stats(c.get_table(db, "v").parameters) == {}
    fill(table_dir(server, db, "given"))
    given = {"numFiles": "9", "totalSize": "99", "numFilesErasureCoded": "0"}
    c.create_table(table(t, db, "given", params=given))
    assert stats(c.get_table(db, "given").parameters) == given


def test_partitions_get_stats_of_existing_directories(hms, db, server, tmp_path):
    t, c = hms.t, hms.client
    c.create_table(table(t, db, "p", part_keys=[("ds", "string")]))
    tbl = c.get_table(db, "p")
    assert stats(tbl.parameters) == {}  # Partitioned tables keep stats per partition.
    root = table_dir(server, db, "p")
    for ds in ("a", "c", "d", "e"):
        fill(root / f"ds={ds}")
    fill(tmp_path / "outside")

    added = c.add_partition(partition(t, tbl, ["a"]))
    assert stats(added.parameters) == COUNTED
    assert ACCURATE not in added.parameters
    assert c.add_partitions([partition(t, tbl, ["b"]),
                             partition(t, tbl, ["x"], location=f"file:{tmp_path}/outside")]) == 2
    assert stats(c.get_partition(db, "p", ["b"]).parameters) == {}  # Created now: empty.
    assert stats(c.get_partition(db, "p", ["x"]).parameters) == COUNTED
    assert stats(c.append_partition(db, "p", ["c"]).parameters) == COUNTED

    task = c.add_partition_with_environment_context(partition(t, tbl, ["d"]),
                                                    env(t, STATS_GENERATED="TASK"))
    assert stats(task.parameters) == COUNTED
    assert json.loads(task.parameters[ACCURATE]) == {"BASIC_STATS": "true"}
    # HMSHandler.canUpdateStats looks at the table, not at the call's context.
    ignored = c.add_partition_with_environment_context(partition(t, tbl, ["e"]),
                                                       env(t, DO_NOT_UPDATE_STATS="true"))
    assert stats(ignored.parameters) == COUNTED


def test_partitions_of_a_table_that_opts_out(hms, db, server):
    t, c = hms.t, hms.client
    c.create_table(table(t, db, "p", part_keys=[("ds", "string")]))
    tbl = c.get_table(db, "p")
    tbl.parameters["DO_NOT_UPDATE_STATS"] = "true"
    c.alter_table(db, "p", tbl)  # Partitioned: the parameter stays.
    assert c.get_table(db, "p").parameters["DO_NOT_UPDATE_STATS"] == "true"
    fill(table_dir(server, db, "p") / "ds=a")
    assert stats(c.add_partition(partition(t, tbl, ["a"])).parameters) == {}


def test_alter_partition_recomputes_when_hive_would(hms, db, server):
    t, c = hms.t, hms.client
    c.create_table(table(t, db, "p", part_keys=[("ds", "string")]))
    tbl = c.get_table(db, "p")
    c.add_partition(partition(t, tbl, ["a"]))
    fill(table_dir(server, db, "p") / "ds=a")

    part = c.get_partition(db, "p", ["a"])
    part.parameters["k"] = "v"
    c.alter_partition(db, "p", part)  # It has no stats yet: they are counted.
    part = c.get_partition(db, "p", ["a"])
    assert stats(part.parameters) == COUNTED and part.parameters["k"] == "v"

    write(table_dir(server, db, "p") / "ds=a" / "more", 10)
    part.parameters[ACCURATE] = '{"BASIC_STATS":"true"}'
    c.alter_partition(db, "p", part)  # Same stats as stored: taken as given.
    part = c.get_partition(db, "p", ["a"])
    assert stats(part.parameters) == COUNTED and ACCURATE in part.parameters

    part.parameters["numFiles"] = "100"
    c.alter_partitions_with_environment_context(db, "p", [part],
                                                env(t, DO_NOT_UPDATE_STATS="true"))
    assert c.get_partition(db, "p", ["a"]).parameters["numFiles"] == "100"

    part.parameters["numFiles"] = "200"
    c.alter_partitions(db, "p", [part])  # Different from the stored ones: recounted.
    part = c.get_partition(db, "p", ["a"])
    assert stats(part.parameters) == {"numFiles": "3", "totalSize": "17",
                                      "numFilesErasureCoded": "0"}
    assert ACCURATE not in part.parameters

    c.alter_partition_with_environment_context(db, "p", part, env(t, STATS_GENERATED="TASK"))
    assert json.loads(c.get_partition(db, "p", ["a"]).parameters[ACCURATE]) == {
        "BASIC_STATS": "true"}


def test_alter_table_recounts_unless_told_not_to(hms, db, server):
    t, c = hms.t, hms.client
    c.create_table(table(t, db, "u"))
    fill(table_dir(server, db, "u"))
    tbl = c.get_table(db, "u")
    tbl.parameters.update({"numFiles": "1", "totalSize": "1", "numFilesErasureCoded": "0",
                           ACCURATE: '{"BASIC_STATS":"true"}'})
    c.alter_table_with_environment_context(db, "u", tbl, env(t, DO_NOT_UPDATE_STATS="true"))
    params = c.get_table(db, "u").parameters
    assert stats(params) == {"numFiles": "1", "totalSize": "1", "numFilesErasureCoded": "0"}
    assert ACCURATE in params

    c.alter_table(db, "u", tbl)  # HiveAlterHandler.alterTable: a forced recount.
    params = c.get_table(db, "u").parameters
    assert stats(params) == COUNTED
    assert ACCURATE not in params

    c.alter_table_with_environment_context(db, "u", tbl, env(t, STATS_GENERATED="TASK"))
    assert json.loads(c.get_table(db, "u").parameters[ACCURATE]) == {"BASIC_STATS": "true"}


def test_stats_auto_gather_false(hms, tmp_path):
    srv = AlmanacServer(tmp_path / "srv", "--stats_auto_gather", "false")
    srv.workdir.mkdir()
    srv.start()
    client = Hms(hms.flavour, srv.port)
    try:
        t, c = client.t, client.client
        c.create_database(t.Database(name="sa", description="", parameters={}))
        fill(srv.warehouse / "sa.db" / "u")
        fill(srv.warehouse / "sa.db" / "p" / "ds=a")
        c.create_table(table(t, "sa", "u"))
        assert stats(c.get_table("sa", "u").parameters) == {}
        c.create_table(table(t, "sa", "p", part_keys=[("ds", "string")]))
        tbl = c.get_table("sa", "p")
        assert stats(c.add_partition(partition(t, tbl, ["a"])).parameters) == {}
        # Hive's alter path does not consult the setting.
        c.alter_table("sa", "u", c.get_table("sa", "u"))
        assert stats(c.get_table("sa", "u").parameters) == COUNTED
    finally:
        client.close()
        srv.stop()


def test_hive4_stats_setup_for_an_empty_new_table(hms, db, server):
    """Hive 4 clients ask, through the table's dictionary, that a table created empty start with
    accurate zero stats (updateTableStatsForCreateTable, StatsSetupConst.
    setStatsStateForCreateTable)."""
    t, c = hms.t, hms.client
    if not hasattr(t, "ObjectDictionary"):
        pytest.skip(f"{hms.flavour}'s Table has no dictionary")
    setup = {"setStatsStateForCreateTable": [b'{"enabled":true,"columnNames":["id"]}']}
    empty = table(t, db, "empty")
    empty.dictionary = t.ObjectDictionary(values=setup)
    c.create_table(empty)
    params = c.get_table(db, "empty").parameters
    assert {k: params[k] for k in ("numFiles", "numRows", "totalSize", "rawDataSize",
                                   "numFilesErasureCoded")} == dict.fromkeys(
        ("numFiles", "numRows", "totalSize", "rawDataSize", "numFilesErasureCoded"), "0")
    assert json.loads(params[ACCURATE]) == {"BASIC_STATS": "true", "COLUMN_STATS": {"id": "true"}}

    fill(table_dir(server, db, "full"))  # Not empty: counted instead.
    full = table(t, db, "full")
    full.dictionary = t.ObjectDictionary(values=setup)
    c.create_table(full)
    params = c.get_table(db, "full").parameters
    assert stats(params) == COUNTED and "numRows" not in params
