"""Function calls, through every client flavour."""

import time

import pytest

from builders import database, function, server_time_lower_bound


def test_create_get(hms, db):
    t = hms.t
    before = server_time_lower_bound()
    hms.client.create_function(function(t, db.upper(), "My_Upper", "org.example.Upper",
                                        resources=["file:/tmp/udf.jar", "hdfs:/x/y.jar"]))
    fn = hms.client.get_function(db, "MY_UPPER")
    assert fn.functionName == "my_upper"  # names are lower-cased
    assert fn.dbName == db
    assert fn.className == "org.example.Upper"
    assert fn.ownerName == "tester"
    assert fn.ownerType == t.PrincipalType.USER
    assert fn.functionType == t.FunctionType.JAVA
    assert [(r.resourceType, r.uri) for r in fn.resourceUris] == [
        (t.ResourceType.JAR, "file:/tmp/udf.jar"), (t.ResourceType.JAR, "hdfs:/x/y.jar")]
    assert before <= fn.createTime <= time.time() + 1  # set by the server; we sent 0
    if hasattr(fn, "catName"):
        assert fn.catName == "hive"


def test_get_functions_pattern(hms, db):
    t = hms.t
    for n in ("fa_one", "fa_two", "fb_one"):
        hms.client.create_function(function(t, db, n))
    c = hms.client
    assert c.get_functions(db, "*") == ["fa_one", "fa_two", "fb_one"]
    assert c.get_functions(db, "fa*") == ["fa_one", "fa_two"]
    assert c.get_functions(db, "FA_ONE") == ["fa_one"]
    assert c.get_functions(db, "*one") == ["fa_one", "fb_one"]
    assert c.get_functions(db, "fa_two|fb*") == ["fa_two", "fb_one"]
    assert c.get_functions(db, "zz*") == []


def test_get_all_functions(hms, db):
    t = hms.t
    hms.client.create_function(function(t, db, "everywhere", "org.example.E"))
    found = [f for f in hms.client.get_all_functions().functions
             if f.dbName == db]
    assert [(f.functionName, f.className) for f in found] == [("everywhere", "org.example.E")]


def test_alter_function_rename(hms, db):
    t = hms.t
    hms.client.create_function(function(t, db, "old_fn", "org.example.Old"))
    created = hms.client.get_function(db, "old_fn").createTime
    hms.client.alter_function(db, "old_fn", function(t, db, "New_Fn", "org.example.New",
                                                     resources=["file:/n.jar"]))
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_function(db, "old_fn")
    fn = hms.client.get_function(db, "new_fn")
    assert fn.className == "org.example.New"
    assert [r.uri for r in fn.resourceUris] == ["file:/n.jar"]
    assert fn.createTime == created
    assert hms.client.get_functions(db, "*") == ["new_fn"]
    with pytest.raises(t.InvalidOperationException):
        hms.client.alter_function(db, "old_fn", function(t, db, "x"))


def test_alter_function_keeps_name(hms, db):
    t = hms.t
    hms.client.create_function(function(t, db, "same", "org.example.V1"))
    hms.client.alter_function(db, "same", function(t, db, "same", "org.example.V2"))
    assert hms.client.get_function(db, "same").className == "org.example.V2"


def test_drop_function(hms, db):
    t = hms.t
    hms.client.create_function(function(t, db, "gone"))
    hms.client.drop_function(db, "GONE")
    assert hms.client.get_functions(db, "*") == []
    with pytest.raises(t.NoSuchObjectException):
        hms.client.drop_function(db, "gone")


def test_get_missing_function(hms, db):
    with pytest.raises(hms.t.NoSuchObjectException) as err:
        hms.client.get_function(db, "nothere")
    # Spark's HiveShim matches "<name> does not exist".
    assert "nothere does not exist" in err.value.message


def test_create_function_errors(hms, db):
    t = hms.t
    with pytest.raises(t.NoSuchObjectException) as err:
        hms.client.create_function(function(t, "no_such_db_f", "f"))
    assert "no_such_db_f" in err.value.message
    hms.client.create_function(function(t, db, "twice"))
    with pytest.raises(t.AlreadyExistsException) as err:
        hms.client.create_function(function(t, db, "TWICE"))
    assert "twice already exists" in err.value.message
    with pytest.raises(t.InvalidObjectException):
        hms.client.create_function(function(t, db, "bad name"))
    assert hms.client.get_functions(db, "*") == ["twice"]


def test_drop_database_cascade_drops_functions(hms, name):
    t = hms.t
    db = name("db")
    hms.client.create_database(database(t, db))
    hms.client.create_function(function(t, db, "f1"))
    with pytest.raises(t.InvalidOperationException):
        hms.client.drop_database(db, True, False)
    hms.client.drop_database(db, True, True)
    hms.client.create_database(database(t, db))
    try:
        assert hms.client.get_functions(db, "*") == []
    finally:
        hms.client.drop_database(db, True, True)
