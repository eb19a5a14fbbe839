"""alter_table (incl. compare-and-swap and cascade), rename and drop, through every flavour."""

import os
import time

import pytest

from builders import database, env, make, partition, server_time_lower_bound, table

CAS_PREFIX = "The table has been modified. The parameter value for key 'metadata_location' is"


def local(location):
    return location[len("file:"):]


def iceberg_table(t, db, name, metadata="s3://b/m1.json"):
    return table(t, db, name, table_type="EXTERNAL_TABLE",
                 params={"EXTERNAL": "TRUE", "table_type": "ICEBERG",
                         "metadata_location": metadata})


def test_alter_table(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "a1", params={"k": "v"}))
    old = hms.client.get_table(db, "a1")
    new = hms.client.get_table(db, "a1")
    new.parameters = {"k": "v2", "added": "1"}  # no transient_lastDdlTime: the server sets it
    new.sd.cols.append(t.FieldSchema(name="Extra", type="double", comment="c"))
    new.createTime = 1  # ignored: the creation time is the server's
    before = server_time_lower_bound()
    hms.client.alter_table(db, "A1", new)
    got = hms.client.get_table(db, "a1")
    assert got.parameters["k"] == "v2" and got.parameters["added"] == "1"
    assert before <= int(got.parameters["transient_lastDdlTime"]) <= time.time() + 1
    assert [c.name for c in got.sd.cols] == ["id", "name", "extra"]
    assert got.createTime == old.createTime
    assert got.sd.location == old.sd.location
    with pytest.raises(t.InvalidOperationException) as err:
        hms.client.alter_table(db, "missing", new)
    assert "missing" in err.value.message


def test_alter_cannot_change_partition_keys(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "pk", part_keys=[("ds", "string")]))
    new = hms.client.get_table(db, "pk")
    new.partitionKeys = [t.FieldSchema(name="other", type="string", comment="")]
    with pytest.raises(t.InvalidOperationException) as err:
        hms.client.alter_table(db, "pk", new)
    assert "partition keys can not be changed" in err.value.message
    assert [k.name for k in hms.client.get_table(db, "pk").partitionKeys] == ["ds"]


def test_alter_with_environment_context_compare_and_swap(hms, db):
    t = hms.t
    hms.client.create_table(iceberg_table(t, db, "ice"))
    new = hms.client.get_table(db, "ice")
    new.parameters["previous_metadata_location"] = "s3://b/m1.json"
    new.parameters["metadata_location"] = "s3://b/m2.json"
    hms.client.alter_table_with_environment_context(
        db, "ice", new, env(t, expected_parameter_key="metadata_location",
                            expected_parameter_value="s3://b/m1.json"))
    assert hms.client.get_table(db, "ice").parameters["metadata_location"] == "s3://b/m2.json"
    # A writer that still believes m1 is current loses.
    stale = hms.client.get_table(db, "ice")
    stale.parameters["metadata_location"] = "s3://b/m3-lost.json"
    with pytest.raises(t.MetaException) as err:
        hms.client.alter_table_with_environment_context(
            db, "ice", stale, env(t, expected_parameter_key="metadata_location",
                                  expected_parameter_value="s3://b/m1.json"))
    assert err.value.message.startswith(CAS_PREFIX), err.value.message
    assert "s3://b/m2.json" in err.value.message
    assert hms.client.get_table(db, "ice").parameters["metadata_location"] == "s3://b/m2.json"
    # PyIceberg's commit shape: DO_NOT_UPDATE_STATS alongside the expectation.
    stale.parameters["metadata_location"] = "s3://b/m3.json"
    hms.client.alter_table_with_environment_context(
        db, "ice", stale, env(t, DO_NOT_UPDATE_STATS="true",
                              expected_parameter_key="metadata_location",
                              expected_parameter_value="s3://b/m2.json"))
    assert hms.client.get_table(db, "ice").parameters["metadata_location"] == "s3://b/m3.json"


