"""Partitions as PartitionSpecs (add_partitions_pspec, get_partitions_pspec,
get_part_specs_by_filter) and partition values (get_partition_values), through every client
flavour whose IDL has the calls."""

import os

import pytest

from builders import make, partition, storage, table

KEYS = [("year", "string"), ("month", "string")]


def local(location):
    return location[len("file:"):]


def skip_without(hms, method):
    if not hms.has(method):
        pytest.skip(f"{hms.flavour}'s IDL has no {method}")


@pytest.fixture
def tbl(hms, db):
    hms.client.create_table(table(hms.t, db, "t", part_keys=KEYS))
    return hms.client.get_table(db, "t")


def part_without_sd(t, values, relative_path):
    return t.PartitionWithoutSD(values=values, createTime=0, lastAccessTime=0,
                                relativePath=relative_path, parameters={"p": "1"})


def test_add_partition_spec_list_and_shared_sd(hms, db, tbl):
    skip_without(hms, "add_partitions_pspec")
    t = hms.t
    listed = make(t, "PartitionSpec", dbName=db, tableName="t", rootPath=tbl.sd.location,
                  partitionList=t.PartitionListComposingSpec(
                      partitions=[partition(t, tbl, ["2020", "jan"])]))
    shared_root = tbl.sd.location + "/shared/"
    shared = make(t, "PartitionSpec", dbName=db, tableName="t", rootPath=shared_root,
                  sharedSDPartitionSpec=t.PartitionSpecWithSharedSD(
                      partitions=[part_without_sd(t, ["2021", "feb"], "p1"),
                                  part_without_sd(t, ["2021", "mar"], "p2")],
                      sd=storage(t, [(c.name, c.type) for c in tbl.sd.cols], shared_root)))
    assert hms.client.add_partitions_pspec([listed, shared]) == 3

    assert hms.client.get_partition(db, "t", ["2020", "jan"]).sd.location == \
        tbl.sd.location + "/year=2020/month=jan"
    for values, rel in ((["2021", "feb"], "p1"), (["2021", "mar"], "p2")):
        part = hms.client.get_partition(db, "t", values)
        # The shared location followed by the relative path, as HMS joins them.
        assert part.sd.location == shared_root + rel
        assert part.parameters["p"] == "1"
        assert os.path.isdir(local(part.sd.location))


def test_add_partition_spec_is_all_or_nothing(hms, db, tbl):
    skip_without(hms, "add_partitions_pspec")
    t = hms.t
    hms.client.add_partition(partition(t, tbl, ["2020", "feb"]))

    def spec(values_list):
        return make(t, "PartitionSpec", dbName=db, tableName="t", rootPath=None,
                    partitionList=t.PartitionListComposingSpec(
                        partitions=[partition(t, tbl, v) for v in values_list]))

    with pytest.raises(t.AlreadyExistsException):
        hms.client.add_partitions_pspec([spec([["2020", "jan"], ["2020", "feb"]])])
    with pytest.raises(t.MetaException):
        hms.client.add_partitions_pspec([spec([["2020", "mar"], ["2020", "mar"]])])
    other = partition(t, tbl, ["2020", "apr"])
    other.tableName = "other"
    with pytest.raises(t.MetaException):
        hms.client.add_partitions_pspec([make(
            t, "PartitionSpec", dbName=db, tableName="t",
            partitionList=t.PartitionListComposingSpec(partitions=[other]))])
    missing_table = spec([["2020", "may"]])
    missing_table.tableName = "nope"
    missing_table.partitionList.partitions[0].tableName = "nope"
    with pytest.raises(t.InvalidObjectException):
        hms.client.add_partitions_pspec([missing_table])
    assert hms.client.get_partition_names(db, "t", -1) == ["year=2020/month=feb"]
    assert not os.path.exists(local(tbl.sd.location) + "/year=2020/month=jan")


@pytest.fixture
def listed(hms, db, tbl):
    """db.t with three partitions at their default locations and one elsewhere."""
    t = hms.t
    parts = [partition(t, tbl, v) for v in (["2020", "jan"], ["2020", "feb"], ["2021", "jan"])]
    elsewhere = tbl.sd.location.rsplit("/", 1)[0] + "/elsewhere"
    parts.append(partition(t, tbl, ["2022", "dec"], location=elsewhere))
    hms.client.add_partitions(parts)
    return tbl


