"""Eight PyIceberg processes append to one table at once (the issue's requirement).

PyIceberg serialises its commits only through almanacd's lock manager: it locks the table
EXCLUSIVE, reads the current metadata, checks that its base is still current, writes, and
unlocks. If two writers ever held the lock together, both would commit on the same parent and
one append would vanish from the table's history. So the test counts every marker (exactly one
row and one snapshot each) and walks the snapshot chain (no gaps, no forks).
"""

import collections
import multiprocessing
import re
import time

from pyiceberg.schema import Schema
from pyiceberg.types import IntegerType, NestedField, StringType

from support import catalog_for, hms_for, iceberg_params, start_server, stop_server, warehouse_of
from workers import MARKER, append_worker

WORKERS = 8
APPENDS = 25
SCHEMA = Schema(
    NestedField(1, MARKER, StringType(), required=False),
    NestedField(2, "worker", IntegerType(), required=False),
    NestedField(3, "attempt", IntegerType(), required=False),
)
# Table properties. PyIceberg retries a commit that lost the race itself, rebasing its append on
# the new snapshot; backing off (with jitter) between tries keeps fewer writers queued on the
# lock with a stale base, each of which costs a lock turn. The workers retry whatever still
# fails. A short metadata log keeps each commit's metadata file, which PyIceberg parses and
# copies many times per commit, from growing with every commit.
TABLE_PROPERTIES = {
    "commit.retry.num-retries": "20",
    "commit.retry.min-wait-ms": "100",
    "commit.retry.max-wait-ms": "2000",
    "commit.retry.total-timeout-ms": "120000",
    "write.metadata.previous-versions-max": "5",
}
TIME_LIMIT_S = 150


def run_writers(server, identifier, connection_errors_ok, during=None):
    """Runs the workers to the end; `during(progress)` runs in this process meanwhile."""
    ctx = multiprocessing.get_context("spawn")
    progress = ctx.Value("i", 0)
    results = ctx.Queue()
    deadline = time.monotonic() + TIME_LIMIT_S
    procs = [ctx.Process(target=append_worker, name=f"appender-{w}",
                         args=(server.port, warehouse_of(server), identifier, w, APPENDS,
                               connection_errors_ok, deadline, progress, results))
             for w in range(WORKERS)]
    finished = False
    try:
        for proc in procs:
            proc.start()
        if during:
            during(progress)
        outcomes = [results.get(timeout=max(1.0, deadline - time.monotonic() + 10))
                    for _ in procs]
        finished = True
    finally:
        for proc in procs:
            if proc.pid is None:
                continue
            if finished:
                proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
            proc.join()
    errors = [o for o in outcomes if o[0] != "ok"]
    assert not errors, errors
    stats = {w: s for _, w, s in outcomes}
    print("worker stats:", stats)
    return stats


def check_table(server, identifier):
    catalog = catalog_for(server)
    table = catalog.load_table(identifier)
    expected = {f"w{w}-{i:03d}" for w in range(WORKERS) for i in range(APPENDS)}

    # Every append is in the data exactly once.
    data = table.scan().to_arrow()
    counts = collections.Counter(data.column(MARKER).to_pylist())
    assert data.num_rows == WORKERS * APPENDS, \
        {m: n for m, n in counts.items() if n != 1} or sorted(expected - set(counts))[:10]
    assert set(counts) == expected
    assert set(counts.values()) == {1}

    # One append snapshot per marker, chained parent to child with no gap and no fork.
    snapshots = table.snapshots()
    assert len(snapshots) == WORKERS * APPENDS
    assert [s.summary.operation.value for s in snapshots] == ["append"] * len(snapshots)
    assert collections.Counter(s.summary.additional_properties[MARKER]
                               for s in snapshots) == collections.Counter(expected)
    by_id = {s.snapshot_id: s for s in snapshots}
    chain, current = [], table.current_snapshot()
    while current is not None:
        chain.append(current)
        current = by_id.get(current.parent_snapshot_id) if current.parent_snapshot_id else None
    chain.reverse()
    assert len(chain) == len(snapshots)
    assert chain[0].parent_snapshot_id is None
    assert [s.sequence_number for s in chain] == list(range(1, len(chain) + 1))
    assert [s.snapshot_id for s in chain] == [s.snapshot_id for s in snapshots]
    assert [e.snapshot_id for e in table.history()] == [s.snapshot_id for s in chain]
    total = [int(s.summary["total-records"]) for s in chain]
    assert total == list(range(1, len(chain) + 1))

    # almanacd points at the newest metadata file, and at the one before it.
    hms = hms_for(server)
    try:
        params = iceberg_params(hms, *identifier)
        assert params["metadata_location"] == table.metadata_location
        assert params["previous_metadata_location"] == table.metadata.metadata_log[-1].metadata_file
        # No lock outlives the run (an orphan of the restart expires after lock_timeout_s).
        deadline = time.monotonic() + 15
        while hms.client.show_locks(hms.t.ShowLocksRequest(
                dbname=identifier[0], tablename=identifier[1])).locks and \
                time.monotonic() < deadline:
            time.sleep(0.2)
        assert not hms.client.show_locks(hms.t.ShowLocksRequest(
            dbname=identifier[0], tablename=identifier[1])).locks
    finally:
        hms.close()


