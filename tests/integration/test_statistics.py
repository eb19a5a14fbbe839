"""Table and partition column statistics, through every client flavour."""

import time

import pytest

from builders import (boolean_stats, column_stats, date_stats, decimal_stats, decimal_value,
                      double_stats, long_stats, make, partition, server_time_lower_bound,
                      string_stats, table)

COLS = [("l", "bigint"), ("d", "double"), ("s", "string"), ("b", "boolean"),
        ("dec", "decimal(10,2)"), ("dt", "date")]
NAMES = [n for n, _ in COLS]


def all_stats(t, seed):
    """One statistics object per column of COLS; `seed` varies the values."""
    k = seed
    return [
        ("l", "bigint", long_stats(t, -k, 100 * k, k, 10 * k)),
        ("d", "double", double_stats(t, -1.5 * k, 2.5 * k, k + 1, 20)),
        ("s", "string", string_stats(t, 10 * k, 3.5 * k, k + 2, 7)),
        ("b", "boolean", boolean_stats(t, 5 * k, 6 * k, k + 3)),
        ("dec", "decimal(10,2)", decimal_stats(t, (-125 * k, 2), (99999 * k, 2), k + 4, 9)),
        ("dt", "date", date_stats(t, 19000 + k, 19500 + k, k + 5, 30)),
    ]


def unscaled(d):
    return int.from_bytes(d.unscaled, "big", signed=True)


def check(objs, seed):
    """`objs` (ColumnStatisticsObj list) hold exactly all_stats(seed), by column."""
    k = seed
    by = {o.colName: o for o in objs}
    assert sorted(by) == sorted(NAMES)
    assert {o.colName: o.colType for o in objs} == dict(COLS)
    lo = by["l"].statsData.longStats
    assert (lo.lowValue, lo.highValue, lo.numNulls, lo.numDVs) == (-k, 100 * k, k, 10 * k)
    do = by["d"].statsData.doubleStats
    assert (do.lowValue, do.highValue, do.numNulls, do.numDVs) == (-1.5 * k, 2.5 * k, k + 1, 20)
    st = by["s"].statsData.stringStats
    assert (st.maxColLen, st.avgColLen, st.numNulls, st.numDVs) == (10 * k, 3.5 * k, k + 2, 7)
    bo = by["b"].statsData.booleanStats
    assert (bo.numTrues, bo.numFalses, bo.numNulls) == (5 * k, 6 * k, k + 3)
    de = by["dec"].statsData.decimalStats
    assert (unscaled(de.lowValue), unscaled(de.highValue)) == (-125 * k, 99999 * k)
    assert (de.lowValue.scale, de.highValue.scale, de.numNulls, de.numDVs) == (2, 2, k + 4, 9)
    da = by["dt"].statsData.dateStats
    assert (da.lowValue.daysSinceEpoch, da.highValue.daysSinceEpoch) == (19000 + k, 19500 + k)
    assert (da.numNulls, da.numDVs) == (k + 5, 30)


@pytest.fixture
def stats_table(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "st", cols=COLS, part_keys=[("p", "string")]))
    tbl = hms.client.get_table(db, "st")
    hms.client.add_partitions([partition(t, tbl, [v]) for v in ("a", "b", "c")])
    return tbl


def test_table_statistics(hms, db, stats_table):
    t = hms.t
    c = hms.client
    assert c.update_table_column_statistics(column_stats(t, db, "st", all_stats(t, 1))) is True
    for col in NAMES:
        got = c.get_table_column_statistics(db, "st", col.upper())
        assert got.statsDesc.isTblLevel is True
        assert (got.statsDesc.dbName, got.statsDesc.tableName) == (db, "st")
        assert [o.colName for o in got.statsObj] == [col]
    check(c.get_table_statistics_req(make(t, "TableStatsRequest", dbName=db, tblName="st",
                                          colNames=NAMES, engine="hive")).tableStats, 1)
    only = c.get_table_statistics_req(make(t, "TableStatsRequest", dbName=db, tblName="st",
                                           colNames=["s", "nope"], engine="hive")).tableStats
    assert [o.colName for o in only] == ["s"]
    # An update replaces the named columns only.
    c.update_table_column_statistics(column_stats(t, db, "st", all_stats(t, 2)[:1]))
    got = c.get_table_column_statistics(db, "st", "l").statsObj[0].statsData.longStats
    assert (got.lowValue, got.highValue) == (-2, 200)
    got = c.get_table_column_statistics(db, "st", "d").statsObj[0].statsData.doubleStats
    assert got.highValue == 2.5
    with pytest.raises(t.NoSuchObjectException):
        c.update_table_column_statistics(column_stats(t, db, "missing", all_stats(t, 1)))


