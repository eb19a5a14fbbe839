"""alter, rename and drop of partitions, and escaped partition names, through every flavour."""

import os
import time

import pytest

from builders import env, make, partition, server_time_lower_bound, table


def local(location):
    return location[len("file:"):]


@pytest.fixture
def sales(hms, db):
    """db.sales partitioned by (ds string) with partitions a, b, c."""
    t = hms.t
    hms.client.create_table(table(t, db, "sales", part_keys=[("ds", "string")]))
    tbl = hms.client.get_table(db, "sales")
    hms.client.add_partitions([partition(t, tbl, [v]) for v in "abc"])
    return tbl


def values(hms, db, tbl="sales"):
    return [p.values for p in hms.client.get_partitions(db, tbl, -1)]


def test_alter_partition(hms, db, sales):
    t = hms.t
    old = hms.client.get_partition(db, "sales", ["a"])
    new = hms.client.get_partition(db, "sales", ["a"])
    new.parameters = {"numRows": "10"}  # without transient_lastDdlTime: the server sets it
    new.sd.cols.append(t.FieldSchema(name="extra", type="int", comment=""))
    new.createTime = 5
    before = server_time_lower_bound()
    hms.client.alter_partition(db, "sales", new)
    got = hms.client.get_partition(db, "sales", ["a"])
    assert got.parameters["numRows"] == "10"
    assert before <= int(got.parameters["transient_lastDdlTime"]) <= time.time() + 1
    assert [c.name for c in got.sd.cols] == ["id", "name", "extra"]
    assert got.createTime == 5  # HMS stores the createTime the client sends
    assert got.sd.location == old.sd.location
    # The table and its other partitions are untouched.
    assert [c.name for c in hms.client.get_partition(db, "sales", ["b"]).sd.cols] == \
        ["id", "name"]
    assert [c.name for c in hms.client.get_table(db, "sales").sd.cols] == ["id", "name"]
    new.parameters = {"numRows": "11"}
    hms.client.alter_partition_with_environment_context(db, "sales", new, env(t, k="v"))
    assert hms.client.get_partition(db, "sales", ["a"]).parameters["numRows"] == "11"
    missing = partition(t, sales, ["zzz"])
    with pytest.raises(t.InvalidOperationException):
        hms.client.alter_partition(db, "sales", missing)
    with pytest.raises(t.InvalidOperationException):
        hms.client.alter_partition(db, "no_table", new)


def test_alter_partitions(hms, db, sales):
    t = hms.t
    parts = hms.client.get_partitions_by_names(db, "sales", ["ds=a", "ds=b"])
    for p in parts:
        p.parameters["batch"] = "1"
    hms.client.alter_partitions(db, "sales", parts)
    for p in parts:
        p.parameters["batch"] = "2"
    hms.client.alter_partitions_with_environment_context(db, "sales", parts, env(t))
    got = {p.values[0]: p.parameters.get("batch") for p in hms.client.get_partitions(
        db, "sales", -1)}
    assert got == {"a": "2", "b": "2", "c": None}
    if hms.has("alter_partitions_req"):
        for p in parts:
            p.parameters["batch"] = "3"
        hms.client.alter_partitions_req(make(t, "AlterPartitionsRequest", dbName=db,
                                             tableName="sales", partitions=parts,
                                             environmentContext=env(t)))
        assert hms.client.get_partition(db, "sales", ["b"]).parameters["batch"] == "3"
    # One missing partition fails the whole batch, which changes nothing.
    parts[0].parameters["batch"] = "4"
    with pytest.raises(t.InvalidOperationException):
        hms.client.alter_partitions(db, "sales", [parts[0], partition(t, sales, ["zzz"])])
    assert hms.client.get_partition(db, "sales", ["a"]).parameters["batch"] != "4"


