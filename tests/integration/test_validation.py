"""Validation as Hive Metastore does it: column types, names, control characters and the
lengths of HMS's schema, driven through every client flavour.

HMS answers a rule it checks itself with InvalidObjectException on create and
InvalidOperationException on alter; a value its backing database would refuse (too long, or a
control character in a partition value) with MetaException.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from almanac_server import ALMANACD
from builders import partition, table
from clients import Hms

ALMANAC_CLI = os.environ.get("ALMANAC_CLI",
                             str(Path(ALMANACD).resolve().parents[1] / "client" / "almanac"))


def local(location):
    assert location.startswith("file:"), location
    return location[len("file:"):]


def assert_no_tables(hms, db):
    assert hms.client.get_all_tables(db) == []


@pytest.mark.parametrize("bad_type,detail", [
    ("notatype", "unknown type 'notatype' at position 0"),
    ("array<", "a type expected but the type ends"),
    ("map<string>", "',' expected"),
    ("struct<a int>", "':' expected"),
    ("decimal(39,2)", "decimal precision 39 is outside Hive's range [1, 38]"),
    ("varchar(0)", "varchar length 0 is outside Hive's range [1, 65535]"),
    ("array<" * 1000 + "int" + ">" * 1000, "nests more than 64 levels deep"),
])
def test_create_table_refuses_invalid_column_types(hms, db, bad_type, detail):
    t = hms.t
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_table(table(t, db, "typed", cols=[("id", "int"), ("payload", bad_type)]))
    message = err.value.message
    assert message.startswith("Invalid column type: ")
    assert f"column payload of table {db}.typed" in message
    assert detail in message
    assert_no_tables(hms, db)


def test_create_table_refuses_invalid_partition_key_type(hms, db):
    t = hms.t
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_table(table(t, db, "typed", part_keys=[("ds", "notatype")]))
    assert err.value.message.startswith("Invalid partition column type: notatype")
    assert f"partition column ds of table {db}.typed" in err.value.message
    assert_no_tables(hms, db)


def test_overlong_names_are_refused_as_the_backing_database_would(hms, db):
    t = hms.t
    with pytest.raises(t.MetaException) as err:
        hms.client.create_table(table(t, db, "n" * 10_000))
    assert "Table name nnnn" in err.value.message
    assert "longer than 256 characters" in err.value.message
    with pytest.raises(t.MetaException) as err:
        hms.client.create_table(table(t, db, "wide", cols=[("c" * 10_000, "int")]))
    assert "The name of column 'cccc" in err.value.message
    assert f"of table {db}.wide is longer than 767 characters" in err.value.message
    assert_no_tables(hms, db)
    with pytest.raises(t.MetaException) as err:
        hms.client.create_database(t.Database(name="d" * 10_000, description="", parameters={}))
    assert "longer than 128 characters" in err.value.message
    assert "d" * 10_000 not in hms.client.get_all_databases()


def test_control_characters_in_names_are_refused(hms, db):
    t = hms.t
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_table(table(t, db, "nul_col", cols=[("a\0b", "int")]))
    assert err.value.message.startswith("Invalid column name: 'a\\x00b'")
    assert f"of table {db}.nul_col" in err.value.message
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_table(table(t, db, "nul_key", part_keys=[("d\0s", "string")]))
    assert err.value.message.startswith("Invalid partition column name: 'd\\x00s'")
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_table(table(t, db, "tab\0le"))
    assert err.value.message == "tab\\x00le is not a valid object name"
    assert_no_tables(hms, db)


def partitioned(hms, db, name="parts"):
    hms.client.create_table(table(hms.t, db, name, part_keys=[("ds", "string")]))
    return hms.client.get_table(db, name)


def test_nul_in_partition_values_is_refused_by_add_partition(hms, db):
    t = hms.t
    tbl = partitioned(hms, db)
    with pytest.raises(t.MetaException) as err:
        hms.client.add_partition(partition(t, tbl, ["2024\x0001"]))
    assert err.value.message.startswith("Partition value '2024\\x0001' for key ds of table")
    assert "contains a control character" in err.value.message
    with pytest.raises(t.MetaException):
        hms.client.add_partitions([partition(t, tbl, ["ok"]), partition(t, tbl, ["b\0d"])])
    with pytest.raises(t.MetaException) as err:
        hms.client.add_partition(partition(t, tbl, ["v" * 257]))
    assert "longer than 256 characters" in err.value.message
    assert hms.client.get_partition_names(db, "parts", -1) == []


def test_nul_in_partition_values_is_refused_by_append_partition(hms, db):
    t = hms.t
    partitioned(hms, db)
    with pytest.raises(t.MetaException) as err:
        hms.client.append_partition(db, "parts", ["x\0y"])
    assert "for key ds of table" in err.value.message
    with pytest.raises(t.MetaException):
        hms.client.append_partition(db, "parts", ["tab\there"])
    assert hms.client.get_partition_names(db, "parts", -1) == []
    # Values Hive escapes in paths are still fine.
    part = hms.client.append_partition(db, "parts", ["a/b:c=d"])
    assert part.values == ["a/b:c=d"]


COMPLEX = [
    ("s", "struct<a:int,b:array<string>>"),
    ("d", "decimal(10,2)"),
    ("v", "varchar(10)"),
    ("ch", "char(3)"),
    ("m", "map<string,array<struct<x:double,y:double>>>"),
    ("u", "uniontype<int,string>"),
    ("ts", "timestamp with local time zone"),
    ("col", "array<string>"),
    ("q", "struct<`a b`:int,c.d:string>"),
    ("sp", "struct<y.z:int,gpa_!@#%^&*():string,a-b:array<int>>"),
    ("dp", "double precision"),
]


def test_valid_complex_types_round_trip_unchanged(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "complex", cols=COMPLEX,
                                  part_keys=[("dt", "date"), ("n", "decimal(5)")]))
    tbl = hms.client.get_table(db, "complex")
    assert [(c.name, c.type) for c in tbl.sd.cols] == COMPLEX
    assert [(c.name, c.type) for c in tbl.partitionKeys] == [("dt", "date"), ("n", "decimal(5)")]
    hms.client.add_partition(partition(t, tbl, ["2024-01-01", "7"]))
    part = hms.client.get_partition(db, "complex", ["2024-01-01", "7"])
    assert [(c.name, c.type) for c in part.sd.cols] == COMPLEX


def test_alter_table_refuses_invalid_types_with_invalid_operation(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "altered"))
    with pytest.raises(t.InvalidOperationException) as err:
        hms.client.alter_table(db, "altered", table(t, db, "altered", cols=[("id", "array<")]))
    assert err.value.message.startswith("Invalid column type: array<")
    assert [c.type for c in hms.client.get_table(db, "altered").sd.cols] == ["bigint", "string"]
    with pytest.raises(t.InvalidOperationException) as err:
        hms.client.alter_table(db, "altered", table(t, db, "bad\\name"))
    assert "is not a valid object name" in err.value.message
    assert hms.client.get_all_tables(db) == ["altered"]


def test_partition_column_types_are_not_checked(hms, db):
    """HMS checks the column types of tables, not those a partition carries (Hive's
    TestAddPartitions.testAddPartitionInvalidColTypeInSd expects the partition to be added)."""
    t = hms.t
    tbl = partitioned(hms, db)
    odd = partition(t, tbl, ["a"])
    odd.sd.cols[0].type = "xyz"
    hms.client.add_partition(odd)
    assert hms.client.get_partition(db, "parts", ["a"]).sd.cols[0].type == "xyz"
    odd.sd.cols[0].type = "notatype"
    hms.client.alter_partition(db, "parts", odd)
    assert hms.client.get_partition(db, "parts", ["a"]).sd.cols[0].type == "notatype"


@pytest.mark.parametrize("table_name,directory", [
    ("my-table", "my-45-table"),
    ("v1.2", "v1-46-2"),
    ("..", "-46--46-"),
    ("a/b", "a-47-b"),
    ("with space", "with-32-space"),
])
def test_hive4_table_names_get_encoded_directories_inside_their_database(hms, db, server,
                                                                         table_name, directory):
    t = hms.t
    hms.client.create_table(table(t, db, table_name))
    tbl = hms.client.get_table(db, table_name)
    assert tbl.tableName == table_name
    assert tbl.sd.location == f"file:{server.warehouse}/{db}.db/{directory}"
    assert os.path.isdir(local(tbl.sd.location))
    assert hms.client.get_all_tables(db) == [table_name]
    hms.client.drop_table(db, table_name, True)
    assert not os.path.exists(local(tbl.sd.location))
    assert os.path.isdir(f"{server.warehouse}/{db}.db")


@pytest.mark.parametrize("table_name", ["back\\slash", "tab\tname", "caf\u00e9"])
def test_names_hive4_refuses(hms, db, table_name):
    t = hms.t
    with pytest.raises(t.InvalidObjectException) as err:
        hms.client.create_table(table(t, db, table_name))
    assert "is not a valid object name" in err.value.message
    assert_no_tables(hms, db)


# The gRPC front end gets the same rules from the core.


def almanac(server, *args):
    done = subprocess.run([ALMANAC_CLI, "--server", f"127.0.0.1:{server.grpc_port}", *args],
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def test_grpc_refuses_what_thrift_refuses(server):
    code, _, err = almanac(server, "database", "create", "bad-name")
    assert code == 1 and "INVALID_ARGUMENT" in err
    assert "bad-name is not a valid database name" in err
    code, _, err = almanac(server, "database", "create", "d" * 200)
    assert code == 1 and "INVALID_ARGUMENT" in err and "longer than 128 characters" in err
    code, _, err = almanac(server, "database", "create", "grpc_long_desc",
                           "--description", "x" * 4001)
    assert code == 1 and "The description of database grpc_long_desc" in err
    thrift = Hms("almanac", server.port)
    try:
        assert "grpc_long_desc" not in thrift.client.get_all_databases()
    finally:
        thrift.close()


def test_grpc_reads_tables_with_hive4_names(server, hms, db):
    hms.client.create_table(table(hms.t, db, "v1.2"))
    code, out, err = almanac(server, "--json", "table", "show", f"{db}.v1.2")
    assert code == 0, err
    got = json.loads(out)
    assert (got["database"], got["name"]) == (db, "v1.2")
    assert got["storage"]["location"] == f"file:{server.warehouse}/{db}.db/v1-46-2"