def test_last_analyzed_is_returned(hms, db, stats_table):
    """HMS returns the statistics' lastAnalyzed in the ColumnStatisticsDesc it answers with
    (StatObjectConverter.getTableColumnStatisticsDesc / getPartitionColumnStatisticsDesc)."""
    t = hms.t
    c = hms.client
    stats = column_stats(t, db, "st", all_stats(t, 1))
    stats.statsDesc.lastAnalyzed = 1700000000
    c.update_table_column_statistics(stats)
    assert c.get_table_column_statistics(db, "st", "l").statsDesc.lastAnalyzed == 1700000000
    before = server_time_lower_bound()
    c.update_partition_column_statistics(
        column_stats(t, db, "st", all_stats(t, 1), part_name="p=a"))
    analyzed = c.get_partition_column_statistics(db, "st", "p=a", "l").statsDesc.lastAnalyzed
    assert analyzed is not None and before <= analyzed <= time.time() + 1


def test_table_statistics_req(hms, db, stats_table):
    if not hms.has("update_table_column_statistics_req"):
        pytest.skip(f"{hms.flavour} has no update_table_column_statistics_req")
    t = hms.t
    req = make(t, "SetPartitionsStatsRequest", engine="hive",
               colStats=[column_stats(t, db, "st", all_stats(t, 3))])
    assert hms.client.update_table_column_statistics_req(req).result is True
    check(hms.client.get_table_statistics_req(make(
        t, "TableStatsRequest", dbName=db, tblName="st", colNames=NAMES,
        engine="hive")).tableStats, 3)


def test_partition_statistics(hms, db, stats_table):
    t = hms.t
    c = hms.client
    for seed, part in ((1, "p=a"), (2, "p=b")):
        assert c.update_partition_column_statistics(
            column_stats(t, db, "st", all_stats(t, seed), part_name=part)) is True
    got = c.get_partition_column_statistics(db, "st", "p=a", "l")
    assert got.statsDesc.isTblLevel is False and got.statsDesc.partName == "p=a"
    assert got.statsObj[0].statsData.longStats.highValue == 100
    result = c.get_partitions_statistics_req(make(
        t, "PartitionsStatsRequest", dbName=db, tblName="st", colNames=NAMES,
        partNames=["p=a", "p=b", "p=c"], engine="hive")).partStats
    assert sorted(result) == ["p=a", "p=b"]  # p=c has none
    check(result["p=a"], 1)
    check(result["p=b"], 2)
    # Table-level statistics are separate.
    with pytest.raises(t.NoSuchObjectException):
        c.get_table_column_statistics(db, "st", "l")
    with pytest.raises(t.NoSuchObjectException):
        c.get_partition_column_statistics(db, "st", "p=c", "l")
    with pytest.raises(t.NoSuchObjectException):
        c.update_partition_column_statistics(
            column_stats(t, db, "st", all_stats(t, 1), part_name="p=zzz"))
    if hms.has("update_partition_column_statistics_req"):
        req = make(t, "SetPartitionsStatsRequest", engine="hive",
                   colStats=[column_stats(t, db, "st", all_stats(t, 4), part_name="p=c")])
        assert c.update_partition_column_statistics_req(req).result is True
        result = c.get_partitions_statistics_req(make(
            t, "PartitionsStatsRequest", dbName=db, tblName="st", colNames=NAMES,
            partNames=["p=c"], engine="hive")).partStats
        check(result["p=c"], 4)


