"""Tables through PyIceberg's HiveCatalog: create, load, list, write, evolve, rename, drop.

After every commit the test reads the table back with PyIceberg and also checks, with the
project's own Thrift client, what almanacd stored: `metadata_location` must name the table's
current metadata file and `previous_metadata_location` the one before it.
"""

import re

import pyarrow as pa
import pytest
from hive_metastore.ttypes import NoSuchObjectException  # the Thrift client PyIceberg vendors
from pyiceberg.exceptions import (
    NoSuchNamespaceError,
    NoSuchPropertyException,
    NoSuchTableError,
    TableAlreadyExistsError,
)
from pyiceberg.expressions import EqualTo
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema, assign_fresh_schema_ids
from pyiceberg.transforms import IdentityTransform
from pyiceberg.types import (
    BinaryType,
    BooleanType,
    DateType,
    DecimalType,
    DoubleType,
    FixedType,
    FloatType,
    IntegerType,
    ListType,
    LongType,
    MapType,
    NestedField,
    StringType,
    StructType,
    TimestampType,
    TimestamptzType,
    TimeType,
    UUIDType,
)

from support import catalog_for, drop_database_cascade, iceberg_params  # first: sets sys.path

from builders import table as hive_table  # tests/integration, on sys.path once support is imported

SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=False),
    NestedField(2, "region", StringType(), required=False),
    NestedField(3, "amount", DoubleType(), required=False),
)
SPEC = PartitionSpec(PartitionField(source_id=2, field_id=1000, transform=IdentityTransform(),
                                    name="region"))


def rows(ids, regions, amounts):
    return pa.table({
        "id": pa.array(ids, pa.int64()),
        "region": pa.array(regions, pa.string()),
        "amount": pa.array(amounts, pa.float64()),
    })


def read(table, **scan):
    """All rows, sorted by id, as a list of dicts."""
    return sorted(table.scan(**scan).to_arrow().to_pylist(), key=lambda row: row["id"])


class Commits:
    """Follows a table's commits and checks almanacd's parameters after each one."""

    def __init__(self, catalog, hms, identifier):
        self.catalog, self.hms, self.identifier = catalog, hms, identifier
        self.locations = [catalog.load_table(identifier).metadata_location]
        self.check()

    def check(self):
        table = self.catalog.load_table(self.identifier)
        if table.metadata_location != self.locations[-1]:
            self.locations.append(table.metadata_location)
        params = iceberg_params(self.hms, *self.identifier)
        assert params["metadata_location"] == self.locations[-1]
        assert params["table_type"] == "ICEBERG"
        assert params["EXTERNAL"] == "TRUE"
        if len(self.locations) > 1:
            assert params["previous_metadata_location"] == self.locations[-2]
        else:
            assert "previous_metadata_location" not in params
        # The metadata log lists every earlier metadata file, oldest first.
        assert [entry.metadata_file for entry in table.metadata.metadata_log] == \
            self.locations[:-1]
        return table


def test_create_and_load(catalog, hms, namespace):
    identifier = (namespace, "orders")
    created = catalog.create_table(identifier, SCHEMA, partition_spec=SPEC,
                                   properties={"owner": "bob", "purpose": "interop"})
    loaded = catalog.load_table(identifier)
    assert loaded.metadata_location == created.metadata_location
    assert loaded.schema() == created.schema()
    assert [f.name for f in loaded.schema().fields] == ["id", "region", "amount"]
    assert loaded.spec().fields[0].name == "region"
    assert isinstance(loaded.spec().fields[0].transform, IdentityTransform)
    assert loaded.properties["purpose"] == "interop"
    assert loaded.current_snapshot() is None
    assert loaded.location() == \
        catalog.load_namespace_properties(namespace)["location"] + "/orders"

    stored = hms.client.get_table(namespace, "orders")
    assert stored.tableType == "EXTERNAL_TABLE"
    assert stored.owner == "bob"
    assert stored.parameters["metadata_location"] == created.metadata_location
    assert stored.parameters["purpose"] == "interop"
    assert stored.sd.location == loaded.location()
    assert [(c.name, c.type) for c in stored.sd.cols] == \
        [("id", "bigint"), ("region", "string"), ("amount", "double")]
    assert stored.partitionKeys == []  # Iceberg keeps partitioning in its own metadata.


