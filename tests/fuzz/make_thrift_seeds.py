#!/usr/bin/env python3
"""Writes the seed corpora of the Thrift fuzz targets: real HMS requests, serialised by the
project's generated Python client, one connection's worth of messages per file.

The requests name the catalog that tests/fuzz/thrift_fuzzer.cc sets up: database "fuzz" with
the table "events" (partitioned by region string, day date, hour int) and the table "plain".

Usage (the generated client comes from the build, the thrift package from PyPI):
  python3 -m venv build/venv && build/venv/bin/pip install thrift==0.20.0
  build/venv/bin/python tests/fuzz/make_thrift_seeds.py build/thrift/gen-py tests/fuzz/corpus
"""
import os
import shutil
import sys

from thrift.protocol import TBinaryProtocol, TCompactProtocol
from thrift.transport import TTransport

sys.path.insert(0, sys.argv[1])
from almanac_thrift.hive_metastore import ThriftHiveMetastore  # noqa: E402
from almanac_thrift.hive_metastore.ttypes import (  # noqa: E402
    AddCheckConstraintRequest, AddForeignKeyRequest, AddNotNullConstraintRequest,
    AddPrimaryKeyRequest, AddUniqueConstraintRequest, AllTableConstraintsRequest,
    DropConstraintRequest, ForeignKeysRequest, SQLCheckConstraint, SQLForeignKey,
    SQLNotNullConstraint, SQLPrimaryKey, SQLUniqueConstraint, AddPartitionsRequest, ColumnStatistics, ColumnStatisticsData, ColumnStatisticsDesc,
    ColumnStatisticsObj, CreateTableRequest, Database, DropPartitionsRequest, EnvironmentContext,
    FieldSchema, Function, GetPartitionNamesPsRequest, GetPartitionsByFilterRequest,
    GetTableRequest, GetTablesRequest, LockComponent, LockRequest, LongColumnStatsData,
    OpenTxnRequest, Partition, PartitionsStatsRequest, RequestPartsSpec, ResourceUri, SerDeInfo,
    StorageDescriptor, StringColumnStatsData, Table)

KEYS = [FieldSchema("region", "string"), FieldSchema("day", "date"), FieldSchema("hour", "int")]


