"""Table constraints: primary, foreign and unique keys and not-null, default and check
constraints, added (add_*, create_table_with_constraints, create_table_req), read (get_*,
get_all_table_constraints) and dropped (drop_constraint), with Hive Metastore's names, flags and
errors.

Hive 2.3's IDL (hmsclient) has only primary and foreign keys, without catalogs; PyIceberg's Hive
4-era client and this repository's have every call. A test skips a flavour whose IDL lacks its
call. Hive's own Java client runs the same calls in the hive-conformance interop suite
(TestPrimaryKey, TestForeignKey, ... TestGetAllTableConstraints).
"""

import re

import pytest
from thrift.Thrift import TApplicationException

from builders import database, make, table
from clients import Hms

COLS = [("id", "bigint"), ("name", "string"), ("code", "int")]


def needs(hms, method):
    if not hms.has(method):
        pytest.skip(f"{hms.flavour}'s IDL has no {method}")


def pk(t, db, tbl, cols, name=None, enable=True, validate=False, rely=False, cat=None):
    return [make(t, "SQLPrimaryKey", table_db=db, table_name=tbl, column_name=c, key_seq=i + 1,
                 pk_name=name, enable_cstr=enable, validate_cstr=validate, rely_cstr=rely,
                 catName=cat)
            for i, c in enumerate(cols)]


def fk(t, db, tbl, cols, parent_db, parent, parent_cols, name=None, update_rule=0,
       delete_rule=0, cat=None):
    return [make(t, "SQLForeignKey", pktable_db=parent_db, pktable_name=parent,
                 pkcolumn_name=p, fktable_db=db, fktable_name=tbl, fkcolumn_name=c, key_seq=i + 1,
                 update_rule=update_rule, delete_rule=delete_rule, fk_name=name, pk_name=None,
                 enable_cstr=True, validate_cstr=False, rely_cstr=True, catName=cat)
            for i, (c, p) in enumerate(zip(cols, parent_cols))]


def uk(t, db, tbl, cols, name=None, cat=None):
    return [t.SQLUniqueConstraint(catName=cat, table_db=db, table_name=tbl, column_name=c,
                                  key_seq=i + 1, uk_name=name, enable_cstr=False,
                                  validate_cstr=True, rely_cstr=False)
            for i, c in enumerate(cols)]


def nn(t, db, tbl, col, name=None, cat=None):
    return t.SQLNotNullConstraint(catName=cat, table_db=db, table_name=tbl, column_name=col,
                                  nn_name=name, enable_cstr=True, validate_cstr=True,
                                  rely_cstr=False)


def dc(t, db, tbl, col, value, name=None, cat=None):
    return t.SQLDefaultConstraint(catName=cat, table_db=db, table_name=tbl, column_name=col,
                                  default_value=value, dc_name=name, enable_cstr=True,
                                  validate_cstr=False, rely_cstr=False)


def cc(t, db, tbl, col, expression, name=None, cat=None):
    return t.SQLCheckConstraint(catName=cat, table_db=db, table_name=tbl, column_name=col,
                                check_expression=expression, dc_name=name, enable_cstr=True,
                                validate_cstr=False, rely_cstr=True)


def primary_keys(hms, db, tbl, cat=None):
    return hms.client.get_primary_keys(
        make(hms.t, "PrimaryKeysRequest", db_name=db, tbl_name=tbl, catName=cat)).primaryKeys


def foreign_keys(hms, parent_db=None, parent=None, db=None, tbl=None):
    return hms.client.get_foreign_keys(hms.t.ForeignKeysRequest(
        parent_db_name=parent_db, parent_tbl_name=parent, foreign_db_name=db,
        foreign_tbl_name=tbl)).foreignKeys


def all_constraints(hms, db, tbl, cat="hive"):
    return hms.client.get_all_table_constraints(
        hms.t.AllTableConstraintsRequest(dbName=db, tblName=tbl, catName=cat)).allTableConstraints


def add_pk(hms, cols):
    hms.client.add_primary_key(hms.t.AddPrimaryKeyRequest(primaryKeyCols=cols))


def add_fk(hms, cols):
    hms.client.add_foreign_key(hms.t.AddForeignKeyRequest(foreignKeyCols=cols))


