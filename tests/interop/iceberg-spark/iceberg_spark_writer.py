"""One writer of the concurrency tests: its own Spark driver (JVM) appending to an Iceberg table.

Usage: iceberg_spark_writer.py CONFIG_JSON

CONFIG_JSON names the metastore port, the work directory, the warehouse, the table, the worker
number, how many appends to make, whether Iceberg's Hive lock is on, and a "go" file to wait for
(so that all writers start appending together, once their JVMs are up).

Each append is one row whose `marker` column, like its snapshot's summary property `marker`,
is "w<worker>-<i>". Iceberg retries a commit that lost a race by itself (commit.retry.*). What
still fails is either a commit that certainly did not land (CommitFailedException: retries used
up) or one whose fate Iceberg could not tell (CommitStateUnknownException, a broken metastore
connection): then the writer reads the table's snapshots and looks for its marker before it
tries again, so that every marker lands exactly once.

Prints one line per event on stdout: READY, LANDED <marker>, and at the end STATS <json>.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from iceberg_spark_support import start_spark, stop_spark  # noqa: E402

MARKER = "marker"


def say(*words):
    print(*words, flush=True)


def java_chain(error):
    """(class name, message) of a Py4J error's Java exception and each of its causes."""
    chain = []
    java = getattr(error, "java_exception", None)
    while java is not None and len(chain) < 20:
        chain.append((java.getClass().getName(), str(java.getMessage() or "")))
        java = java.getCause()
    return chain


def landed(spark, table, marker):
    return spark.sql(f"SELECT count(*) FROM {table}.snapshots "
                     f"WHERE summary['{MARKER}'] = '{marker}'").collect()[0][0]


def main():
    config = json.loads(sys.argv[1])
    worker, table = config["worker"], config["table"]
    spark = start_spark(config["port"], config["workdir"], config["warehouse"],
                        locks=config["locks"], memory=config.get("memory", "768m"))
    # Iceberg reports every commit (with how many attempts it took) to its logging metrics
    # reporter at INFO; the writer's stderr is kept, and the test counts the attempts there.
    jvm = spark.sparkContext._jvm
    jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(
        "org.apache.iceberg.metrics.LoggingMetricsReporter",
        jvm.org.apache.logging.log4j.Level.INFO)
    stats = {"appends": 0, "failed_commits": 0, "unknown_commits": 0, "other_errors": 0,
             "landed_after_error": 0, "retried_after_error": 0, "errors": []}
    try:
        say("READY")
        go = Path(config["go_file"])
        deadline = time.monotonic() + config["start_timeout_s"]
        while not go.exists():
            if time.monotonic() > deadline:
                raise TimeoutError("never told to go")
            time.sleep(0.05)

        deadline = time.monotonic() + config["time_limit_s"]
        for i in range(config["appends"]):
            marker = f"w{worker}-{i:03d}"
            frame = spark.createDataFrame([(marker, worker, i)],
                                          f"{MARKER} STRING, worker INT, seq INT")
            failed = False
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{marker} did not land in time: {stats}")
                try:
                    if failed:
                        # The last try may have landed after all: look before trying again.
                        if landed(spark, table, marker):
                            stats["landed_after_error"] += 1
                            break
                        stats["retried_after_error"] += 1
                    frame.writeTo(table).option(f"snapshot-property.{MARKER}", marker).append()
                    break
                except Exception as error:  # noqa: BLE001 - classified, counted, retried
                    chain = java_chain(error)
                    classes = [name for name, _ in chain]
                    if "org.apache.iceberg.exceptions.CommitStateUnknownException" in classes:
                        stats["unknown_commits"] += 1
                    elif "org.apache.iceberg.exceptions.CommitFailedException" in classes:
                        stats["failed_commits"] += 1
                    else:
                        stats["other_errors"] += 1
                    stats["errors"].append(f"{marker}: " + " <- ".join(
                        f"{name.rsplit('.', 1)[1]}({message[:150]})" for name, message in chain)
                        if chain else f"{marker}: {type(error).__name__}: {str(error)[:300]}")
                    failed = True
                    time.sleep(1.0)
            stats["appends"] += 1
            say("LANDED", marker)
    finally:
        say("STATS", json.dumps(stats))
        stop_spark(spark)


if __name__ == "__main__":
    main()
