"""Code that runs in the child processes of the concurrency tests (multiprocessing, spawn).

A worker appends one-row batches, each carrying a unique marker in its `marker` column and in
its snapshot's summary, and retries each append until it has landed exactly once.
"""

import logging
import os
import signal
import socket
import time

import pyarrow as pa
from pyiceberg.exceptions import CommitFailedException
from thrift.transport.TTransport import TTransportException

import support

MARKER = "marker"  # the column, and the snapshot summary key


def batch(marker, worker, attempt):
    return pa.table({
        MARKER: pa.array([marker], pa.string()),
        "worker": pa.array([worker], pa.int32()),
        "attempt": pa.array([attempt], pa.int32()),
    })


def landed(table, marker):
    return any(s.summary.additional_properties.get(MARKER) == marker
               for s in table.metadata.snapshots)


def append_worker(port, warehouse, identifier, worker, appends, connection_errors_ok,
                  deadline, progress, results):
    """Appends `appends` markers "w<worker>-<i>" to `identifier`.

    CommitFailedException (a concurrent commit won, or the lock wait ran out) is retried. When
    `connection_errors_ok`, so are the errors of a server going away mid-call; after any failed
    attempt the worker reloads the table and looks for its marker first, because a commit whose
    answer was lost may have landed. Puts ("ok", worker, stats) or ("error", worker, text)."""
    stats = {"attempts": 0, "commit_failed": 0, "connection": 0, "landed_after_error": 0,
             "last_error": None}
    # PyIceberg warns at every check_lock that finds the lock taken and at every retry; the
    # stats count what matters.
    logging.getLogger("pyiceberg").setLevel(logging.ERROR)
    try:
        catalog = support.catalog_at(port, warehouse)
        retryable = (CommitFailedException,)
        if connection_errors_ok:
            # Thrift wraps most socket errors in TTransportException, but not those of send().
            retryable += (TTransportException, ConnectionError, EOFError)
        for i in range(appends):
            marker = f"w{worker}-{i:03d}"
            failed = False
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{marker} did not land before the deadline: {stats}")
                try:
                    table = catalog.load_table(identifier)
                    if failed and landed(table, marker):
                        stats["landed_after_error"] += 1
                        break
                    stats["attempts"] += 1
                    table.append(batch(marker, worker, stats["attempts"]),
                                 snapshot_properties={MARKER: marker})
                    break
                except retryable as error:
                    failed = True
                    kind = "commit_failed" if isinstance(error, CommitFailedException) \
                        else "connection"
                    stats[kind] += 1
                    stats["last_error"] = f"{type(error).__name__}: {error}"
                    time.sleep(0.05 if kind == "commit_failed" else 0.2)
            with progress.get_lock():
                progress.value += 1
        results.put(("ok", worker, stats))
    except BaseException as error:  # noqa: BLE001 — reported to the parent, which fails the test
        results.put(("error", worker, f"{type(error).__name__}: {error}"))


def stalled_committer(port, warehouse, identifier, ready):
    """Starts a PyIceberg append and stops inside its commit, holding the table's lock.

    PyIceberg reads the table (get_table) right after its lock is granted; this process
    signals `ready` there and sleeps until it is killed."""
    from pyiceberg.catalog.hive import HiveCatalog

    original = HiveCatalog._get_hive_table

    def stall(self, open_client, database_name, table_name):
        result = original(self, open_client, database_name, table_name)
        ready.put((os.getpid(), socket.gethostname()))
        while True:
            time.sleep(60)
        return result

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    catalog = support.catalog_at(port, warehouse)
    table = catalog.load_table(identifier)
    HiveCatalog._get_hive_table = stall
    table.append(batch("stalled", -1, 1), snapshot_properties={MARKER: "stalled"})
