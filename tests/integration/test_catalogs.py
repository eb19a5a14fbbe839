"""Catalogs: the level above databases. create_catalog, alter_catalog, get_catalog(s) and
drop_catalog with Hive Metastore's exceptions, and databases and tables kept apart per catalog.

The catalog calls exist in this repository's IDL and in PyIceberg's Hive 4-era client; Hive 2.3's
(hmsclient) has none, so its tests reach a catalog through "@<catalog>#<db>" names only, with the
catalog made by this repository's client. Hive's own Java client runs the same calls in the
hive-conformance interop suite (TestCatalogs).
"""

import pytest

from builders import database, make, table
from clients import Hms


def admin_client(hms, server):
    """A client with the catalog calls: the test's own, or this repository's."""
    return hms if hms.has("create_catalog") else Hms("almanac", server.port)


def new_catalog(t, name, location, description=None):
    return t.Catalog(name=name, description=description, locationUri=location)


def drop_catalog_and_databases(server, cat_name):
    admin = Hms("almanac", server.port)
    try:
        for db_name in admin.client.get_databases(f"@{cat_name}#"):
            admin.client.drop_database(f"@{cat_name}#{db_name}", True, True)
        admin.client.drop_catalog(admin.t.DropCatalogRequest(name=cat_name))
    except admin.t.NoSuchObjectException:
        pass
    finally:
        admin.close()


@pytest.fixture
def cat(hms, server, name, tmp_path):
    """A catalog of the test's own at "<tmp_path>/<name>_root"; (name, root path)."""
    admin = admin_client(hms, server)
    cat_name = name("cat")
    root = tmp_path / f"{cat_name}_root"
    admin.client.create_catalog(
        admin.t.CreateCatalogRequest(catalog=new_catalog(admin.t, cat_name, str(root))))
    if admin is not hms:
        admin.close()
    yield cat_name, root
    drop_catalog_and_databases(server, cat_name)


def needs_catalog_calls(hms):
    if not hms.has("create_catalog"):
        pytest.skip(f"{hms.flavour}'s IDL has no catalog calls")


def test_create_get_alter_drop(hms, server, name, tmp_path):
    needs_catalog_calls(hms)
    t, c = hms.t, hms.client
    cat_name = name("Cat")
    root = tmp_path / "root"
    before = c.get_catalogs().names
    c.create_catalog(t.CreateCatalogRequest(
        catalog=new_catalog(t, cat_name.upper(), str(root), "sales data")))
    try:
        got = c.get_catalog(t.GetCatalogRequest(name=cat_name.upper())).catalog
        assert got.name == cat_name.lower()
        assert got.description == "sales data"
        assert got.locationUri == str(root)  # as given, like HMS
        assert got.createTime > 0
        assert root.is_dir()
        assert c.get_catalogs().names == sorted(before + [cat_name.lower()])

        # Each catalog holds a database "default" at the catalog's location.
        default = c.get_database(f"@{cat_name}#default")
        assert default.catalogName == cat_name.lower()
        assert default.locationUri == f"file:{root}"
        assert default.description == f"Default database for catalog {cat_name.lower()}"
        assert c.get_databases(f"@{cat_name}#") == ["default"]
        assert cat_name.lower() not in c.get_all_databases()

        # Alter replaces the description and location that are given, keeps the rest.
        moved = tmp_path / "moved"
        c.alter_catalog(t.AlterCatalogRequest(
            name=cat_name, newCat=new_catalog(t, cat_name, str(moved))))
        got = c.get_catalog(t.GetCatalogRequest(name=cat_name)).catalog
        assert (got.description, got.locationUri) == ("sales data", str(moved))
        c.alter_catalog(t.AlterCatalogRequest(
            name=cat_name, newCat=new_catalog(t, cat_name, "", "new words")))
        got = c.get_catalog(t.GetCatalogRequest(name=cat_name)).catalog
        assert (got.description, got.locationUri) == ("new words", str(moved))
    finally:
        c.drop_catalog(t.DropCatalogRequest(name=cat_name))
    assert c.get_catalogs().names == before
    with pytest.raises(t.NoSuchObjectException):
        c.get_catalog(t.GetCatalogRequest(name=cat_name))
    with pytest.raises(t.NoSuchObjectException):
        c.get_database(f"@{cat_name}#default")
    assert not root.exists()  # the empty directory of its default database went with it


