"""HMS's rules for reading, altering and dropping partitions, through every flavour: lookups by
name, null arguments, partial specifications, partition-level privileges, alters that stay in
their table, the partition request limit (partition_request_limit) and the trash (trash_dir)."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from almanac_server import AlmanacServer
from builders import env, make, partition, table

LIMIT = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """This module's own almanacd, with a trash and a partition request limit."""
    workdir = Path(tempfile.mkdtemp(prefix="almanac-it-"))
    srv = AlmanacServer(workdir, "--allowed_roots", f"file:{tmp_path_factory.getbasetemp()}",
                        "--trash_dir", f"file:{workdir}/home/.Trash",
                        "--partition_request_limit", str(LIMIT)).start()
    srv.trash = workdir / "home" / ".Trash" / "Current"
    yield srv
    srv.stop()
    shutil.rmtree(workdir, ignore_errors=True)


def local(location):
    return os.path.realpath(location[len("file:"):])


def in_trash(server, path):
    return server.trash / path.lstrip("/")


@pytest.fixture
def years(hms, db):
    """db.years partitioned by (y, m) with partitions 2017/a, 2017/b and 2018/a."""
    t = hms.t
    hms.client.create_table(table(t, db, "years", part_keys=[("y", "string"), ("m", "string")]))
    tbl = hms.client.get_table(db, "years")
    hms.client.add_partitions(
        [partition(t, tbl, v) for v in (["2017", "a"], ["2017", "b"], ["2018", "a"])])
    return tbl


def names(hms, db, tbl="years"):
    return hms.client.get_partition_names(db, tbl, -1)


def test_names_are_looked_up_as_hms_does(hms, db, years):
    t, c = hms.t, hms.client
    # Any order; components that are not key=value, and keys the table lacks, are ignored.
    for name in ["m=a/y=2017", "y=2017/m=a/d=10", "junk/y=2017/m=a"]:
        assert c.get_partition_by_name(db, "years", name).values == ["2017", "a"]
    # Keys match as stored (lower case); a key without a value names no partition.
    for name in ["Y=2017/M=a", "y=2017", "y=/m=", "nonsense"]:
        with pytest.raises(t.NoSuchObjectException):
            c.get_partition_by_name(db, "years", name)
        with pytest.raises(t.NoSuchObjectException):
            c.drop_partition_by_name(db, "years", name, False)
    for call in (lambda: c.get_partition_by_name(db, "years", ""),
                 lambda: c.drop_partition_by_name(db, "years", "", False)):
        with pytest.raises(t.MetaException):
            call()
    assert c.drop_partition_by_name(db, "years", "y=2017/m=b/d=10", False) is True
    assert names(hms, db) == ["y=2017/m=a", "y=2018/m=a"]


def test_null_names_are_refused_with_meta_exception(hms, db, years):
    t, c = hms.t, hms.client
    no_db = "@hive#"  # what a Java client sends for a null database name
    calls = [
        lambda: c.get_partition_by_name(no_db, "years", "y=2017/m=a"),
        lambda: c.get_partition_by_name(db, None, "y=2017/m=a"),
        lambda: c.get_partition_with_auth(no_db, "years", ["2017", "a"], "u", []),
        lambda: c.get_partition_with_auth(db, None, ["2017", "a"], "u", []),
        lambda: c.get_num_partitions_by_filter(no_db, "years", 'y = "2017"'),
        lambda: c.get_num_partitions_by_filter(db, None, 'y = "2017"'),
    ]
    if hms.has("get_partitions_by_filter_req"):
        calls += [lambda: c.get_partitions_by_filter_req(
            make(t, "GetPartitionsByFilterRequest", tblName="years", filter=""))]
    if hms.has("get_partitions_by_names_req"):
        calls += [lambda: c.get_partitions_by_names_req(
            make(t, "GetPartitionsByNamesRequest", db_name=db, tbl_name="years"))]
    if hms.has("get_partition_names_ps_req"):
        calls += [lambda: c.get_partition_names_ps_req(
            make(t, "GetPartitionNamesPsRequest", dbName=db, tblName="years", maxParts=-1))]
    for call in calls:
        with pytest.raises(t.MetaException):
            call()
    # Empty names are names of nothing.
    with pytest.raises(t.NoSuchObjectException):
        c.get_partition_by_name(db, "", "y=2017/m=a")


