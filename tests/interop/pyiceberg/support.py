"""Shared helpers of the PyIceberg interop tests: servers, catalogs, Thrift clients.

Imported by the tests and by the worker processes that multiprocessing (spawn) starts, so it
must not depend on pytest.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
INTEGRATION = REPO / "tests" / "integration"
if str(INTEGRATION) not in sys.path:
    sys.path.insert(0, str(INTEGRATION))

# The project's own Python Thrift client lives in the build directory of the almanacd under
# test (build*/thrift/gen-py); clients.py reads ALMANAC_PY_GEN when first imported.
_almanacd = Path(os.environ.get("ALMANACD", REPO / "build" / "server" / "almanacd"))
os.environ.setdefault("ALMANAC_PY_GEN", str(_almanacd.resolve().parents[1] / "thrift" / "gen-py"))

from almanac_server import AlmanacServer  # noqa: E402  (tests/integration)
from clients import Hms, _let_python_set_dunders  # noqa: E402  (tests/integration)

import hive_metastore.ttypes  # noqa: E402  (the Thrift client PyIceberg vendors)
from pyiceberg.catalog.hive import HiveCatalog  # noqa: E402

# Thrift exceptions are immutable; pytest and contextlib must still set their __traceback__.
_let_python_set_dunders(hive_metastore.ttypes)

__all__ = ["AlmanacServer", "Hms", "catalog_at", "catalog_for", "drop_database_cascade",
           "hms_for", "iceberg_params", "start_server", "stop_server", "warehouse_of"]


def start_server(*args):
    """A new almanacd in a temporary work directory, with `args` as extra flags."""
    workdir = Path(tempfile.mkdtemp(prefix="almanac-pyiceberg-"))
    try:
        return AlmanacServer(workdir, *args).start()
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def stop_server(server):
    """Stops `server` (SIGTERM, SIGKILL if that fails) and removes its work directory."""
    try:
        server.stop()
    finally:
        server.kill()
        shutil.rmtree(server.workdir, ignore_errors=True)


def warehouse_of(server):
    return f"file://{server.workdir}/pyiceberg-warehouse"


def catalog_for(server, **properties):
    """A PyIceberg HiveCatalog on `server`, with its warehouse under the server's work dir."""
    return catalog_at(server.port, warehouse_of(server), **properties)


def catalog_at(port, warehouse, **properties):
    """A PyIceberg HiveCatalog on thrift://127.0.0.1:<port>.

    Lock polling is tuned down from PyIceberg's defaults (check_lock after 2 s, 4 s, 8 s; 4
    tries): the concurrency tests queue eight writers on one lock, and a waiter whose turn has
    come should notice within 50 ms rather than seconds. It gives up after about 20 s."""
    settings = {
        "uri": f"thrift://127.0.0.1:{port}",
        "warehouse": warehouse,
        "lock-check-min-wait-time": "0.01",
        "lock-check-max-wait-time": "0.05",
        "lock-check-retries": "400",
    }
    settings.update(properties)
    return HiveCatalog("almanac", **settings)


def hms_for(server):
    """A connected client of the project's own IDL (module almanac_thrift.hive_metastore)."""
    return Hms("almanac", server.port)


def iceberg_params(hms, db, table):
    """The parameters almanacd stores for db.table, read back over Thrift."""
    return dict(hms.client.get_table(db, table).parameters)


def drop_database_cascade(server, name):
    """Drops database `name` with its tables and data, if it exists."""
    hms = hms_for(server)
    try:
        hms.client.drop_database(name, True, True)
    except hms.t.NoSuchObjectException:
        pass
    finally:
        hms.close()
