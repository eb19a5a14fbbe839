"""A PyIceberg writer killed while it holds a table's lock must not block the table for good.

PyIceberg never heartbeats its lock, and a killed process never unlocks it. almanacd (here with
--lock_timeout_s 3) reaps it once it has gone that long without a heartbeat; the next writer,
which waits in check_lock meanwhile, then gets the lock and commits.

The second test covers the other side: a live commit that outlives its lock.
"""

import getpass
import multiprocessing
import os
import signal
import socket
import time

import pytest
from pyiceberg.schema import Schema
from pyiceberg.types import IntegerType, NestedField, StringType

from support import catalog_for, hms_for, iceberg_params, start_server, stop_server, warehouse_of
from workers import MARKER, batch, stalled_committer

LOCK_TIMEOUT_S = 3
SCHEMA = Schema(
    NestedField(1, MARKER, StringType(), required=False),
    NestedField(2, "worker", IntegerType(), required=False),
    NestedField(3, "attempt", IntegerType(), required=False),
)


def table_locks(hms, db, table):
    return hms.client.show_locks(hms.t.ShowLocksRequest(dbname=db, tablename=table)).locks


def test_lock_of_a_killed_writer_is_reaped_and_the_next_writer_proceeds():
    server = start_server("--lock_timeout_s", str(LOCK_TIMEOUT_S))
    hms = hms_for(server)
    ctx = multiprocessing.get_context("spawn")
    victim = None
    try:
        catalog = catalog_for(server)
        catalog.create_namespace("reaping")
        identifier = ("reaping", "t")
        catalog.create_table(identifier, SCHEMA)
        catalog.load_table(identifier).append(batch("before", 0, 1))
        before = catalog.load_table(identifier)

        ready = ctx.Queue()
        victim = ctx.Process(target=stalled_committer, name="stalled-committer",
                             args=(server.port, warehouse_of(server), identifier, ready))
        victim.start()
        pid, host = ready.get(timeout=60)
        assert pid == victim.pid

        # The victim holds PyIceberg's lock: EXCLUSIVE on the table, acquired, no transaction.
        [held] = table_locks(hms, *identifier)
        t = hms.t
        assert held.state == t.LockState.ACQUIRED
        assert held.type == t.LockType.EXCLUSIVE
        assert held.tablename == "t" and held.dbname == "reaping"
        assert held.user == getpass.getuser() and held.hostname == host == socket.gethostname()
        assert held.txnid == 0

        # While it lives, another writer's lock waits behind it.
        probe = t.LockRequest(component=[t.LockComponent(
            level=t.LockLevel.TABLE, type=t.LockType.EXCLUSIVE, dbname="reaping", tablename="t",
            isTransactional=True)], user="probe", hostname="probe-host")
        waiting = hms.client.lock(probe)
        assert waiting.state == t.LockState.WAITING
        hms.client.unlock(t.UnlockRequest(lockid=waiting.lockid))

        os.kill(victim.pid, signal.SIGKILL)
        victim.join(timeout=10)
        killed_at = time.monotonic()
        assert victim.exitcode == -signal.SIGKILL
        # Killing the client releases nothing by itself.
        assert [lock.lockid for lock in table_locks(hms, *identifier)] == [held.lockid]

        # The next writer waits in check_lock until the orphan is reaped, then commits.
        writer = catalog_for(server).load_table(identifier)
        writer.append(batch("after", 1, 1), snapshot_properties={MARKER: "after"})
        waited = time.monotonic() - killed_at
        acquired_ago = time.time() - held.acquiredat / 1000
        assert acquired_ago >= LOCK_TIMEOUT_S
        assert waited < LOCK_TIMEOUT_S + 15

        with pytest.raises(t.NoSuchLockException) as gone:
            hms.client.check_lock(t.CheckLockRequest(lockid=held.lockid))
        assert gone.value.message == f"No such lock lockid:{held.lockid}"
        assert table_locks(hms, *identifier) == []
        reaped = [line for line in server.log().splitlines()
                  if "reaped a lock that was not heartbeated" in line]
        assert len(reaped) == 1 and f"lock_id={held.lockid} " in reaped[0], reaped

        # The victim's commit never landed; the next writer's did, on top of the old snapshot.
        table = catalog.load_table(identifier)
        assert sorted(table.scan().to_arrow().column(MARKER).to_pylist()) == ["after", "before"]
        assert [s.summary.additional_properties.get(MARKER) for s in table.snapshots()] == \
            [None, "after"]
        assert table.current_snapshot().parent_snapshot_id == before.current_snapshot().snapshot_id
        params = iceberg_params(hms, *identifier)
        assert params["metadata_location"] == table.metadata_location
        assert params["previous_metadata_location"] == before.metadata_location
    finally:
        if victim is not None and victim.is_alive():
            victim.kill()
            victim.join()
        hms.close()
        stop_server(server)


def test_commit_that_outlives_its_lock_is_reported_as_it_landed(monkeypatch):
    """PyIceberg never heartbeats. If a commit takes longer than the lock timeout, its lock is
    reaped under it; the commit itself still lands (alter_table does not look at locks, in Hive
    either), and PyIceberg's final unlock of the vanished lock succeeds, as in Hive 3.1+."""
    from pyiceberg.catalog.hive import HiveCatalog

    server = start_server("--lock_timeout_s", "1")
    try:
        catalog = catalog_for(server)
        catalog.create_namespace("slow")
        table = catalog.create_table(("slow", "t"), SCHEMA)
        original = HiveCatalog._get_hive_table

        def slow_get(self, open_client, database_name, table_name):
            result = original(self, open_client, database_name, table_name)
            time.sleep(2.5)  # holding the lock, past lock_timeout_s
            return result

        monkeypatch.setattr(HiveCatalog, "_get_hive_table", slow_get)
        try:
            table.append(batch("slow", 0, 1), snapshot_properties={MARKER: "slow"})
        finally:
            monkeypatch.setattr(HiveCatalog, "_get_hive_table", original)
            landed = catalog.load_table(("slow", "t"))
            assert [s.summary.additional_properties.get(MARKER) for s in landed.snapshots()] == \
                ["slow"]
    finally:
        stop_server(server)
