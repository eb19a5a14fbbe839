"""What Spark's built-in Hive 2.3 client needs from the server beyond the wire format, found
by the Spark interop tests (tests/interop/spark), checked here through every client flavour."""

from pathlib import Path

import pytest

from builders import database, table


def test_create_database_makes_its_directory(hms, name, server, tmp_path):
    """Hive's create_database creates the directory; Spark writes below it without checking."""
    t = hms.t
    default_db = name("db")
    hms.client.create_database(database(t, default_db))
    assert (Path(server.warehouse) / f"{default_db}.db").is_dir()

    chosen = tmp_path / "chosen" / "place"
    placed_db = name("db")
    hms.client.create_database(database(t, placed_db, location=f"file:{chosen}"))
    assert hms.client.get_database(placed_db).locationUri == f"file:{chosen}"
    assert chosen.is_dir()

    for db in (default_db, placed_db):
        hms.client.drop_database(db, True, True)
    assert not chosen.exists()


def test_a_view_has_no_location(hms, name):
    """Hive leaves a view's location null. An empty string instead makes Spark fail to read the
    view ("Can not create a Path from an empty string")."""
    t = hms.t
    db = name("db")
    hms.client.create_database(database(t, db))
    view = table(t, db, "v", table_type="VIRTUAL_VIEW")
    view.viewOriginalText = view.viewExpandedText = "SELECT 1"
    view.sd.location = None
    hms.client.create_table(view)
    try:
        assert hms.client.get_table(db, "v").sd.location is None
        [listed] = hms.client.get_table_objects_by_name(db, ["v"])
        assert listed.sd.location is None
        # A table still gets its default location.
        hms.client.create_table(table(t, db, "t"))
        assert hms.client.get_table(db, "t").sd.location.endswith(f"/{db}.db/t")
    finally:
        hms.client.drop_database(db, True, True)


def test_a_column_without_comment_has_none(hms, name):
    """Hive answers a null comment for a column created without one; Spark shows an empty one
    as a comment (DESCRIBE, SHOW CREATE TABLE ... COMMENT '')."""
    t = hms.t
    db = name("db")
    hms.client.create_database(database(t, db))
    tbl = table(t, db, "t", part_keys=(("p", "string"),))
    tbl.sd.cols[0].comment = None
    tbl.sd.cols[1].comment = "the name"
    tbl.partitionKeys[0].comment = None
    hms.client.create_table(tbl)
    try:
        got = hms.client.get_table(db, "t")
        assert [c.comment for c in got.sd.cols] == [None, "the name"]
        assert [c.comment for c in got.partitionKeys] == [None]
        assert [c.comment for c in hms.client.get_fields(db, "t")] == [None, "the name"]
    finally:
        hms.client.drop_database(db, True, True)