def drop(hms, db, tbl, constraint, cat=None):
    hms.client.drop_constraint(make(hms.t, "DropConstraintRequest", dbname=db, tablename=tbl,
                                    constraintname=constraint, catName=cat))


def rows(structs, *fields):
    return [tuple(getattr(s, f) for f in fields) for s in structs]


@pytest.fixture
def tables(hms, db):
    """db.parent and db.child, each with the columns COLS."""
    for tbl in ("parent", "child"):
        hms.client.create_table(table(hms.t, db, tbl, cols=COLS))
    return "parent", "child"


def test_primary_key_is_stored_lower_cased_with_its_flags(hms, db, tables):
    assert primary_keys(hms, db, "parent") == []
    add_pk(hms, pk(hms.t, db.upper(), "PARENT", ["ID", "Name"], name="PK_Parent", enable=False,
                   validate=True, rely=True))

    got = primary_keys(hms, db, "Parent")
    assert rows(got, "table_db", "table_name", "column_name", "key_seq", "pk_name",
                "enable_cstr", "validate_cstr", "rely_cstr") == [
        (db, "parent", "id", 1, "pk_parent", False, True, True),
        (db, "parent", "name", 2, "pk_parent", False, True, True)]
    if hasattr(got[0], "catName"):
        assert {k.catName for k in got} == {"hive"}
    assert primary_keys(hms, db, "child") == []


def test_unnamed_primary_key_gets_a_generated_name(hms, db, tables):
    add_pk(hms, pk(hms.t, db, "parent", ["id", "code"]))
    names = {k.pk_name for k in primary_keys(hms, db, "parent")}
    assert len(names) == 1
    assert re.fullmatch(r"pk_\d+_\d+_0", names.pop())


def test_second_primary_key_is_refused_with_meta_exception(hms, db, tables):
    add_pk(hms, pk(hms.t, db, "parent", ["id"], name="first"))
    with pytest.raises(hms.t.MetaException) as error:
        add_pk(hms, pk(hms.t, db, "parent", ["name"], name="second"))
    assert error.value.message == f"Primary key already exists for: hive.{db}.parent"
    assert rows(primary_keys(hms, db, "parent"), "column_name", "pk_name") == [("id", "first")]


def test_missing_table_or_column_is_refused_as_hms_does(hms, db, tables):
    # HMS raises InvalidObjectException, which add_primary_key does not declare: its clients
    # receive an application error.
    with pytest.raises(TApplicationException, match="Parent table not found: nosuch"):
        add_pk(hms, pk(hms.t, db, "nosuch", ["id"]))
    with pytest.raises(TApplicationException, match="Parent column not found: nope"):
        add_pk(hms, pk(hms.t, db, "parent", ["id", "nope"], name="k"))
    with pytest.raises(TApplicationException, match="Parent table not found: parent"):
        add_pk(hms, pk(hms.t, "nosuchdb", "parent", ["id"]))
    assert primary_keys(hms, db, "parent") == []


def test_a_name_in_use_on_the_table_is_refused(hms, db, tables):
    add_pk(hms, pk(hms.t, db, "parent", ["id"], name="taken"))
    # A foreign key's name is checked on the table it references, as HMS files it there.
    with pytest.raises(TApplicationException,
                       match=f"Constraint name already exists: {db}.parent.taken"):
        add_fk(hms, fk(hms.t, db, "child", ["id"], db, "parent", ["id"], name="TAKEN"))
    assert foreign_keys(hms, db=db, tbl="child") == []


def test_foreign_key_round_trip(hms, db, tables):
    add_pk(hms, pk(hms.t, db, "parent", ["id", "code"], name="parent_pk"))
    add_fk(hms, fk(hms.t, db, "Child", ["ID", "code"], db, "PARENT", ["id", "CODE"],
                   name="Child_FK", update_rule=1, delete_rule=2))

    expected = [(db, "parent", "id", db, "child", "id", 1, 1, 2, "child_fk", "parent_pk", True,
                 False, True),
                (db, "parent", "code", db, "child", "code", 2, 1, 2, "child_fk", "parent_pk", True,
                 False, True)]
    fields = ("pktable_db", "pktable_name", "pkcolumn_name", "fktable_db", "fktable_name",
              "fkcolumn_name", "key_seq", "update_rule", "delete_rule", "fk_name", "pk_name",
              "enable_cstr", "validate_cstr", "rely_cstr")
    assert rows(foreign_keys(hms, db=db, tbl="child"), *fields) == expected
    assert rows(foreign_keys(hms, parent_db=db, parent="parent"), *fields) == expected
    assert rows(foreign_keys(hms, db, "parent", db, "child"), *fields) == expected
    assert foreign_keys(hms, db, "child", db, "parent") == []
    # The referenced table holds no foreign key.
    assert foreign_keys(hms, db=db, tbl="parent") == []


