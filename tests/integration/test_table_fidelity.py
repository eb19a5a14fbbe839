"""Table answers as Hive Metastore gives them, through every client flavour: what HMS leaves
null stays off the wire, table metadata keeps an empty comment, materialized views are listed
for rewriting, get_table_objects_by_name_req takes database patterns, and the exception types
of malformed creates and alters."""

import os

import pytest
from thrift.Thrift import TType

from builders import env, make, partition, table


def table_field_ids(hms, db, name):
    """The ids of the fields of the Table that get_table puts on the wire."""
    hms.client.send_get_table(db, name)
    iprot = hms.client._iprot
    iprot.readMessageBegin()
    iprot.readStructBegin()
    ids = set()
    while True:
        _, ftype, fid = iprot.readFieldBegin()
        if ftype == TType.STOP:
            break
        if fid == 0:
            iprot.readStructBegin()
            while True:
                _, inner_type, inner_id = iprot.readFieldBegin()
                if inner_type == TType.STOP:
                    break
                ids.add(inner_id)
                iprot.skip(inner_type)
                iprot.readFieldEnd()
            iprot.readStructEnd()
        else:
            iprot.skip(ftype)
        iprot.readFieldEnd()
    iprot.readStructEnd()
    iprot.readMessageEnd()
    return ids


OWNER, VIEW_ORIGINAL, VIEW_EXPANDED, TEMPORARY = 3, 10, 11, 14


def test_null_owner_view_texts_and_temporary_stay_absent(hms, db):
    t = hms.t
    tbl = table(t, db, "nobody")
    tbl.owner = None
    hms.client.create_table(tbl)
    assert hms.client.get_table(db, "nobody").owner is None
    ids = table_field_ids(hms, db, "nobody")
    assert not ids & {OWNER, VIEW_ORIGINAL, VIEW_EXPANDED, TEMPORARY}, sorted(ids)
    view = table(t, db, "v", table_type="VIRTUAL_VIEW")
    view.viewOriginalText, view.viewExpandedText = "select 1", "select 1"
    hms.client.create_table(view)
    assert {OWNER, VIEW_ORIGINAL, VIEW_EXPANDED} <= table_field_ids(hms, db, "v")
    assert TEMPORARY not in table_field_ids(hms, db, "v")


def test_table_meta_keeps_an_empty_comment_and_materialized_views(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "empty_comment", params={"comment": ""}))
    hms.client.create_table(table(t, db, "no_comment"))
    hms.client.create_table(table(t, db, "mv", table_type="MATERIALIZED_VIEW"))
    metas = {m.tableName: m for m in hms.client.get_table_meta(db, "*", [])}
    assert metas["empty_comment"].comments == ""
    assert metas["no_comment"].comments is None
    assert metas["mv"].tableType == "MATERIALIZED_VIEW"
    only_mv = hms.client.get_table_meta(db, "*", ["MATERIALIZED_VIEW"])
    assert [m.tableName for m in only_mv] == ["mv"]
    # A null database pattern matches every database, an empty one (Hive 3+: "@cat#!") none.
    assert {(m.dbName, m.tableName) for m in hms.client.get_table_meta("@hive#", "*", [])} >= {
        (db, "mv"), (db, "no_comment")}
    assert hms.client.get_table_meta("@hive#!", "*", []) == []


def test_materialized_views_for_rewriting(hms, db):
    t = hms.t
    if not hms.has("get_materialized_views_for_rewriting"):
        pytest.skip(f"{hms.flavour}'s IDL has no get_materialized_views_for_rewriting")
    for name, rewrite in (("mv_on", True), ("mv_off", False)):
        mv = table(t, db, name, table_type="MATERIALIZED_VIEW")
        mv.rewriteEnabled = rewrite
        hms.client.create_table(mv)
    hms.client.create_table(table(t, db, "plain"))
    assert hms.client.get_materialized_views_for_rewriting(db) == ["mv_on"]
    assert hms.client.get_materialized_views_for_rewriting("no_such_db") == []
    assert hms.client.get_materialized_views_for_rewriting(f"@nosuch#{db}") == []


