"""truncate_table and truncate_table_req, through every client flavour whose IDL has them: the
files of the table (or of the named partitions) go, their directories stay, and their basic
statistics are reset as Hive Metastore resets them. Only "file:" directories under the allowed
roots are emptied; any other location is refused before anything is deleted."""

import json
import os
import tempfile

import pytest

from builders import make, partition, table

STATS = {"numRows": "10", "rawDataSize": "100",
         "COLUMN_STATS_ACCURATE": '{"BASIC_STATS":"true","COLUMN_STATS":{"id":"true"}}'}


def local(location):
    return location[len("file:"):]


def fill(location):
    """Writes a data file, a hidden file and a sub-directory into `location`."""
    path = local(location)
    os.makedirs(os.path.join(path, "sub"), exist_ok=True)
    for name in ("data.txt", ".hidden", os.path.join("sub", "part-0")):
        with open(os.path.join(path, name), "w") as f:
            f.write("100")


def contents(location):
    return sorted(os.listdir(local(location)))


def truncate(hms, db, name, part_names, call):
    if not hms.has(call):
        pytest.skip(f"{hms.flavour}'s IDL has no {call}")
    if call == "truncate_table":
        hms.client.truncate_table(db, name, part_names)
    else:
        hms.client.truncate_table_req(
            make(hms.t, "TruncateTableRequest", dbName=db, tableName=name, partNames=part_names))


CALLS = ["truncate_table", "truncate_table_req"]


@pytest.mark.parametrize("call", CALLS)
def test_truncate_empties_an_unpartitioned_table_and_resets_its_stats(hms, db, call):
    t = hms.t
    hms.client.create_table(table(t, db, "u", params=STATS))
    tbl = hms.client.get_table(db, "u")
    fill(tbl.sd.location)
    truncate(hms, db, "u", None, call)
    assert contents(tbl.sd.location) == []
    params = hms.client.get_table(db, "u").parameters
    assert params["numRows"] == "0" and params["rawDataSize"] == "0"
    assert "numFiles" not in params and "totalSize" not in params  # Absent ones stay absent.
    assert json.loads(params["COLUMN_STATS_ACCURATE"]) == {"BASIC_STATS": "true"}


@pytest.mark.parametrize("call", CALLS)
def test_truncate_named_partitions_only(hms, db, tmp_path, call):
    t = hms.t
    hms.client.create_table(table(t, db, "p", part_keys=[("k", "string")]))
    tbl = hms.client.get_table(db, "p")
    outside_table = f"file:{tmp_path}/elsewhere"  # Under an allowed root, outside the table.
    hms.client.add_partitions([
        partition(t, tbl, ["a0"], params=dict(STATS)),
        partition(t, tbl, ["a1"], params=dict(STATS)),
        partition(t, tbl, ["a2"], location=outside_table, params=dict(STATS))])
    parts = {p.values[0]: p for p in hms.client.get_partitions(db, "p", -1)}
    for p in parts.values():
        fill(p.sd.location)
    truncate(hms, db, "p", ["k=a0", "k=a2", "k=nope"], call)
    assert contents(parts["a0"].sd.location) == []
    assert contents(parts["a2"].sd.location) == []
    assert contents(parts["a1"].sd.location) == [".hidden", "data.txt", "sub"]
    after = {p.values[0]: p.parameters for p in hms.client.get_partitions(db, "p", -1)}
    for v in ("a0", "a2"):
        assert after[v]["numRows"] == "0"
        assert json.loads(after[v]["COLUMN_STATS_ACCURATE"]) == {"BASIC_STATS": "true"}
    assert after["a1"]["numRows"] == "10"


@pytest.mark.parametrize("call", CALLS)
def test_truncate_without_names_empties_every_partition(hms, db, call):
    t = hms.t
    hms.client.create_table(table(t, db, "all", part_keys=[("k", "string")]))
    tbl = hms.client.get_table(db, "all")
    hms.client.add_partitions([partition(t, tbl, [v]) for v in ("x", "y")])
    parts = hms.client.get_partitions(db, "all", -1)
    for p in parts:
        fill(p.sd.location)
    truncate(hms, db, "all", None, call)
    for p in parts:
        assert contents(p.sd.location) == []


def test_truncate_refusals_change_nothing(hms, db):
    t = hms.t
    if not hms.has("truncate_table"):
        pytest.skip(f"{hms.flavour}'s IDL has no truncate_table")
    with pytest.raises(t.MetaException, match="table not found"):
        hms.client.truncate_table(db, "missing", None)
    view = table(t, db, "v", table_type="VIRTUAL_VIEW")
    view.viewOriginalText = view.viewExpandedText = "select 1"
    hms.client.create_table(view)
    with pytest.raises(t.MetaException, match="a view holds no data"):
        hms.client.truncate_table(db, "v", None)
    # A directory outside the allowed roots, and one the server has no client for.
    with tempfile.TemporaryDirectory(prefix="almanac-outside-") as outside:
        ext = table(t, db, "ext", location=f"file:{outside}", params={"EXTERNAL": "TRUE"},
                    table_type="EXTERNAL_TABLE")
        hms.client.create_table(ext)
        fill(f"file:{outside}")
        with pytest.raises(t.MetaException, match="outside the allowed roots"):
            hms.client.truncate_table(db, "ext", None)
        assert contents(f"file:{outside}") == [".hidden", "data.txt", "sub"]
    hms.client.create_table(table(t, db, "remote", location="hdfs://nn:8020/data/remote"))
    with pytest.raises(t.MetaException, match="no file-system client"):
        hms.client.truncate_table(db, "remote", None)


def test_truncate_with_names_of_an_unpartitioned_table_does_nothing(hms, db):
    t = hms.t
    if not hms.has("truncate_table"):
        pytest.skip(f"{hms.flavour}'s IDL has no truncate_table")
    hms.client.create_table(table(t, db, "u", params=STATS))
    tbl = hms.client.get_table(db, "u")
    fill(tbl.sd.location)
    hms.client.truncate_table(db, "u", ["k=a"])
    assert contents(tbl.sd.location) == [".hidden", "data.txt", "sub"]
    assert hms.client.get_table(db, "u").parameters["numRows"] == "10"
