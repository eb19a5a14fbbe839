"""The lock manager, driven the way PyIceberg, Iceberg-Java and Trino drive it.

PyIceberg (pyiceberg/catalog/hive.py) locks a table EXCLUSIVE with isTransactional=True and no
transaction, polls check_lock while WAITING, never heartbeats, and unlocks in a `finally`.
Iceberg-Java (MetastoreLock.java) does the same with agentInfo "Iceberg-<uuid>", finds its lock
again with show_locks, and heartbeats with heartbeat(txnid=0, lockid).
"""

import time
import uuid

import pytest

from clients import FLAVOURS, Hms


def exclusive_table_lock(t, db, table, agent=None, txnid=None):
    component = t.LockComponent(level=t.LockLevel.TABLE, type=t.LockType.EXCLUSIVE, dbname=db,
                                tablename=table)
    if hasattr(component, "isTransactional"):  # Not in Hive 2.3's IDL (hmsclient).
        component.isTransactional = True
    request = t.LockRequest(component=[component], user="tester", hostname="test-host",
                            txnid=txnid)
    if agent is not None:
        request.agentInfo = agent
    return request


def check(hms, lockid):
    return hms.client.check_lock(hms.t.CheckLockRequest(lockid=lockid)).state


def unlock(hms, lockid):
    hms.client.unlock(hms.t.UnlockRequest(lockid=lockid))


def open_txn_ids(hms):
    """get_open_txns' open_txns, which Hive 3 changed from a set to a list; Hive 2.3's client
    (hmsclient) skips the list Almanac sends, as it would Hive 3's or 4's."""
    response = hms.client.get_open_txns()
    if hms.flavour == "hmsclient":
        assert response.open_txns is None
        return [response.min_open_txn] if response.min_open_txn else []
    return response.open_txns


def test_second_exclusive_lock_waits_until_the_first_is_released(hms, name):
    t = hms.t
    db, table = "default", name("tbl")
    first = hms.client.lock(exclusive_table_lock(t, db, table))
    assert first.state == t.LockState.ACQUIRED
    second = hms.client.lock(exclusive_table_lock(t, db, table))
    assert second.state == t.LockState.WAITING
    assert second.lockid > first.lockid
    assert check(hms, second.lockid) == t.LockState.WAITING
    assert check(hms, second.lockid) == t.LockState.WAITING
    unlock(hms, first.lockid)
    assert check(hms, second.lockid) == t.LockState.ACQUIRED
    unlock(hms, second.lockid)
    with pytest.raises(t.NoSuchLockException):
        check(hms, second.lockid)


def test_locks_on_other_tables_do_not_wait(hms, name):
    t = hms.t
    a = hms.client.lock(exclusive_table_lock(t, "default", name("a")))
    b = hms.client.lock(exclusive_table_lock(t, "default", name("b")))
    assert a.state == b.state == t.LockState.ACQUIRED
    unlock(hms, a.lockid)
    unlock(hms, b.lockid)


def test_show_locks_finds_a_lock_by_agent_info(hms, name):
    t = hms.t
    db, table = "default", name("tbl")
    agent = f"Iceberg-{uuid.uuid4()}"
    before_ms = int(time.time() * 1000)
    lock = hms.client.lock(exclusive_table_lock(t, db, table, agent=agent))
    hms.client.heartbeat(t.HeartbeatRequest(lockid=lock.lockid, txnid=0))
    shown = hms.client.show_locks(t.ShowLocksRequest(dbname=db, tablename=table)).locks
    mine = [e for e in shown if e.agentInfo == agent]
    assert len(mine) == 1
    element = mine[0]
    assert element.lockid == lock.lockid
    assert (element.dbname, element.tablename) == (db, table)
    assert element.state == t.LockState.ACQUIRED
    assert element.type == t.LockType.EXCLUSIVE
    assert (element.user, element.hostname) == ("tester", "test-host")
    now_ms = int(time.time() * 1000)
    assert before_ms - 1000 <= element.acquiredat <= element.lastheartbeat <= now_ms + 1000
    if hasattr(element, "heartbeatCount"):
        assert element.heartbeatCount == 1
    unlock(hms, lock.lockid)
    shown = hms.client.show_locks(t.ShowLocksRequest(dbname=db, tablename=table)).locks
    assert [e for e in shown if e.agentInfo == agent] == []