def test_create_twice_fails(catalog, namespace):
    catalog.create_table((namespace, "t"), SCHEMA)
    with pytest.raises(TableAlreadyExistsError):
        catalog.create_table((namespace, "t"), SCHEMA)


def test_create_in_a_missing_namespace_fails(catalog, server, unique):
    missing = unique("missing")
    # PyIceberg looks up the namespace's location first ...
    with pytest.raises(NoSuchNamespaceError):
        catalog.create_table((missing, "t"), SCHEMA)
    # ... unless given one; then create_table's NoSuchObjectException reaches the caller as is.
    with pytest.raises(NoSuchObjectException):
        catalog.create_table((missing, "t"), SCHEMA, location=f"file://{server.workdir}/m")
    assert (missing,) not in catalog.list_namespaces()


def test_exists_and_list(catalog, hms, namespace):
    assert catalog.list_tables(namespace) == []
    assert not catalog.table_exists((namespace, "a"))
    catalog.create_table((namespace, "a"), SCHEMA)
    catalog.create_table((namespace, "b"), SCHEMA)
    # A plain Hive table in the same database is no Iceberg table: list_tables skips it and
    # loading it fails with PyIceberg's own error (it has no table_type parameter).
    hms.client.create_table(hive_table(hms.t, namespace, "plain"))
    assert catalog.table_exists((namespace, "a"))
    assert sorted(catalog.list_tables(namespace)) == [(namespace, "a"), (namespace, "b")]
    with pytest.raises(NoSuchPropertyException):
        catalog.load_table((namespace, "plain"))
    with pytest.raises(NoSuchTableError):
        catalog.load_table((namespace, "missing"))


def test_append_overwrite_and_history(catalog, hms, namespace):
    identifier = (namespace, "sales")
    catalog.create_table(identifier, SCHEMA, partition_spec=SPEC)
    commits = Commits(catalog, hms, identifier)

    table = catalog.load_table(identifier)
    table.append(rows([1, 2], ["eu", "us"], [10.0, 20.0]))
    table = commits.check()
    table.append(rows([3], ["eu"], [30.0]))
    table = commits.check()
    assert read(table) == [
        {"id": 1, "region": "eu", "amount": 10.0},
        {"id": 2, "region": "us", "amount": 20.0},
        {"id": 3, "region": "eu", "amount": 30.0},
    ]
    assert [r["id"] for r in read(table, row_filter=EqualTo("region", "eu"))] == [1, 3]
    # Partitioned by region: one data file per region and append.
    assert sorted(task.file.partition[0] for task in table.scan().plan_files()) == \
        ["eu", "eu", "us"]

    table.overwrite(rows([7], ["apac"], [70.0]))
    table = commits.check()
    assert read(table) == [{"id": 7, "region": "apac", "amount": 70.0}]

    snapshots = table.snapshots()
    operations = [s.summary.operation.value for s in snapshots]
    # PyIceberg overwrites by deleting the old files, then appending.
    assert operations == ["append", "append", "delete", "append"]
    assert snapshots[0].parent_snapshot_id is None
    for parent, child in zip(snapshots, snapshots[1:]):
        assert child.parent_snapshot_id == parent.snapshot_id
        assert child.sequence_number == parent.sequence_number + 1
    assert [entry.snapshot_id for entry in table.history()] == [s.snapshot_id for s in snapshots]
    assert table.current_snapshot().snapshot_id == snapshots[-1].snapshot_id
    # One metadata file per commit: the create, two appends, and the overwrite, whose delete
    # and append snapshots PyIceberg commits together in one transaction.
    assert len(commits.locations) == 1 + 2 + 1

    # Time travel to the second append still sees its rows.
    assert [r["id"] for r in read(table, snapshot_id=snapshots[1].snapshot_id)] == [1, 2, 3]


