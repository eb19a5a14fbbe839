#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets whose input is text: filters, partition names,
stored JSON documents and patterns.

Usage: python3 tests/fuzz/make_text_seeds.py tests/fuzz/corpus
"""
import os
import shutil
import sys

FILTERS = [
    'region = "us-east"',
    "region = 'us-east' and hour = 12",
    'region like "us%" or region like "eu_.*"',
    "region like 'a\\%b' and name like \"ab.+\"",
    "hour between 1 and 5",
    "hour not between -3 and 7",
    "hour in (0, 7, 23) and region != 'x'",
    "region not in ('a', 'b', \"c\")",
    "day >= date '2024-01-01' and day < '2024-03-01'",
    "day = 2024-02-29",
    "day <> \"__HIVE_DEFAULT_PARTITION__\"",
    "hour = '__HIVE_DEFAULT_PARTITION__'",
    "(struct(region, hour)) in (const struct('us-east', 0), struct('eu_west', 23))",
    "(struct(region, day)) not in (struct('x', '2024-01-01'))",
    "(hour) in (1, 2)",
    "12 < hour and 'b' >= region",
    "`Name` = 'abc' or `na``me` = 'x'",
    "((region = 'a') or (region = 'b' and (hour > 3 or hour <= -1)))",
    "region = 'a' 'b' \"c\"",
    "timestamp = '2024-01-01 00:00:00'",
    "hour = 9223372036854775807 or hour = -9223372036854775808",
    "region <=> 'x'",
    "name >= 'ab' and name <= 'abc' and name != 'abb'",
]

PARTITION_NAMES = [
    b"region=us-east/day=2024-01-01/hour=0",
    b"a=1",
    b"Key=Val%2Fwith%3Dsep/b=%25",
    b"k=__HIVE_DEFAULT_PARTITION__",
    b"k=%C3%A9t%E9/x=%7F%00",
    b"a=b=c",
    b"/a=1",
    b"region\x00us-east\x00day\x002024-01-01",
    b"KEY\x00v/with=sep%\x00\x00empty",
    b"\x01\x7f\x00:#?*[]^{}\\\"'",
]

# Selector byte (storage/codec.h's document kinds, see codec_fuzzer.cc), then the text.
DOCUMENTS = [
    (0, '{"a":[1,-2.5,1e300,"x\\u00e9\\ud83d\\ude00",true,false,null],"b":{}}'),
    (0, '[0.1, 5.0, -0, 1E-7, 123456789012345678901234567890]'),
    (0, '"\\"\\\\\\/\\b\\f\\n\\r\\t"'),
    (1, '{"k":"v","EXTERNAL":"TRUE","":""}'),
    (2, '["a","b","",null]'),
    (3, '[{"name":"id","type":"bigint","comment":"row id"},{"name":"m","type":"map<string,int>"}]'),
    (4, '{"columns":[{"name":"id","type":"bigint"}],"location":"file:/w/t","input_format":"i",'
        '"output_format":"o","compressed":false,"num_buckets":-1,"serde":{"name":"s",'
        '"serialization_lib":"l","parameters":{"a":"b"}},"bucket_columns":["id"],'
        '"sort_columns":[{"column":"id","order":1}],"parameters":{},'
        '"skewed":{"column_names":["id"],"column_values":[["1"]],'
        '"value_locations":[{"values":["1"],"location":"file:/s"}]},'
        '"stored_as_subdirectories":true}'),
    (5, '{"id":3,"catalog":"hive","database":"d","name":"t","owner":"o","create_time":1,'
        '"partition_keys":[{"name":"p","type":"string"}],"parameters":{"k":"v"},'
        '"table_type":"EXTERNAL_TABLE","temporary":false,"rewrite_enabled":true,"write_id":-1}'),
    (6, '[{"type":1,"uri":"file:/x.jar"},{"type":3,"uri":"hdfs://n/a.zip"}]'),
    (7, '{"kind":"long","num_nulls":1,"num_distinct":5,"low_long":-3,"high_long":9,'
        '"bit_vectors":"SExMAAE=","histogram":""}'),
    (7, '{"kind":"double","num_nulls":0,"num_distinct":2,"low_double":"NaN",'
        '"high_double":"Infinity"}'),
    (7, '{"kind":"decimal","low_decimal":{"unscaled":"AQI=","scale":2},'
        '"high_decimal":{"unscaled":"/w==","scale":0}}'),
    (7, '{"kind":"boolean","num_trues":3,"num_falses":4,"num_nulls":0}'),
    (7, '{"kind":"string","max_col_len":10,"avg_col_len":3.25,"num_nulls":2,"num_distinct":4}'),
]

# Selector (0: Hive listing pattern, 1: partition-filter LIKE), subject, NUL, pattern.
PATTERNS = [
    (0, "sales", "sa*"), (0, "Sales_2024", "sales.*|x"), (0, "abc", "a.c"), (0, "abc", " x | a?c "),
    (0, "", ""), (0, "a*b", "*"), (0, "default", "def*ult|*fault"),
    (1, "us-east", "us%"), (1, "eu_west", "eu\\_west"), (1, "a%b", "a\\%b"), (1, "a.b", "a\\.b"),
    (1, "abc", "a.*"), (1, "abc", "a.+c"), (1, "abc", "a_c"), (1, "a*b?[c]", "a*b?[c]"),
    (1, "a\\b", "a\\\\b"), (1, "x\\", "x\\"), (1, "aZ", "a\\Z"), (1, "2024-01-15", "2024-01%"),
]


def write(directory, items):
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    for i, data in enumerate(items):
        with open(os.path.join(directory, f"seed{i:02d}"), "wb") as f:
            f.write(data)


def main():
    root = sys.argv[1]
    write(os.path.join(root, "filter_fuzzer"), [f.encode() for f in FILTERS])
    write(os.path.join(root, "partition_name_fuzzer"), PARTITION_NAMES)
    write(os.path.join(root, "codec_fuzzer"), [bytes([k]) + t.encode() for k, t in DOCUMENTS])
    write(os.path.join(root, "like_fuzzer"),
          [bytes([k]) + s.encode() + b"\0" + p.encode() for k, s, p in PATTERNS])


if __name__ == "__main__":
    main()