def test_unknown_lock_ids(hms):
    t = hms.t
    with pytest.raises(t.NoSuchLockException) as err:
        check(hms, 987654321)
    assert "987654321" in err.value.message
    unlock(hms, 987654321)  # As in Hive 3.1+: releasing a lock that is gone succeeds.
    with pytest.raises(t.NoSuchLockException):
        hms.client.heartbeat(t.HeartbeatRequest(lockid=987654321, txnid=0))


def test_transaction_locks(hms, name):
    t = hms.t
    txnid = hms.client.open_txns(t.OpenTxnRequest(num_txns=1, user="tester",
                                                  hostname="test-host")).txn_ids[0]
    assert txnid in open_txn_ids(hms)
    lock = hms.client.lock(exclusive_table_lock(t, "default", name("tbl"), txnid=txnid))
    assert lock.state == t.LockState.ACQUIRED
    with pytest.raises(t.TxnOpenException):
        unlock(hms, lock.lockid)
    hms.client.heartbeat(t.HeartbeatRequest(txnid=txnid))
    hms.client.commit_txn(t.CommitTxnRequest(txnid=txnid))
    with pytest.raises(t.NoSuchLockException):
        check(hms, lock.lockid)
    assert txnid not in open_txn_ids(hms)
    assert hms.client.get_open_txns().txn_high_water_mark >= txnid
    with pytest.raises(t.NoSuchTxnException):
        hms.client.abort_txn(t.AbortTxnRequest(txnid=txnid))
    with pytest.raises(t.NoSuchTxnException):
        hms.client.lock(exclusive_table_lock(t, "default", name("tbl"), txnid=987654321))


def test_aborted_transaction(hms, name):
    t = hms.t
    txnid = hms.client.open_txns(t.OpenTxnRequest(num_txns=1, user="tester",
                                                  hostname="test-host")).txn_ids[0]
    hms.client.abort_txn(t.AbortTxnRequest(txnid=txnid))
    with pytest.raises(t.TxnAbortedException):
        hms.client.commit_txn(t.CommitTxnRequest(txnid=txnid))
    with pytest.raises(t.TxnAbortedException):
        hms.client.lock(exclusive_table_lock(t, "default", name("tbl"), txnid=txnid))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_lock_survives_a_restart(fresh_server, flavour):
    fresh_server.start()
    hms = Hms(flavour, fresh_server.port)
    t = hms.t
    held = hms.client.lock(exclusive_table_lock(t, "default", "tbl", agent="Iceberg-restart"))
    waiting = hms.client.lock(exclusive_table_lock(t, "default", "tbl"))
    hms.close()

    fresh_server.restart()
    hms = Hms(flavour, fresh_server.port)
    try:
        assert check(hms, held.lockid) == t.LockState.ACQUIRED
        assert check(hms, waiting.lockid) == t.LockState.WAITING
        shown = hms.client.show_locks(t.ShowLocksRequest(dbname="default")).locks
        assert [e.agentInfo for e in shown if e.lockid == held.lockid] == ["Iceberg-restart"]
        unlock(hms, held.lockid)
        assert check(hms, waiting.lockid) == t.LockState.ACQUIRED
        unlock(hms, waiting.lockid)
        # Lock ids are never reused.
        again = hms.client.lock(exclusive_table_lock(t, "default", "tbl"))
        assert again.lockid > waiting.lockid
        unlock(hms, again.lockid)
    finally:
        hms.close()


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_lock_not_heartbeated_is_reaped(fresh_server, flavour):
    fresh_server.extra_args += ["--lock_timeout_s", "2"]
    fresh_server.start()
    hms = Hms(flavour, fresh_server.port)
    t = hms.t
    try:
        # A writer that dies holding the lock (PyIceberg never heartbeats).
        abandoned = hms.client.lock(exclusive_table_lock(t, "default", "tbl"))
        assert abandoned.state == t.LockState.ACQUIRED
        # Iceberg-Java keeps its lock alive with heartbeat(txnid=0, lockid).
        kept = hms.client.lock(exclusive_table_lock(t, "default", "other"))
        # The next writer polls check_lock, which also keeps its own request alive.
        nxt = hms.client.lock(exclusive_table_lock(t, "default", "tbl"))
        assert nxt.state == t.LockState.WAITING
        deadline = time.monotonic() + 10
        state = t.LockState.WAITING
        while state == t.LockState.WAITING and time.monotonic() < deadline:
            time.sleep(0.25)
            hms.client.heartbeat(t.HeartbeatRequest(lockid=kept.lockid, txnid=0))
            state = check(hms, nxt.lockid)
        assert state == t.LockState.ACQUIRED
        with pytest.raises(t.NoSuchLockException):
            check(hms, abandoned.lockid)
        with pytest.raises(t.NoSuchLockException):
            hms.client.heartbeat(t.HeartbeatRequest(lockid=abandoned.lockid, txnid=0))
        assert check(hms, kept.lockid) == t.LockState.ACQUIRED
        unlock(hms, nxt.lockid)
        unlock(hms, kept.lockid)
    finally:
        hms.close()
    assert "reaped a lock that was not heartbeated" in fresh_server.log()