def test_schema_evolution(catalog, hms, namespace):
    identifier = (namespace, "evolving")
    catalog.create_table(identifier, SCHEMA, partition_spec=SPEC)
    commits = Commits(catalog, hms, identifier)
    table = catalog.load_table(identifier)
    table.append(rows([1], ["eu"], [1.5]))
    commits.check()

    with table.update_schema() as update:
        update.add_column("note", StringType())
        update.rename_column("amount", "total")
    table = commits.check()
    assert [f.name for f in table.schema().fields] == ["id", "region", "total", "note"]
    assert table.schema().schema_id == 1
    # almanacd's copy of the columns follows the Iceberg schema.
    stored = hms.client.get_table(*identifier)
    assert [(c.name, c.type) for c in stored.sd.cols] == \
        [("id", "bigint"), ("region", "string"), ("total", "double"), ("note", "string")]

    table.append(pa.table({
        "id": pa.array([2], pa.int64()),
        "region": pa.array(["us"], pa.string()),
        "total": pa.array([2.5], pa.float64()),
        "note": pa.array(["after evolution"], pa.string()),
    }))
    table = commits.check()
    assert read(table) == [
        {"id": 1, "region": "eu", "total": 1.5, "note": None},
        {"id": 2, "region": "us", "total": 2.5, "note": "after evolution"},
    ]


def test_partition_spec_evolution(catalog, hms, namespace):
    identifier = (namespace, "respec")
    catalog.create_table(identifier, SCHEMA, partition_spec=SPEC)
    commits = Commits(catalog, hms, identifier)
    table = catalog.load_table(identifier)
    table.append(rows([1, 2], ["eu", "us"], [1.0, 2.0]))
    commits.check()

    with table.update_spec() as update:
        update.add_identity("id")
    table = commits.check()
    assert table.spec().spec_id == 1
    assert [f.name for f in table.spec().fields] == ["region", "id"]

    table.append(rows([3, 4], ["eu", "eu"], [3.0, 4.0]))
    table = commits.check()
    assert [r["id"] for r in read(table)] == [1, 2, 3, 4]
    assert [r["id"] for r in read(table, row_filter=EqualTo("region", "eu"))] == [1, 3, 4]
    files = sorted((task.file.spec_id, tuple(task.file.partition))
                   for task in table.scan().plan_files())
    assert files == [(0, ("eu",)), (0, ("us",)), (1, ("eu", 3)), (1, ("eu", 4))]


def test_rename_within_and_across_namespaces(catalog, hms, namespace, server, unique):
    other = unique("other")
    catalog.create_namespace(other)
    try:
        catalog.create_table((namespace, "before"), SCHEMA)
        table = catalog.load_table((namespace, "before"))
        table.append(rows([1], ["eu"], [1.0]))
        location = catalog.load_table((namespace, "before")).metadata_location

        renamed = catalog.rename_table((namespace, "before"), (namespace, "after"))
        assert renamed.name() == (namespace, "after")
        assert not catalog.table_exists((namespace, "before"))
        assert catalog.list_tables(namespace) == [(namespace, "after")]
        assert renamed.metadata_location == location
        assert [r["id"] for r in read(renamed)] == [1]

        moved = catalog.rename_table((namespace, "after"), (other, "moved"))
        assert moved.name() == (other, "moved")
        assert catalog.list_tables(namespace) == []
        assert catalog.list_tables(other) == [(other, "moved")]
        stored = hms.client.get_table(other, "moved")
        assert stored.dbName == other
        assert stored.parameters["metadata_location"] == location
        # An Iceberg table is external: its files stay where they are.
        assert stored.sd.location == table.location()

        # It can still be written under its new name.
        moved.append(rows([2], ["us"], [2.0]))
        assert [r["id"] for r in read(catalog.load_table((other, "moved")))] == [1, 2]
        assert iceberg_params(hms, other, "moved")["previous_metadata_location"] == location

        catalog.create_table((namespace, "taken"), SCHEMA)
        with pytest.raises(TableAlreadyExistsError):
            catalog.rename_table((other, "moved"), (namespace, "taken"))
        with pytest.raises(NoSuchTableError):
            catalog.rename_table((namespace, "missing"), (namespace, "whatever"))
        with pytest.raises(NoSuchNamespaceError):
            catalog.rename_table((other, "moved"), (unique("missing"), "moved"))
        assert catalog.table_exists((other, "moved"))
    finally:
        drop_database_cascade(server, other)


def test_drop_table(catalog, hms, namespace):
    identifier = (namespace, "doomed")
    catalog.create_table(identifier, SCHEMA)
    table = catalog.load_table(identifier)
    table.append(rows([1], ["eu"], [1.0]))
    metadata = catalog.load_table(identifier).metadata_location
    catalog.drop_table(identifier)
    assert not catalog.table_exists(identifier)
    assert catalog.list_tables(namespace) == []
    with pytest.raises(hms.t.NoSuchObjectException):
        hms.client.get_table(*identifier)
    with pytest.raises(NoSuchTableError):
        catalog.drop_table(identifier)
    # PyIceberg drops with deleteData=False: the Iceberg files stay.
    assert table.io.new_input(metadata).exists()
    # The name can be used again.
    catalog.create_table(identifier, SCHEMA)
    assert catalog.load_table(identifier).current_snapshot() is None