def test_rename_partition_moves_directory(hms, db, sales):
    t = hms.t
    old = hms.client.get_partition(db, "sales", ["a"])
    old_dir = local(old.sd.location)
    with open(os.path.join(old_dir, "part-0"), "w") as f:
        f.write("data")
    new = hms.client.get_partition(db, "sales", ["a"])
    new.values = ["z"]
    hms.client.rename_partition(db, "sales", ["a"], new)
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_partition(db, "sales", ["a"])
    got = hms.client.get_partition(db, "sales", ["z"])
    assert got.sd.location == f"{sales.sd.location}/ds=z"
    assert got.createTime == old.createTime
    assert not os.path.exists(old_dir)
    assert open(os.path.join(local(got.sd.location), "part-0")).read() == "data"
    assert hms.client.get_partition_names(db, "sales", -1) == ["ds=b", "ds=c", "ds=z"]
    if hms.has("rename_partition_req"):
        new = hms.client.get_partition(db, "sales", ["b"])
        new.values = ["y"]
        hms.client.rename_partition_req(make(t, "RenamePartitionRequest", dbName=db,
                                             tableName="sales", partVals=["b"], newPart=new))
        got = hms.client.get_partition(db, "sales", ["y"])
        assert got.sd.location == f"{sales.sd.location}/ds=y"
        assert os.path.isdir(local(got.sd.location))
        assert not os.path.exists(f"{local(sales.sd.location)}/ds=b")


def test_rename_partition_errors(hms, db, sales):
    t = hms.t
    new = hms.client.get_partition(db, "sales", ["a"])
    new.values = ["b"]
    # HMS converts the AlreadyExistsException of the alter handler to InvalidOperationException.
    with pytest.raises(t.InvalidOperationException) as err:
        hms.client.rename_partition(db, "sales", ["a"], new)
    assert "Partition already exists" in err.value.message
    new.values = ["q"]
    with pytest.raises(t.InvalidOperationException):
        hms.client.rename_partition(db, "sales", ["missing"], new)
    assert values(hms, db) == [["a"], ["b"], ["c"]]


def test_rename_partition_with_empty_old_values_is_an_alter(hms, db, sales):
    new = hms.client.get_partition(db, "sales", ["c"])
    new.parameters["k"] = "v"
    hms.client.rename_partition(db, "sales", [], new)
    assert hms.client.get_partition(db, "sales", ["c"]).parameters["k"] == "v"


@pytest.mark.parametrize("delete_data", [True, False])
def test_drop_partition(hms, db, sales, delete_data):
    t = hms.t
    where = local(hms.client.get_partition(db, "sales", ["a"]).sd.location)
    assert hms.client.drop_partition(db, "sales", ["a"], delete_data) is True
    assert os.path.exists(where) != delete_data
    assert hms.client.drop_partition_with_environment_context(
        db, "sales", ["b"], delete_data, env(t, ifPurge="TRUE")) is True
    assert values(hms, db) == [["c"]]
    with pytest.raises(t.NoSuchObjectException):
        hms.client.drop_partition(db, "sales", ["a"], True)
    with pytest.raises(t.NoSuchObjectException):
        hms.client.drop_partition_with_environment_context(db, "sales", ["a"], True, env(t))


def test_drop_partition_by_name(hms, db, sales):
    t = hms.t
    where = local(hms.client.get_partition(db, "sales", ["a"]).sd.location)
    assert hms.client.drop_partition_by_name(db, "sales", "ds=a", True) is True
    assert not os.path.exists(where)
    assert hms.client.drop_partition_by_name_with_environment_context(
        db, "sales", "ds=b", False, env(t)) is True
    assert values(hms, db) == [["c"]]
    with pytest.raises(t.NoSuchObjectException):
        hms.client.drop_partition_by_name(db, "sales", "ds=a", True)
    if hms.has("drop_partition_req"):
        assert hms.client.drop_partition_req(t.DropPartitionRequest(
            dbName=db, tblName="sales", partName="ds=c", deleteData=True)) is True
        assert values(hms, db) == []


def test_drop_partition_req_by_values(hms, db, sales):
    if not hms.has("drop_partition_req"):
        pytest.skip(f"{hms.flavour} has no drop_partition_req")
    t = hms.t
    assert hms.client.drop_partition_req(t.DropPartitionRequest(
        dbName=db, tblName="sales", partVals=["b"], deleteData=False)) is True
    assert values(hms, db) == [["a"], ["c"]]
    with pytest.raises(t.NoSuchObjectException):
        hms.client.drop_partition_req(t.DropPartitionRequest(dbName=db, tblName="sales",
                                                             partVals=["b"]))


