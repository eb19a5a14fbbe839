"""What add_partition(s) and append_partition* accept and refuse, with HMS's exception types, and
the fields HMS keeps null (a partition's storage descriptor, column list and SerDe name), through
every client flavour."""

import os

import pytest

from builders import make, partition, table

KEYS = [("ds", "string"), ("hr", "string")]


def local(location):
    return location[len("file:"):]


@pytest.fixture
def tbl(hms, db):
    hms.client.create_table(table(hms.t, db, "p", part_keys=KEYS))
    return hms.client.get_table(db, "p")


def add_each_way(hms, db, parts):
    """The three add calls, each of which must refuse `parts` with MetaException."""
    t = hms.t
    calls = [lambda: hms.client.add_partitions(parts),
             lambda: hms.client.add_partitions_req(make(
                 t, "AddPartitionsRequest", dbName=parts[0].dbName, tblName=parts[0].tableName,
                 parts=parts, ifNotExists=False, needResult=True))]
    if len(parts) == 1:
        calls.append(lambda: hms.client.add_partition(parts[0]))
    for call in calls:
        with pytest.raises(t.MetaException) as err:
            call()
        assert err.value.message
    assert hms.client.get_partition_names(db, "p", -1) == []


def test_value_count_and_empty_values_are_meta_exceptions(hms, db, tbl):
    t = hms.t
    add_each_way(hms, db, [partition(t, tbl, ["a"])])
    add_each_way(hms, db, [partition(t, tbl, ["a", "1", "x"])])
    add_each_way(hms, db, [partition(t, tbl, [])])
    # One bad partition fails the batch before anything is created.
    good = partition(t, tbl, ["a", "1"])
    add_each_way(hms, db, [good, partition(t, tbl, ["b"])])
    assert not os.path.exists(local(tbl.sd.location) + "/ds=a/hr=1")


def test_empty_value_names_the_default_partition(hms, db, tbl):
    t = hms.t
    added = hms.client.add_partition(partition(t, tbl, ["", "1"]))
    assert added.values == ["", "1"]
    assert added.sd.location == tbl.sd.location + "/ds=__HIVE_DEFAULT_PARTITION__/hr=1"
    assert hms.client.get_partition_names(db, "p", -1) == ["ds=__HIVE_DEFAULT_PARTITION__/hr=1"]


def test_partitions_of_other_tables_are_meta_exceptions(hms, db, tbl):
    t = hms.t
    for db_name, table_name in [("", "p"), (db, ""), (db, "other"), (db.upper(), "p")]:
        stray = partition(t, tbl, ["b", "1"])
        stray.dbName, stray.tableName = db_name, table_name
        # The first partition names the target; HMS compares the others' names exactly.
        add_each_way(hms, db, [partition(t, tbl, ["a", "1"]), stray])
    # Names that differ in case from the table's are fine when every partition spells them so.
    upper = [partition(t, tbl, [v, "1"]) for v in "ab"]
    for part in upper:
        part.dbName, part.tableName = db.upper(), "P"
    assert hms.client.add_partitions(upper) == 2
    assert hms.client.get_partition_names(db, "p", -1) == ["ds=a/hr=1", "ds=b/hr=1"]


def test_missing_table_is_invalid_object(hms, db, tbl):
    t = hms.t
    first = partition(t, tbl, ["a", "1"])
    first.tableName = "missing"
    second = partition(t, tbl, ["b", "1"])
    with pytest.raises(t.InvalidObjectException):
        hms.client.add_partitions([first, second])


@pytest.mark.parametrize("location", ["invalidhost:80000/wrongfolder", "relative/dir",
                                      "1scheme:/x", "file:"])
def test_locations_that_are_not_absolute_paths_are_meta_exceptions(hms, db, tbl, location):
    t = hms.t
    good = partition(t, tbl, ["a", "1"], location=tbl.sd.location + "/custom")
    add_each_way(hms, db, [good, partition(t, tbl, ["b", "1"], location=location)])
    assert not os.path.exists(local(tbl.sd.location) + "/custom")


