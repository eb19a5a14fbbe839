"""get_table_names_by_filter with Hive's whole table filter language, through every client
flavour: the owner, the last access time and parameters; = == <> != < <= > >=, LIKE (a regular
expression), BETWEEN and IN; AND, OR and parentheses. Errors: MetaException for a filter that
does not parse or that HMS refuses, InvalidOperationException for none at all."""

import pytest

from builders import table

OWNER = "hive_filter_field_owner__"
ACCESS = "hive_filter_field_last_access__"
PARAMS = "hive_filter_field_params__"


@pytest.fixture
def tables(hms, db):
    """The tables of Hive's TestTablesList, as (name, owner, last access, param1)."""
    t = hms.t
    rows = [("t0", "Owner1", 1000, "value1"), ("t1", "Owner1", 2000, "value2"),
            ("t2", "Owner2", 1000, "value2"), ("t3", "Owner3", 3000, "value2"),
            ("t4", "Tester", 2500, "value4"), ("t5", None, 0, None)]
    for name, owner, access, param in rows:
        tbl = table(t, db, name, params={"param1": param} if param else {})
        tbl.owner = owner
        tbl.lastAccessTime = access
        hms.client.create_table(tbl)
    return db


def names(hms, db, text, limit=-1):
    return sorted(hms.client.get_table_names_by_filter(db, text, limit))


def test_owner_conditions(hms, tables):
    assert names(hms, tables, f'{OWNER}="Owner1"') == ["t0", "t1"]
    assert names(hms, tables, f'{OWNER} LIKE "Owner.*"') == ["t0", "t1", "t2", "t3"]
    assert names(hms, tables, f"{OWNER} <> 'Owner1'") == ["t2", "t3", "t4"]  # t5 has none
    assert names(hms, tables, f"{OWNER} in ('Owner2', 'Tester')") == ["t2", "t4"]


def test_last_access_conditions(hms, tables):
    assert names(hms, tables, f"{ACCESS}=1000") == ["t0", "t2"]
    assert names(hms, tables, f"{ACCESS}<=2000") == ["t0", "t1", "t2", "t5"]
    assert names(hms, tables, f"{ACCESS} > 2000") == ["t3", "t4"]
    assert names(hms, tables, f"{ACCESS} between 1000 and 2000") == ["t0", "t1", "t2"]


def test_parameter_conditions_only_see_tables_with_the_parameter(hms, tables):
    assert names(hms, tables, f'{PARAMS}param1="value2"') == ["t1", "t2", "t3"]
    assert names(hms, tables, f'{PARAMS}param1<>"value2"') == ["t0", "t4"]
    assert names(hms, tables, f'{PARAMS}param1 != "value2"') == ["t0", "t4"]


def test_and_or_parentheses_and_limit(hms, tables):
    combined = f'{ACCESS}<3000 and ({OWNER}="Tester" or {PARAMS}param1="value2")'
    assert names(hms, tables, combined) == ["t1", "t2", "t4"]
    limited = hms.client.get_table_names_by_filter(tables, f'{OWNER} LIKE "Owner.*"', 1)
    assert len(limited) == 1 and limited[0] in ("t0", "t1", "t2", "t3")


def test_refused_filters(hms, tables):
    t = hms.t
    for text, message in [
            ("invalid filter", "Error parsing table filter"),
            (f'{ACCESS} like "1.*"', "LIKE is not supported"),
            (f'{ACCESS} = "1000"', "takes an integer value"),
            (f'{PARAMS}param1 < "x"', "only =, <>, != and LIKE"),
            ('owner = "x"', "invalid key name <owner>"),
            (f"{OWNER} like '(a)\\1'", "not a valid regular expression"),
            ("(" * 200 + f"{OWNER}='x'" + ")" * 200, "nest deeper"),
            (f"{OWNER} = '{'x' * 70000}'", "at most 65536 are accepted")]:
        with pytest.raises(t.MetaException, match=message.replace("(", "\\(")):
            hms.client.get_table_names_by_filter(tables, text, -1)
    with pytest.raises(t.InvalidOperationException):
        hms.client.get_table_names_by_filter(tables, "", -1)


def test_missing_and_unnamed_databases(hms, tables):
    t = hms.t
    assert hms.client.get_table_names_by_filter("no_such_db", f"{ACCESS}>2000", -1) == []
    with pytest.raises(t.UnknownDBException, match="DB name is null or empty"):
        hms.client.get_table_names_by_filter("", f"{ACCESS}>2000", -1)
