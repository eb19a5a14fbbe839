"""Four Spark drivers append to one Iceberg table at once, and almanacd restarts in the middle.

Each writer (iceberg_spark_writer.py) is its own Python process with its own JVM, appending
APPENDS one-row batches, each tagged with a marker in its data and in its snapshot's summary.
Halfway through, almanacd is stopped and started again on the same port and data directory.
In the end the table must hold every marker exactly once, in one unbroken chain of snapshots
(each snapshot's parent is the one before it): a lost or doubled commit would show.

It runs twice: with Iceberg's Hive lock (the default), where commits are serialised by
almanacd's lock manager, and with the lock turned off in the client (Hadoop setting
iceberg.engine.hive.lock-enabled=false), where the only protection is the compare-and-swap of
metadata_location that alter_table carries. almanacd's JSON log shows which calls were made
(no lock call at all in the second run, and each rejected alter_table a compare-and-swap
mismatch); one writer talks to almanacd through a recording relay (iceberg_spark_gate.py), whose
record shows what its alter_table calls carried.
"""

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from almanac_server import AlmanacServer  # noqa: E402  (tests/integration, via ../conftest.py)
from iceberg_spark_gate import ThriftGate  # noqa: E402
from iceberg_spark_support import log_requests, start_spark, stop_spark  # noqa: E402

WRITERS = 4
APPENDS = 8
NS = "interop_ice_concurrency"
CAS_ERROR = "The table has been modified. The parameter value for key 'metadata_location' is"
# Generous retries: four writers on one table lose many races, and each lost race is a retry.
TABLE_PROPERTIES = {
    "commit.retry.num-retries": "40",
    "commit.retry.min-wait-ms": "50",
    "commit.retry.max-wait-ms": "1000",
    "commit.retry.total-timeout-ms": "300000",
    "commit.status-check.num-retries": "10",
    "commit.status-check.min-wait-ms": "500",
    "commit.status-check.max-wait-ms": "2000",
    "write.metadata.previous-versions-max": "10",
}
START_TIMEOUT_S = 180   # for every writer's JVM to be up
TIME_LIMIT_S = 300      # for every writer's appends, from the go signal
# How long almanacd stays down: longer than the Hive client's own reconnect-and-retry rides out
# (hive.metastore.failure.retries=1, connect.retries=3, one second apart), so that calls in
# flight fail and Iceberg and the writers have to find out what happened.
OUTAGE_S = 5
COMMIT_REPORT = re.compile(r"attempts=CounterResult\{unit=COUNT, value=(\d+)\}")


@pytest.fixture(scope="module")
def server(ice_dir):
    """An almanacd of this module's own, restarted by the tests. A lock left behind by a writer
    that lost its connection expires after 20 s; the writers heartbeat every 2 s."""
    workdir = Path(tempfile.mkdtemp(prefix="almanac-iceberg-spark-"))
    srv = AlmanacServer(workdir, "--log_format", "json", "--lock_timeout_s", "20",
                        "--allowed_roots", f"file:{ice_dir}")
    try:
        srv.start()
        yield srv
    finally:
        try:
            srv.stop()
        finally:
            srv.kill()
            keep = os.environ.get("ALMANAC_INTEROP_LOG_DIR")
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                shutil.copy(srv.log_path, Path(keep) / "almanacd-concurrency.log")
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def relay(server):
    """A recording relay to almanacd (same port across restarts) for one of the writers."""
    gate = ThriftGate(server.port)
    yield gate
    gate.close()


@pytest.fixture(scope="module")
def warehouse(server):
    return f"file:{server.workdir / 'warehouse-iceberg'}"


@pytest.fixture(scope="module")
def spark(server, warehouse):
    """The checking session; it creates the tables and reads them at the end."""
    session = start_spark(server.port, server.workdir / "checker", warehouse, memory="768m")
    session.sql(f"CREATE NAMESPACE ice.{NS}")
    try:
        yield session
    finally:
        stop_spark(session)


