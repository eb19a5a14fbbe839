"""Database calls, driven through every client flavour."""

import pytest

from builders import database, table


def test_default_database_exists(hms):
    db = hms.client.get_database("default")
    assert db.name == "default"
    assert db.locationUri.startswith("file:")
    assert "default" in hms.client.get_all_databases()


def test_create_get_list_alter_drop(hms, name, server):
    t = hms.t
    db_name = name("db")
    hms.client.create_database(database(t, db_name.upper(), params={"k": "v"}))
    db = hms.client.get_database(db_name)
    assert db.name == db_name  # names are lower-cased
    assert db.parameters == {"k": "v"}
    assert db.locationUri == f"file:{server.warehouse}/{db_name}.db"
    assert db_name in hms.client.get_all_databases()
    assert hms.client.get_databases(db_name[:6] + "*") .count(db_name) == 1
    assert db_name not in hms.client.get_databases("nomatch*")

    db.description = "changed"
    db.parameters = {"k": "v2", "other": "1"}
    hms.client.alter_database(db_name, db)
    again = hms.client.get_database(db_name)
    assert again.description == "changed"
    assert again.parameters == {"k": "v2", "other": "1"}

    hms.client.drop_database(db_name, True, False)
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_database(db_name)
    assert db_name not in hms.client.get_all_databases()


def test_create_existing_database_fails(hms, name):
    t = hms.t
    db_name = name("db")
    hms.client.create_database(database(t, db_name))
    with pytest.raises(t.AlreadyExistsException) as err:
        hms.client.create_database(database(t, db_name))
    assert db_name in err.value.message
    hms.client.drop_database(db_name, True, True)


def test_invalid_database_name(hms):
    t = hms.t
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_database(database(t, "bad-name"))
    assert "bad-name is not a valid database name" in err.value.message


def test_drop_non_empty_database(hms, name):
    t = hms.t
    db_name = name("db")
    hms.client.create_database(database(t, db_name))
    hms.client.create_table(table(t, db_name, "t1"))
    with pytest.raises(t.InvalidOperationException) as err:
        hms.client.drop_database(db_name, True, False)
    assert f"Database {db_name} is not empty" in err.value.message
    hms.client.drop_database(db_name, True, True)  # cascade
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_table(db_name, "t1")


def test_drop_default_database_refused(hms):
    with pytest.raises(hms.t.MetaException):
        hms.client.drop_database("default", False, False)


def test_drop_missing_database(hms):
    with pytest.raises(hms.t.NoSuchObjectException):
        hms.client.drop_database("does_not_exist", False, False)


def test_get_database_req_and_catalog_prefix(hms, name):
    t = hms.t
    db_name = name("db")
    hms.client.create_database(database(t, db_name))
    assert hms.client.get_database(f"@hive#{db_name}").name == db_name
    assert db_name in hms.client.get_databases("@hive#")
    if hms.has("get_database_req"):
        db = hms.client.get_database_req(t.GetDatabaseRequest(name=db_name, catalogName="hive"))
        assert db.name == db_name
    hms.client.drop_database(db_name, True, False)


def test_create_and_alter_database_req(hms, name, server):
    """Hive 4's HiveMetaStoreClient creates and alters databases only with the _req calls."""
    t = hms.t
    if not (hms.has("create_database_req") and hms.has("alter_database_req")):
        pytest.skip(f"{hms.flavour}'s IDL has no create_database_req/alter_database_req")
    db_name = name("db")
    hms.client.create_database_req(t.CreateDatabaseRequest(
        databaseName=db_name.upper(), description="made by a request", parameters={"k": "v"},
        ownerName="owner1", ownerType=t.PrincipalType.USER, catalogName="hive"))
    db = hms.client.get_database(db_name)
    assert db.name == db_name
    assert db.description == "made by a request"
    assert db.parameters == {"k": "v"}
    assert (db.ownerName, db.ownerType) == ("owner1", t.PrincipalType.USER)
    assert db.locationUri == f"file:{server.warehouse}/{db_name}.db"
    with pytest.raises(t.AlreadyExistsException):
        hms.client.create_database_req(t.CreateDatabaseRequest(databaseName=db_name))

    db.parameters = {"k": "v2"}
    db.ownerName = "owner2"
    hms.client.alter_database_req(t.AlterDatabaseRequest(oldDbName=f"@hive#{db_name}", newDb=db))
    again = hms.client.get_database(db_name)
    assert again.parameters == {"k": "v2"}
    assert again.ownerName == "owner2"
    with pytest.raises(t.NoSuchObjectException):
        hms.client.alter_database_req(
            t.AlterDatabaseRequest(oldDbName="@hive#does_not_exist", newDb=db))
    hms.client.drop_database(db_name, True, False)


