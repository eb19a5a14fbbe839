"""The gRPC front end (almanac.v1), driven through the `almanac` CLI binary, agrees with the
Thrift front end on the same catalog: what one writes, the other reads back identically."""

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from almanac_server import ALMANACD
from builders import database, partition, table
from clients import Hms

ALMANAC_CLI = os.environ.get("ALMANAC_CLI",
                             str(Path(ALMANACD).resolve().parents[1] / "client" / "almanac"))


@pytest.fixture
def cli(server):
    """Runs `almanac --server <the session's gRPC port> ...`; returns (exit code, stdout, stderr)."""

    def run(*args, principal="cli-user"):
        environment = dict(os.environ, ALMANAC_PRINCIPAL=principal)
        done = subprocess.run([ALMANAC_CLI, "--server", f"127.0.0.1:{server.grpc_port}", *args],
                              capture_output=True, text=True, timeout=60, env=environment)
        return done.returncode, done.stdout, done.stderr

    return run


@pytest.fixture
def cli_json(cli):
    def run(*args, **kwargs):
        code, out, err = cli("--json", *args, **kwargs)
        assert code == 0, err
        return json.loads(out)

    return run


@pytest.fixture
def thrift(server):
    client = Hms("almanac", server.port)
    yield client
    client.close()


@pytest.fixture
def sales(thrift, request):
    """A database with a table partitioned by (ds, hr), 3 x 4 partitions, made over Thrift."""
    t = thrift.t
    db = f"grpc_{request.node.name[5:25].lower()}"
    thrift.client.create_database(database(t, db, params={"team": "bi"}))
    tbl = table(t, db, "events", part_keys=[("ds", "string"), ("hr", "int")],
                params={"purpose": "grpc"})
    thrift.client.create_table(tbl)
    thrift.client.add_partitions([partition(t, tbl, [f"2024-01-0{d}", str(h)])
                                  for d in (1, 2, 3) for h in (0, 6, 12, 18)])
    yield db
    thrift.client.drop_database(db, True, True)


def test_status(cli):
    code, out, _ = cli("status")
    assert code == 0
    assert out.startswith("almanacd ") and "up since" in out


def test_table_read_over_grpc_equals_thrift(cli_json, thrift, sales):
    got = cli_json("table", "show", f"{sales}.events")
    want = thrift.client.get_table(sales, "events")
    assert (got["database"], got["name"], got["table_type"]) == (sales, "events", want.tableType)
    assert got["owner"] == want.owner
    assert int(got["create_time"]) == want.createTime
    storage = got["storage"]
    assert storage["location"] == want.sd.location
    assert storage["input_format"] == want.sd.inputFormat
    assert storage["serde"]["serialization_lib"] == want.sd.serdeInfo.serializationLib
    assert [(c["name"], c["type"]) for c in storage["columns"]] == \
        [(c.name, c.type) for c in want.sd.cols]
    assert [(k["name"], k["type"]) for k in got["partition_keys"]] == [("ds", "string"),
                                                                       ("hr", "int")]
    assert got["parameters"] == want.parameters


def test_databases_listed_alike(cli, thrift, sales):
    code, out, _ = cli("databases")
    assert code == 0
    assert out.split() == sorted(thrift.client.get_all_databases())
    code, out, _ = cli("databases", "grpc_*")
    assert sales in out.split() and "default" not in out.split()
    code, out, _ = cli("tables", sales)
    assert (code, out.split()) == (0, thrift.client.get_all_tables(sales))


def test_partition_names_and_counts_agree(cli, thrift, sales):
    code, out, _ = cli("partitions", f"{sales}.events")
    assert code == 0 and out.split() == thrift.client.get_partition_names(sales, "events", -1)
    assert len(out.split()) == 12
    flt = 'ds >= "2024-01-02" and hr > 5'
    code, out, _ = cli("partitions", f"{sales}.events", "--filter", flt)
    want = [p.values for p in thrift.client.get_partitions_by_filter(sales, "events", flt, -1)]
    assert code == 0
    assert out.split() == [f"ds={ds}/hr={hr}" for ds, hr in sorted(want)]
    assert len(want) == 6
    code, out, _ = cli("partitions", f"{sales}.events", "--count", "--filter", flt)
    assert (code, out.strip()) == (0, "6")
    assert thrift.client.get_num_partitions_by_filter(sales, "events", flt) == 6
    code, out, _ = cli("partitions", f"{sales}.events", "--limit", "5")
    assert len(out.split()) == 5