def test_foreign_key_needs_a_key_of_the_referenced_table(hms, db, tables):
    with pytest.raises(hms.t.MetaException) as error:
        add_fk(hms, fk(hms.t, db, "child", ["id"], db, "parent", ["id"]))
    assert error.value.message == ("Trying to define foreign key but there are no primary keys "
                                   "or unique keys for referenced table")
    add_pk(hms, pk(hms.t, db, "parent", ["id", "code"], name="parent_pk"))
    # Only part of the key, or columns of another type, reference no key.
    with pytest.raises(hms.t.MetaException, match="Foreign key references id:bigint; but no "
                       "corresponding primary key or unique key exists"):
        add_fk(hms, fk(hms.t, db, "child", ["id"], db, "parent", ["id"]))
    with pytest.raises(hms.t.MetaException, match="Possible keys: \\[id:bigint;code:int;\\]"):
        add_fk(hms, fk(hms.t, db, "child", ["name", "code"], db, "parent", ["id", "code"]))
    with pytest.raises(TApplicationException, match="Parent table not found: nosuch"):
        add_fk(hms, fk(hms.t, db, "child", ["id"], db, "nosuch", ["id"]))
    with pytest.raises(TApplicationException, match="Child table not found: nosuch"):
        add_fk(hms, fk(hms.t, db, "nosuch", ["id"], db, "parent", ["id"]))
    with pytest.raises(TApplicationException, match="Child column not found: nope"):
        add_fk(hms, fk(hms.t, db, "child", ["id", "nope"], db, "parent", ["id", "code"]))
    assert foreign_keys(hms, db=db, tbl="child") == []


def test_constraints_follow_a_rename_and_go_with_either_table(hms, db, tables):
    add_pk(hms, pk(hms.t, db, "parent", ["id"], name="parent_pk"))
    add_fk(hms, fk(hms.t, db, "child", ["id"], db, "parent", ["id"], name="child_fk"))
    child = hms.client.get_table(db, "child")
    child.tableName = "kid"
    hms.client.alter_table(db, "child", child)

    assert foreign_keys(hms, db=db, tbl="child") == []
    assert rows(foreign_keys(hms, db=db, tbl="kid"), "fktable_name", "fk_name", "pk_name") == [
        ("kid", "child_fk", "parent_pk")]
    parent = hms.client.get_table(db, "parent")
    parent.tableName = "mother"
    hms.client.alter_table(db, "parent", parent)
    assert rows(foreign_keys(hms, db=db, tbl="kid"), "pktable_name") == [("mother",)]
    assert rows(primary_keys(hms, db, "mother"), "pk_name") == [("parent_pk",)]

    # Dropping the referenced table drops the foreign key with it.
    hms.client.drop_table(db, "mother", True)
    assert foreign_keys(hms, db=db, tbl="kid") == []
    # A table created again under a dropped table's name has none of its constraints.
    hms.client.create_table(table(hms.t, db, "mother", cols=COLS))
    assert primary_keys(hms, db, "mother") == []
    add_pk(hms, pk(hms.t, db, "mother", ["id"], name="parent_pk"))