def sd(location=None, cols=None):
    return StorageDescriptor(
        cols=cols or [FieldSchema("id", "bigint", "row id"), FieldSchema("payload", "string")],
        location=location,
        inputFormat="org.apache.hadoop.mapred.TextInputFormat",
        outputFormat="org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        compressed=False, numBuckets=-1,
        serdeInfo=SerDeInfo("s", "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                            {"serialization.format": "1"}),
        bucketCols=[], sortCols=[], parameters={})


def table(name, keys=None, params=None, table_type="MANAGED_TABLE"):
    return Table(tableName=name, dbName="fuzz", owner="alice", createTime=0, lastAccessTime=0,
                 retention=0, sd=sd(), partitionKeys=keys or [], parameters=params or {},
                 tableType=table_type)


def part(values, location=None):
    return Partition(values=values, dbName="fuzz", tableName="events", sd=sd(location),
                     parameters={})


def stats(table_name, col, data, part_name=None):
    return ColumnStatistics(
        statsDesc=ColumnStatisticsDesc(isTblLevel=part_name is None, dbName="fuzz",
                                       tableName=table_name, partName=part_name),
        statsObj=[ColumnStatisticsObj(col, "bigint" if data.longStats else "string", data)],
        engine="hive")


UGI = lambda c: c.send_set_ugi("alice", ["users"])  # noqa: E731

# name -> calls made on one connection.
SEEDS = {
    "get_table": [lambda c: c.send_get_table("fuzz", "events")],
    "get_table_missing": [lambda c: c.send_get_table("fuzz", "nope")],
    "get_table_req": [lambda c: c.send_get_table_req(
        GetTableRequest(dbName="fuzz", tblName="plain", catName="hive", getColumnStats=True))],
    "ugi_then_get_table": [UGI, lambda c: c.send_get_table("fuzz", "plain")],
    "get_databases": [lambda c: c.send_get_databases("f*|def.ult")],
    "get_all_tables": [lambda c: c.send_get_all_tables("fuzz")],
    "get_table_meta": [lambda c: c.send_get_table_meta("fu*", "*ev*|plain", [])],
    "get_table_objects": [lambda c: c.send_get_table_objects_by_name_req(
        GetTablesRequest(dbName="fuzz", tblNames=["events", "plain", "x"]))],
    "table_names_by_filter": [lambda c: c.send_get_table_names_by_filter(
        "fuzz", 'hive_filter_field_params__owner_team like "d.*"', -1)],
    "create_database": [UGI, lambda c: c.send_create_database(
        Database(name="sales", description="d", locationUri="", parameters={"a": "b"}))],
    "create_table": [lambda c: c.send_create_table(table("t1", params={"k": "v"}))],
    "create_table_req": [lambda c: c.send_create_table_req(CreateTableRequest(
        table=table("t2", KEYS, table_type="EXTERNAL_TABLE"),
        envContext=EnvironmentContext({"DO_NOT_UPDATE_STATS": "true"})))],
    "create_then_get": [lambda c: c.send_create_table(table("t3", [FieldSchema("p", "string")])),
                        lambda c: c.send_get_table("fuzz", "t3")],
    "alter_table": [lambda c: c.send_alter_table_with_environment_context(
        "fuzz", "plain", table("plain", params={"comment": "changed"}),
        EnvironmentContext({"CASCADE": "false"}))],
    "rename_table": [lambda c: c.send_alter_table_with_environment_context(
        "fuzz", "plain", table("plain2"), None)],
    "drop_table": [lambda c: c.send_drop_table("fuzz", "plain", False)],
    "drop_table_data": [lambda c: c.send_drop_table("fuzz", "events", True)],
    "add_partitions": [lambda c: c.send_add_partitions(
        [part(["us-west", "2024-03-01", "1"]), part(["us-west", "2024-03-01", "2"])])],
    "add_partitions_req": [lambda c: c.send_add_partitions_req(AddPartitionsRequest(
        dbName="fuzz", tblName="events", parts=[part(["ap", "2024-05-05", "5"])],
        ifNotExists=True, needResult=True))],
    "add_then_filter": [
        lambda c: c.send_add_partitions([part(["eu_west", "2024-01-03", "4"])]),
        lambda c: c.send_get_partitions_by_filter(
            "fuzz", "events", 'region like "eu%" and hour between 1 and 5', -1)],
    "filter_string": [lambda c: c.send_get_partitions_by_filter(
        "fuzz", "events", 'region = "us-east" or region in ("x", "y")', -1)],
    "filter_date": [lambda c: c.send_get_partitions_by_filter(
        "fuzz", "events", "day >= date '2024-01-02' and day <> '2024-02-29'", 10)],
    "filter_int": [lambda c: c.send_get_partitions_by_filter(
        "fuzz", "events", "hour not in (0, 12) and (hour > -1 or hour < 100)", -1)],
    "filter_struct": [lambda c: c.send_get_partitions_by_filter(
        "fuzz", "events", "(struct(region, hour)) in (const struct('us-east', 0))", -1)],
    "filter_req": [lambda c: c.send_get_partitions_by_filter_req(GetPartitionsByFilterRequest(
        catName="hive", dbName="fuzz", tblName="events", filter="`region` like 'a\\%b.*'",
        maxParts=3))],
    "partition_names": [lambda c: c.send_get_partition_names("fuzz", "events", -1)],
    "partition_names_ps": [lambda c: c.send_get_partition_names_ps_req(
        GetPartitionNamesPsRequest(dbName="fuzz", tblName="events", partValues=["us-east", ""]))],
    "partitions_ps": [lambda c: c.send_get_partitions_ps("fuzz", "events", ["us-east"], 5)],
    "partitions_by_names": [lambda c: c.send_get_partitions_by_names(
        "fuzz", "events", ["region=us-east/day=2024-01-01/hour=0", "region=a%25b%2Fc/day=x"])],
    "append_by_name": [lambda c: c.send_append_partition_by_name(
        "fuzz", "events", "region=new/day=2024-06-01/hour=3")],
    "name_to_vals": [lambda c: c.send_partition_name_to_vals("a=1/b=%2F%3D/c=__HIVE_DEFAULT_PARTITION__")],
    "rename_partition": [lambda c: c.send_rename_partition(
        "fuzz", "events", ["us-east", "2024-01-01", "0"], part(["us-east", "2024-01-01", "1"]))],
    "alter_partitions": [lambda c: c.send_alter_partitions(
        "fuzz", "events", [part(["x", "__HIVE_DEFAULT_PARTITION__", "__HIVE_DEFAULT_PARTITION__"])])],
    "drop_partition": [lambda c: c.send_drop_partition(
        "fuzz", "events", ["eu_west", "2024-01-01", "23"], True)],
    "drop_partitions_req": [lambda c: c.send_drop_partitions_req(DropPartitionsRequest(
        dbName="fuzz", tblName="events",
        parts=RequestPartsSpec(names=["region=us-east/day=2024-01-02/hour=12"]),
        deleteData=False, ifExists=True))],
    "table_stats": [lambda c: c.send_update_table_column_statistics(stats(
        "plain", "k", ColumnStatisticsData(stringStats=StringColumnStatsData(
            maxColLen=10, avgColLen=3.5, numNulls=1, numDVs=4, bitVectors=b"HL\x00\x01")))),
                    lambda c: c.send_get_table_column_statistics("fuzz", "plain", "k")],
    "partition_stats": [lambda c: c.send_update_partition_column_statistics(stats(
        "events", "id", ColumnStatisticsData(longStats=LongColumnStatsData(
            lowValue=-3, highValue=9, numNulls=0, numDVs=7)),
        "region=us-east/day=2024-01-01/hour=0")),
                        lambda c: c.send_get_partitions_statistics_req(PartitionsStatsRequest(
                            dbName="fuzz", tblName="events", colNames=["id"],
                            partNames=["region=us-east/day=2024-01-01/hour=0"]))],
    "lock": [lambda c: c.send_lock(LockRequest(
        component=[LockComponent(type=2, level=2, dbname="fuzz", tablename="events")],
        user="alice", hostname="h"))],
    "open_txns": [lambda c: c.send_open_txns(OpenTxnRequest(num_txns=2, user="a", hostname="h"))],
    "create_function": [lambda c: c.send_create_function(Function(
        functionName="f1", dbName="fuzz", className="com.example.F", ownerName="alice",
        ownerType=1, createTime=0, functionType=1,
        resourceUris=[ResourceUri(resourceType=1, uri="file:/x.jar")])),
                        lambda c: c.send_get_functions("fuzz", "f*")],
    "constraints": [
        lambda c: c.send_add_primary_key(AddPrimaryKeyRequest([SQLPrimaryKey(
            "fuzz", "plain", "k", 1, "plain_pk", True, False, True, "hive")])),
        lambda c: c.send_add_unique_constraint(AddUniqueConstraintRequest([SQLUniqueConstraint(
            "hive", "fuzz", "events", "region", 1, None, False, False, False)])),
        lambda c: c.send_add_foreign_key(AddForeignKeyRequest([SQLForeignKey(
            "fuzz", "plain", "k", "fuzz", "events", "region", 1, 0, 0, "events_fk", None, True,
            False, False, "HIVE")])),
        lambda c: c.send_add_not_null_constraint(AddNotNullConstraintRequest([
            SQLNotNullConstraint("hive", "fuzz", "events", "hour", None, True, True, False)])),
        lambda c: c.send_add_check_constraint(AddCheckConstraintRequest([SQLCheckConstraint(
            "hive", "fuzz", "events", "hour", "hour < 24", "hour_check", True, False, False)])),
        lambda c: c.send_get_all_table_constraints(AllTableConstraintsRequest(
            "fuzz", "events", "hive")),
        lambda c: c.send_get_foreign_keys(ForeignKeysRequest(
            parent_db_name="fuzz", parent_tbl_name="plain")),
        lambda c: c.send_drop_constraint(DropConstraintRequest("fuzz", "plain", "events_fk"))],
    "create_table_with_keys": [lambda c: c.send_create_table_req(CreateTableRequest(
        table=table("keyed"),
        primaryKeys=[SQLPrimaryKey("fuzz", "keyed", "id", 1, None, True, False, False)],
        notNullConstraints=[SQLNotNullConstraint("hive", "fuzz", "keyed", "payload", "nn", True,
                                                 False, False)]))],
    "config_value": [lambda c: c.send_get_config_value("hive.metastore.try.direct.sql", "x")],
    "fb303_status": [lambda c: c.send_getStatus(), lambda c: c.send_getVersion()],
    "unknown_method": [lambda c: c.send_get_unknown_thing()],
}


class UnknownMethodClient:
    """Sends a call the server does not know, as a newer client would."""

    def __init__(self, protocol):
        self.protocol = protocol

    def send_get_unknown_thing(self):
        from thrift.Thrift import TMessageType
        self.protocol.writeMessageBegin("get_unknown_thing", TMessageType.CALL, 0)
        self.protocol.writeStructBegin("args")
        self.protocol.writeFieldStop()
        self.protocol.writeStructEnd()
        self.protocol.writeMessageEnd()


def serialise(calls, protocol_class, framed):
    out = b""
    for call in calls:
        buffer = TTransport.TMemoryBuffer()
        protocol = protocol_class(buffer)
        if call is SEEDS["unknown_method"][0]:
            call(UnknownMethodClient(protocol))
        else:
            call(ThriftHiveMetastore.Client(protocol))
        message = buffer.getvalue()
        if framed:
            out += len(message).to_bytes(4, "big")
        out += message
    return out


def main():
    root = sys.argv[2]
    variants = {
        "thrift_binary_fuzzer": (TBinaryProtocol.TBinaryProtocol, False),
        "thrift_compact_fuzzer": (TCompactProtocol.TCompactProtocol, False),
        "thrift_framed_fuzzer": (TBinaryProtocol.TBinaryProtocol, True),
    }
    for target, (protocol_class, framed) in variants.items():
        directory = os.path.join(root, target)
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        for name, calls in SEEDS.items():
            data = serialise(calls, protocol_class, framed)
            with open(os.path.join(directory, name), "wb") as f:
                f.write(data)
        print(f"{target}: {len(SEEDS)} seeds")


if __name__ == "__main__":
    main()
