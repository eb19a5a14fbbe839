"""A TCP relay between a metastore client and almanacd that can hold back or break one call.

The relay copies bytes both ways and records what each client sent. Armed for a method, it acts
on the first request of that method (Thrift's binary protocol puts the method name in the first
bytes of every call):
- "hold": stops forwarding it until the test releases it. The client sits in the middle of that
  call, which lets a test make a commit race deterministically: hold Iceberg's alter_table, let
  another writer commit, release.
- "drop_reply": forwards it, throws almanacd's answer away and breaks the client's connection,
  as a network failure after the server did its work would.
With `refuse` set, the relay closes every connection it has and each new one at once, as if
almanacd could not be reached. The recorded requests are decoded afterwards with the project's
own generated Thrift client.
"""

import importlib
import socket
import threading

from thrift.protocol import TBinaryProtocol
from thrift.transport import TTransport


class ThriftGate:
    def __init__(self, port):
        self.target = ("127.0.0.1", port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self._armed = None          # method name whose next request is acted on
        self._action = None         # "hold" or "drop_reply"
        self.held = threading.Event()     # set once a request has been acted on
        self._release = threading.Event()
        self._refuse = False
        self._then_refuse = False
        self._streams = []          # bytearray per connection: what the client sent
        self._sockets = []
        self._closed = False
        threading.Thread(target=self._accept, name="gate-accept", daemon=True).start()

    def arm(self, method, action="hold", then_refuse=False):
        """Holds the next request of `method` until release(), or (action="drop_reply") breaks
        the connection instead of passing on almanacd's answer to it, and with `then_refuse`
        refuses every connection from then on."""
        assert action in ("hold", "drop_reply")
        with self._lock:
            self._armed = method.encode()
            self._action = action
            self._then_refuse = then_refuse
            self.held.clear()
            self._release.clear()

    @property
    def refuse(self):
        return self._refuse

    @refuse.setter
    def refuse(self, value):
        self._refuse = value
        if value:
            with self._lock:
                sockets, self._sockets = self._sockets, []
            for sock in sockets:
                _close(sock)

    def release(self):
        with self._lock:
            self._armed = None
        self._release.set()

    def close(self):
        self._closed = True
        self.release()
        try:
            self.listener.close()
        except OSError:
            pass
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _close(sock)

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self._refuse:
                _close(client)
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                _close(client)
                continue
            stream = bytearray()
            drop = threading.Event()  # set: the next answer on this connection is dropped
            with self._lock:
                self._streams.append(stream)
                self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, stream, drop),
                             daemon=True, name="gate-up").start()
            threading.Thread(target=self._pump, args=(server, client, None, drop),
                             daemon=True, name="gate-down").start()

    def _pump(self, source, sink, record, drop):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if record is None:  # almanacd -> client
                    if drop.is_set():
                        if self._then_refuse:
                            self.refuse = True
                        self.held.set()
                        break
                    sink.sendall(data)
                    continue
                with self._lock:
                    armed = self._armed
                    act = self._action if armed is not None and armed in data[:200] else None
                    if act:
                        self._armed = None
                    record += data
                if act == "hold":
                    self.held.set()
                    self._release.wait()
                elif act == "drop_reply":
                    drop.set()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def requests(self):
        """Every complete call the clients sent: a list of (method, args struct), decoded with
        the project's generated client (almanac_thrift.hive_metastore)."""
        import clients  # noqa: F401 - tests/integration; puts ALMANAC_PY_GEN on sys.path
        service = importlib.import_module("almanac_thrift.hive_metastore.ThriftHiveMetastore")
        with self._lock:
            streams = [bytes(s) for s in self._streams]
        calls = []
        for stream in streams:
            buffer = TTransport.TMemoryBuffer(stream)
            protocol = TBinaryProtocol.TBinaryProtocol(buffer)
            while buffer._buffer.tell() < len(stream):
                try:
                    name, _, _ = protocol.readMessageBegin()
                    args = getattr(service, f"{name}_args")()
                    args.read(protocol)
                    protocol.readMessageEnd()
                except Exception:  # noqa: BLE001 - a call cut off by the end of the stream
                    break
                calls.append((name, args))
        return calls


def _close(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