def test_aggregate_statistics(hms, db, stats_table):
    t = hms.t
    c = hms.client
    for seed, part in ((1, "p=a"), (3, "p=b")):
        c.update_partition_column_statistics(
            column_stats(t, db, "st", all_stats(t, seed), part_name=part))

    def aggr(parts, cols=NAMES):
        return c.get_aggr_stats_for(make(t, "PartitionsStatsRequest", dbName=db, tblName="st",
                                         colNames=cols, partNames=parts, engine="hive"))

    result = aggr(["p=a", "p=b", "p=c"])
    assert result.partsFound == 2
    by = {o.colName: o.statsData for o in result.colStats}
    assert sorted(by) == sorted(NAMES)
    lo = by["l"].longStats
    assert (lo.lowValue, lo.highValue, lo.numNulls) == (-3, 300, 1 + 3)
    do = by["d"].doubleStats
    assert (do.lowValue, do.highValue, do.numNulls) == (-4.5, 7.5, 2 + 4)
    st = by["s"].stringStats
    assert (st.maxColLen, st.numNulls) == (30, 3 + 5)
    assert st.avgColLen == pytest.approx(10.5)  # HMS takes the largest average
    bo = by["b"].booleanStats
    assert (bo.numTrues, bo.numFalses, bo.numNulls) == (5 + 15, 6 + 18, 4 + 6)
    de = by["dec"].decimalStats
    assert (unscaled(de.lowValue), unscaled(de.highValue)) == (-375, 299997)
    assert decimal_value(de.lowValue) == -3.75
    assert de.numNulls == 5 + 7
    da = by["dt"].dateStats
    assert (da.lowValue.daysSinceEpoch, da.highValue.daysSinceEpoch) == (19001, 19503)
    assert da.numNulls == 6 + 8
    one = aggr(["p=b"], ["l"])
    assert one.partsFound == 1
    assert one.colStats[0].statsData.longStats.lowValue == -3
    none = aggr(["p=c"], ["l"])
    assert none.partsFound == 0 and none.colStats == []
    empty = aggr([], NAMES)
    assert empty.partsFound == 0 and empty.colStats == []


def test_set_aggr_stats_for(hms, db, stats_table):
    t = hms.t
    req = make(t, "SetPartitionsStatsRequest", engine="hive", colStats=[
        column_stats(t, db, "st", all_stats(t, 5), part_name="p=c"),
        column_stats(t, db, "st", all_stats(t, 6), part_name="p=a")])
    assert hms.client.set_aggr_stats_for(req) is True
    result = hms.client.get_partitions_statistics_req(make(
        t, "PartitionsStatsRequest", dbName=db, tblName="st", colNames=NAMES,
        partNames=["p=a", "p=c"], engine="hive")).partStats
    check(result["p=c"], 5)
    check(result["p=a"], 6)


def _delete_table(hms, db, tbl, col):
    if hms.flavour == "hmsclient":
        return hms.client.delete_table_column_statistics(db, tbl, col)
    return hms.client.delete_table_column_statistics(db, tbl, col, "hive")


def _delete_partition(hms, db, tbl, part, col):
    if hms.flavour == "hmsclient":
        return hms.client.delete_partition_column_statistics(db, tbl, part, col)
    return hms.client.delete_partition_column_statistics(db, tbl, part, col, "hive")


def test_delete_statistics(hms, db, stats_table):
    t = hms.t
    c = hms.client
    c.update_table_column_statistics(column_stats(t, db, "st", all_stats(t, 1)))
    c.update_partition_column_statistics(
        column_stats(t, db, "st", all_stats(t, 1), part_name="p=a"))
    assert _delete_table(hms, db, "st", "l") is True
    with pytest.raises(t.NoSuchObjectException):
        c.get_table_column_statistics(db, "st", "l")
    left = c.get_table_statistics_req(make(t, "TableStatsRequest", dbName=db, tblName="st",
                                           colNames=NAMES, engine="hive")).tableStats
    assert sorted(o.colName for o in left) == sorted(NAMES[1:])
    with pytest.raises(t.NoSuchObjectException):
        _delete_table(hms, db, "st", "l")
    assert _delete_partition(hms, db, "st", "p=a", "d") is True
    with pytest.raises(t.NoSuchObjectException):
        c.get_partition_column_statistics(db, "st", "p=a", "d")
    assert c.get_partition_column_statistics(db, "st", "p=a", "l").statsObj
    with pytest.raises(t.NoSuchObjectException):
        _delete_partition(hms, db, "st", "p=a", "d")
    # The partition's statistics were not the table's.
    assert c.get_table_column_statistics(db, "st", "d").statsObj


