import itertools
import shutil
import tempfile
from pathlib import Path

import pytest

from almanac_server import AlmanacServer
from builders import database
from clients import FLAVOURS, Hms

_names = itertools.count()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    workdir = Path(tempfile.mkdtemp(prefix="almanac-it-"))
    # Tests place external tables and partitions in their tmp_path: the server may touch files
    # there as well as in its warehouse.
    srv = AlmanacServer(workdir, "--allowed_roots",
                        f"file:{tmp_path_factory.getbasetemp()}").start()
    yield srv
    srv.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def fresh_server():
    """A server of the test's own, for tests that restart or kill it."""
    workdir = Path(tempfile.mkdtemp(prefix="almanac-it-"))
    srv = AlmanacServer(workdir)
    yield srv
    srv.kill()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(params=FLAVOURS)
def hms(request, server):
    client = Hms(request.param, server.port)
    yield client
    client.close()


@pytest.fixture
def name(hms):
    """A unique lower-case identifier per call, prefixed by the client flavour."""
    return lambda prefix="x": f"{prefix}_{hms.flavour}_{next(_names)}"


@pytest.fixture
def connect(hms, server):
    """Opens further connections of the test's client flavour; all are closed afterwards."""
    opened = []

    def _connect():
        client = Hms(hms.flavour, server.port)
        opened.append(client)
        return client

    yield _connect
    for client in opened:
        client.close()


@pytest.fixture
def db(hms, name, server):
    """A database of the test's own, dropped with cascade (and its data) afterwards."""
    db_name = name("db")
    hms.client.create_database(database(hms.t, db_name))
    yield db_name
    cleanup = Hms(hms.flavour, server.port)  # the test's connection may be closed or broken
    try:
        cleanup.client.drop_database(db_name, True, True)
    except cleanup.t.NoSuchObjectException:
        pass
    finally:
        cleanup.close()