def test_compare_and_swap_on_missing_parameter(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "plain"))
    new = hms.client.get_table(db, "plain")
    new.parameters["metadata_location"] = "s3://y"  # The new value is set; the old one is not.
    with pytest.raises(t.MetaException) as err:
        hms.client.alter_table_with_environment_context(
            db, "plain", new, env(t, expected_parameter_key="metadata_location",
                                  expected_parameter_value="s3://x"))
    assert err.value.message.startswith(CAS_PREFIX + " 'null'")


def test_compare_and_swap_needs_the_new_value(hms, db):
    """Hive (HiveAlterHandler.alterTable) rejects an expectation whose key the new table does
    not set, before it compares the old value."""
    t = hms.t
    hms.client.create_table(iceberg_table(t, db, "unset"))
    new = hms.client.get_table(db, "unset")
    del new.parameters["metadata_location"]
    with pytest.raises(t.MetaException) as err:
        hms.client.alter_table_with_environment_context(
            db, "unset", new, env(t, expected_parameter_key="metadata_location",
                                  expected_parameter_value="s3://b/m1.json"))
    assert err.value.message == "New value for expected key metadata_location is not set"
    assert hms.client.get_table(db, "unset").parameters["metadata_location"] == "s3://b/m1.json"


def test_alter_table_req(hms, db):
    if not hms.has("alter_table_req"):
        pytest.skip(f"{hms.flavour} has no alter_table_req")
    t = hms.t
    hms.client.create_table(iceberg_table(t, db, "req"))
    new = hms.client.get_table(db, "req")
    new.parameters["metadata_location"] = "s3://b/m2.json"
    cas = env(t, expected_parameter_key="metadata_location",
              expected_parameter_value="s3://b/m1.json")
    hms.client.alter_table_req(make(t, "AlterTableRequest", dbName=db, tableName="req",
                                    table=new, environmentContext=cas))
    assert hms.client.get_table(db, "req").parameters["metadata_location"] == "s3://b/m2.json"
    with pytest.raises(t.MetaException) as err:
        hms.client.alter_table_req(make(t, "AlterTableRequest", dbName=db, tableName="req",
                                        table=new, environmentContext=cas))
    assert err.value.message.startswith(CAS_PREFIX)
    fields = {spec[2] for spec in t.AlterTableRequest.thrift_spec if spec}
    if "expectedParameterKey" in fields:  # Hive 4's request fields instead of the context
        with pytest.raises(t.MetaException) as err:
            hms.client.alter_table_req(t.AlterTableRequest(
                dbName=db, tableName="req", table=new, expectedParameterKey="metadata_location",
                expectedParameterValue="s3://b/m1.json"))
        assert err.value.message.startswith(CAS_PREFIX)
        new.parameters["metadata_location"] = "s3://b/m3.json"
        hms.client.alter_table_req(t.AlterTableRequest(
            dbName=db, tableName="req", table=new, expectedParameterKey="metadata_location",
            expectedParameterValue="s3://b/m2.json"))
        assert hms.client.get_table(db, "req").parameters["metadata_location"] == \
            "s3://b/m3.json"


@pytest.mark.parametrize("cascade", [True, False])
def test_alter_table_with_cascade(hms, db, cascade):
    t = hms.t
    tbl = table(t, db, "casc", part_keys=[("ds", "string")])
    hms.client.create_table(tbl)
    tbl = hms.client.get_table(db, "casc")
    hms.client.add_partitions([partition(t, tbl, ["a"]), partition(t, tbl, ["b"])])
    tbl.sd.cols.append(t.FieldSchema(name="added", type="int", comment=""))
    hms.client.alter_table_with_cascade(db, "casc", tbl, cascade)
    assert [c.name for c in hms.client.get_table(db, "casc").sd.cols] == ["id", "name", "added"]
    expected = ["id", "name", "added"] if cascade else ["id", "name"]
    for part in hms.client.get_partitions(db, "casc", -1):
        assert [c.name for c in part.sd.cols] == expected, part.values


def test_cascade_via_environment_context(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "casc2", part_keys=[("ds", "string")]))
    tbl = hms.client.get_table(db, "casc2")
    hms.client.add_partition(partition(t, tbl, ["a"]))
    tbl.sd.cols.append(t.FieldSchema(name="added", type="int", comment=""))
    hms.client.alter_table_with_environment_context(db, "casc2", tbl, env(t, CASCADE="true"))
    part = hms.client.get_partition(db, "casc2", ["a"])
    assert [c.name for c in part.sd.cols] == ["id", "name", "added"]