def test_statistics_follow_partition_and_table_drops(hms, db, stats_table):
    t = hms.t
    c = hms.client
    c.update_partition_column_statistics(
        column_stats(t, db, "st", all_stats(t, 1), part_name="p=a"))
    c.drop_partition(db, "st", ["a"], False)
    c.append_partition(db, "st", ["a"])
    with pytest.raises(t.NoSuchObjectException):
        c.get_partition_column_statistics(db, "st", "p=a", "l")
    c.update_table_column_statistics(column_stats(t, db, "st", all_stats(t, 1)))
    c.drop_table(db, "st", True)
    c.create_table(table(t, db, "st", cols=COLS, part_keys=[("p", "string")]))
    with pytest.raises(t.NoSuchObjectException):
        c.get_table_column_statistics(db, "st", "l")


def test_delete_all_columns_statistics(hms, db, stats_table):
    """HMS deletes the statistics of every column when no column name is given."""
    t = hms.t
    c = hms.client
    c.update_table_column_statistics(column_stats(t, db, "st", all_stats(t, 1)))
    assert _delete_table(hms, db, "st", None) is True
    left = c.get_table_statistics_req(make(t, "TableStatsRequest", dbName=db, tblName="st",
                                           colNames=NAMES, engine="hive")).tableStats
    assert left == []


def test_column_stats_accurate_parameter(hms, db, stats_table):
    """Hive Metastore records in COLUMN_STATS_ACCURATE which columns of a table or partition
    have statistics (ObjectStore.updateTableColumnStatistics and
    updatePartitionColumnStatistics, through StatsSetupConst.setColumnStatsState): Hive's planner
    uses only the statistics it lists."""
    import json
    t = hms.t
    c = hms.client
    c.update_table_column_statistics(column_stats(t, db, "st", all_stats(t, 1)[:2]))
    params = c.get_table(db, "st").parameters
    assert json.loads(params["COLUMN_STATS_ACCURATE"]) == {
        "COLUMN_STATS": {"d": "true", "l": "true"}}
    # Columns accumulate, and BASIC_STATS (set by whoever computed basic statistics) stays.
    tbl = c.get_table(db, "st")
    tbl.parameters["COLUMN_STATS_ACCURATE"] = '{"BASIC_STATS":"true","COLUMN_STATS":{"d":"true"}}'
    c.alter_table(db, "st", tbl)
    c.update_table_column_statistics(column_stats(t, db, "st", all_stats(t, 1)[2:3]))
    assert json.loads(c.get_table(db, "st").parameters["COLUMN_STATS_ACCURATE"]) == {
        "BASIC_STATS": "true", "COLUMN_STATS": {"d": "true", "s": "true"}}

    c.update_partition_column_statistics(
        column_stats(t, db, "st", all_stats(t, 1)[:1], part_name="p=a"))
    part = c.get_partition_by_name(db, "st", "p=a")
    assert json.loads(part.parameters["COLUMN_STATS_ACCURATE"]) == {"COLUMN_STATS": {"l": "true"}}
    assert "COLUMN_STATS_ACCURATE" not in (c.get_partition_by_name(db, "st", "p=b").parameters
                                           or {})


def test_get_table_req_with_column_stats(hms, db, stats_table):
    """Hive 4's get_table_req with getColumnStats returns the table with the statistics of the
    columns that COLUMN_STATS_ACCURATE lists (HMSHandler.get_table_core), and none without it."""
    t = hms.t
    if "colStats" not in {spec[2] for spec in t.Table.thrift_spec if spec}:
        pytest.skip(f"{hms.flavour}'s Table has no colStats")
    c = hms.client
    req = make(t, "GetTableRequest", dbName=db, tblName="st", getColumnStats=True, engine="hive")
    assert c.get_table_req(req).table.colStats is None  # no statistics yet
    c.update_table_column_statistics(column_stats(t, db, "st", all_stats(t, 1)))
    stats = c.get_table_req(req).table.colStats
    assert stats.statsDesc.isTblLevel is True and stats.statsDesc.tableName == "st"
    assert stats.engine == "hive"
    check(stats.statsObj, 1)
    plain = make(t, "GetTableRequest", dbName=db, tblName="st")
    assert c.get_table_req(plain).table.colStats is None
