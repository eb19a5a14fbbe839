"""Fixtures of the Iceberg-on-Spark interop tests: one SparkSession (its own JVM) whose Iceberg
catalogs live in the session's almanacd (tests/interop/conftest.py): `ice` talks to almanacd
directly, `iceg` through a relay that can hold back or break one call (iceberg_spark_gate.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from iceberg_spark_gate import ThriftGate  # noqa: E402
from iceberg_spark_support import GATED, start_spark, stop_spark  # noqa: E402


@pytest.fixture(scope="module")
def ice_dir(interop_tmp):
    path = interop_tmp / "iceberg-spark"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="module")
def warehouse(ice_dir):
    """The catalogs' warehouse: file:<dir>, as HiveCatalog stores it."""
    path = ice_dir / "warehouse"
    path.mkdir(exist_ok=True)
    return f"file:{path}"


@pytest.fixture(scope="module")
def gate(almanac):
    relay = ThriftGate(almanac.port)
    yield relay
    relay.close()


@pytest.fixture(scope="module")
def spark(almanac, gate, ice_dir, warehouse):
    # A heartbeat interval short enough that a commit held at the relay for a few seconds
    # heartbeats its lock (the first heartbeat comes after half the interval).
    session = start_spark(almanac.port, ice_dir / "driver", warehouse, cores=2, memory="1g",
                          catalogs={GATED: gate.port},
                          hadoop={"iceberg.hive.lock-heartbeat-interval-ms": "1000"})
    try:
        yield session
    finally:
        stop_spark(session)
