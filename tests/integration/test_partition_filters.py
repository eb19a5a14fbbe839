"""get_partitions_by_filter and friends: Hive's filter language, through every client flavour."""

import pytest

from builders import make, partition, table

DS = ["2024-01-01", "2024-01-02", "2024-02-01"]
HR = [1, 2, 10]
ALL = sorted(f"ds={d}/hr={h}" for d in DS for h in HR)  # HMS lists in partition-name order


def where(pred):
    """The partition names (in listing order) whose (ds, hr) satisfy `pred`."""
    return [n for n in ALL
            if pred(n.split("/")[0][3:], int(n.split("/")[1][3:]))]


CASES = [
    ('ds = "2024-01-01"', lambda d, h: d == "2024-01-01"),
    ("ds = '2024-01-01'", lambda d, h: d == "2024-01-01"),
    ('"2024-01-01" = ds', lambda d, h: d == "2024-01-01"),
    ('ds = "2024-01-01" AND hr = 1', lambda d, h: d == "2024-01-01" and h == 1),
    ("hr = 10", lambda d, h: h == 10),
    ("hr > 2", lambda d, h: h > 2),  # numeric, not text, comparison: "10" > "2"
    ("hr >= 2", lambda d, h: h >= 2),
    ("hr < 10", lambda d, h: h < 10),
    ("hr <= 2", lambda d, h: h <= 2),
    ("hr != 1", lambda d, h: h != 1),
    ("hr <> 1", lambda d, h: h != 1),
    ("2 < hr", lambda d, h: h > 2),
    ('ds > "2024-01-01"', lambda d, h: d > "2024-01-01"),
    ('ds < "2024-01-02"', lambda d, h: d < "2024-01-02"),
    ('ds like "2024-01.*"', lambda d, h: d.startswith("2024-01")),
    ('ds LIKE "2024-01%"', lambda d, h: d.startswith("2024-01")),
    ('ds like ".*-01"', lambda d, h: d.endswith("-01")),
    ('ds like "%-01"', lambda d, h: d.endswith("-01")),
    ('ds like "%01-0%"', lambda d, h: "01-0" in d),
    ('ds like "2024-02-01"', lambda d, h: d == "2024-02-01"),
    ("hr between 2 and 10", lambda d, h: 2 <= h <= 10),
    ("hr BETWEEN 1 AND 2", lambda d, h: 1 <= h <= 2),
    ("hr not between 2 and 9", lambda d, h: h < 2 or h > 9),
    ('ds between "2024-01-02" and "2024-02-01"', lambda d, h: "2024-01-02" <= d <= "2024-02-01"),
    ("(hr) in (1, 10)", lambda d, h: h in (1, 10)),
    ('(ds) IN ("2024-01-01", "2024-02-01")', lambda d, h: d in ("2024-01-01", "2024-02-01")),
    ('(ds) not in ("2024-01-01")', lambda d, h: d != "2024-01-01"),
    ("(hr) NOT IN (1, 2)", lambda d, h: h not in (1, 2)),
    ('(ds = "2024-01-01" or ds = "2024-02-01") and hr = 10',
     lambda d, h: d in ("2024-01-01", "2024-02-01") and h == 10),
    # AND binds tighter than OR.
    ('ds = "2024-01-01" or ds = "2024-02-01" and hr = 10',
     lambda d, h: d == "2024-01-01" or (d == "2024-02-01" and h == 10)),
    ('(ds = "2024-01-01" OR (hr > 1 AND (hr < 10)))',
     lambda d, h: d == "2024-01-01" or 1 < h < 10),
    # What Spark's HiveShim generates.
    ('ds = "2024-01-02" and hr >= 2', lambda d, h: d == "2024-01-02" and h >= 2),
    ('(ds = "2024-01-01" or ds = "2024-01-02")', lambda d, h: d in DS[:2]),
    ('(hr != 1 and hr != 2)', lambda d, h: h not in (1, 2)),
    ('ds like "%01%" and (hr = 1 or hr = 2)', lambda d, h: "01" in d and h in (1, 2)),
    ('ds = "2030-01-01"', lambda d, h: False),
    ('DS = "2024-01-01"', lambda d, h: d == "2024-01-01"),  # key names are case-insensitive
]


@pytest.fixture
def events(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "events", part_keys=[("ds", "string"), ("hr", "int")]))
    tbl = hms.client.get_table(db, "events")
    hms.client.add_partitions([partition(t, tbl, [d, str(h)]) for d in DS for h in HR])
    return tbl


def names(parts):
    return ["ds=%s/hr=%s" % tuple(p.values) for p in parts]


def test_filters(hms, db, events):
    """Every filter through get_partitions_by_filter, its _req form and the count call."""
    t = hms.t
    c = hms.client
    failures = []
    for text, pred in CASES:
        expected = where(pred)
        try:
            got = names(c.get_partitions_by_filter(db, "events", text, -1))
            count = c.get_num_partitions_by_filter(db, "events", text)
            via_req = expected
            if hms.has("get_partitions_by_filter_req"):
                via_req = names(c.get_partitions_by_filter_req(t.GetPartitionsByFilterRequest(
                    dbName=db, tblName="events", filter=text, maxParts=-1)))
        except Exception as e:  # noqa: BLE001 - collected and reported below
            failures.append(f"{text!r}: {type(e).__name__}: {getattr(e, 'message', e)}")
            continue
        if got != expected or count != len(expected) or via_req != expected:
            failures.append(f"{text!r}: expected {expected}, got {got} (count {count}, "
                            f"_req {via_req})")
    assert not failures, "\n".join(failures)


