"""Adding, appending, reading and listing partitions, through every client flavour."""

import os
import time

import pytest

from builders import env, make, partition, server_time_lower_bound, table

DS = ["2024-01-01", "2024-01-02"]
HR = ["1", "10", "2"]
# Listings come back in partition-name order, as HMS sorts them (text order: hr=10 < hr=2).
ALL_NAMES = [f"ds={d}/hr={h}" for d in DS for h in HR]


def local(location):
    return location[len("file:"):]


@pytest.fixture
def events(hms, db):
    """db.events partitioned by (ds string, hr int) with the six partitions of ALL_NAMES."""
    t = hms.t
    hms.client.create_table(table(t, db, "events", part_keys=[("ds", "string"), ("hr", "int")]))
    tbl = hms.client.get_table(db, "events")
    assert hms.client.add_partitions([partition(t, tbl, [d, h]) for d in DS for h in HR]) == 6
    return tbl


def names(parts):
    return ["ds=%s/hr=%s" % tuple(p.values) for p in parts]


def check_new_partition(part, tbl, values, before):
    assert part.values == values
    assert part.dbName == tbl.dbName and part.tableName == tbl.tableName
    assert before <= part.createTime <= time.time() + 1
    assert before <= int(part.parameters["transient_lastDdlTime"]) <= time.time() + 1
    name = "/".join(f"{k.name}={v}" for k, v in zip(tbl.partitionKeys, values))
    assert part.sd.location == f"{tbl.sd.location}/{name}"
    assert os.path.isdir(local(part.sd.location))
    assert [c.name for c in part.sd.cols] == [c.name for c in tbl.sd.cols]


def test_add_partition(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "p", part_keys=[("ds", "string"), ("hr", "int")]))
    tbl = hms.client.get_table(db, "p")
    before = server_time_lower_bound()
    added = hms.client.add_partition(partition(t, tbl, ["2024-01-01", "3"], params={"a": "b"}))
    check_new_partition(added, tbl, ["2024-01-01", "3"], before)
    assert added.parameters["a"] == "b"
    assert hms.client.get_partition(db, "p", ["2024-01-01", "3"]) == added
    added = hms.client.add_partition_with_environment_context(
        partition(t, tbl, ["2024-01-01", "4"]), env(t, k="v"))
    check_new_partition(added, tbl, ["2024-01-01", "4"], before)
    with pytest.raises(t.AlreadyExistsException):
        hms.client.add_partition(partition(t, tbl, ["2024-01-01", "3"]))
    missing = partition(t, tbl, ["x", "1"])
    missing.tableName = "nope"
    with pytest.raises(t.InvalidObjectException):
        hms.client.add_partition(missing)
    assert hms.client.get_partition_names(db, "p", -1) == ["ds=2024-01-01/hr=3",
                                                           "ds=2024-01-01/hr=4"]


def test_add_partition_explicit_location(hms, db, tmp_path):
    t = hms.t
    hms.client.create_table(table(t, db, "p", part_keys=[("ds", "string")]))
    tbl = hms.client.get_table(db, "p")
    hms.client.add_partition(partition(t, tbl, ["a"], location=f"file:{tmp_path}/pa"))
    assert hms.client.get_partition(db, "p", ["a"]).sd.location == f"file:{tmp_path}/pa"
    assert (tmp_path / "pa").is_dir()


def test_add_partitions(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "p", part_keys=[("ds", "string")]))
    tbl = hms.client.get_table(db, "p")
    assert hms.client.add_partitions([]) == 0
    assert hms.client.add_partitions([partition(t, tbl, [v]) for v in "abc"]) == 3
    # All or nothing: one existing partition fails the whole batch.
    with pytest.raises(t.AlreadyExistsException):
        hms.client.add_partitions([partition(t, tbl, ["d"]), partition(t, tbl, ["a"])])
    assert hms.client.get_partition_names(db, "p", -1) == ["ds=a", "ds=b", "ds=c"]


