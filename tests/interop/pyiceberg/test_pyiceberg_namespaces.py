"""Namespaces through PyIceberg's HiveCatalog: each one is a Hive database in almanacd."""

import pytest
from pyiceberg.exceptions import (
    NamespaceAlreadyExistsError,
    NamespaceNotEmptyError,
    NoSuchNamespaceError,
)
from pyiceberg.schema import Schema
from pyiceberg.types import LongType, NestedField

from support import drop_database_cascade


def test_create_with_properties_location_and_comment(server, catalog, hms, unique):
    name = unique("ns")
    location = f"file://{server.workdir}/custom-{name}"
    catalog.create_namespace(name, {"owner": "alice", "team": "data", "location": location,
                                    "comment": "made by PyIceberg"})
    try:
        assert catalog.load_namespace_properties(name) == {
            "owner": "alice", "team": "data", "location": location, "comment": "made by PyIceberg"}
        # PyIceberg maps "location" and "comment" onto the database's fields.
        db = hms.client.get_database(name)
        assert db.name == name
        assert db.locationUri == location
        assert db.description == "made by PyIceberg"
        assert db.parameters == {"owner": "alice", "team": "data"}
        assert (name,) in catalog.list_namespaces()
    finally:
        drop_database_cascade(server, name)


def test_default_location_is_under_the_warehouse(server, catalog, namespace):
    location = catalog.load_namespace_properties(namespace)["location"]
    assert location.endswith(f"/warehouse/{namespace}.db")
    assert str(server.warehouse) in location


def test_create_twice_fails(catalog, namespace):
    with pytest.raises(NamespaceAlreadyExistsError):
        catalog.create_namespace(namespace)


def test_update_properties_sets_and_removes(catalog, hms, unique, server):
    name = unique("ns")
    catalog.create_namespace(name, {"a": "1", "b": "2", "c": "3"})
    try:
        summary = catalog.update_namespace_properties(name, removals={"a", "missing"},
                                                      updates={"b": "20", "d": "4"})
        assert sorted(summary.removed) == ["a"]
        assert sorted(summary.updated) == ["b", "d"]
        assert summary.missing == ["missing"]
        properties = catalog.load_namespace_properties(name)
        location = properties.pop("location")
        assert location.endswith(f"/{name}.db")
        assert properties == {"b": "20", "c": "3", "d": "4"}
        assert hms.client.get_database(name).parameters == {"b": "20", "c": "3", "d": "4"}

        catalog.update_namespace_properties(name, removals={"b", "c", "d"})
        assert catalog.load_namespace_properties(name) == {"location": location}
        # Updating the location through the properties moves nothing but the database's URI.
        catalog.update_namespace_properties(name, updates={"location": location + "-moved",
                                                           "comment": "now with a comment"})
        assert catalog.load_namespace_properties(name) == {"location": location + "-moved",
                                                           "comment": "now with a comment"}
    finally:
        drop_database_cascade(server, name)


def test_missing_namespace(catalog, unique):
    missing = unique("missing")
    with pytest.raises(NoSuchNamespaceError):
        catalog.load_namespace_properties(missing)
    with pytest.raises(NoSuchNamespaceError):
        catalog.update_namespace_properties(missing, updates={"a": "b"})
    with pytest.raises(NoSuchNamespaceError):
        catalog.drop_namespace(missing)
    assert (missing,) not in catalog.list_namespaces()


def test_list_namespaces(catalog, server, unique):
    names = [unique("listed") for _ in range(3)]
    for name in names:
        catalog.create_namespace(name)
    try:
        listed = catalog.list_namespaces()
        assert ("default",) in listed
        for name in names:
            assert (name,) in listed
        assert catalog.list_namespaces(names[0]) == []  # Hive namespaces are not hierarchical.
    finally:
        for name in names:
            drop_database_cascade(server, name)


def test_drop(catalog, unique):
    name = unique("ns")
    catalog.create_namespace(name)
    catalog.drop_namespace(name)
    assert (name,) not in catalog.list_namespaces()
    with pytest.raises(NoSuchNamespaceError):
        catalog.load_namespace_properties(name)


def test_drop_of_a_non_empty_namespace_fails(catalog, namespace, hms):
    catalog.create_table((namespace, "t"), Schema(NestedField(1, "id", LongType())))
    with pytest.raises(NamespaceNotEmptyError):
        catalog.drop_namespace(namespace)
    assert (namespace,) in catalog.list_namespaces()
    assert catalog.table_exists((namespace, "t"))
    catalog.drop_table((namespace, "t"))
    catalog.drop_namespace(namespace)
    assert (namespace,) not in catalog.list_namespaces()