def test_drop_constraint(hms, db, tables):
    add_pk(hms, pk(hms.t, db, "parent", ["id"], name="parent_pk"))
    add_fk(hms, fk(hms.t, db, "child", ["id"], db, "parent", ["id"], name="child_fk"))
    # A foreign key can be dropped through the table it references too, as in HMS.
    drop(hms, db.upper(), "PARENT", "Child_FK")
    assert foreign_keys(hms, db=db, tbl="child") == []
    with pytest.raises(TApplicationException) as error:
        drop(hms, db, "parent", "child_fk")
    assert error.value.message == ("The constraint: child_fk does not exist for the associated "
                                   f"table: {db}.parent")
    with pytest.raises(TApplicationException, match="The constraint: parent_pk does not exist"):
        drop(hms, db, "nosuch", "parent_pk")
    drop(hms, db, "parent", "parent_pk")
    assert primary_keys(hms, db, "parent") == []
    add_pk(hms, pk(hms.t, db, "parent", ["name"], name="parent_pk"))
    assert rows(primary_keys(hms, db, "parent"), "column_name") == [("name",)]


def test_gets_of_missing_objects_are_empty(hms, db, tables):
    assert primary_keys(hms, db, "nosuch") == []
    assert primary_keys(hms, "nosuch", "parent") == []
    assert foreign_keys(hms, db=db, tbl="nosuch") == []
    assert foreign_keys(hms, parent_db="nosuch", parent="parent") == []
    if hms.has("get_unique_constraints"):
        assert hms.client.get_unique_constraints(hms.t.UniqueConstraintsRequest(
            catName="nosuch", db_name=db, tbl_name="parent")).uniqueConstraints == []
        assert hms.client.get_not_null_constraints(hms.t.NotNullConstraintsRequest(
            catName="hive", db_name=db, tbl_name="nosuch")).notNullConstraints == []


def test_create_table_with_constraints_is_one_transaction(hms, db, tables):
    add_pk(hms, pk(hms.t, db, "parent", ["id"], name="parent_pk"))
    t = hms.t
    new = table(t, db, "orders", cols=COLS)
    keys = pk(t, db, "orders", ["code"], name="orders_pk")
    refs = fk(t, db, "orders", ["id"], db, "parent", ["id"], name="orders_fk")
    extra = [[], [], [], []] if hms.flavour != "hmsclient" else []
    hms.client.create_table_with_constraints(new, keys, refs, *extra)
    assert rows(primary_keys(hms, db, "orders"), "column_name", "pk_name") == [
        ("code", "orders_pk")]
    assert rows(foreign_keys(hms, db=db, tbl="orders"), "fkcolumn_name", "pk_name") == [
        ("id", "parent_pk")]

    # A refused constraint leaves no table behind.
    bad = fk(t, db, "returns", ["name"], db, "parent", ["id"], name="returns_fk")
    with pytest.raises(t.MetaException, match="Foreign key references id:string; but"):
        hms.client.create_table_with_constraints(table(t, db, "returns", cols=COLS), [], bad,
                                                 *extra)
    with pytest.raises(t.InvalidObjectException,
                       match="Parent column not found: nope"):
        hms.client.create_table_with_constraints(
            table(t, db, "returns", cols=COLS), pk(t, db, "returns", ["nope"]), [], *extra)
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_table(db, "returns")


def test_create_table_req_carries_every_kind(hms, db, tables):
    needs(hms, "create_table_req")
    needs(hms, "get_all_table_constraints")
    t = hms.t
    add_pk(hms, pk(t, db, "parent", ["id"], name="parent_pk"))
    request = t.CreateTableRequest(
        table=table(t, db, "Items", cols=COLS + [("up", "int")]),
        primaryKeys=pk(t, db, "items", ["id"], name="items_pk"),
        # A key of the new table may be referenced in the same request.
        foreignKeys=fk(t, db, "items", ["up"], db, "items", ["code"], name="self_fk") +
        fk(t, db, "items", ["id"], db, "parent", ["id"], name="parent_fk"),
        uniqueConstraints=uk(t, db, "items", ["code"], name="items_code"),
        notNullConstraints=[nn(t, db, "items", "name", name="name_nn")],
        defaultConstraints=[dc(t, db, "items", "code", "42", name="code_default")],
        checkConstraints=[cc(t, db, "items", "code", "code > 0", name="code_check")])
    hms.client.create_table_req(request)

    got = all_constraints(hms, db, "items")
    assert rows(got.primaryKeys, "column_name", "pk_name") == [("id", "items_pk")]
    assert rows(got.foreignKeys, "fkcolumn_name", "pktable_name", "fk_name", "pk_name") == [
        ("up", "items", "self_fk", "items_code"), ("id", "parent", "parent_fk", "parent_pk")]
    assert rows(got.uniqueConstraints, "column_name", "key_seq", "uk_name", "enable_cstr",
                "validate_cstr") == [("code", 1, "items_code", False, True)]
    assert rows(got.notNullConstraints, "column_name", "nn_name") == [("name", "name_nn")]
    assert rows(got.defaultConstraints, "column_name", "default_value", "dc_name") == [
        ("code", "42", "code_default")]
    assert rows(got.checkConstraints, "column_name", "check_expression", "dc_name",
                "rely_cstr") == [("code", "code > 0", "code_check", True)]
    assert {c.catName for c in got.notNullConstraints + got.checkConstraints} == {"hive"}