def test_add_partitions_req(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "p", part_keys=[("ds", "string")]))
    tbl = hms.client.get_table(db, "p")
    before = server_time_lower_bound()
    req = make(t, "AddPartitionsRequest", dbName=db, tblName="p", ifNotExists=False,
               needResult=True, parts=[partition(t, tbl, ["a"]), partition(t, tbl, ["b"])])
    result = hms.client.add_partitions_req(req)
    assert [p.values for p in result.partitions] == [["a"], ["b"]]
    for p in result.partitions:
        check_new_partition(p, tbl, p.values, before)
    # ifNotExists: existing ones are skipped and only the new one comes back.
    req = make(t, "AddPartitionsRequest", dbName=db, tblName="p", ifNotExists=True,
               needResult=True, parts=[partition(t, tbl, ["a"]), partition(t, tbl, ["c"])])
    assert [p.values for p in hms.client.add_partitions_req(req).partitions] == [["c"]]
    req = make(t, "AddPartitionsRequest", dbName=db, tblName="p", ifNotExists=False,
               needResult=True, parts=[partition(t, tbl, ["a"])])
    with pytest.raises(t.AlreadyExistsException):
        hms.client.add_partitions_req(req)
    req = make(t, "AddPartitionsRequest", dbName=db, tblName="p", ifNotExists=True,
               needResult=False, parts=[partition(t, tbl, ["d"])])
    assert not hms.client.add_partitions_req(req).partitions
    assert hms.client.get_partition_names(db, "p", -1) == ["ds=a", "ds=b", "ds=c", "ds=d"]
    hms.client.create_table(table(t, db, "other", part_keys=[("ds", "string")]))
    stray = partition(t, hms.client.get_table(db, "other"), ["f"])
    req = make(t, "AddPartitionsRequest", dbName=db, tblName="p", ifNotExists=False,
               needResult=True, parts=[partition(t, tbl, ["e"]), stray])
    with pytest.raises(t.MetaException) as err:  # HMS checks each partition's db and table
        hms.client.add_partitions_req(req)
    assert "Partition does not belong to target table" in err.value.message
    assert hms.client.get_partition_names(db, "p", -1) == ["ds=a", "ds=b", "ds=c", "ds=d"]
    assert hms.client.get_partition_names(db, "other", -1) == []


def test_append_partition(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "ap", part_keys=[("ds", "string"), ("hr", "int")]))
    tbl = hms.client.get_table(db, "ap")
    before = server_time_lower_bound()
    check_new_partition(hms.client.append_partition(db, "ap", ["a", "1"]), tbl, ["a", "1"],
                        before)
    check_new_partition(
        hms.client.append_partition_with_environment_context(db, "ap", ["a", "2"], env(t)),
        tbl, ["a", "2"], before)
    check_new_partition(hms.client.append_partition_by_name(db, "ap", "ds=b/hr=1"), tbl,
                        ["b", "1"], before)
    check_new_partition(hms.client.append_partition_by_name_with_environment_context(
        db, "ap", "ds=b/hr=2", env(t)), tbl, ["b", "2"], before)
    expected = ["ds=a/hr=1", "ds=a/hr=2", "ds=b/hr=1", "ds=b/hr=2"]
    if hms.has("append_partition_req"):
        req = t.AppendPartitionsRequest(dbName=db, tableName="ap", partVals=["c", "1"])
        check_new_partition(hms.client.append_partition_req(req), tbl, ["c", "1"], before)
        req = t.AppendPartitionsRequest(dbName=db, tableName="ap", name="ds=c/hr=2")
        check_new_partition(hms.client.append_partition_req(req), tbl, ["c", "2"], before)
        expected += ["ds=c/hr=1", "ds=c/hr=2"]
    with pytest.raises(t.AlreadyExistsException):
        hms.client.append_partition(db, "ap", ["a", "1"])
    with pytest.raises(t.AlreadyExistsException):
        hms.client.append_partition_by_name(db, "ap", "ds=a/hr=1")
    assert hms.client.get_partition_names(db, "ap", -1) == expected


def test_get_partition_variants(hms, db, events):
    t = hms.t
    c = hms.client
    part = c.get_partition(db, "events", ["2024-01-02", "10"])
    assert part.values == ["2024-01-02", "10"]
    assert part.sd.location == f"{events.sd.location}/ds=2024-01-02/hr=10"
    assert c.get_partition_with_auth(db, "events", ["2024-01-02", "10"], "u", ["g"]) == part
    assert c.get_partition_by_name(db, "events", "ds=2024-01-02/hr=10") == part
    if hms.has("get_partition_req"):
        req = make(t, "GetPartitionRequest", dbName=db, tblName="events",
                   partVals=["2024-01-02", "10"])
        assert c.get_partition_req(req).partition == part
    with pytest.raises(t.NoSuchObjectException) as err:
        c.get_partition(db, "events", ["2024-01-02", "11"])
    assert "2024-01-02, 11" in err.value.message
    with pytest.raises(t.NoSuchObjectException):
        c.get_partition_by_name(db, "events", "ds=2024-01-02/hr=11")
    with pytest.raises(t.NoSuchObjectException):
        c.get_partition_with_auth(db, "events", ["2024-01-09", "1"], "u", [])
    with pytest.raises(t.NoSuchObjectException):
        c.get_partition(db, "missing_table", ["a", "1"])


