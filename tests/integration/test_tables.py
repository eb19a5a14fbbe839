"""Table creation, reads and listings, driven through every client flavour."""

import os
import time

import pytest

from builders import database, env, make, server_time_lower_bound, table


def local(location):
    assert location.startswith("file:"), location
    return location[len("file:"):]


def check_created(hms, server, db, name, before):
    """The server-side defaults of a freshly created managed table."""
    tbl = hms.client.get_table(db, name)
    assert tbl.tableName == name and tbl.dbName == db
    assert before <= tbl.createTime <= time.time() + 1  # we sent 0
    ddl_time = int(tbl.parameters["transient_lastDdlTime"])
    assert before <= ddl_time <= time.time() + 1
    assert tbl.sd.location == f"file:{server.warehouse}/{db}.db/{name}"
    assert os.path.isdir(local(tbl.sd.location))
    if hasattr(tbl, "catName"):
        assert tbl.catName == "hive"
    return tbl


def test_create_table_defaults(hms, db, server):
    t = hms.t
    before = server_time_lower_bound()
    hms.client.create_table(table(t, db.upper(), "Events_A", part_keys=[("Ds", "string")],
                                  params={"k": "v"}))
    tbl = check_created(hms, server, db, "events_a", before)
    assert tbl.tableType == "MANAGED_TABLE"
    assert tbl.owner == "tester"
    assert [(c.name, c.type) for c in tbl.sd.cols] == [("id", "bigint"), ("name", "string")]
    assert [(c.name, c.type) for c in tbl.partitionKeys] == [("ds", "string")]
    assert tbl.parameters["k"] == "v"
    assert tbl.sd.serdeInfo.serializationLib.endswith("LazySimpleSerDe")
    assert tbl.sd.inputFormat == "org.apache.hadoop.mapred.TextInputFormat"
    # Lookups are case-insensitive.
    assert hms.client.get_table(db.upper(), "EVENTS_A").tableName == "events_a"


def test_create_table_with_environment_context(hms, db, server):
    before = server_time_lower_bound()
    hms.client.create_table_with_environment_context(table(hms.t, db, "with_env"),
                                                     env(hms.t, a="b"))
    check_created(hms, server, db, "with_env", before)


def test_create_table_req(hms, db, server):
    if not hms.has("create_table_req"):
        pytest.skip(f"{hms.flavour} has no create_table_req")
    t = hms.t
    before = server_time_lower_bound()
    hms.client.create_table_req(make(t, "CreateTableRequest", table=table(t, db, "By_Req"),
                                     envContext=env(t)))
    check_created(hms, server, db, "by_req", before)


def test_explicit_location_and_ddl_time_are_kept(hms, db, server, tmp_path):
    t = hms.t
    where = tmp_path / "custom"
    hms.client.create_table(table(t, db, "placed", location=f"file:{where}",
                                  params={"transient_lastDdlTime": "12345"}))
    tbl = hms.client.get_table(db, "placed")
    assert tbl.sd.location == f"file:{where}"
    assert tbl.parameters["transient_lastDdlTime"] == "12345"
    assert where.is_dir()


@pytest.mark.parametrize("given_type,params,stored_type", [
    ("MANAGED_TABLE", {"EXTERNAL": "TRUE"}, "EXTERNAL_TABLE"),
    ("MANAGED_TABLE", {"EXTERNAL": "true"}, "EXTERNAL_TABLE"),
    ("EXTERNAL_TABLE", {}, "MANAGED_TABLE"),
    ("EXTERNAL_TABLE", {"EXTERNAL": "FALSE"}, "MANAGED_TABLE"),
    ("EXTERNAL_TABLE", {"EXTERNAL": "TRUE"}, "EXTERNAL_TABLE"),
    ("MANAGED_TABLE", {}, "MANAGED_TABLE"),
])
def test_table_type_normalisation(hms, db, given_type, params, stored_type):
    hms.client.create_table(table(hms.t, db, "typed", table_type=given_type, params=params))
    tbl = hms.client.get_table(db, "typed")
    assert tbl.tableType == stored_type
    for key, value in params.items():
        assert tbl.parameters[key] == value