def pyiceberg_catalog(server, **properties):
    hive = pytest.importorskip("pyiceberg.catalog.hive")
    return hive.HiveCatalog("almanac", **{
        "uri": f"thrift://127.0.0.1:{server.port}",
        "py-io-impl": "pyiceberg.io.fsspec.FsspecFileIO",
        "warehouse": f"file://{server.warehouse}",
        **properties,
    })


def test_pyiceberg_commit_waits_for_a_held_lock(server):
    from pyiceberg.exceptions import CommitFailedException
    from pyiceberg.schema import Schema
    from pyiceberg.types import LongType, NestedField, StringType

    catalog = pyiceberg_catalog(server, **{"lock-check-retries": "2",
                                           "lock-check-min-wait-time": "0.05",
                                           "lock-check-max-wait-time": "0.1"})
    ns = f"locks_{uuid.uuid4().hex[:8]}"
    catalog.create_namespace(ns)
    catalog.create_table(f"{ns}.t", Schema(NestedField(1, "id", LongType(), required=False)))

    hms = Hms("pyiceberg", server.port)
    t = hms.t
    try:
        held = hms.client.lock(exclusive_table_lock(t, ns, "t"))
        assert held.state == t.LockState.ACQUIRED
        with pytest.raises(CommitFailedException):
            with catalog.load_table(f"{ns}.t").update_schema() as update:
                update.add_column("blocked", StringType())
        # PyIceberg gave up and unlocked its waiting request; only ours is left.
        shown = hms.client.show_locks(t.ShowLocksRequest(dbname=ns, tablename="t")).locks
        assert [e.lockid for e in shown] == [held.lockid]
        unlock(hms, held.lockid)
    finally:
        hms.close()
    with catalog.load_table(f"{ns}.t").update_schema() as update:
        update.add_column("name", StringType())
    assert [f.name for f in catalog.load_table(f"{ns}.t").schema().fields] == ["id", "name"]


def test_concurrent_pyiceberg_commits_lose_no_update(server):
    """PyIceberg's commits are safe only because the lock is exclusive (hardening.md 5.1)."""
    import threading

    from pyiceberg.exceptions import CommitFailedException
    from pyiceberg.schema import Schema
    from pyiceberg.types import LongType, NestedField, StringType

    properties = {"lock-check-retries": "50", "lock-check-min-wait-time": "0.01",
                  "lock-check-max-wait-time": "0.2"}
    ns = f"locks_{uuid.uuid4().hex[:8]}"
    setup = pyiceberg_catalog(server, **properties)
    setup.create_namespace(ns)
    setup.create_table(f"{ns}.t", Schema(NestedField(1, "id", LongType(), required=False)))
    errors = []

    def add_column(column):
        catalog = pyiceberg_catalog(server, **properties)
        for _ in range(50):
            try:
                with catalog.load_table(f"{ns}.t").update_schema() as update:
                    update.add_column(column, StringType())
                return
            except CommitFailedException:
                time.sleep(0.01)  # A concurrent commit won: reload and try again.
        errors.append(f"{column} never committed")

    threads = [threading.Thread(target=add_column, args=(f"c{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    names = {f.name for f in setup.load_table(f"{ns}.t").schema().fields}
    assert names == {"id", "c0", "c1", "c2", "c3"}