def test_list_partitions(hms, db, events):
    t = hms.t
    c = hms.client
    assert names(c.get_partitions(db, "events", -1)) == ALL_NAMES
    assert names(c.get_partitions(db, "events", 2)) == ALL_NAMES[:2]
    assert names(c.get_partitions_with_auth(db, "events", -1, "u", ["g"])) == ALL_NAMES
    assert names(c.get_partitions_with_auth(db, "events", 4, "u", [])) == ALL_NAMES[:4]
    assert c.get_partition_names(db, "events", -1) == ALL_NAMES
    assert c.get_partition_names(db, "events", 3) == ALL_NAMES[:3]
    assert c.get_partition_names(db, "events", 0) == []
    if hms.has("get_partitions_req"):
        req = make(t, "PartitionsRequest", dbName=db, tblName="events", maxParts=-1)
        assert names(c.get_partitions_req(req).partitions) == ALL_NAMES
        req = make(t, "PartitionsRequest", dbName=db, tblName="events", maxParts=5)
        assert names(c.get_partitions_req(req).partitions) == ALL_NAMES[:5]
    if hms.has("fetch_partition_names_req"):
        req = make(t, "PartitionsRequest", dbName=db, tblName="events", maxParts=-1)
        assert c.fetch_partition_names_req(req) == ALL_NAMES
        req = make(t, "PartitionsRequest", dbName=db, tblName="events", maxParts=1)
        assert c.fetch_partition_names_req(req) == ALL_NAMES[:1]
    with pytest.raises(t.NoSuchObjectException):
        c.get_partitions(db, "missing_table", -1)


def test_partial_specifications(hms, db, events):
    t = hms.t
    c = hms.client
    day1 = [n for n in ALL_NAMES if n.startswith("ds=2024-01-01")]
    hour1 = [n for n in ALL_NAMES if n.endswith("hr=1")]
    assert names(c.get_partitions_ps(db, "events", ["2024-01-01"], -1)) == day1
    assert names(c.get_partitions_ps(db, "events", ["2024-01-01"], 2)) == day1[:2]
    assert names(c.get_partitions_ps(db, "events", ["", "1"], -1)) == hour1
    assert names(c.get_partitions_ps(db, "events", ["2024-01-02", "2"], -1)) == \
        ["ds=2024-01-02/hr=2"]
    assert names(c.get_partitions_ps_with_auth(db, "events", ["2024-01-01"], -1, "u", [])) == \
        day1
    assert names(c.get_partitions_ps_with_auth(db, "events", ["", "10"], 1, "u", [])) == \
        ["ds=2024-01-01/hr=10"]
    assert c.get_partition_names_ps(db, "events", ["2024-01-01"], -1) == day1
    assert c.get_partition_names_ps(db, "events", ["", "1"], -1) == hour1
    assert c.get_partition_names_ps(db, "events", ["", "1"], 1) == hour1[:1]
    assert c.get_partition_names_ps(db, "events", ["2024-03-01"], -1) == []
    if hms.has("get_partitions_ps_with_auth_req"):
        req = make(t, "GetPartitionsPsWithAuthRequest", dbName=db, tblName="events",
                   partVals=["2024-01-02"], maxParts=-1, userName="u", groupNames=["g"])
        assert names(c.get_partitions_ps_with_auth_req(req).partitions) == \
            [n for n in ALL_NAMES if n.startswith("ds=2024-01-02")]
        if "partNames" in {s[2] for s in t.GetPartitionsPsWithAuthRequest.thrift_spec if s}:
            req = t.GetPartitionsPsWithAuthRequest(
                dbName=db, tblName="events", maxParts=-1,
                partNames=["ds=2024-01-01/hr=2", "ds=2024-01-02/hr=1", "ds=9/hr=9"])
            assert names(c.get_partitions_ps_with_auth_req(req).partitions) == \
                ["ds=2024-01-01/hr=2", "ds=2024-01-02/hr=1"]
    if hms.has("get_partition_names_ps_req"):
        req = make(t, "GetPartitionNamesPsRequest", dbName=db, tblName="events",
                   partValues=["", "2"], maxParts=-1)
        assert c.get_partition_names_ps_req(req).names == \
            [n for n in ALL_NAMES if n.endswith("hr=2")]
    with pytest.raises(t.MetaException):
        c.get_partition_names_ps(db, "events", ["a", "b", "c"], -1)


def test_get_partitions_by_names(hms, db, events):
    t = hms.t
    c = hms.client
    wanted = ["ds=2024-01-02/hr=1", "ds=2024-01-01/hr=2", "ds=2030-01-01/hr=1"]
    got = c.get_partitions_by_names(db, "events", wanted)
    assert sorted(names(got)) == ["ds=2024-01-01/hr=2", "ds=2024-01-02/hr=1"]
    assert all(p.sd.location.endswith(n) for p, n in zip(got, names(got)))
    assert c.get_partitions_by_names(db, "events", []) == []
    if hms.has("get_partitions_by_names_req"):
        req = make(t, "GetPartitionsByNamesRequest", db_name=db, tbl_name="events",
                   names=wanted)
        assert sorted(names(c.get_partitions_by_names_req(req).partitions)) == \
            ["ds=2024-01-01/hr=2", "ds=2024-01-02/hr=1"]