def test_table_objects_by_pattern_take_database_patterns(hms, db, name):
    t = hms.t
    fields = {spec[2] for spec in t.GetTablesRequest.thrift_spec if spec} \
        if hasattr(t, "GetTablesRequest") else set()
    if "tablesPattern" not in fields:
        pytest.skip(f"{hms.flavour}'s GetTablesRequest has no tablesPattern")
    other = name("db")
    hms.client.create_database(t.Database(name=other, description="", parameters={}))
    try:
        hms.client.create_table(table(t, db, "a_to_find"))
        hms.client.create_table(table(t, db, "b_hidden"))
        hms.client.create_table(table(t, other, "c_to_find"))

        def listed(db_pattern, pattern):
            request = make(t, "GetTablesRequest", dbName=db_pattern, tablesPattern=pattern)
            result = hms.client.get_table_objects_by_name_req(request)
            return sorted((x.dbName, x.tableName) for x in result.tables)

        assert listed(f"{db}|{other}", "*_to_find") == sorted([(db, "a_to_find"),
                                                              (other, "c_to_find")])
        assert listed(db, "*") == [(db, "a_to_find"), (db, "b_hidden")]
        assert listed(db, "") == []
        with pytest.raises(t.UnknownDBException):
            listed("no_such_db", "*")
        with pytest.raises(t.InvalidOperationException, match="cannot find null tables"):
            hms.client.get_table_objects_by_name_req(make(t, "GetTablesRequest", dbName=db))
    finally:
        hms.client.drop_database(other, True, True)


def test_get_all_tables_needs_a_database(hms):
    with pytest.raises(hms.t.MetaException, match="database name is required"):
        hms.client.get_all_tables("@hive#")


def test_create_refusals_by_exception_type(hms, db):
    t = hms.t

    def refused(exception, message, **changes):
        tbl = table(t, db, "refused")
        for field, value in changes.items():
            target = tbl.sd if field in ("cols", "serdeInfo", "location") else tbl
            setattr(target, field, value)
        with pytest.raises(exception, match=message):
            hms.client.create_table(tbl)

    refused(t.MetaException, "no database name", dbName=None)
    refused(t.MetaException, "no table name", tableName=None)
    refused(t.MetaException, "no storage descriptor", sd=None)
    refused(t.MetaException, "no column list", cols=None)
    refused(t.MetaException, "no serde info", serdeInfo=None)
    refused(t.MetaException, "no type for column id", cols=[t.FieldSchema(name="id")])
    refused(t.InvalidObjectException, "not a valid object name", tableName="")
    refused(t.InvalidObjectException, "refused location must not be root path",
            location="hdfs://nn:8020")
    refused(t.InvalidObjectException, "location must not be root path", location="file:/")
    assert hms.client.get_tables(db, "*") == []


def test_alter_refusals_by_exception_type(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "alt"))
    original = hms.client.get_table(db, "alt")

    def altered(**changes):
        new = hms.client.get_table(db, "alt")
        for field, value in changes.items():
            setattr(new.sd if field == "location" else new, field, value)
        return new

    with pytest.raises(t.InvalidOperationException, match="not a valid object name"):
        hms.client.alter_table(db, "alt", altered(tableName=""))
    with pytest.raises(t.MetaException, match="no storage descriptor"):
        hms.client.alter_table(db, "alt", altered(sd=None))
    with pytest.raises(t.MetaException, match="has no location"):
        hms.client.alter_table(db, "alt", altered(location=None))
    # Without a recount (DO_NOT_UPDATE_STATS) the stored location stays.
    hms.client.alter_table_with_environment_context(
        db, "alt", altered(location=None), env(t, DO_NOT_UPDATE_STATS="true"))
    assert hms.client.get_table(db, "alt").sd.location == original.sd.location


def test_alter_may_change_partition_key_types_but_not_names(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "pk", part_keys=[("k", "int")]))
    tbl = hms.client.get_table(db, "pk")
    hms.client.add_partitions([partition(t, tbl, ["1"])])
    tbl.partitionKeys[0].type = "string"
    tbl.partitionKeys[0].comment = "changed comment"
    hms.client.alter_table(db, "pk", tbl)
    key = hms.client.get_table(db, "pk").partitionKeys[0]
    assert (key.name, key.type, key.comment) == ("k", "string", "changed comment")
    tbl.partitionKeys[0].name = "renamed"
    with pytest.raises(t.InvalidOperationException, match="partition keys can not be changed"):
        hms.client.alter_table(db, "pk", tbl)
    tbl.partitionKeys.append(t.FieldSchema(name="k2", type="int", comment=""))
    tbl.partitionKeys[0].name = "k"
    with pytest.raises(t.InvalidOperationException, match="partition keys can not be changed"):
        hms.client.alter_table(db, "pk", tbl)
    tbl.partitionKeys.pop()
    tbl.partitionKeys[0].name = "renamed"
    hms.client.alter_table_with_environment_context(
        db, "pk", tbl, env(t, allow_partition_key_change="true"))
    assert hms.client.get_table(db, "pk").partitionKeys[0].name == "renamed"


