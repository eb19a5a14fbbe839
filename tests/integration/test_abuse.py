"""Protocol abuse: hostile bytes, sizes, pacing and connection counts must not hurt almanacd.

Every case checks that the server stays up, that a separate well-behaved client opened before
the abuse keeps getting answers, that the bad connection is closed by the server within a bounded
time, that the server's open descriptors return to where they were, and that its RSS (current and
peak) grows by less than RSS_BOUND_KB. Bytes are crafted by hand in the strict binary protocol.
"""

import socket
import struct
import threading
import time
from contextlib import contextmanager

import pytest
from thrift.Thrift import TApplicationException
from thrift.protocol import TBinaryProtocol, TCompactProtocol
from thrift.transport import TSocket, TTransport

import clients  # noqa: F401 - puts the generated almanac_thrift package on sys.path
from almanac_thrift.hive_metastore import ThriftHiveMetastore
from almanac_thrift.hive_metastore import ttypes
from builders import database

T_STOP, T_I32, T_STRING, T_STRUCT, T_MAP, T_LIST = 0, 8, 11, 12, 13, 15
RSS_BOUND_KB = 200 * 1024


def i32(n):
    return struct.pack(">i", n)


def tstr(text):
    data = text.encode() if isinstance(text, str) else text
    return i32(len(data)) + data


def call(method, seqid=1):
    return struct.pack(">I", 0x80010001) + tstr(method) + i32(seqid)


def field(ttype, fid):
    return struct.pack(">bh", ttype, fid)


def list_of(etype, n):
    return struct.pack(">bi", etype, n)


def map_of(ktype, vtype, n):
    return struct.pack(">bbi", ktype, vtype, n)


TLS_HELLO = (b"\x16\x03\x01\x00\xc8\x01\x00\x00\xc4\x03\x03" + bytes(range(32))
             + b"\x00\x00\x02\x13\x01\x01\x00\x00\x10" + bytes(16))
GET_DB = call("get_database") + field(T_STRING, 1)
DB_ARG = call("create_database") + field(T_STRUCT, 1) + field(T_STRING, 1) + tstr("abuse_db")

# Each of these must be refused as soon as it is parsed: no FIN is sent, no timeout is waited.
REJECTED = {
    "http_get": b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "tls_client_hello": TLS_HELLO,
    "method_name_2g": struct.pack(">I", 0x80010001) + i32(0x7FFFFFFF) + b"get_database",
    "string_2g": GET_DB + i32(0x7FFFFFFF) + b"0123456789",
    "list_2g": call("get_table_objects_by_name") + field(T_STRING, 1) + tstr("default")
    + field(T_LIST, 2) + list_of(T_STRING, 0x7FFFFFFF) + tstr("t"),
    "map_1e9": DB_ARG + field(T_MAP, 4) + map_of(T_STRING, T_STRING, 10**9) + tstr("k"),
    "nested_structs_10000": call("get_database") + field(T_STRUCT, 99) * 10_000,
    "nested_lists_10000": call("get_database") + field(T_LIST, 99) + list_of(T_LIST, 1) * 10_000,
    "negative_method_name": struct.pack(">I", 0x80010001) + i32(-3),
    "negative_string": GET_DB + i32(-1),
    "negative_list": call("get_table_objects_by_name") + field(T_LIST, 2) + list_of(T_STRING, -5),
    "negative_map": DB_ARG + field(T_MAP, 4) + map_of(T_STRING, T_STRING, -1),
    "bad_version": struct.pack(">I", 0x80020001) + tstr("get_database") + i32(1),
    "garbage": bytes(range(256)) * 4,
}


def send(sock, data):
    try:
        sock.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # The server may close before reading everything; that is allowed.


def closed_within(sock, limit):
    """Reads until the server closes the connection; returns the seconds it took."""
    start = time.monotonic()
    sock.settimeout(0.1)
    while time.monotonic() - start < limit:
        try:
            if not sock.recv(65536):
                return time.monotonic() - start
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - start
    pytest.fail(f"the server kept a bad connection open for more than {limit} s")


def wait_for(predicate, limit=5.0):
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class Client:
    """A well-behaved client with a socket timeout, so a hung server fails the test."""

    def __init__(self, port, framed=False, compact=False, timeout_ms=10_000):
        self.socket = TSocket.TSocket("127.0.0.1", port)
        self.socket.setTimeout(timeout_ms)
        wrap = TTransport.TFramedTransport if framed else TTransport.TBufferedTransport
        self.transport = wrap(self.socket)
        proto = TCompactProtocol.TCompactProtocol if compact else TBinaryProtocol.TBinaryProtocol
        self.transport.open()
        self.client = ThriftHiveMetastore.Client(proto(self.transport))
        self.t = ttypes

    def close(self):
        self.transport.close()