def test_create_errors(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "dup"))
    with pytest.raises(t.AlreadyExistsException) as err:
        hms.client.create_table(table(t, db, "DUP"))
    assert err.value.message == f"Table hive.{db}.dup already exists"
    with pytest.raises(t.NoSuchObjectException) as err:
        hms.client.create_table(table(t, "no_such_db_x", "t1"))
    assert err.value.message == "The database hive.no_such_db_x does not exist"
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_table(table(t, db, "bad\\name"))
    assert "bad\\name is not a valid object name" in err.value.message
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_table(table(t, db, "dupcol", cols=[("a", "int"), ("A", "int")]))
    assert "a" in err.value.message
    assert sorted(hms.client.get_all_tables(db)) == ["dup"]


def test_get_table_variants(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "g1"))
    with pytest.raises(t.NoSuchObjectException) as err:
        hms.client.get_table(db, "missing")
    assert err.value.message == f"hive.{db}.missing table not found"
    req = make(t, "GetTableRequest", dbName=db, tblName="G1", catName="hive")
    got = hms.client.get_table_req(req).table
    assert got == hms.client.get_table(db, "g1")
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_table_req(make(t, "GetTableRequest", dbName=db, tblName="missing"))


def test_get_table_objects_by_name(hms, db):
    t = hms.t
    for n in ("o1", "o2", "o3"):
        hms.client.create_table(table(t, db, n))
    got = hms.client.get_table_objects_by_name(db, ["O3", "missing", "o1"])
    assert sorted(x.tableName for x in got) == ["o1", "o3"]
    assert all(x.dbName == db and x.sd.cols for x in got)
    assert hms.client.get_table_objects_by_name(db, []) == []
    result = hms.client.get_table_objects_by_name_req(
        make(t, "GetTablesRequest", dbName=db, tblNames=["o2", "nope"]))
    assert [x.tableName for x in result.tables] == ["o2"]


def test_listings(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "sales_b"))
    hms.client.create_table(table(t, db, "Sales_A"))
    hms.client.create_table(table(t, db, "ext", table_type="EXTERNAL_TABLE",
                                  params={"EXTERNAL": "TRUE"}))
    view = table(t, db, "v1", table_type="VIRTUAL_VIEW")
    view.viewOriginalText = view.viewExpandedText = "select 1"
    view.sd.location = None
    hms.client.create_table(view)
    c = hms.client
    assert c.get_all_tables(db) == ["ext", "sales_a", "sales_b", "v1"]
    assert c.get_tables(db, "*") == ["ext", "sales_a", "sales_b", "v1"]
    assert c.get_tables(db, "sales*") == ["sales_a", "sales_b"]
    assert c.get_tables(db, "SALES_A") == ["sales_a"]
    assert c.get_tables(db, "sales.*") == ["sales_a", "sales_b"]
    assert c.get_tables(db, "ext|v*") == ["ext", "v1"]
    assert c.get_tables(db, "nothing*") == []
    assert c.get_tables_by_type(db, "*", "EXTERNAL_TABLE") == ["ext"]
    assert c.get_tables_by_type(db, "*", "VIRTUAL_VIEW") == ["v1"]
    assert c.get_tables_by_type(db, "sales*", "MANAGED_TABLE") == ["sales_a", "sales_b"]
    assert c.get_tables_by_type(db, "*", "MATERIALIZED_VIEW") == []
    assert c.get_table(db, "v1").sd.location in (None, "")


def test_listing_a_missing_database_is_empty(hms, db):
    """HMS's ObjectStore.getTables filters MTable by database name: no database, no rows."""
    c = hms.client
    assert c.get_all_tables("no_such_db_l") == []
    assert c.get_tables("no_such_db_l", "*") == []
    assert c.get_tables_by_type("no_such_db_l", "*", "MANAGED_TABLE") == []
    assert c.get_all_tables(f"@spark#{db}") == []  # a database of another catalog


