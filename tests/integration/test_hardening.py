"""One hostile client must not crash, stall, bloat or lock out almanacd.

Each test reproduces an attack that worked against earlier builds and checks the outcome: the
server answers (or refuses with a clear error), stays up, keeps its memory within the configured
budget, and keeps serving a well-behaved client while the attack runs. The latency bound for
that client (WATCH_LIMIT_S) is generous on purpose: these tests run on busy machines, and an
attack that worked made the server hang for minutes or die, not answer a little late.
"""

import select
import socket
import struct
import threading
import time

import pytest
from thrift.Thrift import TApplicationException
from thrift.protocol import TBinaryProtocol
from thrift.transport import TSocket, TTransport

from builders import database, table
from test_abuse import (Client, T_LIST, T_MAP, T_STRING, T_STRUCT, call, closed_within, field,
                        guarded, i32, list_of, map_of, send, tstr, wait_for)

WATCH_LIMIT_S = 10.0
MIB = 1 << 20
SERVER_BUDGET = 64 * MIB
REQUEST_BUDGET = 32 * MIB
# Peak RSS may pass the budget by what is not a request's: thread stacks, allocator slack.
RSS_SLACK = 32 * MIB


def timed(fn):
    start = time.monotonic()
    result = fn()
    return result, time.monotonic() - start


def served(watch):
    """One call of the well-behaved client; asserts it is answered within WATCH_LIMIT_S."""
    names, took = timed(watch.client.get_all_databases)
    assert "default" in names
    assert took < WATCH_LIMIT_S, f"a well-behaved call took {took:.1f} s during the attack"


def create_table_with_param(client, t, db, name, key, value):
    client.create_table(table(t, db, name, params={key: value}))


# --- crash: client patterns once ran through std::regex ---

def test_like_pattern_over_a_long_parameter_value(fresh_server):
    """A ~100-byte LIKE pattern against a long parameter value (Spark keeps its schema JSON in
    parameters) overflowed the stack of a backtracking matcher and killed the process."""
    srv = fresh_server.start()
    with guarded(srv) as watch:
        t = watch.t
        watch.client.create_database(database(t, "pat"))
        schema = '{"type":"struct","fields":[' + ',"x"' * 100_000 + "]}"
        create_table_with_param(watch.client, t, "pat", "spark", "spark.sql.sources.schema",
                                schema)
        create_table_with_param(watch.client, t, "pat", "other", "spark.sql.sources.schema",
                                '{"type":"map"}')
        pattern = (r'\{"type":"struct","fields":\[((,"x")*(,"y")?)*(,"(z|w|v)"|,"never-there-at-all")*'
                   r'\]\}(\s|.)*')
        assert 90 <= len(pattern) <= 110, len(pattern)
        found = watch.client.get_table_names_by_filter(
            "pat", f"hive_filter_field_params__spark.sql.sources.schema LIKE '{pattern}'", -1)
        assert found == ["spark"]
        served(watch)
        with pytest.raises(Exception) as refused:  # RE2 has no back-references.
            watch.client.get_table_names_by_filter(
                "pat", 'hive_filter_field_params__spark.sql.sources.schema LIKE "(a)\\1"', -1)
        assert "not a valid regular expression" in str(refused.value)


# --- stall: a backtracking pattern held a reader forever ---

def test_backtracking_patterns_do_not_stall_the_readers(fresh_server):
    """`(a|a)*b` never finishes in a backtracking matcher. Four of them held all four reader
    connections, and every read waited until the server was restarted."""
    srv = fresh_server.start()
    with guarded(srv) as watch:
        t = watch.t
        watch.client.create_database(database(t, "stall"))
        for i in range(3):
            create_table_with_param(watch.client, t, "stall", f"t{i}", "k", "a" * 64)
        results, errors = [], []

        def attack():
            client = Client(srv.port, timeout_ms=int(WATCH_LIMIT_S * 1000) * 3)
            try:
                results.append(client.client.get_table_names_by_filter(
                    "stall", 'hive_filter_field_params__k LIKE "(a|a)*b"', -1))
            except Exception as e:  # noqa: BLE001 - recorded for the assertion below
                errors.append(e)
            finally:
                client.close()

        attackers = [threading.Thread(target=attack) for _ in range(8)]
        for a in attackers:
            a.start()
        served(watch)
        assert watch.client.get_table("stall", "t0").parameters["k"] == "a" * 64
        for a in attackers:
            a.join()
        assert errors == []
        assert results == [[]] * 8