def test_rename_managed_table_moves_data(hms, db, server, tmp_path):
    t = hms.t
    hms.client.create_table(table(t, db, "old_name", part_keys=[("ds", "string")]))
    tbl = hms.client.get_table(db, "old_name")
    old_dir = local(tbl.sd.location)
    hms.client.add_partition(partition(t, tbl, ["x"]))
    outside = f"file:{tmp_path}/outside"
    hms.client.add_partition(partition(t, tbl, ["o"], location=outside))
    with open(os.path.join(old_dir, "ds=x", "data.txt"), "w") as f:
        f.write("1\n")
    tbl.tableName = "New_Name"
    hms.client.alter_table(db, "old_name", tbl)
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_table(db, "old_name")
    got = hms.client.get_table(db, "new_name")
    new_location = f"file:{server.warehouse}/{db}.db/new_name"
    assert got.tableName == "new_name"
    assert got.sd.location == new_location
    assert not os.path.exists(old_dir)
    assert open(os.path.join(local(new_location), "ds=x", "data.txt")).read() == "1\n"
    part = hms.client.get_partition(db, "new_name", ["x"])
    assert part.sd.location == f"{new_location}/ds=x"
    assert part.tableName == "new_name"
    # A partition outside the table's directory stays where it is.
    assert hms.client.get_partition(db, "new_name", ["o"]).sd.location == outside
    assert (tmp_path / "outside").is_dir()
    assert hms.client.get_all_tables(db) == ["new_name"]


def test_rename_into_other_database(hms, db, name, server):
    t = hms.t
    other = name("db")
    hms.client.create_database(database(t, other))
    try:
        hms.client.create_table(table(t, db, "mover"))
        tbl = hms.client.get_table(db, "mover")
        tbl.dbName = other
        hms.client.alter_table(db, "mover", tbl)
        got = hms.client.get_table(other, "mover")
        assert got.sd.location == f"file:{server.warehouse}/{other}.db/mover"
        assert os.path.isdir(local(got.sd.location))
        assert not os.path.exists(f"{server.warehouse}/{db}.db/mover")
        assert hms.client.get_all_tables(db) == []
        tbl = hms.client.get_table(other, "mover")
        tbl.dbName = "no_such_db_z"
        with pytest.raises(t.InvalidOperationException):
            hms.client.alter_table(other, "mover", tbl)
    finally:
        hms.client.drop_database(other, True, True)


def test_rename_external_table_keeps_location(hms, db, tmp_path):
    t = hms.t
    where = f"file:{tmp_path}/ext"
    hms.client.create_table(table(t, db, "ext", table_type="EXTERNAL_TABLE",
                                  params={"EXTERNAL": "TRUE"}, location=where))
    tbl = hms.client.get_table(db, "ext")
    tbl.tableName = "ext2"
    hms.client.alter_table(db, "ext", tbl)
    assert hms.client.get_table(db, "ext2").sd.location == where
    assert (tmp_path / "ext").is_dir()


def test_rename_onto_existing_table_fails(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "r1"))
    hms.client.create_table(table(t, db, "r2"))
    tbl = hms.client.get_table(db, "r1")
    tbl.tableName = "r2"
    with pytest.raises(t.InvalidOperationException) as err:
        hms.client.alter_table(db, "r1", tbl)
    assert err.value.message == f"new table {db}.r2 already exists"
    assert hms.client.get_all_tables(db) == ["r1", "r2"]


def test_drop_table_variants(hms, db):
    t = hms.t
    for n in ("d1", "d2", "d3"):
        hms.client.create_table(table(t, db, n))
    hms.client.drop_table(db, "D1", False)
    hms.client.drop_table_with_environment_context(db, "d2", False, env(t, ifPurge="TRUE"))
    if hms.has("drop_table_req"):
        hms.client.drop_table_req(make(t, "DropTableRequest", dbName=db, tableName="d3",
                                       deleteData=False))
    else:
        hms.client.drop_table(db, "d3", False)
    assert hms.client.get_all_tables(db) == []
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_table(db, "d1")
    with pytest.raises(t.NoSuchObjectException):
        hms.client.drop_table(db, "d1", False)
    with pytest.raises(t.NoSuchObjectException):
        hms.client.drop_table_with_environment_context(db, "d2", False, env(t))