def test_purge_table(catalog, namespace):
    identifier = (namespace, "purged")
    catalog.create_table(identifier, SCHEMA)
    # PyIceberg 0.12's HiveCatalog does not implement purge; the table must be left intact.
    with pytest.raises(NotImplementedError):
        catalog.purge_table(identifier)
    assert catalog.table_exists(identifier)
    catalog.drop_table(identifier)
    assert not catalog.table_exists(identifier)


def test_column_types_and_comments(catalog, hms, namespace):
    """PyIceberg stores Hive type strings for every Iceberg type; almanacd keeps them as sent."""
    schema = Schema(
        NestedField(1, "b", BooleanType()),
        NestedField(2, "i", IntegerType()),
        NestedField(3, "l", LongType(), doc="a long, with a comment"),
        NestedField(4, "f", FloatType()),
        NestedField(5, "d", DoubleType()),
        NestedField(6, "dt", DateType()),
        NestedField(7, "tm", TimeType()),
        NestedField(8, "ts", TimestampType()),
        NestedField(9, "tstz", TimestamptzType()),
        NestedField(10, "s", StringType()),
        NestedField(11, "u", UUIDType()),
        NestedField(12, "bin", BinaryType()),
        NestedField(13, "fx", FixedType(16)),
        NestedField(14, "dec", DecimalType(10, 2)),
        NestedField(15, "st", StructType(NestedField(16, "x", IntegerType()),
                                         NestedField(17, "y", StringType()))),
        NestedField(18, "li", ListType(19, StringType())),
        NestedField(20, "mp", MapType(21, StringType(), 22, LongType())),
    )
    catalog.create_table((namespace, "wide"), schema)
    cols = hms.client.get_table(namespace, "wide").sd.cols
    assert [(c.name, c.type) for c in cols] == [
        ("b", "boolean"), ("i", "int"), ("l", "bigint"), ("f", "float"), ("d", "double"),
        ("dt", "date"), ("tm", "string"), ("ts", "timestamp"),
        ("tstz", "timestamp with local time zone"), ("s", "string"), ("u", "string"),
        ("bin", "binary"), ("fx", "binary"), ("dec", "decimal(10,2)"),
        ("st", "struct<x:int,y:string>"), ("li", "array<string>"), ("mp", "map<string,bigint>"),
    ]
    assert cols[2].comment == "a long, with a comment"
    # PyIceberg renumbers the fields of a new table; otherwise the schema comes back unchanged.
    assert catalog.load_table((namespace, "wide")).schema() == assign_fresh_schema_ids(schema)


def test_schema_evolution_drops_reorders_and_promotes(catalog, hms, namespace):
    # Hive with hive.metastore.disallow.incompatible.col.type.changes=true (its default) refuses
    # the column shifts a dropped or moved column causes; almanacd, like a Hive configured for
    # Iceberg, takes the new columns as they come.
    identifier = (namespace, "reshaped")
    catalog.create_table(identifier, Schema(
        NestedField(1, "a", IntegerType(), required=False),
        NestedField(2, "b", StringType(), required=False),
        NestedField(3, "c", FloatType(), required=False)))
    table = catalog.load_table(identifier)
    table.append(pa.table({"a": pa.array([1], pa.int32()), "b": ["x"],
                           "c": pa.array([1.5], pa.float32())}))
    with table.update_schema() as update:
        update.update_column("a", LongType())
        update.update_column("c", DoubleType())
    with table.update_schema() as update:
        update.delete_column("b")
    with table.update_schema() as update:
        update.move_first("c")
        update.add_column("st", StructType(NestedField(10, "x", IntegerType(), required=False)))
    table = catalog.load_table(identifier)
    assert [(c.name, c.type) for c in hms.client.get_table(*identifier).sd.cols] == \
        [("c", "double"), ("a", "bigint"), ("st", "struct<x:int>")]
    assert table.scan().to_arrow().to_pylist() == [{"c": 1.5, "a": 1, "st": None}]


