"""The three generations of Thrift client the tests run against almanacd.

- "almanac":   generated at build time from this repository's own IDL (thrift/).
- "hmsclient": the PyPI package generated from Hive 2.3's IDL.
- "pyiceberg": the client that PyIceberg vendors, generated from a Hive 4-era IDL.
"""

import importlib
import os
import sys
from pathlib import Path

from thrift.Thrift import TApplicationException, TMessageType
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

FB303 = {
    "almanac": "almanac_thrift.fb303.ttypes",
    "hmsclient": "hmsclient.genthrift.fb303.ttypes",
    "pyiceberg": "fb303.ttypes",
}

FLAVOURS = list(MODULES)


def _let_python_set_dunders(ttypes):
    """Generated exceptions are immutable, so contextlib cannot set their __traceback__ and a
    failing test would report "can't modify immutable instance" instead of the real error.
    Attributes Python itself manages (dunders) are allowed through; fields stay immutable."""
    from thrift.Thrift import TException
    for value in vars(ttypes).values():
        if isinstance(value, type) and issubclass(value, TException) and \
                "__setattr__" in vars(value) and not getattr(value, "_dunders_ok", False):
            frozen = value.__setattr__

            def setattr_(self, name, *rest, _frozen=frozen):
                if name.startswith("__") and name.endswith("__"):
                    return object.__setattr__(self, name, *rest)
                return _frozen(self, name, *rest)

            value.__setattr__ = setattr_
            value._dunders_ok = True


class Hms:
    """A connected client of one flavour: `.client` (the Thrift client), `.t` (its ttypes),
    `.fb303` (its fb303 ttypes)."""

    def __init__(self, flavour, port):
        base = MODULES[flavour]
        self.flavour = flavour
        self.t = importlib.import_module(base + ".ttypes")
        self.fb303 = importlib.import_module(FB303[flavour])
        _let_python_set_dunders(self.t)
        service = importlib.import_module(base + ".ThriftHiveMetastore")
        self.transport = TTransport.TBufferedTransport(TSocket.TSocket("127.0.0.1", port))
        self.transport.open()
        protocol = TBinaryProtocol.TBinaryProtocol(self.transport)
        self.client = service.Client(protocol)

    def has(self, method):
        return hasattr(self.client, method)

    def call_raw(self, method):
        """Calls `method` with no arguments, whatever this flavour's IDL says, and raises the
        TApplicationException the server answers with (returns None for any other reply)."""
        out, inp = self.client._oprot, self.client._iprot
        out.writeMessageBegin(method, TMessageType.CALL, 0)
        out.writeStructBegin(method + "_args")
        out.writeFieldStop()
        out.writeStructEnd()
        out.writeMessageEnd()
        out.trans.flush()
        _, kind, _ = inp.readMessageBegin()
        if kind == TMessageType.EXCEPTION:
            error = TApplicationException()
            error.read(inp)
            inp.readMessageEnd()
            raise error
        inp.skip(12)  # TType.STRUCT: the result
        inp.readMessageEnd()

    def close(self):
        self.transport.close()