# --- memory: decode bombs, each small on the wire and huge in memory ---

def partitions_of_empty_structs(n):
    """add_partitions with `n` empty Partition structs: one byte each on the wire."""
    return (call("add_partitions") + field(T_LIST, 1) + list_of(T_STRUCT, n) + b"\x00" * n
            + b"\x00")


def partitions_with_empty_columns(parts, cols):
    """add_partitions whose `parts` partitions each carry `cols` empty FieldSchema structs."""
    one = field(T_STRUCT, 6) + field(T_LIST, 1) + list_of(T_STRUCT, cols) + b"\x00" * cols
    one += b"\x00" + b"\x00"  # end of the StorageDescriptor, then of the Partition
    return call("add_partitions") + field(T_LIST, 1) + list_of(T_STRUCT, parts) + one * parts \
        + b"\x00"


def database_with_parameters(n):
    """create_database whose parameters map has `n` distinct 4-byte keys and empty values."""
    entries = b"".join(tstr(struct.pack(">i", i)) + tstr(b"") for i in range(n))
    return (call("create_database") + field(T_STRUCT, 1) + field(T_STRING, 1) + tstr("bomb_db")
            + field(T_MAP, 4) + map_of(T_STRING, T_STRING, n) + entries + b"\x00" + b"\x00")


def names_of_empty_strings(n):
    """get_table_objects_by_name with `n` empty table names: four bytes each on the wire."""
    return (call("get_table_objects_by_name") + field(T_STRING, 1) + tstr("default")
            + field(T_LIST, 2) + list_of(T_STRING, n) + i32(0) * n + b"\x00")


BOMBS = {
    "flat_list_of_structs": lambda: partitions_of_empty_structs(1_000_000),
    "nested_lists": lambda: partitions_with_empty_columns(1000, 1000),
    "map": lambda: database_with_parameters(1_000_000),
    "strings": lambda: names_of_empty_strings(1_000_000),
}


def budget_server(srv):
    srv.extra_args += ["--memory_budget_bytes", str(SERVER_BUDGET),
                       "--request_memory_bytes", str(REQUEST_BUDGET)]
    return srv.start()


def refusal(sock):
    """Reads the server's answer on a raw socket: the TApplicationException it sent."""
    sock.settimeout(WATCH_LIMIT_S * 3)
    handle = TSocket.TSocket()
    handle.setHandle(sock)
    protocol = TBinaryProtocol.TBinaryProtocol(TTransport.TBufferedTransport(handle))
    _, kind, _ = protocol.readMessageBegin()
    assert kind == 3  # EXCEPTION
    error = TApplicationException()
    error.read(protocol)
    return error.message


@pytest.mark.parametrize("shape", sorted(BOMBS))
def test_decode_bomb_is_refused_within_the_memory_budget(fresh_server, shape):
    srv = budget_server(fresh_server)
    payload = BOMBS[shape]()
    with guarded(srv) as watch:
        peak = srv.status_kb("VmHWM") * 1024
        with srv.raw_connection() as bad:
            send(bad, payload)
            message = refusal(bad)
            assert "memory budget" in message and "request_memory_bytes" in message, message
            assert closed_within(bad, WATCH_LIMIT_S) < WATCH_LIMIT_S
        served(watch)
        grown = srv.status_kb("VmHWM") * 1024 - peak
        assert grown < SERVER_BUDGET + RSS_SLACK, f"peak RSS grew by {grown / MIB:.0f} MiB"
        assert "bomb_db" not in watch.client.get_all_databases()
    assert "request exceeds its memory budget" in srv.log()