def requests(server):
    """How often almanacd served each (method, outcome), from its request log lines."""
    return collections.Counter(re.findall(r"\bmethod=(\w+) .*?\boutcome=(\w+)", server.log()))


def create_table(server, name):
    catalog = catalog_for(server)
    catalog.create_namespace(name)
    catalog.create_table((name, "events"), SCHEMA, properties=TABLE_PROPERTIES)
    return name, "events"


def test_eight_processes_append_without_losing_a_commit():
    server = start_server()
    try:
        identifier = create_table(server, "concurrent")
        started = time.monotonic()
        stats = run_writers(server, identifier, connection_errors_ok=False)
        print(f"{WORKERS * APPENDS} appends in {time.monotonic() - started:.1f} s")
        assert all(s["connection"] == 0 for s in stats.values())
        check_table(server, identifier)
        # Exactly one alter_table per append, each one under a lock that was later released;
        # and the writers did queue on the lock (check_lock while WAITING).
        served = requests(server)
        print("requests served:", dict(served))
        assert served[("alter_table_with_environment_context", "ok")] == WORKERS * APPENDS
        assert served[("lock", "ok")] >= WORKERS * APPENDS
        assert served[("unlock", "ok")] == served[("lock", "ok")]
        assert served[("check_lock", "ok")] > 0
    finally:
        stop_server(server)


def test_eight_processes_append_across_a_server_restart():
    # The restart comes while a writer holds the table's lock, in the middle of its commit. Its
    # connection breaks, so it never unlocks. Like Hive, almanacd keeps locks across a restart,
    # and reaps this orphan once it has not been heartbeated for lock_timeout_s; meanwhile the
    # other writers queue behind it.
    server = start_server("--lock_timeout_s", "5")
    try:
        identifier = create_table(server, "restarted")
        restarts = []

        def restart_while_a_lock_is_held(progress):
            while progress.value < WORKERS * APPENDS * 2 // 5:
                time.sleep(0.05)
            hms = hms_for(server)
            try:
                held = []
                for _ in range(500):
                    held = [lock.lockid for lock in hms.client.show_locks(hms.t.ShowLocksRequest(
                        dbname=identifier[0], tablename=identifier[1])).locks
                        if lock.state == hms.t.LockState.ACQUIRED]
                    if held:
                        break
                    time.sleep(0.005)
            finally:
                hms.close()
            before = progress.value
            server.restart()
            restarts.append({"progress": before, "held_lock": held})

        started = time.monotonic()
        stats = run_writers(server, identifier, connection_errors_ok=True,
                            during=restart_while_a_lock_is_held)
        print(f"{WORKERS * APPENDS} appends with a restart in {time.monotonic() - started:.1f} s:"
              f" {restarts}")
        assert len(restarts) == 1 and restarts[0]["held_lock"], restarts
        assert restarts[0]["progress"] < WORKERS * APPENDS
        # The writer holding the lock lost its connection mid-commit and retried.
        assert sum(s["connection"] for s in stats.values()) >= 1, stats
        check_table(server, identifier)
        orphan = restarts[0]["held_lock"][0]
        print("orphan lock reaped:", f"lock_id={orphan} " in server.log() and
              "reaped a lock" in server.log())
    finally:
        stop_server(server)
