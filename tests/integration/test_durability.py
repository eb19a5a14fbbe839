"""Durability: what almanacd acknowledged survives SIGKILL, what it did not acknowledge is
all-or-nothing, and SIGTERM drains, checkpoints and exits cleanly.

After every stop the SQLite file is checked with `PRAGMA integrity_check` (with the server down,
so no other writer touches the file while it runs).
"""

import signal
import subprocess
import time

import pytest
from thrift.protocol import TBinaryProtocol
from thrift.transport import TSocket, TTransport

import clients  # noqa: F401 - puts the generated almanac_thrift package on sys.path
from almanac_thrift.hive_metastore import ThriftHiveMetastore, ttypes as t
from builders import database, partition, table

DB = "dur_db_0"


class Client:
    """A client with a socket timeout, so a hung server fails the test instead of blocking it."""

    def __init__(self, port, timeout_ms=60_000):
        sock = TSocket.TSocket("127.0.0.1", port)
        sock.setTimeout(timeout_ms)
        self.transport = TTransport.TBufferedTransport(sock)
        self.transport.open()
        self.client = ThriftHiveMetastore.Client(TBinaryProtocol.TBinaryProtocol(self.transport))

    def close(self):
        self.transport.close()


def check_integrity(srv):
    assert not srv.alive(), "integrity_check must run with the server stopped"
    result = subprocess.run(["sqlite3", str(srv.data_dir / "almanac.db"), "PRAGMA integrity_check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok", result.stdout


def partitioned_table(name, counter=0):
    return table(t, DB, name, part_keys=(("p", "string"),), params={"counter": str(counter)})


def partitions(tbl, count, prefix="v"):
    return [partition(t, tbl, [f"{prefix}{i:05d}"], params={"n": str(i)}) for i in range(count)]


def partition_names(client, tbl_name):
    return client.get_partition_names(DB, tbl_name, -1)


def test_acknowledged_writes_survive_sigkill(fresh_server):
    srv = fresh_server.start()
    c = Client(srv.port).client
    for i in range(20):
        c.create_database(database(t, f"dur_db_{i}", params={"i": str(i)}))
    tables = [partitioned_table(f"tbl_{i}") for i in range(20)]
    for tbl in tables:
        c.create_table(tbl)
    assert c.add_partitions(partitions(tables[0], 2000)) == 2000
    bumped = c.get_table(DB, "tbl_1")
    for counter in range(1, 21):
        bumped.parameters["counter"] = str(counter)
        c.alter_table(DB, "tbl_1", bumped)  # acknowledged once this returns
    srv.kill()
    check_integrity(srv)

    srv.start()
    c = Client(srv.port).client
    names = set(c.get_all_databases())
    for i in range(20):
        assert f"dur_db_{i}" in names
        assert c.get_database(f"dur_db_{i}").parameters == {"i": str(i)}
    assert sorted(c.get_tables(DB, "*")) == sorted(f"tbl_{i}" for i in range(20))
    assert c.get_table(DB, "tbl_1").parameters["counter"] == "20"
    assert c.get_table(DB, "tbl_2").parameters["counter"] == "0"
    expected = [f"p=v{i:05d}" for i in range(2000)]
    assert sorted(partition_names(c, "tbl_0")) == expected
    sample = c.get_partition(DB, "tbl_0", ["v01234"])
    assert sample.parameters.get("n") == "1234"
    srv.kill()
    check_integrity(srv)


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.05, 0.3])
def test_unacknowledged_batch_is_all_or_nothing(fresh_server, delay):
    srv = fresh_server.start()
    c = Client(srv.port).client
    c.create_database(database(t, DB))
    tbl = partitioned_table("batch")
    c.create_table(tbl)
    assert c.add_partitions(partitions(tbl, 10, prefix="acked")) == 10
    c.send_add_partitions(partitions(tbl, 500))  # the request only: the reply is never read
    time.sleep(delay)
    srv.kill()
    check_integrity(srv)

    srv.start()
    c = Client(srv.port).client
    names = partition_names(c, "batch")
    acked = [n for n in names if n.startswith("p=acked")]
    batch = [n for n in names if n.startswith("p=v")]
    assert len(acked) == 10
    assert len(batch) in (0, 500), f"half-applied batch: {len(batch)} of 500 partitions"
    srv.kill()
    check_integrity(srv)


def test_sigterm_drains_checkpoints_and_exits(fresh_server):
    srv = fresh_server.start()
    wal = srv.data_dir / "almanac.db-wal"
    writer = Client(srv.port)
    writer.client.create_database(database(t, DB))
    tbl = partitioned_table("drained")
    writer.client.create_table(tbl)
    for i in range(20):
        writer.client.create_database(database(t, f"term_db_{i}"))
    assert wal.exists() and wal.stat().st_size > 0, "expected committed pages in the WAL"
    idle = Client(srv.port)
    assert DB in idle.client.get_all_databases()  # open, then idle

    writer.client.send_add_partitions(partitions(tbl, 1000))  # in flight at SIGTERM
    start = time.monotonic()
    srv.process.send_signal(signal.SIGTERM)
    try:
        answered = writer.client.recv_add_partitions() == 1000
    except (TTransport.TTransportException, OSError, EOFError):
        answered = False  # the request may be dropped before it was read; then it is unknown
    assert srv.stop(timeout=10) == 0
    took = time.monotonic() - start
    assert took < 5.0, f"SIGTERM took {took:.1f} s with an idle connection open"
    log = srv.log()
    assert "shutting down: draining requests" in log
    assert "checkpoint failed" not in log
    assert log.rstrip().splitlines()[-1].endswith("stopped"), log[-2000:]
    assert not wal.exists() or wal.stat().st_size == 0, "the WAL was not checkpointed"
    with pytest.raises((TTransport.TTransportException, OSError, EOFError)):
        idle.client.get_all_databases()
    check_integrity(srv)

    srv.start()
    c = Client(srv.port).client
    assert {f"term_db_{i}" for i in range(20)} <= set(c.get_all_databases())
    count = len(partition_names(c, "drained"))
    assert count == 1000 if answered else count in (0, 1000)
    srv.kill()
    check_integrity(srv)
