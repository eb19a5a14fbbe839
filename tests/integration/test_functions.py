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
    """HMS's alter changes the name, database, owner, class and type; the resource URIs and the
    create time stay."""
    t = hms.t
    hms.client.create_function(function(t, db, "old_fn", "org.example.Old",
                                        resources=["file:/old.jar"]))
    created = hms.client.get_function(db, "old_fn").createTime
    new = function(t, db, "New_Fn", "org.example.New", resources=["file:/n.jar"])
    new.ownerName = "other"
    new.ownerType = t.PrincipalType.ROLE
    hms.client.alter_function(db, "old_fn", new)
    with pytest.raises(t.NoSuchObjectException):
        hms.client.get_function(db, "old_fn")
    fn = hms.client.get_function(db, "new_fn")
    assert fn.className == "org.example.New"
    assert (fn.ownerName, fn.ownerType) == ("other", t.PrincipalType.ROLE)
    assert [r.uri for r in fn.resourceUris] == ["file:/old.jar"]
    assert fn.createTime == created
    assert hms.client.get_functions(db, "*") == ["new_fn"]


def test_alter_function_to_another_database(hms, db, name):
    t = hms.t
    other = name("db")
    hms.client.create_database(database(t, other))
    try:
        hms.client.create_function(function(t, db, "mover"))
        hms.client.alter_function(db, "mover", function(t, other, "mover"))
        assert hms.client.get_functions(db, "*") == []
        assert hms.client.get_function(other, "mover").dbName == other
    finally:
        hms.client.drop_database(other, True, True)


def test_alter_function_failures_are_meta_exceptions(hms, db):
    """alter_function declares InvalidOperationException, but HMS answers every failure with
    MetaException."""
    t = hms.t
    hms.client.create_function(function(t, db, "a_fn", "org.example.A"))
    hms.client.create_function(function(t, db, "b_fn", "org.example.B"))
    cases = [
        ("no_such_fn", function(t, db, "x_fn"), "does not exist"),
        ("a_fn", function(t, "no_such_db_alter", "a_fn"), "no_such_db_alter does not exist"),
        ("a_fn", function(t, db, "b_fn"), "b_fn already exists"),
        ("a_fn", function(t, db, "bad;name"), "bad;name is not a valid object name"),
        ("a_fn", function(t, db, ""), "is not a valid object name"),
        ("a_fn", function(t, db, "a_fn", class_name=None), "class name cannot be null"),
    ]
    for old_name, new, text in cases:
        with pytest.raises(t.MetaException) as err:
            hms.client.alter_function(db, old_name, new)
        assert text in err.value.message
    for field in ("functionName", "dbName", "ownerType", "functionType"):
        new = function(t, db, "c_fn")
        setattr(new, field, None)
        with pytest.raises(t.MetaException) as err:
            hms.client.alter_function(db, "a_fn", new)
        assert "cannot be null" in err.value.message
    for db_arg, fn_arg in ((None, "a_fn"), ("@hive#", "a_fn"), (db, None)):
        with pytest.raises(t.MetaException) as err:
            hms.client.alter_function(db_arg, fn_arg, function(t, db, "c_fn"))
        assert "name cannot be null" in err.value.message
    assert [(f, hms.client.get_function(db, f).className) for f in ("a_fn", "b_fn")] == [
        ("a_fn", "org.example.A"), ("b_fn", "org.example.B")]
    assert hms.client.get_functions(db, "*") == ["a_fn", "b_fn"]


def test_alter_function_owner_can_become_null(hms, db):
    """HMS replaces the owner with the new definition's, a null one included."""
    t = hms.t
    hms.client.create_function(function(t, db, "owned"))
    new = function(t, db, "owned")
    new.ownerName = None
    hms.client.alter_function(db, "owned", new)
    fn = hms.client.get_function(db, "owned")
    assert fn.ownerName is None
    assert fn.ownerType == t.PrincipalType.USER


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
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_function(function(t, db, ""))
    assert "is not a valid object name" in err.value.message
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_function(function(t, db, "no_class", class_name=None))
    assert "Function class name cannot be null" in err.value.message
    assert hms.client.get_functions(db, "*") == ["twice"]


def test_create_function_null_fields_are_meta_exceptions(hms, db):
    """HMS refuses a function whose name, database, owner type or function type is null with
    MetaException, where an empty or invalid name is an InvalidObjectException."""
    t = hms.t
    for field, text in (("functionName", "Function name cannot be null"),
                        ("dbName", "Database name in Function cannot be null"),
                        ("ownerType", "Function owner type cannot be null"),
                        ("functionType", "Function type cannot be null")):
        fn = function(t, db, "nulls")
        setattr(fn, field, None)
        with pytest.raises(t.MetaException) as err:
            hms.client.create_function(fn)
        assert text in err.value.message
    fn = function(t, "@hive#", "nulls")  # how a Java client sends a null database name
    with pytest.raises(t.MetaException):
        hms.client.create_function(fn)
    for bad in (7, 0):  # values HMS's reader does not know, which it reads as null
        fn = function(t, db, "nulls")
        fn.ownerType = bad
        with pytest.raises(t.MetaException):
            hms.client.create_function(fn)
        fn = function(t, db, "nulls")
        fn.functionType = bad
        with pytest.raises(t.MetaException):
            hms.client.create_function(fn)
    assert hms.client.get_functions(db, "*") == []


def test_function_calls_with_null_names(hms, db):
    """A null database or function name argument is a MetaException, as in HMS; a Java client
    sends a null database name as "@<catalog>#"."""
    t = hms.t
    hms.client.create_function(function(t, db, "here"))
    calls = [
        lambda: hms.client.get_function(None, "here"),
        lambda: hms.client.get_function("@hive#", "here"),
        lambda: hms.client.get_function(db, None),
        lambda: hms.client.drop_function(None, "here"),
        lambda: hms.client.drop_function("@hive#", "here"),
        lambda: hms.client.drop_function(db, None),
        lambda: hms.client.get_functions(None, "*"),
        lambda: hms.client.get_functions("@hive#", "*"),
    ]
    for call in calls:
        with pytest.raises(t.MetaException) as err:
            call()
        assert "name cannot be null" in err.value.message
    assert hms.client.get_function(db, "here").functionName == "here"


def test_get_functions_empty_and_null_pattern(hms, db):
    """HMS lists every function for a null pattern and none for an empty one."""
    t = hms.t
    for n in ("p_one", "p_two"):
        hms.client.create_function(function(t, db, n))
    assert hms.client.get_functions(db, None) == ["p_one", "p_two"]
    assert hms.client.get_functions(db, "") == []
    assert hms.client.get_functions("no_such_db_p", "*") == []


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