def test_other_kinds_round_trip_with_generated_names(hms, db, tables):
    needs(hms, "add_unique_constraint")
    t, c = hms.t, hms.client
    c.add_unique_constraint(t.AddUniqueConstraintRequest(
        uniqueConstraintCols=uk(t, db, "child", ["name", "code"])))
    c.add_not_null_constraint(t.AddNotNullConstraintRequest(
        notNullConstraintCols=[nn(t, db, "child", "Name"), nn(t, db, "child", "code")]))
    c.add_default_constraint(t.AddDefaultConstraintRequest(
        defaultConstraintCols=[dc(t, db, "child", "name", "'Unknown'")]))
    # HMS checks neither a default nor a check constraint's column against the table.
    c.add_check_constraint(t.AddCheckConstraintRequest(
        checkConstraintCols=[cc(t, db, "child", "ghost", "ghost IS NULL", name="Ghost_Check")]))

    got = all_constraints(hms, db, "child")
    assert got.primaryKeys == [] and got.foreignKeys == []
    unique = rows(got.uniqueConstraints, "column_name", "key_seq", "uk_name")
    assert [(col, seq) for col, seq, _ in unique] == [("name", 1), ("code", 2)]
    assert re.fullmatch(r"uk_\d+_\d+_0", unique[0][2]) and unique[0][2] == unique[1][2]
    not_null = rows(got.notNullConstraints, "column_name", "nn_name")
    assert [col for col, _ in not_null] == ["name", "code"]
    assert all(re.fullmatch(r"nn_\d+_\d+_0", n) for _, n in not_null)
    assert not_null[0][1] != not_null[1][1]
    (default,) = got.defaultConstraints
    assert default.default_value == "'Unknown'" and re.fullmatch(r"dc_\d+_\d+_0", default.dc_name)
    assert rows(got.checkConstraints, "column_name", "check_expression", "dc_name") == [
        ("ghost", "ghost IS NULL", "ghost_check")]
    assert rows(c.get_check_constraints(t.CheckConstraintsRequest(
        catName="HIVE", db_name=db, tbl_name="CHILD")).checkConstraints, "dc_name") == [
        ("ghost_check",)]

    # One constraint name per table: a not-null constraint may not take the check's name.
    with pytest.raises(TApplicationException,
                       match=f"Constraint name already exists: {db}.child.ghost_check"):
        c.add_not_null_constraint(t.AddNotNullConstraintRequest(
            notNullConstraintCols=[nn(t, db, "child", "id", name="ghost_check")]))
    with pytest.raises(TApplicationException, match="Parent column not found: ghost"):
        c.add_not_null_constraint(t.AddNotNullConstraintRequest(
            notNullConstraintCols=[nn(t, db, "child", "ghost")]))


def test_unique_key_can_be_referenced(hms, db, tables):
    needs(hms, "add_unique_constraint")
    t = hms.t
    hms.client.add_unique_constraint(t.AddUniqueConstraintRequest(
        uniqueConstraintCols=uk(t, db, "parent", ["code"], name="parent_code")))
    add_fk(hms, fk(t, db, "child", ["code"], db, "parent", ["code"], name="child_code"))
    assert rows(foreign_keys(hms, db=db, tbl="child"), "pk_name") == [("parent_code",)]


def test_empty_table_has_every_list_set(hms, db, tables):
    needs(hms, "get_all_table_constraints")
    for tbl in ("parent", "nosuch"):
        got = all_constraints(hms, db, tbl)
        assert (got.primaryKeys, got.foreignKeys, got.uniqueConstraints, got.notNullConstraints,
                got.defaultConstraints, got.checkConstraints) == ([], [], [], [], [], [])


