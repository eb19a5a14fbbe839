"""Exchanging partitions between tables (exchange_partition, exchange_partitions), through every
client flavour whose IDL has the calls: the partitions move in the catalog and their directory
moves on disk, and a refused exchange leaves both tables and their directories as they were."""

import os
import shutil

import pytest

from builders import partition, table

KEYS = [("year", "string"), ("month", "string")]
VALUES = [["2017", "april"], ["2017", "march"], ["2018", "may"]]


def local(location):
    return location[len("file:"):]


def data_file(part):
    return os.path.join(local(part.sd.location), "data.txt")


def snapshot(hms, db, name):
    """The table's partitions by name, with whether each one's data file is there."""
    parts = hms.client.get_partitions(db, name, -1)
    return {"/".join(p.values): (p, os.path.exists(data_file(p))) for p in parts}


@pytest.fixture
def tables(hms, db):
    """db.src with the partitions of VALUES (each holding a data file) and an empty db.dst,
    both with the same columns and partition keys."""
    if not hms.has("exchange_partitions"):
        pytest.skip(f"{hms.flavour}'s IDL has no exchange_partitions")
    t = hms.t
    hms.client.create_table(table(t, db, "src", part_keys=KEYS))
    hms.client.create_table(table(t, db, "dst", part_keys=KEYS))
    src = hms.client.get_table(db, "src")
    hms.client.add_partitions([partition(t, src, v, params={"k": "v"}) for v in VALUES])
    for part in hms.client.get_partitions(db, "src", -1):
        with open(data_file(part), "w") as f:
            f.write("/".join(part.values))
    return src, hms.client.get_table(db, "dst")


def test_exchange_partitions_moves_partial_spec(hms, db, tables):
    src, dst = tables
    before = {tuple(p.values): p for p in hms.client.get_partitions(db, "src", -1)}
    moved = hms.client.exchange_partitions({"year": "2017"}, db, "src", db, "dst")

    assert sorted(p.values for p in moved) == [["2017", "april"], ["2017", "march"]]
    in_dst = hms.client.get_partitions(db, "dst", -1)
    assert sorted(p.values for p in in_dst) == [["2017", "april"], ["2017", "march"]]
    assert [p.values for p in hms.client.get_partitions(db, "src", -1)] == [["2018", "may"]]
    for part in in_dst:
        old = before[tuple(part.values)]
        assert part.tableName == "dst" and part.dbName == db
        assert part.sd.location == "%s/year=%s/month=%s" % (dst.sd.location, *part.values)
        # Everything but the table and the location is kept as it was.
        assert part.parameters == old.parameters and part.createTime == old.createTime
        assert part.sd.cols == old.sd.cols
        with open(data_file(part)) as f:
            assert f.read() == "/".join(part.values)
        assert not os.path.exists(local(old.sd.location))
    assert not os.path.exists(local(src.sd.location) + "/year=2017")
    assert os.path.exists(local(src.sd.location) + "/year=2018/month=may/data.txt")


def test_exchange_partitions_between_databases(hms, db, tables, name):
    t = hms.t
    other = name("db")
    hms.client.create_database(t.Database(name=other, description="", parameters={}))
    try:
        hms.client.create_table(table(t, other, "dst2", part_keys=KEYS))
        dst2 = hms.client.get_table(other, "dst2")
        moved = hms.client.exchange_partitions({"year": "2018", "month": "may"}, db, "src", other,
                                               "dst2")
        assert [(p.dbName, p.tableName, p.values) for p in moved] == \
            [(other, "dst2", ["2018", "may"])]
        part = hms.client.get_partition(other, "dst2", ["2018", "may"])
        assert part.sd.location == dst2.sd.location + "/year=2018/month=may"
        assert os.path.exists(data_file(part))
    finally:
        hms.client.drop_database(other, True, True)


def test_exchange_partition_answers_an_empty_partition(hms, db, tables):
    if not hms.has("exchange_partition"):
        pytest.skip(f"{hms.flavour}'s IDL has no exchange_partition")
    answer = hms.client.exchange_partition({"year": "2017", "month": "march"}, db, "src", db,
                                           "dst")
    # HMS answers with a Partition that has no field set.
    assert all(getattr(answer, f, None) is None for f in ("values", "dbName", "tableName", "sd"))
    assert hms.client.get_partition(db, "dst", ["2017", "march"]).values == ["2017", "march"]
    with pytest.raises(hms.t.NoSuchObjectException):
        hms.client.get_partition(db, "src", ["2017", "march"])


def refused(hms, db, spec, src="src", dst="dst", src_db=None, dst_db=None):
    """Runs an exchange that must fail with MetaException and leave both tables unchanged."""
    before = snapshot(hms, db, "src"), snapshot(hms, db, "dst")
    with pytest.raises(hms.t.MetaException) as error:
        hms.client.exchange_partitions(spec, src_db or db, src, dst_db or db, dst)
    assert (snapshot(hms, db, "src"), snapshot(hms, db, "dst")) == before
    return error.value.message


def test_partition_already_in_destination_is_refused(hms, db, tables):
    _, dst = tables
    hms.client.add_partition(partition(hms.t, dst, ["2017", "march"]))
    message = refused(hms, db, {"year": "2017"})
    assert message == "The partition year=2017/month=march already exists in the table dst"
    assert not os.path.exists(local(dst.sd.location) + "/year=2017/month=april")


def test_different_schemas_are_refused(hms, db, tables):
    t = hms.t
    hms.client.create_table(table(t, db, "wide", cols=[("id", "bigint"), ("x", "string")],
                                  part_keys=KEYS))
    hms.client.create_table(table(t, db, "rekeyed", part_keys=[("year", "string"),
                                                               ("month", "int")]))
    for other in ("wide", "rekeyed"):
        message = refused(hms, db, {"year": "2017"}, dst=other)
        assert message == "The tables have different schemas. Their partitions cannot be exchanged."
        assert hms.client.get_partitions(db, other, -1) == []


def test_missing_tables_are_refused(hms, db, tables):
    assert "The source table hive.%s.nope not found" % db == \
        refused(hms, db, {"year": "2017"}, src="nope")
    assert "The destination table hive.%s.nope not found" % db == \
        refused(hms, db, {"year": "2017"}, dst="nope")
    refused(hms, db, {"year": "2017"}, src_db="no_such_db")


def test_bad_specs_are_refused(hms, db, tables):
    assert refused(hms, db, {}).startswith("Invalid partition key & values")
    assert refused(hms, db, {"day": "1"}).startswith("Invalid partition key & values")
    # A spec that skips a leading key names no directory that holds the partitions.
    assert "sets month but not year" in refused(hms, db, {"year": "", "month": "march"})
    assert refused(hms, db, {"year": "2016"}).startswith("No partition is found")


def test_missing_data_directory_rolls_back(hms, db, tables):
    src, _ = tables
    shutil.rmtree(local(src.sd.location) + "/year=2018")
    message = refused(hms, db, {"year": "2018"})
    assert "does not exist" in message
    assert [p.values for p in hms.client.get_partitions(db, "src", -1)] == VALUES


def test_partition_outside_table_directory_is_refused(hms, db, tables):
    src, dst = tables
    elsewhere = src.sd.location + "/custom_2019"
    hms.client.add_partition(partition(hms.t, src, ["2019", "june"], location=elsewhere))
    assert "not under the table's location" in refused(hms, db, {"year": "2019"})
    assert os.path.isdir(local(elsewhere))