def test_mixed_case_identifiers(catalog, hms, unique, server):
    # Hive lower-cases names; PyIceberg passes them as the user wrote them, in locks too.
    name = unique("MixedNS")
    catalog.create_namespace(name)
    try:
        created = catalog.create_table((name, "MyTable"), SCHEMA)
        assert created.name() == (name.lower(), "mytable")
        table = catalog.load_table((name, "MyTable"))
        table.append(rows([1], ["eu"], [1.0]))
        table.append(rows([2], ["us"], [2.0]))
        assert [r["id"] for r in read(catalog.load_table((name.lower(), "mytable")))] == [1, 2]
        assert catalog.table_exists((name.upper(), "MYTABLE"))
        assert catalog.list_tables(name) == [(name, "mytable")]
        # The locks of those commits named the table in mixed case, and are gone.
        assert hms.client.show_locks(hms.t.ShowLocksRequest(dbname=name.lower(),
                                                            tablename="mytable")).locks == []
        renamed = catalog.rename_table((name, "MyTable"), (name, "Renamed"))
        assert renamed.name() == (name.lower(), "renamed")
        catalog.drop_table((name, "Renamed"))
        catalog.drop_namespace(name.upper())
        assert (name.lower(),) not in catalog.list_namespaces()
    finally:
        drop_database_cascade(server, name.lower())


def test_table_properties_follow_commits(catalog, hms, namespace):
    identifier = (namespace, "props")
    catalog.create_table(identifier, SCHEMA, properties={"keep": "1", "drop_me": "2"})
    # A parameter set by someone else (not through Iceberg) is left alone by PyIceberg.
    stored = hms.client.get_table(*identifier)
    stored.parameters["set_by_hive"] = "yes"
    hms.client.alter_table(namespace, "props", stored)

    table = catalog.load_table(identifier)
    with table.transaction() as tx:
        tx.set_properties({"added": "3", "unicode": "ünïcödé ✓"})
        tx.remove_properties("drop_me")
    params = iceberg_params(hms, *identifier)
    assert params["keep"] == "1" and params["added"] == "3"
    assert params["unicode"] == "ünïcödé ✓"
    assert "drop_me" not in params  # alter_table replaces the parameters, as in Hive
    assert params["set_by_hive"] == "yes"
    assert catalog.load_table(identifier).properties["unicode"] == "ünïcödé ✓"


def test_create_table_transaction(catalog, hms, namespace):
    # PyIceberg locks the not yet existing table, then creates it with its first snapshot.
    tx = catalog.create_table_transaction((namespace, "staged"), SCHEMA, partition_spec=SPEC)
    tx.append(rows([1, 2], ["eu", "us"], [1.0, 2.0]))
    tx.commit_transaction()
    table = catalog.load_table((namespace, "staged"))
    assert [r["id"] for r in read(table)] == [1, 2]
    assert len(table.snapshots()) == 1
    assert iceberg_params(hms, namespace, "staged")["metadata_location"] == \
        table.metadata_location
    assert hms.client.show_locks(hms.t.ShowLocksRequest(dbname=namespace,
                                                        tablename="staged")).locks == []


def test_register_table(catalog, hms, namespace):
    catalog.create_table((namespace, "original"), SCHEMA)
    original = catalog.load_table((namespace, "original"))
    original.append(rows([1], ["eu"], [1.0]))
    location = catalog.load_table((namespace, "original")).metadata_location
    registered = catalog.register_table((namespace, "copy"), location)
    assert registered.metadata_location == location
    assert [r["id"] for r in read(registered)] == [1]
    assert iceberg_params(hms, namespace, "copy")["metadata_location"] == location
    with pytest.raises(TableAlreadyExistsError):
        catalog.register_table((namespace, "copy"), location)


def test_ugi_names_the_principal(server, namespace):
    # With "ugi", PyIceberg calls set_ugi(user, group) first on each connection it opens.
    catalog = catalog_for(server, ugi="alice:analysts")
    catalog.create_table((namespace, "owned"), SCHEMA)
    catalog.load_table((namespace, "owned")).append(rows([1], ["eu"], [1.0]))
    assert [r["id"] for r in read(catalog.load_table((namespace, "owned")))] == [1]
    methods = set(re.findall(r"\bmethod=(\w+) principal=\"?alice\"? ", server.log()))
    assert {"set_ugi", "create_table", "lock", "alter_table_with_environment_context",
            "unlock"} <= methods