def test_drop_keeps_the_metadata_of_data_it_could_not_delete(hms, db):
    """HMS (with its storage checks on) refuses to drop a table whose data it would delete when
    the directory holding that data is not writable, going by the permission bits alone."""
    t = hms.t
    hms.client.create_table(table(t, db, "locked"))
    parent = os.path.dirname(hms.client.get_table(db, "locked").sd.location[len("file:"):])
    os.chmod(parent, 0o555)
    try:
        with pytest.raises(t.MetaException, match="Table metadata not deleted since .* is not "
                                                   "writable by"):
            hms.client.drop_table(db, "locked", True)
        assert hms.client.get_table(db, "locked").tableName == "locked"
        hms.client.drop_table(db, "locked", False)  # Nothing to delete: allowed.
    finally:
        os.chmod(parent, 0o755)


def test_table_projections_are_checked(hms, db):
    """get_table_objects_by_name_req checks a projection as HMS does (the tables come back
    whole): unknown fields are a MetaException, parameter-key patterns without fields an
    InvalidOperationException."""
    t = hms.t
    fields = {spec[2] for spec in t.GetTablesRequest.thrift_spec if spec} \
        if hasattr(t, "GetTablesRequest") else set()
    if "projectionSpec" not in fields:
        pytest.skip(f"{hms.flavour}'s GetTablesRequest has no projectionSpec")
    hms.client.create_table(table(t, db, "proj"))

    def get(**spec):
        request = make(t, "GetTablesRequest", dbName=db, tblNames=["proj"],
                       projectionSpec=t.GetProjectionsSpec(**spec))
        return hms.client.get_table_objects_by_name_req(request).tables

    assert [x.tableName for x in get(fieldList=["dbName", "sd.location", "parameters"])] == [
        "proj"]
    assert len(get()) == 1
    with pytest.raises(t.MetaException, match=r"Invalid table fields in the projection spec "
                                              r"\[Invalid1, Invalid2\]"):
        get(fieldList=["dbName", "Invalid1", "Invalid2"])
    with pytest.raises(t.InvalidOperationException, match="Param key are not supported"):
        get(excludeParamKeyPattern="foo")
    assert len(get(fieldList=["tableName"], includeParamKeyPattern="x%")) == 1


def test_skew_information_is_always_answered(hms, db):
    """HMS answers every storage descriptor with a SkewedInfo (empty lists when none was given)
    and storedAsSubDirectories false; some clients read a missing SkewedInfo as skewed."""
    t = hms.t
    hms.client.create_table(table(t, db, "plain", part_keys=[("ds", "string")]))
    plain = hms.client.get_table(db, "plain")
    assert plain.sd.skewedInfo == t.SkewedInfo(skewedColNames=[], skewedColValues=[],
                                               skewedColValueLocationMaps={})
    assert plain.sd.storedAsSubDirectories is False
    hms.client.add_partition(partition(t, plain, ["1"]))
    part = hms.client.get_partition(db, "plain", ["1"])
    assert part.sd.skewedInfo.skewedColNames == [] and part.sd.storedAsSubDirectories is False

    skewed = table(t, db, "skewed")
    skewed.sd.skewedInfo = t.SkewedInfo(skewedColNames=["id"], skewedColValues=[["1"]],
                                        skewedColValueLocationMaps={})
    skewed.sd.storedAsSubDirectories = True
    hms.client.create_table(skewed)
    got = hms.client.get_table(db, "skewed").sd
    assert got.skewedInfo.skewedColNames == ["id"] and got.skewedInfo.skewedColValues == [["1"]]
    assert got.storedAsSubDirectories is True