def test_partial_specifications_need_a_value(hms, db, years):
    t, c = hms.t, hms.client
    with pytest.raises(t.MetaException):
        c.get_partition_names_ps(db, "years", [], -1)
    with pytest.raises(t.MetaException):
        c.get_partitions_ps(db, "years", [], -1)
    assert c.get_partition_names_ps(db, "years", ["2017"], -1) == ["y=2017/m=a", "y=2017/m=b"]
    assert c.get_partition_names_ps(db, "years", ["", "a"], -1) == ["y=2017/m=a", "y=2018/m=a"]


def test_partition_names_of_a_missing_table_are_none(hms, db):
    t, c = hms.t, hms.client
    assert c.get_partition_names(db, "missing", -1) == []
    assert c.get_partition_names("no_such_db", "missing", -1) == []
    with pytest.raises(t.NoSuchObjectException):
        c.get_partitions(db, "missing", -1)
    with pytest.raises(t.NoSuchObjectException):
        c.get_partition_names_ps(db, "missing", ["2017"], -1)


def test_partition_level_privileges_come_back_empty(hms, db):
    t, c = hms.t, hms.client
    keys = [("y", "string"), ("m", "string")]
    c.create_table(table(t, db, "auth", part_keys=keys,
                         params={"PARTITION_LEVEL_PRIVILEGE": "true"}))
    c.create_table(table(t, db, "plain", part_keys=keys))
    for name in ("auth", "plain"):
        c.add_partition(partition(t, c.get_table(db, name), ["2017", "a"]))
    granted = t.PrincipalPrivilegeSet(userPrivileges={"u": []}, groupPrivileges={"g": []},
                                      rolePrivileges={"public": []})
    assert c.get_partition_with_auth(db, "auth", ["2017", "a"], "u", ["g"]).privileges == granted
    assert [p.privileges for p in c.get_partitions_with_auth(db, "auth", -1, "u", ["g"])] == \
        [granted]
    assert [p.privileges for p in c.get_partitions_ps_with_auth(
        db, "auth", ["2017"], -1, "u", ["g"])] == [granted]
    no_user = c.get_partition_with_auth(db, "auth", ["2017", "a"], None, []).privileges
    assert no_user == t.PrincipalPrivilegeSet(userPrivileges={}, groupPrivileges={},
                                              rolePrivileges={"public": []})
    assert c.get_partition_with_auth(db, "plain", ["2017", "a"], "u", ["g"]).privileges is None
    if hms.has("get_partitions_ps_with_auth_req"):
        got = c.get_partitions_ps_with_auth_req(make(
            t, "GetPartitionsPsWithAuthRequest", dbName=db, tblName="auth", maxParts=-1,
            userName="u", groupNames=["g"]))
        assert [p.privileges for p in got.partitions] == [granted]


def test_alter_keeps_the_clients_create_time_and_its_table(hms, db, years):
    t, c = hms.t, hms.client
    part = c.get_partition(db, "years", ["2017", "a"])
    part.createTime = 123456789
    c.alter_partition(db, "years", part)
    assert c.get_partition(db, "years", ["2017", "a"]).createTime == 123456789
    for field, value in [("dbName", db + "_changed"), ("tableName", "years_changed"),
                         ("dbName", None)]:
        moved = c.get_partition(db, "years", ["2017", "a"])
        setattr(moved, field, value)
        moved.parameters["moved"] = "yes"
        with pytest.raises(t.MetaException) as err:
            c.alter_partition(db, "years", moved)
        assert "cannot be moved to another table" in err.value.message
        with pytest.raises(t.MetaException):
            c.alter_partitions(db, "years", [moved])
        moved.values = ["2019", "z"]
        with pytest.raises(t.MetaException):
            c.rename_partition(db, "years", ["2017", "a"], moved)
    assert "moved" not in c.get_partition(db, "years", ["2017", "a"]).parameters
    assert names(hms, db) == ["y=2017/m=a", "y=2017/m=b", "y=2018/m=a"]
    renamed = c.get_partition(db, "years", ["2017", "b"])
    renamed.values = ["2019", "b"]
    renamed.createTime = 42
    c.rename_partition(db, "years", ["2017", "b"], renamed)
    assert c.get_partition(db, "years", ["2019", "b"]).createTime == 42


