"""almanacd touches the file system only under its allowed roots: the warehouse and the roots
given by --allowed_roots. Elsewhere it records whatever location a client chooses (as Hive
does), but deletes, creates, moves and lists nothing there, and logs a warning naming the
location and the allowed roots. Locations are normalised ('..', '.', '//') and their symbolic
links resolved before that check.

Quick stats are listed before the call's write transaction, within a budget of directory
entries and time per call: other clients' writes never wait for a listing, and a listing that
runs out of budget records no stats."""

import importlib
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
from thrift.protocol import TBinaryProtocol
from thrift.transport import TSocket, TTransport

from almanac_server import AlmanacServer
from builders import database, partition, table
from clients import FLAVOURS, MODULES, Hms

FAST = ("numFiles", "totalSize", "numFilesErasureCoded")


def stats(params):
    return {k: params[k] for k in FAST if k in (params or {})}


def write(path, size=1):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)


def log_events(srv):
    """The server's log lines (it logs JSON), as dicts."""
    events = []
    for line in srv.log().splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            pass
    return events


def warnings_about(srv, location):
    return [e for e in log_events(srv)
            if e.get("level") == "WARN" and location in (e.get("location"), e.get("path"))]


class Workspace:
    """A server's directory: its warehouse, an extra allowed root, and places outside both."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="almanac-confined-"))
        self.allowed = self.dir / "allowed"
        self.allowed.mkdir()
        self.outside = self.dir / "outside"  # = <warehouse>/x/../../outside
        self.outside.mkdir()
        # A temporary directory of its own, outside the server's directory altogether.
        self.elsewhere = Path(tempfile.mkdtemp(prefix="almanac-elsewhere-"))

    def server(self, *args):
        srv = AlmanacServer(self.dir / "srv", "--log_format", "json", *args)
        srv.workdir.mkdir(exist_ok=True)
        return srv

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.rmtree(self.elsewhere, ignore_errors=True)


@pytest.fixture(scope="module")
def ws():
    workspace = Workspace()
    yield workspace
    workspace.cleanup()


@pytest.fixture(scope="module")
def srv(ws):
    server = ws.server("--allowed_roots", f"file://{ws.allowed}/").start()
    yield server
    server.stop()


_names = iter(range(10**6))


@pytest.fixture(params=FLAVOURS)
def hms(request, srv):
    client = Hms(request.param, srv.port)
    yield client
    client.close()


@pytest.fixture
def db(hms):
    name = f"conf_{hms.flavour}_{next(_names)}"
    hms.client.create_database(database(hms.t, name))
    return name


def test_the_allowed_roots_are_logged_at_startup(srv, ws):
    serving = [e for e in log_events(srv) if e.get("msg") == "almanacd serving"]
    assert serving[0]["allowed_roots"] == f"{srv.warehouse},{ws.allowed}"


def test_drop_table_keeps_data_outside_the_roots(hms, db, srv, ws):
    t, c = hms.t, hms.client
    tag = f"{hms.flavour}_{next(_names)}"
    # Where each table's data really is.
    places = {
        "plain": ws.elsewhere / f"plain_{tag}",
        "dotted": ws.outside / f"dotted_{tag}",
        "linked": ws.outside / f"linked_{tag}" / "t",
    }
    for where in places.values():
        write(where / "data.parquet", 10)
    locations = {
        "plain": f"file:{places['plain']}",
        # <warehouse>/x/../../outside is <server dir>/outside.
        "dotted": f"file:{srv.warehouse}/x/../../outside/dotted_{tag}",
        # A link inside the warehouse that leads out of it.
        "linked": f"file:{srv.warehouse}/{db}.db/link_{tag}/t",
    }
    os.symlink(ws.outside / f"linked_{tag}", srv.warehouse / f"{db}.db" / f"link_{tag}")
    for name, location in locations.items():
        c.create_table(table(t, db, name, location=location))
        assert c.get_table(db, name).sd.location == location  # Recorded as given.
        c.drop_table(db, name, True)
        with pytest.raises(t.NoSuchObjectException):
            c.get_table(db, name)
        assert (places[name] / "data.parquet").exists(), name
        skipped = [e for e in warnings_about(srv, location) if "delete data" in e["msg"]]
        assert skipped, name
        assert "outside the allowed roots" in skipped[-1]["msg"]
        assert skipped[-1]["allowed_roots"] == f"{srv.warehouse},{ws.allowed}"


def test_drop_database_keeps_data_outside_the_roots(hms, srv, ws):
    t, c = hms.t, hms.client
    name = f"out_{hms.flavour}_{next(_names)}"
    db_dir = ws.elsewhere / f"{name}.db"
    write(db_dir / "t" / "data.parquet", 10)
    write(db_dir / "loose", 1)
    c.create_database(database(t, name, location=f"file:{db_dir}"))
    c.create_table(table(t, name, "t"))
    assert c.get_table(name, "t").sd.location == f"file:{db_dir}/t"
    c.drop_database(name, True, True)
    with pytest.raises(t.NoSuchObjectException):
        c.get_database(name)
    assert (db_dir / "t" / "data.parquet").exists()
    assert (db_dir / "loose").exists()


def test_drop_database_at_the_warehouse_root_keeps_the_warehouse(hms, db, srv):
    t, c = hms.t, hms.client
    name = f"root_{hms.flavour}_{next(_names)}"
    c.create_database(database(t, name, location=f"file:{srv.warehouse}/"))
    c.drop_database(name, True, True)
    assert srv.warehouse.is_dir()
    assert (srv.warehouse / f"{db}.db").is_dir()


def test_create_table_at_usr_is_not_listed(hms, db, srv, ws):
    t, c = hms.t, hms.client
    # External, so that nothing could ever delete it.
    c.create_table(table(t, db, "usr", location="file:/usr", params={"EXTERNAL": "TRUE"}))
    assert stats(c.get_table(db, "usr").parameters) == {}
    skipped = [e for e in warnings_about(srv, "file:/usr") if "list files" in e["msg"]]
    assert skipped
    assert skipped[-1]["allowed_roots"] == f"{srv.warehouse},{ws.allowed}"
    c.drop_table(db, "usr", False)


def test_nothing_is_listed_or_created_outside_the_roots(hms, db, srv, ws):
    t, c = hms.t, hms.client
    tag = f"{hms.flavour}_{next(_names)}"
    write(ws.elsewhere / f"full_{tag}" / "a", 10)
    c.create_table(table(t, db, "full", location=f"file:{ws.elsewhere}/full_{tag}",
                         params={"EXTERNAL": "TRUE"}))
    assert stats(c.get_table(db, "full").parameters) == {}

    fresh = ws.elsewhere / f"fresh_{tag}"
    c.create_table(table(t, db, "fresh", location=f"file://{fresh}"))
    c.create_table(table(t, db, "dotted", location=f"file:{srv.warehouse}//x/./../../outside/d_{tag}"))
    relative = f"relative_{tag}"
    c.create_table(table(t, db, "relative", location=f"file:{relative}"))
    c.create_database(database(t, f"placed_{tag}", location=f"file:{ws.elsewhere}/placed_{tag}.db"))
    assert not fresh.exists()
    assert not (ws.outside / f"d_{tag}").exists()
    assert not (Path.cwd() / relative).exists()
    assert not (srv.workdir / relative).exists()
    assert not (ws.elsewhere / f"placed_{tag}.db").exists()
    assert c.get_table(db, "fresh").sd.location == f"file://{fresh}"
    created = [e for e in warnings_about(srv, f"file://{fresh}") if "create a directory" in e["msg"]]
    assert created and created[-1]["allowed_roots"] == f"{srv.warehouse},{ws.allowed}"
    assert any("relative path" in e["msg"] for e in warnings_about(srv, f"file:{relative}"))
    c.drop_database(f"placed_{tag}", True, True)


def test_partitions_outside_the_roots(hms, db, srv, ws):
    t, c = hms.t, hms.client
    tag = f"{hms.flavour}_{next(_names)}"
    c.create_table(table(t, db, "p", part_keys=[("ds", "string")]))
    tbl = c.get_table(db, "p")
    write(ws.elsewhere / f"pa_{tag}" / "f", 5)
    c.add_partition(partition(t, tbl, ["a"], location=f"file:{ws.elsewhere}/pa_{tag}"))
    c.add_partition(partition(t, tbl, ["b"], location=f"file:{ws.elsewhere}/pb_{tag}"))
    assert stats(c.get_partition(db, "p", ["a"]).parameters) == {}
    assert not (ws.elsewhere / f"pb_{tag}").exists()
    c.drop_partition(db, "p", ["a"], True)
    assert (ws.elsewhere / f"pa_{tag}" / "f").exists()
    c.drop_table(db, "p", True)
    assert (ws.elsewhere / f"pa_{tag}" / "f").exists()


def test_a_configured_root_is_listed_created_and_deleted(hms, db, srv, ws):
    t, c = hms.t, hms.client
    tag = f"{hms.flavour}_{next(_names)}"
    full = ws.allowed / f"full_{tag}"
    write(full / "a", 10)
    write(full / "nested" / "b", 5)
    c.create_table(table(t, db, "full", location=f"file:{full}"))
    assert stats(c.get_table(db, "full").parameters) == {
        "numFiles": "2", "totalSize": "15", "numFilesErasureCoded": "0"}
    c.create_table(table(t, db, "fresh", location=f"file:{ws.allowed}/fresh_{tag}"))
    assert (ws.allowed / f"fresh_{tag}").is_dir()
    c.drop_table(db, "full", True)
    c.drop_table(db, "fresh", True)
    assert not full.exists()
    assert not (ws.allowed / f"fresh_{tag}").exists()
    assert ws.allowed.is_dir()


def test_the_warehouse_still_works_as_before(hms, db, srv):
    t, c = hms.t, hms.client
    write(srv.warehouse / f"{db}.db" / "full" / "a", 3)
    c.create_table(table(t, db, "full"))
    assert stats(c.get_table(db, "full").parameters)["numFiles"] == "1"
    c.create_table(table(t, db, "fresh"))
    assert (srv.warehouse / f"{db}.db" / "fresh").is_dir()
    renamed = c.get_table(db, "fresh")
    renamed.tableName = "moved"
    c.alter_table(db, "fresh", renamed)
    assert (srv.warehouse / f"{db}.db" / "moved").is_dir()
    assert not (srv.warehouse / f"{db}.db" / "fresh").exists()
    c.drop_table(db, "full", True)
    c.drop_table(db, "moved", True)
    assert not (srv.warehouse / f"{db}.db" / "full").exists()
    assert not (srv.warehouse / f"{db}.db" / "moved").exists()


# --- listing budget ---

def connect(port, timeout_ms):
    """An almanac-flavour client whose calls fail after `timeout_ms` instead of hanging."""
    sock = TSocket.TSocket("127.0.0.1", port)
    sock.setTimeout(timeout_ms)
    transport = TTransport.TBufferedTransport(sock)
    transport.open()
    base = MODULES["almanac"]
    service = importlib.import_module(base + ".ThriftHiveMetastore")
    t = importlib.import_module(base + ".ttypes")
    return service.Client(TBinaryProtocol.TBinaryProtocol(transport)), t, transport


def test_a_listing_over_budget_records_no_stats(ws):
    server = ws.server("--allowed_roots", str(ws.allowed), "--quick_stats_max_entries", "20")
    server.start()
    try:
        client, t, transport = connect(server.port, 30_000)
        big, small = ws.allowed / "budget_big", ws.allowed / "budget_small"
        for i in range(50):
            write(big / f"dir{i % 5}" / f"f{i}", 1)
        write(small / "f", 4)
        client.create_database(database(t, "b"))
        client.create_table(table(t, "b", "big", location=f"file:{big}"))
        assert stats(client.get_table("b", "big").parameters) == {}
        ran_out = [e for e in warnings_about(server, f"file:{big}") if "budget" in e["msg"]]
        assert ran_out and ran_out[-1]["quick_stats_max_entries"] == "20"
        # The budget is per call.
        client.create_table(table(t, "b", "small", location=f"file:{small}"))
        assert stats(client.get_table("b", "small").parameters)["numFiles"] == "1"
        transport.close()
    finally:
        server.stop()


def endless_tree(root, levels=60):
    """A directory whose listing never ends: level k holds two links to level k+1, so there are
    2**levels paths to the file at the bottom, each shallower than the listing's depth limit."""
    for k in range(levels):
        (root / f"l{k}").mkdir(parents=True)
    write(root / f"l{levels}" / "f", 1)
    for k in range(levels):
        for link in ("a", "b"):
            os.symlink(root / f"l{k + 1}", root / f"l{k}" / link)
    return root / "l0"