class Writer:
    """A writer process and what it printed."""

    def __init__(self, server, port, warehouse, table, worker, locks, go_file):
        self.worker = worker
        self.workdir = server.workdir / f"writer-{worker}-{table.rsplit('.', 1)[1]}"
        self.workdir.mkdir()
        self.stderr_path = self.workdir / "stderr.log"
        config = {"port": port, "workdir": str(self.workdir), "warehouse": warehouse,
                  "table": table, "worker": worker, "appends": APPENDS, "locks": locks,
                  "go_file": str(go_file), "start_timeout_s": START_TIMEOUT_S,
                  "time_limit_s": TIME_LIMIT_S, "memory": "768m"}
        self.ready = threading.Event()
        self.landed = []
        self.stats = None
        self.lines = []
        with open(self.stderr_path, "wb") as stderr:
            self.proc = subprocess.Popen(
                [sys.executable, str(HERE / "iceberg_spark_writer.py"), json.dumps(config)],
                stdout=subprocess.PIPE, stderr=stderr, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            if line == "READY":
                self.ready.set()
            elif line.startswith("LANDED "):
                self.landed.append(line.split()[1])
            elif line.startswith("STATS "):
                self.stats = json.loads(line[len("STATS "):])

    def stderr_tail(self, lines=40):
        try:
            return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def commit_attempts(self):
        """Attempts of each commit that landed, from Iceberg's commit reports."""
        text = self.stderr_path.read_text(errors="replace")
        return [int(n) for n in COMMIT_REPORT.findall(text)]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(10)


def run_writers(server, relay, warehouse, table, locks, restart):
    """Starts the writers (the first one talks to almanacd through `relay`, which records its
    requests), lets them go together once all are up, calls `restart()` when half the appends
    have landed, and waits for all of them."""
    go_file = server.workdir / f"go-{table.rsplit('.', 1)[1]}"
    writers = [Writer(server, relay.port if w == 0 else server.port, warehouse, table, w, locks,
                      go_file) for w in range(WRITERS)]
    restarted = None
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        for writer in writers:
            while not writer.ready.wait(0.5):
                assert writer.proc.poll() is None, \
                    f"writer {writer.worker} died:\n{writer.stderr_tail()}"
                assert time.monotonic() < deadline, "the writers' Spark drivers did not start"
        started = time.monotonic()
        go_file.touch()
        half = WRITERS * APPENDS // 2
        deadline = started + TIME_LIMIT_S + 60
        while any(w.proc.poll() is None for w in writers):
            if restarted is None and sum(len(w.landed) for w in writers) >= half:
                restarted = restart()
            assert time.monotonic() < deadline, "the writers did not finish in time"
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        for writer in writers:
            writer.reader.join(10)
            assert writer.proc.returncode == 0 and writer.stats is not None, \
                f"writer {writer.worker} failed:\n" + "\n".join(writer.lines[-5:]) + "\n" + \
                writer.stderr_tail()
    finally:
        for writer in writers:
            writer.stop()
    return writers, restarted, elapsed


def check_table(spark, server, table):
    """Every marker exactly once, one snapshot per marker, one unbroken chain; and almanacd
    points at the newest metadata file."""
    db, name = table.split(".")[1:]
    expected = {f"w{w}-{i:03d}" for w in range(WRITERS) for i in range(APPENDS)}

    markers = collections.Counter(r[0] for r in spark.sql(f"SELECT marker FROM {table}").collect())
    assert {m: n for m, n in markers.items() if n != 1} == {}
    assert set(markers) == expected

    snaps = [(r[0], r[1], r[2], r[3], dict(r[4])) for r in spark.sql(
        f"SELECT snapshot_id, parent_id, operation, unix_millis(committed_at), summary "
        f"FROM {table}.snapshots").collect()]
    assert len(snaps) == len(expected)
    assert {s[2] for s in snaps} == {"append"}
    assert collections.Counter(s[4].get("marker") for s in snaps) == \
        collections.Counter(expected)
    by_parent = {s[1]: s for s in snaps}
    assert len(by_parent) == len(snaps), "two snapshots share a parent: a fork"
    chain, current = [], by_parent.get(None)
    while current is not None:
        chain.append(current)
        current = by_parent.get(current[0])
    assert len(chain) == len(snaps), "the snapshots do not form one chain"
    assert [int(s[4]["total-records"]) for s in chain] == list(range(1, len(chain) + 1))
    history = [r[0] for r in spark.sql(
        f"SELECT snapshot_id FROM {table}.history ORDER BY made_current_at").collect()]
    assert history == [s[0] for s in chain]

    # almanacd's metadata_location is the current metadata file, whose snapshot log is the chain.
    from clients import Hms
    hms = Hms("almanac", server.port)
    try:
        params = dict(hms.client.get_table(db, name).parameters)
        deadline = time.monotonic() + 30
        while hms.client.show_locks(hms.t.ShowLocksRequest(dbname=db, tablename=name)).locks:
            assert time.monotonic() < deadline, "a lock outlived the writers"
            time.sleep(0.5)
    finally:
        hms.close()
    metadata = json.loads(Path(params["metadata_location"].removeprefix("file:")).read_text())
    assert metadata["current-snapshot-id"] == chain[-1][0]
    assert [e["snapshot-id"] for e in metadata["snapshot-log"]] == [s[0] for s in chain]
    assert params["current-snapshot-id"] == str(chain[-1][0])
    assert params["snapshot-count"] == str(len(chain))


def served(server, since):
    return collections.Counter((e["method"], e["outcome"])
                               for e in log_requests(server.log_path, since))


def restart_server(server, hms_table=None):
    """Stops almanacd, leaves it down for OUTAGE_S, and starts it again on the same port with
    the same data. With `hms_table`, first waits (up to 3 s) for a writer to hold the table's
    lock, so that the restart breaks a commit in the middle."""
    held = []
    if hms_table:
        from clients import Hms
        hms = Hms("almanac", server.port)
        try:
            deadline = time.monotonic() + 3
            while not held and time.monotonic() < deadline:
                held = [lock.lockid for lock in hms.client.show_locks(hms.t.ShowLocksRequest(
                    dbname=hms_table[0], tablename=hms_table[1])).locks
                    if lock.state == hms.t.LockState.ACQUIRED]
                time.sleep(0.005)
        finally:
            hms.close()
    stopped = time.monotonic()
    server.stop()
    time.sleep(OUTAGE_S)
    server.start()
    return {"held_locks": held, "down_s": round(time.monotonic() - stopped, 2)}


def report(label, writers, restarted, elapsed, counts):
    stats = {w.worker: {k: v for k, v in w.stats.items() if k != "errors"} for w in writers}
    attempts = collections.Counter(n for w in writers for n in w.commit_attempts())
    print(f"[{label}] {WRITERS}x{APPENDS} appends in {elapsed:.1f} s; restart: {restarted}")
    print(f"[{label}] writer stats: {stats}")
    print(f"[{label}] commit attempts per landed commit (Iceberg's reports): "
          f"{dict(sorted(attempts.items()))}")
    print(f"[{label}] errors the writers saw: "
          f"{[e for w in writers for e in w.stats['errors']]}")
    print(f"[{label}] calls served: {dict(sorted(counts.items()))}")
    return attempts


def saw_errors(writers):
    """How many failed appends the writers saw (each then checked for its marker)."""
    return sum(w.stats["failed_commits"] + w.stats["unknown_commits"] + w.stats["other_errors"]
               for w in writers)


def create_table(spark, name, properties):
    table = f"ice.{NS}.{name}"
    props = ", ".join(f"'{k}'='{v}'" for k, v in properties.items())
    spark.sql(f"CREATE TABLE {table} (marker STRING, worker INT, seq INT) USING iceberg "
              f"TBLPROPERTIES ({props})")
    return table


def relayed_alters(relay, table):
    """The alter_table calls the relayed writer sent for `table`: their EnvironmentContext
    properties and new table parameters."""
    return [(dict(args.environment_context.properties), dict(args.new_tbl.parameters))
            for name, args in relay.requests()
            if name == "alter_table_with_environment_context" and args.tbl_name == table]


def test_four_spark_writers_with_locks_across_a_restart(spark, server, relay, warehouse):
    table = create_table(spark, "with_locks", TABLE_PROPERTIES)
    since = server.log_path.stat().st_size
    writers, restarted, elapsed = run_writers(
        server, relay, warehouse, table, locks=True,
        restart=lambda: restart_server(server, (NS, "with_locks")))
    counts = served(server, since)
    attempts = report("locks", writers, restarted, elapsed, counts)
    # The restart came while a writer held the table's lock, and broke calls in flight.
    assert restarted is not None and restarted["held_locks"], restarted
    assert saw_errors(writers)
    check_table(spark, server, table)

    total = WRITERS * APPENDS
    # Every commit ran under the table's lock: one alter_table per append (a commit cut by the
    # restart may have been sent twice by the Hive client's retry), never a compare-and-swap
    # rejection, and every lock released or, if the restart orphaned it, reaped.
    assert counts[("alter_table_with_environment_context", "ok")] >= total
    assert not [e for e in log_requests(server.log_path, since)
                if CAS_ERROR in e.get("error", "")]
    assert counts[("lock", "ok")] >= total
    assert counts[("unlock", "ok")] >= counts[("lock", "ok")] - len(restarted["held_locks"])
    assert counts[("check_lock", "ok")] > 0, "the writers never queued on the lock"
    # Under the lock, alter_table carries no compare-and-swap (as seen on the relayed writer's
    # wire).
    alters = relayed_alters(relay, "with_locks")
    assert len(alters) >= APPENDS
    assert not [env for env, _ in alters if "expected_parameter_key" in env]
    assert sum(attempts.values()) + \
        sum(w.stats["landed_after_error"] for w in writers) == total


def test_four_spark_writers_with_compare_and_swap_only_across_a_restart(spark, server, relay,
                                                                        warehouse):
    table = create_table(spark, "cas_only", TABLE_PROPERTIES)
    since = server.log_path.stat().st_size
    writers, restarted, elapsed = run_writers(
        server, relay, warehouse, table, locks=False, restart=lambda: restart_server(server))
    counts = served(server, since)
    attempts = report("compare-and-swap", writers, restarted, elapsed, counts)
    assert restarted is not None
    assert saw_errors(writers)
    check_table(spark, server, table)

    total = WRITERS * APPENDS
    # No lock was ever asked for: the writers relied on alter_table's compare-and-swap alone.
    methods = {m for m, _ in counts}
    assert not methods & {"lock", "check_lock", "unlock", "heartbeat"}, counts
    assert counts[("alter_table_with_environment_context", "ok")] >= total
    # Every rejected alter_table was a compare-and-swap mismatch on metadata_location.
    failed = [e for e in log_requests(server.log_path, since)
              if e["method"] == "alter_table_with_environment_context" and e["outcome"] != "ok"]
    assert all(CAS_ERROR in e.get("error", "") for e in failed), failed
    print(f"[compare-and-swap] alter_table rejected by the compare-and-swap: {len(failed)}")
    # On the relayed writer's wire: every alter_table expects metadata_location to still be the
    # metadata file its new metadata was based on.
    alters = relayed_alters(relay, "cas_only")
    assert len(alters) >= APPENDS
    for env, params in alters:
        assert env["expected_parameter_key"] == "metadata_location"
        assert env["expected_parameter_value"] == params["previous_metadata_location"]
        assert params["metadata_location"] != params["previous_metadata_location"]
    assert sum(attempts.values()) + \
        sum(w.stats["landed_after_error"] for w in writers) == total