def test_description_stays_absent_unless_given(hms, cat):
    needs_catalog_calls(hms)
    got = hms.client.get_catalog(hms.t.GetCatalogRequest(name=cat[0])).catalog
    assert got.description is None


def test_refused_as_hms_refuses(hms, server, cat, tmp_path):
    needs_catalog_calls(hms)
    t, c = hms.t, hms.client
    cat_name, _ = cat
    with pytest.raises(t.AlreadyExistsException) as err:
        c.create_catalog(t.CreateCatalogRequest(
            catalog=new_catalog(t, cat_name.upper(), str(tmp_path / "other"))))
    assert err.value.message == f"Catalog {cat_name.upper()} already exists"
    with pytest.raises(t.InvalidObjectException) as err:
        c.create_catalog(t.CreateCatalogRequest(
            catalog=new_catalog(t, "bad-name", str(tmp_path / "bad"))))
    assert err.value.message == "bad-name is not a valid catalog name"
    with pytest.raises(t.InvalidObjectException) as err:
        c.create_catalog(t.CreateCatalogRequest(catalog=t.Catalog(name="no_location")))
    assert err.value.message == "You must specify a path for the catalog"

    with pytest.raises(t.NoSuchObjectException) as err:
        c.get_catalog(t.GetCatalogRequest(name="nosuch"))
    assert err.value.message == "No catalog nosuch"
    with pytest.raises(t.NoSuchObjectException):
        c.alter_catalog(t.AlterCatalogRequest(
            name="nosuch", newCat=new_catalog(t, "nosuch", str(tmp_path))))
    with pytest.raises(t.InvalidOperationException) as err:
        c.alter_catalog(t.AlterCatalogRequest(
            name=cat_name, newCat=new_catalog(t, "renamed", str(tmp_path))))
    assert err.value.message == "You cannot change a catalog's name"

    with pytest.raises(t.NoSuchObjectException):
        c.drop_catalog(t.DropCatalogRequest(name="nosuch"))
    with pytest.raises(t.MetaException) as err:
        c.drop_catalog(t.DropCatalogRequest(name="HIVE"))
    assert err.value.message == "Can not drop hive catalog"

    db = make(t, "Database", name="keep", description="", locationUri=None, parameters={},
              catalogName=cat_name)
    c.create_database(db)
    with pytest.raises(t.InvalidOperationException) as err:
        c.drop_catalog(t.DropCatalogRequest(name=cat_name))
    assert err.value.message == \
        f"There are non-default databases in the catalog {cat_name} so it cannot be dropped."
    c.drop_database(f"@{cat_name}#keep", True, False)
    c.create_table(table(t, f"@{cat_name}#default", "t1"))
    with pytest.raises(t.InvalidOperationException) as err:
        c.drop_catalog(t.DropCatalogRequest(name=cat_name))
    assert err.value.message == \
        f"There are still objects in the default database for catalog {cat_name}"
    assert cat_name in c.get_catalogs().names
    assert c.get_all_tables(f"@{cat_name}#default") == ["t1"]


def test_databases_are_per_catalog(hms, server, cat, name, tmp_path):
    t, c = hms.t, hms.client
    cat_name, root = cat
    db_name = name("db")
    if hms.has("create_catalog"):
        c.create_database(make(t, "Database", name=db_name.upper(), description="d",
                               locationUri=None, parameters={}, catalogName=cat_name.upper()))
    else:  # Hive 2.3's Database has no catalogName: made by this repository's client.
        admin = Hms("almanac", server.port)
        admin.client.create_database(admin.t.Database(
            name=db_name, description="d", parameters={}, catalogName=cat_name))
        admin.close()
    got = c.get_database(f"@{cat_name}#{db_name}")
    assert got.name == db_name
    assert got.locationUri == f"file:{root}/{db_name}.db"
    assert (root / f"{db_name}.db").is_dir()
    assert c.get_databases(f"@{cat_name}#") == sorted(["default", db_name])
    assert c.get_databases(f"@{cat_name}#{db_name[:3]}*") == [db_name]
    assert db_name not in c.get_all_databases()
    with pytest.raises(t.NoSuchObjectException):
        c.get_database(db_name)
    with pytest.raises(t.NoSuchObjectException):
        c.drop_database(db_name, True, False)  # the same name in catalog hive: none

    # The same name in catalog hive is another database, at the warehouse.
    c.create_database(database(t, db_name))
    try:
        assert c.get_database(db_name).locationUri == f"file:{server.warehouse}/{db_name}.db"
        assert c.get_database(f"@{cat_name}#{db_name}").locationUri == \
            f"file:{root}/{db_name}.db"
    finally:
        c.drop_database(db_name, True, False)
    c.drop_database(f"@{cat_name}#{db_name}", True, False)
    assert not (root / f"{db_name}.db").exists()
    assert c.get_databases(f"@{cat_name}#") == ["default"]