@contextmanager
def guarded(srv, watch=None):
    """Asserts the server survives the block unharmed; yields the well-behaved client."""
    watch = watch or Client(srv.port)
    try:
        assert "default" in watch.client.get_all_databases()
        rss, peak, fds = srv.status_kb("VmRSS"), srv.status_kb("VmHWM"), srv.open_fds()
        yield watch
        assert srv.alive(), srv.log()[-3000:]
        assert "default" in watch.client.get_all_databases()
        assert srv.status_kb("VmHWM") - peak < RSS_BOUND_KB, "peak RSS jumped"
        assert srv.status_kb("VmRSS") - rss < RSS_BOUND_KB, "RSS jumped"
        assert wait_for(lambda: srv.open_fds() <= fds), "the server kept a descriptor open"
    finally:
        watch.close()


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_malformed_input_is_refused(server, case):
    with guarded(server) as watch:
        with server.raw_connection() as bad:
            send(bad, REJECTED[case])
            assert "default" in watch.client.get_all_databases()  # during
            assert closed_within(bad, 3.0) < 3.0


def test_unknown_method_answers_and_keeps_the_connection(server):
    with guarded(server):
        sock = server.raw_connection()
        # Two requests in one packet: the unknown one, then a real one.
        sock.sendall(call("xyz", seqid=7) + b"\x00" + call("get_all_databases", 8) + b"\x00")
        handle = TSocket.TSocket()
        handle.setHandle(sock)
        transport = TTransport.TBufferedTransport(handle)
        protocol = TBinaryProtocol.TBinaryProtocol(transport)
        name, mtype, seqid = protocol.readMessageBegin()
        assert (name, mtype, seqid) == ("xyz", 3, 7)  # 3 = EXCEPTION
        error = TApplicationException()
        error.read(protocol)
        protocol.readMessageEnd()
        assert error.type == TApplicationException.UNKNOWN_METHOD
        assert error.message == "Invalid method name: 'xyz'"
        client = ThriftHiveMetastore.Client(protocol)
        assert "default" in client.recv_get_all_databases()
        assert "default" in client.get_all_databases()
        sock.close()


def test_truncated_message_then_fin(server):
    with guarded(server):
        with server.raw_connection() as bad:
            bad.sendall(GET_DB + i32(100) + b"abc")
            bad.shutdown(socket.SHUT_WR)
            assert closed_within(bad, 3.0) < 3.0


def test_half_message_then_reset(server):
    with guarded(server):
        bad = server.raw_connection()
        bad.sendall(GET_DB + i32(100) + b"abc")
        bad.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        bad.close()  # RST; the guard checks the server released the connection.


def test_declared_sizes_cost_no_memory_until_bytes_arrive(server):
    """Sizes under the limits, with almost no body, held open: memory must stay flat."""
    with guarded(server) as watch:
        rss = server.status_kb("VmRSS")
        socks = [server.raw_connection() for _ in range(21)]
        for sock in socks[:20]:  # 20 strings of 16 MB minus a bit
            sock.sendall(GET_DB + i32(16_000_000) + b"0123456789")
        socks[20].sendall(call("add_partitions") + field(T_LIST, 1)  # 10^6 Partitions
                          + list_of(T_STRUCT, 1_000_000) + b"\x00" * 10)
        time.sleep(1.0)
        assert "default" in watch.client.get_all_databases()
        assert server.status_kb("VmRSS") - rss < RSS_BOUND_KB
        for sock in socks:
            sock.shutdown(socket.SHUT_WR)
            assert closed_within(sock, 3.0) < 3.0
            sock.close()


def test_message_over_max_message_bytes(fresh_server):
    srv = fresh_server
    srv.extra_args += ["--max_message_bytes", "65536"]
    srv.start()
    with guarded(srv) as watch:
        t = watch.t
        # 4,000 characters: the most HMS's schema holds in a database description.
        watch.client.create_database(database(t, "small_desc", description="d" * 4_000))
        with srv.raw_connection() as bad:
            send(bad, DB_ARG + field(T_STRING, 2) + tstr(b"d" * (1 << 20)) + b"\x00\x00")
            assert closed_within(bad, 3.0) < 3.0
        assert "abuse_db" not in watch.client.get_all_databases()


def test_slowloris_and_stalled_messages_hit_the_read_deadline(fresh_server):
    srv = fresh_server
    srv.extra_args += ["--read_timeout_s", "2", "--idle_timeout_s", "60"]
    srv.start()
    with guarded(srv) as watch:
        payload = GET_DB + tstr("x" * 1000) + b"\x00"
        with srv.raw_connection() as slow:
            start, closed = time.monotonic(), None
            for byte in payload[:20]:
                try:
                    slow.sendall(bytes([byte]))
                except (BrokenPipeError, ConnectionResetError):
                    closed = time.monotonic() - start
                    break
                assert "default" in watch.client.get_all_databases()
                time.sleep(0.5)
                if closed_within_poll(slow):
                    closed = time.monotonic() - start
                    break
            assert closed is not None and 1.5 < closed < 4.0, closed
        with srv.raw_connection() as stalled:
            stalled.sendall(payload[:30])
            assert 1.5 < closed_within(stalled, 6.0) < 4.0


