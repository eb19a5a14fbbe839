"""Shared fixtures of the interop tests: a real almanacd for real clients (Spark, ...).

The server harness and the project's own Thrift client come from tests/integration; this file
only wires them up. Environment:
  ALMANACD        the almanacd binary (default: build/server/almanacd)
  ALMANAC_PY_GEN  the generated Python client (default: thrift/gen-py next to ALMANACD's build)
  ALMANAC_INTEROP_LOG_DIR  if set, almanacd's log is copied there at the end
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_INTEGRATION = REPO / "tests" / "integration"
if str(_INTEGRATION) not in sys.path:
    sys.path.insert(0, str(_INTEGRATION))

from almanac_server import ALMANACD, AlmanacServer  # noqa: E402
from interop_support import log_requests  # noqa: E402

# ALMANACD is <build>/server/almanacd; its generated Python client is <build>/thrift/gen-py.
os.environ.setdefault("ALMANAC_PY_GEN", str(Path(ALMANACD).resolve().parents[1] / "thrift" / "gen-py"))


class ServerLog:
    """The request lines of almanacd's JSON log: `mark()` a position, then `requests(since)`."""

    def __init__(self, server):
        self.server = server

    def mark(self):
        try:
            return self.server.log_path.stat().st_size
        except OSError:
            return 0

    def requests(self, since=0):
        return log_requests(self.server.log_path, since)

    def methods(self, since=0):
        return [entry["method"] for entry in self.requests(since)]

    def errors(self, since=0):
        return [entry for entry in self.requests(since) if entry.get("outcome") != "ok"]


@pytest.fixture(scope="session")
def interop_tmp():
    """A scratch directory for the whole session, removed at the end."""
    path = Path(tempfile.mkdtemp(prefix="almanac-interop-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def almanac(interop_tmp):
    """One almanacd for the session, logging JSON so that tests can read which calls it served."""
    # The suites keep their engines' warehouses and custom locations in the session's scratch
    # directory: the server may create, list and delete files there as in its own warehouse.
    server = AlmanacServer(interop_tmp / "almanacd", "--log_format", "json",
                           "--allowed_roots", f"file:{interop_tmp}")
    server.workdir.mkdir(parents=True)
    server.start()
    yield server
    server.stop()
    keep = os.environ.get("ALMANAC_INTEROP_LOG_DIR")
    if keep:  # The temporary directory goes; a copy of the server's log can stay for diagnosis.
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(server.log_path, Path(keep) / "almanacd.log")


@pytest.fixture(scope="session")
def almanac_log(almanac):
    return ServerLog(almanac)


@pytest.fixture(scope="session")
def hms(almanac):
    """The project's own generated Thrift client, connected to the session's server."""
    from clients import Hms  # Reads ALMANAC_PY_GEN, so imported only once that is set.
    client = Hms("almanac", almanac.port)
    yield client
    client.close()
