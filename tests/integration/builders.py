"""Builders for Thrift catalog objects, valid for every client flavour's ttypes."""

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
