"""Helpers shared by the interop suites, importable from pytest and from the plain-Python worker
processes some suites start (each puts tests/interop on sys.path)."""

import json


def log_requests(log_path, since=0):
    """The request lines of almanacd's JSON log from byte offset `since`, as dicts."""
    with open(log_path, "rb") as log:
        log.seek(since)
        text = log.read().decode(errors="replace")
    out = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("msg") == "request":
            out.append(entry)
    return out


def stop_spark(session):
    """Stops the SparkContext, then the JVM it ran in: the JVM exits when its stdin closes."""
    from pyspark import SparkContext
    gateway = SparkContext._gateway
    try:
        session.stop()
    finally:
        if gateway is not None:
            gateway.shutdown()
            proc = getattr(gateway, "proc", None)
            if proc is not None:
                if proc.stdin:
                    proc.stdin.close()
                try:
                    proc.wait(30)
                except Exception:  # noqa: BLE001 - whatever happened, the JVM must go
                    proc.kill()
                    proc.wait()
            SparkContext._gateway = None
            SparkContext._jvm = None
