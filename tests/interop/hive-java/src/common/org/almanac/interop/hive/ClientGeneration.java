package org.almanac.interop.hive;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AggrStats;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.ColumnStatistics;

/**
 * The few calls whose Java signatures differ between Hive client generations. Each generation's
 * source directory (src/hive-X.Y) has one class named {@code Generation} implementing this;
 * everything else is the shared {@link Scenario}.
 */
public interface ClientGeneration {
  /** "2.3", "3.1" or "4.0". */
  String name();

  /** A plain HiveMetaStoreClient (no retrying proxy) connected to {@code uri}. */
  IMetaStoreClient connect(String uri) throws Exception;

  List<ColumnStatisticsObj> getTableColumnStatistics(
      IMetaStoreClient client, String db, String table, List<String> columns) throws Exception;

  Map<String, List<ColumnStatisticsObj>> getPartitionColumnStatistics(
      IMetaStoreClient client, String db, String table, List<String> partitions,
      List<String> columns) throws Exception;

  AggrStats getAggrColStatsFor(
      IMetaStoreClient client, String db, String table, List<String> columns,
      List<String> partitions) throws Exception;

  boolean deleteTableColumnStatistics(
      IMetaStoreClient client, String db, String table, String column) throws Exception;

  /**
   * The column statistics that {@code getTable(db, table, getColumnStats, engine)} attaches to
   * the table (Table.colStats), or null when it attaches none. Hive 4 only: earlier generations
   * throw {@link Check.Skip}.
   */
  ColumnStatistics tableColStats(IMetaStoreClient client, String db, String table,
      boolean getColumnStats) throws Exception;

  boolean deletePartitionColumnStatistics(
      IMetaStoreClient client, String db, String table, String partition, String column)
      throws Exception;
}