@pytest.fixture
def other_catalog(hms, server, name, tmp_path):
    """A catalog of the test's own (created through this repository's client) holding database
    "db" with table "tbl"; its name."""
    admin = Hms("almanac", server.port)
    cat_name = name("cat")
    admin.client.create_catalog(admin.t.CreateCatalogRequest(catalog=admin.t.Catalog(
        name=cat_name, locationUri=str(tmp_path / cat_name))))
    db = database(admin.t, "db")
    db.catalogName = cat_name
    admin.client.create_database(db)
    tbl = table(admin.t, "db", "tbl", cols=COLS)
    tbl.catName = cat_name
    admin.client.create_table(tbl)
    yield cat_name
    admin.client.drop_database(f"@{cat_name}#db", True, True)
    admin.client.drop_catalog(admin.t.DropCatalogRequest(name=cat_name))
    admin.close()


def test_constraints_in_another_catalog(hms, other_catalog, db):
    needs(hms, "get_unique_constraints")  # an IDL with catalogs
    t = hms.t
    cat = other_catalog.upper()  # catalog names are case-insensitive
    add_pk(hms, pk(t, "db", "tbl", ["id"], name="cat_pk", cat=cat))
    # The same names in catalog "hive" name another table: none there.
    hms.client.create_table(table(t, db, "tbl", cols=COLS))
    assert primary_keys(hms, db, "tbl") == []
    assert primary_keys(hms, "db", "tbl") == []
    got = primary_keys(hms, "db", "tbl", cat=cat)
    assert rows(got, "catName", "table_db", "column_name", "pk_name") == [
        (other_catalog, "db", "id", "cat_pk")]
    assert primary_keys(hms, "db", "tbl", cat="nosuch") == []
    # A foreign key stays within one catalog.
    with pytest.raises(TApplicationException, match="Foreign keys cannot span catalogs"):
        add_fk(hms, fk(t, "db", "tbl", ["id"], "db", "tbl", ["id"], cat=cat) +
               [make(t, "SQLForeignKey", pktable_db="db", pktable_name="tbl", pkcolumn_name="id",
                     fktable_db="db", fktable_name="tbl", fkcolumn_name="code", key_seq=1,
                     update_rule=0, delete_rule=0, fk_name="x", pk_name=None, enable_cstr=True,
                     validate_cstr=False, rely_cstr=False, catName="hive")])
    drop(hms, "db", "tbl", "CAT_PK", cat=cat)
    assert primary_keys(hms, "db", "tbl", cat=cat) == []


def test_foreign_key_request_must_name_a_table(hms, db, tables):
    with pytest.raises(hms.t.MetaException, match="must name the foreign table or the parent"):
        foreign_keys(hms, parent_db=db, db=db)


def test_constraints_are_durable_across_a_kill(hms, fresh_server):
    srv = fresh_server.start()
    client = Hms(hms.flavour, srv.port)
    t = client.t
    client.client.create_database(database(t, "kept"))
    client.client.create_table(table(t, "kept", "parent", cols=COLS))
    client.client.create_table(table(t, "kept", "child", cols=COLS))
    add_pk(client, pk(t, "kept", "parent", ["id", "code"], name="parent_pk", rely=True))
    add_fk(client, fk(t, "kept", "child", ["id", "code"], "kept", "parent", ["id", "code"],
                      name="child_fk", delete_rule=3))
    client.close()
    srv.kill()  # Acknowledged writes are durable without a checkpoint.

    srv.start()
    client = Hms(hms.flavour, srv.port)
    try:
        assert rows(primary_keys(client, "kept", "parent"), "column_name", "key_seq", "pk_name",
                    "rely_cstr") == [("id", 1, "parent_pk", True), ("code", 2, "parent_pk", True)]
        assert rows(foreign_keys(client, db="kept", tbl="child"), "fkcolumn_name",
                    "pkcolumn_name", "key_seq", "delete_rule", "fk_name", "pk_name") == [
            ("id", "id", 1, 3, "child_fk", "parent_pk"),
            ("code", "code", 2, 3, "child_fk", "parent_pk")]
    finally:
        client.close()