def test_history_records_every_change_with_its_principal(cli, cli_json, thrift, sales):
    t = thrift.t
    thrift.client.set_ugi("dora", [])
    changed = thrift.client.get_table(sales, "events")
    changed.sd.cols.append(t.FieldSchema(name="score", type="double", comment=""))
    changed.parameters["purpose"] = "history"
    thrift.client.alter_table(sales, "events", changed)
    renamed = thrift.client.get_table(sales, "events")
    renamed.tableName = "events_v2"
    thrift.client.alter_table(sales, "events", renamed)

    versions = cli_json("table", "history", f"{sales}.events_v2")["versions"]
    assert [int(v["version"]) for v in versions] == [1, 2, 3]
    assert [v["operation"] for v in versions] == ["CREATE", "ALTER", "RENAME"]
    assert [v["principal"] for v in versions[1:]] == ["dora", "dora"]
    assert [c["name"] for c in versions[0]["definition"]["storage"]["columns"]] == ["id", "name"]
    assert [c["name"] for c in versions[1]["definition"]["storage"]["columns"]] == \
        ["id", "name", "score"]
    assert versions[1]["definition"]["parameters"]["purpose"] == "history"
    assert versions[2]["definition"]["name"] == "events_v2"
    assert versions[2]["definition"]["storage"]["location"] == \
        thrift.client.get_table(sales, "events_v2").sd.location

    code, out, _ = cli("table", "history", f"{sales}.events_v2")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["VERSION", "TIME", "PRINCIPAL", "OPERATION",
                                              "CHANGES"]
    assert "+score double" in lines[2] and "parameters purpose" in lines[2]
    assert f"renamed from {sales}.events" in lines[3]


def test_database_made_over_grpc_is_seen_over_thrift(cli, cli_json, thrift):
    made = cli_json("database", "create", "Grpc_Made", "--description", "from the CLI",
                    "--param", "owner_team=core", "--param", "tier=gold", principal="erin")
    assert made["name"] == "grpc_made" and made["owner_name"] == "erin"
    got = thrift.client.get_database("grpc_made")
    assert (got.name, got.description, got.ownerName) == ("grpc_made", "from the CLI", "erin")
    assert got.parameters == {"owner_team": "core", "tier": "gold"}
    assert got.locationUri == made["location"] and got.locationUri.endswith("/grpc_made.db")

    t = thrift.t
    thrift.client.create_table(table(t, "grpc_made", "keep"))
    code, _, err = cli("database", "drop", "grpc_made")
    assert code == 1 and "FAILED_PRECONDITION" in err and "is not empty" in err
    assert thrift.client.get_table("grpc_made", "keep").tableName == "keep"
    code, out, _ = cli("database", "drop", "grpc_made", "--cascade", "--delete-data")
    assert code == 0 and "dropped database grpc_made" in out
    with pytest.raises(t.NoSuchObjectException):
        thrift.client.get_database("grpc_made")


def test_errors_name_what_was_wrong(cli, sales):
    code, _, err = cli("table", "show", f"{sales}.missing")
    assert code == 1 and err.startswith("almanac: NOT_FOUND:") and "missing" in err
    code, _, err = cli("database", "create", sales)
    assert code == 1 and "ALREADY_EXISTS" in err and sales in err
    code, _, err = cli("partitions", f"{sales}.events", "--filter", "nokey = 1")
    assert code == 1 and "INVALID_ARGUMENT" in err and "nokey" in err
    code, _, err = cli("tables", "no_such_db")
    assert code == 1 and "NOT_FOUND" in err and "no_such_db" in err
    code, _, err = cli("table", "show", "no_dot")
    assert code == 2 and "DATABASE.TABLE" in err
    code, _, err = cli("frobnicate")
    assert code == 2 and "unknown command 'frobnicate'" in err
    code, _, err = cli("partitions", f"{sales}.events", "--limit", "zero")
    assert code == 2 and "--limit" in err


def test_unreachable_server_is_reported(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # Closed again below: nothing listens there.
    done = subprocess.run([ALMANAC_CLI, "--server", f"127.0.0.1:{port}", "status"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "cannot reach almanacd" in done.stderr


def test_garbage_on_the_grpc_port_does_not_stop_the_server(cli, server):
    for payload in (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"\x16\x03\x01\x02\x00" + b"\0" * 512,
                    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\xff" * 4096):
        with socket.create_connection(("127.0.0.1", server.grpc_port), timeout=5) as sock:
            sock.sendall(payload)
            sock.settimeout(2)
            try:
                sock.recv(1024)
            except OSError:
                pass
    code, out, _ = cli("status")
    assert code == 0 and out.startswith("almanacd ")
    assert server.alive()