def open_under(pid, prefix):
    """Whether process `pid` holds a file descriptor open on a path under `prefix`."""
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(str(prefix)):
                return True
        except OSError:
            pass
    return False


def test_writes_go_on_while_a_listing_runs(ws):
    """A create_table over an endless tree lists it until its time budget runs out. While that
    listing is provably running (the server holds the tree's directories open), another
    client's writes complete; afterwards the table is recorded without stats."""
    server = ws.server("--allowed_roots", str(ws.allowed),
                       "--quick_stats_max_entries", "1000000000000",
                       "--quick_stats_timeout_ms", "15000")
    server.start()
    tree = endless_tree(ws.allowed / "endless")
    outcome = {}
    try:
        setup, t, setup_transport = connect(server.port, 30_000)
        setup.create_database(database(t, "slow"))
        setup_transport.close()

        def create_over_the_tree():
            client, t, transport = connect(server.port, 120_000)
            try:
                client.create_table(table(t, "slow", "endless", location=f"file:{tree}"))
                outcome["created"] = True
            except Exception as error:  # reported by the main thread
                outcome["error"] = error
            finally:
                transport.close()

        slow = threading.Thread(target=create_over_the_tree, daemon=True)
        slow.start()
        deadline = time.monotonic() + 60
        while not open_under(server.process.pid, ws.allowed / "endless"):
            assert slow.is_alive() and time.monotonic() < deadline, outcome
            time.sleep(0.01)

        other, t, other_transport = connect(server.port, 10_000)
        other.create_database(database(t, "meanwhile"))
        other.create_table(table(t, "meanwhile", "t"))
        other.drop_table("meanwhile", "t", True)
        # The listing was still running when those writes were answered.
        assert open_under(server.process.pid, ws.allowed / "endless")
        assert slow.is_alive()
        other_transport.close()

        slow.join(120)
        assert outcome == {"created": True}
        check, t, check_transport = connect(server.port, 30_000)
        assert stats(check.get_table("slow", "endless").parameters) == {}
        check_transport.close()
        ran_out = [e for e in warnings_about(server, f"file:{tree}") if "budget" in e["msg"]]
        assert ran_out
    finally:
        server.kill()