def test_null_storage_fields_are_meta_exceptions(hms, db, tbl):
    t = hms.t
    no_sd = partition(t, tbl, ["a", "1"])
    no_sd.sd = None
    no_serde = partition(t, tbl, ["a", "1"])
    no_serde.sd.serdeInfo = None
    no_col_name = partition(t, tbl, ["a", "1"])
    no_col_name.sd.cols[0].name = None
    no_col_type = partition(t, tbl, ["a", "1"])
    no_col_type.sd.cols[1].type = None
    for part in [no_sd, no_serde, no_col_name, no_col_type]:
        add_each_way(hms, db, [part])


def test_null_columns_and_serde_name_stay_null(hms, db, tbl):
    t = hms.t
    part = partition(t, tbl, ["a", "1"])
    part.sd.cols = None
    part.sd.serdeInfo.name = None
    hms.client.add_partition(part)
    empty = partition(t, tbl, ["b", "1"])
    empty.sd.cols = []
    empty.sd.serdeInfo.name = "named"
    hms.client.add_partition(empty)
    got = hms.client.get_partition(db, "p", ["a", "1"])
    assert got.sd.cols is None
    assert got.sd.serdeInfo.name is None
    assert got.sd.serdeInfo.serializationLib == part.sd.serdeInfo.serializationLib
    got = hms.client.get_partition(db, "p", ["b", "1"])
    assert got.sd.cols == []
    assert got.sd.serdeInfo.name == "named"
    # The table's own serde name, given as "", stays "".
    assert hms.client.get_table(db, "p").sd.serdeInfo.name == ""


def test_view_partitions(hms, db):
    t = hms.t
    view = table(t, db, "v", part_keys=KEYS, table_type="VIRTUAL_VIEW")
    view.viewOriginalText = view.viewExpandedText = "select 1"
    hms.client.create_table(view)
    view = hms.client.get_table(db, "v")
    with pytest.raises(t.MetaException):  # A view's partition has no location.
        hms.client.add_partition(partition(t, view, ["a", "1"], location="file:/tmp/v/a"))
    with pytest.raises(t.MetaException):
        hms.client.append_partition(db, "v", ["a", "1"])
    with pytest.raises(t.MetaException):
        hms.client.append_partition_by_name(db, "v", "ds=a/hr=1")
    hms.client.add_partition(partition(t, view, ["a", "1"]))
    no_sd = partition(t, view, ["b", "1"])
    no_sd.sd = None
    assert hms.client.add_partitions([no_sd]) == 1
    assert hms.client.get_partition(db, "v", ["a", "1"]).sd.location is None
    got = hms.client.get_partition(db, "v", ["b", "1"])
    assert got.sd is None
    assert got.parameters["transient_lastDdlTime"]
    assert [p.sd for p in hms.client.get_partitions(db, "v", -1)][1] is None


def test_append_partition_rules(hms, db, tbl):
    t = hms.t
    c = hms.client
    with pytest.raises(t.InvalidObjectException):
        c.append_partition(db, "missing", ["a", "1"])
    with pytest.raises(t.InvalidObjectException):
        c.append_partition_by_name(db, "missing", "ds=a/hr=1")
    for values in [[], ["a"], ["a", "1", "x"]]:
        with pytest.raises(t.MetaException):
            c.append_partition(db, "p", values)
    with pytest.raises(t.MetaException):
        c.append_partition_by_name(db, "p", "")
    for name in ["ds=a", "ds=a/hour=1", "nokeyvalue"]:
        with pytest.raises(t.InvalidObjectException):
            c.append_partition_by_name(db, "p", name)
    assert c.get_partition_names(db, "p", -1) == []
    # As HMS reads a name: components in any order, others ignored, values unescaped.
    assert c.append_partition_by_name(db, "p", "hr=1/ds=a%2Fb/day=12").values == ["a/b", "1"]
    c.create_table(table(t, db, "flat"))
    with pytest.raises(t.MetaException):
        c.append_partition(db, "flat", ["a"])
    with pytest.raises(t.MetaException):
        c.append_partition_by_name(db, "flat", "ds=a")
    assert c.get_partition_names(db, "p", -1) == ["ds=a%2Fb/hr=1"]