def test_drop_partitions_req(hms, db, sales):
    t = hms.t

    def request(names, **kw):
        return make(t, "DropPartitionsRequest", dbName=db, tblName="sales",
                    parts=t.RequestPartsSpec(names=names), **kw)

    where = local(hms.client.get_partition(db, "sales", ["a"]).sd.location)
    result = hms.client.drop_partitions_req(request(["ds=a", "ds=b"], deleteData=True,
                                                    needResult=True))
    assert sorted(p.values for p in result.partitions) == [["a"], ["b"]]
    assert not os.path.exists(where)
    assert values(hms, db) == [["c"]]
    # ifExists (default true): missing names are skipped.
    result = hms.client.drop_partitions_req(request(["ds=a"], needResult=True))
    assert not result.partitions
    with pytest.raises(t.NoSuchObjectException):
        hms.client.drop_partitions_req(request(["ds=a", "ds=c"], ifExists=False))
    assert values(hms, db) == [["c"]]
    result = hms.client.drop_partitions_req(request(["ds=c"], needResult=False))
    assert not result.partitions
    assert values(hms, db) == []


ODD = "a/b c:d"  # Hive escapes '/' and ':' in partition names, but not ' '
ODD_NAME = "s=a%2Fb c%3Ad"


def test_escaped_partition_names(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "odd", part_keys=[("s", "string"), ("n", "int")]))
    tbl = hms.client.get_table(db, "odd")
    others = ["x=y", "50%", "q?#*"]
    hms.client.add_partitions([partition(t, tbl, [v, "1"]) for v in [ODD] + others])
    name = f"{ODD_NAME}/n=1"
    c = hms.client
    assert sorted(c.get_partition_names(db, "odd", -1)) == sorted(
        [name, "s=x%3Dy/n=1", "s=50%25/n=1", "s=q%3F%23%2A/n=1"])
    part = c.get_partition_by_name(db, "odd", name)
    assert part.values == [ODD, "1"]
    assert part.sd.location == f"{tbl.sd.location}/{name}"
    assert os.path.isdir(local(part.sd.location))
    assert c.get_partition(db, "odd", [ODD, "1"]) == part
    assert c.partition_name_to_vals(name) == [ODD, "1"]
    assert c.partition_name_to_spec(name) == {"s": ODD, "n": "1"}
    assert c.partition_name_to_vals("s=x%3Dy/n=1") == ["x=y", "1"]
    assert [p.values for p in c.get_partitions_by_names(db, "odd", [name])] == [[ODD, "1"]]
    assert c.get_partition_names_ps(db, "odd", [ODD], -1) == [name]
    assert [p.values for p in c.get_partitions_by_filter(db, "odd", f's = "{ODD}"', -1)] == \
        [[ODD, "1"]]
    for v in others:
        n = c.get_partition_names_ps(db, "odd", [v], -1)[0]
        assert c.get_partition_by_name(db, "odd", n).values == [v, "1"]
        assert c.partition_name_to_vals(n) == [v, "1"]
    assert c.drop_partition_by_name(db, "odd", name, True) is True
    assert not os.path.exists(local(part.sd.location))
    assert len(c.get_partition_names(db, "odd", -1)) == 3


def test_partition_name_to_vals_errors(hms):
    with pytest.raises(hms.t.MetaException):
        hms.client.partition_name_to_vals("no_equals_sign")
    assert hms.client.partition_name_to_spec("a=1/b=2") == {"a": "1", "b": "2"}
    assert hms.client.partition_name_to_vals("b=2/a=1") == ["2", "1"]  # order as given


def test_external_table_partitions_keep_their_data(hms, db, tmp_path):
    t = hms.t
    hms.client.create_table(table(t, db, "ext", part_keys=[("ds", "string")],
                                  table_type="EXTERNAL_TABLE", params={"EXTERNAL": "TRUE"},
                                  location=f"file:{tmp_path}/ext"))
    tbl = hms.client.get_table(db, "ext")
    hms.client.add_partitions([partition(t, tbl, [v]) for v in "ab"])
    a_dir = tmp_path / "ext" / "ds=a"
    assert a_dir.is_dir()
    new = hms.client.get_partition(db, "ext", ["a"])
    new.values = ["z"]
    hms.client.rename_partition(db, "ext", ["a"], new)
    # An external table's data is not the metastore's to move.
    assert hms.client.get_partition(db, "ext", ["z"]).sd.location == f"file:{a_dir}"
    assert a_dir.is_dir()
    assert hms.client.drop_partition(db, "ext", ["b"], True) is True
    assert (tmp_path / "ext" / "ds=b").is_dir()