def test_empty_filter_lists_everything(hms, db, events):
    assert names(hms.client.get_partitions_by_filter(db, "events", "", -1)) == ALL
    assert hms.client.get_num_partitions_by_filter(db, "events", "") == len(ALL)


def test_filter_max_parts(hms, db, events):
    t = hms.t
    c = hms.client
    expected = where(lambda d, h: h >= 2)
    assert names(c.get_partitions_by_filter(db, "events", "hr >= 2", 2)) == expected[:2]
    assert names(c.get_partitions_by_filter(db, "events", "hr >= 2", 0)) == []
    if hms.has("get_partitions_by_filter_req"):
        req = t.GetPartitionsByFilterRequest(dbName=db, tblName="events", filter="hr >= 2",
                                             maxParts=3)
        assert names(c.get_partitions_by_filter_req(req)) == expected[:3]


def test_date_keys(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "daily", part_keys=[("dt", "date")]))
    tbl = hms.client.get_table(db, "daily")
    days = ["2024-02-28", "2024-03-01", "2024-03-10"]
    hms.client.add_partitions([partition(t, tbl, [d]) for d in days])
    c = hms.client

    def dates(text):
        return [p.values[0] for p in c.get_partitions_by_filter(db, "daily", text, -1)]

    assert dates('dt = "2024-03-01"') == ["2024-03-01"]
    assert dates("dt = DATE '2024-03-01'") == ["2024-03-01"]
    assert dates('dt >= "2024-03-01"') == ["2024-03-01", "2024-03-10"]
    assert dates("dt < 2024-03-01") == ["2024-02-28"]
    assert dates('dt between "2024-02-28" and "2024-03-01"') == ["2024-02-28", "2024-03-01"]
    assert dates('(dt) in ("2024-02-28", "2024-03-10")') == ["2024-02-28", "2024-03-10"]
    assert dates('dt != "2024-03-01"') == ["2024-02-28", "2024-03-10"]
    assert c.get_num_partitions_by_filter(db, "daily", 'dt > "2024-02-29"') == 2


def test_unknown_key(hms, db, events):
    t = hms.t
    for call in (lambda f: hms.client.get_partitions_by_filter(db, "events", f, -1),
                 lambda f: hms.client.get_num_partitions_by_filter(db, "events", f)):
        with pytest.raises(t.MetaException) as err:
            call('region = "eu"')
        # HMS's text (ExpressionTree.getPartColIndexForFilter) wraps the key in angle brackets.
        assert "Specified key <region> is not a partitioning key for the table" in \
            err.value.message, err.value.message


@pytest.mark.parametrize("text", ['ds = ', 'ds = "a" and', '(ds = "a"', 'ds ~ "a"',
                                  'ds = "a" or or hr = 1', '"a" like ds'])
def test_parse_errors(hms, db, events, text):
    t = hms.t
    with pytest.raises(t.MetaException) as err:
        hms.client.get_partitions_by_filter(db, "events", text, -1)
    assert "Error parsing partition filter" in err.value.message, err.value.message
    with pytest.raises(t.MetaException) as err:
        hms.client.get_num_partitions_by_filter(db, "events", text)
    assert "Error parsing partition filter" in err.value.message
    # The connection keeps serving.
    assert hms.client.get_num_partitions_by_filter(db, "events", "hr = 1") == 3


def test_type_mismatch(hms, db, events):
    """HMS refuses a string literal against an int key (TestHiveMetaStore: p3 >= "p12")."""
    with pytest.raises(hms.t.MetaException) as err:
        hms.client.get_partitions_by_filter(db, "events", 'hr >= "p12"', -1)
    assert "Filtering is supported only on partition keys of type string" in err.value.message


def test_filter_on_missing_table(hms, db):
    with pytest.raises(hms.t.NoSuchObjectException):
        hms.client.get_partitions_by_filter(db, "no_table", 'ds = "a"', -1)


def test_filter_with_quotes_and_escapes(hms, db):
    t = hms.t
    hms.client.create_table(table(t, db, "quoted", part_keys=[("s", "string")]))
    tbl = hms.client.get_table(db, "quoted")
    values = ["it's", 'say "hi"', "a_b", "a%b", "axb"]
    hms.client.add_partitions([partition(t, tbl, [v]) for v in values])
    c = hms.client

    def vals(text):
        return sorted(p.values[0] for p in c.get_partitions_by_filter(db, "quoted", text, -1))

    assert vals('s = "it\'s"') == ["it's"]
    assert vals("s = 'say \"hi\"'") == ['say "hi"']
    assert vals('s = "a_b"') == ["a_b"]  # '=' has no wildcards
    assert vals('s = "a%b"') == ["a%b"]
    assert vals('s like "a_b"') == ["a%b", "a_b", "axb"]  # '_' is any one character
    assert vals('s like "a.*"') == ["a%b", "a_b", "axb"]
    if hms.has("get_partitions_by_names_req"):
        req = make(t, "GetPartitionsByNamesRequest", db_name=db, tbl_name="quoted",
                   names=["s=a%25b"])
        assert [p.values for p in c.get_partitions_by_names_req(req).partitions] == [["a%b"]]