def test_get_table_meta(hms, db, name):
    t = hms.t
    other = name("db")
    hms.client.create_database(database(t, other))
    try:
        hms.client.create_table(table(t, db, "m1", params={"comment": "first table"}))
        hms.client.create_table(table(t, db, "m2", table_type="EXTERNAL_TABLE",
                                      params={"EXTERNAL": "TRUE"}))
        hms.client.create_table(table(t, other, "m3"))
        metas = hms.client.get_table_meta(db, "*", [])
        assert [(m.dbName, m.tableName, m.tableType) for m in metas] == [
            (db, "m1", "MANAGED_TABLE"), (db, "m2", "EXTERNAL_TABLE")]
        assert metas[0].comments == "first table"
        assert not metas[1].comments
        if hasattr(metas[0], "catName"):
            assert metas[0].catName == "hive"
        ext = hms.client.get_table_meta(db, "m*", ["EXTERNAL_TABLE"])
        assert [m.tableName for m in ext] == ["m2"]
        both = hms.client.get_table_meta(f"{db}|{other}", "m*", ["MANAGED_TABLE"])
        assert sorted((m.dbName, m.tableName) for m in both) == [(db, "m1"), (other, "m3")]
        assert hms.client.get_table_meta(db, "zz*", []) == []
    finally:
        hms.client.drop_database(other, True, True)


def test_get_table_names_by_filter(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "f1", params={"presto_view": "true", "k": "v1"}))
    hms.client.create_table(table(t, db, "f2", params={"presto_view": "true", "k": "v2"}))
    hms.client.create_table(table(t, db, "f3", params={"presto_view": "false", "k": "w"}))
    hms.client.create_table(table(t, db, "f4"))
    c = hms.client
    p = "hive_filter_field_params__"
    assert c.get_table_names_by_filter(db, f'{p}presto_view = "true"', -1) == ["f1", "f2"]
    assert c.get_table_names_by_filter(db, f'{p}presto_view LIKE "true"', -1) == ["f1", "f2"]
    assert c.get_table_names_by_filter(db, f'{p}presto_view = "false"', -1) == ["f3"]
    assert c.get_table_names_by_filter(
        db, f'{p}presto_view = "true" and {p}k = "v2"', -1) == ["f2"]
    assert c.get_table_names_by_filter(db, f'{p}presto_view = "true"', 1) == ["f1"]
    assert c.get_table_names_by_filter(db, f'{p}missing = "x"', -1) == []
    # As in HMS, a database that does not exist holds no matching table.
    assert c.get_table_names_by_filter("no_such_db_y", f'{p}k = "v"', -1) == []


def test_get_table_names_by_filter_like_is_a_regex(hms, db):
    """HMS's LIKE on table parameters is JDO's String.matches (ExpressionTree: Operator.LIKE
    has jdoOp "matches"), i.e. a Java regular expression: ".*" is the wildcard."""
    t = hms.t
    hms.client.create_table(table(t, db, "f1", params={"k": "v1"}))
    hms.client.create_table(table(t, db, "f2", params={"k": "v2"}))
    hms.client.create_table(table(t, db, "f3", params={"k": "w"}))
    p = "hive_filter_field_params__"
    assert hms.client.get_table_names_by_filter(db, f'{p}k like "v.*"', -1) == ["f1", "f2"]
    assert hms.client.get_table_names_by_filter(db, f'{p}k LIKE "v."', -1) == ["f1", "f2"]


def test_fields_and_schema(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "fs", cols=[("a", "int"), ("b", "map<string,int>")],
                                  part_keys=[("ds", "string"), ("hr", "int")]))
    fields = [("a", "int"), ("b", "map<string,int>")]
    schema = fields + [("ds", "string"), ("hr", "int")]

    def names(cols):
        return [(c.name, c.type) for c in cols]

    c = hms.client
    assert names(c.get_fields(db, "fs")) == fields
    assert names(c.get_fields_with_environment_context(db, "FS", env(t))) == fields
    assert names(c.get_schema(db, "fs")) == schema
    assert names(c.get_schema_with_environment_context(db, "fs", env(t))) == schema
    if hms.has("get_fields_req"):
        req = make(t, "GetFieldsRequest", dbName=db, tblName="fs")
        assert names(c.get_fields_req(req).fields) == fields
        req = make(t, "GetSchemaRequest", dbName=db, tblName="fs")
        assert names(c.get_schema_req(req).fields) == schema
    with pytest.raises(t.UnknownTableException):
        c.get_fields(db, "missing")
    with pytest.raises(t.UnknownTableException):
        c.get_schema(db, "missing")
