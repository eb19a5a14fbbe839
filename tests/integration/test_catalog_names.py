"""Hive 3+ clients put the catalog in legacy calls' database names: "@<catalog>#<db>"."""

import pytest

from builders import column_stats, function, long_stats, partition, table


def test_catalog_prefixed_database_names(hms, db):
    t = hms.t
    c = hms.client
    q = f"@hive#{db}"
    c.create_table(table(t, q, "t1", part_keys=[("ds", "string")]))
    c.create_table(table(t, db, "t2"))
    tbl = c.get_table(q, "t1")
    assert (tbl.dbName, tbl.tableName) == (db, "t1")
    assert c.get_table(f"@HIVE#{db.upper()}", "T1").tableName == "t1"
    assert c.get_tables(q, "*") == ["t1", "t2"]
    assert c.get_tables(q, "t1") == ["t1"]
    assert c.get_all_tables(q) == ["t1", "t2"]
    assert c.get_tables_by_type(q, "*", "MANAGED_TABLE") == ["t1", "t2"]
    assert sorted(x.tableName for x in c.get_table_objects_by_name(q, ["t1", "t2"])) == \
        ["t1", "t2"]
    assert [f.name for f in c.get_fields(q, "t2")] == ["id", "name"]
    assert [f.name for f in c.get_schema(q, "t1")] == ["id", "name", "ds"]

    part = partition(t, tbl, ["a"])
    part.dbName = q
    assert c.add_partition(part).values == ["a"]
    c.append_partition(q, "t1", ["b"])
    assert [p.values for p in c.get_partitions(q, "t1", -1)] == [["a"], ["b"]]
    assert c.get_partition_names(q, "t1", -1) == ["ds=a", "ds=b"]
    assert c.get_partition(q, "t1", ["a"]).dbName == db
    assert c.get_partition_by_name(q, "t1", "ds=b").values == ["b"]
    assert [p.values for p in c.get_partitions_by_filter(q, "t1", 'ds = "b"', -1)] == [["b"]]
    assert c.drop_partition(q, "t1", ["b"], True) is True

    stats = column_stats(t, q, "t2", [("id", "bigint", long_stats(t, 1, 9, 0, 9))])
    assert c.update_table_column_statistics(stats) is True
    got = c.get_table_column_statistics(q, "t2", "id")
    assert got.statsObj[0].statsData.longStats.highValue == 9

    c.create_function(function(t, q, "qf"))
    assert c.get_function(q, "qf").dbName == db
    assert c.get_functions(q, "*") == ["qf"]
    c.drop_function(q, "qf")

    new = c.get_table(q, "t2")
    new.parameters["k"] = "v"
    c.alter_table(q, "t2", new)
    assert c.get_table(db, "t2").parameters["k"] == "v"
    c.drop_table(q, "t2", True)
    assert c.get_all_tables(db) == ["t1"]


def test_unknown_catalog_and_malformed_names(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "t1"))
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_table(f"@spark#{db}", "t1")
    with pytest.raises(t.MetaException) as err:
        hms.client.get_table(f"@hive{db}", "t1")  # marker without separator
    assert "catalog separator" in err.value.message
    # The connection keeps working.
    assert hms.client.get_table(db, "t1").tableName == "t1"