def closed_within_poll(sock):
    """True if the server has closed `sock` (non-blocking check)."""
    sock.settimeout(0.0)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True
    finally:
        sock.settimeout(5.0)


def test_idle_connections_are_closed(fresh_server):
    srv = fresh_server
    srv.extra_args += ["--idle_timeout_s", "2"]
    srv.start()
    with srv.raw_connection() as idle:
        used = Client(srv.port)
        assert "default" in used.client.get_all_databases()
        assert 1.5 < closed_within(idle, 6.0) < 4.0
        assert closed_within(used.socket.handle, 3.0) < 3.0
        used.close()
    with guarded(srv):
        pass


def test_descriptor_exhaustion_does_not_stop_accepting(fresh_server):
    srv = fresh_server
    srv.max_open_files = 64
    srv.start()
    socks = [srv.raw_connection() for _ in range(70)]  # more than the server can accept
    for sock in socks:
        send(sock, b"\x80")
    time.sleep(0.5)
    for sock in socks:
        sock.close()
    assert srv.alive()
    with guarded(srv):
        pass


def round_trip(client, t, name):
    client.create_database(database(t, name, params={"k": "v" * 100}))
    assert client.get_database(name).parameters == {"k": "v" * 100}
    assert name in client.get_all_databases()
    client.drop_database(name, True, True)


def test_framed_transport(fresh_server):
    srv = fresh_server
    srv.extra_args += ["--framed", "true", "--read_timeout_s", "2"]
    srv.start()
    good = Client(srv.port, framed=True)
    client, t = good.client, good.t
    round_trip(client, t, "framed_db")
    before = srv.status_kb("VmHWM")
    with srv.raw_connection() as bad:
        send(bad, struct.pack(">I", 0x7FFFFFFF) + b"0123456789")
        assert closed_within(bad, 3.0) < 3.0
    socks = [srv.raw_connection() for _ in range(10)]  # 10 frames of 60 MB, 10 bytes each
    for sock in socks:
        sock.sendall(struct.pack(">I", 60_000_000) + GET_DB[:10])
    round_trip(client, t, "framed_db2")
    for sock in socks:
        assert closed_within(sock, 5.0) < 5.0  # the read deadline
        sock.close()
    assert srv.status_kb("VmHWM") - before < RSS_BOUND_KB
    round_trip(client, t, "framed_db3")
    good.close()


def test_compact_protocol(fresh_server):
    srv = fresh_server
    srv.extra_args += ["--compact", "true"]
    srv.start()
    good = Client(srv.port, compact=True)
    client, t = good.client, good.t
    round_trip(client, t, "compact_db")
    before = srv.status_kb("VmHWM")
    huge_name = b"\x82\x21\x01" + b"\xff\xff\xff\xff\x07" + b"get_database"  # name of 2^31-1
    huge_list = (b"\x82\x21\x01\x0e" + b"add_partitions" + b"\x19"  # field 1: list
                 + b"\xfc" + b"\xc0\x84\x3d" + b"\x00" * 10)  # 10^6 structs, 10 sent
    get_db = b"\x82\x21\x01\x0c" + b"get_database" + b"\x18"  # field 1: string
    negative = get_db + b"\xff\xff\xff\xff\x0f"  # length -1
    for payload in (huge_name, huge_list, negative, get_db + b"\x81"):
        with srv.raw_connection() as bad:
            send(bad, payload)
            bad.shutdown(socket.SHUT_WR)
            assert closed_within(bad, 3.0) < 3.0
    assert srv.status_kb("VmHWM") - before < RSS_BOUND_KB
    round_trip(client, t, "compact_db2")
    good.close()


def test_concurrent_clients_during_abuse(server):
    results, payloads = {}, list(REJECTED.values())

    def worker(n):
        try:
            hms = Client(server.port)
            for i in range(4):
                name = f"conc_{n}_{i}"
                hms.client.create_database(database(hms.t, name, params={"n": str(n)}))
                assert hms.client.get_database(name).parameters == {"n": str(n)}
                hms.client.drop_database(name, True, True)
            hms.close()
            results[n] = "ok"
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            results[n] = repr(error)

    def abuser(n):
        try:
            for payload in payloads[n::3] * 3:
                with server.raw_connection() as bad:
                    send(bad, payload)
                    closed_within(bad, 5.0)
            results[f"abuser{n}"] = "ok"
        except BaseException as error:  # noqa: BLE001 - pytest.fail raises BaseException
            results[f"abuser{n}"] = repr(error)

    with guarded(server) as watch:
        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(50)]
        threads += [threading.Thread(target=abuser, args=(n,), daemon=True) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not any(thread.is_alive() for thread in threads)
        assert {k: v for k, v in results.items() if v != "ok"} == {}
        assert len(results) == 53
        assert not [d for d in watch.client.get_all_databases() if d.startswith("conc_")]
