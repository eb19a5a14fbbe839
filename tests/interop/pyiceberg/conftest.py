"""Fixtures of the PyIceberg interop tests: a real almanacd, PyIceberg's HiveCatalog on it, and
the project's own Thrift client to check what almanacd stored."""

import itertools

import pytest

from support import catalog_for, drop_database_cascade, hms_for, start_server, stop_server

_names = itertools.count()


@pytest.fixture(scope="session")
def server():
    srv = start_server()
    yield srv
    stop_server(srv)


@pytest.fixture
def catalog(server):
    return catalog_for(server)


@pytest.fixture
def hms(server):
    client = hms_for(server)
    yield client
    client.close()


@pytest.fixture
def unique():
    """A unique lower-case identifier per call."""
    return lambda prefix="x": f"{prefix}_{next(_names)}"


@pytest.fixture
def namespace(server, unique):
    """A namespace of the test's own, dropped with everything in it afterwards."""
    name = unique("ns")
    catalog_for(server).create_namespace(name)
    yield name
    drop_database_cascade(server, name)

