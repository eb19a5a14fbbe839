"""Session, fb303 and protocol-level calls, driven through every client flavour."""

import time

import pytest
from thrift.Thrift import TApplicationException
from thrift.transport.TTransport import TTransportException

from builders import function
from clients import Hms


def test_fb303_identity(hms, server):
    assert hms.client.getName() == "Almanac"
    version = hms.client.getVersion()
    assert version and version[0].isdigit(), version
    assert hms.client.getStatus() == hms.fb303.fb_status.ALIVE
    alive = hms.client.aliveSince()
    # Seconds since the epoch at which the server started, not milliseconds.
    assert time.time() - 24 * 3600 < alive <= time.time() + 1


def test_alive_since_is_stable_across_connections(hms, connect):
    assert connect().client.aliveSince() == hms.client.aliveSince()


def test_set_ugi_returns_groups_then_user(hms):
    assert hms.client.set_ugi("alice", ["staff", "admin"]) == ["staff", "admin", "alice"]
    assert hms.client.set_ugi("bob", []) == ["bob"]


def test_set_ugi_principal_becomes_function_owner(hms, db):
    """A function without an owner gets the caller's name. A table does not: HMS keeps its
    owner null (test_table_fidelity.py)."""
    t = hms.t
    hms.client.set_ugi("carol", ["g"])
    fn = function(t, db, "owned_fn")
    fn.ownerName = ""
    hms.client.create_function(fn)
    assert hms.client.get_function(db, "owned_fn").ownerName == "carol"


def test_get_config_value(hms, server):
    c = hms.client
    assert c.get_config_value("hive.metastore.warehouse.dir", "x") == f"file:{server.warehouse}"
    assert c.get_config_value("metastore.warehouse.dir", "x") == f"file:{server.warehouse}"
    assert c.get_config_value("hive.metastore.try.direct.sql", "false") == "true"
    # Readable keys that the server has no value for answer the caller's default.
    assert c.get_config_value("hive.some.unknown.key", "fallback") == "fallback"
    assert c.get_config_value("hdfs.x", "d1") == "d1"
    assert c.get_config_value("mapred.x", "d2") == "d2"
    assert c.get_config_value("metastore.x", "d3") == "d3"


@pytest.mark.parametrize("key", ["javax.jdo.option.ConnectionPassword", "fs.s3a.secret.key",
                                 "HIVE.metastore.x", "xhive.metastore", ""])
def test_get_config_value_refuses_other_namespaces(hms, key):
    with pytest.raises(hms.t.ConfigValSecurityException) as err:
        hms.client.get_config_value(key, "default")
    assert err.value.message == f"For security reasons, the config key {key} cannot be accessed"
    # The connection keeps working.
    assert hms.client.get_database("default").name == "default"


def test_catalogs(hms, server):
    if not hms.has("get_catalogs"):
        pytest.skip(f"{hms.flavour} has no catalog calls")
    t = hms.t
    assert hms.client.get_catalogs().names == ["hive"]
    catalog = hms.client.get_catalog(t.GetCatalogRequest(name="hive")).catalog
    assert catalog.name == "hive"
    assert catalog.locationUri == f"file:{server.warehouse}"
    with pytest.raises(t.NoSuchObjectException) as err:
        hms.client.get_catalog(t.GetCatalogRequest(name="spark"))
    assert "spark" in err.value.message


def _assert_unknown_method(call, method):
    with pytest.raises(TApplicationException) as err:
        call()
    assert err.value.type == TApplicationException.UNKNOWN_METHOD
    assert err.value.message == f"Invalid method name: '{method}'"


def test_unknown_method_via_generated_client(hms):
    """A method of the flavour's IDL that almanac does not serve, with its real arguments."""
    t = hms.t
    if hms.flavour == "hmsclient":
        _assert_unknown_method(lambda: hms.client.get_index_names("default", "t", -1),
                               "get_index_names")
    elif hms.flavour == "pyiceberg":
        request = t.PartitionsByExprRequest(dbName="default", tblName="t", expr=b"\x01\x02",
                                            defaultPartitionName="__HIVE_DEFAULT_PARTITION__",
                                            maxParts=-1)
        _assert_unknown_method(lambda: hms.client.get_partitions_by_expr(request),
                               "get_partitions_by_expr")
    else:
        pytest.skip("almanac's own client only has the methods almanac serves")
    # The connection keeps working, and so does the method after it.
    assert hms.client.get_database("default").name == "default"
    assert hms.client.get_all_databases().count("default") == 1


@pytest.mark.parametrize("method", ["get_index_names", "no_such_method", "getName2"])
def test_unknown_method_raw(hms, method, server):
    hms.client.set_ugi(f"caller_{method}", [])
    for _ in range(2):  # twice: the first answer must leave the stream in sync
        _assert_unknown_method(lambda: hms.call_raw(method), method)
    assert hms.client.get_database("default").name == "default"
    # Each unknown call leaves a request line, so that a client expecting a newer API shows up.
    logged = [line for line in server.log().splitlines()
              if f"method={method} " in line and f"principal=caller_{method} " in line]
    assert len(logged) >= 2, logged[-3:]
    assert "outcome=error" in logged[-1] and f"Invalid method name: '{method}'" in logged[-1]


def test_shutdown_ends_only_this_connection(hms, connect, server):
    other = connect()
    victim = connect()
    assert victim.client.get_database("default").name == "default"
    victim.client.shutdown()  # oneway: returns at once
    with pytest.raises((TTransportException, EOFError, ConnectionError)):
        victim.client.get_database("default")
    assert server.alive()
    assert other.client.get_database("default").name == "default"
    assert hms.client.getName() == "Almanac"
    fresh = Hms(hms.flavour, server.port)
    try:
        assert fresh.client.get_all_databases().count("default") == 1
    finally:
        fresh.close()