def test_concurrent_decode_bombs_stay_within_the_server_budget(fresh_server):
    """Four bombs at once took 5.5 GB; together they must stay inside the server's budget."""
    srv = budget_server(fresh_server)
    payloads = [BOMBS[shape]() for shape in sorted(BOMBS)]
    with guarded(srv) as watch:
        peak = srv.status_kb("VmHWM") * 1024
        socks = [srv.raw_connection() for _ in payloads]
        senders = [threading.Thread(target=send, args=(s, p)) for s, p in zip(socks, payloads)]
        for sender in senders:
            sender.start()
        served(watch)
        for sender in senders:
            sender.join()
        for sock in socks:
            message = refusal(sock)
            assert "memory budget" in message, message
            sock.close()
        served(watch)
        grown = srv.status_kb("VmHWM") * 1024 - peak
        assert grown < SERVER_BUDGET + RSS_SLACK, f"peak RSS grew by {grown / MIB:.0f} MiB"


def test_requests_within_the_budget_still_work(fresh_server):
    srv = budget_server(fresh_server)
    with guarded(srv) as watch:
        t = watch.t
        params = {f"k{i}": "v" * 100 for i in range(10_000)}  # about 2 MB on the wire
        watch.client.create_database(database(t, "big_params", params=params))
        assert watch.client.get_database("big_params").parameters == params


# --- lockout: idle sockets filled every connection slot ---

def test_idle_sockets_cannot_lock_clients_out(fresh_server):
    """500 idle TCP sockets filled max_connections (500), and every Thrift client was refused
    until the idle timeout. The connection idle the longest now makes room."""
    srv = fresh_server.start()
    base = srv.open_fds()
    idle = [srv.raw_connection() for _ in range(500)]
    try:
        # The kernel completes connections before the server accepts them: wait until it has.
        assert wait_for(lambda: srv.open_fds() >= base + 500, 120.0)
        assert srv.alive()
        client, took = timed(lambda: Client(srv.port, timeout_ms=int(WATCH_LIMIT_S * 1000)))
        try:
            assert "default" in client.client.get_all_databases()
            assert "default" in client.client.get_all_databases()
        finally:
            client.close()
        # One of the idle sockets, the one idle the longest, was closed to make room for it.
        closed = [s for s in idle if closed_now(s)]
        assert len(closed) == 1
        assert "closed the connection idle the longest" in srv.log()
    finally:
        for sock in idle:
            sock.close()


def closed_now(sock):
    """True if the server has closed `sock`: a read would see the end of the stream."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True


def test_busy_connections_are_not_evicted(fresh_server):
    """When every connection is in the middle of a request, a new one is refused at once."""
    srv = fresh_server
    srv.extra_args += ["--max_connections", "3"]
    srv.start()
    busy = [srv.raw_connection() for _ in range(3)]
    for sock in busy:
        sock.sendall(call("get_database") + field(T_STRING, 1) + i32(10))  # half a request
    try:
        with srv.raw_connection() as extra:
            send(extra, call("get_all_databases") + b"\x00")
            assert closed_within(extra, WATCH_LIMIT_S) < WATCH_LIMIT_S
        assert "connection refused: too many busy connections" in srv.log()
        for sock in busy:  # Still open: finishing the request gets its answer.
            sock.sendall(b"missing_db" + b"\x00")
            sock.settimeout(WATCH_LIMIT_S)
            assert sock.recv(4)
    finally:
        for sock in busy:
            sock.close()


def test_per_address_cap(fresh_server):
    srv = fresh_server
    srv.extra_args += ["--max_connections_per_address", "2"]
    srv.start()
    first = Client(srv.port)
    second = Client(srv.port)
    try:
        assert "default" in first.client.get_all_databases()
        assert "default" in second.client.get_all_databases()
        # A third from 127.0.0.1 closes the one from there idle the longest: `first`.
        third = Client(srv.port)
        assert "default" in third.client.get_all_databases()
        assert closed_within(first.socket.handle, WATCH_LIMIT_S) < WATCH_LIMIT_S
        # Another address is not capped by 127.0.0.1's connections.
        other = socket.socket()
        other.bind(("127.0.0.2", 0))
        other.connect(("127.0.0.1", srv.port))
        handle = TSocket.TSocket()
        handle.setHandle(other)
        transport = TTransport.TBufferedTransport(handle)
        from almanac_thrift.hive_metastore import ThriftHiveMetastore
        remote = ThriftHiveMetastore.Client(TBinaryProtocol.TBinaryProtocol(transport))
        assert "default" in remote.get_all_databases()
        assert "default" in second.client.get_all_databases()
        assert "default" in third.client.get_all_databases()
        transport.close()
        third.close()
    finally:
        first.close()
        second.close()
