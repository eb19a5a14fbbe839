"""The three generations of Thrift client the tests run against almanacd.

- "almanac":   generated at build time from this repository's own IDL (thrift/).
- "hmsclient": the PyPI package generated from Hive 2.3's IDL.
- "pyiceberg": the client that PyIceberg vendors, generated from a Hive 4-era IDL.
"""

import importlib
import os
import sys
from pathlib import Path

from thrift.protocol import TBinaryProtocol
from thrift.transport import TSocket, TTransport

REPO = Path(__file__).resolve().parents[2]
PY_GEN = os.environ.get("ALMANAC_PY_GEN", str(REPO / "build" / "thrift" / "gen-py"))
if PY_GEN not in sys.path:
    sys.path.insert(0, PY_GEN)

MODULES = {
    "almanac": "almanac_thrift.hive_metastore",
    "hmsclient": "hmsclient.genthrift.hive_metastore",
    "pyiceberg": "hive_metastore",
}

FLAVOURS = list(MODULES)


class Hms:
    """A connected client of one flavour: `.client` (the Thrift client), `.t` (its ttypes)."""

    def __init__(self, flavour, port):
        base = MODULES[flavour]
        self.flavour = flavour
        self.t = importlib.import_module(base + ".ttypes")
        service = importlib.import_module(base + ".ThriftHiveMetastore")
        self.transport = TTransport.TBufferedTransport(TSocket.TSocket("127.0.0.1", port))
        self.transport.open()
        protocol = TBinaryProtocol.TBinaryProtocol(self.transport)
        self.client = service.Client(protocol)

    def has(self, method):
        return hasattr(self.client, method)

    def close(self):
        self.transport.close()
