"""Builders for Thrift catalog objects, valid for every client flavour's ttypes."""

import time

TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
LAZY_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"


def storage(t, cols, location=None):
    return t.StorageDescriptor(
        cols=[t.FieldSchema(name=n, type=ty, comment="") for n, ty in cols],
        location=location,
        inputFormat=TEXT_INPUT,
        outputFormat=TEXT_OUTPUT,
        compressed=False,
        numBuckets=-1,
        serdeInfo=t.SerDeInfo(name="", serializationLib=LAZY_SERDE,
                              parameters={"serialization.format": "1"}),
        bucketCols=[],
        sortCols=[],
        parameters={},
    )


def database(t, name, location=None, params=None, description="test database"):
    return t.Database(name=name, description=description, locationUri=location,
                      parameters=params or {})


def table(t, db, name, cols=(("id", "bigint"), ("name", "string")), part_keys=(),
          table_type="MANAGED_TABLE", params=None, location=None):
    return t.Table(
        tableName=name,
        dbName=db,
        owner="tester",
        createTime=0,
        lastAccessTime=0,
        retention=0,
        sd=storage(t, cols, location),
        partitionKeys=[t.FieldSchema(name=n, type=ty, comment="") for n, ty in part_keys],
        parameters=dict(params or {}),
        viewOriginalText=None,
        viewExpandedText=None,
        tableType=table_type,
    )


def partition(t, tbl, values, location=None, params=None):
    sd = storage(t, [(c.name, c.type) for c in tbl.sd.cols], location)
    return t.Partition(values=list(values), dbName=tbl.dbName, tableName=tbl.tableName,
                       createTime=0, lastAccessTime=0, sd=sd, parameters=dict(params or {}))


def make(t, struct, **fields):
    """Builds ttypes struct `struct`, dropping fields this flavour's IDL does not have."""
    cls = getattr(t, struct)
    known = {spec[2] for spec in cls.thrift_spec if spec}
    return cls(**{k: v for k, v in fields.items() if k in known})


def env(t, **properties):
    return t.EnvironmentContext(properties=dict(properties))


def function(t, db, name, class_name="org.example.udf.Upper", resources=()):
    return t.Function(
        functionName=name,
        dbName=db,
        className=class_name,
        ownerName="tester",
        ownerType=t.PrincipalType.USER,
        createTime=0,
        functionType=t.FunctionType.JAVA,
        resourceUris=[t.ResourceUri(resourceType=t.ResourceType.JAR, uri=u) for u in resources],
    )


# --- column statistics ---

def long_stats(t, low, high, nulls, ndv):
    return t.ColumnStatisticsData(longStats=t.LongColumnStatsData(
        lowValue=low, highValue=high, numNulls=nulls, numDVs=ndv))


def double_stats(t, low, high, nulls, ndv):
    return t.ColumnStatisticsData(doubleStats=t.DoubleColumnStatsData(
        lowValue=low, highValue=high, numNulls=nulls, numDVs=ndv))


def string_stats(t, max_len, avg_len, nulls, ndv):
    return t.ColumnStatisticsData(stringStats=t.StringColumnStatsData(
        maxColLen=max_len, avgColLen=avg_len, numNulls=nulls, numDVs=ndv))


def boolean_stats(t, trues, falses, nulls):
    return t.ColumnStatisticsData(booleanStats=t.BooleanColumnStatsData(
        numTrues=trues, numFalses=falses, numNulls=nulls))


def decimal(t, unscaled, scale):
    """A Hive Decimal: big-endian two's-complement unscaled value and a scale."""
    length = max(1, (unscaled.bit_length() + 8) // 8)
    return t.Decimal(unscaled=unscaled.to_bytes(length, "big", signed=True), scale=scale)


def decimal_value(d):
    return int.from_bytes(d.unscaled, "big", signed=True) / (10 ** d.scale)


def decimal_stats(t, low, high, nulls, ndv):
    """`low`/`high` are (unscaled, scale) pairs."""
    return t.ColumnStatisticsData(decimalStats=t.DecimalColumnStatsData(
        lowValue=decimal(t, *low), highValue=decimal(t, *high), numNulls=nulls, numDVs=ndv))


def date_stats(t, low_days, high_days, nulls, ndv):
    return t.ColumnStatisticsData(dateStats=t.DateColumnStatsData(
        lowValue=t.Date(daysSinceEpoch=low_days), highValue=t.Date(daysSinceEpoch=high_days),
        numNulls=nulls, numDVs=ndv))


def column_stats(t, db, table, objs, part_name=None, engine="hive"):
    """ColumnStatistics for a table (part_name None) or one partition; objs: (name, type, data)."""
    desc = make(t, "ColumnStatisticsDesc", isTblLevel=part_name is None, dbName=db,
                tableName=table, partName=part_name)
    return make(t, "ColumnStatistics", statsDesc=desc, engine=engine,
                statsObj=[t.ColumnStatisticsObj(colName=n, colType=ty, statsData=d)
                          for n, ty, d in objs])


def server_time_lower_bound():
    """A lower bound for times the server stamps from now on. The server's time() reads the
    coarse real-time clock, which may still show the previous second for a few milliseconds."""
    return int(time.time()) - 1