def test_whole_partition_listings_keep_to_the_request_limit(hms, db):
    t, c = hms.t, hms.client
    c.create_table(table(t, db, "many", part_keys=[("v", "int")]))
    c.add_partitions([partition(t, c.get_table(db, "many"), [str(v)]) for v in range(LIMIT + 1)])
    for call in (lambda: c.get_partitions(db, "many", -1),
                 lambda: c.get_partitions(db, "many", LIMIT + 1),
                 lambda: c.get_partitions_by_filter(db, "many", "", -1),
                 lambda: c.get_partitions_with_auth(db, "many", -1, "u", [])):
        with pytest.raises(t.MetaException) as err:
            call()
        assert f"exceeds the limit (={LIMIT})" in err.value.message
    assert len(c.get_partitions(db, "many", LIMIT)) == LIMIT
    assert len(c.get_partitions_by_filter(db, "many", "v < 3", -1)) == 3
    # Names and counts are not limited.
    assert len(c.get_partition_names(db, "many", -1)) == LIMIT + 1
    assert c.get_num_partitions_by_filter(db, "many", "") == LIMIT + 1


def test_dropped_data_goes_to_the_trash_unless_purged(hms, db, years, server):
    t, c = hms.t, hms.client
    a = local(c.get_partition(db, "years", ["2017", "a"]).sd.location)
    b = local(c.get_partition(db, "years", ["2017", "b"]).sd.location)
    Path(a, "f").write_text("data")
    assert c.drop_partition(db, "years", ["2017", "a"], True) is True
    assert not os.path.exists(a)
    assert (in_trash(server, a) / "f").read_text() == "data"
    assert os.path.isdir(os.path.dirname(a))  # y=2017 still holds m=b
    # Purged: deleted; the parent left empty goes as well.
    assert c.drop_partition_with_environment_context(
        db, "years", ["2017", "b"], True, env(t, ifPurge="TRUE")) is True
    assert not os.path.exists(b)
    assert not in_trash(server, b).exists()
    assert not os.path.exists(os.path.dirname(b))
    # Without deleteData the data stays where it is.
    c18 = local(c.get_partition(db, "years", ["2018", "a"]).sd.location)
    assert c.drop_partition(db, "years", ["2018", "a"], False) is True
    assert os.path.isdir(c18) and not in_trash(server, c18).exists()


def test_purging_tables_and_data_outside_the_roots_skip_the_trash(hms, db, server):
    t, c = hms.t, hms.client
    for name, key in [("skipped", "skip.trash"), ("purged", "auto.purge")]:
        c.create_table(table(t, db, name, part_keys=[("v", "string")], params={key: "TRUE"}))
        c.add_partition(partition(t, c.get_table(db, name), ["1"]))
        where = local(c.get_partition(db, name, ["1"]).sd.location)
        assert c.drop_partition(db, name, ["1"], True) is True
        assert not os.path.exists(where) and not in_trash(server, where).exists()
    # A partition outside the allowed roots is neither deleted nor moved.
    outside = tempfile.mkdtemp(prefix="almanac-outside-")
    try:
        c.create_table(table(t, db, "kept", part_keys=[("v", "string")]))
        c.add_partition(partition(t, c.get_table(db, "kept"), ["1"], location=f"file:{outside}"))
        Path(outside, "f").write_text("keep")
        assert c.drop_partition(db, "kept", ["1"], True) is True
        assert Path(outside, "f").read_text() == "keep"
        assert not in_trash(server, os.path.realpath(outside)).exists()
    finally:
        shutil.rmtree(outside, ignore_errors=True)


def test_an_archived_partition_drops_its_original_location(hms, db, tmp_path):
    t, c = hms.t, hms.client
    c.create_table(table(t, db, "archived", part_keys=[("v", "string")]))
    original = tmp_path / "archive_of_v1"
    original.mkdir()
    (original / "f").write_text("data")
    c.add_partition(partition(t, c.get_table(db, "archived"), ["1"], params={
        "is_archived": "true", "original_location": f"file:{original}"}))
    where = local(c.get_partition(db, "archived", ["1"]).sd.location)
    assert c.drop_partition_with_environment_context(
        db, "archived", ["1"], True, env(t, ifPurge="TRUE")) is True
    assert not original.exists()
    assert os.path.isdir(where)