def test_get_partitions_pspec_lists_all_in_one_spec(hms, db, listed):
    skip_without(hms, "get_partitions_pspec")
    specs = hms.client.get_partitions_pspec(db, "t", -1)
    assert len(specs) == 1
    spec = specs[0]
    assert (spec.dbName, spec.tableName, spec.rootPath) == (db, "t", listed.sd.location)
    assert spec.sharedSDPartitionSpec is None
    assert [p.values for p in spec.partitionList.partitions] == \
        [p.values for p in hms.client.get_partitions(db, "t", -1)]
    limited = hms.client.get_partitions_pspec(db, "t", 2)
    assert len(limited[0].partitionList.partitions) == 2
    with pytest.raises(hms.t.NoSuchObjectException):
        hms.client.get_partitions_pspec(db, "nope", -1)


def test_get_partitions_pspec_groups_when_the_table_asks(hms, db, listed):
    skip_without(hms, "get_partitions_pspec")
    tbl = hms.client.get_table(db, "t")
    tbl.parameters["hive.hcatalog.partition.spec.grouping.enabled"] = "true"
    hms.client.alter_table(db, "t", tbl)
    specs = hms.client.get_partitions_pspec(db, "t", -1)
    shared = [s for s in specs if s.sharedSDPartitionSpec is not None]
    lists = [s for s in specs if s.partitionList is not None]
    assert len(shared) == 1 and len(lists) == 1
    group = shared[0].sharedSDPartitionSpec
    assert shared[0].rootPath == tbl.sd.location and group.sd.location == tbl.sd.location
    assert sorted((p.values, p.relativePath) for p in group.partitions) == [
        (["2020", "feb"], "/year=2020/month=feb"), (["2020", "jan"], "/year=2020/month=jan"),
        (["2021", "jan"], "/year=2021/month=jan")]
    assert [p.values for p in lists[0].partitionList.partitions] == [["2022", "dec"]]


def test_get_part_specs_by_filter(hms, db, listed):
    skip_without(hms, "get_part_specs_by_filter")
    specs = hms.client.get_part_specs_by_filter(db, "t", 'year = "2020"', -1)
    assert [p.values for p in specs[0].partitionList.partitions] == \
        [["2020", "feb"], ["2020", "jan"]]
    with pytest.raises(hms.t.MetaException):
        hms.client.get_part_specs_by_filter(db, "t", "year = ", -1)
    with pytest.raises(hms.t.NoSuchObjectException):
        hms.client.get_part_specs_by_filter(db, "nope", 'year = "2020"', -1)


def test_get_partition_values(hms, db, listed):
    skip_without(hms, "get_partition_values")
    t = hms.t

    def values(keys, **fields):
        request = make(t, "PartitionValuesRequest", dbName=db, tblName="t",
                       partitionKeys=[t.FieldSchema(name=k, type="string", comment="")
                                      for k in keys], **fields)
        return [r.row for r in hms.client.get_partition_values(request).partitionValues]

    assert values(["year"]) == [["2020"], ["2021"], ["2022"]]
    assert values(["year"], applyDistinct=False) == [["2020"], ["2020"], ["2021"], ["2022"]]
    assert values(["month", "year"]) == [["feb", "2020"], ["jan", "2020"], ["jan", "2021"],
                                         ["dec", "2022"]]
    assert values(["year"], maxParts=2) == [["2020"], ["2021"]]
    # With a filter, each row is all the values of one matching partition.
    assert values(["year"], filter='month = "jan"') == [["2020", "jan"], ["2021", "jan"]]
    assert values(["year"], filter='month = "jan"', ascending=False) == \
        [["2021", "jan"], ["2020", "jan"]]
    with pytest.raises(t.MetaException):
        values(["day"])
    with pytest.raises(t.MetaException):
        values([])
    with pytest.raises(t.MetaException):
        hms.client.get_partition_values(make(
            t, "PartitionValuesRequest", dbName=db, tblName="nope",
            partitionKeys=[t.FieldSchema(name="year", type="string", comment="")]))