def test_database_without_description_or_owner_reads_null(hms, name):
    """HMS keeps a null description, and sends it as null; Almanac also sends an empty one as
    null. Every database is NATIVE (the field exists from Hive 4's IDL on)."""
    t = hms.t
    db_name = name("db")
    hms.client.set_ugi("alice", [])
    hms.client.create_database(database(t, db_name, description=None))
    try:
        db = hms.client.get_database(db_name)
        assert db.description is None
        assert db.ownerName == "alice"  # HMS names the caller when no owner is given
        if hasattr(db, "type"):
            assert db.type == t.DatabaseType.NATIVE
        assert hms.client.get_database("default").description == "Default Hive database"
    finally:
        hms.client.drop_database(db_name, True, True)


def test_alter_database_keeps_what_the_new_definition_lacks(hms, name, server):
    """HMS's alter replaces the parameters and the owner's name (a null one included), the owner
    type only when given, and the description and location only when they are not blank."""
    t = hms.t
    db_name = name("db")
    created = database(t, db_name, params={"a": "1"}, description="first")
    created.ownerName, created.ownerType = "owner1", t.PrincipalType.ROLE
    hms.client.create_database(created)
    try:
        before = hms.client.get_database(db_name)
        bare = t.Database(name="ignored_new_name", description=" ")
        hms.client.alter_database(db_name, bare)
        after = hms.client.get_database(db_name)
        assert after.name == db_name
        assert after.description == "first"
        assert after.locationUri == before.locationUri
        assert after.parameters == {}
        assert after.ownerName is None
        assert after.ownerType == t.PrincipalType.ROLE
        assert getattr(after, "createTime", None) == getattr(before, "createTime", None)

        changed = t.Database(name=db_name, description="second", parameters={"b": "2"},
                             locationUri=f"file:{server.warehouse}/moved_{db_name}",
                             ownerName="owner2", ownerType=t.PrincipalType.GROUP)
        hms.client.alter_database(db_name, changed)
        after = hms.client.get_database(db_name)
        assert (after.description, after.parameters) == ("second", {"b": "2"})
        assert after.locationUri == f"file:{server.warehouse}/moved_{db_name}"
        assert (after.ownerName, after.ownerType) == ("owner2", t.PrincipalType.GROUP)
    finally:
        hms.client.drop_database(db_name, True, True)


def test_database_calls_with_a_null_name(hms):
    """A null database name is a MetaException in HMS ("Database name cannot be null."), not a
    missing database; a Java client sends it as "@<catalog>#" or leaves the argument out."""
    t = hms.t
    calls = [
        lambda: hms.client.get_database(None),
        lambda: hms.client.get_database("@hive#"),
        lambda: hms.client.drop_database(None, False, False),
        lambda: hms.client.drop_database("@hive#", False, False),
        lambda: hms.client.alter_database(None, t.Database(name="x")),
    ]
    if hms.has("get_database_req"):
        calls.append(lambda: hms.client.get_database_req(t.GetDatabaseRequest(catalogName="hive")))
    for call in calls:
        with pytest.raises(t.MetaException) as err:
            call()
        assert "Database name cannot be null" in err.value.message
    assert "default" in hms.client.get_all_databases()