@pytest.mark.parametrize("delete_data", [True, False])
def test_drop_managed_table_data(hms, db, delete_data):
    t = hms.t
    hms.client.create_table(table(t, db, "dd", part_keys=[("ds", "string")]))
    tbl = hms.client.get_table(db, "dd")
    hms.client.add_partition(partition(t, tbl, ["p"]))
    where = local(tbl.sd.location)
    assert os.path.isdir(os.path.join(where, "ds=p"))
    hms.client.drop_table(db, "dd", delete_data)
    assert os.path.exists(where) != delete_data
    # A table of the same name starts empty.
    hms.client.create_table(table(t, db, "dd", part_keys=[("ds", "string")]))
    assert hms.client.get_partition_names(db, "dd", -1) == []


def test_drop_table_req_deletes_data(hms, db):
    if not hms.has("drop_table_req"):
        pytest.skip(f"{hms.flavour} has no drop_table_req")
    t = hms.t
    hms.client.create_table(table(t, db, "dr"))
    where = local(hms.client.get_table(db, "dr").sd.location)
    assert os.path.isdir(where)
    hms.client.drop_table_req(t.DropTableRequest(dbName=db, tableName="dr", deleteData=True))
    assert not os.path.exists(where)


@pytest.mark.parametrize("purge,kept", [(None, True), ("false", True), ("true", False)])
def test_drop_external_table_keeps_data_unless_purged(hms, db, tmp_path, purge, kept):
    t = hms.t
    params = {"EXTERNAL": "TRUE"}
    if purge:
        params["external.table.purge"] = purge
    where = tmp_path / "ext_data"
    hms.client.create_table(table(t, db, "ext", table_type="EXTERNAL_TABLE", params=params,
                                  location=f"file:{where}"))
    (where / "f.txt").write_text("x")
    hms.client.drop_table(db, "ext", True)
    assert where.exists() == kept


def test_drop_managed_table_deletes_partitions_outside_its_directory(hms, db, tmp_path):
    """HMS's drop_table_core also deletes the data of partitions whose locations lie outside
    the managed table's directory (dropPartitionsAndGetLocations + deletePartitionData)."""
    t = hms.t
    hms.client.create_table(table(t, db, "scattered", part_keys=[("ds", "string")]))
    tbl = hms.client.get_table(db, "scattered")
    outside = tmp_path / "elsewhere"
    hms.client.add_partition(partition(t, tbl, ["in"]))
    hms.client.add_partition(partition(t, tbl, ["out"], location=f"file:{outside}"))
    (outside / "f.txt").write_text("x")
    hms.client.drop_table(db, "scattered", True)
    assert not os.path.exists(local(tbl.sd.location))
    assert not outside.exists()


def test_drop_managed_table_without_delete_data_keeps_outside_partitions(hms, db, tmp_path):
    t = hms.t
    hms.client.create_table(table(t, db, "scattered", part_keys=[("ds", "string")]))
    tbl = hms.client.get_table(db, "scattered")
    outside = tmp_path / "elsewhere"
    hms.client.add_partition(partition(t, tbl, ["out"], location=f"file:{outside}"))
    hms.client.drop_table(db, "scattered", False)
    assert outside.is_dir()


def test_drop_database_cascade_deletes_outside_partitions(hms, name, tmp_path):
    """HMS's drop_database_core deletes managed tables' partition data outside the database
    directory too (dropPartitionsAndCheckPartitionLocations)."""
    t = hms.t
    db = name("db")
    hms.client.create_database(database(t, db))
    hms.client.create_table(table(t, db, "scattered", part_keys=[("ds", "string")]))
    tbl = hms.client.get_table(db, "scattered")
    outside = tmp_path / "elsewhere"
    hms.client.add_partition(partition(t, tbl, ["out"], location=f"file:{outside}"))
    hms.client.drop_database(db, True, True)
    assert not os.path.exists(local(tbl.sd.location))
    assert not outside.exists()
