"""A second Spark process: prints, as one JSON line, what it finds in almanacd's catalog.

Usage: peek.py PORT WORKDIR DATABASE TABLE
It opens its own SparkSession (its own JVM) against the same almanacd and reports the
databases, the tables of DATABASE, the partitions of TABLE and the sorted ids in TABLE.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import start_spark, stop_spark  # noqa: E402


def main():
    port, workdir, database, table = sys.argv[1:5]
    spark = start_spark(int(port), workdir)
    try:
        report = {
            "databases": sorted(r[0] for r in spark.sql("SHOW DATABASES").collect()),
            "tables": sorted(r.tableName for r in spark.sql(f"SHOW TABLES IN {database}").collect()),
            "partitions": sorted(r[0] for r in
                                 spark.sql(f"SHOW PARTITIONS {database}.{table}").collect()),
            "ids": sorted(r.id for r in spark.sql(f"SELECT id FROM {database}.{table}").collect()),
        }
    finally:
        stop_spark(spark)
    print("PEEK " + json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