def test_database_in_a_missing_catalog_is_refused(hms, name):
    t = hms.t
    if "catalogName" not in {spec[2] for spec in t.Database.thrift_spec if spec}:
        pytest.skip(f"{hms.flavour}'s Database has no catalogName")
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_database(make(t, "Database", name=name("db"), description="",
                                        locationUri=None, parameters={}, catalogName="nosuch"))
    assert err.value.message == "No such catalog nosuch"
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_database("@nosuch#default")
    assert hms.client.get_databases("@nosuch#") == []


def test_tables_are_per_catalog_and_do_not_move(hms, server, cat, db, name):
    t, c = hms.t, hms.client
    cat_name, root = cat
    tn = name("t")
    q = f"@{cat_name}#default"
    c.create_table(table(t, q, tn))
    got = c.get_table(q, tn)
    assert got.dbName == "default"
    assert got.sd.location == f"file:{root}/{tn}"
    assert (root / tn).is_dir()
    assert c.get_all_tables(q) == [tn]
    assert tn not in c.get_all_tables("default")
    with pytest.raises(t.NoSuchObjectException):
        c.get_table("default", tn)

    # An alter naming another catalog is refused, and leaves the table where it was.
    moved = c.get_table(q, tn)
    if "catName" in {spec[2] for spec in t.Table.thrift_spec if spec}:
        moved.catName = "hive"
        with pytest.raises(t.InvalidOperationException) as err:
            c.alter_table_with_environment_context(q, tn, moved, t.EnvironmentContext({}))
        assert err.value.message == \
            f"Tables cannot be moved between catalogs, old catalog{cat_name}, new catalog hive"
    # Legacy names: the table of "@cat#default" in hive's "default" does not exist.
    plain = c.get_table(q, tn)
    plain.dbName = "default"
    if "catName" in {spec[2] for spec in t.Table.thrift_spec if spec}:
        plain.catName = None
    with pytest.raises(t.InvalidOperationException):
        c.alter_table("default", tn, plain)
    # A rename names a database of the table's own catalog: `db` exists only in hive.
    renamed = c.get_table(q, tn)
    renamed.dbName = db
    with pytest.raises(t.InvalidOperationException) as err:
        c.alter_table(q, tn, renamed)
    assert f"Database {db} does not exist" in err.value.message
    assert c.get_all_tables(q) == [tn]
    assert c.get_all_tables(db) == []

    # Without a catName of its own, the new definition stays in the call's catalog.
    if hms.has("alter_table_req"):
        kept = c.get_table(q, tn)
        kept.catName = None
        kept.dbName = "default"
        kept.parameters["k"] = "v"
        c.alter_table_req(make(t, "AlterTableRequest", catName=cat_name.upper(),
                               dbName="default", tableName=tn, table=kept))
        assert c.get_table(q, tn).parameters["k"] == "v"

    c.drop_table(q, tn, True)
    assert c.get_all_tables(q) == []
    assert not (root / tn).exists()


def test_create_table_req_in_a_missing_catalog(hms, name):
    t = hms.t
    if not hms.has("create_table_req"):
        pytest.skip(f"{hms.flavour} has no create_table_req")
    tbl = table(t, "default", name("t"))
    tbl.catName = "nosuch"
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_table_req(make(t, "CreateTableRequest", table=tbl))
    assert "nosuch.default" in err.value.message
